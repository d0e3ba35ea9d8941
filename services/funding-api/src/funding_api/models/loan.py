"""Loans mirrored from VBSP's loan system: the bank's events, the state derived from them, reference
rates and caps, the exception queue a finance officer works, the bank's reconciliation totals."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin, VersionedMixin


class LoanPurpose(StrEnum):
    BUY = "buy"
    LEASE_PURCHASE = "lease_purchase"
    BUILD_OR_REPAIR = "build_or_repair"


class LoanEventType(StrEnum):
    APPLICATION_RECEIVED = "application_received"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"
    REPAYMENT = "repayment"
    OVERDUE = "overdue"
    SETTLED = "settled"


class LoanStatus(StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    ACTIVE = "active"  # disbursed, repaying
    OVERDUE = "overdue"
    SETTLED = "settled"


class EligibilityStatus(StrEnum):
    PENDING = "pending"  # registry-api not asked yet, or down: a queued job asks again
    CONFIRMED = "confirmed"
    INELIGIBLE = "ineligible"
    UNKNOWN_BORROWER = "unknown_borrower"


class CapBasis(StrEnum):
    CONTRACT_VALUE = "contract_value"
    ESTIMATE = "estimate"


class LoanExceptionReason(StrEnum):
    UNKNOWN_BORROWER = "unknown_borrower"
    INELIGIBLE_BORROWER = "ineligible_borrower"
    CAP_EXCEEDED = "cap_exceeded"
    RATE_MISMATCH = "rate_mismatch"


class LoanExceptionStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


def _in(values: type[StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


# ---------------------------------------------------------------------------------------- reference


class LoanRate(Audited, IdMixin, TimestampMixin, FundingBase):
    """VBSP's social-housing lending rate for a period (D100 Art. 48; decided by the Prime Minister)."""

    __tablename__ = "loan_rate"
    __table_args__ = (
        UniqueConstraint("valid_from"),
        CheckConstraint("rate_bp > 0 AND rate_bp < 10000", name="rate_positive"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    rate_bp: Mapped[int] = mapped_column(Integer)  # basis points a year: 540 = 5.4%
    overdue_rate_pct: Mapped[int] = mapped_column(Integer)  # of the lending rate: 130
    legal_basis: Mapped[str] = mapped_column(String(300))
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class LoanCap(Audited, IdMixin, TimestampMixin, FundingBase):
    """The most VBSP may lend for a purpose: a share of the contract value or estimate, maybe capped."""

    __tablename__ = "loan_cap"
    __table_args__ = (
        UniqueConstraint("purpose", "valid_from"),
        CheckConstraint(f"purpose IN ({_in(LoanPurpose)})", name="purpose_known"),
        CheckConstraint(f"basis IN ({_in(CapBasis)})", name="basis_known"),
        CheckConstraint("percent_of_basis > 0 AND percent_of_basis <= 100", name="percent_range"),
        CheckConstraint("max_amount_vnd IS NULL OR max_amount_vnd > 0", name="max_positive"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_range"),
    )

    purpose: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(String(20))
    percent_of_basis: Mapped[int] = mapped_column(Integer)
    max_amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(300))
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class LendingPlan(Audited, IdMixin, TimestampMixin, FundingBase):
    """A province's yearly plan for VBSP social-housing lending (what 'disbursed against plan' divides by)."""

    __tablename__ = "loan_lending_plan"
    __table_args__ = (
        UniqueConstraint("province_code", "year"),
        CheckConstraint("planned_disbursement_vnd >= 0", name="plan_non_negative"),
    )

    province_code: Mapped[str] = mapped_column(String(2))
    year: Mapped[int] = mapped_column(Integer)
    planned_disbursement_vnd: Mapped[int] = mapped_column(BigInteger)
    planned_borrowers: Mapped[int | None] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


# ---------------------------------------------------------------------------------------- the mirror


class Loan(Audited, IdMixin, TimestampMixin, VersionedMixin, FundingBase):
    """One VBSP loan, by the bank's reference. Every number here is derived from its events."""

    __tablename__ = "loan"
    __table_args__ = (
        UniqueConstraint("bank_loan_ref"),
        CheckConstraint(f"purpose IN ({_in(LoanPurpose)})", name="purpose_known"),
        CheckConstraint(f"status IN ({_in(LoanStatus)})", name="status_known"),
        CheckConstraint(f"eligibility_status IN ({_in(EligibilityStatus)})", name="eligibility_known"),
        Index("ix_loan_province_code_commune_code", "province_code", "commune_code"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__ = frozenset({"borrower_citizen_id_masked"})
    __audit_exclude__ = frozenset({"borrower_citizen_id_ct", "borrower_citizen_bidx"})

    bank_loan_ref: Mapped[str] = mapped_column(String(64))
    province_code: Mapped[str] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    borrower_citizen_id_ct: Mapped[bytes] = mapped_column(LargeBinary)
    borrower_citizen_bidx: Mapped[str] = mapped_column(String(64), index=True)
    borrower_citizen_id_masked: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str] = mapped_column(String(20))
    contract_value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    estimate_vnd: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    approved_amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    disbursed_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    repaid_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    outstanding_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    overdue_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    first_disbursed_on: Mapped[date | None] = mapped_column(Date)
    events_applied: Mapped[int] = mapped_column(Integer, default=0)
    last_sequence: Mapped[int] = mapped_column(BigInteger, default=0)
    eligibility_status: Mapped[str] = mapped_column(String(20), default=EligibilityStatus.PENDING.value)
    eligibility_confirmation_id: Mapped[uuid.UUID | None] = mapped_column()
    eligibility_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoanEvent(Audited, IdMixin, FundingBase):
    """One event as the bank sent it (minus the citizen ID): never changed, never deleted."""

    __tablename__ = "loan_event"
    __table_args__ = (
        UniqueConstraint("loan_id", "bank_event_id"),
        CheckConstraint(f"event_type IN ({_in(LoanEventType)})", name="type_known"),
        CheckConstraint("amount_vnd IS NULL OR amount_vnd >= 0", name="amount_non_negative"),
        Index("ix_loan_event_loan_id_bank_sequence", "loan_id", "bank_sequence"),
    )

    loan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("loan.id", ondelete="RESTRICT"))
    bank_event_id: Mapped[str] = mapped_column(String(64))
    bank_sequence: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    event_type: Mapped[str] = mapped_column(String(30))
    amount_vnd: Mapped[int | None] = mapped_column(BigInteger)
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(20))
    contract_value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    estimate_vnd: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    received_by: Mapped[str] = mapped_column(String(200))


class LoanException(Audited, IdMixin, TimestampMixin, VersionedMixin, FundingBase):
    """A mismatch between the bank's loan and the rules or the registry, for a finance officer to work."""

    __tablename__ = "loan_exception"
    __table_args__ = (
        UniqueConstraint("loan_id", "key"),
        CheckConstraint(f"reason IN ({_in(LoanExceptionReason)})", name="reason_known"),
        CheckConstraint(f"status IN ({_in(LoanExceptionStatus)})", name="status_known"),
        Index("ix_loan_exception_status_reason", "status", "reason"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    loan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("loan.id", ondelete="RESTRICT"), index=True)
    reason: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(100))  # one exception per loan and finding
    status: Mapped[str] = mapped_column(String(20), default=LoanExceptionStatus.OPEN.value)
    province_code: Mapped[str] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoanReconciliation(Audited, IdMixin, TimestampMixin, FundingBase):
    """The bank's totals for a province on a date, as posted; the report compares them with the mirror."""

    __tablename__ = "loan_reconciliation"
    __table_args__ = (
        Index("ix_loan_reconciliation_province_code_as_of", "province_code", "as_of"),
        CheckConstraint(
            "loan_count >= 0 AND outstanding_vnd >= 0 AND disbursed_vnd >= 0", name="totals_non_negative"
        ),
    )

    province_code: Mapped[str] = mapped_column(String(2))
    as_of: Mapped[date] = mapped_column(Date)
    loan_count: Mapped[int] = mapped_column(Integer)
    outstanding_vnd: Mapped[int] = mapped_column(BigInteger)
    disbursed_vnd: Mapped[int] = mapped_column(BigInteger)
    bank_loans: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)  # [{loan_ref, outstanding_vnd}]
    posted_by: Mapped[str] = mapped_column(String(200))

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, Field, model_validator

from funding_api.models import (
    EligibilityStatus,
    LoanEventType,
    LoanExceptionReason,
    LoanExceptionStatus,
    LoanPurpose,
    LoanStatus,
)
from servicekit.schemas import ReadModel, WriteModel

MAX_VND = 10**15  # a million billion VND: far above any loan, far below BIGINT
Vnd = Annotated[int, Field(ge=0, le=MAX_VND, description="Integer VND.")]
PositiveVnd = Annotated[int, Field(gt=0, le=MAX_VND, description="Integer VND.")]
ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["10525"])]
BankRef = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\x21-\x7e]+$")]
CitizenId = Annotated[
    str,
    Field(
        min_length=12,
        max_length=12,
        pattern=r"^\d{12}$",
        description="The borrower's 12-digit personal identification number: stored only encrypted "
        "and as a blind index, never returned.",
    ),
]

AMOUNT_REQUIRED = frozenset(
    {LoanEventType.APPROVED, LoanEventType.DISBURSED, LoanEventType.REPAYMENT, LoanEventType.OVERDUE}
)


class LoanEventCreate(WriteModel):
    """One event of VBSP's loan system, as the bank sends it."""

    event_id: BankRef = Field(description="The bank's id of this event: a repeat of it is a no-op.")
    loan_ref: BankRef = Field(description="The bank's loan reference.")
    sequence: int = Field(
        ge=0, le=2**62, description="The bank's event sequence within the loan: events apply in this order."
    )
    occurred_at: AwareDatetime = Field(description="When it happened at the bank (with a time zone).")
    type: LoanEventType
    borrower_citizen_id: CitizenId
    purpose: LoanPurpose
    province_code: ProvinceCode = Field(description="The province of the lending branch; you must cover it.")
    commune_code: CommuneCode | None = None
    contract_value_vnd: PositiveVnd | None = Field(
        default=None,
        description="The purchase or lease-purchase contract value (purposes buy, lease_purchase).",
    )
    estimate_vnd: PositiveVnd | None = Field(
        default=None, description="The estimate or capital plan of the works (purpose build_or_repair)."
    )
    amount_vnd: Vnd | None = Field(
        default=None,
        description="approved: the approved amount; disbursed: this tranche; repayment: principal repaid; "
        "overdue: the principal now overdue (0 when cured). Not sent with the other types.",
    )
    rate_bp: int | None = Field(
        default=None,
        ge=1,
        le=9999,
        description="The yearly rate the bank applied, in basis points (540 = 5.4%).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.purpose is LoanPurpose.BUILD_OR_REPAIR:
            if self.estimate_vnd is None:
                raise ValueError("estimate_vnd is required to build or repair")
            if self.contract_value_vnd is not None:
                raise ValueError("contract_value_vnd is for buying or lease-purchasing")
        else:
            if self.contract_value_vnd is None:
                raise ValueError("contract_value_vnd is required to buy or lease-purchase")
            if self.estimate_vnd is not None:
                raise ValueError("estimate_vnd is for building or repairing")
        if self.type in AMOUNT_REQUIRED:
            if self.amount_vnd is None:
                raise ValueError(f"amount_vnd is required for {self.type.value}")
            if self.type is not LoanEventType.OVERDUE and self.amount_vnd == 0:
                raise ValueError(f"amount_vnd must be positive for {self.type.value}")
        elif self.amount_vnd is not None:
            raise ValueError(f"amount_vnd is not sent for {self.type.value}")
        return self


class LoanEventReceipt(ReadModel):
    id: uuid.UUID = Field(description="funding-api's id of the stored event.")
    loan_id: uuid.UUID
    event_id: str
    applied: bool = Field(description="false when this bank event id was already recorded for the loan.")
    eligibility_status: EligibilityStatus


class LoanRead(ReadModel):
    id: uuid.UUID
    bank_loan_ref: str
    province_code: str
    commune_code: str | None
    borrower_citizen_id_masked: str = Field(description="Only the last three digits.")
    purpose: LoanPurpose
    contract_value_vnd: int | None
    estimate_vnd: int | None
    status: LoanStatus
    approved_amount_vnd: int | None
    disbursed_vnd: int
    repaid_vnd: int
    outstanding_vnd: int
    overdue_vnd: int
    rate_bp: int | None = Field(description="The table's rate in force at the first disbursement.")
    first_disbursed_on: date | None
    events_applied: int
    last_sequence: int
    eligibility_status: EligibilityStatus
    eligibility_confirmation_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class LoanEventRead(ReadModel):
    id: uuid.UUID
    loan_id: uuid.UUID
    bank_event_id: str
    bank_sequence: int
    occurred_at: datetime
    event_type: LoanEventType
    amount_vnd: int | None
    rate_bp: int | None
    received_at: datetime


class LoanExceptionRead(ReadModel):
    id: uuid.UUID
    loan_id: uuid.UUID
    reason: LoanExceptionReason
    status: LoanExceptionStatus
    province_code: str
    commune_code: str | None
    created_at: datetime
    evidence: dict[str, Any] = Field(description="Ids, amounts, dates and rule codes; never a citizen ID.")
    resolution_note: str | None
    closed_by: str | None
    closed_at: datetime | None
    version: int


class LoanExceptionClose(WriteModel):
    reason: str = Field(min_length=3, max_length=2000, description="Why it is resolved or dismissed.")


class BankLoanBalance(WriteModel):
    loan_ref: BankRef
    outstanding_vnd: Vnd


class LoanReconciliationCreate(WriteModel):
    """The bank's totals for the loans of one province as of the end of a date."""

    province_code: ProvinceCode
    as_of: date
    loan_count: int = Field(ge=0, le=10_000_000, description="Loans with a balance outstanding.")
    outstanding_vnd: Vnd
    disbursed_vnd: Vnd = Field(description="Everything disbursed up to and including the date.")
    loans: list[BankLoanBalance] = Field(
        default_factory=list,
        max_length=5000,
        description="Optionally, the balance of each loan, to list which loans differ.",
    )

    @model_validator(mode="after")
    def _unique_refs(self) -> Self:
        refs = [loan.loan_ref for loan in self.loans]
        if len(set(refs)) != len(refs):
            raise ValueError("each loan_ref may appear once")
        return self


class Totals(ReadModel):
    loan_count: int
    outstanding_vnd: int
    disbursed_vnd: int


class LoanDifference(ReadModel):
    loan_ref: str
    bank_outstanding_vnd: int | None = Field(description="null: the bank did not list this loan.")
    mirror_outstanding_vnd: int | None = Field(description="null: the mirror has no such loan.")


class LoanReconciliationReport(ReadModel):
    id: uuid.UUID
    province_code: str
    as_of: date
    bank: Totals
    mirror: Totals
    differences: dict[str, int] = Field(description="bank minus mirror, only for totals that differ.")
    loan_differences: list[LoanDifference] = Field(description="At most 200, when the bank listed loans.")
    loan_differences_truncated: bool
    matches: bool
    created_at: datetime


class LoanReconciliationSummary(ReadModel):
    id: uuid.UUID
    province_code: str
    as_of: date
    loan_count: int
    outstanding_vnd: int
    disbursed_vnd: int
    posted_by: str
    created_at: datetime


class LoanRateRead(ReadModel):
    id: uuid.UUID
    valid_from: date
    valid_to: date | None
    rate_bp: int
    overdue_rate_pct: int
    legal_basis: str
    uncertain: bool
    note: str | None


class LoanCapRead(ReadModel):
    id: uuid.UUID
    purpose: LoanPurpose
    basis: str
    percent_of_basis: int
    max_amount_vnd: int | None
    valid_from: date
    valid_to: date | None
    legal_basis: str
    uncertain: bool
    note: str | None


class VbspIndicators(ReadModel):
    province_code: str
    year: int
    as_of: date
    outstanding_vnd: int
    loans_outstanding: int
    borrowers: int = Field(description="Distinct borrowers (by blind index) with a balance outstanding.")
    disbursed_in_year_vnd: int
    planned_disbursement_vnd: int | None
    disbursed_against_plan_pct: float | None
    overdue_vnd: int
    overdue_ratio_pct: float | None = Field(description="Overdue principal over outstanding, in percent.")
    eligibility_pending: int
    open_exceptions: int

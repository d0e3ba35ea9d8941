"""The provincial budget entrusted to the VBSP branch (ủy thác, Circular 11/2017/TT-BTC as amended by
84/2025/TT-BTC): contracts, yearly transfers and the bank's utilisation reports."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin, VersionedMixin


class EntrustmentContract(Audited, IdMixin, TimestampMixin, VersionedMixin, FundingBase):
    """A contract between the PPC-designated agency and the provincial VBSP branch (province-level)."""

    __tablename__ = "entrustment_contract"
    __table_args__ = (
        UniqueConstraint("province_code", "contract_number"),
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    province_code: Mapped[str] = mapped_column(String(2))
    contract_number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date] = mapped_column(Date)
    entrusting_party: Mapped[str] = mapped_column(String(200))
    bank_branch: Mapped[str] = mapped_column(String(200))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class EntrustmentTransfer(Audited, IdMixin, TimestampMixin, FundingBase):
    """One yearly tranche of the budget moved to the bank, by a decision. Immutable once recorded."""

    __tablename__ = "entrustment_transfer"
    __table_args__ = (
        UniqueConstraint("contract_id", "decision_number"),
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint("fiscal_year BETWEEN 2000 AND 2100", name="fiscal_year_plausible"),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    # Indexed by the unique (contract_id, decision_number) constraint, which leads with it.
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entrustment_contract.id", ondelete="RESTRICT"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    decision_number: Mapped[str] = mapped_column(String(50))
    decision_date: Mapped[date] = mapped_column(Date)
    transferred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class EntrustmentUtilisationReport(Audited, IdMixin, TimestampMixin, FundingBase):
    """What the bank reports it did with the entrusted capital over a period. Immutable; one per period."""

    __tablename__ = "entrustment_utilisation_report"
    __table_args__ = (
        UniqueConstraint(
            "contract_id", "period_start", "period_end", name="uq_entrustment_utilisation_report_period"
        ),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
        CheckConstraint(
            "lent_vnd >= 0 AND outstanding_vnd >= 0 AND repaid_vnd >= 0 AND returned_vnd >= 0 "
            "AND borrowers >= 0",
            name="amounts_not_negative",
        ),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("entrustment_contract.id", ondelete="RESTRICT"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    lent_vnd: Mapped[int] = mapped_column(BigInteger)  # disbursed from the entrusted capital in the period
    borrowers: Mapped[int] = mapped_column(Integer)  # borrowers with a loan from it at the period's end
    outstanding_vnd: Mapped[int] = mapped_column(BigInteger)  # at the period's end
    repaid_vnd: Mapped[int] = mapped_column(BigInteger)  # repaid by borrowers in the period
    returned_vnd: Mapped[int] = mapped_column(BigInteger)  # returned to the budget in the period
    submitted_by: Mapped[str] = mapped_column(String(200))  # the token's client id (the bank) or subject
    note: Mapped[str | None] = mapped_column(Text)

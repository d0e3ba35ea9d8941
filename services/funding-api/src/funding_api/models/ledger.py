"""The double-entry ledger: accounts, and immutable journal entries whose lines balance.

Balances are never stored: they are the sum of an account's lines (the `ledger_account_balance`
view). The database refuses an unbalanced entry (a deferred constraint trigger), an account whose
normal balance would go below zero, and any UPDATE or DELETE of a journal row: see the migration
`f0a1b2c3d401` and docs/rules/funding-ledger-and-allocations.md.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin


class LedgerAccountKind(StrEnum):
    SOURCE_INFLOW = "source_inflow"  # credit-normal: what a source has received from outside
    SOURCE_CASH = "source_cash"  # debit-normal: what a source still has to allocate
    ALLOCATION = "allocation"  # debit-normal: allocated to a funding line, not yet disbursed
    DISBURSED = "disbursed"  # debit-normal: paid out under a funding line


CREDIT_NORMAL_KINDS = frozenset({LedgerAccountKind.SOURCE_INFLOW})


class JournalEntryKind(StrEnum):
    RECEIPT = "receipt"  # money received into a source
    ALLOCATION = "allocation"  # source -> funding line
    DISBURSEMENT = "disbursement"  # funding line -> paid out
    REVERSAL = "reversal"  # the mirror of an earlier entry (the only way to correct one)


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


class LedgerAccount(Audited, IdMixin, FundingBase):
    __tablename__ = "ledger_account"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('source_inflow', 'source_cash', 'allocation', 'disbursed')", name="kind_known"
        ),
        CheckConstraint(
            "(kind IN ('allocation', 'disbursed')) = (allocation_id IS NOT NULL)", name="allocation_iff_line"
        ),
        Index(
            "uq_ledger_account_source_kind",
            "source_id",
            "kind",
            unique=True,
            postgresql_where="allocation_id IS NULL",
        ),
        Index(
            "uq_ledger_account_allocation_kind",
            "allocation_id",
            "kind",
            unique=True,
            postgresql_where="allocation_id IS NOT NULL",
        ),
    )

    kind: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_source.id"))
    allocation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("funding_allocation.id"))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class JournalEntry(Audited, IdMixin, FundingBase):
    __tablename__ = "journal_entry"
    __table_args__ = (
        CheckConstraint("kind IN ('receipt', 'allocation', 'disbursement', 'reversal')", name="kind_known"),
        CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)", name="reversal_names_entry"),
        Index("ix_journal_entry_source_booked", "source_id", "booked_on"),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    kind: Mapped[str] = mapped_column(String(20))
    booked_on: Mapped[date] = mapped_column(Date)  # the local date the money moved
    description: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(100))  # payment order, receipt or decision number
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_source.id"))
    allocation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("funding_allocation.id"), index=True)
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("funding_commitment.id"))
    # An entry is reversed at most once (unique); a reversal itself is never reversed (service rule).
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("journal_entry.id"), unique=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    commune_code: Mapped[str | None] = mapped_column(String(5))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class JournalLine(Audited, IdMixin, FundingBase):
    __tablename__ = "journal_line"
    __table_args__ = (
        CheckConstraint("side IN ('debit', 'credit')", name="side_known"),
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("journal_entry.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ledger_account.id"), index=True)
    side: Mapped[str] = mapped_column(String(6))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)

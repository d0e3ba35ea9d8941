from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from funding_api.models import JournalEntryKind, LedgerAccountKind, Side
from servicekit.schemas import ReadModel, WriteModel

AmountVnd = Annotated[int, Field(gt=0, le=10**15, description="Integer VND.", examples=[60_000_000])]
Reference = Annotated[str, Field(min_length=1, max_length=100, examples=["UNC-2025/0142"])]
Description = Annotated[str, Field(min_length=1, max_length=500)]


class ReceiptCreate(WriteModel):
    """Money that reached a source (a treasury transfer, a donation received)."""

    source_id: uuid.UUID
    amount_vnd: AmountVnd
    received_on: date = Field(description="The local date the money arrived.")
    commitment_id: uuid.UUID | None = Field(
        default=None, description="The pledge or appropriation this money honours, if any."
    )
    reference: Reference | None = None
    description: Description | None = None


class ReversalCreate(WriteModel):
    """Why the entry is wrong; the reversal mirrors every line of it."""

    reason: Description
    booked_on: date | None = Field(default=None, description="Defaults to the original entry's date.")


class JournalLineRead(ReadModel):
    id: uuid.UUID
    account_id: uuid.UUID
    account_kind: LedgerAccountKind
    side: Side
    amount_vnd: int


class JournalEntryRead(ReadModel):
    id: uuid.UUID
    kind: JournalEntryKind
    booked_on: date
    description: str
    reference: str | None
    source_id: uuid.UUID
    allocation_id: uuid.UUID | None
    commitment_id: uuid.UUID | None
    reverses_id: uuid.UUID | None
    province_code: str
    commune_code: str | None
    created_by: str
    created_at: datetime
    amount_vnd: int = Field(description="The sum of the debits (= the sum of the credits).")
    lines: list[JournalLineRead]


class LedgerAccountRead(ReadModel):
    id: uuid.UUID
    kind: LedgerAccountKind
    source_id: uuid.UUID
    allocation_id: uuid.UUID | None
    province_code: str
    debit_vnd: int
    credit_vnd: int
    balance_vnd: int = Field(
        description="The normal balance, summed from the lines (credits minus debits for source_inflow)."
    )

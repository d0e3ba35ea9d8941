from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from funding_api.models import AllocationTarget, FundingSourceKind
from servicekit.schemas import ReadModel, WriteModel

AmountVnd = Annotated[int, Field(gt=0, le=10**15, description="Integer VND.", examples=[60_000_000])]
Programme = Annotated[str, Field(pattern=r"^[a-z0-9_]{3,100}$", examples=["xoa_nha_tam_2024_2025"])]


class FundingLineStatus(StrEnum):
    ALLOCATED = "allocated"  # nothing paid out yet
    PARTIALLY_DISBURSED = "partially_disbursed"
    DISBURSED = "disbursed"  # all of it paid out
    CANCELLED = "cancelled"  # the allocation was reversed


class AllocationCreate(WriteModel):
    """Earmark money of one source for a support case, a housing project (registry-api's ids) or a
    programme. Exactly the id that `target_kind` names is sent."""

    source_id: uuid.UUID
    target_kind: AllocationTarget
    support_case_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    programme: Programme | None = None
    amount_vnd: AmountVnd
    decision_number: str = Field(min_length=1, max_length=50, examples=["512/QĐ-UBND"])
    decision_date: date = Field(description="The allocation decision's local date (the booking date).")
    note: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _one_target(self) -> AllocationCreate:
        wanted = {
            AllocationTarget.SUPPORT_CASE: "support_case_id",
            AllocationTarget.HOUSING_PROJECT: "project_id",
            AllocationTarget.PROGRAMME: "programme",
        }
        for kind, field in wanted.items():
            present = getattr(self, field) is not None
            if present != (kind is self.target_kind):
                raise ValueError(
                    f"target_kind {self.target_kind.value} needs {wanted[self.target_kind]} only"
                )
        return self


class DisbursementCreate(WriteModel):
    amount_vnd: AmountVnd
    disbursed_on: date = Field(description="The local date the money was paid out.")
    reference: str = Field(
        min_length=1, max_length=100, examples=["UNC-2025/0311"], description="Payment order."
    )
    description: str | None = Field(default=None, max_length=500)


class AllocationRead(ReadModel):
    id: uuid.UUID
    source_id: uuid.UUID
    source_kind: FundingSourceKind
    target_kind: AllocationTarget
    support_case_id: uuid.UUID | None
    project_id: uuid.UUID | None
    programme: str | None
    province_code: str
    commune_code: str | None
    decision_number: str
    decision_date: date
    note: str | None
    amount_vnd: int = Field(description="Allocated (net of reversals), from the ledger.")
    disbursed_vnd: int = Field(description="Paid out (net of reversals), from the ledger.")
    undisbursed_vnd: int
    status: FundingLineStatus
    created_at: datetime


class FundingLineRead(ReadModel):
    """The contract registry-api reads (`clients/funding.py`): `source_kind`, `amount_vnd`, `status`."""

    id: uuid.UUID
    source_id: uuid.UUID
    source_kind: FundingSourceKind
    amount_vnd: int = Field(description="Allocated (net of reversals).")
    disbursed_vnd: int
    status: FundingLineStatus
    support_case_id: uuid.UUID | None
    project_id: uuid.UUID | None
    programme: str | None

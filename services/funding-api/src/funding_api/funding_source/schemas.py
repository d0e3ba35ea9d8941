from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from funding_api.models import FundingSourceKind
from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
Name = Annotated[str, Field(min_length=1, max_length=200, examples=["Ngân sách thành phố Hải Phòng 2026"])]
DecisionNumber = Annotated[str, Field(min_length=1, max_length=50, examples=["1234/QĐ-UBND"])]
Note = Annotated[str, Field(max_length=4000)]


class FundingSourceCreate(WriteModel):
    province_code: ProvinceCode = Field(description="The province the source belongs to; you must cover it.")
    kind: FundingSourceKind
    name: Name
    decision_number: DecisionNumber | None = Field(
        default=None, description="The decision that created or appropriated the source."
    )
    decision_date: date | None = Field(default=None, description="The decision's date (a local date).")
    note: Note | None = None
    active: bool = True


class FundingSourceUpdate(WriteModel):
    """Send only the fields to change. The province cannot change; `null` clears an optional field."""

    kind: FundingSourceKind | None = None
    name: Name | None = None
    decision_number: DecisionNumber | None = None
    decision_date: date | None = None
    note: Note | None = None
    active: bool | None = None

    @field_validator("kind", "name", "active")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving them out is fine, clearing them is not.
        if value is None:
            raise ValueError("may not be null")
        return value


class FundingSourceRead(ReadModel):
    id: uuid.UUID
    province_code: str = Field(examples=["31"])
    kind: FundingSourceKind
    name: str
    decision_number: str | None
    decision_date: date | None
    note: str | None
    active: bool
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to update.")
    created_at: datetime
    updated_at: datetime

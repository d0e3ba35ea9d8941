from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from funding_api.models import CommitmentKind, ContributorKind, FundingSourceKind
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


TaxCode = Annotated[str, Field(pattern=r"^\d{10}(-\d{3})?$", examples=["0800123456"])]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["KR"])]
Issuer = Annotated[str, Field(min_length=1, max_length=200, examples=["UBND tỉnh Hải Dương"])]


class ContributorCreate(WriteModel):
    """An enterprise or organisation that pledges money (never a private person: they are not named)."""

    province_code: ProvinceCode
    kind: ContributorKind
    name: Name
    tax_code: TaxCode | None = Field(default=None, description="An enterprise's tax code (mã số thuế).")
    country_code: CountryCode | None = Field(
        default=None, description="ISO 3166-1 alpha-2, for foreign givers."
    )
    note: Note | None = None


class ContributorRead(ReadModel):
    id: uuid.UUID
    province_code: str
    kind: ContributorKind
    name: str
    tax_code: str | None
    country_code: str | None
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class CommitmentCreate(WriteModel):
    """A pledge (a contributor's promise) or an appropriation (a budget decision) for one fiscal year."""

    source_id: uuid.UUID
    kind: CommitmentKind
    contributor_id: uuid.UUID | None = Field(default=None, description="Only for a pledge: who pledged.")
    fiscal_year: int = Field(ge=2000, le=2100, examples=[2025])
    amount_vnd: int = Field(gt=0, le=10**15, description="Integer VND.", examples=[73_500_000_000])
    decision_number: DecisionNumber
    decision_date: date = Field(description="The decision's local date.")
    decision_issuer: Issuer
    note: Note | None = None


class CommitmentRead(ReadModel):
    id: uuid.UUID
    source_id: uuid.UUID
    contributor_id: uuid.UUID | None
    province_code: str
    kind: CommitmentKind
    fiscal_year: int
    amount_vnd: int
    decision_number: str
    decision_date: date
    decision_issuer: str
    note: str | None
    created_at: datetime

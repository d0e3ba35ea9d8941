from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import Field, field_validator, model_validator

from registry_api.models import CategoryKind, MeritType
from servicekit.schemas import ReadModel, WriteModel

CertificateNumber = Annotated[str, Field(min_length=1, max_length=60, examples=["125/QĐ-UBND"])]
Issuer = Annotated[str, Field(min_length=1, max_length=200, examples=["Chủ tịch UBND phường Thuỷ Nguyên"])]
Note = Annotated[str, Field(max_length=2000)]
StatusYear = Annotated[int, Field(ge=2000, le=2100, examples=[2026])]


class CategoryCreate(WriteModel):
    """What each kind needs:

    - `merit`: `person_id` and `merit_type`;
    - `martyr_relative`: `person_id`;
    - `poor` / `near_poor`: the `year` the status is for (a household status: leave `person_id` out);
      the standard for that year is used unless `poverty_standard_code` names one covering it.

    `valid_to` (inclusive) defaults to 31 December of that year for a poverty status, and to
    open-ended otherwise.
    """

    kind: CategoryKind
    person_id: uuid.UUID | None = Field(default=None, description="A current member of the household.")
    merit_type: MeritType | None = None
    year: StatusYear | None = None
    poverty_standard_code: str | None = Field(default=None, max_length=40, examples=["ND07_2021"])
    certificate_number: CertificateNumber
    certificate_date: date
    issuer: Issuer
    valid_from: date
    valid_to: date | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _fields_fit_the_kind(self) -> Self:
        person_kind = self.kind in (CategoryKind.MERIT, CategoryKind.MARTYR_RELATIVE)
        if person_kind and self.person_id is None:
            raise ValueError(f"a {self.kind.value} category names the person (person_id)")
        if not person_kind and self.person_id is not None:
            raise ValueError("a poverty status belongs to the household: leave person_id out")
        if (self.kind is CategoryKind.MERIT) != (self.merit_type is not None):
            raise ValueError("merit_type is given exactly for the merit kind")
        if person_kind and (self.year is not None or self.poverty_standard_code is not None):
            raise ValueError("year and poverty_standard_code are for poor and near-poor statuses")
        if not person_kind and self.year is None:
            raise ValueError("a poverty status needs the year it is for")
        return self


class CategoryUpdate(WriteModel):
    """Corrections and the end of validity (e.g. a household leaving poverty); the kind, person and
    year do not change - record a new category instead."""

    certificate_number: CertificateNumber | None = None
    certificate_date: date | None = None
    issuer: Issuer | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    note: Note | None = None

    @field_validator("certificate_number", "certificate_date", "issuer", "valid_from")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Runs only for fields that were sent: leaving them out is fine, clearing them is not.
        if value is None:
            raise ValueError("may not be null")
        return value


class CategoryRead(ReadModel):
    id: uuid.UUID
    household_id: uuid.UUID
    person_id: uuid.UUID | None
    kind: CategoryKind
    merit_type: MeritType | None
    year: int | None
    poverty_standard_id: uuid.UUID | None
    certificate_number: str
    certificate_date: date
    issuer: str
    valid_from: date
    valid_to: date | None = Field(description="The last day of validity (inclusive); null while it lasts.")
    note: str | None
    province_code: str
    commune_code: str
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to update.")
    created_at: datetime
    updated_at: datetime


class PovertyStandardRead(ReadModel):
    id: uuid.UUID
    code: str = Field(examples=["ND07_2021"])
    name: str
    legal_basis: str = Field(examples=["Nghị định 07/2021/NĐ-CP ngày 27/01/2021"])
    issued_on: date
    in_force_on: date | None
    first_year: int = Field(description="The first year poverty statuses are assessed under it.")
    last_year: int | None = Field(description="The last such year (inclusive); null while current.")
    rural_income_threshold_vnd: int = Field(description="Income per person per month, VND.")
    urban_income_threshold_vnd: int
    poor_min_deprivations: int
    note: str | None

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, model_validator

from registry_api.admin_unit.schemas import Boundaries
from servicekit.schemas import ReadModel, WriteModel

Year = Annotated[int, Field(ge=2000, le=2100)]


class AreaScheme(StrEnum):
    CURRENT = "2025"
    LEGACY = "legacy"


class Certainty(StrEnum):
    CONFIRMED = "confirmed"
    UNCERTAIN = "uncertain"  # not confirmed against the official text


class HousingTargetCreate(WriteModel):
    """A new target, or (with `supersedes_id`) a new version of one for the same area, period and year.
    Targets are never edited in place."""

    code: str = Field(min_length=1, max_length=60, pattern=r"^[A-Z0-9_]+$", examples=["HD_2026_2030_V2"])
    area_code: str = Field(pattern=r"^\d{2}$", examples=["30"], description="Province code in its scheme.")
    area_scheme: AreaScheme
    province_code: str = Field(
        pattern=r"^\d{2}$", examples=["31"], description="The 2025 province now responsible for it."
    )
    period_start_year: Year
    period_end_year: Year
    year: Year | None = Field(default=None, description="A yearly target within the period.")
    units: int = Field(gt=0, le=10_000_000)
    legal_basis: str = Field(min_length=1, max_length=300)
    issued_on: date
    certainty: Certainty
    note: str | None = Field(default=None, max_length=2000)
    supersedes_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.period_end_year < self.period_start_year:
            raise ValueError("period_end_year is before period_start_year")
        if self.year is not None and not self.period_start_year <= self.year <= self.period_end_year:
            raise ValueError("year lies outside the period")
        if self.area_scheme is AreaScheme.CURRENT and self.area_code != self.province_code:
            raise ValueError("a 2025 target's province_code is its area_code")
        return self


class HousingTargetRead(ReadModel):
    id: uuid.UUID
    code: str
    area_code: str
    area_scheme: AreaScheme
    province_code: str
    period_start_year: int
    period_end_year: int
    year: int | None
    units: int
    legal_basis: str
    issued_on: date
    certainty: Certainty
    note: str | None
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None = Field(description="Set once a newer version replaces it.")
    created_at: datetime


class YearProgress(BaseModel):
    year: int
    started_units: int
    completed_units: int


class AreaProgress(BaseModel):
    code: str | None = Field(description="The unit's code in the boundaries asked for; null: unplaced.")
    name: str | None
    started_units: int
    completed_units: int
    target_units: int | None = Field(description="The current whole-period target for this unit, if any.")
    years: list[YearProgress]


class Progress(BaseModel):
    period_start_year: int
    period_end_year: int
    boundaries: Boundaries
    areas: list[AreaProgress]
    targets: list[HousingTargetRead] = Field(description="The current targets for this period.")

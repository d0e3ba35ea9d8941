from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from registry_api.models import DwellingClass, LandStatus, Material, StructureState
from servicekit.schemas import ReadModel, WriteModel

Note = Annotated[str, Field(max_length=2000)]


class DwellingCreate(WriteModel):
    """The house the household lives in from `since` (a local date). It becomes the household's
    current dwelling; the previous one ends the day before and keeps its assessments."""

    since: date
    built_year: int | None = Field(default=None, ge=1800, le=2100)
    note: Note | None = None


class DwellingRead(ReadModel):
    id: uuid.UUID
    household_id: uuid.UUID
    since: date
    ended_on: date | None
    built_year: int | None
    note: str | None
    province_code: str
    commune_code: str | None
    legacy_area_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class StructureFacts(WriteModel):
    material: Material
    state: StructureState


class AssessmentCreate(WriteModel):
    """The facts found on `assessed_on`. The classification is computed under the rule set valid that
    day; an assessment is never changed afterwards (assess again instead)."""

    assessed_on: date
    assessor: str = Field(min_length=1, max_length=200, examples=["Tổ khảo sát phường Thuỷ Nguyên"])
    floor_area_m2: Annotated[
        Decimal,
        Field(gt=0, le=10_000, max_digits=7, decimal_places=2, examples=["24.50"]),
        AfterValidator(lambda v: v.quantize(Decimal("0.01"))),  # answered as stored: two decimals
    ]
    residents: int = Field(ge=1, le=100, description="People living in the house.")
    foundation: StructureFacts
    frame_walls: StructureFacts
    roof: StructureFacts
    land_status: LandStatus
    note: Note | None = None


class StructureRead(ReadModel):
    material: Material
    state: StructureState


class AssessmentRead(ReadModel):
    id: uuid.UUID
    dwelling_id: uuid.UUID
    household_id: uuid.UUID
    rule_set_id: uuid.UUID
    rule_set_code: str
    assessed_on: date
    assessor: str
    floor_area_m2: Decimal
    residents: int
    foundation: StructureRead
    frame_walls: StructureRead
    roof: StructureRead
    land_status: LandStatus
    classification: DwellingClass
    qualifies: bool = Field(description="Not adequate, and on undisputed residential land.")
    criteria: list[str] = Field(description="The criteria that fired, e.g. `area_family`.")
    note: str | None
    province_code: str
    commune_code: str | None
    created_at: datetime


class DwellingRuleSetRead(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    single_person_min_area_m2: Decimal
    family_min_area_m2: Decimal
    family_min_area_per_person_m2: Decimal
    min_failing_structures: int
    min_unsafe_structures_dilapidated: int
    note: str | None


class DwellingUpdate(WriteModel):
    """Correct the year built or the note; the period changes only by recording a new dwelling."""

    built_year: int | None = Field(default=None, ge=1800, le=2100)
    note: Note | None = None

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from registry_api.models import FloorAreaBand, Milestone, ProjectKind, UnitKind
from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["10525"])]


class PlannedUnits(WriteModel):
    unit_kind: UnitKind
    floor_area_band: FloorAreaBand
    units: int = Field(gt=0, le=100_000)


class PlannedUnitsRead(ReadModel):
    unit_kind: UnitKind
    floor_area_band: FloorAreaBand
    units: int


class HousingProjectCreate(WriteModel):
    """A project as approved: milestones and the sale publication are recorded later by actions."""

    name: str = Field(min_length=1, max_length=300, examples=["Nhà ở xã hội Thạch Khôi"])
    investor: str = Field(min_length=1, max_length=300)
    address: str = Field(min_length=1, max_length=300)
    province_code: ProvinceCode
    commune_code: CommuneCode
    legacy_area_code: str | None = Field(default=None, pattern=r"^\d{2,5}$", examples=["10532"])
    kind: ProjectKind
    land_area_m2: int = Field(gt=0, le=10_000_000, description="Land area, m² (integer).")
    commercial_project_ref: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="The commercial project (held by inspection-api) whose 20% land fund this uses.",
    )
    planned_units: list[PlannedUnits] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _one_row_per_kind_and_band(self) -> Self:
        keys = [(u.unit_kind, u.floor_area_band) for u in self.planned_units]
        if len(set(keys)) != len(keys):
            raise ValueError("one planned_units row per unit_kind and floor_area_band")
        return self


class MilestoneRecord(WriteModel):
    milestone: Milestone
    on: date = Field(description="The local date the milestone was reached.")


class SalePublication(WriteModel):
    """D100 Art. 38: the investor publishes the sale (within 30 days of the construction start)."""

    published_on: date
    published_where: str = Field(
        min_length=1, max_length=300, examples=["Cổng thông tin điện tử Sở Xây dựng Hải Phòng"]
    )
    opens_on: date = Field(description="First day applications are taken.")
    closes_on: date = Field(description="Last day applications are taken (inclusive).")


class HousingProjectRead(ReadModel):
    id: uuid.UUID
    name: str
    investor: str
    address: str
    province_code: str
    commune_code: str
    legacy_area_code: str | None
    kind: ProjectKind
    land_area_m2: int
    commercial_project_ref: str | None
    planned_units_total: int
    planned_units: list[PlannedUnitsRead]
    approved_on: date | None
    started_on: date | None
    completed_on: date | None
    handed_over_on: date | None
    sale_published_on: date | None
    sale_published_where: str | None
    sale_opens_on: date | None
    sale_closes_on: date | None
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match.")
    created_at: datetime
    updated_at: datetime

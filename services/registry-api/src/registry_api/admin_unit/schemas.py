from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from registry_api.models import AdminUnitLevel, AdminUnitMappingKind, AdminUnitScheme, UnitResolutionStatus
from servicekit.schemas import ReadModel, WriteModel

Code = Annotated[str, Field(pattern=r"^\d{2}$|^\d{3}$|^\d{5}$", examples=["31", "11560"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["10525"])]
Note = Annotated[str, Field(min_length=1, max_length=1000)]


class Boundaries(StrEnum):
    """Count by the 2025 units (`new`) or by the units before 1 July 2025 (`old`)."""

    NEW = "new"
    OLD = "old"


class RollUpLevel(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"


class AdminUnitRead(ReadModel):
    scheme: AdminUnitScheme
    level: AdminUnitLevel
    code: str = Field(examples=["11560"])
    name: str = Field(examples=["Phường Thuỷ Nguyên"])
    division_type: str = Field(examples=["phường"])
    codename: str
    parent_code: str | None = Field(
        examples=["31"], description="The province of a 2025 commune; the district of a legacy commune."
    )
    province_code: str = Field(examples=["31"], description="The province the unit lies in, in its scheme.")
    valid_from: date
    valid_to: date | None = Field(description="The last day the unit existed; null while it exists.")
    source: str = Field(description="The package and version the unit was loaded from.")


class ResolvedUnit(BaseModel):
    """Where an old unit went, when it went whole to one new unit."""

    legacy_unit: AdminUnitRead
    unit: AdminUnitRead = Field(description="The 2025 unit the old one is now part of.")
    kind: AdminUnitMappingKind = Field(description="Always `whole` here: a split unit is a 409.")
    merged: bool = Field(description="Whether the new unit also took other old units, whole or in part.")


class UnitResolutionCreate(WriteModel):
    source_service: str = Field(
        pattern=r"^[a-z][a-z0-9-]{1,39}$",
        examples=["registry-api"],
        description="The service that holds the record.",
    )
    resource_type: str = Field(pattern=r"^[a-z][a-z0-9_.-]{0,79}$", examples=["household"])
    resource_id: str = Field(
        pattern=r"^[\x21-\x7e]{1,80}$", examples=["0190f3c2-7d1e-7b4a-9c1e-2f9a1b3c4d5e"]
    )
    legacy_area_code: CommuneCode = Field(
        description="The legacy commune the record was recorded under; it must be one that was split."
    )
    note: Note | None = Field(default=None, description="What may help the officer choose (no citizen IDs).")


class UnitResolutionResolve(WriteModel):
    commune_code: CommuneCode = Field(description="The chosen 2025 commune: one of `candidate_codes`.")
    note: Note | None = None


class UnitResolutionRead(ReadModel):
    id: uuid.UUID
    source_service: str
    resource_type: str
    resource_id: str
    legacy_area_code: str = Field(examples=["10528"], description="The legacy commune recorded under.")
    candidate_codes: list[str] = Field(
        examples=[["10532", "10537"]], description="The 2025 communes the legacy commune was split among."
    )
    province_code: str = Field(examples=["31"], description="The 2025 province of every candidate.")
    commune_code: str | None = Field(description="The chosen commune; null while pending.")
    status: UnitResolutionStatus
    note: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to resolve.")
    created_at: datetime
    updated_at: datetime


class AreaCount(BaseModel):
    code: str | None = Field(description="The unit's code; null for rows that cannot be placed in one.")
    name: str | None
    count: int


class AreaCounts(BaseModel):
    boundaries: Boundaries
    level: RollUpLevel
    items: list[AreaCount]

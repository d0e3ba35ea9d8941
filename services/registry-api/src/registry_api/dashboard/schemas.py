from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from registry_api.admin_unit.schemas import AreaCount, Boundaries, RollUpLevel


class SupportCaseDimension(StrEnum):
    STREAM = "stream"
    KIND = "kind"
    STATUS = "status"


class CountGroup(BaseModel):
    key: str = Field(description="The value counted (a category kind, a stream, a kind or a status).")
    total: int
    items: list[AreaCount] = Field(description="Per unit of the boundaries and level asked, by code.")


class HouseholdCategoryCounts(BaseModel):
    boundaries: Boundaries
    level: RollUpLevel
    on: date = Field(description="Categories valid on this local date; open households only.")
    groups: list[CountGroup] = Field(
        description="`all` (every open household), then one group per category kind that has households."
    )


class SupportCaseCounts(BaseModel):
    boundaries: Boundaries
    level: RollUpLevel
    by: SupportCaseDimension
    proposed_from: date | None
    proposed_to: date | None
    groups: list[CountGroup]

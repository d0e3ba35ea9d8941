from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

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


class DwellingCondition(StrEnum):
    """The class of a household's current dwelling by its latest assessment (Decision 55/QĐ-BXD)."""

    TEMPORARY = "temporary"
    DILAPIDATED = "dilapidated"
    ADEQUATE = "adequate"
    NOT_ASSESSED = "not_assessed"


class HouseholdConditionCounts(BaseModel):
    boundaries: Boundaries
    level: RollUpLevel
    on: date = Field(description="Households open on this local date, their dwelling and assessment then.")
    groups: list[CountGroup] = Field(
        description="`all` (every household open that day), then `temporary`, `dilapidated`, `adequate` "
        "and `not_assessed`, always in that order (empty groups have total 0)."
    )


class Interval(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PeriodCount(BaseModel):
    period_end: date = Field(description="The last day of the calendar period, or `to` for the last one.")
    total: int
    items: list[AreaCount] = Field(description="Per unit of the boundaries and level asked, by code.")


class TemporaryHousesRemaining(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    boundaries: Boundaries
    level: RollUpLevel
    interval: Interval
    from_: date = Field(alias="from")
    to: date
    periods: list[PeriodCount] = Field(
        description="One per calendar period from the one holding `from` to the one holding `to`, in order; "
        "households whose dwelling qualified then and had no accepted support case by the period end."
    )

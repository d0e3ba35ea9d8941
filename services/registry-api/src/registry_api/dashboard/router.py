from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.dashboard.errors import PeriodInvalid, PeriodTooLong
from registry_api.dashboard.permissions import DashboardRead
from registry_api.dashboard.schemas import (
    HouseholdCategoryCounts,
    HouseholdConditionCounts,
    Interval,
    SupportCaseCounts,
    SupportCaseDimension,
    TemporaryHousesRemaining,
)
from registry_api.dashboard.service import dashboard_service
from registry_api.person.service import local_today
from servicekit.errors import error_responses
from servicekit.schemas import IsoDate
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("/households-by-category", response_model=HouseholdCategoryCounts, responses=error_responses())
async def households_by_category(
    session: SessionDep,
    caller: DashboardRead,
    on: IsoDate | None = None,
    boundaries: Boundaries = Boundaries.NEW,
    level: RollUpLevel = RollUpLevel.COMMUNE,
) -> HouseholdCategoryCounts:
    """Open households of your area per unit: all of them, and those holding each beneficiary category
    valid on `on` (today by default). A household with two categories counts in both groups."""
    day = on or local_today()
    groups = await dashboard_service.households_by_category(
        session, caller, on=day, boundaries=boundaries, level=level
    )
    return HouseholdCategoryCounts(boundaries=boundaries, level=level, on=day, groups=groups)


@router.get("/support-cases", response_model=SupportCaseCounts, responses=error_responses(PeriodInvalid))
async def support_cases_by_area(
    session: SessionDep,
    caller: DashboardRead,
    by: SupportCaseDimension = SupportCaseDimension.STATUS,
    proposed_from: IsoDate | None = None,
    proposed_to: IsoDate | None = None,
    boundaries: Boundaries = Boundaries.NEW,
    level: RollUpLevel = RollUpLevel.COMMUNE,
) -> SupportCaseCounts:
    """Support cases of your area proposed in the period, per unit and per stream, kind or status."""
    groups = await dashboard_service.support_cases(
        session,
        caller,
        by=by,
        proposed_from=proposed_from,
        proposed_to=proposed_to,
        boundaries=boundaries,
        level=level,
    )
    return SupportCaseCounts(
        boundaries=boundaries,
        level=level,
        by=by,
        proposed_from=proposed_from,
        proposed_to=proposed_to,
        groups=groups,
    )


@router.get(
    "/households-by-dwelling-condition", response_model=HouseholdConditionCounts, responses=error_responses()
)
async def households_by_dwelling_condition(
    session: SessionDep,
    caller: DashboardRead,
    on: IsoDate | None = None,
    boundaries: Boundaries = Boundaries.NEW,
    level: RollUpLevel = RollUpLevel.COMMUNE,
) -> HouseholdConditionCounts:
    """Households of your area open on `on` (today by default) per unit: all of them, then by the class
    of the dwelling they lived in that day, as its latest assessment on or before that day found it
    (`temporary`, `dilapidated`, `adequate`), or `not_assessed` (no dwelling recorded, or not assessed
    yet)."""
    day = on or local_today()
    groups = await dashboard_service.households_by_condition(
        session, caller, on=day, boundaries=boundaries, level=level
    )
    return HouseholdConditionCounts(boundaries=boundaries, level=level, on=day, groups=groups)


@router.get(
    "/temporary-houses-remaining",
    response_model=TemporaryHousesRemaining,
    responses=error_responses(PeriodInvalid, PeriodTooLong),
)
async def temporary_houses_remaining(
    session: SessionDep,
    caller: DashboardRead,
    from_: Annotated[IsoDate, Query(alias="from", description="A day of the first period.")],
    to: Annotated[IsoDate | None, Query(description="The last day counted (today by default).")] = None,
    interval: Interval = Interval.MONTH,
    boundaries: Boundaries = Boundaries.NEW,
    level: RollUpLevel = RollUpLevel.COMMUNE,
) -> TemporaryHousesRemaining:
    """Temporary and dilapidated houses remaining over time: at the end of each calendar month, quarter
    or year from `from` to `to` (the last period ends on `to`), the households of your area, open that
    day, whose dwelling then qualified for support by its latest assessment (temporary or dilapidated,
    on undisputed residential land) and had no support case accepted on or before that day."""
    end = to or local_today()
    periods = await dashboard_service.temporary_houses_remaining(
        session, caller, start=from_, end=end, interval=interval, boundaries=boundaries, level=level
    )
    return TemporaryHousesRemaining(
        boundaries=boundaries, level=level, interval=interval, from_=from_, to=end, periods=periods
    )

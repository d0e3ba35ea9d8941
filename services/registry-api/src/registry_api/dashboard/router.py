from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.dashboard.errors import PeriodInvalid
from registry_api.dashboard.permissions import DashboardRead
from registry_api.dashboard.schemas import HouseholdCategoryCounts, SupportCaseCounts, SupportCaseDimension
from registry_api.dashboard.service import dashboard_service
from registry_api.person.service import local_today
from servicekit.errors import error_responses
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("/households-by-category", response_model=HouseholdCategoryCounts, responses=error_responses())
async def households_by_category(
    session: SessionDep,
    caller: DashboardRead,
    on: date | None = None,
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
    proposed_from: date | None = None,
    proposed_to: date | None = None,
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

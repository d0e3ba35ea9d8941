"""The partner API (`/v1/partner/...`): what partner clients may read, each operation behind its scope.

Partners get allow-listed read models, never the officers' ones; statistics are aggregated with
small-cell suppression; the published list shows only what the law publishes (docs/partners.md).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.housing_project.errors import HousingProjectNotFound
from registry_api.housing_report.errors import ReportPeriodInvalid
from registry_api.housing_target.errors import PeriodUnknown
from registry_api.housing_target.router import PeriodQuery, _period
from registry_api.models import ProjectKind
from registry_api.partner.errors import PartnerScopeMissing, StatisticsPeriodInvalid
from registry_api.partner.permissions import ProjectsReader, StatisticsReader, TargetsReader
from registry_api.partner.schemas import (
    PartnerProgress,
    PartnerProject,
    PartnerProjectStatus,
    PartnerStatistics,
    PartnerTarget,
    PublishedListEntry,
)
from registry_api.partner.service import partner_service, statistics_period
from servicekit.errors import error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import QueryBool
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/partner", tags=["partner"])

AreaCode = Annotated[
    str | None,
    Query(pattern=r"^(\d{2}|\d{5})$", description="Only this province (2 digits) or commune (5 digits)."),
]


def small_cell_threshold(request: Request) -> int:
    threshold: int = request.app.state.settings.PARTNER_SMALL_CELL_THRESHOLD
    return threshold


@router.get(
    "/projects",
    response_model=Page[PartnerProject],
    responses=error_responses(PartnerScopeMissing, InvalidCursor),
)
async def list_partner_projects(
    session: SessionDep,
    caller: ProjectsReader,
    page: Pagination,
    area_code: AreaCode = None,
    kind: ProjectKind | None = None,
    status: PartnerProjectStatus | None = None,
) -> Page[PartnerProject]:
    """Social housing projects of your area (scope `registry:projects:read`): name, investor, location
    codes, kind, planned units, status, milestone dates and the sale publication. Oldest first; follow
    `next_cursor`."""
    items, next_cursor = await partner_service.list_projects(
        session,
        caller,
        page,
        area_code=area_code,
        kind=kind.value if kind else None,
        status=status.value if status else None,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/projects/{project_id}",
    response_model=PartnerProject,
    responses=error_responses(PartnerScopeMissing, HousingProjectNotFound),
)
async def get_partner_project(
    project_id: uuid.UUID, session: SessionDep, caller: ProjectsReader
) -> PartnerProject:
    """One project (scope `registry:projects:read`); outside your area it is a 404."""
    return await partner_service.get_project(session, caller, project_id)


@router.get(
    "/targets",
    response_model=Page[PartnerTarget],
    responses=error_responses(PartnerScopeMissing, InvalidCursor, PeriodUnknown),
)
async def list_partner_targets(
    session: SessionDep,
    caller: TargetsReader,
    page: Pagination,
    period: Annotated[str | None, Query(pattern=r"^(20\d\d)-(20\d\d)$", examples=["2026-2030"])] = None,
    current_only: QueryBool = True,
) -> Page[PartnerTarget]:
    """The unit targets of your province (scope `registry:targets:read`) with their legal basis, oldest
    first; by default only the current version of each."""
    items, next_cursor = await partner_service.list_targets(
        session, caller, page, current_only=current_only, period=_period(period) if period else None
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/progress", response_model=PartnerProgress, responses=error_responses(PartnerScopeMissing, PeriodUnknown)
)
async def get_partner_progress(
    session: SessionDep, caller: TargetsReader, period: PeriodQuery, boundaries: Boundaries = Boundaries.NEW
) -> PartnerProgress:
    """Units started and completed per year of the period against the targets (scope
    `registry:targets:read`), per province on the new or the old boundaries. A project's planned units
    count in the year of its `started` and of its `completed` milestone."""
    return await partner_service.progress(session, caller, _period(period), boundaries)


@router.get(
    "/statistics",
    response_model=PartnerStatistics,
    responses=error_responses(PartnerScopeMissing, StatisticsPeriodInvalid),
)
async def get_partner_statistics(
    request: Request,
    session: SessionDep,
    caller: StatisticsReader,
    period: Annotated[
        str,
        Query(
            pattern=r"^\d{4}(-Q[1-4])?$",
            examples=["2026", "2026-Q3"],
            description="A calendar year, or a quarter of one.",
        ),
    ],
    level: RollUpLevel = RollUpLevel.COMMUNE,
) -> PartnerStatistics:
    """Aggregated counts of your area for a year or a quarter, per commune or province (2025 boundaries;
    scope `registry:statistics:read`): households by beneficiary category, temporary and dilapidated
    houses remaining, support cases by stream and status, applications by project and status.

    Small-cell suppression: a count from 1 to `suppression_threshold - 1` is `null` with `suppressed`,
    and further cells of a series are hidden where a hidden one could otherwise be recovered from the
    total; in a commune, so few households identify the families."""
    return await partner_service.statistics(
        session, caller, statistics_period(period), level, small_cell_threshold(request)
    )


@router.get(
    "/published-lists/{year}",
    response_model=Page[PublishedListEntry],
    responses=error_responses(PartnerScopeMissing, ReportPeriodInvalid, InvalidCursor),
)
async def list_partner_published_list(
    session: SessionDep,
    caller: ProjectsReader,
    page: Pagination,
    year: Annotated[int, Path(ge=2000, le=2100, description="Calendar year, 2024 to this year.")],
    project_id: Annotated[uuid.UUID | None, Query(description="Only this project.")] = None,
) -> Page[PublishedListEntry]:
    """The year's published list of buyers and renters of social housing in your area (Decree
    94/2024/NĐ-CP, Directive 34/CT-TTg; scope `registry:projects:read`): per contract signed in the
    year, then per resale bought by a person, the project, the kind, the person's full name and birth
    year, the commune of residence and the date. Never a citizen ID (not even masked), a date of birth,
    an address, a phone, a spouse, a price or a contract number. Each page read is audited."""
    items, next_cursor = await partner_service.published_list(session, caller, year, page, project_id)
    return Page(items=items, next_cursor=next_cursor)

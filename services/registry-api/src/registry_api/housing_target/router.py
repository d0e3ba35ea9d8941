from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.admin_unit.schemas import Boundaries
from registry_api.household.errors import AreaNotCovered
from registry_api.housing_target.errors import (
    HousingTargetExists,
    HousingTargetNotFound,
    PeriodUnknown,
    SupersedeMismatch,
    TargetAlreadySuperseded,
)
from registry_api.housing_target.permissions import TargetsRead, TargetsWrite
from registry_api.housing_target.schemas import HousingTargetCreate, HousingTargetRead, Progress
from registry_api.housing_target.service import housing_target_service
from servicekit.errors import FieldError, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import QueryBool
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/housing-targets", tags=["housing-targets"])

PeriodQuery = Annotated[
    str,
    Query(
        pattern=r"^(20\d\d)-(20\d\d)$", examples=["2021-2025"], description="Start and end year, inclusive."
    ),
]


def _period(value: str) -> tuple[int, int]:
    start, end = (int(part) for part in value.split("-"))
    if end < start:
        raise PeriodUnknown(
            "The period ends before it starts.",
            errors=[FieldError(pointer="/query/period", code="end_before_start", message="end before start")],
        )
    return start, end


@router.post(
    "",
    status_code=201,
    response_model=HousingTargetRead,
    responses=error_responses(
        AreaNotCovered, HousingTargetExists, HousingTargetNotFound, TargetAlreadySuperseded, SupersedeMismatch
    ),
)
async def create_housing_target(
    body: HousingTargetCreate, session: SessionDep, caller: TargetsWrite, response: Response
) -> HousingTargetRead:
    """Record a target with its legal basis, or a new version of one (`supersedes_id`: same area,
    period and year; the old one then points to it). Stored targets are never edited."""
    target = await housing_target_service.create(session, caller, body)
    return HousingTargetRead.model_validate(target)


@router.get(
    "", response_model=Page[HousingTargetRead], responses=error_responses(InvalidCursor, PeriodUnknown)
)
async def list_housing_targets(
    session: SessionDep,
    _caller: TargetsRead,
    page: Pagination,
    period: Annotated[str | None, Query(pattern=r"^(20\d\d)-(20\d\d)$")] = None,
    current_only: QueryBool = True,
) -> Page[HousingTargetRead]:
    """The targets (published plans, not area-filtered), oldest first; by default only the current
    version of each."""
    rows, next_cursor = await housing_target_service.list_targets(
        session, page, current_only=current_only, period=_period(period) if period else None
    )
    return Page(items=[HousingTargetRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/progress", response_model=Progress, responses=error_responses(PeriodUnknown))
async def get_housing_target_progress(
    session: SessionDep, caller: TargetsRead, period: PeriodQuery, boundaries: Boundaries = Boundaries.NEW
) -> Progress:
    """Units started and completed per year of the period (a project's planned units count in the year
    of its `started` and of its `completed` milestone), per province on the new (31 Hải Phòng) or the
    old (30 Hải Dương, 31 Hải Phòng) boundaries, with the current targets. Only your area's projects."""
    return await housing_target_service.progress(session, caller, _period(period), boundaries)

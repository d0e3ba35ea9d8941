from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, Response

from inspection_api.deps import RegistryClientDep
from inspection_api.inspection_plan.errors import (
    CommuneNotInProvince,
    PlanExists,
    PlanNotFound,
    ProvinceNotCovered,
)
from inspection_api.inspection_plan.permissions import PlansRead, PlansWrite
from inspection_api.inspection_plan.schemas import PlanCreate, PlanItemCreate, PlanItemRead, PlanRead
from inspection_api.inspection_plan.service import inspection_plan_service
from inspection_api.models import CaseKind
from servicekit.errors import UpstreamUnavailable, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/inspection-plans", tags=["inspection-plans"])


@router.post(
    "",
    status_code=201,
    response_model=PlanRead,
    responses=error_responses(ProvinceNotCovered, PlanExists),
)
async def create_inspection_plan(
    body: PlanCreate, session: SessionDep, caller: PlansWrite, response: Response
) -> PlanRead:
    """Record a province's yearly plan of Department of Construction checks or of Inspectorate
    inspections (one per province, year and kind). You must cover the whole province."""
    plan = await inspection_plan_service.create(session, caller, body)
    set_etag(response, plan.version)
    return PlanRead.model_validate(plan)


@router.get("", response_model=Page[PlanRead], responses=error_responses(InvalidCursor))
async def list_inspection_plans(
    session: SessionDep,
    caller: PlansRead,
    page: Pagination,
    year: int | None = Query(default=None, ge=2000, le=2100),
    kind: CaseKind | None = None,
) -> Page[PlanRead]:
    """The plans of the provinces you cover, oldest first."""
    rows, next_cursor = await inspection_plan_service.list_plans(session, caller, page, year=year, kind=kind)
    return Page(items=[PlanRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=PlanRead, responses=error_responses(PlanNotFound))
async def get_inspection_plan(
    plan_id: uuid.UUID, session: SessionDep, caller: PlansRead, response: Response
) -> PlanRead:
    """One plan; a plan of a province you do not cover is a 404."""
    plan = await inspection_plan_service.get(session, caller, plan_id)
    set_etag(response, plan.version)
    return PlanRead.model_validate(plan)


@router.post(
    "/{plan_id}/items",
    status_code=201,
    response_model=PlanItemRead,
    responses=error_responses(PlanNotFound, CommuneNotInProvince, UpstreamUnavailable),
)
async def add_inspection_plan_item(
    plan_id: uuid.UUID,
    body: PlanItemCreate,
    session: SessionDep,
    caller: PlansWrite,
    registry: RegistryClientDep,
) -> PlanItemRead:
    """Add a planned check or inspection: who or what, the commune, the month. Open its case with
    `POST /v1/inspection-cases` and `plan_item_id`. registry-api confirms the commune lies in the
    plan's province (503 while it is unreachable)."""
    item = await inspection_plan_service.add_item(session, caller, plan_id, body, registry)
    return PlanItemRead.model_validate(item)


@router.get(
    "/{plan_id}/items",
    response_model=Page[PlanItemRead],
    responses=error_responses(PlanNotFound, InvalidCursor),
)
async def list_inspection_plan_items(
    plan_id: uuid.UUID, session: SessionDep, caller: PlansRead, page: Pagination
) -> Page[PlanItemRead]:
    """The items of a plan, oldest first."""
    rows, next_cursor = await inspection_plan_service.list_items(session, caller, plan_id, page)
    return Page(items=[PlanItemRead.model_validate(r) for r in rows], next_cursor=next_cursor)

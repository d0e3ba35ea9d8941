from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from inspection_api.deps import RegistryClientDep
from inspection_api.land_use_plan.errors import (
    AreaNotCovered,
    LandUsePlanDecisionMissing,
    LandUsePlanNotFound,
)
from inspection_api.land_use_plan.permissions import LandUsePlansRead, LandUsePlansWrite
from inspection_api.land_use_plan.schemas import LandUsePlanCreate, LandUsePlanRead, LandUsePlanUpdate
from inspection_api.land_use_plan.service import land_use_plan_service
from inspection_api.models import LandUsePlanLevel, LandUsePlanStatus
from inspection_api.parcel.errors import (
    DesignationAreaTooLarge,
    ParcelAlreadyDesignated,
    ParcelNotFound,
    ParcelOutsidePlan,
)
from inspection_api.parcel.schemas import DesignationCreate, DesignationRead
from inspection_api.parcel.service import parcel_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, UpstreamUnavailable, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/land-use-plans", tags=["land-use-plans"])


@router.post(
    "",
    status_code=201,
    response_model=LandUsePlanRead,
    responses=error_responses(AreaNotCovered, LandUsePlanDecisionMissing, UpstreamUnavailable),
)
async def create_land_use_plan(
    body: LandUsePlanCreate,
    session: SessionDep,
    caller: LandUsePlansWrite,
    registry: RegistryClientDep,
    response: Response,
) -> LandUsePlanRead:
    """Record a land-use plan of an area you cover: a province-wide plan (no `commune_code`) needs the
    province, a commune plan the commune or its province. registry-api confirms that the commune is a
    current commune of the province (503 while it is unreachable)."""
    plan = await land_use_plan_service.create(session, caller, body, registry)
    set_etag(response, plan.version)
    return LandUsePlanRead.model_validate(plan)


@router.get("", response_model=Page[LandUsePlanRead], responses=error_responses(InvalidCursor))
async def list_land_use_plans(
    session: SessionDep,
    caller: LandUsePlansRead,
    page: Pagination,
    level: LandUsePlanLevel | None = None,
    status: LandUsePlanStatus | None = None,
) -> Page[LandUsePlanRead]:
    """The plans in your area, oldest first. Covering a province shows all its plans; covering only a
    commune shows that commune's plans, not the province-wide ones."""
    rows, next_cursor = await land_use_plan_service.list_plans(
        session, caller, page, level=level, status=status
    )
    return Page(items=[LandUsePlanRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=LandUsePlanRead, responses=error_responses(LandUsePlanNotFound))
async def get_land_use_plan(
    plan_id: uuid.UUID, session: SessionDep, caller: LandUsePlansRead, response: Response
) -> LandUsePlanRead:
    """One land-use plan, with its `ETag`. A plan outside your area is a 404."""
    plan = await land_use_plan_service.get(session, caller, plan_id)
    set_etag(response, plan.version)
    return LandUsePlanRead.model_validate(plan)


@router.patch(
    "/{plan_id}",
    response_model=LandUsePlanRead,
    responses=error_responses(
        LandUsePlanNotFound, LandUsePlanDecisionMissing, PreconditionFailed, PreconditionRequired
    ),
)
async def update_land_use_plan(
    plan_id: uuid.UUID,
    body: LandUsePlanUpdate,
    session: SessionDep,
    caller: LandUsePlansWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> LandUsePlanRead:
    """Change a land-use plan. Send the `ETag` you read as `If-Match`; the answer carries the new one."""
    plan = await land_use_plan_service.update(session, caller, plan_id, expected_version, body)
    set_etag(response, plan.version)
    return LandUsePlanRead.model_validate(plan)


@router.post(
    "/{plan_id}/parcels",
    status_code=201,
    response_model=DesignationRead,
    responses=error_responses(
        LandUsePlanNotFound,
        ParcelNotFound,
        ParcelOutsidePlan,
        DesignationAreaTooLarge,
        ParcelAlreadyDesignated,
    ),
)
async def designate_parcel(
    plan_id: uuid.UUID, body: DesignationCreate, session: SessionDep, caller: LandUsePlansWrite
) -> DesignationRead:
    """Set a parcel (or `area_m2` of it) aside in the plan, for social housing or as a commercial
    project's 20% reserve. The parcel must lie in the plan's area; a parcel is designated once per plan."""
    record = await parcel_service.designate(session, caller, plan_id, body)
    return DesignationRead.model_validate(record)


@router.get(
    "/{plan_id}/parcels",
    response_model=Page[DesignationRead],
    responses=error_responses(LandUsePlanNotFound, InvalidCursor),
)
async def list_plan_parcels(
    plan_id: uuid.UUID, session: SessionDep, caller: LandUsePlansRead, page: Pagination
) -> Page[DesignationRead]:
    """The parcels the plan designates, with the designation and area."""
    rows, next_cursor = await parcel_service.designations(session, caller, plan_id, page)
    return Page(items=[DesignationRead.model_validate(r) for r in rows], next_cursor=next_cursor)

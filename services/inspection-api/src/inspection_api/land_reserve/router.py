from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from inspection_api.deps import RegistryClientDep
from inspection_api.land_reserve.errors import (
    CommercialProjectNotFound,
    IllegalTransition,
    LandReserveObligationNotFound,
    LandReserveRuleNotApplicable,
    MoneyInputsMissing,
    MoneyOutOfRange,
    ObligationExists,
    ProjectLandInvalid,
    ResidentialLandLocked,
    StageDateInvalid,
)
from inspection_api.land_reserve.permissions import ObligationsRead, ProjectsRead, ProjectsWrite
from inspection_api.land_reserve.schemas import (
    CommercialProjectCreate,
    CommercialProjectRead,
    CommercialProjectUpdate,
    Deadlines,
    LandReserveRuleRead,
    ObligationCreate,
    ObligationRead,
    StageBody,
)
from inspection_api.land_reserve.service import commercial_project_service, land_reserve_obligation_service
from inspection_api.land_use_plan.errors import AreaNotCovered, CommuneNotInProvince, LandUsePlanNotFound
from inspection_api.models import CommercialProjectKind, LandReserveMethod, LandReserveStatus
from inspection_api.parcel.errors import ParcelNotFound
from servicekit.errors import PreconditionFailed, PreconditionRequired, UpstreamUnavailable, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate, QueryBool
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

projects_router = APIRouter(prefix="/commercial-projects", tags=["land-reserves"])
obligations_router = APIRouter(prefix="/land-reserve-obligations", tags=["land-reserves"])
rules_router = APIRouter(prefix="/land-reserve-rules", tags=["land-reserves"])
CommuneFilter = Annotated[str | None, Query(pattern=r"^\d{5}$")]


@projects_router.post(
    "",
    status_code=201,
    response_model=CommercialProjectRead,
    responses=error_responses(
        AreaNotCovered, CommuneNotInProvince, LandUsePlanNotFound, ParcelNotFound, UpstreamUnavailable
    ),
)
async def create_commercial_project(
    body: CommercialProjectCreate,
    session: SessionDep,
    caller: ProjectsWrite,
    registry: RegistryClientDep,
    response: Response,
) -> CommercialProjectRead:
    """Record a commercial housing or urban-area project in a commune you cover (province officers).
    registry-api confirms the commune is a current commune of the province (503 while unreachable)."""
    project = await commercial_project_service.create(session, caller, body, registry)
    set_etag(response, project.version)
    return CommercialProjectRead.model_validate(project)


@projects_router.get("", response_model=Page[CommercialProjectRead], responses=error_responses(InvalidCursor))
async def list_commercial_projects(
    session: SessionDep,
    caller: ProjectsRead,
    page: Pagination,
    commune_code: CommuneFilter = None,
    kind: CommercialProjectKind | None = None,
) -> Page[CommercialProjectRead]:
    """The projects in your area, oldest first."""
    rows, next_cursor = await commercial_project_service.list_projects(
        session, caller, page, commune_code=commune_code, kind=kind
    )
    return Page(items=[CommercialProjectRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@projects_router.get(
    "/{project_id}",
    response_model=CommercialProjectRead,
    responses=error_responses(CommercialProjectNotFound),
)
async def get_commercial_project(
    project_id: uuid.UUID, session: SessionDep, caller: ProjectsRead, response: Response
) -> CommercialProjectRead:
    """One project; outside your area it is a 404."""
    project = await commercial_project_service.get(session, caller, project_id)
    set_etag(response, project.version)
    return CommercialProjectRead.model_validate(project)


@projects_router.patch(
    "/{project_id}",
    response_model=CommercialProjectRead,
    responses=error_responses(
        CommercialProjectNotFound,
        LandUsePlanNotFound,
        ParcelNotFound,
        ProjectLandInvalid,
        ResidentialLandLocked,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def update_commercial_project(
    project_id: uuid.UUID,
    body: CommercialProjectUpdate,
    session: SessionDep,
    caller: ProjectsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> CommercialProjectRead:
    """Change a project (not its area). The residential land is locked once the obligation is recorded
    (409 `residential_land_locked`). `If-Match` required."""
    project = await commercial_project_service.update(session, caller, project_id, expected_version, body)
    set_etag(response, project.version)
    return CommercialProjectRead.model_validate(project)


@rules_router.get("", response_model=Page[LandReserveRuleRead], responses=error_responses(InvalidCursor))
async def list_land_reserve_rules(
    session: SessionDep, caller: ObligationsRead, page: Pagination
) -> Page[LandReserveRuleRead]:
    """The dated rules: the share of residential land to reserve and the money formula's infrastructure
    share, with validity and legal basis (reference data, the same for every area)."""
    rows, next_cursor = await land_reserve_obligation_service.list_rules(session, page)
    return Page(items=[LandReserveRuleRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@obligations_router.post(
    "",
    status_code=201,
    response_model=ObligationRead,
    responses=error_responses(
        CommercialProjectNotFound,
        ParcelNotFound,
        ObligationExists,
        LandReserveRuleNotApplicable,
        MoneyInputsMissing,
        MoneyOutOfRange,
    ),
)
async def create_land_reserve_obligation(
    body: ObligationCreate, session: SessionDep, caller: ProjectsWrite, response: Response
) -> ObligationRead:
    """Record the method the province chose for a project's 20% obligation. The rule in force on
    `decided_on` gives the share (required area = residential land x rate, to 0.01 m²) and, for
    `pay_money`, the money: land-use fee on the required area (x `land_price_vnd_per_m2`) plus the rule's
    share of the technical-infrastructure cost, each part rounded half up to the VND. Land methods start
    `reserved_in_plan`, money `awaiting_payment`. Deadlines per stage are optional."""
    ob = await land_reserve_obligation_service.create(session, caller, body)
    set_etag(response, ob.version)
    return ObligationRead.model_validate(ob)


@obligations_router.get("", response_model=Page[ObligationRead], responses=error_responses(InvalidCursor))
async def list_land_reserve_obligations(
    session: SessionDep,
    caller: ObligationsRead,
    page: Pagination,
    overdue: Annotated[
        QueryBool | None,
        Query(description="true: the next stage's deadline (`due_on`) is before `as_of`; false: it is not."),
    ] = None,
    as_of: Annotated[
        IsoDate | None, Query(description="The local day overdue is judged on; default today.")
    ] = None,
    status: LandReserveStatus | None = None,
    method: LandReserveMethod | None = None,
    commercial_project_id: uuid.UUID | None = None,
    commune_code: CommuneFilter = None,
) -> Page[ObligationRead]:
    """The obligations in your area, oldest first; with `overdue=true`, the longest overdue first."""
    rows, next_cursor = await land_reserve_obligation_service.list_obligations(
        session,
        caller,
        page,
        overdue=overdue,
        as_of=as_of,
        status=status,
        method=method,
        commercial_project_id=commercial_project_id,
        commune_code=commune_code,
    )
    return Page(items=[ObligationRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@obligations_router.get(
    "/{obligation_id}",
    response_model=ObligationRead,
    responses=error_responses(LandReserveObligationNotFound),
)
async def get_land_reserve_obligation(
    obligation_id: uuid.UUID, session: SessionDep, caller: ObligationsRead, response: Response
) -> ObligationRead:
    """One obligation with its `ETag` (also for funding-api, which verifies housing-fund references
    against it with its service token). Unknown or outside your area: 404."""
    ob = await land_reserve_obligation_service.get(session, caller, obligation_id)
    set_etag(response, ob.version)
    return ObligationRead.model_validate(ob)


@obligations_router.post(
    "/{obligation_id}/transitions",
    response_model=ObligationRead,
    responses=error_responses(
        LandReserveObligationNotFound,
        IllegalTransition,
        StageDateInvalid,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def advance_land_reserve_obligation(
    obligation_id: uuid.UUID,
    body: StageBody,
    session: SessionDep,
    caller: ProjectsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> ObligationRead:
    """Record that the obligation reached its next stage on `on` (default today; not in the future, not
    before the previous stage). Land: reserved_in_plan -> infrastructure_built -> cleared ->
    investor_assigned -> started; money: awaiting_payment -> paid. Any other target is a 409 whose code
    names the current status (`land_reserve_obligation_is_<status>`). `If-Match` required."""
    ob = await land_reserve_obligation_service.advance(
        session, caller, obligation_id, expected_version, body.status, body.on
    )
    set_etag(response, ob.version)
    return ObligationRead.model_validate(ob)


@obligations_router.patch(
    "/{obligation_id}",
    response_model=ObligationRead,
    responses=error_responses(LandReserveObligationNotFound, PreconditionFailed, PreconditionRequired),
)
async def set_land_reserve_deadlines(
    obligation_id: uuid.UUID,
    body: Deadlines,
    session: SessionDep,
    caller: ProjectsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> ObligationRead:
    """Set or clear per-stage deadlines; `due_on` follows. `If-Match` required."""
    ob = await land_reserve_obligation_service.set_deadlines(
        session, caller, obligation_id, expected_version, body
    )
    set_etag(response, ob.version)
    return ObligationRead.model_validate(ob)

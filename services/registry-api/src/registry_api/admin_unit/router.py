from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from registry_api.admin_unit.errors import (
    AdminUnitNotFound,
    AreaNotCovered,
    LegacyUnitUnknown,
    NotACandidate,
    UnitHasNoSuccessor,
    UnitResolutionAlreadyResolved,
    UnitResolutionExists,
    UnitResolutionNotFound,
    UnitSplitNeedsOfficer,
)
from registry_api.admin_unit.permissions import (
    AdminUnitsRead,
    UnitResolutionsQueue,
    UnitResolutionsRead,
    UnitResolutionsResolve,
)
from registry_api.admin_unit.schemas import (
    AdminUnitRead,
    AreaCount,
    AreaCounts,
    Boundaries,
    ResolvedUnit,
    RollUpLevel,
    UnitResolutionCreate,
    UnitResolutionRead,
    UnitResolutionResolve,
)
from registry_api.admin_unit.service import admin_unit_service, unit_resolution_service
from registry_api.models import AdminUnitLevel, AdminUnitScheme, UnitResolutionStatus
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

units_router = APIRouter(prefix="/admin-units", tags=["admin-units"])
resolutions_router = APIRouter(
    prefix="/unit-resolutions", tags=["unit-resolutions"], route_class=IdempotentRoute
)


@units_router.get("", response_model=Page[AdminUnitRead], responses=error_responses(InvalidCursor))
async def list_admin_units(
    session: SessionDep,
    _caller: AdminUnitsRead,
    page: Pagination,
    scheme: Annotated[
        AdminUnitScheme, Query(description="2025 codes or legacy codes")
    ] = AdminUnitScheme.CURRENT,
    level: AdminUnitLevel | None = None,
    parent_code: Annotated[str | None, Query(pattern=r"^\d{2,5}$")] = None,
    valid_on: Annotated[
        IsoDate | None,
        Query(description="Only units that existed on this date (`valid_from` <= date <= `valid_to`)."),
    ] = None,
) -> Page[AdminUnitRead]:
    """Administrative units, by level then code. Filter by the parent's code to list a province's communes
    (2025) or a district's communes (legacy)."""
    rows, next_cursor = await admin_unit_service.list_units(
        session, page, scheme=scheme, level=level, parent_code=parent_code, valid_on=valid_on
    )
    return Page(items=[AdminUnitRead.model_validate(r) for r in rows], next_cursor=next_cursor)


# Declared before /{code}, which would otherwise take "resolve" for a code.
@units_router.get(
    "/resolve",
    response_model=ResolvedUnit,
    responses=error_responses(AdminUnitNotFound, UnitSplitNeedsOfficer, UnitHasNoSuccessor),
)
async def resolve_legacy_unit(
    session: SessionDep,
    _caller: AdminUnitsRead,
    legacy_code: Annotated[
        str,
        Query(pattern=r"^\d{2}$|^\d{3}$|^\d{5}$", examples=["10507"], description="A legacy unit's code."),
    ],
    level: Annotated[
        AdminUnitLevel | None, Query(description="The legacy unit's level; by default read from the code.")
    ] = None,
) -> ResolvedUnit:
    """The 2025 unit an old (legacy) province or commune went to, when it went there whole.

    An old commune split among several new ones is a 409 `unit_split_needs_officer` whose `errors` list
    the candidates (`code` `split_candidate`, the message starting with the candidate's code): queue the
    record with `POST /v1/unit-resolutions` for an officer. An unknown code is a 404; a legacy district
    (abolished, its communes mapped one by one) is a 422 `unit_has_no_successor`.
    """
    found = await admin_unit_service.resolve(session, legacy_code, level)
    return ResolvedUnit(
        legacy_unit=AdminUnitRead.model_validate(found.legacy_unit),
        unit=AdminUnitRead.model_validate(found.unit),
        kind=found.kind,
        merged=found.merged,
    )


@units_router.get("/{code}", response_model=AdminUnitRead, responses=error_responses(AdminUnitNotFound))
async def get_admin_unit(
    session: SessionDep,
    _caller: AdminUnitsRead,
    code: Annotated[str, Path(pattern=r"^\d{2,5}$", examples=["11560"])],
    scheme: AdminUnitScheme = AdminUnitScheme.CURRENT,
) -> AdminUnitRead:
    """One unit by its code (2 digits for a province, 3 for a legacy district, 5 for a commune)."""
    return AdminUnitRead.model_validate(await admin_unit_service.get(session, scheme, code))


# ------------------------------------------------------------------------ the officers' queue


@resolutions_router.post(
    "",
    status_code=201,
    response_model=UnitResolutionRead,
    responses=error_responses(AreaNotCovered, LegacyUnitUnknown, UnitResolutionExists),
)
async def queue_unit_resolution(
    body: UnitResolutionCreate,
    session: SessionDep,
    caller: UnitResolutionsQueue,
    _key: IdempotencyKeyOptional,
    response: Response,
) -> UnitResolutionRead:
    """Queue a record recorded under an old commune that was split, for an officer to choose its new
    commune. The candidates are the communes the old one was split among (from the mapping). You must
    cover the province or one of the candidates. A record is queued once (409 after that); send an
    `Idempotency-Key` to retry safely. A commune that was not split is a 422 `unit_not_split`."""
    item = await unit_resolution_service.queue(session, caller, body)
    set_etag(response, item.version)
    return UnitResolutionRead.model_validate(item)


@resolutions_router.get("", response_model=Page[UnitResolutionRead], responses=error_responses(InvalidCursor))
async def list_unit_resolutions(
    session: SessionDep,
    caller: UnitResolutionsRead,
    page: Pagination,
    status: UnitResolutionStatus | None = None,
) -> Page[UnitResolutionRead]:
    """The queue, oldest first: items of the provinces you cover, and items offering one of your
    communes as a candidate."""
    rows, next_cursor = await unit_resolution_service.list_items(session, caller, page, status=status)
    return Page(items=[UnitResolutionRead.model_validate(r) for r in rows], next_cursor=next_cursor)


# Declared before /{resolution_id}, which would otherwise take "counts" for an id.
@resolutions_router.get("/counts", response_model=AreaCounts, responses=error_responses())
async def count_unit_resolutions(
    session: SessionDep,
    caller: UnitResolutionsRead,
    boundaries: Boundaries = Boundaries.NEW,
    level: RollUpLevel = RollUpLevel.PROVINCE,
    status: UnitResolutionStatus | None = None,
) -> AreaCounts:
    """The queue items you see, counted per unit of the 2025 boundaries (`new`: by the chosen commune, so
    pending items count under a null code) or of the old ones (`old`: by the legacy commune recorded
    under, or its legacy province)."""
    counted = await unit_resolution_service.counts(
        session, caller, boundaries=boundaries, level=level, status=status
    )
    return AreaCounts(
        boundaries=boundaries,
        level=level,
        items=[AreaCount(code=c.code, name=c.name, count=c.count) for c in counted],
    )


@resolutions_router.get(
    "/{resolution_id}", response_model=UnitResolutionRead, responses=error_responses(UnitResolutionNotFound)
)
async def get_unit_resolution(
    resolution_id: uuid.UUID, session: SessionDep, caller: UnitResolutionsRead, response: Response
) -> UnitResolutionRead:
    """One queue item, with its `ETag`. An item outside your area is a 404."""
    item = await unit_resolution_service.get(session, caller, resolution_id)
    set_etag(response, item.version)
    return UnitResolutionRead.model_validate(item)


@resolutions_router.post(
    "/{resolution_id}/resolve",
    response_model=UnitResolutionRead,
    responses=error_responses(
        UnitResolutionNotFound,
        AreaNotCovered,
        UnitResolutionAlreadyResolved,
        NotACandidate,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def resolve_unit_resolution(
    resolution_id: uuid.UUID,
    body: UnitResolutionResolve,
    session: SessionDep,
    caller: UnitResolutionsResolve,
    expected_version: IfMatchVersion,
    response: Response,
) -> UnitResolutionRead:
    """Choose the record's 2025 commune among the candidates (422 `not_a_candidate` otherwise). A commune
    officer may choose only their own commune, a province officer any candidate (403 otherwise). Send
    the `ETag` you read as `If-Match`. Emits `unit_resolution.resolved`, which the record's service
    follows to store the commune."""
    item = await unit_resolution_service.resolve(session, caller, resolution_id, expected_version, body)
    set_etag(response, item.version)
    return UnitResolutionRead.model_validate(item)


# api.py includes this one router: both prefixes, each route keeping its own route class.
router = APIRouter()
router.include_router(units_router)
router.include_router(resolutions_router)

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from inspection_api.field_sync.errors import ConflictAlreadyResolved, ConflictNotFound
from inspection_api.field_sync.permissions import ConflictsReview, SyncDevice
from inspection_api.field_sync.schemas import Batch, BatchResult, ChangePage, ConflictRead, ConflictResolve
from inspection_api.field_sync.service import field_sync_service
from inspection_api.models.field_sync import ConflictStatus
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/field-sync", tags=["field-sync"])


@router.get("/changes", response_model=ChangePage, responses=error_responses(InvalidCursor))
async def pull_changes(
    session: SessionDep,
    caller: SyncDevice,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> ChangePage:
    """What changed since `cursor` (leave it out the first time), oldest first: the cases assigned to
    you in your area with their findings and photos (metadata), checklist templates and their versions,
    and the violation catalogue. Each item carries the entity as it is now (`op: upsert`) or says it is
    gone (`op: delete`). The cursor is a server sequence that never skips a change committed late;
    `next_cursor` is always returned: keep it and ask again until `items` is empty."""
    return await field_sync_service.pull(session, caller, cursor=cursor, limit=limit)


@router.post("/batches", response_model=BatchResult)
async def push_batch(body: Batch, session: SessionDep, caller: SyncDevice) -> BatchResult:
    """Push up to 1,000 mutations made offline, applied in order. Each has its own `client_id` (a UUID
    made on the device, the mutation's idempotency key) and, for an update, the `base_version` it was
    made on. Actions: `finding.create`, `finding.update`, and the case steps `case.start`
    (`{checklist_version_id?}`) and `case.conclude` (`{conclusion, concluded_on}`, as the online
    conclude endpoint), each with the case's `base_version` (or, for a conclusion after a start made
    offline, `base_client_id` = that start's `client_id`); case steps go through the same transition
    rules, audit and events as online. Each is answered: `applied`; `duplicate` (already received:
    nothing changes, so a batch can be re-sent, whole or in part); `conflict` (the finding or case
    moved on since: nothing is overwritten, the change is kept as a conflict for a person to
    resolve); or `rejected` with a `code` (e.g. `photo_not_uploaded`: upload the photos to the case
    first, then send the mutation again; `case_transition_not_allowed`, `case_closed`).
    A batch that is malformed or larger than 1,000 items is refused whole (422), nothing applied."""
    return await field_sync_service.push(session, caller, body)


@router.get("/conflicts", response_model=Page[ConflictRead], responses=error_responses(InvalidCursor))
async def list_sync_conflicts(
    session: SessionDep, caller: ConflictsReview, page: Pagination, status: ConflictStatus | None = None
) -> Page[ConflictRead]:
    """Conflicts kept from pushes, oldest first: an inspector sees their own, a province officer every
    conflict in the area. Each shows the device's change and the server's state it collided with."""
    rows, next_cursor = await field_sync_service.list_conflicts(session, caller, page, status=status)
    return Page(items=[ConflictRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/conflicts/{conflict_id}", response_model=ConflictRead, responses=error_responses(ConflictNotFound)
)
async def get_sync_conflict(
    conflict_id: uuid.UUID, session: SessionDep, caller: ConflictsReview, response: Response
) -> ConflictRead:
    """One conflict with its `ETag`."""
    conflict = await field_sync_service.get_conflict(session, caller, conflict_id)
    set_etag(response, conflict.version)
    return ConflictRead.model_validate(conflict)


@router.post(
    "/conflicts/{conflict_id}/resolve",
    response_model=ConflictRead,
    responses=error_responses(
        ConflictNotFound, ConflictAlreadyResolved, PreconditionFailed, PreconditionRequired
    ),
)
async def resolve_sync_conflict(
    conflict_id: uuid.UUID,
    body: ConflictResolve,
    session: SessionDep,
    caller: ConflictsReview,
    expected_version: IfMatchVersion,
    response: Response,
) -> ConflictRead:
    """Resolve a conflict: `keep_server` leaves the finding as it is; `apply_client` applies the
    device's change on top of the current finding (only the case's inspector may, while the case is in
    progress). Send the conflict's `ETag` as `If-Match`."""
    conflict = await field_sync_service.resolve(session, caller, conflict_id, expected_version, body)
    set_etag(response, conflict.version)
    return ConflictRead.model_validate(conflict)

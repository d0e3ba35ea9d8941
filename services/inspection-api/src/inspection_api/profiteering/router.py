from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from inspection_api.models.profiteering import FlagKind, FlagStatus
from inspection_api.profiteering.errors import FlagAlreadyDecided, FlagNotFound, RunNotFound
from inspection_api.profiteering.permissions import FlagsDecide, FlagsRead, RunsRead, RunsRequest
from inspection_api.profiteering.schemas import FlagConfirm, FlagDismiss, FlagRead, RunRead
from inspection_api.profiteering.service import flag_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

flags_router = APIRouter(prefix="/profiteering-flags", tags=["profiteering-flags"])
runs_router = APIRouter(prefix="/profiteering-runs", tags=["profiteering-runs"])


@flags_router.get("", response_model=Page[FlagRead], responses=error_responses(InvalidCursor))
async def list_profiteering_flags(
    session: SessionDep,
    caller: FlagsRead,
    page: Pagination,
    status: FlagStatus | None = None,
    kind: FlagKind | None = None,
) -> Page[FlagRead]:
    """The review queue: flags in your area, oldest first (`status=open` for those awaiting a decision).

    Each flag carries the source's evidence (ids, dates, rule codes; never citizen IDs or names)."""
    rows, next_cursor = await flag_service.list_flags(session, caller, page, status=status, kind=kind)
    return Page(items=[FlagRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@flags_router.get("/{flag_id}", response_model=FlagRead, responses=error_responses(FlagNotFound))
async def get_profiteering_flag(
    flag_id: uuid.UUID, session: SessionDep, caller: FlagsRead, response: Response
) -> FlagRead:
    """One flag with its `ETag`; a flag outside your area is a 404."""
    flag = await flag_service.get(session, caller, flag_id)
    set_etag(response, flag.version)
    return FlagRead.model_validate(flag)


@flags_router.post(
    "/{flag_id}/confirm",
    response_model=FlagRead,
    responses=error_responses(FlagNotFound, FlagAlreadyDecided, PreconditionFailed, PreconditionRequired),
)
async def confirm_profiteering_flag(
    flag_id: uuid.UUID,
    body: FlagConfirm,
    session: SessionDep,
    caller: FlagsDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> FlagRead:
    """Confirm an open flag: a case of `case_kind` (a Department of Construction check or an
    Inspectorate inspection) opens in the flag's area, and the flag records it (`case_id`).
    Send the flag's `ETag` as `If-Match`. A decided flag is a 409."""
    flag = await flag_service.confirm(session, caller, flag_id, expected_version, body)
    set_etag(response, flag.version)
    return FlagRead.model_validate(flag)


@flags_router.post(
    "/{flag_id}/dismiss",
    response_model=FlagRead,
    responses=error_responses(FlagNotFound, FlagAlreadyDecided, PreconditionFailed, PreconditionRequired),
)
async def dismiss_profiteering_flag(
    flag_id: uuid.UUID,
    body: FlagDismiss,
    session: SessionDep,
    caller: FlagsDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> FlagRead:
    """Dismiss an open flag with the reason. The flag is kept, and its source key is never raised
    again. Send the flag's `ETag` as `If-Match`. A decided flag is a 409."""
    flag = await flag_service.dismiss(session, caller, flag_id, expected_version, body)
    set_etag(response, flag.version)
    return FlagRead.model_validate(flag)


@runs_router.post("", status_code=202, response_model=RunRead)
async def request_profiteering_run(session: SessionDep, caller: RunsRequest) -> RunRead:
    """Ask for a detection run now (it also runs periodically). When a run is already queued, running
    or waiting for a source (`delayed`, with `delayed_reason`), that run is answered instead.
    The run reads registry-api's integrity signals and funding-api's loan exceptions with this
    service's own rights, over every area; the flags it raises are read within your area."""
    run = await flag_service.request_run(session, caller)
    return RunRead.model_validate(run)


@runs_router.get("", response_model=Page[RunRead], responses=error_responses(InvalidCursor))
async def list_profiteering_runs(session: SessionDep, caller: RunsRead, page: Pagination) -> Page[RunRead]:
    """Detection runs, newest first: status, counts, and why a run is delayed."""
    rows, next_cursor = await flag_service.list_runs(session, page)
    return Page(items=[RunRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@runs_router.get("/{run_id}", response_model=RunRead, responses=error_responses(RunNotFound))
async def get_profiteering_run(run_id: uuid.UUID, session: SessionDep, caller: RunsRead) -> RunRead:
    """One detection run."""
    return RunRead.model_validate(await flag_service.get_run(session, run_id))

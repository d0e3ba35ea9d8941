"""The routes every service gets for its platform tables: the event feed and the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from servicekit.audit import ChainReport, list_records, verify_chain
from servicekit.db.platform import PlatformModels
from servicekit.errors import Forbidden, error_responses
from servicekit.outbox import EventPage, read_feed
from servicekit.pagination import MAX_LIMIT, InvalidCursor, Page
from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

EVENT_READER_ROLES = (Role.SERVICE, Role.PARTNER, Role.AUDITOR, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR)
AUDIT_READER_ROLES = (Role.AUDITOR, Role.ADMINISTRATOR)
EVENTS_SCOPE = "events:read"
EventReader = Annotated[Principal, Depends(require_roles(*EVENT_READER_ROLES))]
AuditReader = Annotated[Principal, Depends(require_roles(*AUDIT_READER_ROLES))]


class AuditRecordRead(BaseModel):
    id: uuid.UUID
    occurred_at: datetime
    actor_subject: str
    actor_client: str | None
    on_behalf_of: str | None
    request_id: str | None
    action: str
    resource_type: str
    resource_id: str
    province_code: str | None
    commune_code: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    chain_seq: int | None


class ChainReportRead(BaseModel):
    ok: bool
    sealed: int
    unsealed: int
    first_break_seq: int | None
    problem: str | None


def platform_router(models: PlatformModels) -> APIRouter:
    router = APIRouter(tags=["platform"])

    @router.get("/events", response_model=EventPage, responses=error_responses(InvalidCursor))
    async def read_events(
        session: SessionDep,
        principal: EventReader,
        after: Annotated[
            str | None, Query(max_length=512, description="The `next_cursor` you last got.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
        type: Annotated[list[str] | None, Query(max_length=80)] = None,
    ) -> EventPage:
        """This service's events in commit order, from the cursor on, limited to the caller's areas.

        At-least-once: keep the last cursor and apply each event idempotently (by its `id`).
        """
        if Role.PARTNER in principal.roles and EVENTS_SCOPE not in principal.scopes:
            raise Forbidden(f"Partners need the {EVENTS_SCOPE} scope.")
        return await read_feed(
            session, models.outbox, after=after, limit=limit, scope=principal.area, types=type
        )

    @router.get("/audit", response_model=Page[AuditRecordRead], responses=error_responses(InvalidCursor))
    async def read_audit(
        session: SessionDep,
        principal: AuditReader,
        page: Pagination,
        resource_type: Annotated[str | None, Query(max_length=80)] = None,
        resource_id: Annotated[str | None, Query(max_length=80)] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Page[AuditRecordRead]:
        """The audit trail, newest first, within the caller's areas. Personal values are masked."""
        rows, next_cursor = await list_records(
            session,
            models.audit,
            page,
            scope=principal.area,
            resource_type=resource_type,
            resource_id=resource_id,
            actor=actor,
            since=since,
            until=until,
        )
        items = [AuditRecordRead.model_validate(r, from_attributes=True) for r in rows]
        return Page(items=items, next_cursor=next_cursor)

    @router.get("/audit/verification", response_model=ChainReportRead, responses=error_responses())
    async def verify_audit(session: SessionDep, _: AuditReader) -> ChainReport:
        """Walk the sealed hash chain: whether any sealed row was altered, deleted or reordered."""
        return await verify_chain(session, models.audit)

    return router

"""The routes every service gets for its platform tables: the event feed and the audit trail."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from servicekit.audit import ChainReport, list_records, verify_chain
from servicekit.audit_anchor import AnchorStore
from servicekit.db.platform import PlatformModels
from servicekit.errors import error_responses
from servicekit.outbox import EventCatalogue, EventPage, read_feed
from servicekit.pagination import MAX_LIMIT, InvalidCursor, Page
from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep
from servicekit.webhooks import EventsScopeMissing, check_events_scope

EVENT_READER_ROLES = (Role.SERVICE, Role.PARTNER, Role.AUDITOR, Role.PROVINCE_OFFICER, Role.ADMINISTRATOR)
AUDIT_READER_ROLES = (Role.AUDITOR, Role.ADMINISTRATOR)
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
    anchored_seq: int | None = Field(
        description="The newest chain head confirmed in the external anchor (null: the service keeps none)."
    )
    anchored_at: datetime | None = Field(description="When that head was anchored.")


def platform_router(
    models: PlatformModels, *, events_scope: str, catalogue: EventCatalogue | None = None
) -> APIRouter:
    """`events_scope`: what partners need for the feed (`<service>:events:read`); `catalogue`: the
    service's event types, of which partners see only the partner-safe ones (none without one)."""
    router = APIRouter(tags=["platform"])
    partner_safe = catalogue.partner_safe if catalogue is not None else frozenset()

    @router.get(
        "/events", response_model=EventPage, responses=error_responses(InvalidCursor, EventsScopeMissing)
    )
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

        Partners need the scope `<service>:events:read` (e.g. `registry:events:read`) and receive only
        the service's partner-safe types, which carry no personal or household-level data
        (`GET /v1/webhooks/event-types` lists them). At-least-once: keep the last cursor and apply each
        event idempotently (by its `id`).
        """
        types: frozenset[str] | None = frozenset(type) if type else None
        if Role.PARTNER in principal.roles:
            check_events_scope(principal, events_scope)
            types = partner_safe & types if types is not None else partner_safe
        return await read_feed(
            session, models.outbox, after=after, limit=limit, scope=principal.area, types=types
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
    async def verify_audit(session: SessionDep, _: AuditReader, request: Request) -> ChainReport:
        """Walk the sealed hash chain: whether any sealed row was altered, deleted or reordered, and
        whether the chain still ends at the head last written to the external anchor (rows deleted from
        or appended to its end)."""
        anchor: AnchorStore | None = getattr(request.app.state, "audit_anchor", None)
        return await verify_chain(session, models.audit, anchor_store=anchor)

    return router

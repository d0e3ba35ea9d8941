"""The transactional outbox (decision 9): events written with the change, served as an ordered feed."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import false, insert, or_, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.areas import AreaScope
from servicekit.audit import json_safe
from servicekit.db.platform import OutboxEventMixin
from servicekit.pagination import decode_cursor, encode_cursor

FEED_KEYS = ["outbox.tx_id", "outbox.seq"]


class EventEnvelope(BaseModel):
    """What every event looks like on every feed. `data` holds ids and non-personal attributes only."""

    id: str
    type: str = Field(examples=["support_case.approved"])
    occurred_at: datetime
    subject: str = Field(examples=["urn:noxh:registry:support-case:0190f..."])
    area_codes: list[str] = Field(examples=[["31", "10525"]])
    data: dict[str, Any]


class EventPage(BaseModel):
    items: list[EventEnvelope]
    next_cursor: str = Field(
        description="Pass as `after` next time; it is returned even when no event is new."
    )


@dataclass(frozen=True)
class EventCatalogue:
    """The event types a service emits, and those a partner may receive (feed and webhooks).

    Partner-safe types carry no citizen IDs, phones, names of persons or household-level data. This
    is configuration each service declares, not a legal rule: a type missing here cannot be subscribed
    to (422), and partners never see a type outside `partner_safe`.
    """

    types: frozenset[str]
    partner_safe: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.partner_safe - self.types
        if unknown:
            raise ValueError(f"partner-safe event types not in the catalogue: {sorted(unknown)}")


def events_scope(service_name: str) -> str:
    """What a partner needs for a service's feed and webhooks: `registry-api` -> `registry:events:read`."""
    return f"{service_name.removesuffix('-api')}:events:read"


def envelope(row: OutboxEventMixin) -> EventEnvelope:
    """An outbox row as every feed and webhook serves it."""
    return EventEnvelope(
        id=str(row.id),
        type=row.type,
        occurred_at=row.occurred_at,
        subject=row.subject,
        area_codes=list(row.area_codes),
        data=row.data,
    )


def urn(service: str, resource: str, resource_id: object) -> str:
    return f"urn:noxh:{service}:{resource}:{resource_id}"


async def emit(
    session: AsyncSession,
    model: type[OutboxEventMixin],
    *,
    type: str,
    subject: str,
    area_codes: Iterable[str | None],
    data: dict[str, Any],
) -> None:
    """Write an event in the caller's transaction: it is published exactly when the change commits."""
    await emit_many(session, model, [Event(type, subject, area_codes, data)])


@dataclass(frozen=True)
class Event:
    """An event to write with `emit_many`: the same fields `emit` takes."""

    type: str
    subject: str
    area_codes: Iterable[str | None]
    data: dict[str, Any]


async def emit_many(session: AsyncSession, model: type[OutboxEventMixin], events: Sequence[Event]) -> None:
    """`emit` for many events in one statement (a bulk import), in the order given."""
    if not events:
        return
    await session.execute(
        insert(model),
        [
            {
                "type": e.type,
                "subject": e.subject,
                "area_codes": sorted({c for c in e.area_codes if c}),
                "data": json_safe(e.data),
            }
            for e in events
        ],
    )


async def read_feed(
    session: AsyncSession,
    model: type[OutboxEventMixin],
    *,
    after: str | None,
    limit: int,
    scope: AreaScope | None,
    types: Collection[str] | None = None,
) -> EventPage:
    """Events after the cursor, only of transactions that have finished, filtered by the reader's area.

    `types`: None serves every type; an empty collection serves none (the cursor still moves on)."""
    position: tuple[Any, ...] = decode_cursor(FEED_KEYS, after) if after else (0, 0)
    # Transactions older than the snapshot's xmin are all finished: none of them can still add an
    # event that sorts before what we hand out now.
    horizon = text("(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")
    stmt = select(model).where(
        model.tx_id < horizon, tuple_(model.tx_id, model.seq) > tuple_(position[0], position[1])
    )
    if scope is not None:
        codes = sorted(scope.provinces | scope.communes)
        stmt = stmt.where(model.area_codes.overlap(codes) if codes else false())
    if types is not None:
        stmt = stmt.where(or_(*[model.type == t for t in sorted(types)]) if types else false())
    rows = (await session.execute(stmt.order_by(model.tx_id, model.seq).limit(limit))).scalars().all()
    if rows:
        position = (rows[-1].tx_id, rows[-1].seq)
    elif scope is not None or types is not None:
        # Nothing visible to this reader: move the cursor past what was scanned, so a reader with a
        # narrow scope does not rescan the same invisible rows forever.
        last = (
            await session.execute(
                select(model.tx_id, model.seq)
                .where(model.tx_id < horizon)
                .order_by(model.tx_id.desc(), model.seq.desc())
                .limit(1)
            )
        ).first()
        if last is not None and (last[0], last[1]) > position:
            position = (last[0], last[1])
    items = [envelope(r) for r in rows]
    return EventPage(items=items, next_cursor=encode_cursor(FEED_KEYS, (int(position[0]), int(position[1]))))

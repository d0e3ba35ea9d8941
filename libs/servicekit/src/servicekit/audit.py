"""The audit trail: a row per change in the same transaction, sealed into a hash chain by one sealer.

Models opt in with the `Audited` mixin. A flush listener writes one audit row per inserted, updated
or deleted object, with before/after values and personal fields masked, inside the same transaction
as the change. A sealer job later chains sealed rows by hash, so writers never queue on one lock;
the verifier walks the chain and reports the first break and the unsealed tail.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import and_, event, func, insert, inspect, or_, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, UOWTransaction

from servicekit.areas import AreaScope
from servicekit.audit_anchor import Anchor, AnchorState, AnchorStore, anchor
from servicekit.context import current_principal, request_id_var
from servicekit.db.platform import AuditRecordMixin
from servicekit.pagination import PageParams, decode_cursor, encode_cursor

SYSTEM_ACTOR = "system"
ALWAYS_EXCLUDED = frozenset({"created_at", "updated_at", "version"})


class Audited:
    """Mixin: every change to this model is written to the service's audit trail."""

    # Attributes holding personal data (citizen ID, phone ...): masked in the trail.
    __audit_personal__: ClassVar[frozenset[str]] = frozenset()
    # Attributes never written to the trail (ciphertexts, blind indexes, bulky blobs).
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset()


def mask(value: Any) -> str | None:
    """Keep the last three characters, so an auditor can tell records apart without reading them."""
    if value is None:
        return None
    text_value = str(value)
    if len(text_value) <= 3:
        return "*" * len(text_value)
    return "*" * (len(text_value) - 3) + text_value[-3:]


def json_safe(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, bytes):
        return "<bytes>"
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def _snapshot(obj: Audited, *, before: bool) -> dict[str, Any]:
    state = inspect(obj)
    excluded = ALWAYS_EXCLUDED | obj.__audit_exclude__
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in excluded:
            continue
        if before:
            history = state.attrs[attr.key].history
            value = (
                history.deleted[0]
                if history.deleted
                else (history.unchanged[0] if history.unchanged else None)
            )
        else:
            value = getattr(obj, attr.key)
        values[attr.key] = mask(value) if attr.key in obj.__audit_personal__ else json_safe(value)
    return values


def _changed(obj: Audited) -> bool:
    state = inspect(obj)
    excluded = ALWAYS_EXCLUDED | obj.__audit_exclude__
    return any(
        state.attrs[a.key].history.has_changes() for a in state.mapper.column_attrs if a.key not in excluded
    )


_audit_tables: dict[int, Any] = {}


def _audit_table_for(obj: Audited) -> Any:
    registry = type(obj).registry  # type: ignore[attr-defined]
    key = id(registry)
    if key not in _audit_tables:
        found = [m.class_ for m in registry.mappers if issubclass(m.class_, AuditRecordMixin)]
        if len(found) != 1:
            raise RuntimeError(
                f"{type(obj).__name__} is Audited but its service declares {len(found)} audit tables"
            )
        _audit_tables[key] = found[0].__table__
    return _audit_tables[key]


def actor_columns() -> dict[str, Any]:
    principal = current_principal.get()
    if principal is None:
        return {
            "actor_subject": SYSTEM_ACTOR,
            "actor_client": None,
            "on_behalf_of": None,
            "request_id": request_id_var.get(),
        }
    return {
        "actor_subject": principal.subject,
        "actor_client": principal.client_id or None,
        "on_behalf_of": principal.acting_subject,
        "request_id": request_id_var.get(),
    }


def _area(obj: Any) -> tuple[str | None, str | None]:
    return getattr(obj, "province_code", None), getattr(obj, "commune_code", None)


def _resource_type(obj: Any) -> str:
    return str(getattr(obj, "__audit_type__", None) or obj.__tablename__)


def _resource_id(obj: Any) -> str:
    identity = inspect(obj).identity
    return ",".join(str(v) for v in identity) if identity else str(getattr(obj, "id", ""))


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, flush_context: UOWTransaction) -> None:
    rows: dict[Any, list[dict[str, Any]]] = {}
    actor = actor_columns()
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not isinstance(obj, Audited):
                continue
            if action == "update" and not _changed(obj):
                continue
            province, commune = _area(obj)
            row = {
                **actor,
                "action": action,
                "resource_type": _resource_type(obj),
                "resource_id": _resource_id(obj),
                "province_code": province,
                "commune_code": commune,
                "before": None if action == "create" else _snapshot(obj, before=True),
                "after": None if action == "delete" else _snapshot(obj, before=False),
            }
            rows.setdefault(_audit_table_for(obj), []).append(row)
    for table, values in rows.items():
        session.connection().execute(insert(table), values)


async def record_access(
    session: AsyncSession,
    model: type[AuditRecordMixin],
    *,
    action: str,
    resource_type: str,
    resource_id: str,
    province_code: str | None = None,
    commune_code: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Audit something that is not a row change, such as revealing a masked citizen ID."""
    access = AccessRecord(action, resource_type, resource_id, province_code, commune_code, detail)
    await record_accesses(session, model, [access])


@dataclass(frozen=True)
class AccessRecord:
    """One access to audit (see `record_access`), for writing many at once."""

    action: str
    resource_type: str
    resource_id: str
    province_code: str | None = None
    commune_code: str | None = None
    detail: dict[str, Any] | None = None


async def record_accesses(
    session: AsyncSession, model: type[AuditRecordMixin], records: Sequence[AccessRecord]
) -> None:
    """`record_access` for many accesses in one statement (a bulk import's lookups): the same rows."""
    if not records:
        return
    actor = actor_columns()
    await session.execute(
        insert(model),
        [
            {
                **actor,
                "action": r.action,
                "resource_type": r.resource_type,
                "resource_id": r.resource_id,
                "province_code": r.province_code,
                "commune_code": r.commune_code,
                "after": json_safe(r.detail) if r.detail else None,
            }
            for r in records
        ],
    )


# ---------------------------------------------------------------------------------------- the chain

GENESIS_HASH = "0" * 64
_HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_subject",
    "actor_client",
    "on_behalf_of",
    "request_id",
    "action",
    "resource_type",
    "resource_id",
    "province_code",
    "commune_code",
    "before",
    "after",
)


def row_hash(row: Any, prev_hash: str, chain_seq: int) -> str:
    content = {name: json_safe(getattr(row, name)) for name in _HASHED_FIELDS}
    content["chain_seq"] = chain_seq
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


async def _lock_sealer(session: AsyncSession, model: type[AuditRecordMixin]) -> None:
    table = model.__tablename__  # type: ignore[attr-defined]
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"audit-sealer:{table}"})


async def chain_head(session: AsyncSession, model: type[AuditRecordMixin]) -> tuple[int, str]:
    """The newest sealed row's (chain_seq, row_hash); (0, the genesis hash) for an empty chain."""
    last = (
        await session.execute(
            select(model.chain_seq, model.row_hash)
            .where(model.chain_seq.is_not(None))
            .order_by(model.chain_seq.desc())
            .limit(1)
        )
    ).first()
    return (int(last[0] or 0), str(last[1])) if last else (0, GENESIS_HASH)


async def seal(session: AsyncSession, model: type[AuditRecordMixin], *, batch: int = 1000) -> int:
    """Chain the oldest unsealed rows after the last sealed one. One sealer at a time per table."""
    await _lock_sealer(session, model)
    seq, prev = await chain_head(session, model)
    pending = (
        (
            await session.execute(
                select(model)
                .where(model.chain_seq.is_(None))
                .order_by(model.occurred_at, model.id)
                .limit(batch)
            )
        )
        .scalars()
        .all()
    )
    for row in pending:
        seq += 1
        digest = row_hash(row, prev, seq)
        await session.execute(
            update(model).where(model.id == row.id).values(chain_seq=seq, prev_hash=prev, row_hash=digest)
        )
        prev = digest
    return len(pending)


class AnchorMismatch(RuntimeError):
    """The chain's head is not one the external anchor knows: rows were deleted from or added to its end."""


def anchor_problem(head: tuple[int, str], entries: list[Anchor]) -> str | None:
    """Why the database's chain head disagrees with the anchor's entries (None: it is one of them)."""
    if not entries or any((e.seq, e.hash) == head for e in entries):
        return None
    confirmed = entries[0] if entries[0].state is AnchorState.CONFIRMED else None
    anchored = confirmed.seq if confirmed else 0
    if head[0] < anchored:
        return (
            f"the chain ends at seq {head[0]}, before its externally anchored head (seq {anchored}): "
            "the newest sealed rows were deleted"
        )
    if head[0] > anchored:
        return (
            f"sealed rows after the externally anchored head (seq {anchored}) are not in the anchor: "
            "rows were appended to the chain"
        )
    return f"the sealed row at seq {anchored} is not the one the external anchor holds"


async def seal_anchored(
    sessionmaker: async_sessionmaker[AsyncSession],
    model: type[AuditRecordMixin],
    store: AnchorStore,
    *,
    batch: int = 1000,
) -> int:
    """`seal`, with the new chain head written to the external anchor: `pending` before the commit and
    `confirmed` after it. Refuses (AnchorMismatch) to chain onto a head the anchor does not know, so a
    truncated or extended chain is never blessed by a later anchor. An empty anchor adopts the head."""
    async with sessionmaker() as session:
        async with session.begin():
            await _lock_sealer(session, model)
            head = await chain_head(session, model)
            entries = await asyncio.to_thread(store.tail)
            problem = anchor_problem(head, entries)
            if problem is not None:
                raise AnchorMismatch(problem)
            known = next((e for e in reversed(entries) if (e.seq, e.hash) == head), None)
            if head[0] > 0 and (known is None or known.state is AnchorState.PENDING):
                # First run with an anchor, or the last run committed but died before confirming.
                await asyncio.to_thread(store.append, anchor(*head, AnchorState.CONFIRMED))
            sealed = await seal(session, model, batch=batch)
            new_head = await chain_head(session, model)
            if sealed:
                await asyncio.to_thread(store.append, anchor(*new_head, AnchorState.PENDING))
        if sealed:
            await asyncio.to_thread(store.append, anchor(*new_head, AnchorState.CONFIRMED))
    return sealed


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    sealed: int
    unsealed: int
    first_break_seq: int | None = None
    problem: str | None = None
    # The newest head confirmed in the external anchor, when the service keeps one.
    anchored_seq: int | None = None
    anchored_at: datetime | None = None


async def verify_chain(
    session: AsyncSession,
    model: type[AuditRecordMixin],
    *,
    batch: int = 2000,
    anchor_store: AnchorStore | None = None,
) -> ChainReport:
    """Walk the sealed chain in order (keyset batches, never the whole table in memory); with an
    external anchor, also check that the chain ends where the anchor says (no rows deleted from or
    appended to its end)."""
    report = await _walk_chain(session, model, batch=batch)
    if anchor_store is None or not report.ok:
        return report
    # The head first, the anchor after: every head committed by then has its entry in the anchor.
    head = await chain_head(session, model)
    entries = await asyncio.to_thread(anchor_store.tail)
    if not entries:
        return report
    confirmed = entries[0] if entries[0].state is AnchorState.CONFIRMED else None
    anchored_seq = confirmed.seq if confirmed else 0
    problem: str | None = None
    first_break: int | None = None
    if confirmed is not None and confirmed.seq > 0:
        # Read afresh: the sealer may have committed past the head read above.
        at_anchor = (
            await session.execute(select(model.row_hash).where(model.chain_seq == confirmed.seq))
        ).scalar_one_or_none()
        if at_anchor is None:
            problem = (
                anchor_problem(head, [confirmed]) or f"the anchored sealed row (seq {anchored_seq}) is gone"
            )
            first_break = min(head[0] + 1, anchored_seq)
        elif at_anchor != confirmed.hash:
            problem = anchor_problem((anchored_seq, str(at_anchor)), [confirmed])
            first_break = anchored_seq
    if problem is None and head[0] > anchored_seq:
        problem = anchor_problem(head, entries)
        first_break = anchored_seq + 1
    return ChainReport(
        ok=problem is None,
        sealed=report.sealed,
        unsealed=report.unsealed,
        first_break_seq=first_break if problem is not None else None,
        problem=problem,
        anchored_seq=confirmed.seq if confirmed else None,
        anchored_at=confirmed.at if confirmed else None,
    )


async def _walk_chain(session: AsyncSession, model: type[AuditRecordMixin], *, batch: int) -> ChainReport:
    expected_seq, prev = 0, GENESIS_HASH
    checked = 0
    while True:
        rows = (
            (
                await session.execute(
                    select(model).where(model.chain_seq > expected_seq).order_by(model.chain_seq).limit(batch)
                )
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for row in rows:
            expected_seq += 1
            seq = row.chain_seq or 0
            if seq != expected_seq:
                return await _broken(
                    session, model, checked, expected_seq, "a sealed row is missing (deleted)"
                )
            if row.prev_hash != prev:
                return await _broken(
                    session, model, checked, seq, "the chain link is broken (reordered or deleted)"
                )
            if row_hash(row, prev, seq) != row.row_hash:
                return await _broken(session, model, checked, seq, "a sealed row was altered")
            prev = str(row.row_hash)
            checked += 1
    unsealed = (await session.execute(select(func.count()).where(model.chain_seq.is_(None)))).scalar_one()
    return ChainReport(ok=True, sealed=checked, unsealed=int(unsealed))


async def _broken(
    session: AsyncSession, model: type[AuditRecordMixin], checked: int, seq: int, problem: str
) -> ChainReport:
    unsealed = (await session.execute(select(func.count()).where(model.chain_seq.is_(None)))).scalar_one()
    return ChainReport(ok=False, sealed=checked, unsealed=int(unsealed), first_break_seq=seq, problem=problem)


AUDIT_KEYS = ["audit.occurred_at", "audit.id"]


async def list_records(
    session: AsyncSession,
    model: type[AuditRecordMixin],
    page: PageParams,
    *,
    scope: AreaScope,
    resource_type: str | None = None,
    resource_id: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[Any], str | None]:
    """Newest first. Rows without an area (system-wide changes) are shown to province-level readers.
    A row naming only a commune is not system-wide: only callers covering that commune see it."""
    area = scope.sql_filter(model.province_code, model.commune_code)  # type: ignore[arg-type]
    system_wide = and_(model.province_code.is_(None), model.commune_code.is_(None))
    stmt = select(model).where(or_(area, system_wide) if scope.provinces else area)
    if resource_type:
        stmt = stmt.where(model.resource_type == resource_type)
    if resource_id:
        stmt = stmt.where(model.resource_id == resource_id)
    if actor:
        stmt = stmt.where(model.actor_subject == actor)
    if since:
        stmt = stmt.where(model.occurred_at >= since)
    if until:
        stmt = stmt.where(model.occurred_at < until)
    if page.cursor:
        occurred, row_id = decode_cursor(AUDIT_KEYS, page.cursor)
        stmt = stmt.where(tuple_(model.occurred_at, model.id) < tuple_(occurred, row_id))
    order = (model.occurred_at.desc(), model.id.desc())
    rows = list((await session.execute(stmt.order_by(*order).limit(page.limit + 1))).scalars())
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    return rows, encode_cursor(AUDIT_KEYS, (rows[-1].occurred_at, rows[-1].id))

"""Webhook delivery, in the service's job worker only (never in a request).

Two periodic jobs:

- the fan-out reads outbox events past each active subscription's cursor (only of finished
  transactions, as the feed does) and inserts one delivery per matching event, at most once per
  (subscription, event) whatever happens; the cursors move in the same transaction;
- the sender claims due deliveries (a lease, so a crashed worker's claims come due again), POSTs them
  with bounded concurrency and a total time limit per attempt, and records each outcome: 2xx is
  `succeeded`, anything else is retried on the policy's schedule and then `dead`.

A slow receiver costs at most one attempt's time limit on one of the `concurrency` slots, and a run
takes at most `per_subscription` deliveries of any one subscription, so other receivers go on.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import String, delete, func, literal_column, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.db.base import new_id
from servicekit.db.platform import JobMixin, OutboxEventMixin, PlatformModels
from servicekit.db.webhooks import DUE_STATUSES, DeliveryStatus
from servicekit.errors import AppError
from servicekit.jobs import JobContext, JobRegistry, JobStatus, PeriodicJob
from servicekit.observability import scrub
from servicekit.outbox import EventCatalogue, envelope
from servicekit.pii import PiiCipher
from servicekit.settings import BaseServiceSettings
from servicekit.webhooks import (
    HORIZON,
    DeliveryPolicy,
    WebhookSetup,
    secret_cipher,
    subscription_secrets,
    webhook_headers,
    webhook_setup,
)

logger = logging.getLogger("servicekit.webhooks")

WEBHOOK_FAN_OUT = "platform.webhook_fan_out"
WEBHOOK_SEND = "platform.webhook_send"
WEBHOOK_JOBS_PURGE = "platform.webhook_jobs_purge"
# The two jobs run every few seconds: their succeeded runs are kept a day, not the 30 days of other jobs.
WEBHOOK_JOBS_KEPT = timedelta(days=1)
FAN_OUT_BATCH = 500
FAN_OUT_ROUNDS = 20
INSERT_CHUNK = 500
MAX_ERROR_CHARS = 300
USER_AGENT = "NOXH-Webhooks/1"
SEND_JOB_TIMEOUT_S = 900.0

ClientFactory = Callable[[DeliveryPolicy], httpx.AsyncClient]


def _due_status(column: Any) -> Any:
    # Inline literals, so PostgreSQL's generic plans can use the partial index (see servicekit.jobs).
    values = [literal_column(f"'{s.value}'", String) for s in DUE_STATUSES]
    return column.in_(values)


# ---------------------------------------------------------------------------------------- fan-out


async def fan_out(
    session: AsyncSession,
    setup: WebhookSetup,
    outbox: type[OutboxEventMixin],
    *,
    batch: int = FAN_OUT_BATCH,
    rounds: int = FAN_OUT_ROUNDS,
) -> int:
    """Insert deliveries for new events in the caller's transaction; returns how many were created.

    Subscriptions being changed by a request right now are skipped this run (SKIP LOCKED) and caught
    up by the next. Partner subscriptions get only the catalogue's partner-safe types, even if the
    catalogue shrank after they subscribed.
    """
    sub, dlv = setup.subscription, setup.delivery
    subs = (
        await session.execute(
            select(
                sub.id,
                sub.cursor_tx_id,
                sub.cursor_seq,
                sub.event_types,
                sub.area_codes,
                sub.partner_safe_only,
            )
            .where(sub.active)
            .order_by(sub.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not subs:
        return 0
    start = {s.id: (int(s.cursor_tx_id), int(s.cursor_seq)) for s in subs}
    cursors = dict(start)
    wanted: dict[uuid.UUID, tuple[frozenset[str], frozenset[str]]] = {}
    for s in subs:
        types = frozenset(s.event_types)
        if s.partner_safe_only:
            types &= setup.catalogue.partner_safe
        wanted[s.id] = (types, frozenset(s.area_codes))
    created = 0
    for _ in range(rounds):
        low = min(cursors.values())
        events = list(
            (
                await session.execute(
                    select(outbox)
                    .where(outbox.tx_id < HORIZON, tuple_(outbox.tx_id, outbox.seq) > tuple_(*low))
                    .order_by(outbox.tx_id, outbox.seq)
                    .limit(batch)
                )
            ).scalars()
        )
        if not events:
            break
        rows: list[dict[str, Any]] = []
        for s in subs:
            mine = [e for e in events if (e.tx_id, e.seq) > cursors[s.id]]
            if mine:
                rows += _deliveries(s.id, mine, *wanted[s.id])
                cursors[s.id] = (int(mine[-1].tx_id), int(mine[-1].seq))
        for i in range(0, len(rows), INSERT_CHUNK):
            # No conflict target: the partial unique index (subscription, event) arbitrates.
            statement = pg_insert(dlv).values(rows[i : i + INSERT_CHUNK]).on_conflict_do_nothing()
            created += len((await session.execute(statement.returning(dlv.id))).all())
        if len(events) < batch:
            break
    for sub_id, position in cursors.items():
        if position != start[sub_id]:
            # Core update: neither the version (the subscriber's ETag) nor updated_at moves.
            await session.execute(
                update(sub)
                .where(sub.id == sub_id)
                .values(cursor_tx_id=position[0], cursor_seq=position[1], updated_at=sub.updated_at)
            )
    return created


def _deliveries(
    subscription_id: uuid.UUID, events: list[OutboxEventMixin], types: frozenset[str], codes: frozenset[str]
) -> list[dict[str, Any]]:
    """New delivery rows for the events a subscription wants: its types, in its areas."""
    return [
        {
            "id": new_id(),
            "subscription_id": subscription_id,
            "event_id": event.id,
            "event_type": event.type,
            "body": envelope(event).model_dump_json(),
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": func.now(),
        }
        for event in events
        if event.type in types and not codes.isdisjoint(event.area_codes)
    ]


# ---------------------------------------------------------------------------------------- sending


@dataclass(frozen=True)
class Attempt:
    delivery_id: uuid.UUID
    subscription_id: uuid.UUID
    event_id: str
    body: str
    attempts_before: int
    url: str
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def claim_lease(policy: DeliveryPolicy) -> timedelta:
    """Longer than one run can take: batches of `concurrency` attempts of `timeout_s` each, plus slack."""
    waves = math.ceil(policy.batch_size / policy.concurrency)
    return timedelta(seconds=waves * policy.timeout_s + 60)


async def claim_due(
    sessionmaker: async_sessionmaker[AsyncSession], setup: WebhookSetup, cipher: PiiCipher
) -> list[Attempt]:
    """Due deliveries of active subscriptions, at most `per_subscription` each, leased for this run."""
    sub, dlv, policy = setup.subscription, setup.delivery, setup.policy
    rank = (
        func.row_number()
        .over(partition_by=dlv.subscription_id, order_by=(dlv.next_attempt_at, dlv.id))
        .label("rank")
    )
    ranked = (
        select(dlv.id, dlv.next_attempt_at, rank)
        .join(sub, sub.id == dlv.subscription_id)
        .where(_due_status(dlv.status), dlv.next_attempt_at <= func.now(), sub.active)
        .subquery()
    )
    picked = (
        select(ranked.c.id)
        .where(ranked.c.rank <= policy.per_subscription)
        .order_by(ranked.c.rank, ranked.c.next_attempt_at)
        .limit(policy.batch_size)
    )
    async with sessionmaker() as session, session.begin():
        rows = (
            await session.execute(
                select(dlv.id, dlv.subscription_id, dlv.event_id, dlv.body, dlv.attempts)
                .where(dlv.id.in_(picked), _due_status(dlv.status), dlv.next_attempt_at <= func.now())
                .with_for_update(skip_locked=True)
            )
        ).all()
        if not rows:
            return []
        await session.execute(
            update(dlv)
            .where(dlv.id.in_([r.id for r in rows]))
            .values(next_attempt_at=func.now() + claim_lease(policy), updated_at=dlv.updated_at)
        )
        now = await session.scalar(select(func.now()))
        assert now is not None
        subscriptions = {
            s.id: s
            for s in (
                await session.execute(select(sub).where(sub.id.in_({r.subscription_id for r in rows})))
            ).scalars()
        }
        return [
            Attempt(
                delivery_id=r.id,
                subscription_id=r.subscription_id,
                event_id=str(r.event_id),
                body=r.body,
                attempts_before=r.attempts,
                url=subscriptions[r.subscription_id].url,
                secrets=tuple(subscription_secrets(cipher, subscriptions[r.subscription_id], now)),
            )
            for r in rows
        ]


def _short(text: str) -> str:
    return scrub(text)[:MAX_ERROR_CHARS]


async def attempt(client: httpx.AsyncClient, item: Attempt, setup: WebhookSetup) -> Outcome:
    """One POST, never longer than the policy's time limit in total; the answer's body is not read."""
    try:
        setup.target.check(item.url)
    except AppError:
        return Outcome(None, "the URL is no longer on the allow-list")
    timestamp = int(time.time())
    headers = webhook_headers(item.secrets, item.event_id, timestamp, item.body)
    timeout_s = setup.policy.timeout_s
    try:
        async with asyncio.timeout(timeout_s):
            request = client.build_request("POST", item.url, content=item.body.encode(), headers=headers)
            response = await client.send(request, stream=True)
            await response.aclose()
    except TimeoutError:
        return Outcome(None, f"no answer within {timeout_s:g} s")
    except httpx.HTTPError as exc:
        # The exception's type says enough (connection refused, TLS, protocol); its text may name
        # the URL, whose query string could carry the receiver's own token.
        return Outcome(None, _short(f"{type(exc).__name__}: could not deliver"))
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code, None)
    return Outcome(response.status_code, f"the receiver answered HTTP {response.status_code}")


async def record_outcomes(
    sessionmaker: async_sessionmaker[AsyncSession],
    setup: WebhookSetup,
    results: Sequence[tuple[Attempt, Outcome]],
) -> dict[str, int]:
    """Write each attempt's outcome; a delivery that moved on meanwhile (a lost lease) is left alone."""
    dlv, policy = setup.delivery, setup.policy
    counts = {"succeeded": 0, "failed": 0, "dead": 0}
    async with sessionmaker() as session, session.begin():
        for item, outcome in results:
            attempts = item.attempts_before + 1
            values: dict[str, Any] = {
                "attempts": attempts,
                "last_attempt_at": func.now(),
                "last_status_code": outcome.status_code,
                "last_error": outcome.error,
            }
            if outcome.ok:
                values |= {"status": DeliveryStatus.SUCCEEDED.value, "next_attempt_at": None}
            else:
                delay = policy.retry_delay_s(attempts)
                if delay is None:
                    values |= {"status": DeliveryStatus.DEAD.value, "next_attempt_at": None}
                else:
                    values |= {
                        "status": DeliveryStatus.FAILED.value,
                        "next_attempt_at": func.now() + timedelta(seconds=delay),
                    }
            statement = (
                update(dlv)
                .where(
                    dlv.id == item.delivery_id, dlv.attempts == item.attempts_before, _due_status(dlv.status)
                )
                .values(**values)
                .returning(dlv.id)
            )
            if (await session.execute(statement)).first() is None:
                continue
            counts[values["status"]] += 1
            if not outcome.ok:
                # Never the URL (its query may hold the receiver's token), never the secret.
                logger.warning(
                    "webhook attempt failed: subscription=%s delivery=%s attempt=%d/%d outcome=%s",
                    item.subscription_id, item.delivery_id, attempts, policy.max_attempts, values["status"],
                )  # fmt: skip
    return counts


async def send_due(
    sessionmaker: async_sessionmaker[AsyncSession],
    setup: WebhookSetup,
    cipher: PiiCipher,
    client: httpx.AsyncClient,
) -> dict[str, int]:
    """One run of the sender: claim, POST with at most `concurrency` attempts at once, record."""
    items = await claim_due(sessionmaker, setup, cipher)
    if not items:
        return {"claimed": 0}
    slots = asyncio.Semaphore(setup.policy.concurrency)

    async def one(item: Attempt) -> tuple[Attempt, Outcome]:
        async with slots:
            return item, await attempt(client, item, setup)

    results = await asyncio.gather(*(one(item) for item in items))
    return {"claimed": len(items), **await record_outcomes(sessionmaker, setup, results)}


def default_client(policy: DeliveryPolicy) -> httpx.AsyncClient:
    """Redirects are not followed: a receiver cannot send us to a host off the allow-list."""
    return httpx.AsyncClient(
        timeout=httpx.Timeout(policy.timeout_s),
        follow_redirects=False,
        limits=httpx.Limits(max_connections=policy.concurrency * 2),
        headers={"user-agent": USER_AGENT},
    )


# ---------------------------------------------------------------------------------------- the jobs


def register_webhook_jobs(
    registry: JobRegistry,
    models: PlatformModels,
    catalogue: EventCatalogue,
    settings: Callable[[], BaseServiceSettings],
    *,
    client_factory: ClientFactory = default_client,
) -> None:
    """Add the fan-out and the sender to a service's job registry. `settings` is read when a job first
    runs (a registry is also built where no settings are configured, e.g. to list its kinds)."""
    built: list[tuple[WebhookSetup, PiiCipher]] = []

    def configured() -> tuple[WebhookSetup, PiiCipher]:
        if not built:
            current = settings()
            built.append((webhook_setup(models, catalogue, current), secret_cipher(current)))
        return built[0]

    async def fan_out_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        setup, _ = configured()
        # In the job's own transaction: deliveries and cursors commit with the job's success.
        return {"created": await fan_out(ctx.session, setup, models.outbox)}

    async def send_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        setup, cipher = configured()
        async with client_factory(setup.policy) as client:
            return dict(await send_due(ctx.sessionmaker, setup, cipher, client))

    async def purge_job(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"purged": await purge_webhook_jobs(ctx.session, models.job)}

    registry.register(WEBHOOK_FAN_OUT, fan_out_job, max_attempts=3, timeout_s=120)
    registry.register(WEBHOOK_JOBS_PURGE, purge_job, max_attempts=3, timeout_s=300)
    # Its runs are bounded by the claim lease (attempts time out on their own); this is a backstop.
    registry.register(WEBHOOK_SEND, send_job, max_attempts=3, timeout_s=SEND_JOB_TIMEOUT_S)


def webhook_periodic(every_s: float) -> list[PeriodicJob]:
    """The fan-out and the sender every `every_s` seconds (the setting `WEBHOOK_EVERY_S`), and the
    purge of their finished runs hourly."""
    return [
        PeriodicJob(WEBHOOK_FAN_OUT, every_s=every_s),
        PeriodicJob(WEBHOOK_SEND, every_s=every_s),
        PeriodicJob(WEBHOOK_JOBS_PURGE, every_s=3600),
    ]


async def purge_webhook_jobs(
    session: AsyncSession, model: type[JobMixin], *, older_than: timedelta = WEBHOOK_JOBS_KEPT
) -> int:
    """Delete the fan-out's and the sender's succeeded runs older than `older_than` (thousands a day);
    dead ones stay for the platform's own purge, to be looked into."""
    statement = (
        delete(model)
        .where(
            model.kind.in_([WEBHOOK_FAN_OUT, WEBHOOK_SEND]),
            model.status == JobStatus.SUCCEEDED.value,
            model.finished_at < func.clock_timestamp() - older_than,
        )
        .returning(model.id)
    )
    return len((await session.execute(statement)).all())

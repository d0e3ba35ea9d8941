"""Jobs kept in the service's own PostgreSQL (decision 8): enqueued in the transaction of the change that
asks for them, leased by a worker, retried with back-off, and picked up again when a worker dies.

Each service passes its own table (a `JobMixin` model) to every call here. Delivery is at least once:
a handler may run again after a crash or a lost lease, so it must be idempotent. What a handler
writes through `ctx.session` commits in the same transaction that marks the job succeeded, so those
writes happen exactly once; what it commits through `ctx.sessionmaker` is visible at once but may be
repeated by a later attempt.

Framework-free on purpose: domain services enqueue jobs, and they must not import FastAPI.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import socket
import time
import traceback
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python
from sqlalchemy import ColumnElement, String, and_, delete, func, literal_column, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from servicekit.db.base import new_id
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.db.platform import JobMixin
from servicekit.observability import scrub
from servicekit.schemas import ReadModel

logger = logging.getLogger("servicekit.jobs")

JobT = TypeVar("JobT", bound=JobMixin)
MAX_ERROR_CHARS = 2000
# `max_attempts = 0` on a row means "the kind's registered default"; the worker resolves it on claim.
UNSET_MAX_ATTEMPTS = 0
_random = random.SystemRandom()


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    DEAD = "dead"


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED_STATUSES = (JobStatus.SUCCEEDED, JobStatus.DEAD)


def _status_in(column: InstrumentedAttribute[str], *statuses: JobStatus) -> ColumnElement[bool]:
    """`status IN ('queued', ...)` with the values inline, not bound: only then can PostgreSQL's generic
    plans (asyncpg prepares every statement) prove the partial indexes' predicates and use them."""
    values = [literal_column(f"'{status.value}'", String) for status in statuses]
    return column == values[0] if len(values) == 1 else column.in_(values)


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help (a malformed file, a deleted record): dead at once."""


class JobTimeout(TimeoutError):
    """The handler ran longer than its kind's `timeout_s` and was cancelled."""


class LeaseLost(Exception):
    """Another worker took the job over (this one's lease ran out): this attempt's outcome is discarded."""


# ---------------------------------------------------------------------------------------------- reading


class JobProgress(BaseModel):
    done: int
    total: int | None = None
    note: str | None = None


class JobRead(ReadModel):
    """What a service may expose about a job (e.g. `GET /v1/jobs/{id}`); never the payload."""

    id: uuid.UUID
    kind: str
    status: JobStatus
    attempts: int
    progress: JobProgress | None
    result: dict[str, Any] | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


async def get_job(session: AsyncSession, model: type[JobT], job_id: uuid.UUID) -> JobT | None:
    """The job as it is now in the database (re-read even if the session already holds it)."""
    return await session.get(model, job_id, populate_existing=True)


# ---------------------------------------------------------------------------------------------- enqueueing


async def enqueue(
    session: AsyncSession,
    model: type[JobT],
    kind: str,
    payload: Mapping[str, Any],
    *,
    run_after: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
    created_by: str | None = None,
) -> JobT:
    """Add a job in the caller's transaction (flushed, not committed): it exists only if the caller commits.

    With a `dedupe_key` that a queued or running job already holds, that job is returned instead.
    Payloads carry ids, never personal data; UUIDs and dates are stored as strings.
    """
    job, _ = await _enqueue(
        session,
        model,
        kind,
        payload,
        run_after=run_after,
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
        created_by=created_by,
    )
    return job


async def _enqueue(
    session: AsyncSession,
    model: type[JobT],
    kind: str,
    payload: Mapping[str, Any],
    *,
    run_after: datetime | ColumnElement[datetime] | None,
    dedupe_key: str | None,
    max_attempts: int | None,
    created_by: str | None,
) -> tuple[JobT, bool]:
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if isinstance(run_after, datetime) and run_after.tzinfo is None:
        raise ValueError("run_after must be timezone-aware")
    values: dict[str, Any] = {
        "id": new_id(),
        "kind": kind,
        "payload": to_jsonable_python(dict(payload)),
        "dedupe_key": dedupe_key,
        "status": JobStatus.QUEUED.value,
        "attempts": 0,
        "max_attempts": max_attempts or UNSET_MAX_ATTEMPTS,
        "created_by": created_by,
    }
    if run_after is not None:
        values["run_after"] = run_after
    insert = pg_insert(model).values(**values)
    if dedupe_key is None:
        return (await session.scalars(insert.returning(model))).one(), True
    # No conflict target: PostgreSQL then honours the partial unique index on dedupe_key without our
    # having to repeat its predicate. A concurrent uncommitted insert of the same key makes this wait
    # for that transaction, then skip.
    insert = insert.on_conflict_do_nothing()
    existing_query = (
        select(model)
        .where(model.dedupe_key == dedupe_key, _status_in(model.status, *ACTIVE_STATUSES))
        .execution_options(populate_existing=True)
    )
    for _ in range(3):  # the holder may finish between the insert and the lookup; then insert again
        created = (await session.scalars(insert.returning(model))).one_or_none()
        if created is not None:
            return created, True
        existing = (await session.scalars(existing_query)).one_or_none()
        if existing is not None:
            return existing, False
    raise RuntimeError(f"could not enqueue a job with dedupe key {dedupe_key!r}")  # pragma: no cover


async def purge_finished_jobs(session: AsyncSession, model: type[JobMixin], *, older_than: timedelta) -> int:
    """Delete succeeded and dead jobs finished longer ago than `older_than`; returns how many."""
    statement = (
        delete(model)
        .where(
            _status_in(model.status, *FINISHED_STATUSES),
            model.finished_at < func.clock_timestamp() - older_than,
        )
        .returning(model.id)
    )
    return len((await session.execute(statement)).all())


# ---------------------------------------------------------------------------------------------- registry

Handler = Callable[["JobContext", dict[str, Any]], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class JobSpec:
    kind: str
    handler: Handler
    max_attempts: int
    timeout_s: float


class JobRegistry:
    """Which handler runs which kind of job, with its retry and time limits."""

    def __init__(self) -> None:
        self._specs: dict[str, JobSpec] = {}

    def register(self, kind: str, handler: Handler, *, max_attempts: int = 5, timeout_s: float = 600) -> None:
        if kind in self._specs:
            raise ValueError(f"job kind {kind!r} is already registered")
        if max_attempts < 1 or timeout_s <= 0:
            raise ValueError("max_attempts must be at least 1 and timeout_s positive")
        self._specs[kind] = JobSpec(kind, handler, max_attempts, timeout_s)

    def job(
        self, kind: str, *, max_attempts: int = 5, timeout_s: float = 600
    ) -> Callable[[Handler], Handler]:
        """Decorator form of `register`."""

        def decorate(handler: Handler) -> Handler:
            self.register(kind, handler, max_attempts=max_attempts, timeout_s=timeout_s)
            return handler

        return decorate

    def get(self, kind: str) -> JobSpec | None:
        return self._specs.get(kind)

    def __contains__(self, kind: object) -> bool:
        return kind in self._specs

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self._specs)


# ---------------------------------------------------------------------------------------------- worker


@dataclass(frozen=True)
class Backoff:
    """Delay before attempt n+1: `base_s * 2**n`, capped, less up to `jitter` of it at random."""

    base_s: float = 1.0
    cap_s: float = 600.0
    jitter: float = 0.5

    def delay_s(self, attempt: int) -> float:
        full = min(self.cap_s, self.base_s * 2.0 ** min(attempt, 32))
        return full * (1 - self.jitter * _random.random())


@dataclass(frozen=True)
class PeriodicJob:
    """Run once per slot of `every_s` seconds, whichever workers are up.

    Slots start at multiples of `every_s` since the Unix epoch (`every_s=86400` runs at 00:00 UTC), so
    the first run comes at the next slot after start-up, not at once. A run still going when its next
    slot starts makes that slot be skipped, never queued twice.
    """

    kind: str
    every_s: float
    payload: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dedupe_key(self) -> str:
        return f"periodic:{self.kind}"


@dataclass(frozen=True)
class _Claim:
    id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int
    spec: JobSpec | None  # None: settled in the claim itself (unknown kind, or out of attempts)


class JobContext:
    """What a handler gets besides its payload."""

    def __init__(
        self,
        *,
        claim: _Claim,
        session: AsyncSession,
        sessionmaker: async_sessionmaker[AsyncSession],
        write_progress: Callable[[dict[str, Any]], Awaitable[bool]],
        progress_interval_s: float,
    ) -> None:
        self.job_id = claim.id
        self.kind = claim.kind
        self.attempt = claim.attempt
        self.max_attempts = claim.max_attempts
        # Committed by the worker together with the job's success, rolled back on failure.
        self.session = session
        # For work that commits in steps (large imports): visible at once, possibly repeated on retry.
        self.sessionmaker = sessionmaker
        self.lease_lost = False
        self.latest_progress: dict[str, Any] | None = None
        self._write_progress = write_progress
        self._progress_interval_s = progress_interval_s
        self._progress_written_at = float("-inf")

    async def progress(self, done: int, total: int | None = None, note: str | None = None) -> None:
        """Record progress in its own short transaction, so readers see it while the job runs.

        Writes are spaced by the worker's `progress_interval_s` (the last value is always stored when
        the job succeeds). `note` is shown to users: no personal data.
        """
        self.latest_progress = JobProgress(done=done, total=total, note=note).model_dump()
        now = time.monotonic()
        final = total is not None and done >= total
        if not final and now - self._progress_written_at < self._progress_interval_s:
            return
        self._progress_written_at = now
        if not await self._write_progress(self.latest_progress):
            self.lease_lost = True
            raise LeaseLost(f"job {self.job_id} was taken over by another worker")


def describe_error(exc: BaseException) -> str:
    """`Type: message` for `last_error`: scrubbed of personal numbers, truncated, never a traceback.

    Database errors keep the server's one-line message only: SQLAlchemy's text carries the statement
    and its parameters, and the server's DETAIL quotes the row's values. Validation errors keep where
    and what, never the input.
    """
    name = type(exc).__name__
    if isinstance(exc, StatementError):
        driver_error = (exc.orig.__cause__ or exc.orig) if exc.orig is not None else None
        lines = str(driver_error).splitlines() if driver_error is not None else []
        message = f"({type(driver_error).__name__}) {lines[0]}" if lines else ""
    elif isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(map(str, error['loc'])) or '(root)'}: {error['type']}" for error in exc.errors()
        )
        message = f"{exc.error_count()} invalid for {exc.title}: {problems}"
    else:
        message = str(exc)
    text = scrub(f"{name}: {message}" if message else name)
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def _where(exc: BaseException) -> str:
    """The innermost frames as `file:line function`: where it failed, without any value."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " < ".join(
        f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(frames)
    )


class Worker:
    """Claims ready jobs one at a time, runs them under a lease kept alive by a heartbeat."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        model: type[JobMixin],
        registry: JobRegistry,
        *,
        worker_id: str,
        lease_s: float = 30.0,
        poll_interval_s: float = 1.0,
        periodic: Sequence[PeriodicJob] = (),
        backoff: Backoff = Backoff(),
        progress_interval_s: float = 1.0,
    ) -> None:
        if not worker_id or len(worker_id) > 120:
            raise ValueError("worker_id must be 1 to 120 characters")
        if lease_s <= 0 or poll_interval_s <= 0:
            raise ValueError("lease_s and poll_interval_s must be positive")
        for job in periodic:
            if job.kind not in registry:
                raise ValueError(f"periodic job kind {job.kind!r} has no registered handler")
            if job.every_s <= 0:
                raise ValueError("every_s must be positive")
        self.worker_id = worker_id
        self.lease_s = lease_s
        self.poll_interval_s = poll_interval_s
        self.backoff = backoff
        self.progress_interval_s = progress_interval_s
        self._sessionmaker = sessionmaker
        self._model = model
        self._registry = registry
        self._periodic = tuple(periodic)
        self._periodic_due = dict.fromkeys((job.kind for job in periodic), 0.0)

    # -------------------------------------------------------------------------------- loop

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set; the current job is finished first (a killed process leaves its
        lease to expire, and another worker retries the job)."""
        logger.info(
            "job worker started: id=%s kinds=%s", self.worker_id, ",".join(sorted(self._registry.kinds))
        )
        while not stop.is_set():
            worked = False
            try:
                await self.schedule_periodic()
                worked = await self.run_once()
            except Exception:
                logger.exception("job worker %s: loop failed; trying again", self.worker_id)
            if not worked:
                try:
                    async with asyncio.timeout(self.poll_interval_s):
                        await stop.wait()
                except TimeoutError:
                    pass
        logger.info("job worker stopped: id=%s", self.worker_id)

    async def run_once(self) -> bool:
        """Claim one ready job and run it to its outcome; False when none was ready."""
        claim = await self._claim()
        if claim is None:
            return False
        if claim.spec is not None:
            await self._run(claim, claim.spec)
        if claim.kind in self._periodic_due:
            self._periodic_due[claim.kind] = 0.0  # queue its next slot now, so none is missed
        return True

    async def schedule_periodic(self) -> int:
        """Queue the next run of each periodic job that has none queued or running; returns how many."""
        scheduled = 0
        for job in self._periodic:
            if time.monotonic() < self._periodic_due[job.kind]:
                continue
            scheduled += await self._schedule(job)
            # Often enough to queue the next slot before it starts; cheap (one index probe).
            self._periodic_due[job.kind] = time.monotonic() + min(job.every_s / 2, 30.0)
        return scheduled

    # -------------------------------------------------------------------------------- claiming

    def _fence(self, claim: _Claim) -> ColumnElement[bool]:
        """Matches the job only while this worker still holds this attempt's lease."""
        m = self._model
        return and_(
            m.id == claim.id,
            m.status == JobStatus.RUNNING.value,
            m.locked_by == self.worker_id,
            m.attempts == claim.attempt,
        )

    def _lease_end(self) -> ColumnElement[datetime]:
        return func.clock_timestamp() + timedelta(seconds=self.lease_s)

    async def _claim(self) -> _Claim | None:
        m = self._model
        now = func.now()
        ready = or_(
            and_(_status_in(m.status, JobStatus.QUEUED), m.run_after <= now),
            # A running job whose lease ran out: its worker died or hung.
            and_(_status_in(m.status, JobStatus.RUNNING), m.locked_until < now),
        )
        query = (
            select(m.id, m.kind, m.payload, m.status, m.attempts, m.max_attempts, m.locked_by)
            .where(ready)
            .order_by(m.run_after)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        async with self._sessionmaker() as session, session.begin():
            row = (await session.execute(query)).one_or_none()
            if row is None:
                return None
            spec = self._registry.get(row.kind)
            limit = row.max_attempts or (spec.max_attempts if spec is not None else 1)
            claim = _Claim(row.id, row.kind, dict(row.payload), row.attempts + 1, limit, spec)
            values: dict[str, Any] = {
                "status": JobStatus.RUNNING.value,
                "locked_by": self.worker_id,
                "locked_until": self._lease_end(),
                "attempts": claim.attempt,
                "max_attempts": limit,
                "progress": None,
            }
            settled: str | None = None
            if row.status == JobStatus.RUNNING.value:
                values["last_error"] = (
                    f"LeaseExpired: attempt {row.attempts} on worker {row.locked_by} ended without an outcome"
                )
                if row.attempts >= limit:
                    values["attempts"] = row.attempts
                    settled = values["last_error"]
            if settled is None and spec is None:
                settled = f"UnknownJobKind: no handler is registered for job kind {row.kind!r}"
            if settled is not None:
                values |= {
                    "status": JobStatus.DEAD.value,
                    "locked_until": None,
                    "last_error": settled,
                    "finished_at": func.clock_timestamp(),
                }
                claim = _Claim(claim.id, claim.kind, {}, values["attempts"], limit, None)
            await session.execute(update(m).where(m.id == row.id).values(**values))
        if claim.spec is None:
            logger.error(
                "job dead: kind=%s id=%s attempt=%d/%d error=%s",
                claim.kind, claim.id, claim.attempt, limit, settled,
            )  # fmt: skip
        return claim

    async def _schedule(self, job: PeriodicJob) -> bool:
        every_s = float(job.every_s)
        epoch = func.extract("epoch", func.clock_timestamp())
        next_slot = func.to_timestamp((func.floor(epoch / every_s) + 1) * every_s)
        async with self._sessionmaker() as session, session.begin():
            # While the queued (or running) run holds the dedupe key, this is a no-op, whichever
            # worker tries: the partial unique index arbitrates.
            _, created = await _enqueue(
                session,
                self._model,
                job.kind,
                job.payload,
                run_after=next_slot,
                dedupe_key=job.dedupe_key,
                max_attempts=None,
                created_by=f"periodic:{self.worker_id}",
            )
        return created

    # -------------------------------------------------------------------------------- running

    async def _run(self, claim: _Claim, spec: JobSpec) -> None:
        started = time.monotonic()
        logger.info(
            "job started: kind=%s id=%s attempt=%d/%d",
            claim.kind,
            claim.id,
            claim.attempt,
            claim.max_attempts,
        )
        failure: BaseException | None = None
        async with self._sessionmaker() as session:
            ctx = JobContext(
                claim=claim,
                session=session,
                sessionmaker=self._sessionmaker,
                write_progress=lambda progress: self._write_progress(claim, progress),
                progress_interval_s=self.progress_interval_s,
            )
            try:
                result = await self._supervise(claim, spec, ctx)
                await self._succeed(session, claim, ctx, result)
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if (current is not None and current.cancelling()) or not ctx.lease_lost:
                    raise  # this worker is being stopped: the lease expires, another worker retries
                self._log_lease_lost(claim)
                return
            except LeaseLost:
                self._log_lease_lost(claim)
                return
            except Exception as exc:
                await session.rollback()
                failure = exc
        if failure is None:
            logger.info(
                "job succeeded: kind=%s id=%s attempt=%d",
                claim.kind, claim.id, claim.attempt,
                extra={"duration_ms": round((time.monotonic() - started) * 1000)},
            )  # fmt: skip
        else:
            await self._fail(claim, failure, started)

    async def _supervise(self, claim: _Claim, spec: JobSpec, ctx: JobContext) -> dict[str, Any] | None:
        """Run the handler under its time limit while a heartbeat keeps the lease."""
        handler = asyncio.create_task(
            self._call(spec, ctx, claim.payload), name=f"job {claim.kind} {claim.id}"
        )
        finished = asyncio.Event()
        heartbeat = asyncio.create_task(self._heartbeat(claim, ctx, handler, finished))
        try:
            return await handler
        finally:
            finished.set()
            await heartbeat

    @staticmethod
    async def _call(spec: JobSpec, ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any] | None:
        limit = asyncio.timeout(spec.timeout_s)
        try:
            async with limit:
                result = await spec.handler(ctx, payload)
        except TimeoutError:
            if limit.expired():
                raise JobTimeout(
                    f"the handler ran longer than {spec.timeout_s:g} s and was cancelled"
                ) from None
            raise
        if result is not None and not isinstance(result, dict):
            raise TypeError(f"a job handler returns a dict or None, not {type(result).__name__}")
        return result

    async def _heartbeat(
        self, claim: _Claim, ctx: JobContext, handler: asyncio.Task[Any], finished: asyncio.Event
    ) -> None:
        interval = self.lease_s / 3
        while True:
            try:
                async with asyncio.timeout(interval):
                    await finished.wait()
                return
            except TimeoutError:
                pass
            try:
                held = await self._extend_lease(claim)
            except Exception:
                # A database blip: try again next beat; if the lease really runs out, the fence stops us.
                logger.warning("job heartbeat failed: kind=%s id=%s", claim.kind, claim.id, exc_info=True)
                continue
            if not held:
                ctx.lease_lost = True
                handler.cancel()
                return

    async def _extend_lease(self, claim: _Claim) -> bool:
        m = self._model
        statement = update(m).where(self._fence(claim)).values(locked_until=self._lease_end()).returning(m.id)
        async with self._sessionmaker() as session, session.begin():
            return (await session.execute(statement)).first() is not None

    async def _write_progress(self, claim: _Claim, progress: dict[str, Any]) -> bool:
        m = self._model
        statement = update(m).where(self._fence(claim)).values(progress=progress).returning(m.id)
        async with self._sessionmaker() as session, session.begin():
            return (await session.execute(statement)).first() is not None

    async def _succeed(
        self, session: AsyncSession, claim: _Claim, ctx: JobContext, result: dict[str, Any] | None
    ) -> None:
        m = self._model
        values: dict[str, Any] = {
            "status": JobStatus.SUCCEEDED.value,
            "result": to_jsonable_python(result),
            "locked_until": None,
            "finished_at": func.clock_timestamp(),
        }
        if ctx.latest_progress is not None:
            values["progress"] = ctx.latest_progress
        statement = update(m).where(self._fence(claim)).values(**values).returning(m.id)
        if (await session.execute(statement)).first() is None:
            await session.rollback()
            ctx.lease_lost = True
            raise LeaseLost(f"job {claim.id} was taken over by another worker")
        # The handler's own writes in ctx.session commit here, with the success.
        await session.commit()

    async def _fail(self, claim: _Claim, exc: BaseException, started: float) -> None:
        m = self._model
        error = describe_error(exc)
        retry = claim.attempt < claim.max_attempts and not isinstance(exc, PermanentJobError)
        delay_s = self.backoff.delay_s(claim.attempt) if retry else 0.0
        values: dict[str, Any] = (
            {
                "status": JobStatus.QUEUED.value,
                "run_after": func.clock_timestamp() + timedelta(seconds=delay_s),
                "locked_by": None,
                "locked_until": None,
                "last_error": error,
            }
            if retry
            else {
                "status": JobStatus.DEAD.value,
                "locked_until": None,
                "finished_at": func.clock_timestamp(),
                "last_error": error,
            }
        )
        statement = update(m).where(self._fence(claim)).values(**values).returning(m.id)
        async with self._sessionmaker() as session, session.begin():
            held = (await session.execute(statement)).first() is not None
        if not held:
            self._log_lease_lost(claim)
            return
        duration = {"duration_ms": round((time.monotonic() - started) * 1000)}
        # The error's type and where it arose; its message stays in last_error (it may quote data).
        outcome = f"failed, retrying in {delay_s:.1f} s" if retry else "dead"
        logger.log(
            logging.WARNING if retry else logging.ERROR,
            "job %s: kind=%s id=%s attempt=%d/%d error=%s at %s",
            outcome, claim.kind, claim.id, claim.attempt, claim.max_attempts, type(exc).__name__, _where(exc),
            extra=duration,
        )  # fmt: skip

    def _log_lease_lost(self, claim: _Claim) -> None:
        logger.warning(
            "job lease lost, outcome discarded: kind=%s id=%s attempt=%d", claim.kind, claim.id, claim.attempt
        )


# ---------------------------------------------------------------------------------------------- process


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


async def run_worker(
    database_url: str,
    model: type[JobMixin],
    registry: JobRegistry,
    *,
    worker_id: str | None = None,
    concurrency: int = 1,
    periodic: Sequence[PeriodicJob] = (),
    lease_s: float = 30.0,
    poll_interval_s: float = 1.0,
    backoff: Backoff = Backoff(),
    progress_interval_s: float = 1.0,
    statement_timeout_ms: int = 300_000,
    app_name: str = "noxh-worker",
    stop: asyncio.Event | None = None,
) -> None:
    """Body of a service's `python -m <service>.worker`: `concurrency` workers on one engine.

    SIGINT/SIGTERM: finish the current jobs and return; a second signal stops at once (the leases
    expire and other workers retry those jobs). Logging is configured by the caller.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    stop = stop if stop is not None else asyncio.Event()
    base_id = worker_id or default_worker_id()
    # Per worker: the claim or heartbeat, the handler's session, its progress writes.
    engine = make_engine(
        database_url,
        pool_size=3 * concurrency + 1,
        statement_timeout_ms=statement_timeout_ms,
        app_name=app_name,
    )
    sessionmaker = make_sessionmaker(engine)
    workers = [
        Worker(
            sessionmaker,
            model,
            registry,
            worker_id=base_id if concurrency == 1 else f"{base_id[:115]}/{n}",
            lease_s=lease_s,
            poll_interval_s=poll_interval_s,
            periodic=periodic,
            backoff=backoff,
            progress_interval_s=progress_interval_s,
        )
        for n in range(concurrency)
    ]
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    def on_signal() -> None:
        if stop.is_set() and main is not None:
            logger.warning("job workers: second signal, stopping now")
            main.cancel()
        else:
            logger.info("job workers: stopping after the current jobs")
            stop.set()

    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        loop.add_signal_handler(sig, on_signal)
    try:
        await asyncio.gather(*(worker.run_forever(stop) for worker in workers))
    finally:
        for sig, handler in previous.items():
            loop.remove_signal_handler(sig)
            signal.signal(sig, handler)
        await engine.dispose()

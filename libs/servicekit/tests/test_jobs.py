"""The PostgreSQL job runner against a real database, with real commits and several workers."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sample_service.models import Job, Widget
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.jobs import (
    Backoff,
    JobContext,
    JobRead,
    JobRegistry,
    JobStatus,
    PeriodicJob,
    PermanentJobError,
    Worker,
    describe_error,
    enqueue,
    get_job,
    purge_finished_jobs,
    run_worker,
)

Sessionmaker = async_sessionmaker[AsyncSession]
Payload = dict[str, Any]
FAST = Backoff(base_s=0.02, cap_s=0.2, jitter=0.5)


def make_worker(sm: Sessionmaker, registry: JobRegistry, name: str = "w1", **options: Any) -> Worker:
    options = {"lease_s": 1.0, "poll_interval_s": 0.02, "backoff": FAST, "progress_interval_s": 0, **options}
    return Worker(sm, Job, registry, worker_id=name, **options)


async def add_job(sm: Sessionmaker, kind: str, payload: Payload | None = None, **options: Any) -> uuid.UUID:
    async with sm() as session, session.begin():
        job = await enqueue(session, Job, kind, payload or {}, **options)
    return job.id


async def load(sm: Sessionmaker, job_id: uuid.UUID) -> Job:
    async with sm() as session:
        job = await get_job(session, Job, job_id)
    assert job is not None
    return job


async def count(sm: Sessionmaker, model: type[Job] | type[Widget]) -> int:
    async with sm() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not await check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def has_status(sm: Sessionmaker, job_id: uuid.UUID, status: JobStatus) -> bool:
    return (await load(sm, job_id)).status == status


@contextlib.asynccontextmanager
async def running(*workers: Worker) -> AsyncIterator[None]:
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run_forever(stop)) for worker in workers]
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)


@pytest.fixture
def registry() -> JobRegistry:
    return JobRegistry()


class TestRunning:
    async def test_a_job_runs_to_success_with_its_result(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        seen: list[Payload] = []

        @registry.job("widgets.create")
        async def create_widgets(ctx: JobContext, payload: Payload) -> Payload:
            seen.append(payload)
            # Written through ctx.session: committed with the job's success.
            ctx.session.add(Widget(name=payload["name"], province_code="31"))
            return {"created": 1, "attempt": ctx.attempt}

        owner = uuid.uuid4()
        job_id = await add_job(committing_sessionmaker, "widgets.create", {"name": "a", "owner": owner})
        assert await make_worker(committing_sessionmaker, registry).run_once() is True

        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.attempts, job.result) == ("succeeded", 1, {"created": 1, "attempt": 1})
        assert job.finished_at is not None
        assert job.locked_until is None
        assert job.locked_by == "w1"
        assert seen == [{"name": "a", "owner": str(owner)}]  # UUIDs travel as strings
        assert await count(committing_sessionmaker, Widget) == 1
        read = JobRead.model_validate(job)
        assert read.status is JobStatus.SUCCEEDED
        assert read.result == {"created": 1, "attempt": 1}
        assert "payload" not in read.model_dump()
        assert await make_worker(committing_sessionmaker, registry).run_once() is False

    async def test_enqueue_is_part_of_the_callers_transaction(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        async with committing_sessionmaker() as session:
            session.add(Widget(name="w", province_code="31"))
            job = await enqueue(session, Job, "noop", {})
            assert job.status == "queued"  # flushed: the row exists inside the transaction
            assert job.created_at is not None
            await session.rollback()
        assert await count(committing_sessionmaker, Job) == 0
        assert await make_worker(committing_sessionmaker, registry).run_once() is False

        async with committing_sessionmaker() as session:
            await enqueue(session, Job, "noop", {})
            await session.commit()
        assert await count(committing_sessionmaker, Job) == 1

    async def test_a_job_waits_for_its_run_after(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        later = datetime.now(UTC) + timedelta(hours=1)
        job_id = await add_job(committing_sessionmaker, "noop", run_after=later)
        assert await make_worker(committing_sessionmaker, registry).run_once() is False
        assert (await load(committing_sessionmaker, job_id)).status == "queued"

    async def test_enqueue_refuses_bad_arguments(self, committing_sessionmaker: Sessionmaker) -> None:
        async with committing_sessionmaker() as session:
            with pytest.raises(ValueError, match="max_attempts"):
                await enqueue(session, Job, "noop", {}, max_attempts=0)
            with pytest.raises(ValueError, match="timezone"):
                await enqueue(session, Job, "noop", {}, run_after=datetime(2030, 1, 1))  # noqa: DTZ001


class TestDedupe:
    async def test_a_dedupe_key_returns_the_queued_job(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        first = await add_job(committing_sessionmaker, "noop", {"n": 1}, dedupe_key="k")
        second = await add_job(committing_sessionmaker, "noop", {"n": 2}, dedupe_key="k")
        assert second == first
        assert await count(committing_sessionmaker, Job) == 1

        assert await make_worker(committing_sessionmaker, registry).run_once() is True
        # A finished job no longer holds the key.
        third = await add_job(committing_sessionmaker, "noop", {"n": 3}, dedupe_key="k")
        assert third != first
        assert await count(committing_sessionmaker, Job) == 2

    async def test_a_concurrent_enqueue_waits_and_returns_the_committed_job(
        self, committing_sessionmaker: Sessionmaker
    ) -> None:
        async with committing_sessionmaker() as first:
            mine = await enqueue(first, Job, "noop", {}, dedupe_key="k")
            other = asyncio.create_task(add_job(committing_sessionmaker, "noop", dedupe_key="k"))
            await asyncio.sleep(0.2)
            assert not other.done()  # waiting on the uncommitted row of the same key
            await first.commit()
        assert await asyncio.wait_for(other, 5) == mine.id
        assert await count(committing_sessionmaker, Job) == 1


class TestRetries:
    async def test_a_failing_job_is_retried_with_backoff_then_dead(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        started: list[float] = []

        @registry.job("flaky", max_attempts=3)
        async def flaky(ctx: JobContext, payload: Payload) -> None:
            started.append(time.monotonic())
            ctx.session.add(Widget(name=f"w{ctx.attempt}", province_code="31"))
            raise ValueError(f"boom {ctx.attempt}")

        worker = make_worker(
            committing_sessionmaker, registry, backoff=Backoff(base_s=0.1, cap_s=1, jitter=0)
        )
        job_id = await add_job(committing_sessionmaker, "flaky")
        assert await worker.run_once() is True
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.attempts, job.last_error, job.locked_by) == (
            "queued",
            1,
            "ValueError: boom 1",
            None,
        )
        assert await worker.run_once() is False  # backing off

        async def drained() -> bool:
            await worker.run_once()
            return await has_status(committing_sessionmaker, job_id, JobStatus.DEAD)

        await eventually(drained)
        job = await load(committing_sessionmaker, job_id)
        assert (job.attempts, job.last_error) == (3, "ValueError: boom 3")
        assert job.finished_at is not None
        assert len(started) == 3
        assert started[1] - started[0] >= 0.2  # 0.1 * 2**1
        assert started[2] - started[1] >= 0.4  # 0.1 * 2**2
        assert await count(committing_sessionmaker, Widget) == 0  # each attempt's writes rolled back

    async def test_a_permanent_error_is_dead_at_once(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        async def hopeless(ctx: JobContext, payload: Payload) -> None:
            raise PermanentJobError("the file is not a spreadsheet")

        registry.register("hopeless", hopeless, max_attempts=5)
        job_id = await add_job(committing_sessionmaker, "hopeless")
        assert await make_worker(committing_sessionmaker, registry).run_once() is True
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.attempts) == ("dead", 1)
        assert job.last_error == "PermanentJobError: the file is not a spreadsheet"

    async def test_max_attempts_given_at_enqueue_overrides_the_kind_default(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("fails", fails, max_attempts=5)
        job_id = await add_job(committing_sessionmaker, "fails", max_attempts=1)
        default_id = await add_job(committing_sessionmaker, "fails")
        worker = make_worker(committing_sessionmaker, registry)
        assert await worker.run_once() is True
        assert await worker.run_once() is True
        assert (await load(committing_sessionmaker, job_id)).status == "dead"
        default = await load(committing_sessionmaker, default_id)
        assert (default.status, default.max_attempts) == ("queued", 5)

    async def test_a_result_that_is_not_a_dict_is_a_failure(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        async def wrong(ctx: JobContext, payload: Payload) -> Any:
            return [1, 2]

        registry.register("wrong", wrong, max_attempts=1)
        job_id = await add_job(committing_sessionmaker, "wrong")
        await make_worker(committing_sessionmaker, registry).run_once()
        job = await load(committing_sessionmaker, job_id)
        assert job.status == "dead"
        assert job.last_error == "TypeError: a job handler returns a dict or None, not list"

    def test_backoff_doubles_and_is_capped(self) -> None:
        exact = Backoff(base_s=1, cap_s=600, jitter=0)
        assert [exact.delay_s(n) for n in (1, 2, 3, 9, 10, 500)] == [2, 4, 8, 512, 600, 600]
        jittered = Backoff(base_s=1, cap_s=600, jitter=0.5)
        assert all(4 <= jittered.delay_s(3) <= 8 for _ in range(50))

    async def test_a_write_that_fails_at_commit_fails_the_job_without_quoting_data(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry, caplog: pytest.LogCaptureFixture
    ) -> None:
        async with committing_sessionmaker() as session, session.begin():
            session.add(Widget(name="Nguyễn Văn A", province_code="31"))

        @registry.job("copy", max_attempts=1)
        async def copy(ctx: JobContext, payload: Payload) -> Payload:
            # The unique constraint is deferred: this fails at the commit that would mark success.
            ctx.session.add(Widget(name="Nguyễn Văn A", province_code="31"))
            return {"copied": 1}

        job_id = await add_job(committing_sessionmaker, "copy")
        await make_worker(committing_sessionmaker, registry).run_once()
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.result) == ("dead", None)
        assert job.last_error == (
            "IntegrityError: (UniqueViolationError) "
            'duplicate key value violates unique constraint "uq_widget_name"'
        )
        assert "Nguyễn" not in caplog.text
        assert "job dead: kind=copy" in caplog.text
        assert await count(committing_sessionmaker, Widget) == 1

    def test_errors_are_summarised_without_personal_data(self) -> None:
        text = describe_error(ValueError("citizen 001203004567 rejected " + "x" * 5000))
        assert text.startswith("ValueError: citizen [redacted] rejected xxx")
        assert len(text) == 2000
        assert describe_error(KeyError()) == "KeyError"

        class Row(BaseModel):
            name: str
            age: int

        with pytest.raises(ValidationError) as invalid:
            Row.model_validate({"name": 7, "age": "Nguyễn"})
        assert describe_error(invalid.value) == (
            "ValidationError: 2 invalid for Row: name: string_type; age: int_parsing"
        )


class TestProgress:
    async def test_progress_is_visible_while_the_job_runs(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        release = asyncio.Event()

        @registry.job("import")
        async def slow_import(ctx: JobContext, payload: Payload) -> None:
            await ctx.progress(1, 3, "sheet 1")
            await release.wait()
            await ctx.progress(3, 3)

        job_id = await add_job(committing_sessionmaker, "import")
        task = asyncio.create_task(make_worker(committing_sessionmaker, registry).run_once())

        async def first_step_visible() -> bool:
            job = await load(committing_sessionmaker, job_id)
            return job.status == "running" and job.progress == {"done": 1, "total": 3, "note": "sheet 1"}

        await eventually(first_step_visible)
        release.set()
        assert await asyncio.wait_for(task, 5) is True
        job = await load(committing_sessionmaker, job_id)
        assert job.status == "succeeded"
        assert JobRead.model_validate(job).progress is not None
        assert job.progress == {"done": 3, "total": 3, "note": None}

    async def test_progress_writes_are_spaced_and_the_last_one_is_kept(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        seen_while_running: list[Any] = []

        @registry.job("count")
        async def counting(ctx: JobContext, payload: Payload) -> None:
            for done in range(1, 6):
                await ctx.progress(done, 10)
            seen_while_running.append((await load(committing_sessionmaker, ctx.job_id)).progress)

        job_id = await add_job(committing_sessionmaker, "count")
        await make_worker(committing_sessionmaker, registry, progress_interval_s=60).run_once()
        assert seen_while_running == [{"done": 1, "total": 10, "note": None}]
        assert (await load(committing_sessionmaker, job_id)).progress == {
            "done": 5,
            "total": 10,
            "note": None,
        }


class TestLeases:
    async def test_a_job_survives_its_worker_dying(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        started = asyncio.Event()

        @registry.job("long")
        async def long(ctx: JobContext, payload: Payload) -> Payload:
            if ctx.attempt == 1:
                started.set()
                await asyncio.sleep(60)
            return {"attempt": ctx.attempt}

        job_id = await add_job(committing_sessionmaker, "long")
        dying = asyncio.create_task(
            make_worker(committing_sessionmaker, registry, "w1", lease_s=0.5).run_once()
        )
        await asyncio.wait_for(started.wait(), 5)
        dying.cancel()  # the process is killed mid-job: nothing is written
        with pytest.raises(asyncio.CancelledError):
            await dying
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.locked_by) == ("running", "w1")

        heir = make_worker(committing_sessionmaker, registry, "w2")
        assert await heir.run_once() is False  # the lease still holds
        await eventually(heir.run_once)
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.attempts, job.locked_by, job.result) == ("succeeded", 2, "w2", {"attempt": 2})
        assert job.last_error == "LeaseExpired: attempt 1 on worker w1 ended without an outcome"

    async def test_a_job_lost_on_its_last_attempt_is_dead(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        started = asyncio.Event()
        runs = 0

        @registry.job("fragile", max_attempts=1)
        async def fragile(ctx: JobContext, payload: Payload) -> None:
            nonlocal runs
            runs += 1
            started.set()
            await asyncio.sleep(60)

        job_id = await add_job(committing_sessionmaker, "fragile")
        dying = asyncio.create_task(
            make_worker(committing_sessionmaker, registry, "w1", lease_s=0.3).run_once()
        )
        await asyncio.wait_for(started.wait(), 5)
        dying.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await dying

        await eventually(make_worker(committing_sessionmaker, registry, "w2").run_once)
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.attempts, runs) == ("dead", 1, 1)
        assert job.last_error is not None
        assert job.last_error.startswith("LeaseExpired: attempt 1")

    @pytest.mark.parametrize("noticed_by", ["heartbeat", "progress"])
    async def test_a_worker_that_lost_its_lease_discards_its_outcome(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry, noticed_by: str
    ) -> None:
        started = asyncio.Event()
        cancelled = asyncio.Event()

        @registry.job("long")
        async def long(ctx: JobContext, payload: Payload) -> Payload:
            started.set()
            try:
                for step in range(600):
                    if noticed_by == "progress":
                        await ctx.progress(step)
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return {"finished": True}  # pragma: no cover

        job_id = await add_job(committing_sessionmaker, "long")
        # With progress, a lease of 30 s: the heartbeat would not notice in time.
        lease_s = 0.6 if noticed_by == "heartbeat" else 30
        task = asyncio.create_task(
            make_worker(committing_sessionmaker, registry, "w1", lease_s=lease_s).run_once()
        )
        await asyncio.wait_for(started.wait(), 5)
        async with committing_sessionmaker() as session, session.begin():
            await session.execute(update(Job).where(Job.id == job_id).values(locked_by="thief"))
        assert await asyncio.wait_for(task, 5) is True
        assert cancelled.is_set() == (noticed_by == "heartbeat")
        job = await load(committing_sessionmaker, job_id)
        assert (job.status, job.locked_by, job.result) == ("running", "thief", None)


class TestWorkers:
    async def test_two_workers_run_each_of_20_jobs_exactly_once(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        runs: list[uuid.UUID] = []

        @registry.job("item")
        async def item(ctx: JobContext, payload: Payload) -> None:
            runs.append(ctx.job_id)
            await asyncio.sleep(0.01)

        async with committing_sessionmaker() as session:
            ids = {(await enqueue(session, Job, "item", {"n": n})).id for n in range(20)}
            await session.commit()

        async def all_done() -> bool:
            async with committing_sessionmaker() as session:
                statuses = (await session.scalars(select(Job.status))).all()
            return statuses.count("succeeded") == 20

        async with running(*(make_worker(committing_sessionmaker, registry, f"w{n}") for n in (1, 2))):
            await eventually(all_done)
        assert Counter(runs) == dict.fromkeys(ids, 1)
        async with committing_sessionmaker() as session:
            assert set((await session.scalars(select(Job.attempts))).all()) == {1}

    async def test_periodic_jobs_run_once_per_interval_across_workers(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("tick", noop)
        periodic = [PeriodicJob("tick", every_s=0.4, payload={"scope": "all"})]
        workers = [make_worker(committing_sessionmaker, registry, f"w{n}", periodic=periodic) for n in (1, 2)]

        async def three_ran() -> bool:
            async with committing_sessionmaker() as session:
                statuses = (await session.scalars(select(Job.status))).all()
            return statuses.count("succeeded") >= 3

        started = time.monotonic()
        async with running(*workers):
            await eventually(three_ran)
        assert time.monotonic() - started > 0.8  # three slots span at least two intervals
        async with committing_sessionmaker() as session:
            jobs = (await session.scalars(select(Job).order_by(Job.run_after))).all()
        ran = [job for job in jobs if job.status == "succeeded"]
        assert len(ran) >= 3
        assert [job.status for job in jobs[len(ran) :]] in ([], ["queued"])  # the next slot, waiting
        assert {(job.kind, job.dedupe_key) for job in jobs} == {("tick", "periodic:tick")}
        assert all(job.payload == {"scope": "all"} for job in jobs)
        slots = [job.run_after.timestamp() / 0.4 for job in jobs]
        assert all(abs(slot - round(slot)) < 0.01 for slot in slots)  # on the slot boundaries
        assert [round(b - a) for a, b in itertools.pairwise(slots)] == [1] * (len(slots) - 1)

    async def test_a_periodic_job_already_queued_is_not_queued_again(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("tick", noop)
        periodic = [PeriodicJob("tick", every_s=3600)]
        first = make_worker(committing_sessionmaker, registry, "w1", periodic=periodic)
        second = make_worker(committing_sessionmaker, registry, "w2", periodic=periodic)
        assert await first.schedule_periodic() == 1
        assert await second.schedule_periodic() == 0  # the next hour's run is queued already
        assert await first.schedule_periodic() == 0  # not due yet on this worker
        async with committing_sessionmaker() as session:
            job = (await session.scalars(select(Job))).one()
        assert job.run_after > datetime.now(UTC)
        assert job.run_after.timestamp() % 3600 == 0

    async def test_an_unknown_kind_is_dead_and_the_worker_carries_on(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        unknown = await add_job(committing_sessionmaker, "retired.kind")
        known = await add_job(committing_sessionmaker, "noop")
        async with running(make_worker(committing_sessionmaker, registry)):
            await eventually(lambda: has_status(committing_sessionmaker, known, JobStatus.SUCCEEDED))
        job = await load(committing_sessionmaker, unknown)
        assert (job.status, job.attempts) == ("dead", 1)
        assert job.last_error == "UnknownJobKind: no handler is registered for job kind 'retired.kind'"

    async def test_a_handler_over_its_time_limit_is_cancelled(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        cancelled = asyncio.Event()

        @registry.job("stuck", max_attempts=1, timeout_s=0.2)
        async def stuck(ctx: JobContext, payload: Payload) -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        job_id = await add_job(committing_sessionmaker, "stuck")
        started = time.monotonic()
        assert await make_worker(committing_sessionmaker, registry).run_once() is True
        assert time.monotonic() - started < 2
        assert cancelled.is_set()
        job = await load(committing_sessionmaker, job_id)
        assert job.status == "dead"
        assert job.last_error == "JobTimeout: the handler ran longer than 0.2 s and was cancelled"

    async def test_a_handlers_own_timeout_is_an_ordinary_failure(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        async def upstream_timeout(ctx: JobContext, payload: Payload) -> None:
            raise TimeoutError("upstream did not answer")

        registry.register("call", upstream_timeout, max_attempts=1)
        job_id = await add_job(committing_sessionmaker, "call")
        await make_worker(committing_sessionmaker, registry).run_once()
        assert (
            await load(committing_sessionmaker, job_id)
        ).last_error == "TimeoutError: upstream did not answer"

    async def test_the_loop_outlives_an_unreachable_database(
        self, registry: JobRegistry, caplog: pytest.LogCaptureFixture
    ) -> None:
        engine = make_engine("postgresql+asyncpg://postgres@127.0.0.1:9/none", pool_size=1)
        worker = make_worker(make_sessionmaker(engine), registry)
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run_forever(stop))
        try:
            await eventually(lambda: asyncio.sleep(0, "loop failed" in caplog.text))
            assert not task.done()
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)
            await engine.dispose()

    def test_configuration_errors_are_refused(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        with pytest.raises(ValueError, match="already registered"):
            registry.register("noop", noop)
        with pytest.raises(ValueError, match="max_attempts"):
            registry.register("other", noop, max_attempts=0)
        with pytest.raises(ValueError, match="no registered handler"):
            make_worker(committing_sessionmaker, registry, periodic=[PeriodicJob("nope", every_s=1)])
        with pytest.raises(ValueError, match="every_s"):
            make_worker(committing_sessionmaker, registry, periodic=[PeriodicJob("noop", every_s=0)])
        with pytest.raises(ValueError, match="worker_id"):
            make_worker(committing_sessionmaker, registry, "")
        with pytest.raises(ValueError, match="positive"):
            make_worker(committing_sessionmaker, registry, lease_s=0)
        assert registry.kinds == {"noop"}


class TestHousekeeping:
    async def test_purge_deletes_only_old_finished_jobs(
        self, committing_sessionmaker: Sessionmaker, registry: JobRegistry
    ) -> None:
        registry.register("noop", noop)
        old = await add_job(committing_sessionmaker, "noop")
        await make_worker(committing_sessionmaker, registry).run_once()
        queued = await add_job(committing_sessionmaker, "noop")
        async with committing_sessionmaker() as session, session.begin():
            assert await purge_finished_jobs(session, Job, older_than=timedelta(hours=1)) == 0
            await session.execute(
                update(Job).where(Job.id == old).values(finished_at=func.now() - timedelta(days=8))
            )
            assert await purge_finished_jobs(session, Job, older_than=timedelta(days=7)) == 1
        async with committing_sessionmaker() as session:
            assert (await session.scalars(select(Job.id))).all() == [queued]


class TestRunWorker:
    async def test_the_process_runs_jobs_and_stops_on_sigterm_without_logging_payloads(
        self,
        database_url: str,
        committing_sessionmaker: Sessionmaker,
        registry: JobRegistry,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        registry.register("noop", noop)
        caplog.set_level(logging.INFO, logger="servicekit.jobs")
        job_id = await add_job(committing_sessionmaker, "noop", {"household": "SECRET-PAYLOAD"})
        task = asyncio.create_task(
            run_worker(database_url, Job, registry, worker_id="proc", concurrency=2, poll_interval_s=0.02)
        )
        await eventually(lambda: has_status(committing_sessionmaker, job_id, JobStatus.SUCCEEDED))
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, 5)
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        assert f"job started: kind=noop id={job_id} attempt=1/5" in caplog.text
        assert f"job succeeded: kind=noop id={job_id} attempt=1" in caplog.text
        assert "SECRET-PAYLOAD" not in caplog.text
        assert (await load(committing_sessionmaker, job_id)).locked_by in {"proc/0", "proc/1"}


async def noop(ctx: JobContext, payload: Payload) -> None:
    return None


async def fails(ctx: JobContext, payload: Payload) -> None:
    raise RuntimeError("always")

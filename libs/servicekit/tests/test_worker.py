"""The housekeeping jobs every service's worker runs."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sample_service.app import make_settings
from sample_service.models import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from servicekit.audit import verify_chain
from servicekit.db.platform import PlatformModels
from servicekit.jobs import Worker, enqueue
from servicekit.seed import SeedStep, run_seed_steps, wants_demo
from servicekit.worker import AUDIT_SEAL, IDEMPOTENCY_PURGE, platform_periodic, platform_registry

MODELS = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)


async def test_the_seal_job_chains_the_audit_trail(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: object,
) -> None:
    headers = auth(roles=["commune_officer"], area_codes=["10525"])  # type: ignore[operator]
    for i in range(3):
        body = {"name": f"s{i}", "province_code": "31", "commune_code": "10525"}
        assert (await committing_client.post("/v1/widgets", json=body, headers=headers)).status_code == 201
    async with committing_sessionmaker() as session, session.begin():
        await enqueue(session, Job, AUDIT_SEAL, {})
        await enqueue(session, Job, IDEMPOTENCY_PURGE, {})
    worker = Worker(committing_sessionmaker, Job, platform_registry(MODELS), worker_id="test")
    assert await worker.run_once()
    assert await worker.run_once()
    async with committing_sessionmaker() as session:
        report = await verify_chain(session, AuditRecord)
        results = (await session.execute(select(Job.kind, Job.status, Job.result))).all()
        unsealed = (
            await session.execute(select(func.count()).where(AuditRecord.chain_seq.is_(None)))
        ).scalar_one()
    assert (report.ok, report.sealed, unsealed) == (True, 3, 0)
    assert sorted(results) == [
        (AUDIT_SEAL, "succeeded", {"sealed": 3}),
        (IDEMPOTENCY_PURGE, "succeeded", {"purged": 0}),
    ]


def test_periodic_housekeeping_is_declared() -> None:
    kinds = {p.kind for p in platform_periodic()}
    assert kinds == set(platform_registry(MODELS).kinds)


async def test_demo_seed_steps_are_skipped_unless_wanted(database_url: str) -> None:
    ran: list[str] = []

    def step(name: str) -> SeedStep:
        async def run(session: AsyncSession) -> str:
            ran.append(name)
            return "ok"

        return SeedStep(name, run, demo=name.startswith("demo"))

    steps = [step("reference"), step("demo-households")]
    await run_seed_steps(database_url, steps, service="sample-api")
    await run_seed_steps(database_url, steps, service="sample-api", include_demo=True)
    assert ran == ["reference", "reference", "demo-households"]
    dev = make_settings(database_url)
    production = make_settings(
        database_url, ENV="production", OIDC_ISSUER="https://sso.example.vn/realms/noxh"
    )
    assert wants_demo(dev, [])
    assert not wants_demo(dev, ["--reference-only"])
    assert not wants_demo(production, [])

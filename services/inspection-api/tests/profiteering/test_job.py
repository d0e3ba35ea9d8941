"""The job as the worker runs it: a manual run queued through the API, picked up and completed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.models import Job, ProfiteeringFlag, ProfiteeringRun
from inspection_api.models.platform import PLATFORM
from inspection_api.profiteering.jobs import register_profiteering_jobs
from servicekit.jobs import Worker
from servicekit.worker import platform_registry

Auth = Callable[..., dict[str, str]]


def signal() -> dict[str, Any]:
    return {
        "key": "supported_twice:0195d6a0-0000-7000-8000-000000000001",
        "kind": "supported_twice",
        "person_id": "0195d6a0-0000-7000-8000-000000000001",
        "province_code": "31",
        "commune_code": "11560",
        "observed_at": "2026-11-20T03:00:00Z",
        "evidence": {"support_case_ids": ["a", "b"]},
    }


async def test_the_worker_runs_a_requested_run_then_its_delayed_retry(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Auth,
    registry_stub: Any,
    registry_client: RegistryClient,
    funding_client: FundingClient,
) -> None:
    jobs = platform_registry(PLATFORM)
    register_profiteering_jobs(jobs, lambda: (registry_client, funding_client), retry_after_s=lambda: 0)
    worker = Worker(committing_sessionmaker, Job, jobs, worker_id="test-worker")
    registry_stub.signals["supported_twice"] = [signal()]
    registry_stub.down = True

    response = await committing_client.post(
        "/v1/profiteering-runs", headers=auth(roles=["inspector"], area_codes=["31"])
    )
    assert response.status_code == 202, response.text
    run_id = response.json()["id"]

    assert await worker.run_once()
    async with committing_sessionmaker() as session:
        run = await session.get(ProfiteeringRun, run_id)
        assert run is not None
        assert run.status == "delayed"
        assert run.delayed_reason is not None
        assert run.delayed_reason.startswith("registry:")
        assert (await session.scalars(select(ProfiteeringFlag))).all() == []

    registry_stub.down = False
    assert await worker.run_once()  # the retry, due at once (retry_after_s=0)
    async with committing_sessionmaker() as session:
        run = await session.get(ProfiteeringRun, run_id)
        assert run is not None
        assert (run.status, run.flags_raised, run.attempts) == ("succeeded", 1, 2)
        statuses = (await session.scalars(select(Job.status).where(Job.kind == "profiteering.detect"))).all()
        assert sorted(statuses) == ["succeeded", "succeeded"]
    response = await committing_client.get(
        f"/v1/profiteering-runs/{run_id}", headers=auth(roles=["auditor"], area_codes=["31"])
    )
    assert response.json()["status"] == "succeeded"

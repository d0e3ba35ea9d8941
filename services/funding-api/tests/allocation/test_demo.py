from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.allocation.demo import (
    DEMO_JOB,
    allocate_demo_cases,
    enqueue_demo_allocations,
    seed_demo_funding,
)
from funding_api.models import FundingAllocation, FundingCommitment, FundingSource, Job
from funding_api.worker import registry as worker_registry
from servicekit.errors import UpstreamUnavailable

BN = 1_000_000_000


def case(status: str, *, kind: str = "new_build", stream: str = "campaign") -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "stream": stream,
        "kind": kind,
        "status": status,
        "amount_vnd": 60_000_000 if kind == "new_build" else 30_000_000,
        "province_code": "31",
        "commune_code": "10525",
    }


async def test_demo_sources_follow_the_campaigns_proportions_and_seed_once(db_session: AsyncSession) -> None:
    assert await seed_demo_funding(db_session) == 5
    assert await seed_demo_funding(db_session) == 0
    plans = dict(
        (
            await db_session.execute(
                select(FundingSource.kind, func.sum(FundingCommitment.amount_vnd))
                .join(FundingCommitment, FundingCommitment.source_id == FundingSource.id)
                .group_by(FundingSource.kind)
            )
        ).all()
    )
    assert sum(plans.values()) == 327_100_000_000
    assert plans["provincial_budget"] == 73_500_000_000
    assert plans["gratitude_fund"] == 3_700_000_000
    assert plans["fund_for_the_poor"] == 1_740_000_000
    assert plans["families_and_community"] == 220 * BN


async def test_the_job_funds_registrys_demo_cases_once(
    app_with_registry: FastAPI, registry_stub: Any, db_session: AsyncSession
) -> None:
    await seed_demo_funding(db_session)
    cases = [
        case("approved"),
        case("started", stream="merit"),
        case("completed", kind="repair"),
        case("withdrawn"),
    ]
    for item in cases:
        registry_stub.on("GET", f"/v1/support-cases/{item['id']}", item)
    pages = {
        None: {"items": cases[:2], "next_cursor": "next"},
        "next": {"items": cases[2:], "next_cursor": None},
    }
    registry_stub.on(
        "GET",
        "/v1/support-cases",
        lambda request: httpx.Response(200, json=pages[request.url.params.get("cursor")]),
    )
    client = app_with_registry.state.registry_client
    counts = await allocate_demo_cases(db_session, client)
    assert counts["cases"] == 3
    funded = set(
        (await db_session.execute(select(FundingAllocation.support_case_id).distinct())).scalars().all()
    )
    assert funded == {uuid.UUID(c["id"]) for c in cases[:3]}
    lines = (await db_session.execute(select(func.count()).select_from(FundingAllocation))).scalar_one()
    assert lines >= 9  # each case: the state grant, a fund, the family (and sometimes an enterprise)
    again = await allocate_demo_cases(db_session, client)
    assert (again["cases"], again["skipped"]) == (0, 3)
    assert (
        await db_session.execute(select(func.count()).select_from(FundingAllocation))
    ).scalar_one() == lines


async def test_the_job_retries_while_registry_is_down(
    app_with_registry: FastAPI, registry_stub: Any, db_session: AsyncSession
) -> None:
    await seed_demo_funding(db_session)
    registry_stub.down = True
    with pytest.raises(UpstreamUnavailable):
        await allocate_demo_cases(db_session, app_with_registry.state.registry_client)


async def test_the_seed_step_queues_one_job_the_worker_knows(db_session: AsyncSession) -> None:
    await enqueue_demo_allocations(db_session)
    await enqueue_demo_allocations(db_session)
    kinds = (await db_session.execute(select(Job.kind).where(Job.kind == DEMO_JOB))).scalars().all()
    assert kinds == [DEMO_JOB]
    assert DEMO_JOB in worker_registry()

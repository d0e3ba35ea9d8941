"""Two runs at once raise each finding once: the unique key decides, the loser skips it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.models import ProfiteeringFlag
from inspection_api.profiteering.detection import RunOutcome, detection_service


def signal(n: int) -> dict[str, Any]:
    person = f"0195d6a0-0000-7000-8000-{n:012d}"
    return {
        "key": f"supported_twice:{person}",
        "kind": "supported_twice",
        "person_id": person,
        "province_code": "31",
        "commune_code": None,
        "observed_at": "2026-11-20T03:00:00Z",
        "evidence": {},
    }


async def test_two_runs_at_once_raise_each_flag_once(
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    registry_stub: Any,
    registry_client: RegistryClient,
    funding_client: FundingClient,
) -> None:
    registry_stub.signals["supported_twice"] = [signal(n) for n in range(20)]

    async def one() -> RunOutcome:
        async with committing_sessionmaker() as session, session.begin():
            return await detection_service.execute(
                session,
                run_id=None,
                job_id=None,
                registry=registry_client,
                funding=funding_client,
                retry_after=timedelta(minutes=5),
            )

    outcomes = await asyncio.gather(one(), one())
    assert sorted(o.status for o in outcomes) == ["succeeded", "succeeded"]
    assert sum(o.flags_raised for o in outcomes) == 20
    async with committing_sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ProfiteeringFlag)) == 20

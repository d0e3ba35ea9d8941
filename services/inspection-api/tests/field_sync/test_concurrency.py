"""The same mutation pushed by two requests at once is applied once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api.models import InspectionFinding


async def test_the_same_batch_twice_at_once_applies_once(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    inspector: dict[str, str],
    b: Any,
) -> None:
    async with committing_sessionmaker() as session, session.begin():
        case = b.make_case()
        session.add(case)
    body = {"device_id": "a", "mutations": [b.create(case, client_id=uuid.uuid4()) for _ in range(5)]}

    async def send() -> list[str]:
        response = await committing_client.post("/v1/field-sync/batches", json=body, headers=inspector)
        assert response.status_code == 200, response.text
        return [r["outcome"] for r in response.json()["results"]]

    first, second = await asyncio.gather(send(), send())
    for a, other in zip(first, second, strict=True):
        assert "applied" in (a, other)
        assert {a, other} <= {"applied", "duplicate", "rejected"}
    async with committing_sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(InspectionFinding)) == 5
    # Whatever was answered `rejected` (in flight) is a duplicate when sent again.
    assert set(await send()) == {"duplicate"}

from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.vbsp_entrustment.demo import seed_demo_entrustment


async def test_the_demo_contract_is_seeded_once(
    db_session: AsyncSession, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    assert "1 contract" in await seed_demo_entrustment(db_session)
    assert await seed_demo_entrustment(db_session) == "already present"
    await db_session.commit()  # releases the savepoint: the app's session sees the rows
    auditor = auth(roles=["auditor"], area_codes=["31"])
    contracts = (await client.get("/v1/vbsp-entrustments", headers=auditor)).json()["items"]
    assert len(contracts) == 1
    summary = (
        await client.get(f"/v1/vbsp-entrustments/{contracts[0]['id']}/summary", headers=auditor)
    ).json()
    assert [y["fiscal_year"] for y in summary["years"]] == [2024, 2025, 2026]
    assert summary["transferred_vnd"] == 140_000_000_000
    assert summary["lent_vnd"] == 88_000_000_000

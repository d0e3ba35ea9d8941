from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.housing_fund.demo import seed_demo_housing_fund


async def test_the_demo_fund_is_seeded_once(
    db_session: AsyncSession, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    assert await seed_demo_housing_fund(db_session) == "4 movements added (0 already present)"
    assert await seed_demo_housing_fund(db_session) == "0 movements added (4 already present)"
    await db_session.commit()  # releases the savepoint: the app's session sees the rows
    headers = auth(roles=["finance_officer"], area_codes=["31"])
    balance = (
        await client.get("/v1/housing-fund/balance", params={"province_code": "31"}, headers=headers)
    ).json()
    assert balance["balance_vnd"] == 187_000_000_000
    unverified = await client.get(
        "/v1/housing-fund/movements", params={"reference_status": "unverified"}, headers=headers
    )
    assert [m["category"] for m in unverified.json()["items"]] == ["in_lieu_land_fund"]

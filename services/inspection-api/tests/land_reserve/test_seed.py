"""The reference rules and the demo projects: every obligation state, overdue and money ones, parcels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.land_reserve.demo import seed_demo_land_reserves
from inspection_api.land_reserve.reference import seed_land_reserve_rules
from inspection_api.models import CommercialProject, LandReserveObligation, LandReserveStatus, Parcel
from inspection_api.seed import STEPS


def test_rules_are_reference_data_and_demo_is_demo() -> None:
    kinds = {s.name: s.demo for s in STEPS}
    assert kinds["land_reserve_rules"] is False
    assert kinds["demo_land_reserves"] is True
    names = [s.name for s in STEPS]
    assert names.index("land_reserve_rules") < names.index("demo_land_reserves")


async def test_demo_covers_every_state_and_is_idempotent(
    db_session: AsyncSession, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    assert await seed_land_reserve_rules(db_session) == 2
    assert await seed_land_reserve_rules(db_session) == 0
    added = await seed_demo_land_reserves(db_session)
    assert added >= len(LandReserveStatus)
    assert await seed_demo_land_reserves(db_session) == 0
    obligations = (await db_session.execute(select(LandReserveObligation))).scalars().all()
    assert {o.status for o in obligations} == {s.value for s in LandReserveStatus}
    assert {o.commune_code for o in obligations} == {"10525", "11560"}
    assert any(o.method == "pay_money" and o.money_due_vnd for o in obligations)
    assert any(o.method == "land_elsewhere" for o in obligations)
    today = date(2026, 11, 28)
    assert sum(1 for o in obligations if o.due_on is not None and o.due_on < today) >= 2
    projects = (await db_session.execute(select(CommercialProject))).scalars().all()
    assert all(p.site_parcel_id is not None for p in projects)
    parcels = (await db_session.execute(select(Parcel))).scalars().all()
    assert {p.source_crs for p in parcels} == {"EPSG:4326", "EPSG:9210"}
    assert all(p.source_geometry is not None for p in parcels if p.source_crs == "EPSG:9210")
    overdue = await client.get(
        "/v1/land-reserve-obligations",
        params={"overdue": "true", "as_of": today.isoformat()},
        headers=auth(roles=["inspector"], area_codes=["31"]),
    )
    assert overdue.status_code == 200
    assert len(overdue.json()["items"]) >= 2

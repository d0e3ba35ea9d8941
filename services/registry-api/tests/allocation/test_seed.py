"""The demo round: drawn once on the demo applications, and a re-run adds nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.demo import seed_demo_allocation, seed_demo_contracts
from registry_api.allocation.reference import seed_allocation_rules
from registry_api.application.demo import seed_demo_applications
from registry_api.household.demo import seed_demo_households
from registry_api.housing_project.demo import seed_demo_projects
from registry_api.models import AllocationRound, Application, HousingContract, ResaleEvent, SupportHistory
from servicekit.pii import PiiCipher


async def test_seeds_one_drawn_round_once(db_session: AsyncSession, cipher: PiiCipher) -> None:
    assert await seed_allocation_rules(db_session) == 0
    await seed_demo_households(db_session, cipher)
    await seed_demo_projects(db_session)
    await seed_demo_applications(db_session, cipher)
    assert await seed_demo_allocation(db_session) == 1
    assert await seed_demo_allocation(db_session) == 0
    rounds = (await db_session.execute(select(AllocationRound))).scalars().all()
    assert len(rounds) == 1
    round_ = rounds[0]
    assert round_.status == "drawn"
    assert round_.result is not None
    winners = [e["application_id"] for e in round_.result if e["won"]]
    assert len(winners) == round_.units
    statuses = {
        str(a.id): a.status
        for a in (
            await db_session.execute(select(Application).where(Application.project_id == round_.project_id))
        )
        .scalars()
        .all()
    }
    assert all(statuses[w] == "allocated" for w in winners)


async def test_seeds_contracts_and_a_resale_once(
    db_session: AsyncSession, cipher: PiiCipher, client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    await seed_demo_households(db_session, cipher)
    await seed_demo_projects(db_session)
    await seed_demo_applications(db_session, cipher)
    await seed_demo_allocation(db_session)
    allocated = (await db_session.execute(select(Application).where(Application.status == "allocated"))).all()
    signed = await seed_demo_contracts(db_session)
    assert signed == len(allocated) >= 2
    assert await seed_demo_contracts(db_session) == 0
    [resale] = (await db_session.execute(select(ResaleEvent))).scalars().all()
    assert (resale.buyer_kind, resale.within_lock) == ("investor", True)
    sources = (await db_session.execute(select(SupportHistory.source, SupportHistory.outcome))).all()
    assert sorted(sources).count(("contract", "resold")) == 1
    assert len([s for s in sources if s[0] == "contract"]) == signed
    # The reports and the signals have rows.
    signals = (
        await client.get("/v1/integrity-signals", params={"kind": "resale_within_lock"}, headers=province)
    ).json()
    assert [i["key"] for i in signals["items"]] == [f"resale_within_lock:{resale.id}"]
    year = (await db_session.execute(select(HousingContract.signed_on))).scalars().first()
    assert year is not None
    report = await client.get(
        "/v1/housing-reports/published-yearly.csv", params={"year": year.year}, headers=province
    )
    assert report.status_code == 200, report.text
    assert len(report.content.decode("utf-8-sig").strip().splitlines()) - 1 >= 1

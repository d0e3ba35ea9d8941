"""The demo round: drawn once on the demo applications, and a re-run adds nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.demo import seed_demo_allocation
from registry_api.allocation.reference import seed_allocation_rules
from registry_api.application.demo import seed_demo_applications
from registry_api.household.demo import seed_demo_households
from registry_api.housing_project.demo import seed_demo_projects
from registry_api.models import AllocationRound, Application
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

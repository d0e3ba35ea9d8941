"""The demo applications: every state, several communes, and a re-run adds nothing."""

from __future__ import annotations

from registry_people_testing import PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.application.demo import seed_demo_applications
from registry_api.application.reference import seed_beneficiary_groups, seed_eligibility_rules
from registry_api.household.demo import seed_demo_households
from registry_api.housing_project.demo import seed_demo_projects
from registry_api.models import Application
from servicekit.pii import PiiCipher


async def test_seeds_applications_in_every_state_once(db_session: AsyncSession, cipher: PiiCipher) -> None:
    assert (await seed_beneficiary_groups(db_session), await seed_eligibility_rules(db_session)) == (0, 0)
    await seed_demo_households(db_session, cipher)
    await seed_demo_projects(db_session)
    added = await seed_demo_applications(db_session, cipher)
    assert added >= 6
    assert await seed_demo_applications(db_session, cipher) == 0
    rows = (await db_session.execute(select(Application))).scalars().all()
    assert len(rows) == added
    assert {r.status for r in rows} == {
        "draft",
        "submitted",
        "eligible",
        "ineligible",
        "allocated",
        "withdrawn",
    }
    communes = {r.commune_code for r in rows}
    assert {PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN} <= communes
    ineligible = next(r for r in rows if r.status == "ineligible")
    assert ineligible.eligibility_trace is not None
    assert any(e["reason"] == "income_above_cap" for e in ineligible.eligibility_trace)

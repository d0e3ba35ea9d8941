"""The demo support cases: built on the demo households, deterministic, and a re-run adds nothing."""

from __future__ import annotations

from registry_people_testing import PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN, count
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.demo import seed_demo_households
from registry_api.models import SupportCase, SupportCasePhoto
from registry_api.support_case.demo import seed_demo_support_cases
from registry_api.support_case.reference import seed_support_rates
from servicekit.pii import PiiCipher


async def test_seeds_cases_in_every_state_once(db_session: AsyncSession, cipher: PiiCipher) -> None:
    assert await seed_support_rates(db_session) == 0  # the autouse fixture loaded them; idempotent
    await seed_demo_households(db_session, cipher)
    added = await seed_demo_support_cases(db_session, cipher)
    assert added >= 10
    assert await seed_demo_support_cases(db_session, cipher) == 0
    assert await count(db_session, "support_case") == added
    assert await count(db_session, "support_history") == added
    cases = (await db_session.execute(select(SupportCase))).scalars().all()
    assert {c.status for c in cases} == {
        "proposed",
        "approved",
        "started",
        "completed",
        "accepted",
        "withdrawn",
    }
    assert {c.stream for c in cases} == {"merit", "campaign"}
    assert {PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN} <= {c.commune_code for c in cases}
    accepted = [c.id for c in cases if c.status == "accepted"]
    photos = (await db_session.execute(select(SupportCasePhoto))).scalars().all()
    assert sorted({p.support_case_id for p in photos}) == sorted(accepted)
    assert all(p.uploaded_at is not None for p in photos)

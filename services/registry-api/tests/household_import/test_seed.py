"""The demo imports: each commune's list matches its demo households and adds the new ones, once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.category.reference import seed_poverty_standards
from registry_api.household.demo import demo_households, seed_demo_households
from registry_api.household_import.demo import COMMUNES, NEW_HOUSEHOLDS, seed_demo_imports
from registry_api.models import HouseholdImport
from servicekit.pii import PiiCipher


async def test_demo_lists_build_on_the_demo_households(
    committing_sessionmaker: async_sessionmaker[AsyncSession], cipher: PiiCipher, run_jobs: Callable[[], Any]
) -> None:
    async with committing_sessionmaker() as session, session.begin():
        await seed_poverty_standards(session)
        await seed_demo_households(session, cipher)
        assert await seed_demo_imports(session, cipher) == len(COMMUNES)
    assert await run_jobs() == len(COMMUNES)
    async with committing_sessionmaker() as session, session.begin():
        assert await seed_demo_imports(session, cipher) == 0  # the same bytes: the same imports
        imports = (await session.execute(select(HouseholdImport))).scalars().all()
    demo = demo_households()
    for row in imports:
        in_commune = [d for d in demo if d.body.commune_code == row.commune_code]
        assert row.status == "completed"
        assert row.households_matched == len(in_commune)
        assert row.persons_matched == sum(1 + len(d.body.members) for d in in_commune)
        assert (row.households_created, row.persons_created) == (NEW_HOUSEHOLDS, NEW_HOUSEHOLDS)
        assert row.error_rows == 2
    assert await run_jobs() == 0

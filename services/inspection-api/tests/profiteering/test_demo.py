from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import ProfiteeringFlag
from inspection_api.profiteering.demo import DEMO_FLAGS, seed_demo_flags


async def test_the_demo_step_adds_its_flags_once(db_session: AsyncSession) -> None:
    assert (await seed_demo_flags(db_session)).startswith(f"{len(DEMO_FLAGS)} demo flags added")
    assert (await seed_demo_flags(db_session)).startswith("0 demo flags added")
    assert await db_session.scalar(select(func.count()).select_from(ProfiteeringFlag)) == len(DEMO_FLAGS)

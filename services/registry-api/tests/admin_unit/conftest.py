from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from registry_api.admin_unit.service import admin_unit_service
from registry_api.models import AdminUnit, AdminUnitMapping

# What the packages hold (vietnam-provinces 2025.10.1, vietnamadminunits 1.0.4).
CURRENT_UNITS = 34 + 3321
LEGACY_UNITS = 63 + 696 + 10035
MAPPING_ROWS = 10665


@pytest.fixture
async def units(db_engine: AsyncEngine) -> None:
    """Every unit of both schemes and the mapping, committed once and kept (reference data).

    Loaded again only when a committing test emptied the tables. Tests run in a rolled-back
    transaction on top of it, so what they change goes away.
    """
    async with db_engine.connect() as conn:
        loaded = (
            await conn.execute(select(func.count()).select_from(AdminUnit)),
            await conn.execute(select(func.count()).select_from(AdminUnitMapping)),
        )
        counts = tuple(r.scalar_one() for r in loaded)
    if counts == (CURRENT_UNITS + LEGACY_UNITS, MAPPING_ROWS):
        return
    async with async_sessionmaker(db_engine, expire_on_commit=False)() as session, session.begin():
        await admin_unit_service.seed_all(session)

"""The roll-up helper for reports, over real rows and the real mapping."""

from __future__ import annotations

import pytest
from sqlalchemy import Select, String, column, select, values
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.admin_unit.service import UnitCount, admin_unit_service
from registry_api.models import AdminUnit

pytestmark = pytest.mark.usefixtures("units")

# (province_code, commune_code, legacy_area_code) as area-bound rows store them.
ROWS = [
    ("31", "10510", "10507"),  # recorded under Phường Cẩm Thượng (Hải Dương), now Phường Thành Đông
    ("31", "10525", None),  # recorded after 1/7/2025 in Phường Hải Dương: four old wards, all of Hải Dương
    ("31", "11629", None),  # Xã An Lão: old communes of Hải Phòng only
    ("31", None, "10528"),  # recorded under Phường Trần Phú, split; no commune chosen yet
    ("31", "10510", "288"),  # recorded under the old district (Thành phố Hải Dương) only
    ("25", "08311", None),  # Xã Trung Sơn: exactly one old commune, the one of the same code
    ("31", "10804", None),  # Xã Kim Thành: old communes of both Hải Dương and Hải Phòng
]


def rows_query() -> Select[str, str, str]:
    table = values(
        column("province_code", String),
        column("commune_code", String),
        column("legacy_area_code", String),
        name="r",
    ).data(ROWS)
    return select(table.c.province_code, table.c.commune_code, table.c.legacy_area_code)


async def roll_up(session: AsyncSession, boundaries: Boundaries, level: RollUpLevel) -> dict[str | None, int]:
    counted = await admin_unit_service.roll_up(
        session,
        rows_query(),
        boundaries=boundaries,
        level=level,
    )
    assert sum(c.count for c in counted) == len(ROWS)
    return {c.code: c.count for c in counted}


async def legacy_province_of(session: AsyncSession, commune_code: str) -> str:
    stmt = select(AdminUnit.province_code).where(AdminUnit.scheme == "legacy", AdminUnit.code == commune_code)
    return (await session.execute(stmt)).scalar_one()


class TestRollUp:
    async def test_by_new_provinces(self, db_session: AsyncSession) -> None:
        assert await roll_up(db_session, Boundaries.NEW, RollUpLevel.PROVINCE) == {"25": 1, "31": 6}

    async def test_by_new_communes_puts_rows_without_a_commune_last(self, db_session: AsyncSession) -> None:
        counted = await admin_unit_service.roll_up(
            db_session,
            rows_query(),
            boundaries=Boundaries.NEW,
            level=RollUpLevel.COMMUNE,
        )
        assert counted[-1] == UnitCount(None, None, 1)
        assert UnitCount("10510", "Phường Thành Đông", 2) in counted
        assert [c.code for c in counted[:-1]] == sorted(c.code for c in counted[:-1] if c.code)

    async def test_by_old_provinces(self, db_session: AsyncSession) -> None:
        trung_son = await legacy_province_of(db_session, "08311")
        counted = await roll_up(db_session, Boundaries.OLD, RollUpLevel.PROVINCE)
        # Hải Dương: the rows recorded under its units, and the new row in a ward made of its wards only.
        assert counted == {"30": 4, "31": 1, trung_son: 1, None: 1}

    async def test_old_provinces_carry_their_names(self, db_session: AsyncSession) -> None:
        counted = await admin_unit_service.roll_up(
            db_session,
            rows_query(),
            boundaries=Boundaries.OLD,
            level=RollUpLevel.PROVINCE,
        )
        names = {c.code: c.name for c in counted}
        assert (names["30"], names["31"], names[None]) == ("Tỉnh Hải Dương", "Thành phố Hải Phòng", None)

    async def test_by_old_communes(self, db_session: AsyncSession) -> None:
        counted = await roll_up(db_session, Boundaries.OLD, RollUpLevel.COMMUNE)
        # Recorded under an old commune: that one. Recorded under a district, or without an old unit, in a
        # commune made of several old ones: not attributable. Made of exactly one: that one.
        assert counted == {"10507": 1, "10528": 1, "08311": 1, None: 4}

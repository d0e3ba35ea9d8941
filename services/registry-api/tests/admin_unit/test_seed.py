"""Loading the units and the mapping from the packages' static tables."""

from __future__ import annotations

import socket
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit import sources
from registry_api.admin_unit.service import SeedReport, admin_unit_service
from registry_api.models import AdminUnit, AdminUnitMapping
from registry_api.seed import STEPS


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the loader tried to go online")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for loader in (sources.current_units, sources.legacy_units, sources.mappings):
        loader.cache_clear()
    yield
    for loader in (sources.current_units, sources.legacy_units, sources.mappings):
        loader.cache_clear()


class TestSources:
    def test_reads_the_static_tables_offline_without_importing_the_converter(self, offline: None) -> None:
        current, legacy, mapping = sources.current_units(), sources.legacy_units(), sources.mappings()
        assert Counter(u.level for u in current) == {"province": 34, "commune": 3321}
        assert Counter(u.level for u in legacy) == {"province": 63, "district": 696, "commune": 10035}
        assert len(mapping) == 10665
        # Importing vietnamadminunits would import its converter and geocoder (decision 15).
        assert "vietnamadminunits" not in sys.modules
        assert "geopy" not in sys.modules

    def test_every_old_unit_goes_whole_to_one_new_unit_or_in_parts_to_several(self) -> None:
        by_old: dict[tuple[str, str], list[sources.MappingRow]] = {}
        for row in sources.mappings():
            by_old.setdefault((row.legacy_level, row.legacy_code), []).append(row)
        kinds = Counter(rows[0].kind for rows in by_old.values())
        assert kinds == {"whole": 63 + 5 + 9564, "partial": 471}
        split = [rows for rows in by_old.values() if rows[0].kind == "partial"]
        assert all(len(rows) >= 2 for rows in split)
        # The package's default piece is kept for information: exactly one per split unit.
        assert all(sum(r.package_default for r in rows) == 1 for rows in split)
        # Every legacy province and commune; of the districts, only the five islands without communes.
        islands = {("district", c) for c in ("318", "471", "498", "536", "755")}
        expected = {(u.level, u.code) for u in sources.legacy_units() if u.level != "district"} | islands
        assert set(by_old) == expected

    def test_the_2025_side_uses_the_official_codes(self) -> None:
        official = {u.code for u in sources.current_units() if u.level == "commune"}
        targets = {r.new_code for r in sources.mappings() if r.new_level == "commune"}
        assert targets == official

    def test_name_key_ignores_where_the_tone_mark_sits_but_not_the_tone(self) -> None:
        assert sources.name_key("Phường Thủy Nguyên") == sources.name_key("Phường  Thuỷ Nguyên")
        assert sources.name_key("Xã Ea H'Leo") == sources.name_key("Xã Ea H’leo")
        assert sources.name_key("Xã Cẩm Giang") != sources.name_key("Xã Cẩm Giàng")

    def test_codename(self) -> None:
        assert sources.codename("Thị trấn Đông Hưng") == "thi_tran_dong_hung"
        assert sources.codename("Tỉnh Bà Rịa - Vũng Tàu") == "tinh_ba_ria_vung_tau"


class TestSeed:
    async def test_loads_everything_into_empty_tables_then_nothing_on_a_rerun(
        self, db_session: AsyncSession
    ) -> None:
        await db_session.execute(delete(AdminUnitMapping))
        await db_session.execute(delete(AdminUnit))
        first = await admin_unit_service.seed_all(db_session)
        assert first == (SeedReport(3355, 0), SeedReport(10794, 0), SeedReport(10665, 0, 0))
        second = await admin_unit_service.seed_all(db_session)
        assert second == (SeedReport(0, 0), SeedReport(0, 0), SeedReport(0, 0, 0))
        counts = dict(
            (
                await db_session.execute(select(AdminUnit.scheme, func.count()).group_by(AdminUnit.scheme))
            ).all()
        )
        assert counts == {"2025": 3355, "legacy": 10794}

    @pytest.mark.usefixtures("units")
    async def test_validity_dates(self, db_session: AsyncSession) -> None:
        stmt = select(AdminUnit.scheme, AdminUnit.valid_from, AdminUnit.valid_to).distinct()
        assert set((await db_session.execute(stmt)).all()) == {
            ("2025", date(2025, 7, 1), None),
            ("legacy", date(2004, 7, 8), date(2025, 6, 30)),
        }

    @pytest.mark.usefixtures("units")
    async def test_a_rerun_updates_a_changed_name_but_keeps_corrected_dates(
        self, db_session: AsyncSession
    ) -> None:
        await db_session.execute(
            update(AdminUnit)
            .where(AdminUnit.scheme == "legacy", AdminUnit.code == "10507")
            .values(name="typo", valid_from=date(2019, 12, 1))
        )
        report = await admin_unit_service.seed_legacy_units(db_session)
        assert report == SeedReport(0, 1)
        unit = (
            await db_session.execute(
                select(AdminUnit).where(AdminUnit.scheme == "legacy", AdminUnit.code == "10507")
            )
        ).scalar_one()
        assert (unit.name, unit.valid_from) == ("Phường Cẩm Thượng", date(2019, 12, 1))

    @pytest.mark.usefixtures("units")
    async def test_the_mapping_mirrors_the_package(self, db_session: AsyncSession) -> None:
        db_session.add(
            AdminUnitMapping(
                legacy_level="commune",
                legacy_code="10507",
                new_level="commune",
                new_code="10525",
                kind="whole",
                package_default=False,
                effective_on=date(2025, 7, 1),
                source="by hand",
            )
        )
        await db_session.execute(
            update(AdminUnitMapping)
            .where(AdminUnitMapping.legacy_code == "10528")
            .values(package_default=False)
        )
        await db_session.flush()
        report = await admin_unit_service.seed_mapping(db_session)
        assert report == SeedReport(0, 1, 1)  # the default flag restored on one row, the stray pair removed

    async def test_the_seed_steps_load_both_schemes_and_the_mapping(self) -> None:
        assert [s.name for s in STEPS][:3] == [
            "admin-units-2025",
            "admin-units-legacy",
            "admin-unit-mapping-2025",
        ]

    async def test_a_single_province_can_still_be_loaded(self, db_session: AsyncSession) -> None:
        await db_session.execute(delete(AdminUnit).where(AdminUnit.scheme == "2025"))
        assert await admin_unit_service.seed_current_province(db_session, 31) == 115
        assert await admin_unit_service.seed_current_province(db_session, 31) == 0

"""The import job writes a batch's new households set-wise (a few multi-row statements) and sends any
other household through the one-by-one path at its place in the file. What it stores, reports, audits
and emits must be what the one-by-one path stores, reports, audits and emits."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from registry_import_testing import (
    GOOD_LIST,
    HAI_PHONG,
    SAMPLE_CSV,
    SAMPLE_ERRORS,
    SAMPLE_HOUSEHOLDS,
    Headers,
    errors_csv,
    import_file,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from registry_api.admin_unit.service import admin_unit_service
from registry_api.household.service import household_service
from registry_api.household_import.service import ImportService
from registry_api.models import RegistryBase
from registry_api.person.service import person_service
from servicekit.testing.plugin import truncate_all

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:[\d.]+(\+\d\d:\d\d)?")

# After GOOD_LIST: a file whose households need the one-by-one path for different reasons, between
# households the set-wise path creates, all in one batch.
MIXED_LIST = (
    "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ\n"
    "1;Phạm Văn Một;031080000101;01/01/1980;Nam;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
    ";Phạm Thị Hai;031182000102;02/02/1982;Nữ;;Vợ\n"
    # Matched (its head is recorded): one member matched, one new.
    "2;Lê Văn Nam;031085000321;01/02/1985;Nam;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
    ";Trần Thị Mai;031186000123;03/03/1986;Nữ;;Vợ\n"
    ";Lê Minh Khôi;;05/06/2015;Nam;;Con\n"
    # Its head is recorded as a member of another household.
    "3;Lê Thị Hoa;031185000654;1985;Nữ;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
    # A member's ID is an earlier household's (of this batch) member's.
    "4;Vũ Văn Ba;031079000103;01/01/1979;Nam;Thôn Đông;Chủ hộ;Hộ nghèo\n"
    ";Phạm Thị Hai;031182000102;02/02/1982;Nữ;;Em\n"
    # A member's ID is the head's.
    "5;Đinh Văn Bốn;031078000104;01/01/1978;Nam;Thôn Đông;Chủ hộ;Hộ nghèo\n"
    ";Đinh Văn Bốn;031078000104;01/01/1978;Nam;;Anh\n"
    # A member's ID was recorded by an earlier import (GOOD_LIST's first head).
    "6;Mai Văn Năm;031077000105;01/01/1977;Nam;Thôn Đông;Chủ hộ;Hộ nghèo\n"
    ";Đỗ Văn Khải;030044147232;21/05/1944;Nam;;Cha\n"
    "7;Hồ Thị Sáu;031176000106;01/01/1976;Nữ;Thôn Đông;Chủ hộ;Hộ nghèo\n"
    ";Hồ Văn Bảy;031220000107;01/01/2020;Nam;;Con\n"
)


def _canonical(value: Any) -> Any:
    """Ids and times differ from run to run; everything else must not."""
    dumped = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return MOMENT.sub("<time>", UUID.sub("<id>", dumped))


async def _stored(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    queries = {
        "household": "SELECT province_code, commune_code, address, hamlet, residence_area, closed_on, "
        "head_person_id IS NOT NULL FROM household",
        "person": "SELECT full_name, name_folded, relationship, date_of_birth, birth_year, gender, "
        "citizen_id_bidx, citizen_id_masked, legacy_id_bidx, province_code, commune_code FROM person",
        "membership": "SELECT relationship, joined_on, left_on, reason, province_code, commune_code "
        "FROM household_membership",
        "audit": "SELECT actor_subject, actor_client, action, resource_type, province_code, commune_code, "
        "before, after FROM audit_record",
        "outbox": "SELECT type, area_codes, data FROM outbox_event",
        "errors": 'SELECT row_number, "column", code, message FROM household_import_error',
        "imports": "SELECT status, total_rows, processed_rows, error_rows, households_created, "
        "households_matched, persons_created, persons_matched FROM household_import",
        "dashboard": "SELECT * FROM commune_dashboard_counts",
    }
    stored: dict[str, Any] = {}
    async with sessionmaker() as session:
        for name, sql in queries.items():
            rows = (await session.execute(text(sql))).all()
            stored[name] = Counter(_canonical(list(r)) for r in rows)
    return stored


async def _import_twice_compared(
    client: httpx.AsyncClient,
    sessionmaker: async_sessionmaker[AsyncSession],
    headers: dict[str, str],
    run_jobs: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
    files: list[tuple[bytes, str]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Import `files` set-wise, then again into an empty registry one by one; what each stored."""
    results: list[dict[str, Any]] = []
    stored: list[dict[str, Any]] = []
    for one_by_one in (False, True):
        if one_by_one:
            engine = sessionmaker.kw["bind"]
            assert isinstance(engine, AsyncEngine)
            await truncate_all(engine, RegistryBase.metadata)
            async with sessionmaker() as session, session.begin():
                await admin_unit_service.seed_current_province(session, int(HAI_PHONG))
            monkeypatch.setattr(ImportService, "_write_set_wise", ImportService._write_one_by_one)
        for content, name in files:
            results.append(await import_file(client, headers, run_jobs, content, name))
        stored.append(await _stored(sessionmaker))
    set_wise, one_by_one_stored = stored
    for table in set_wise:
        assert set_wise[table] == one_by_one_stored[table], (
            table,
            set_wise[table] - one_by_one_stored[table],
            one_by_one_stored[table] - set_wise[table],
        )
    return set_wise, results


async def test_the_sample_is_stored_as_one_by_one(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored, results = await _import_twice_compared(
        committing_client,
        committing_sessionmaker,
        commune_officer(),
        run_jobs,
        monkeypatch,
        [(SAMPLE_CSV.read_bytes(), SAMPLE_CSV.name)],
    )
    assert results[0]["households_created"] == SAMPLE_HOUSEHOLDS
    assert sum(stored["household"].values()) == SAMPLE_HOUSEHOLDS
    assert {r["error_rows"] for r in results} == {len(SAMPLE_ERRORS)}
    # One lookup audit row per created household, as the one-by-one path writes.
    lookups = [k for k in stored["audit"] if '"lookup"' in k]
    assert sum(stored["audit"][k] for k in lookups) == SAMPLE_HOUSEHOLDS


async def test_households_needing_more_than_creating_are_treated_as_one_by_one(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = commune_officer()
    stored, results = await _import_twice_compared(
        committing_client,
        committing_sessionmaker,
        headers,
        run_jobs,
        monkeypatch,
        [(GOOD_LIST.encode(), "good.csv"), (MIXED_LIST.encode(), "mixed.csv")],
    )
    counted = ("households_created", "households_matched", "persons_created", "persons_matched", "error_rows")
    mixed, mixed_one_by_one = results[1], results[3]
    assert {k: mixed[k] for k in counted} == {k: mixed_one_by_one[k] for k in counted}
    assert [mixed[k] for k in counted] == [2, 1, 5, 2, 4]
    errors = {tuple(json.loads(e)[:3]) for e in stored["errors"]}
    assert errors == {
        (7, "Số CCCD", "recorded_as_member"),
        (9, "Số CCCD", "citizen_id_taken"),  # an earlier household's member of the same batch
        (11, "Số CCCD", "citizen_id_taken"),  # the head's ID again
        (13, "Số CCCD", "citizen_id_taken"),  # recorded by the earlier import
    }


async def test_a_citizen_id_recorded_meanwhile_falls_back_to_one_by_one(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The batch's check finds the IDs free, another writer records one before the insert: the batch is
    re-done one by one, the error lands on its row and the other households are created."""
    headers = commune_officer()
    await import_file(committing_client, headers, run_jobs, GOOD_LIST.encode(), "good.csv")

    async def nothing_taken(session: AsyncSession, bidxs: list[str]) -> set[str]:
        return set()

    inserts = 0
    real_insert_many = household_service.insert_many

    async def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal inserts
        inserts += 1
        return await real_insert_many(*args, **kwargs)

    monkeypatch.setattr(person_service, "citizen_bidxs_taken", nothing_taken)
    monkeypatch.setattr(household_service, "insert_many", counted)
    clash = (
        "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ\n"
        "1;Phạm Văn Một;031080000101;01/01/1980;Nam;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
        "2;Mai Văn Năm;031077000105;01/01/1977;Nam;Thôn Đông;Chủ hộ;Hộ nghèo\n"
        ";Đỗ Văn Khải;030044147232;21/05/1944;Nam;;Cha\n"
        "3;Hồ Thị Sáu;031176000106;01/01/1976;Nữ;Thôn Đông;Chủ hộ;Hộ nghèo\n"
    )
    data = await import_file(committing_client, headers, run_jobs, clash.encode(), "clash.csv")
    assert inserts == 1  # tried set-wise once, then one by one
    assert (data["households_created"], data["persons_created"], data["error_rows"]) == (2, 2, 1)
    report = await errors_csv(committing_client, headers, data["id"])
    assert [r[2] for r in report[1:]] == ["citizen_id_taken"]
    assert report[1][:2] == ["4", "Số CCCD"]  # the member row whose ID is taken

"""Importing the sample lists: what is created, what is reported, and that nothing is added twice."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from python_calamine import CalamineWorkbook
from registry_import_testing import (
    GOOD_LIST,
    SAMPLE_CSV,
    SAMPLE_ERRORS,
    SAMPLE_HOUSEHOLDS,
    SAMPLE_XLSX,
    Headers,
    assert_problem,
    count,
    errors_csv,
    finished,
    import_file,
    nfd,
    upload,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.household.service import household_service
from registry_api.household_import.service import import_service


@pytest.mark.parametrize("sample", [SAMPLE_CSV, SAMPLE_XLSX], ids=["csv", "xlsx"])
async def test_the_sample_imports_its_good_rows_and_reports_the_others(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
    sample: Any,
) -> None:
    headers = commune_officer()
    data = await import_file(committing_client, headers, run_jobs, sample.read_bytes(), sample.name)
    assert data["status"] == "completed"
    assert data["file_format"] == sample.suffix[1:]
    assert (data["total_rows"], data["processed_rows"], data["error_rows"]) == (200, 200, 10)
    assert data["households_created"] == SAMPLE_HOUSEHOLDS
    assert data["persons_created"] == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "household") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "person") == SAMPLE_HOUSEHOLDS
    report = await errors_csv(committing_client, headers, data["id"])
    assert report[0] == ["Dòng", "Cột", "Mã lỗi", "Lý do"]
    assert {(r[0], r[1], r[2]) for r in report[1:]} == SAMPLE_ERRORS
    assert all(r[3] for r in report[1:])  # every error has its reason
    # Cleanups: dots and spaces in IDs, decimal commas, NFD, double spaces, lower-case "nữ".
    async with committing_sessionmaker() as session:
        names = {n for (n,) in (await session.execute(sa_text("SELECT full_name FROM person"))).all()}
        hamlets = {
            h
            for (h,) in (
                await session.execute(sa_text("SELECT DISTINCT residence_area FROM household"))
            ).all()
        }
    assert "Trương Thị Kim Thư" in names  # ID written 030.142.669.877
    assert "Đào Quốc Hoàng" in names  # "Đào  Quốc Hoàng " in the file
    assert "Nguyễn Minh Ngọc" in names  # gender "nữ"
    assert hamlets == {"rural"}  # a xã


async def test_all_or_nothing_stores_nothing_when_a_row_is_wrong(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    headers = commune_officer()
    data = await import_file(
        committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes(), mode="all_or_nothing"
    )
    assert data["status"] == "rejected"
    assert data["error_rows"] == 10
    assert data["households_created"] == data["persons_created"] == 0
    assert await count(committing_sessionmaker, "household") == 0
    assert await count(committing_sessionmaker, "person") == 0
    report = await errors_csv(committing_client, headers, data["id"])
    assert {(r[0], r[1], r[2]) for r in report[1:]} == SAMPLE_ERRORS


async def test_all_or_nothing_stores_everything_when_every_row_is_right(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    data = await import_file(
        committing_client, commune_officer(), run_jobs, GOOD_LIST.encode(), mode="all_or_nothing"
    )
    assert data["status"] == "completed"
    assert (data["households_created"], data["persons_created"], data["error_rows"]) == (2, 4, 0)
    assert await count(committing_sessionmaker, "person") == 4


async def test_a_row_refused_while_writing_rolls_back_an_all_or_nothing_import(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    """The second household's head is already a member elsewhere: found only when writing."""
    headers = commune_officer()
    first = await import_file(committing_client, headers, run_jobs, GOOD_LIST.encode())
    assert first["households_created"] == 2
    clash = GOOD_LIST.replace(
        "Lê Văn Nam;031085000321;01/02/1985;Nam;Thôn Cao Xá;Chủ hộ",
        "Hà Văn Mới;031090000777;01/02/1990;Nam;Thôn Cao Xá;Chủ hộ",
    )
    clash = clash.replace("Lê Thị Hoa;031185000654", "Lê Thị Hoa;031185000999")
    clash += "3;Phạm Thị Vân;031192000111;04/04/1992;Nữ;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
    clash += "4;Trần Thị Mai;031186000123;03/03/1986;Nữ;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"  # a member above
    data = await import_file(
        committing_client, headers, run_jobs, clash.encode(), "again.csv", mode="all_or_nothing"
    )
    assert data["status"] == "rejected"
    report = await errors_csv(committing_client, headers, data["id"])
    assert ("7", "Số CCCD", "recorded_as_member") in {(r[0], r[1], r[2]) for r in report[1:]}
    assert await count(committing_sessionmaker, "household") == 2  # nothing of the second file
    assert await count(committing_sessionmaker, "person") == 4


async def test_importing_again_creates_nothing_twice(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    headers = commune_officer()
    await import_file(committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes())
    events = await count(committing_sessionmaker, "outbox_event")
    # The same list as xlsx: another file, the same households.
    data = await import_file(committing_client, headers, run_jobs, SAMPLE_XLSX.read_bytes(), SAMPLE_XLSX.name)
    assert (data["households_created"], data["households_matched"]) == (0, SAMPLE_HOUSEHOLDS)
    assert (data["persons_created"], data["persons_matched"]) == (0, SAMPLE_HOUSEHOLDS)
    assert await count(committing_sessionmaker, "household") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "person") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "outbox_event") == events + 2  # queued, finished


async def test_members_are_matched_by_id_or_by_name_and_birth(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    headers = commune_officer()
    first = await import_file(committing_client, headers, run_jobs, GOOD_LIST.encode())
    assert (first["households_created"], first["persons_created"]) == (2, 4)
    grown = GOOD_LIST + ";Lê Minh Khôi;;05/06/2015;Nam;;Con\n"  # a new child of the second household
    data = await import_file(committing_client, headers, run_jobs, nfd(grown).encode(), "grown.csv")
    assert (data["households_matched"], data["persons_matched"]) == (2, 4)
    assert (data["households_created"], data["persons_created"]) == (0, 1)
    assert await count(committing_sessionmaker, "person") == 5


async def test_the_same_file_again_answers_with_the_earlier_import(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    run_jobs: Callable[[], Any],
) -> None:
    headers = commune_officer()
    first = await import_file(committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes())
    again = await upload(committing_client, headers, SAMPLE_CSV.read_bytes(), "renamed.csv")
    assert again.status_code == 200, again.text
    assert again.json() == first
    assert await run_jobs() == 0
    assert await count(committing_sessionmaker, "household_import") == 1
    # Another mode is another import (it may be what the officer wants after a rejection).
    other = await upload(committing_client, headers, SAMPLE_CSV.read_bytes(), mode="all_or_nothing")
    assert other.status_code == 202


async def test_a_crashed_import_resumes_without_duplicates(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    cipher: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker dies after the first batches were committed; the retry finishes the file and every
    household exists once."""
    headers = commune_officer()
    response = await upload(committing_client, headers, SAMPLE_CSV.read_bytes())
    import_id = response.json()["id"]
    real_insert_many = household_service.insert_many
    calls = 0

    async def crash_on_the_2nd_batch(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("the worker's database connection dropped")
        return await real_insert_many(*args, **kwargs)

    monkeypatch.setattr(household_service, "insert_many", crash_on_the_2nd_batch)
    with pytest.raises(ConnectionError):
        await import_service.run(committing_sessionmaker, cipher, uuid.UUID(import_id))
    partial = await count(committing_sessionmaker, "household")
    assert 0 < partial < SAMPLE_HOUSEHOLDS
    monkeypatch.setattr(household_service, "insert_many", real_insert_many)
    result = await import_service.run(committing_sessionmaker, cipher, uuid.UUID(import_id))
    assert result["status"] == "completed"
    assert await count(committing_sessionmaker, "household") == SAMPLE_HOUSEHOLDS
    assert await count(committing_sessionmaker, "person") == SAMPLE_HOUSEHOLDS
    data = await finished(committing_client, headers, import_id)
    assert data["households_created"] + data["households_matched"] == SAMPLE_HOUSEHOLDS
    assert data["error_rows"] == 10
    assert len(await errors_csv(committing_client, headers, import_id)) == 11  # no error twice
    # And a run after the end answers with the result, doing nothing.
    assert await import_service.run(committing_sessionmaker, cipher, uuid.UUID(import_id)) == result


async def test_the_error_report_as_xlsx(
    committing_client: httpx.AsyncClient, commune_officer: Headers, run_jobs: Callable[[], Any]
) -> None:
    headers = commune_officer()
    data = await import_file(committing_client, headers, run_jobs, SAMPLE_CSV.read_bytes())
    response = await committing_client.get(f"/v1/imports/{data['id']}/errors.xlsx", headers=headers)
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("Lỗi").to_python()
    assert rows[0] == ["Dòng", "Cột", "Mã lỗi", "Lý do"]
    assert {(str(int(r[0])), r[1], r[2]) for r in rows[1:]} == SAMPLE_ERRORS


async def test_a_file_that_is_no_list_fails_with_a_file_error(
    committing_client: httpx.AsyncClient, commune_officer: Headers, run_jobs: Callable[[], Any]
) -> None:
    headers = commune_officer()
    garbage = await import_file(committing_client, headers, run_jobs, b"PK\x03\x04 not a zip", "list.xlsx")
    assert garbage["status"] == "failed"
    report = await errors_csv(committing_client, headers, garbage["id"])
    assert report[1][:3] == ["", "", "file_unreadable"]
    no_heading = await import_file(committing_client, headers, run_jobs, b"a;b\n1;2\n", "x.csv")
    assert no_heading["status"] == "failed"
    report = await errors_csv(committing_client, headers, no_heading["id"])
    assert report[1][2] == "heading_row_not_found"


async def test_uploads_refused_at_once(
    committing_client: httpx.AsyncClient, commune_officer: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = commune_officer()
    problem = await upload(committing_client, headers, b"x", "list.pdf")
    assert_problem(problem, 422, "import_format_unsupported")
    assert_problem(await upload(committing_client, headers, b"", "list.csv"), 422, "import_file_empty")
    assert_problem(
        await upload(committing_client, headers, b"x", "list.csv", commune_code="99999"),
        422,
        "commune_not_current",
    )
    monkeypatch.setattr("registry_api.household_import.router.MAX_IMPORT_BYTES", 100)
    assert_problem(await upload(committing_client, headers, b"x" * 101, "list.csv"), 413, "import_too_large")
    bad_mode = await upload(committing_client, headers, b"x", "list.csv", mode="some")
    assert_problem(bad_mode, 422, "validation_failed")


def sa_text(sql: str) -> Any:
    from sqlalchemy import text

    return text(sql)

"""The household export's bytes, its chunking, and workbooks past Excel's rows-per-sheet limit."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import xlsxwriter  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook
from registry_import_testing import XA_DUONG_AN, import_file
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.household_import.service import EXPORT_HEADINGS, import_service
from registry_api.spreadsheet import EXCEL_MAX_ROWS, SheetRowsWriter, SpreadsheetWriteFailed
from servicekit.areas import AreaScope
from servicekit.principal import Principal

Headers = Callable[..., dict[str, str]]

# Three households: quoting (a semicolon and quotes in the hamlet), a head known by birth year only,
# a household with members, one with none.
GOLDEN_LIST = (
    "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ\n"
    "1;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Chủ hộ;Người có công\n"
    '2;Lê Văn Nam;031085000321;01/02/1985;Nam;"Tổ 5; ""Khu A""";Chủ hộ;Hộ nghèo\n'
    ";Trần Thị Mai;031186000123;03/03/1986;Nữ;;Vợ\n"
    ";Lê Thị Hoa;031185000654;1985;nữ;;Em\n"
    "3;Phạm Thị Lan;031190000777;1990;Nữ;Thôn Cao Xá;Chủ hộ;Hộ cận nghèo\n"
)
# Each household's line after the STT and the id, as the export wrote it before it read plain
# columns and sent a chunk per batch (captured from that code): the refactor keeps these bytes.
GOLDEN_LINES = {
    "Đỗ Văn Khải": "Đỗ Văn Khải;*********232;21/05/1944;1944;Nam;"
    "Thôn Cao Xá;Thôn Cao Xá, Xã Đường An;Nông thôn;31;10972;1",
    "Lê Văn Nam": "Lê Văn Nam;*********321;01/02/1985;1985;Nam;"
    '"Tổ 5; ""Khu A""";"Tổ 5; ""Khu A"", Xã Đường An";Nông thôn;31;10972;3',
    "Phạm Thị Lan": "Phạm Thị Lan;*********777;;1990;Nữ;"
    "Thôn Cao Xá;Thôn Cao Xá, Xã Đường An;Nông thôn;31;10972;1",
}


@pytest.fixture
async def golden(
    committing_client: httpx.AsyncClient, commune_officer: Headers, run_jobs: Callable[[], Any]
) -> dict[str, Any]:
    summary = await import_file(committing_client, commune_officer(), run_jobs, GOLDEN_LIST.encode())
    assert summary["households_created"] == 3, summary
    return summary


async def test_csv_bytes_are_unchanged(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    golden: dict[str, Any],
) -> None:
    async with committing_sessionmaker() as session:
        rows = await session.execute(
            text("SELECT h.id, p.full_name FROM household h JOIN person p ON p.id = h.head_person_id")
        )
        heads: list[tuple[uuid.UUID, str]] = [(r[0], r[1]) for r in rows]
    expected = "\ufeff" + ";".join(EXPORT_HEADINGS) + "\r\n"
    for number, (household_id, name) in enumerate(sorted(heads), start=1):  # the export's id order
        expected += f"{number};{household_id};{GOLDEN_LINES[name]}\r\n"
    response = await committing_client.get("/v1/exports/households.csv", headers=commune_officer())
    assert response.status_code == 200, response.text
    assert response.content == expected.encode()


def _officer(*codes: str) -> Principal:
    return Principal(
        subject="officer",
        client_id="test",
        roles=frozenset({"commune_officer"}),
        scopes=frozenset(),
        area=AreaScope.from_codes(frozenset(codes)),
    )


async def test_csv_is_sent_a_batch_per_chunk(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Headers,
    golden: dict[str, Any],
) -> None:
    # The body the route streams is this generator's chunks: one for the heading, then one per batch.
    chunks = [
        chunk
        async for chunk in import_service.export_csv(
            committing_sessionmaker, _officer(XA_DUONG_AN), commune_code=None, batch_size=2
        )
    ]
    assert len(chunks) == 3  # heading, 2 rows, 1 row
    response = await committing_client.get("/v1/exports/households.csv", headers=commune_officer())
    assert b"".join(chunks) == response.content
    assert [c.count(b"\r\n") for c in chunks] == [1, 2, 1]


def _read_sheets(content: bytes) -> dict[str, list[list[Any]]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


async def test_xlsx_continues_on_new_sheets_past_the_row_limit(
    committing_sessionmaker: async_sessionmaker[AsyncSession], golden: dict[str, Any]
) -> None:
    chunks = [
        chunk
        async for chunk in import_service.export_xlsx(
            committing_sessionmaker, _officer(XA_DUONG_AN), commune_code=None, rows_per_sheet=2, batch_size=2
        )
    ]
    sheets = _read_sheets(b"".join(chunks))
    assert list(sheets) == ["Danh sách hộ", "Danh sách hộ (2)"]
    assert all(rows[0] == EXPORT_HEADINGS for rows in sheets.values())
    assert [len(rows) - 1 for rows in sheets.values()] == [2, 1]
    data = [row for rows in sheets.values() for row in rows[1:]]
    assert [int(row[0]) for row in data] == [1, 2, 3]  # numbering runs on across sheets
    assert len({row[1] for row in data}) == 3
    assert {row[2] for row in data} == set(GOLDEN_LINES)


def test_sheet_writer_splits_every_limit_and_keeps_every_row() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    writer = SheetRowsWriter(workbook, "Lỗi", ["Dòng", "Mã"], rows_per_sheet=3)
    for n in range(1, 11):
        writer.write([n, f"code-{n}"])
    workbook.close()
    sheets = _read_sheets(buffer.getvalue())
    assert list(sheets) == ["Lỗi", "Lỗi (2)", "Lỗi (3)", "Lỗi (4)"]
    assert all(rows[0] == ["Dòng", "Mã"] for rows in sheets.values())
    assert [len(rows) - 1 for rows in sheets.values()] == [3, 3, 3, 1]
    assert [int(row[0]) for rows in sheets.values() for row in rows[1:]] == list(range(1, 11))


def test_sheet_writer_refuses_to_drop_a_row() -> None:
    # Past Excel's last row xlsxwriter writes nothing and answers -1, and cuts a string longer than
    # a cell holds (-2): neither is ignored.
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    writer = SheetRowsWriter(workbook, "Danh sách hộ", ["STT", "Địa chỉ"])
    with pytest.raises(SpreadsheetWriteFailed):
        writer.write([1, "x" * 40_000])
    writer.rows_per_sheet = writer.row = EXCEL_MAX_ROWS  # as the writer was before it split sheets
    with pytest.raises(SpreadsheetWriteFailed):
        writer.write([2, "Thôn Cao Xá"])
    workbook.close()


def test_sheet_names_stay_within_excels_limit() -> None:
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    writer = SheetRowsWriter(workbook, "Danh sách hộ gia đình của toàn tỉnh", ["STT"], rows_per_sheet=1)
    writer.write([1])
    writer.write([2])
    assert [s.name for s in workbook.worksheets()] == [
        "Danh sách hộ gia đình của toàn ",
        "Danh sách hộ gia đình của t (2)",
    ]
    workbook.close()


async def test_other_communes_get_the_heading_only(
    committing_sessionmaker: async_sessionmaker[AsyncSession], golden: dict[str, Any]
) -> None:
    chunks = [
        chunk
        async for chunk in import_service.export_csv(
            committing_sessionmaker, _officer("10525"), commune_code=None, batch_size=2
        )
    ]
    assert b"".join(chunks) == ("\ufeff" + ";".join(EXPORT_HEADINGS) + "\r\n").encode()

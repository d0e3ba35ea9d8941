"""Helpers shared by the import tests, loaded by conftest.py as the module `registry_import_testing`
(test directories are not packages)."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

SAMPLES = Path(__file__).resolve().parent / "samples"  # copies of shared/samples (the input communes send)
SAMPLE_CSV = SAMPLES / "ra_soat_2026_xa_duong_an.csv"
SAMPLE_XLSX = SAMPLES / "ra_soat_2026_xa_duong_an.xlsx"
HAI_PHONG = "31"
XA_DUONG_AN = "10972"
PHUONG_HAI_DUONG = "10525"


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: bytes,
    filename: str = "ra_soat.csv",
    *,
    commune_code: str = XA_DUONG_AN,
    mode: str = "accept_valid_rows",
) -> httpx.Response:
    return await client.post(
        "/v1/imports",
        params={"filename": filename, "commune_code": commune_code, "mode": mode},
        content=content,
        headers=headers | {"Content-Type": "application/octet-stream"},
    )


async def count(sessionmaker: async_sessionmaker[AsyncSession], table: str) -> int:
    async with sessionmaker() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())  # noqa: S608


Headers = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"

# A list with a relationship column: two households, the second with two members.
GOOD_LIST = (
    "STT;Họ và tên;Số CCCD;Ngày sinh;Giới tính;Thôn/Tổ dân phố;Quan hệ với chủ hộ;Diện hộ\n"
    "1;Đỗ Văn Khải;030044147232;21/05/1944;Nam;Thôn Cao Xá;Chủ hộ;Người có công\n"
    "2;Lê Văn Nam;031085000321;01/02/1985;Nam;Thôn Cao Xá;Chủ hộ;Hộ nghèo\n"
    ";Trần Thị Mai;031186000123;03/03/1986;Nữ;;Vợ\n"
    ";Lê Thị Hoa;031185000654;1985;nữ;;Em\n"
)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    return problem


# (spreadsheet row, column, code) of every row of the sample that must be refused.
SAMPLE_ERRORS = {
    ("13", "Số CCCD", "citizen_id_century_gender_mismatch"),  # STT 3: digit 4 says born in the 2000s
    ("14", "Số CCCD", "citizen_id_century_gender_mismatch"),  # STT 4: digit 4 says female
    ("62", "Ngày sinh", "date_invalid"),  # STT 52: 31/02/1970
    ("93", "Diện hộ", "unknown_category"),  # STT 82: "Hộ nghéo"
    ("107", "Số CCCD", "citizen_id_century_gender_mismatch"),  # STT 96: digit 4 says male
    ("125", "Số CCCD", "citizen_id_is_legacy_number"),  # STT 114: a 9-digit CMND
    ("140", "Số CCCD", "citizen_id_birth_year_mismatch"),  # STT 128: digits 5-6 say 1985, born 1958
    ("147", "Số CCCD", "citizen_id_is_legacy_number"),  # STT 135
    ("181", "Diện tích nhà (m²)", "not_a_number"),  # STT 168: "khoảng 20"
    ("210", "Số CCCD", "duplicate_in_file"),  # STT 197 repeats STT 87 (row 98)
}
SAMPLE_HOUSEHOLDS = 200 - len(SAMPLE_ERRORS)


async def finished(client: httpx.AsyncClient, headers: dict[str, str], import_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/imports/{import_id}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def errors_csv(client: httpx.AsyncClient, headers: dict[str, str], import_id: str) -> list[list[str]]:
    response = await client.get(f"/v1/imports/{import_id}/errors.csv", headers=headers)
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


async def import_file(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    run_jobs: Callable[[], Any],
    content: bytes,
    filename: str = "ra_soat.csv",
    **options: Any,
) -> dict[str, Any]:
    response = await upload(client, headers, content, filename, **options)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert response.json()["job_id"]
    assert await run_jobs() == 1
    return await finished(client, headers, response.json()["id"])

"""Exports round-trip; roles and areas for every import and export endpoint."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from python_calamine import CalamineWorkbook
from registry_import_testing import (
    PHUONG_HAI_DUONG,
    SAMPLE_CSV,
    SAMPLE_HOUSEHOLDS,
    XA_DUONG_AN,
    assert_problem,
    import_file,
    upload,
)

Headers = Callable[..., dict[str, str]]


def parse_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
async def imported(
    committing_client: httpx.AsyncClient, commune_officer: Headers, run_jobs: Callable[[], Any]
) -> dict[str, Any]:
    return await import_file(committing_client, commune_officer(), run_jobs, SAMPLE_CSV.read_bytes())


async def test_csv_export_round_trips_with_masked_ids(
    committing_client: httpx.AsyncClient, commune_officer: Headers, imported: dict[str, Any]
) -> None:
    response = await committing_client.get("/v1/exports/households.csv", headers=commune_officer())
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = parse_csv(response.content)
    assert rows[0][:4] == ["STT", "Mã hộ", "Họ và tên chủ hộ", "Số CCCD"]
    assert len(rows) - 1 == SAMPLE_HOUSEHOLDS
    assert len({r[1] for r in rows[1:]}) == SAMPLE_HOUSEHOLDS  # each household once (keyset batches)
    assert all(re.fullmatch(r"\*{9}\d{3}", r[3]) for r in rows[1:])  # identifiers masked
    names = {r[2] for r in rows[1:]}
    assert "Trương Thị Kim Thư" in names
    assert {r[11] for r in rows[1:]} == {XA_DUONG_AN}


async def test_xlsx_export_round_trips(
    committing_client: httpx.AsyncClient, auth: Callable[..., dict[str, str]], imported: dict[str, Any]
) -> None:
    auditor = auth(roles=["auditor"], area_codes=["31"])
    response = await committing_client.get("/v1/exports/households.xlsx", headers=auditor)
    assert response.status_code == 200, response.text
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_name("Danh sách hộ")
    rows = sheet.to_python()
    assert rows[0][2] == "Họ và tên chủ hộ"
    assert len(rows) - 1 == SAMPLE_HOUSEHOLDS
    assert all(re.fullmatch(r"\*{9}\d{3}", str(r[3])) for r in rows[1:])
    csv_rows = parse_csv((await committing_client.get("/v1/exports/households.csv", headers=auditor)).content)
    assert [r[1:3] for r in csv_rows[1:]] == [[str(c) for c in r[1:3]] for r in rows[1:]]


async def test_exports_are_audited(
    committing_client: httpx.AsyncClient, committing_sessionmaker: Any, commune_officer: Headers
) -> None:
    response = await committing_client.get(
        "/v1/exports/households.csv", params={"commune_code": XA_DUONG_AN}, headers=commune_officer()
    )
    assert response.status_code == 200
    assert parse_csv(response.content)[1:] == []
    from sqlalchemy import text

    async with committing_sessionmaker() as session:
        actions = (await session.execute(text("SELECT action FROM audit_record"))).scalars().all()
    assert "export" in actions


@pytest.mark.parametrize(
    "role", ["inspector", "finance_officer", "partner", "bank_integration", "administrator"]
)
async def test_other_roles_may_neither_import_nor_export(
    committing_client: httpx.AsyncClient, commune_officer: Headers, role: str
) -> None:
    headers = commune_officer(XA_DUONG_AN, role=role)
    imported = {"id": str(uuid.uuid4())}  # refused before any lookup
    assert_problem(await upload(committing_client, headers, b"x"), 403, "forbidden")
    for path in ("/v1/imports", f"/v1/imports/{imported['id']}", f"/v1/imports/{imported['id']}/errors.csv",
                 f"/v1/imports/{imported['id']}/errors.xlsx", "/v1/exports/households.csv",
                 "/v1/exports/households.xlsx"):  # fmt: skip
        assert_problem(await committing_client.get(path, headers=headers), 403, "forbidden")


async def test_auditors_export_but_do_not_import(
    committing_client: httpx.AsyncClient, commune_officer: Headers, imported: dict[str, Any]
) -> None:
    headers = commune_officer("31", role="auditor")
    assert_problem(await upload(committing_client, headers, SAMPLE_CSV.read_bytes()), 403, "forbidden")
    assert_problem(
        await committing_client.get(f"/v1/imports/{imported['id']}", headers=headers), 403, "forbidden"
    )
    assert (await committing_client.get("/v1/exports/households.csv", headers=headers)).status_code == 200


async def test_another_communes_officer(
    committing_client: httpx.AsyncClient, commune_officer: Headers, imported: dict[str, Any]
) -> None:
    other = commune_officer(PHUONG_HAI_DUONG)
    # Writing into a commune one does not cover is a 403, and stores nothing.
    assert_problem(await upload(committing_client, other, SAMPLE_CSV.read_bytes()), 403, "area_not_covered")
    # Guessing the id of another commune's import: as missing as one that does not exist.
    for suffix in ("", "/errors.csv", "/errors.xlsx"):
        response = await committing_client.get(f"/v1/imports/{imported['id']}{suffix}", headers=other)
        assert_problem(response, 404, "import_not_found")
    response = await committing_client.get(f"/v1/imports/{uuid.uuid4()}", headers=other)
    assert_problem(response, 404, "import_not_found")
    listed = await committing_client.get("/v1/imports", headers=other)
    assert listed.json()["items"] == []
    exported = parse_csv((await committing_client.get("/v1/exports/households.csv", headers=other)).content)
    assert exported[1:] == []
    # The same file for one's own commune is another import (the commune is part of the match).
    assert (
        await upload(committing_client, other, SAMPLE_CSV.read_bytes(), commune_code=PHUONG_HAI_DUONG)
    ).status_code == 202


async def test_province_officers_see_every_communes_imports(
    committing_client: httpx.AsyncClient, auth: Callable[..., dict[str, str]], imported: dict[str, Any]
) -> None:
    province = auth(roles=["province_officer"], area_codes=["31"])
    listed = (await committing_client.get("/v1/imports", headers=province)).json()
    assert [i["id"] for i in listed["items"]] == [imported["id"]]
    assert (await committing_client.get(f"/v1/imports/{imported['id']}", headers=province)).status_code == 200

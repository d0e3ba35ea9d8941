"""The buyer and renter lists: rows per project and period, both formats, citizen IDs in full for the
Ministry and masked in the published list, audited; roles, areas and bad periods."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from python_calamine import CalamineWorkbook
from registry_housing_flows import application, contract, published_project, resell
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    person_body,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, HousingContract
from registry_api.person.service import local_today

Officer = Callable[..., dict[str, str]]
URL = "/v1/housing-reports"
TODAY = local_today()
QUARTER = (TODAY.month - 1) // 3 + 1


def parse_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def parse_xlsx(content: bytes, sheet: str) -> list[list[Any]]:
    rows: list[list[Any]] = (
        CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(sheet).to_python()
    )
    return rows


@pytest.fixture
async def listed(
    client: httpx.AsyncClient, people: People, province: dict[str, str], db_session: AsyncSession
) -> dict[str, Any]:
    """Project A (Thuỷ Nguyên): two sale contracts this quarter, one signed last year (backdated);
    project B (Hải Dương): one contract, resold this quarter to the investor (no person: not listed)
    and one to an eligible person (listed as a resale purchase)."""
    a = await published_project(client, province, name="A - Nhà ở xã hội Bạch Đằng")
    b = await published_project(client, province, name="B - Nhà ở xã hội Tân Hưng", commune=PHUONG_HAI_DUONG)
    a1 = await contract(client, people, province, a, head=person_body("Nguyễn Văn An", 1985), number="1/HĐ")
    a2 = await contract(
        client, people, province, a, head=person_body("Trần Thị Bình", 1990, "female"), number="2/HĐ"
    )
    old = await contract(client, people, province, a, number="0/HĐ")
    await db_session.execute(
        HousingContract.__table__.update()
        .where(HousingContract.id == uuid.UUID(old["id"]))
        .values(signed_on=date(TODAY.year - 1, 11, 2))
    )
    b1 = await contract(
        client,
        people,
        province,
        b,
        commune=PHUONG_HAI_DUONG,
        number="7/HĐ",
        head=person_body("Phạm Văn Dũng", 1980),
    )
    # A buyer with an eligible application (another project), within the lock, at the contract price.
    c = await published_project(client, province, name="C - Nhà ở xã hội khác")
    buyer_app = await application(client, people, province, c, head=person_body("Lê Văn Cường", 1988))
    resale = await resell(
        client,
        province,
        b1["id"],
        buyer_kind="eligible_person",
        buyer_person_id=buyer_app["applicant_person_id"],
        price_vnd=1_150_000_000,
    )
    return {"a": a, "b": b, "a1": a1, "a2": a2, "old": old, "b1": b1, "resale": resale["resales"][0]}


async def test_ministry_list_has_the_quarters_contracts_then_resales_with_full_ids(
    client: httpx.AsyncClient, province: dict[str, str], listed: dict[str, Any], cipher: Any
) -> None:
    params = {"year": TODAY.year, "quarter": QUARTER}
    response = await client.get(f"{URL}/ministry-quarterly.csv", params=params, headers=province)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    rows = parse_csv(response.content)
    head = rows[0]
    assert head[:3] == ["STT", "Mã tỉnh", "Mã dự án"]
    col = {name: i for i, name in enumerate(head)}
    body = rows[1:]
    # A's two contracts of the quarter (not last year's), B's contract, then B's resale to a person.
    assert [(r[col["Tên dự án"]], r[col["Số hợp đồng"]], r[col["Hình thức"]]) for r in body] == [
        ("A - Nhà ở xã hội Bạch Đằng", "1/HĐ", "Mua"),
        ("A - Nhà ở xã hội Bạch Đằng", "2/HĐ", "Mua"),
        ("B - Nhà ở xã hội Tân Hưng", "7/HĐ", "Mua"),
        ("B - Nhà ở xã hội Tân Hưng", "7/HĐ", "Mua lại (bán lại)"),
    ]
    assert [r[0] for r in body] == ["1", "2", "3", "4"]
    assert [r[col["Họ và tên"]] for r in body][:2] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert body[3][col["Họ và tên"]] == "Lê Văn Cường"
    assert all(re.fullmatch(r"\d{12}", r[col["Số định danh cá nhân"]]) for r in body)
    assert body[0][col["Giá (đồng)"]] == "1150000000"
    assert body[0][col["Nhóm đối tượng (Điều 76 Luật Nhà ở)"]] == "5"
    assert {r[col["Mã tỉnh"]] for r in body} == {HAI_PHONG}
    # The same rows in the workbook.
    xlsx = await client.get(f"{URL}/ministry-quarterly.xlsx", params=params, headers=province)
    assert xlsx.status_code == 200, xlsx.text
    sheet = parse_xlsx(xlsx.content, f"{TODAY.year}-Q{QUARTER}")
    assert sheet[0] == head
    assert [str(r[col["Số hợp đồng"]]) for r in sheet[1:]] == ["1/HĐ", "2/HĐ", "7/HĐ", "7/HĐ"]
    assert [str(r[col["Số định danh cá nhân"]]) for r in sheet[1:]] == [
        r[col["Số định danh cá nhân"]] for r in body
    ]
    # One project only.
    only_b = parse_csv(
        (
            await client.get(
                f"{URL}/ministry-quarterly.csv", params=params | {"project_id": listed["b"]}, headers=province
            )
        ).content
    )
    assert len(only_b) - 1 == 2
    # Last year's quarter 4 holds the backdated contract only.
    last = parse_csv(
        (
            await client.get(
                f"{URL}/ministry-quarterly.csv",
                params={"year": TODAY.year - 1, "quarter": 4},
                headers=province,
            )
        ).content
    )
    assert [r[col["Số hợp đồng"]] for r in last[1:]] == ["0/HĐ"]


async def test_published_list_masks_citizen_ids_and_leaves_out_prices(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]], listed: dict[str, Any]
) -> None:
    auditor = auth(roles=["auditor"], area_codes=[HAI_PHONG])
    response = await client.get(f"{URL}/published-yearly.xlsx", params={"year": TODAY.year}, headers=auditor)
    assert response.status_code == 200, response.text
    rows = parse_xlsx(response.content, str(TODAY.year))
    head = rows[0]
    assert "Giá (đồng)" not in head
    assert "Số hợp đồng" not in head
    col = {name: i for i, name in enumerate(head)}
    assert [r[col["Họ và tên"]] for r in rows[1:]] == [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        listed["b1"]["id"] and rows[3][col["Họ và tên"]],
        "Lê Văn Cường",
    ]
    assert all(re.fullmatch(r"\*{9}\d{3}", str(r[col["Số định danh cá nhân (che)"]])) for r in rows[1:])
    csv_rows = parse_csv(
        (
            await client.get(f"{URL}/published-yearly.csv", params={"year": TODAY.year}, headers=auditor)
        ).content
    )
    assert [r[col["Họ và tên"]] for r in csv_rows[1:]] == [r[col["Họ và tên"]] for r in rows[1:]]


async def test_exports_are_audited_without_personal_data(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession, listed: dict[str, Any]
) -> None:
    params = {"year": TODAY.year, "quarter": QUARTER}
    assert (
        await client.get(f"{URL}/ministry-quarterly.csv", params=params, headers=province)
    ).status_code == 200
    records = (
        (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_type == "housing_report")))
        .scalars()
        .all()
    )
    assert [(r.action, r.resource_id) for r in records] == [
        ("export", f"ministry_quarterly:{TODAY.year}-Q{QUARTER}")
    ]
    assert records[0].after is not None
    assert records[0].after["format"] == "csv"


async def test_a_commune_area_auditor_sees_only_its_communes_rows(
    client: httpx.AsyncClient, officer: Officer, listed: dict[str, Any]
) -> None:
    auditor = officer(PHUONG_HAI_DUONG, role="auditor")
    rows = parse_csv(
        (
            await client.get(f"{URL}/published-yearly.csv", params={"year": TODAY.year}, headers=auditor)
        ).content
    )
    # B's contract (a Hải Dương household) and its resale (the contract's area).
    assert len(rows) - 1 == 2
    elsewhere = officer("79", role="province_officer")
    rows = parse_csv(
        (
            await client.get(f"{URL}/published-yearly.csv", params={"year": TODAY.year}, headers=elsewhere)
        ).content
    )
    assert rows[1:] == []


@pytest.mark.parametrize("role", ["commune_officer", "inspector", "finance_officer", "partner", "service"])
@pytest.mark.parametrize("path", ["ministry-quarterly.csv", "published-yearly.xlsx"])
async def test_other_roles_are_refused(
    client: httpx.AsyncClient, officer: Officer, role: str, path: str
) -> None:
    headers = officer(PHUONG_THUY_NGUYEN, role=role)
    response = await client.get(f"{URL}/{path}", params={"year": TODAY.year, "quarter": 1}, headers=headers)
    assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("path", "params", "code", "pointer"),
    [
        ("ministry-quarterly.csv", {"year": TODAY.year, "quarter": 5}, "validation_failed", "/query/quarter"),
        ("ministry-quarterly.csv", {"year": TODAY.year}, "validation_failed", "/query/quarter"),
        ("ministry-quarterly.xlsx", {"year": 2023, "quarter": 1}, "report_period_invalid", "/query/year"),
        ("published-yearly.csv", {"year": TODAY.year + 1}, "report_period_invalid", "/query/year"),
        ("published-yearly.xlsx", {"year": "x"}, "validation_failed", "/query/year"),
        (
            "published-yearly.csv",
            {"year": TODAY.year, "project_id": "nope"},
            "validation_failed",
            "/query/project_id",
        ),
    ],
)
async def test_bad_periods_are_422(
    client: httpx.AsyncClient,
    province: dict[str, str],
    db_session: AsyncSession,
    path: str,
    params: dict[str, Any],
    code: str,
    pointer: str,
) -> None:
    problem = assert_problem(await client.get(f"{URL}/{path}", params=params, headers=province), 422, code)
    assert pointers(problem) == [pointer]
    audited = (
        await db_session.execute(select(AuditRecord).where(AuditRecord.resource_type == "housing_report"))
    ).all()
    assert audited == []

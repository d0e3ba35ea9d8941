from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import pytest

Auth = Callable[..., dict[str, str]]
HAI_PHONG = "31"
HA_NOI = "01"
URL = "/v1/reports/capital-mobilisation"


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
async def booked(client: httpx.AsyncClient, finance: dict[str, str]) -> str:
    """A provincial budget: 73.5 bn appropriated for 2025, 70 bn received, 60M allocated, 20M paid."""
    source = await post(
        client,
        "/v1/funding-sources",
        {"province_code": HAI_PHONG, "kind": "provincial_budget", "name": "Ngân sách tỉnh Hải Dương"},
        finance,
    )
    await post(
        client,
        "/v1/funding-commitments",
        {
            "source_id": source["id"], "kind": "appropriation", "fiscal_year": 2025,
            "amount_vnd": 73_500_000_000, "decision_number": "1/QĐ-UBND", "decision_date": "2024-12-20",
            "decision_issuer": "UBND tỉnh Hải Dương",
        },
        finance,
    )  # fmt: skip
    await post(
        client,
        "/v1/ledger/receipts",
        {"source_id": source["id"], "amount_vnd": 70_000_000_000, "received_on": "2025-01-10"},
        finance,
    )
    line = await post(
        client,
        "/v1/allocations",
        {
            "source_id": source["id"], "target_kind": "programme", "programme": "xoa_nha_tam_2024_2025",
            "amount_vnd": 60_000_000, "decision_number": "2/QĐ-UBND", "decision_date": "2025-02-01",
        },
        finance,
    )  # fmt: skip
    await post(
        client,
        f"/v1/allocations/{line['id']}/disbursements",
        {"amount_vnd": 20_000_000, "disbursed_on": "2025-03-01", "reference": "UNC-9"},
        finance,
    )
    source_id: str = source["id"]
    return source_id


async def test_capital_by_source_and_year_against_plan(
    client: httpx.AsyncClient, finance: dict[str, str], booked: str
) -> None:
    report = (await client.get(URL, headers=finance)).json()
    (row,) = report["rows"]
    assert row["source_id"] == booked
    assert (row["fiscal_year"], row["planned_vnd"], row["appropriated_vnd"], row["pledged_vnd"]) == (
        2025, 73_500_000_000, 73_500_000_000, 0,
    )  # fmt: skip
    assert (row["received_vnd"], row["allocated_vnd"], row["disbursed_vnd"]) == (
        70_000_000_000,
        60_000_000,
        20_000_000,
    )
    assert report["totals"] == [
        {"fiscal_year": 2025, "planned_vnd": 73_500_000_000, "received_vnd": 70_000_000_000,
         "allocated_vnd": 60_000_000, "disbursed_vnd": 20_000_000}
    ]  # fmt: skip
    assert (await client.get(URL, params={"fiscal_year": 2024}, headers=finance)).json()["rows"] == []


async def test_exports(client: httpx.AsyncClient, finance: dict[str, str], booked: str) -> None:
    response = await client.get(URL + ".csv", headers=finance)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nguồn vốn"
    assert rows[1][:4] == ["Ngân sách tỉnh Hải Dương", "provincial_budget", HAI_PHONG, "2025"]
    assert rows[1][7:] == ["70000000000", "60000000", "20000000"]
    response = await client.get(URL + ".xlsx", params={"fiscal_year": 2025}, headers=finance)
    assert response.status_code == 200
    assert "huy_dong_von_2025.xlsx" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
        strings = workbook.read("xl/sharedStrings.xml").decode()
        sheet = workbook.read("xl/worksheets/sheet1.xml").decode()
    assert "Nguồn vốn" in strings
    assert "Ngân sách tỉnh Hải Dương" in strings
    for amount in (73_500_000_000, 70_000_000_000, 60_000_000, 20_000_000):
        assert f"<v>{amount}</v>" in sheet


async def test_roles_and_areas(client: httpx.AsyncClient, auth: Auth, booked: str) -> None:
    for roles in (["commune_officer"], ["bank_integration"], ["partner"]):
        headers = auth(roles=roles, area_codes=[HAI_PHONG])
        for suffix in ("", ".csv", ".xlsx"):
            response = await client.get(URL + suffix, headers=headers)
            assert response.status_code == 403
            assert response.headers["content-type"] == "application/problem+json"
    ha_noi = auth(roles=["auditor"], area_codes=[HA_NOI])
    assert (await client.get(URL, headers=ha_noi)).json() == {"rows": [], "totals": []}
    bad = await client.get(
        URL, params={"fiscal_year": "soon"}, headers=auth(roles=["auditor"], area_codes=[HAI_PHONG])
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "validation_failed"

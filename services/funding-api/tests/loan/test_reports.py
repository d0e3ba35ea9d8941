"""The bank's reconciliation, the VBSP indicators (JSON, csv, xlsx) and the reference tables."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from typing import Any

import httpx
import pytest
from funding_loan_testing import ELIGIBLE_2, HA_NOI, HAI_PHONG, Auth, assert_problem, event, keyed, post
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.reference import seed_demo_lending_plans
from funding_api.models import LoanReconciliation

RECONCILIATIONS = "/v1/loan-reconciliations"
INDICATORS = "/v1/reports/vbsp-loan-indicators"


@pytest.fixture
async def book(loan_client: httpx.AsyncClient, bank: dict[str, str]) -> None:
    """Two loans: A 600M disbursed, 100M repaid (by 31/12/2025) and 20M overdue; B 300M disbursed in 2026."""
    await post(loan_client, bank, event("A", 1, "disbursed", amount=600_000_000, day="2025-11-20"))
    await post(loan_client, bank, event("A", 2, "repayment", amount=100_000_000, day="2025-12-31"))
    await post(loan_client, bank, event("A", 3, "overdue", amount=20_000_000, day="2026-01-31"))
    await post(
        loan_client,
        bank,
        event("B", 1, "disbursed", amount=300_000_000, day="2026-01-05", citizen_id=ELIGIBLE_2),
    )


def totals(**overrides: Any) -> dict[str, Any]:
    body = {"province_code": HAI_PHONG, "as_of": "2025-12-31", "loan_count": 1}
    body |= {"outstanding_vnd": 500_000_000, "disbursed_vnd": 600_000_000}
    return body | overrides


async def test_matching_totals_match_and_differences_are_listed(
    loan_client: httpx.AsyncClient, bank: dict[str, str], auth: Auth, book: None
) -> None:
    same = await loan_client.post(RECONCILIATIONS, json=totals(), headers=keyed(bank))
    assert same.status_code == 201, same.text
    assert (same.json()["matches"], same.json()["differences"]) == (True, {})
    listing = [{"loan_ref": "A", "outstanding_vnd": 510_000_000}, {"loan_ref": "Z", "outstanding_vnd": 1}]
    body = totals(
        as_of="2026-01-31",
        loan_count=2,
        outstanding_vnd=810_000_000,
        disbursed_vnd=900_000_000,
        loans=listing,
    )
    differ = await loan_client.post(RECONCILIATIONS, json=body, headers=keyed(bank))
    report = differ.json()
    assert report["matches"] is False
    assert report["mirror"] == {"loan_count": 2, "outstanding_vnd": 800_000_000, "disbursed_vnd": 900_000_000}
    assert report["differences"] == {"outstanding_vnd": 10_000_000}
    assert report["loan_differences"] == [
        {"loan_ref": "A", "bank_outstanding_vnd": 510_000_000, "mirror_outstanding_vnd": 500_000_000},
        {"loan_ref": "Z", "bank_outstanding_vnd": 1, "mirror_outstanding_vnd": None},
        {"loan_ref": "B", "bank_outstanding_vnd": None, "mirror_outstanding_vnd": 300_000_000},
    ]
    finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
    listed = await loan_client.get(RECONCILIATIONS, headers=finance)
    assert [r["as_of"] for r in listed.json()["items"]] == ["2025-12-31", "2026-01-31"]
    again = await loan_client.get(f"{RECONCILIATIONS}/{report['id']}", headers=finance)
    assert again.json()["differences"] == {"outstanding_vnd": 10_000_000}


async def test_the_bank_reads_no_reconciliation_and_others_post_none(
    loan_client: httpx.AsyncClient, bank: dict[str, str], auth: Auth, db_session: AsyncSession
) -> None:
    posted = await loan_client.post(RECONCILIATIONS, json=totals(), headers=keyed(bank))
    rec_id = posted.json()["id"]
    assert_problem(await loan_client.get(RECONCILIATIONS, headers=bank), 403, "forbidden")
    assert_problem(await loan_client.get(f"{RECONCILIATIONS}/{rec_id}", headers=bank), 403, "forbidden")
    commune = auth(roles=["commune_officer"], area_codes=["10525"])
    assert_problem(await loan_client.get(RECONCILIATIONS, headers=commune), 403, "forbidden")
    finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
    assert_problem(
        await loan_client.post(RECONCILIATIONS, json=totals(), headers=keyed(finance)), 403, "forbidden"
    )
    other_bank = auth(roles=["bank_integration"], area_codes=[HA_NOI])
    assert_problem(
        await loan_client.post(RECONCILIATIONS, json=totals(), headers=keyed(other_bank)),
        403,
        "area_not_covered",
    )
    ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
    assert_problem(
        await loan_client.get(f"{RECONCILIATIONS}/{rec_id}", headers=ha_noi),
        404,
        "loan_reconciliation_not_found",
    )
    assert_problem(
        await loan_client.get(f"{RECONCILIATIONS}/{uuid.uuid4()}", headers=finance),
        404,
        "loan_reconciliation_not_found",
    )
    assert (await db_session.execute(select(func.count()).select_from(LoanReconciliation))).scalar_one() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"loan_count": -1},
        {"outstanding_vnd": -1},
        {"as_of": "31/12/2025"},
        {"province_code": "3"},
        {"extra": True},
        {"loans": [{"loan_ref": "A", "outstanding_vnd": 1}, {"loan_ref": "A", "outstanding_vnd": 2}]},
        {"loans": [{"loan_ref": "A"}]},
    ],
)
async def test_bad_totals_are_422_and_store_nothing(
    loan_client: httpx.AsyncClient, bank: dict[str, str], db_session: AsyncSession, change: dict[str, Any]
) -> None:
    response = await loan_client.post(RECONCILIATIONS, json=totals(**change), headers=keyed(bank))
    assert_problem(response, 422, "validation_failed")
    assert (await db_session.execute(select(func.count()).select_from(LoanReconciliation))).scalar_one() == 0


async def test_totals_need_an_idempotency_key(loan_client: httpx.AsyncClient, bank: dict[str, str]) -> None:
    response = await loan_client.post(RECONCILIATIONS, json=totals(), headers=bank)
    assert_problem(response, 400, "idempotency_key_missing")


async def test_indicators_in_json_csv_and_xlsx(
    loan_client: httpx.AsyncClient, finance: dict[str, str], book: None, db_session: AsyncSession
) -> None:
    await seed_demo_lending_plans(db_session)
    await db_session.commit()
    response = await loan_client.get(
        INDICATORS, headers=finance, params={"province_code": HAI_PHONG, "year": 2026}
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["outstanding_vnd"] == 800_000_000
    assert (data["loans_outstanding"], data["borrowers"]) == (2, 2)
    assert data["disbursed_in_year_vnd"] == 300_000_000
    assert data["planned_disbursement_vnd"] == 550_000_000_000
    assert data["disbursed_against_plan_pct"] == round(300 * 100 / 550_000, 2)
    assert (data["overdue_vnd"], data["overdue_ratio_pct"]) == (20_000_000, 2.5)
    as_csv = await loan_client.get(
        INDICATORS, headers=finance, params={"province_code": HAI_PHONG, "year": 2026, "format": "csv"}
    )
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")))}
    assert (rows["outstanding_vnd"], rows["overdue_ratio_pct"]) == ("800000000", "2.5")
    as_xlsx = await loan_client.get(
        INDICATORS, headers=finance, params={"province_code": HAI_PHONG, "year": 2026, "format": "xlsx"}
    )
    assert as_xlsx.headers["content-disposition"].endswith('.xlsx"')
    with zipfile.ZipFile(io.BytesIO(as_xlsx.content)) as book_file:
        assert "xl/worksheets/sheet1.xml" in book_file.namelist()
    no_plan = await loan_client.get(
        INDICATORS, headers=finance, params={"province_code": HAI_PHONG, "year": 2030}
    )
    assert no_plan.json()["planned_disbursement_vnd"] is None
    assert no_plan.json()["disbursed_against_plan_pct"] is None


async def test_indicators_refuse_wrong_roles_areas_and_input(
    loan_client: httpx.AsyncClient, auth: Auth, bank: dict[str, str], finance: dict[str, str]
) -> None:
    params = {"province_code": HAI_PHONG}
    for headers in (bank, auth(roles=["commune_officer"], area_codes=["10525"]), auth(roles=["inspector"])):
        assert_problem(await loan_client.get(INDICATORS, headers=headers, params=params), 403, "forbidden")
    assert_problem(
        await loan_client.get(INDICATORS, headers=finance, params={"province_code": HA_NOI}),
        403,
        "area_not_covered",
    )
    for bad in ({"province_code": "1"}, {}, params | {"format": "pdf"}, params | {"year": 1900}):
        assert_problem(
            await loan_client.get(INDICATORS, headers=finance, params=bad), 422, "validation_failed"
        )


async def test_reference_rates_and_caps_are_dated_with_their_legal_basis(
    loan_client: httpx.AsyncClient, bank: dict[str, str], auth: Auth
) -> None:
    rates = (await loan_client.get("/v1/loan-rates", headers=bank)).json()["items"]
    assert {(r["valid_from"], r["rate_bp"]) for r in rates} >= {("2025-10-10", 540), ("2023-05-10", 480)}
    assert any(r["rate_bp"] == 660 for r in rates)
    assert all(r["legal_basis"] for r in rates)
    caps = (await loan_client.get("/v1/loan-caps", headers=bank, params={"limit": 100})).json()["items"]
    current = {
        c["purpose"]: (c["percent_of_basis"], c["max_amount_vnd"]) for c in caps if c["valid_to"] is None
    }
    assert current == {
        "buy": (80, None),
        "lease_purchase": (80, None),
        "build_or_repair": (70, 1_000_000_000),
    }
    commune = auth(roles=["commune_officer"], area_codes=["10525"])
    assert_problem(await loan_client.get("/v1/loan-rates", headers=commune), 403, "forbidden")
    assert_problem(await loan_client.get("/v1/loan-caps", headers=commune), 403, "forbidden")

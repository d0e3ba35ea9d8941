"""funding-api's partner statistics: scope and roles, area filtering, aggregates by period, stream,
purpose and area, small-cell suppression of counts and their amounts, no borrower-level data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.demo import DEMO_BORROWERS, SEED_BANK, seed_demo_loans
from funding_api.loan.derive import VIETNAM
from funding_api.loan.pii import build_cipher
from funding_api.loan.reference import seed_loan_reference
from funding_api.loan.schemas import LoanEventCreate
from funding_api.loan.service import loan_service
from servicekit.pii import PiiCipher

Auth = Callable[..., dict[str, str]]
HAI_PHONG, HA_NOI = "31", "01"
COMMUNE_A, COMMUNE_B, COMMUNE_C = "10525", "11560", "11383"
SCOPE = "funding:statistics:read"
URL = "/v1/partner/statistics"
PROBLEM = "application/problem+json"


def partner(auth: Auth, scopes: list[str] | None = None, area: str = HAI_PHONG) -> dict[str, str]:
    return auth(roles=["partner"], area_codes=[area], scopes=[SCOPE] if scopes is None else scopes)


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


@pytest.fixture
async def app_client(app_with_registry: FastAPI) -> Any:
    transport = httpx.ASGITransport(app=app_with_registry, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def post(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
async def funded(app_client: httpx.AsyncClient, finance: dict[str, str], registry_stub: Any) -> None:
    """A provincial budget receiving 10 bn in 2025, funding 6 support cases in commune A, 2 in B and 3
    in C (60M each), one of A's paid; a programme line (no commune)."""
    source = await post(
        app_client,
        "/v1/funding-sources",
        {"province_code": HAI_PHONG, "kind": "provincial_budget", "name": "Ngân sách thành phố"},
        finance,
    )
    await post(
        app_client,
        "/v1/ledger/receipts",
        {"source_id": source["id"], "amount_vnd": 10_000_000_000, "received_on": "2025-01-10"},
        finance,
    )
    first = None
    for commune, count in ((COMMUNE_A, 6), (COMMUNE_B, 2), (COMMUNE_C, 3)):
        for _ in range(count):
            case_id = uuid.uuid4()
            registry_stub.on(
                "GET",
                f"/v1/support-cases/{case_id}",
                {
                    "id": str(case_id), "stream": "campaign", "kind": "new_build", "status": "approved",
                    "amount_vnd": 60_000_000, "province_code": HAI_PHONG, "commune_code": commune,
                    "household_id": str(uuid.uuid4()),
                },
            )  # fmt: skip
            line = await post(
                app_client,
                "/v1/allocations",
                {
                    "source_id": source["id"], "target_kind": "support_case", "support_case_id": str(case_id),
                    "amount_vnd": 60_000_000, "decision_number": "88/QĐ-UBND", "decision_date": "2025-03-15",
                },
                finance,
            )  # fmt: skip
            first = first or line
    assert first is not None
    await post(
        app_client,
        f"/v1/allocations/{first['id']}/disbursements",
        {"amount_vnd": 60_000_000, "disbursed_on": "2025-05-01", "reference": "UNC-1"},
        finance,
    )
    await post(
        app_client,
        "/v1/allocations",
        {
            "source_id": source["id"], "target_kind": "programme", "programme": "xoa_nha_tam_2025",
            "amount_vnd": 5_000_000, "decision_number": "9/QĐ-UBND", "decision_date": "2025-02-01",
        },
        finance,
    )  # fmt: skip
    movement = {
        "province_code": HAI_PHONG, "direction": "inflow", "category": "budget_allocation",
        "amount_vnd": 10_000_000_000, "occurred_on": "2024-12-01", "document_number": "245/QĐ-UBND",
        "description": "Cấp vốn ban đầu",
    }  # fmt: skip
    await post(app_client, "/v1/housing-fund/movements", movement, finance)
    await post(
        app_client,
        "/v1/housing-fund/movements",
        movement | {"occurred_on": "2025-06-01", "amount_vnd": 3_000_000_000, "category": "proceeds"},
        finance,
    )
    await post(
        app_client,
        "/v1/housing-fund/movements",
        movement
        | {
            "direction": "outflow",
            "category": "build_rental_housing",
            "amount_vnd": 4_000_000_000,
            "occurred_on": "2025-08-01",
        },
        finance,
    )


async def loans(session: AsyncSession, cipher: PiiCipher, count: int, commune: str) -> None:
    """`count` buy loans of fresh borrowers in `commune`, each disbursed 500M on 1 July 2025."""
    for n in range(count):
        ref = f"HP-TEST-{commune}-{n}"
        for sequence, kind, amount in ((1, "approved", 500_000_000), (2, "disbursed", 500_000_000)):
            event = LoanEventCreate.model_validate(
                {
                    "event_id": f"{ref}-{sequence}", "loan_ref": ref, "sequence": sequence,
                    "occurred_at": datetime(2025, 7, 1, 10, tzinfo=VIETNAM), "type": kind,
                    "borrower_citizen_id": f"0310902{n:05d}", "purpose": "buy",
                    "province_code": HAI_PHONG, "commune_code": commune, "amount_vnd": amount,
                    "contract_value_vnd": 1_000_000_000,
                }
            )  # fmt: skip
            await loan_service.apply_event(session, SEED_BANK, cipher, None, event)


class TestAccess:
    async def test_scope_and_roles(self, client: httpx.AsyncClient, auth: Auth) -> None:
        assert (await client.get(f"{URL}?period=2025", headers=partner(auth))).status_code == 200
        refused = await client.get(f"{URL}?period=2025", headers=partner(auth, ["funding:events:read"]))
        assert assert_problem(refused, 403, "scope_missing")["detail"] == f"This needs the scope {SCOPE}."
        for role in ("administrator", "auditor"):
            allowed = await client.get(
                f"{URL}?period=2025", headers=auth(roles=[role], area_codes=[HAI_PHONG])
            )
            assert allowed.status_code == 200, allowed.text
        for role in ("finance_officer", "province_officer", "bank_integration", "inspector", "service"):
            wrong = await client.get(f"{URL}?period=2025", headers=auth(roles=[role], area_codes=[HAI_PHONG]))
            assert_problem(wrong, 403, "forbidden")
        assert_problem(await client.get(f"{URL}?period=2025"), 401, "unauthorized")
        # Partners stay refused on the officers' API.
        for path in ("/v1/loans", "/v1/funding-sources", "/v1/housing-fund/movements"):
            assert_problem(await client.get(path, headers=partner(auth)), 403, "forbidden")

    async def test_periods(self, client: httpx.AsyncClient, auth: Auth) -> None:
        quarter = (await client.get(f"{URL}?period=2025-Q4", headers=partner(auth))).json()
        assert (quarter["period_start"], quarter["period_end"]) == ("2025-10-01", "2025-12-31")
        for bad in ("1999", "2100"):
            problem = assert_problem(
                await client.get(f"{URL}?period={bad}", headers=partner(auth)),
                422,
                "statistics_period_invalid",
            )
            assert problem["errors"][0]["pointer"] == "/query/period"
        for bad in ("2025-Q0", "25", "x"):
            assert_problem(
                await client.get(f"{URL}?period={bad}", headers=partner(auth)), 422, "validation_failed"
            )


class TestFigures:
    async def test_lines_by_stream_and_area_capital_and_the_housing_fund(
        self, app_client: httpx.AsyncClient, auth: Auth, funded: None
    ) -> None:
        response = await app_client.get(f"{URL}?period=2025", headers=partner(auth))
        assert response.status_code == 200, response.text
        answer = response.json()
        assert (answer["level"], answer["suppression_threshold"]) == ("commune", 5)
        (capital,) = answer["capital_by_source_kind"]
        assert capital == {
            "source_kind": "provincial_budget",
            "province_code": HAI_PHONG,
            "received_vnd": 10_000_000_000,
            "allocated_vnd": 665_000_000,
            "disbursed_vnd": 60_000_000,
        }
        streams = {s["stream"]: s["cells"] for s in answer["allocations"]}
        # B (2) and C (3) are hidden; together 5, so A (6) is shown with its amounts.
        hidden = {"lines": None, "allocated_vnd": None, "disbursed_vnd": None, "suppressed": True}
        assert {c.pop("area_code"): c for c in streams["support_case"]} == {
            COMMUNE_A: {
                "lines": 6,
                "allocated_vnd": 360_000_000,
                "disbursed_vnd": 60_000_000,
                "suppressed": False,
            },
            COMMUNE_B: hidden,
            COMMUNE_C: hidden,
        }
        # One programme line, no commune: hidden.
        assert streams["programme"] == [
            {
                "area_code": None,
                "lines": None,
                "allocated_vnd": None,
                "disbursed_vnd": None,
                "suppressed": True,
            }
        ]
        (fund,) = answer["housing_fund"]
        assert (
            fund["opening_balance_vnd"],
            fund["inflow_vnd"],
            fund["outflow_vnd"],
            fund["closing_balance_vnd"],
        ) == (
            10_000_000_000,
            3_000_000_000,
            4_000_000_000,
            9_000_000_000,
        )
        assert {c["category"]: (c["direction"], c["net_vnd"]) for c in fund["categories"]} == {
            "proceeds": ("inflow", 3_000_000_000),
            "build_rental_housing": ("outflow", 4_000_000_000),
        }
        province = (await app_client.get(f"{URL}?period=2025&level=province", headers=partner(auth))).json()
        (cell,) = next(s for s in province["allocations"] if s["stream"] == "support_case")["cells"]
        assert (cell["area_code"], cell["lines"], cell["allocated_vnd"]) == (HAI_PHONG, 11, 660_000_000)
        # Nothing of another province; another year has nothing booked.
        far = (await app_client.get(f"{URL}?period=2025", headers=partner(auth, area=HA_NOI))).json()
        assert (far["capital_by_source_kind"], far["allocations"], far["housing_fund"]) == ([], [], [])
        earlier = (await app_client.get(f"{URL}?period=2024", headers=partner(auth))).json()
        assert earlier["allocations"] == []
        assert earlier["housing_fund"][0]["closing_balance_vnd"] == 10_000_000_000
        # Never a decision or document number, a description or an id of a case.
        for text in ("88/QĐ-UBND", "245/QĐ-UBND", "UNC-1", "Cấp vốn", "xoa_nha_tam_2025"):
            assert text not in response.text

    async def test_loans_by_purpose_and_area_without_borrowers(
        self, client: httpx.AsyncClient, app: FastAPI, auth: Auth, db_session: AsyncSession
    ) -> None:
        await seed_loan_reference(db_session)
        cipher = build_cipher(app.state.settings)
        await seed_demo_loans(db_session, cipher)
        await loans(db_session, cipher, 5, COMMUNE_A)
        await db_session.commit()
        response = await client.get(f"{URL}?period=2025", headers=partner(auth))
        assert response.status_code == 200, response.text
        by_purpose = {s["purpose"]: {c["area_code"]: c for c in s["cells"]} for s in response.json()["loans"]}
        # The demo's buy loan (900M in 10525) and the five new ones: 6 loans, 3.4 bn.
        assert by_purpose["buy"][COMMUNE_A] == {
            "area_code": COMMUNE_A,
            "loans": 6,
            "disbursed_vnd": 3_400_000_000,
            "suppressed": False,
        }
        # One loan in a commune is one family's loan: hidden with its amount.
        assert by_purpose["lease_purchase"][COMMUNE_B] == {
            "area_code": COMMUNE_B,
            "loans": None,
            "disbursed_vnd": None,
            "suppressed": True,
        }
        assert by_purpose["build_or_repair"][COMMUNE_C]["disbursed_vnd"] is None
        for citizen_id, _ in DEMO_BORROWERS.values():
            assert citizen_id not in response.text
        assert "HP-NOXH" not in response.text
        assert "HP-TEST" not in response.text
        quarter = (await client.get(f"{URL}?period=2026-Q1", headers=partner(auth))).json()
        # 2026-Q1: only the demo's second disbursement of the build-or-repair loan (220M), hidden.
        assert [(s["purpose"], [c["loans"] for c in s["cells"]]) for s in quarter["loans"]] == [
            ("build_or_repair", [None])
        ]

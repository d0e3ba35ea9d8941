from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.models import FundingAllocation, JournalEntry, LedgerAccount, OutboxEvent

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
HAI_PHONG = "31"
HA_NOI = "01"
COMMUNE_A = "10525"
COMMUNE_B = "11560"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def support_case(
    case_id: uuid.UUID, *, commune: str = COMMUNE_A, province: str = HAI_PHONG, status: str = "approved"
) -> dict[str, Any]:
    return {
        "id": str(case_id),
        "stream": "campaign",
        "kind": "new_build",
        "status": status,
        "amount_vnd": 60_000_000,
        "province_code": province,
        "commune_code": commune,
        "household_id": str(uuid.uuid4()),
    }


@pytest.fixture
async def app_client(app_with_registry: FastAPI) -> Any:
    transport = httpx.ASGITransport(app=app_with_registry, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def new_source(
    client: httpx.AsyncClient, finance: dict[str, str], name: str, kind: str, amount: int
) -> str:
    response = await client.post(
        "/v1/funding-sources", json={"province_code": HAI_PHONG, "kind": kind, "name": name}, headers=finance
    )
    assert response.status_code == 201, response.text
    source_id: str = response.json()["id"]
    receipt = await client.post(
        "/v1/ledger/receipts",
        json={"source_id": source_id, "amount_vnd": amount, "received_on": "2025-02-01"},
        headers=finance,
    )
    assert receipt.status_code == 201, receipt.text
    return source_id


def case_body(source_id: str, case_id: uuid.UUID, amount: int = 60_000_000) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "target_kind": "support_case",
        "support_case_id": str(case_id),
        "amount_vnd": amount,
        "decision_number": "88/QĐ-UBND",
        "decision_date": "2025-03-15",
    }


async def count(session: AsyncSession, model: Any) -> int:
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


class TestAllocateToSupportCases:
    async def test_a_case_gets_lines_from_several_sources_with_its_area(
        self,
        app_client: httpx.AsyncClient,
        finance: dict[str, str],
        registry_stub: Any,
        db_session: AsyncSession,
    ) -> None:
        case_id = uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{case_id}", support_case(case_id))
        budget = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        families = await new_source(
            app_client, finance, "Gia đình, dòng họ", "families_and_community", 500_000_000
        )
        first = await app_client.post("/v1/allocations", json=case_body(budget, case_id), headers=finance)
        assert first.status_code == 201, first.text
        line = first.json()
        assert (line["province_code"], line["commune_code"]) == (HAI_PHONG, COMMUNE_A)
        assert (line["amount_vnd"], line["disbursed_vnd"], line["status"]) == (60_000_000, 0, "allocated")
        second = await app_client.post(
            "/v1/allocations", json=case_body(families, case_id, 150_000_000), headers=finance
        )
        assert second.status_code == 201, second.text
        sent = registry_stub.requests[0]
        assert sent.headers["authorization"] == "Bearer funding-service-token"

        paid = await app_client.post(
            f"/v1/allocations/{line['id']}/disbursements",
            json={"amount_vnd": 20_000_000, "disbursed_on": "2025-04-01", "reference": "UNC-1"},
            headers=finance,
        )
        assert paid.status_code == 201, paid.text

        page = await app_client.get(
            "/v1/funding-lines", params={"support_case_id": str(case_id)}, headers=finance
        )
        assert page.status_code == 200, page.text
        items = page.json()["items"]
        assert [(i["source_kind"], i["amount_vnd"], i["disbursed_vnd"], i["status"]) for i in items] == [
            ("provincial_budget", 60_000_000, 20_000_000, "partially_disbursed"),
            ("families_and_community", 150_000_000, 0, "allocated"),
        ]
        assert set(items[0]) == {
            "id", "source_id", "source_kind", "amount_vnd", "disbursed_vnd", "status",
            "support_case_id", "project_id", "programme",
        }  # fmt: skip
        types = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
        assert types.count("allocation.created") == 2
        assert "disbursement.recorded" in types

    async def test_registry_down_is_503_and_nothing_is_stored(
        self,
        app_client: httpx.AsyncClient,
        finance: dict[str, str],
        registry_stub: Any,
        db_session: AsyncSession,
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        before = (await count(db_session, JournalEntry), await count(db_session, LedgerAccount))
        registry_stub.down = True
        response = await app_client.post(
            "/v1/allocations", json=case_body(source, uuid.uuid4()), headers=finance
        )
        assert_problem(response, 503, "upstream_unavailable")
        assert await count(db_session, FundingAllocation) == 0
        assert (await count(db_session, JournalEntry), await count(db_session, LedgerAccount)) == before

    async def test_an_unknown_case_is_422(
        self, app_client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        response = await app_client.post(
            "/v1/allocations", json=case_body(source, uuid.uuid4()), headers=finance
        )
        problem = assert_problem(response, 422, "funding_target_unknown")
        assert problem["errors"][0]["pointer"] == "/support_case_id"
        assert await count(db_session, FundingAllocation) == 0

    async def test_withdrawn_or_foreign_cases_are_refused(
        self, app_client: httpx.AsyncClient, finance: dict[str, str], registry_stub: Any
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        withdrawn, foreign = uuid.uuid4(), uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{withdrawn}", support_case(withdrawn, status="withdrawn"))
        registry_stub.on(
            "GET", f"/v1/support-cases/{foreign}", support_case(foreign, province=HA_NOI, commune="00004")
        )
        assert_problem(
            await app_client.post("/v1/allocations", json=case_body(source, withdrawn), headers=finance),
            422,
            "support_case_withdrawn",
        )
        assert_problem(
            await app_client.post("/v1/allocations", json=case_body(source, foreign), headers=finance),
            422,
            "target_outside_source_province",
        )

    async def test_more_than_the_source_has_is_422(
        self,
        app_client: httpx.AsyncClient,
        finance: dict[str, str],
        registry_stub: Any,
        db_session: AsyncSession,
    ) -> None:
        case_id = uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{case_id}", support_case(case_id))
        source = await new_source(app_client, finance, "Quỹ vì người nghèo", "fund_for_the_poor", 50_000_000)
        response = await app_client.post("/v1/allocations", json=case_body(source, case_id), headers=finance)
        problem = assert_problem(response, 422, "amount_exceeds_available")
        assert problem["errors"][0]["pointer"] == "/amount_vnd"
        assert await count(db_session, FundingAllocation) == 0

    async def test_a_disbursement_above_the_allocation_is_422(
        self, app_client: httpx.AsyncClient, finance: dict[str, str], registry_stub: Any
    ) -> None:
        case_id = uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{case_id}", support_case(case_id))
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        line = (
            await app_client.post("/v1/allocations", json=case_body(source, case_id), headers=finance)
        ).json()
        url = f"/v1/allocations/{line['id']}/disbursements"
        body = {"amount_vnd": 60_000_001, "disbursed_on": "2025-04-01", "reference": "UNC-2"}
        assert_problem(
            await app_client.post(url, json=body, headers=finance), 422, "amount_exceeds_allocation"
        )
        body["amount_vnd"] = 60_000_000
        assert (await app_client.post(url, json=body, headers=finance)).status_code == 201
        line = (await app_client.get(f"/v1/allocations/{line['id']}", headers=finance)).json()
        assert (line["disbursed_vnd"], line["undisbursed_vnd"], line["status"]) == (
            60_000_000,
            0,
            "disbursed",
        )

    async def test_projects_and_programmes(
        self, app_client: httpx.AsyncClient, finance: dict[str, str], registry_stub: Any
    ) -> None:
        project_id = uuid.uuid4()
        registry_stub.on(
            "GET",
            f"/v1/housing-projects/{project_id}",
            {"id": str(project_id), "name": "NOXH Tứ Minh", "kind": "social_housing",
             "province_code": HAI_PHONG, "commune_code": COMMUNE_B},
        )  # fmt: skip
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        body = case_body(source, project_id) | {
            "target_kind": "housing_project",
            "project_id": str(project_id),
        }
        del body["support_case_id"]
        response = await app_client.post("/v1/allocations", json=body, headers=finance)
        assert response.status_code == 201, response.text
        assert response.json()["commune_code"] == COMMUNE_B
        page = await app_client.get(
            "/v1/funding-lines", params={"project_id": str(project_id)}, headers=finance
        )
        assert [i["project_id"] for i in page.json()["items"]] == [str(project_id)]
        unknown = body | {"project_id": str(uuid.uuid4())}
        assert_problem(
            await app_client.post("/v1/allocations", json=unknown, headers=finance),
            422,
            "funding_target_unknown",
        )


class TestIdempotency:
    async def test_a_retried_allocation_with_its_key_is_booked_once(
        self,
        app_client: httpx.AsyncClient,
        finance: dict[str, str],
        registry_stub: Any,
        db_session: AsyncSession,
    ) -> None:
        case_id = uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{case_id}", support_case(case_id))
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        headers = finance | {"Idempotency-Key": str(uuid.uuid4())}
        first = await app_client.post("/v1/allocations", json=case_body(source, case_id), headers=headers)
        again = await app_client.post("/v1/allocations", json=case_body(source, case_id), headers=headers)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.json()["id"] == first.json()["id"]
        assert again.headers["idempotent-replayed"] == "true"
        assert await count(db_session, FundingAllocation) == 1
        other = await app_client.post(
            "/v1/allocations", json=case_body(source, case_id, 1_000), headers=headers
        )
        assert_problem(other, 422, "idempotency_key_reused")


class TestRolesAndAreas:
    @pytest.mark.parametrize(
        "roles", [["commune_officer"], ["province_officer"], ["auditor"], ["service"], ["bank_integration"]]
    )
    async def test_only_finance_officers_allocate_and_disburse(
        self,
        app_client: httpx.AsyncClient,
        auth: Auth,
        finance: dict[str, str],
        db_session: AsyncSession,
        roles: list[str],
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        line = (
            await app_client.post(
                "/v1/allocations",
                json=case_body(source, uuid.uuid4()) | {"target_kind": "programme", "support_case_id": None,
                                                          "programme": "xoa_nha_tam_2024_2025"},
                headers=finance,
            )
        ).json()  # fmt: skip
        headers = auth(roles=roles, area_codes=[HAI_PHONG, COMMUNE_A])
        assert_problem(
            await app_client.post("/v1/allocations", json=case_body(source, uuid.uuid4()), headers=headers),
            403,
            "forbidden",
        )
        assert_problem(
            await app_client.post(
                f"/v1/allocations/{line['id']}/disbursements",
                json={"amount_vnd": 1, "disbursed_on": "2025-04-01", "reference": "x"},
                headers=headers,
            ),
            403,
            "forbidden",
        )
        assert await count(db_session, FundingAllocation) == 1

    async def test_finance_officer_of_another_province_gets_403(
        self, app_client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], registry_stub: Any
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        response = await app_client.post(
            "/v1/allocations", json=case_body(source, uuid.uuid4()), headers=ha_noi
        )
        assert_problem(response, 403, "area_not_covered")
        assert registry_stub.requests == []

    async def test_commune_officers_read_only_their_communes_lines(
        self, app_client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], registry_stub: Any
    ) -> None:
        in_a, in_b = uuid.uuid4(), uuid.uuid4()
        registry_stub.on("GET", f"/v1/support-cases/{in_a}", support_case(in_a, commune=COMMUNE_A))
        registry_stub.on("GET", f"/v1/support-cases/{in_b}", support_case(in_b, commune=COMMUNE_B))
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 200_000_000)
        line_a = (
            await app_client.post("/v1/allocations", json=case_body(source, in_a), headers=finance)
        ).json()
        line_b = (
            await app_client.post("/v1/allocations", json=case_body(source, in_b), headers=finance)
        ).json()
        commune = auth(roles=["commune_officer"], area_codes=[COMMUNE_A])
        page = (await app_client.get("/v1/allocations", headers=commune)).json()
        assert [i["id"] for i in page["items"]] == [line_a["id"]]
        assert (await app_client.get(f"/v1/allocations/{line_a['id']}", headers=commune)).status_code == 200
        assert_problem(
            await app_client.get(f"/v1/allocations/{line_b['id']}", headers=commune),
            404,
            "allocation_not_found",
        )
        lines_b = await app_client.get(
            "/v1/funding-lines", params={"support_case_id": str(in_b)}, headers=commune
        )
        assert lines_b.json()["items"] == []
        service = auth(roles=["service"], area_codes=[HAI_PHONG])
        lines_b = await app_client.get(
            "/v1/funding-lines", params={"support_case_id": str(in_b)}, headers=service
        )
        assert [i["id"] for i in lines_b.json()["items"]] == [line_b["id"]]

    @pytest.mark.parametrize("roles", [["bank_integration"], ["partner"], ["inspector"]])
    async def test_allocation_reads_refuse_other_roles(
        self, app_client: httpx.AsyncClient, auth: Auth, roles: list[str]
    ) -> None:
        headers = auth(roles=roles, area_codes=[HAI_PHONG])
        assert_problem(await app_client.get("/v1/allocations", headers=headers), 403, "forbidden")
        assert_problem(
            await app_client.get(f"/v1/allocations/{uuid.uuid4()}", headers=headers), 403, "forbidden"
        )

    @pytest.mark.parametrize("roles", [["bank_integration"], ["partner"], ["inspector"]])
    async def test_funding_lines_refuse_other_roles(
        self, app_client: httpx.AsyncClient, auth: Auth, roles: list[str]
    ) -> None:
        headers = auth(roles=roles, area_codes=[HAI_PHONG])
        response = await app_client.get(
            "/v1/funding-lines", params={"support_case_id": str(uuid.uuid4())}, headers=headers
        )
        assert_problem(response, 403, "forbidden")


class TestBadInput:
    @pytest.mark.parametrize(
        "change",
        [
            {"amount_vnd": 0},
            {"amount_vnd": "many"},
            {"target_kind": "household"},
            {"target_kind": "programme"},  # names a support case, not a programme
            {"support_case_id": "not-a-uuid"},
            {"decision_date": "15/03/2025"},
            {"decision_number": ""},
            {"unexpected": True},
        ],
    )
    async def test_bad_allocations_are_422_with_field_errors(
        self,
        app_client: httpx.AsyncClient,
        finance: dict[str, str],
        db_session: AsyncSession,
        registry_stub: Any,
        change: dict[str, Any],
    ) -> None:
        source = await new_source(app_client, finance, "Ngân sách tỉnh", "provincial_budget", 100_000_000)
        response = await app_client.post(
            "/v1/allocations", json=case_body(source, uuid.uuid4()) | change, headers=finance
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"]
        assert await count(db_session, FundingAllocation) == 0
        assert registry_stub.requests == []

    async def test_funding_lines_need_exactly_one_reference(
        self, app_client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        assert_problem(
            await app_client.get("/v1/funding-lines", headers=finance), 422, "funding_line_query_invalid"
        )
        both = {"support_case_id": str(uuid.uuid4()), "project_id": str(uuid.uuid4())}
        assert_problem(
            await app_client.get("/v1/funding-lines", params=both, headers=finance),
            422,
            "funding_line_query_invalid",
        )
        assert_problem(
            await app_client.get("/v1/funding-lines", params={"support_case_id": "x"}, headers=finance),
            422,
            "validation_failed",
        )

    async def test_a_disbursement_on_an_unknown_line_is_404(
        self, app_client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await app_client.post(
            f"/v1/allocations/{uuid.uuid4()}/disbursements",
            json={"amount_vnd": 1, "disbursed_on": "2025-04-01", "reference": "x"},
            headers=finance,
        )
        assert_problem(response, 404, "allocation_not_found")

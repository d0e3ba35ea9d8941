from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.models import FundingCommitment, FundingContributor, OutboxEvent

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
HAI_PHONG = "31"
HA_NOI = "01"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


async def source(client: httpx.AsyncClient, headers: dict[str, str], kind: str = "provincial_budget") -> str:
    response = await client.post(
        "/v1/funding-sources",
        json={"province_code": HAI_PHONG, "kind": kind, "name": f"Nguồn {kind}"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    source_id: str = response.json()["id"]
    return source_id


async def contributor(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "province_code": HAI_PHONG,
        "kind": "enterprise_foreign",
        "name": "Công ty TNHH Ford Việt Nam",
        "tax_code": "0800123456",
        "country_code": "US",
    } | overrides
    response = await client.post("/v1/funding-contributors", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def appropriation(source_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "kind": "appropriation",
        "fiscal_year": 2025,
        "amount_vnd": 73_500_000_000,
        "decision_number": "3456/QĐ-UBND",
        "decision_date": "2024-12-20",
        "decision_issuer": "UBND tỉnh Hải Dương",
    } | overrides


class TestContributors:
    async def test_create_list_get(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        created = await contributor(client, finance)
        assert created["kind"] == "enterprise_foreign"
        page = (
            await client.get(
                "/v1/funding-contributors", params={"kind": "enterprise_foreign"}, headers=finance
            )
        ).json()
        assert [c["id"] for c in page["items"]] == [created["id"]]
        got = await client.get(f"/v1/funding-contributors/{created['id']}", headers=finance)
        assert got.status_code == 200
        assert got.headers["etag"] == 'W/"1"'
        assert (
            "funding_contributor.created"
            in (await db_session.execute(select(OutboxEvent.type))).scalars().all()
        )

    async def test_a_taken_name_is_409(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        await contributor(client, finance)
        response = await client.post(
            "/v1/funding-contributors",
            json={"province_code": HAI_PHONG, "kind": "organisation", "name": "Công ty TNHH Ford Việt Nam"},
            headers=finance,
        )
        assert_problem(response, 409, "funding_contributor_name_taken")

    async def test_wrong_role_wrong_area_and_bad_input(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        body = {"province_code": HAI_PHONG, "kind": "organisation", "name": "Hội Chữ thập đỏ"}
        for roles in (["commune_officer"], ["bank_integration"], ["auditor"]):
            headers = auth(roles=roles, area_codes=[HAI_PHONG])
            assert_problem(
                await client.post("/v1/funding-contributors", json=body, headers=headers), 403, "forbidden"
            )
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        assert_problem(
            await client.post("/v1/funding-contributors", json=body, headers=ha_noi), 403, "area_not_covered"
        )
        for bad in ({"kind": "person"}, {"tax_code": "12"}, {"country_code": "usa"}, {"name": ""}):
            problem = assert_problem(
                await client.post("/v1/funding-contributors", json=body | bad, headers=finance),
                422,
                "validation_failed",
            )
            assert problem["errors"]
        assert (
            await db_session.execute(select(func.count()).select_from(FundingContributor))
        ).scalar_one() == 0

    async def test_another_provinces_contributor_is_404(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str]
    ) -> None:
        created = await contributor(client, finance)
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        response = await client.get(f"/v1/funding-contributors/{created['id']}", headers=ha_noi)
        assert_problem(response, 404, "funding_contributor_not_found")


class TestCommitments:
    async def test_appropriations_and_pledges_per_fiscal_year(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        budget = await source(client, finance)
        socialized = await source(client, finance, "socialized_foreign")
        giver = await contributor(client, finance)
        first = await client.post("/v1/funding-commitments", json=appropriation(budget), headers=finance)
        assert first.status_code == 201, first.text
        assert first.json()["decision_issuer"] == "UBND tỉnh Hải Dương"
        pledge = appropriation(
            socialized, kind="pledge", contributor_id=giver["id"], amount_vnd=5_000_000_000, fiscal_year=2024,
            decision_number="CV-12/2024", decision_issuer="Công ty TNHH Ford Việt Nam",
        )  # fmt: skip
        second = await client.post("/v1/funding-commitments", json=pledge, headers=finance)
        assert second.status_code == 201, second.text
        page = (
            await client.get("/v1/funding-commitments", params={"fiscal_year": 2025}, headers=finance)
        ).json()
        assert [c["id"] for c in page["items"]] == [first.json()["id"]]
        page = (
            await client.get("/v1/funding-commitments", params={"source_id": socialized}, headers=finance)
        ).json()
        assert [c["kind"] for c in page["items"]] == ["pledge"]
        events = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
        assert events.count("funding_commitment.recorded") == 2

    async def test_references_are_checked_and_nothing_is_stored(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        budget = await source(client, finance)
        giver = await contributor(client, finance)
        url = "/v1/funding-commitments"
        cases = [
            (appropriation(str(uuid.uuid4())), "/source_id"),
            (appropriation(budget, contributor_id=giver["id"]), "/contributor_id"),
            (appropriation(budget, kind="pledge", contributor_id=str(uuid.uuid4())), "/contributor_id"),
        ]
        for body, pointer in cases:
            problem = assert_problem(
                await client.post(url, json=body, headers=finance),
                422,
                "funding_commitment_reference_invalid",
            )
            assert problem["errors"][0]["pointer"] == pointer
        for bad in (
            {"fiscal_year": 1999},
            {"amount_vnd": 0},
            {"decision_date": None},
            {"decision_issuer": ""},
        ):
            assert_problem(
                await client.post(url, json=appropriation(budget) | bad, headers=finance),
                422,
                "validation_failed",
            )
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        assert_problem(
            await client.post(url, json=appropriation(budget), headers=ha_noi), 403, "area_not_covered"
        )
        commune = auth(roles=["commune_officer"], area_codes=[HAI_PHONG])
        assert_problem(await client.post(url, json=appropriation(budget), headers=commune), 403, "forbidden")
        assert (
            await db_session.execute(select(func.count()).select_from(FundingCommitment))
        ).scalar_one() == 0

    async def test_another_provinces_commitment_is_404(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str]
    ) -> None:
        budget = await source(client, finance)
        created = (
            await client.post("/v1/funding-commitments", json=appropriation(budget), headers=finance)
        ).json()
        ha_noi = auth(roles=["auditor"], area_codes=[HA_NOI])
        response = await client.get(f"/v1/funding-commitments/{created['id']}", headers=ha_noi)
        assert_problem(response, 404, "funding_commitment_not_found")
        assert (await client.get("/v1/funding-commitments", headers=ha_noi)).json()["items"] == []


@pytest.mark.parametrize("roles", [["bank_integration"], ["commune_officer"], ["partner"]])
async def test_reads_refuse_other_roles(client: httpx.AsyncClient, auth: Auth, roles: list[str]) -> None:
    headers = auth(roles=roles, area_codes=[HAI_PHONG])
    for path in ("/v1/funding-contributors", "/v1/funding-commitments"):
        assert_problem(await client.get(path, headers=headers), 403, "forbidden")
        assert_problem(await client.get(f"{path}/{uuid.uuid4()}", headers=headers), 403, "forbidden")

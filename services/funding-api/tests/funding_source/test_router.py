from __future__ import annotations

import asyncio
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.config import Settings
from funding_api.main import create_app
from funding_api.models import FundingSource

Auth = Callable[..., dict[str, str]]
URL = "/v1/funding-sources"
HAI_PHONG = "31"
HA_NOI = "01"
PHUONG_THUY_NGUYEN = "11560"
PROBLEM = "application/problem+json"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "kind": "provincial_budget",
        "name": "Ngân sách thành phố hỗ trợ nhà ở xã hội 2026",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": "2026-01-15",
        "note": "Hỗ trợ hộ nghèo, cận nghèo",
    }
    return data | overrides


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


async def create(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def test_the_app_builds_without_a_database() -> None:
    settings = Settings(
        DATABASE_URL=SecretStr("postgresql+asyncpg://nobody@127.0.0.1:1/nowhere"),
        OIDC_ISSUER="http://issuer.invalid",
        PII_ENCRYPTION_KEY=SecretStr("k" * 44),
        PII_BLIND_INDEX_KEY=SecretStr("b" * 44),
    )
    paths = create_app(settings).openapi()["paths"]
    assert set(paths) >= {URL, URL + "/{source_id}"}


class TestCreateFundingSource:
    async def test_creates_a_source_in_a_covered_province(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(), headers=finance)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        data = response.json()
        assert data["province_code"] == HAI_PHONG
        assert data["kind"] == "provincial_budget"
        assert data["decision_date"] == "2026-01-15"
        assert data["active"] is True
        assert data["version"] == 1
        uuid.UUID(data["id"])

    async def test_a_province_officer_may_create(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["province_officer"], area_codes=[HAI_PHONG])
        await create(client, headers, kind="housing_fund", name="Quỹ phát triển nhà ở")

    async def test_stores_nfd_text_as_nfc(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        name = "Quỹ Vì người nghèo thành phố Hải Phòng"
        created = await create(
            client, finance, kind="fund_for_the_poor", name=nfd(name), note=nfd("Đã duyệt")
        )
        assert created["name"] == name
        stored = (
            await db_session.execute(
                select(FundingSource).where(FundingSource.id == uuid.UUID(created["id"]))
            )
        ).scalar_one()
        assert stored.name == name
        assert stored.note == "Đã duyệt"

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post(URL, json=body()), 401, "unauthorized")

    async def test_refuses_a_role_that_may_only_read(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["auditor"], area_codes=[HAI_PHONG])
        assert_problem(await client.post(URL, json=body(), headers=headers), 403, "forbidden")

    async def test_refuses_a_province_the_caller_does_not_cover(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(province_code=HA_NOI), headers=finance)
        assert_problem(response, 403, "area_not_covered")

    async def test_a_commune_does_not_cover_its_province(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["finance_officer"], area_codes=[PHUONG_THUY_NGUYEN])
        assert_problem(await client.post(URL, json=body(), headers=headers), 403, "area_not_covered")

    async def test_rejects_unknown_fields(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        response = await client.post(URL, json=body(amount_vnd=1_000_000), headers=finance)
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["pointer"] for e in problem["errors"]] == ["/body/amount_vnd"]

    async def test_rejects_an_unknown_kind(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        response = await client.post(URL, json=body(kind="lottery"), headers=finance)
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["pointer"] for e in problem["errors"]] == ["/body/kind"]

    async def test_a_taken_name_is_a_conflict(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        await create(client, finance)
        # The same name typed in NFD is the same name.
        response = await client.post(URL, json=body(name=nfd(body()["name"])), headers=finance)
        assert_problem(response, 409, "funding_source_name_taken")

    async def test_the_same_name_is_fine_in_another_province(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = auth(roles=["finance_officer"], area_codes=[HAI_PHONG, HA_NOI])
        await create(client, headers)
        await create(client, headers, province_code=HA_NOI)


class TestListFundingSources:
    async def test_pages_through_more_than_one_page(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        created = [(await create(client, finance, name=f"Nguồn vốn số {i}"))["id"] for i in range(5)]
        seen: list[str] = []
        pages = 0
        params: dict[str, str | int] = {"limit": 2}
        while True:
            response = await client.get(URL, params=params, headers=finance)
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            seen += [item["id"] for item in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert pages == 3
        assert seen == created  # oldest first

    async def test_filters_by_kind_and_active(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        await create(client, finance, name="A", kind="central_budget")
        await create(client, finance, name="B", kind="central_budget", active=False)
        await create(client, finance, name="C", kind="gratitude_fund")
        response = await client.get(URL, params={"kind": "central_budget", "active": "true"}, headers=finance)
        assert [s["name"] for s in response.json()["items"]] == ["A"]
        response = await client.get(URL, params={"active": "false"}, headers=finance)
        assert [s["name"] for s in response.json()["items"]] == ["B"]

    async def test_never_shows_another_provinces_sources(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str]
    ) -> None:
        both = auth(roles=["province_officer"], area_codes=[HAI_PHONG, HA_NOI])
        await create(client, both, name="Hải Phòng")
        await create(client, both, name="Hà Nội", province_code=HA_NOI)
        response = await client.get(URL, headers=auth(roles=["auditor"], area_codes=[HAI_PHONG]))
        assert [s["name"] for s in response.json()["items"]] == ["Hải Phòng"]
        response = await client.get(URL, headers=auth(roles=["finance_officer"], area_codes=[HA_NOI]))
        assert [s["name"] for s in response.json()["items"]] == ["Hà Nội"]
        # Sources are province-level: a caller covering only a commune sees none of them.
        response = await client.get(
            URL, headers=auth(roles=["finance_officer"], area_codes=[PHUONG_THUY_NGUYEN])
        )
        assert response.json()["items"] == []

    async def test_rejects_a_tampered_cursor(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await client.get(URL, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=finance)
        assert_problem(response, 400, "invalid_cursor")

    async def test_rejects_an_unknown_kind_filter(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        problem = assert_problem(
            await client.get(URL, params={"kind": "x"}, headers=finance), 422, "validation_failed"
        )
        assert problem["errors"][0]["pointer"] == "/query/kind"

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(URL), 401, "unauthorized")

    async def test_refuses_a_commune_officer(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["commune_officer"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(URL, headers=headers), 403, "forbidden")


class TestGetFundingSource:
    async def test_gets_one_with_its_etag(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        created = await create(client, finance)
        response = await client.get(
            f"{URL}/{created['id']}", headers=auth(roles=["auditor"], area_codes=[HAI_PHONG])
        )
        assert response.status_code == 200
        assert response.headers["etag"] == 'W/"1"'
        assert response.json() == created

    async def test_another_provinces_source_is_not_found(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str]
    ) -> None:
        ha_noi = await create(
            client, auth(roles=["finance_officer"], area_codes=[HA_NOI]), province_code=HA_NOI
        )
        assert_problem(
            await client.get(f"{URL}/{ha_noi['id']}", headers=finance), 404, "funding_source_not_found"
        )

    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/{uuid.uuid4()}", headers=finance)
        assert_problem(response, 404, "funding_source_not_found")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(f"{URL}/{uuid.uuid4()}"), 401, "unauthorized")

    async def test_refuses_an_inspector(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["inspector"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(f"{URL}/{uuid.uuid4()}", headers=headers), 403, "forbidden")


class TestUpdateFundingSource:
    async def test_updates_and_returns_a_new_etag(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        created = await create(client, finance)
        url = f"{URL}/{created['id']}"
        etag = (await client.get(url, headers=finance)).headers["etag"]
        response = await client.patch(
            url, json={"active": False, "note": None}, headers=finance | {"If-Match": etag}
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"' != etag
        assert response.json()["active"] is False
        assert response.json()["note"] is None
        assert response.json()["name"] == created["name"]
        again = await client.get(url, headers=finance)
        assert again.headers["etag"] == 'W/"2"'
        assert again.json()["active"] is False

    async def test_stores_nfd_text_as_nfc(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        created = await create(client, finance)
        url = f"{URL}/{created['id']}"
        name = "Gói tín dụng thương mại ưu đãi"
        response = await client.patch(url, json={"name": nfd(name)}, headers=finance | {"If-Match": 'W/"1"'})
        assert response.status_code == 200, response.text
        assert (await client.get(url, headers=finance)).json()["name"] == name

    async def test_missing_if_match_is_428(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        created = await create(client, finance)
        response = await client.patch(f"{URL}/{created['id']}", json={"active": False}, headers=finance)
        assert_problem(response, 428, "precondition_required")

    async def test_stale_if_match_is_412(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        created = await create(client, finance)
        url = f"{URL}/{created['id']}"
        first = await client.patch(url, json={"active": False}, headers=finance | {"If-Match": 'W/"1"'})
        assert first.status_code == 200
        second = await client.patch(url, json={"active": True}, headers=finance | {"If-Match": 'W/"1"'})
        assert_problem(second, 412, "precondition_failed")
        assert (await client.get(url, headers=finance)).json()["active"] is False

    async def test_rejects_unknown_fields_and_the_province(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        created = await create(client, finance)
        response = await client.patch(
            f"{URL}/{created['id']}", json={"province_code": HA_NOI}, headers=finance | {"If-Match": 'W/"1"'}
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["pointer"] for e in problem["errors"]] == ["/body/province_code"]

    async def test_rejects_clearing_a_required_field(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        created = await create(client, finance)
        response = await client.patch(
            f"{URL}/{created['id']}", json={"name": None}, headers=finance | {"If-Match": 'W/"1"'}
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert [e["pointer"] for e in problem["errors"]] == ["/body/name"]

    async def test_renaming_onto_a_taken_name_is_a_conflict(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        await create(client, finance, name="Nguồn A")
        other = await create(client, finance, name="Nguồn B")
        url = f"{URL}/{other['id']}"
        response = await client.patch(url, json={"name": "Nguồn A"}, headers=finance | {"If-Match": 'W/"1"'})
        assert_problem(response, 409, "funding_source_name_taken")
        assert (await client.get(url, headers=finance)).json()["name"] == "Nguồn B"

    async def test_another_provinces_source_is_not_found(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str]
    ) -> None:
        ha_noi = await create(
            client, auth(roles=["finance_officer"], area_codes=[HA_NOI]), province_code=HA_NOI
        )
        response = await client.patch(
            f"{URL}/{ha_noi['id']}", json={"active": False}, headers=finance | {"If-Match": 'W/"1"'}
        )
        assert_problem(response, 404, "funding_source_not_found")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        response = await client.patch(f"{URL}/{uuid.uuid4()}", json={}, headers={"If-Match": 'W/"1"'})
        assert_problem(response, 401, "unauthorized")

    async def test_refuses_an_auditor(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["auditor"], area_codes=[HAI_PHONG]) | {"If-Match": 'W/"1"'}
        response = await client.patch(f"{URL}/{uuid.uuid4()}", json={"active": False}, headers=headers)
        assert_problem(response, 403, "forbidden")

    async def test_two_concurrent_updates_from_one_version_let_exactly_one_win(
        self, committing_client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        created = await create(committing_client, finance)
        url = f"{URL}/{created['id']}"
        headers = finance | {"If-Match": 'W/"1"'}
        responses = await asyncio.gather(
            committing_client.patch(url, json={"note": "Sửa lần một"}, headers=headers),
            committing_client.patch(url, json={"note": "Sửa lần hai"}, headers=headers),
        )
        assert sorted(r.status_code for r in responses) == [200, 412]
        winner = next(r for r in responses if r.status_code == 200)
        current = await committing_client.get(url, headers=finance)
        assert current.headers["etag"] == 'W/"2"'
        assert current.json()["note"] == winner.json()["note"]

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

from inspection_api.config import Settings
from inspection_api.main import create_app
from inspection_api.models import LandUsePlan

Auth = Callable[..., dict[str, str]]
URL = "/v1/land-use-plans"
HAI_PHONG = "31"
HA_NOI = "01"
PHUONG_HAI_DUONG = "10525"
PHUONG_THUY_NGUYEN = "11560"
PROBLEM = "application/problem+json"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "name": "Quy hoạch chung thành phố Hải Phòng đến năm 2040",
        "level": "general",
        "status": "approved",
        "decision_number": "1516/QĐ-TTg",
        "decision_date": "2023-12-02",
        "approved_by": "Thủ tướng Chính phủ",
        "social_housing_land_m2": 1_250_000,
    }
    return data | overrides


def commune_plan(commune_code: str = PHUONG_THUY_NGUYEN, **overrides: Any) -> dict[str, Any]:
    return (
        body(
            commune_code=commune_code,
            name=f"Quy hoạch chi tiết khu nhà ở xã hội phường {commune_code}",
            level="detailed",
            status="draft",
            decision_number=None,
            decision_date=None,
            approved_by=None,
            social_housing_land_m2=42_000,
        )
        | overrides
    )


@pytest.fixture
def province(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


async def create(client: httpx.AsyncClient, headers: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(URL, json=data, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def pointers(problem: dict[str, Any]) -> list[str]:
    return [e["pointer"] for e in problem["errors"]]


def test_the_app_builds_without_a_database() -> None:
    settings = Settings(
        DATABASE_URL=SecretStr("postgresql+asyncpg://nobody@127.0.0.1:1/nowhere"),
        OIDC_ISSUER="http://issuer.invalid",
        PII_ENCRYPTION_KEY=SecretStr("k" * 44),
        PII_BLIND_INDEX_KEY=SecretStr("b" * 44),
    )
    paths = create_app(settings).openapi()["paths"]
    assert set(paths) >= {URL, URL + "/{plan_id}"}


class TestCreateLandUsePlan:
    async def test_creates_a_province_wide_plan(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(), headers=province)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        data = response.json()
        assert data["commune_code"] is None
        assert data["level"] == "general"
        assert data["status"] == "approved"
        assert data["social_housing_land_m2"] == 1_250_000
        assert data["version"] == 1

    async def test_an_inspector_of_the_commune_creates_a_commune_plan(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = auth(roles=["inspector"], area_codes=[PHUONG_THUY_NGUYEN])
        created = await create(client, headers, commune_plan())
        assert created["commune_code"] == PHUONG_THUY_NGUYEN
        assert created["status"] == "draft"

    async def test_the_province_covers_its_communes_plans(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        await create(client, province, commune_plan(PHUONG_HAI_DUONG))

    async def test_stores_nfd_text_as_nfc(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        name = "Quy hoạch phân khu Thuỷ Nguyên"
        created = await create(
            client, province, body(name=nfd(name), level="zoning", approved_by=nfd("UBND thành phố"))
        )
        assert created["name"] == name
        stored = (
            await db_session.execute(select(LandUsePlan).where(LandUsePlan.id == uuid.UUID(created["id"])))
        ).scalar_one()
        assert (stored.name, stored.approved_by) == (name, "UBND thành phố")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post(URL, json=body()), 401, "unauthorized")

    async def test_refuses_a_commune_officer(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["commune_officer"], area_codes=[PHUONG_THUY_NGUYEN])
        assert_problem(await client.post(URL, json=commune_plan(), headers=headers), 403, "forbidden")

    async def test_refuses_another_province(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(province_code=HA_NOI), headers=province)
        assert_problem(response, 403, "area_not_covered")

    async def test_refuses_another_commune(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["inspector"], area_codes=[PHUONG_HAI_DUONG])
        response = await client.post(URL, json=commune_plan(PHUONG_THUY_NGUYEN), headers=headers)
        assert_problem(response, 403, "area_not_covered")

    async def test_a_commune_does_not_cover_a_province_wide_plan(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = auth(roles=["inspector"], area_codes=[PHUONG_THUY_NGUYEN])
        assert_problem(await client.post(URL, json=body(), headers=headers), 403, "area_not_covered")

    async def test_rejects_unknown_fields(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        response = await client.post(URL, json=body(geometry={"type": "Point"}), headers=province)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/geometry"]

    async def test_rejects_negative_land(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        response = await client.post(URL, json=body(social_housing_land_m2=-1), headers=province)
        assert pointers(assert_problem(response, 422, "validation_failed")) == [
            "/body/social_housing_land_m2"
        ]

    async def test_an_approved_plan_needs_its_decision(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.post(
            URL, json=body(decision_number=None, decision_date=None), headers=province
        )
        problem = assert_problem(response, 422, "land_use_plan_decision_missing")
        assert pointers(problem) == ["/body/decision_number", "/body/decision_date"]


class TestListLandUsePlans:
    async def test_pages_through_more_than_one_page(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = [(await create(client, province, body(name=f"Quy hoạch số {i}")))["id"] for i in range(5)]
        seen: list[str] = []
        pages = 0
        params: dict[str, str | int] = {"limit": 2}
        while True:
            response = await client.get(URL, params=params, headers=province)
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            seen += [item["id"] for item in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert pages == 3
        assert seen == created  # oldest first

    async def test_filters_by_level_and_status(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        await create(client, province, body(name="chung"))
        await create(client, province, body(name="phân khu", level="zoning"))
        await create(client, province, body(name="phân khu cũ", level="zoning", status="superseded"))
        response = await client.get(URL, params={"level": "zoning", "status": "approved"}, headers=province)
        assert [p["name"] for p in response.json()["items"]] == ["phân khu"]

    async def test_each_caller_sees_only_their_area(self, client: httpx.AsyncClient, auth: Auth) -> None:
        everywhere = auth(roles=["province_officer"], area_codes=[HAI_PHONG, HA_NOI])
        await create(client, everywhere, body(name="Hải Phòng"))
        await create(client, everywhere, body(name="Hà Nội", province_code=HA_NOI))
        await create(client, everywhere, commune_plan(PHUONG_THUY_NGUYEN, name="Thuỷ Nguyên"))
        await create(client, everywhere, commune_plan(PHUONG_HAI_DUONG, name="Hải Dương"))

        async def names(*area_codes: str, role: str = "auditor") -> list[str]:
            response = await client.get(URL, headers=auth(roles=[role], area_codes=list(area_codes)))
            assert response.status_code == 200, response.text
            return [p["name"] for p in response.json()["items"]]

        assert await names(HAI_PHONG) == ["Hải Phòng", "Thuỷ Nguyên", "Hải Dương"]
        assert await names(HA_NOI, role="inspector") == ["Hà Nội"]
        # A commune officer sees their commune's plans, not the province-wide ones nor other communes'.
        assert await names(PHUONG_THUY_NGUYEN, role="commune_officer") == ["Thuỷ Nguyên"]
        assert await names(PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN, role="commune_officer") == [
            "Thuỷ Nguyên",
            "Hải Dương",
        ]
        assert await names() == []

    async def test_rejects_a_tampered_cursor(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.get(URL, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=province)
        assert_problem(response, 400, "invalid_cursor")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(URL), 401, "unauthorized")

    async def test_refuses_a_finance_officer(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(URL, headers=headers), 403, "forbidden")


class TestGetLandUsePlan:
    async def test_gets_one_with_its_etag(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        created = await create(client, province, commune_plan())
        headers = auth(roles=["commune_officer"], area_codes=[PHUONG_THUY_NGUYEN])
        response = await client.get(f"{URL}/{created['id']}", headers=headers)
        assert response.status_code == 200
        assert response.headers["etag"] == 'W/"1"'
        assert response.json() == created

    async def test_another_areas_plan_is_not_found(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        city_wide = await create(client, province, body())
        other_commune = await create(client, province, commune_plan(PHUONG_HAI_DUONG))
        headers = auth(roles=["commune_officer"], area_codes=[PHUONG_THUY_NGUYEN])
        for plan in (city_wide, other_commune):
            response = await client.get(f"{URL}/{plan['id']}", headers=headers)
            assert_problem(response, 404, "land_use_plan_not_found")
        ha_noi = auth(roles=["auditor"], area_codes=[HA_NOI])
        assert_problem(
            await client.get(f"{URL}/{city_wide['id']}", headers=ha_noi), 404, "land_use_plan_not_found"
        )

    async def test_an_unknown_id_is_not_found(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/{uuid.uuid4()}", headers=province)
        assert_problem(response, 404, "land_use_plan_not_found")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(f"{URL}/{uuid.uuid4()}"), 401, "unauthorized")

    async def test_refuses_a_finance_officer(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(f"{URL}/{uuid.uuid4()}", headers=headers), 403, "forbidden")


class TestUpdateLandUsePlan:
    async def test_approves_a_draft_and_returns_a_new_etag(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = await create(client, province, commune_plan())
        url = f"{URL}/{created['id']}"
        etag = (await client.get(url, headers=province)).headers["etag"]
        change = {"status": "approved", "decision_number": "88/QĐ-UBND", "decision_date": "2026-03-02"}
        response = await client.patch(url, json=change, headers=province | {"If-Match": etag})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"' != etag
        assert response.json()["status"] == "approved"
        again = await client.get(url, headers=province)
        assert again.headers["etag"] == 'W/"2"'
        assert again.json()["decision_number"] == "88/QĐ-UBND"

    async def test_stores_nfd_text_as_nfc(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        created = await create(client, province, body())
        url = f"{URL}/{created['id']}"
        response = await client.patch(
            url,
            json={"approved_by": nfd("Uỷ ban nhân dân thành phố")},
            headers=province | {"If-Match": 'W/"1"'},
        )
        assert response.status_code == 200, response.text
        assert (await client.get(url, headers=province)).json()["approved_by"] == "Uỷ ban nhân dân thành phố"

    async def test_cannot_clear_the_decision_of_an_approved_plan(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = await create(client, province, body())
        response = await client.patch(
            f"{URL}/{created['id']}", json={"decision_date": None}, headers=province | {"If-Match": 'W/"1"'}
        )
        problem = assert_problem(response, 422, "land_use_plan_decision_missing")
        assert pointers(problem) == ["/body/decision_date"]

    async def test_missing_if_match_is_428(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        created = await create(client, province, body())
        response = await client.patch(f"{URL}/{created['id']}", json={"name": "x"}, headers=province)
        assert_problem(response, 428, "precondition_required")

    async def test_stale_if_match_is_412(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        created = await create(client, province, body())
        url = f"{URL}/{created['id']}"
        first = await client.patch(url, json={"name": "Tên mới"}, headers=province | {"If-Match": 'W/"1"'})
        assert first.status_code == 200
        second = await client.patch(url, json={"name": "Tên khác"}, headers=province | {"If-Match": 'W/"1"'})
        assert_problem(second, 412, "precondition_failed")
        assert (await client.get(url, headers=province)).json()["name"] == "Tên mới"

    async def test_rejects_unknown_fields_and_the_area(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = await create(client, province, body())
        response = await client.patch(
            f"{URL}/{created['id']}",
            json={"commune_code": PHUONG_THUY_NGUYEN},
            headers=province | {"If-Match": 'W/"1"'},
        )
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/commune_code"]

    async def test_rejects_clearing_a_required_field(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = await create(client, province, body())
        response = await client.patch(
            f"{URL}/{created['id']}", json={"status": None}, headers=province | {"If-Match": 'W/"1"'}
        )
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/status"]

    async def test_another_areas_plan_is_not_found(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        created = await create(client, province, commune_plan(PHUONG_HAI_DUONG))
        headers = auth(roles=["inspector"], area_codes=[PHUONG_THUY_NGUYEN]) | {"If-Match": 'W/"1"'}
        response = await client.patch(f"{URL}/{created['id']}", json={"name": "x"}, headers=headers)
        assert_problem(response, 404, "land_use_plan_not_found")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        response = await client.patch(f"{URL}/{uuid.uuid4()}", json={}, headers={"If-Match": 'W/"1"'})
        assert_problem(response, 401, "unauthorized")

    async def test_refuses_an_auditor(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["auditor"], area_codes=[HAI_PHONG]) | {"If-Match": 'W/"1"'}
        response = await client.patch(f"{URL}/{uuid.uuid4()}", json={"name": "x"}, headers=headers)
        assert_problem(response, 403, "forbidden")

    async def test_two_concurrent_updates_from_one_version_let_exactly_one_win(
        self, committing_client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        created = await create(committing_client, province, body())
        url = f"{URL}/{created['id']}"
        headers = province | {"If-Match": 'W/"1"'}
        responses = await asyncio.gather(
            committing_client.patch(url, json={"social_housing_land_m2": 1}, headers=headers),
            committing_client.patch(url, json={"social_housing_land_m2": 2}, headers=headers),
        )
        assert sorted(r.status_code for r in responses) == [200, 412]
        winner = next(r for r in responses if r.status_code == 200)
        current = await committing_client.get(url, headers=province)
        assert current.headers["etag"] == 'W/"2"'
        assert current.json()["social_housing_land_m2"] == winner.json()["social_housing_land_m2"]

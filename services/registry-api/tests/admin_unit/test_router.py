from __future__ import annotations

from collections.abc import Callable

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.service import admin_unit_service

HAI_PHONG = 31


class TestListAdminUnits:
    async def test_lists_hai_phong_communes_page_by_page(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Callable[..., dict[str, str]]
    ) -> None:
        added = await admin_unit_service.seed_current_province(db_session, HAI_PHONG)
        await db_session.commit()
        assert added == 115  # the city and its 114 communes and wards
        headers = auth(roles=["commune_officer"], area_codes=["11560"])

        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, str | int] = {"parent_code": "31", "limit": 50}
            if cursor:
                params["cursor"] = cursor
            response = await client.get("/v1/admin-units", params=params, headers=headers)
            assert response.status_code == 200, response.text
            body = response.json()
            seen += [u["code"] for u in body["items"]]
            cursor = body.get("next_cursor")
            if not cursor:
                break
        assert len(seen) == 114
        assert seen == sorted(seen)
        assert len(set(seen)) == 114

    async def test_rejects_a_limit_above_100(
        self, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
    ) -> None:
        response = await client.get("/v1/admin-units", params={"limit": 101}, headers=auth(roles=["auditor"]))
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["pointer"] == "/query/limit"

    async def test_rejects_a_tampered_cursor(
        self, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
    ) -> None:
        response = await client.get(
            "/v1/admin-units", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=auth(roles=["auditor"])
        )
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/v1/admin-units")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


class TestGetAdminUnit:
    async def test_gets_a_commune_by_code(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Callable[..., dict[str, str]]
    ) -> None:
        await admin_unit_service.seed_current_province(db_session, HAI_PHONG)
        await db_session.commit()
        response = await client.get("/v1/admin-units/11560", headers=auth(roles=["inspector"]))
        assert response.status_code == 200
        assert response.json()["name"] == "Phường Thuỷ Nguyên"
        assert response.json()["valid_from"] == "2025-07-01"

    async def test_unknown_code_is_a_problem_404(
        self, client: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
    ) -> None:
        response = await client.get("/v1/admin-units/99999", headers=auth(roles=["inspector"]))
        assert response.status_code == 404
        assert response.json()["code"] == "admin_unit_not_found"

    async def test_seed_is_idempotent(self, db_session: AsyncSession) -> None:
        first = await admin_unit_service.seed_current_province(db_session, HAI_PHONG)
        second = await admin_unit_service.seed_current_province(db_session, HAI_PHONG)
        assert (first, second) == (115, 0)

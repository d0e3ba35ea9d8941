"""A commune plan is checked against registry-api, called with inspection-api's own service token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

Auth = Callable[..., dict[str, str]]


def plan(commune: str, province: str = "31") -> dict[str, object]:
    return {
        "name": "Quy hoạch phân khu",
        "level": "zoning",
        "status": "draft",
        "province_code": province,
        "commune_code": commune,
    }


@pytest.fixture
async def checked_client(app_with_registry: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with_registry, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


class TestCommuneCheck:
    async def test_registry_is_asked_with_a_service_token_on_behalf_of_the_officer(
        self, checked_client: httpx.AsyncClient, registry_stub: object, auth: Auth
    ) -> None:
        headers = auth(roles=["inspector"], area_codes=["31"], subject="inspector-7")
        response = await checked_client.post("/v1/land-use-plans", json=plan("10525"), headers=headers)
        assert response.status_code == 201, response.text
        sent = registry_stub.requests[-1]  # type: ignore[attr-defined]
        assert sent.url.path == "/v1/admin-units/10525"
        assert sent.headers["authorization"] == "Bearer inspection-service-token"
        assert sent.headers["x-acting-subject"] == "inspector-7"
        assert sent.headers["x-request-id"] == response.headers["x-request-id"]

    async def test_a_commune_of_another_province_is_refused(
        self, checked_client: httpx.AsyncClient, auth: Auth
    ) -> None:
        # A caller covering one commune may not file it under another province's code.
        headers = auth(roles=["inspector"], area_codes=["11560"])
        response = await checked_client.post(
            "/v1/land-use-plans", json=plan("11560", province="01"), headers=headers
        )
        assert response.status_code == 422
        assert response.json()["code"] == "commune_not_in_province"
        assert response.json()["errors"][0]["pointer"] == "/body/commune_code"

    async def test_an_unknown_commune_is_refused(self, checked_client: httpx.AsyncClient, auth: Auth) -> None:
        response = await checked_client.post(
            "/v1/land-use-plans", json=plan("99999"), headers=auth(roles=["inspector"], area_codes=["31"])
        )
        assert response.status_code == 422

    async def test_registry_down_is_a_503_and_stores_nothing(
        self, checked_client: httpx.AsyncClient, registry_stub: object, auth: Auth
    ) -> None:
        registry_stub.down = True  # type: ignore[attr-defined]
        headers = auth(roles=["inspector"], area_codes=["31"])
        response = await checked_client.post("/v1/land-use-plans", json=plan("10525"), headers=headers)
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert int(response.headers["retry-after"]) >= 1
        listed = await checked_client.get("/v1/land-use-plans", headers=headers)
        assert listed.json()["items"] == []

    async def test_a_province_wide_plan_needs_no_registry(
        self, checked_client: httpx.AsyncClient, registry_stub: object, auth: Auth
    ) -> None:
        registry_stub.down = True  # type: ignore[attr-defined]
        body = {**plan("10525"), "commune_code": None, "level": "general"}
        response = await checked_client.post(
            "/v1/land-use-plans", json=body, headers=auth(roles=["inspector"], area_codes=["31"])
        )
        assert response.status_code == 201

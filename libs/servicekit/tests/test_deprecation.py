"""Deprecated operations answer with `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) on every response."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from sample_service.app import HERE, make_settings
from servicekit.errors import error_responses
from servicekit.web.app import ServiceSpec, create_service_app
from servicekit.web.deprecation import DeprecationUndocumented

DEPRECATION = {"x-deprecated-since": "2026-12-01", "x-sunset": "2027-06-30"}
# 2026-12-01 00:00 in Hải Phòng (UTC+7) and the end of 2027-06-30 there.
DEPRECATED_AT = int(datetime(2026, 11, 30, 17, 0, tzinfo=UTC).timestamp())
SUNSET = "Wed, 30 Jun 2027 17:00:00 GMT"


def build(router: APIRouter) -> FastAPI:
    spec = ServiceSpec(
        title="deprecation",
        description="a deprecated operation beside a current one",
        v1_router=router,
        alembic_ini=HERE / "alembic.ini",
        gateway_prefix="/api/sample",
    )
    return create_service_app(
        make_settings("postgresql+asyncpg://nobody@127.0.0.1:1/none"), spec, configure_logs=False
    )


def routes() -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["things"])

    @router.get("/old-things", deprecated=True, openapi_extra=DEPRECATION, responses=error_responses())
    async def list_old_things(limit: int = 20) -> dict[str, int]:
        return {"limit": limit}

    @router.get("/things")
    async def list_things() -> dict[str, int]:
        return {"limit": 20}

    return router


@pytest.fixture
async def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=build(routes())), base_url="http://test")


async def test_a_deprecated_operation_answers_with_both_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/old-things")
    assert response.status_code == 200
    assert response.headers["deprecation"] == f"@{DEPRECATED_AT}"
    assert response.headers["sunset"] == SUNSET
    assert parsedate_to_datetime(response.headers["sunset"]) == datetime(2027, 6, 30, 17, 0, tzinfo=UTC)
    assert response.headers["x-request-id"]  # the other middleware still runs


async def test_its_errors_carry_them_too(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/old-things", params={"limit": "many"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["deprecation"] == f"@{DEPRECATED_AT}"
    assert response.headers["sunset"] == SUNSET


async def test_other_operations_carry_neither(client: httpx.AsyncClient) -> None:
    for path in ("/v1/things", "/v1/nowhere", "/healthz"):
        response = await client.get(path)
        assert "deprecation" not in response.headers, path
        assert "sunset" not in response.headers, path


def test_the_document_declares_the_deprecation() -> None:
    operation = build(routes()).openapi()["paths"]["/v1/old-things"]["get"]
    assert operation["deprecated"] is True
    assert operation["x-sunset"] == "2027-06-30"
    assert operation["x-deprecated-since"] == "2026-12-01"
    assert "deprecated" not in build(routes()).openapi()["paths"]["/v1/things"]["get"]


@pytest.mark.parametrize(
    "extra",
    [
        None,
        {"x-sunset": "2027-06-30"},
        {"x-deprecated-since": "2026-12-01"},
        {"x-deprecated-since": "2026-12-01", "x-sunset": "30/06/2027"},
        {"x-deprecated-since": "2027-06-30", "x-sunset": "2027-06-30"},
    ],
)
def test_a_deprecation_without_valid_dates_fails_at_start_up(extra: dict[str, str] | None) -> None:
    router = APIRouter(prefix="/v1", tags=["things"])

    @router.get("/old-things", deprecated=True, openapi_extra=extra)
    async def list_old_things() -> dict[str, str]:
        return {}

    with pytest.raises(DeprecationUndocumented):
        build(router)


async def test_a_router_included_as_deprecated_counts() -> None:
    old = APIRouter(tags=["things"])

    @old.get("/legacy-things", openapi_extra=DEPRECATION)
    async def list_legacy_things() -> dict[str, str]:
        return {}

    router = APIRouter(prefix="/v1")
    router.include_router(old, deprecated=True)
    app = build(router)
    assert app.openapi()["paths"]["/v1/legacy-things"]["get"]["deprecated"] is True
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await client.get("/v1/legacy-things")
    assert response.headers["sunset"] == SUNSET

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.config import Settings
from inspection_api.main import SERVICE_ROOT, create_app
from inspection_api.models import InspectionBase
from servicekit.http import build_service_client
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer
from servicekit.tokens import TokenVerifier

# The units registry-api answers for, stubbed at the HTTP boundary.
REGISTRY_UNITS = {
    "10525": {"code": "10525", "level": "commune", "name": "Phường Hải Dương", "parent_code": "31"},
    "11560": {"code": "11560", "level": "commune", "name": "Phường Thuỷ Nguyên", "parent_code": "31"},
    "00004": {"code": "00004", "level": "commune", "name": "Phường Ba Đình", "parent_code": "01"},
}


class RegistryStub:
    """registry-api at the HTTP boundary; records what it was sent, can be switched off."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.down = False
        # GET /v1/integrity-signals: the items per kind, served `page_size` at a time.
        self.signals: dict[str, list[dict[str, Any]]] = {}
        self.page_size = 100
        # Kinds whose first page answers, and whose later pages fail (a source dying mid-run).
        self.fail_after_first_page: set[str] = set()

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/v1/integrity-signals":
            kind = request.url.params.get("kind", "")
            cursor = request.url.params.get("cursor")
            if cursor and kind in self.fail_after_first_page:
                return httpx.Response(503, json={"code": "upstream_unavailable"})
            return paged(self.signals.get(kind, []), cursor, self.page_size)
        unit = REGISTRY_UNITS.get(request.url.path.rsplit("/", 1)[-1])
        return (
            httpx.Response(200, json=unit)
            if unit
            else httpx.Response(404, json={"code": "admin_unit_not_found"})
        )


def paged(items: list[dict[str, Any]], cursor: str | None, size: int) -> httpx.Response:
    start = int(cursor or 0)
    more = start + size < len(items)
    return httpx.Response(
        200, json={"items": items[start : start + size], "next_cursor": str(start + size) if more else None}
    )


class FundingStub:
    """funding-api at the HTTP boundary: GET /v1/loan-exceptions, filtered by reason and status."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.down = False
        self.loan_exceptions: list[dict[str, Any]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if request.url.path == "/v1/loan-exceptions":
            reason = request.url.params.get("reason")
            status = request.url.params.get("status")
            items = [
                e
                for e in self.loan_exceptions
                if (reason is None or e["reason"] == reason) and (status is None or e["status"] == status)
            ]
            return paged(items, request.url.params.get("cursor"), 100)
        return httpx.Response(404, json={"code": "not_found"})


def issuer_stub(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "inspection-service-token", "expires_in": 300})


@pytest.fixture
def registry_stub() -> RegistryStub:
    return RegistryStub()


@pytest.fixture
def funding_stub() -> FundingStub:
    return FundingStub()


def make_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: TokenVerifier
) -> FastAPI:
    return make_app_with_registry(database_url, sessionmaker, verifier, RegistryStub())


def make_app_with_registry(
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    verifier: TokenVerifier,
    registry: RegistryStub,
    funding: FundingStub | None = None,
) -> FastAPI:
    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="inspection-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
    )
    client = build_service_client(
        RegistryClient,
        settings,
        name="registry-api",
        base_url="http://registry.test",
        transport=httpx.MockTransport(registry.handler),
        token_transport=httpx.MockTransport(issuer_stub),
    )
    client.retries = 0
    return create_app(
        settings,
        sessionmaker=sessionmaker,
        token_verifier=verifier,
        registry_client=client,
        funding_client=stub_funding_client(settings, funding or FundingStub()),
    )


def stub_funding_client(settings: Settings, funding: FundingStub) -> FundingClient:
    client = build_service_client(
        FundingClient,
        settings,
        name="funding-api",
        base_url="http://funding.test",
        transport=httpx.MockTransport(funding.handler),
        token_transport=httpx.MockTransport(issuer_stub),
    )
    client.retries = 0
    return client


@pytest.fixture
def app_with_registry(
    service_config: ServiceTestConfig,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    registry_stub: RegistryStub,
) -> FastAPI:
    """The app with a registry stub the test can inspect and switch off."""
    return make_app_with_registry(
        database_url, rollback_sessionmaker, test_issuer.verifier(service_config.name), registry_stub
    )


@pytest.fixture(scope="session")
def service_config() -> ServiceTestConfig:
    return ServiceTestConfig(
        name="inspection-api",
        db_prefix="inspection",
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        metadata=InspectionBase.metadata,
        app_factory=make_app,
    )

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.clients.inspection import InspectionClient
from funding_api.clients.registry import RegistryClient
from funding_api.config import Settings
from funding_api.main import SERVICE_ROOT, create_app
from funding_api.models import FundingBase
from servicekit.http import build_service_client
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer
from servicekit.tokens import TokenVerifier

RegistryRoute = Callable[[httpx.Request], httpx.Response]


class RegistryStub:
    """registry-api at the HTTP boundary: tests register answers by (method, path); it records what
    it was sent and can be switched off (`down = True` makes every call a connection error)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], RegistryRoute] = {}
        self.down = False

    def on(self, method: str, path: str, answer: RegistryRoute | httpx.Response | dict[str, object]) -> None:
        """Answer `method path` with a function, a fixed response, or a JSON body (200)."""
        if isinstance(answer, httpx.Response):
            fixed = answer
            self.routes[(method.upper(), path)] = lambda _request: fixed
        elif isinstance(answer, dict):
            body = answer
            self.routes[(method.upper(), path)] = lambda _request: httpx.Response(200, json=body)
        else:
            self.routes[(method.upper(), path)] = answer

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            return httpx.Response(404, json={"code": "not_found", "status": 404})
        return route(request)


def issuer_stub(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "funding-service-token", "expires_in": 300})


@pytest.fixture
def registry_stub() -> RegistryStub:
    return RegistryStub()


@pytest.fixture
def inspection_stub() -> RegistryStub:
    """inspection-api at the HTTP boundary (the same stub: `.on(...)`, `.down = True`)."""
    return RegistryStub()


@pytest.fixture
async def inspection_client(
    database_url: str, inspection_stub: RegistryStub
) -> AsyncIterator[InspectionClient]:
    """An InspectionClient talking to `inspection_stub` (for the housing fund's verification job)."""
    client = build_service_client(
        InspectionClient,
        make_settings(database_url),
        name="inspection-api",
        base_url="http://inspection.test",
        transport=httpx.MockTransport(inspection_stub.handler),
        token_transport=httpx.MockTransport(issuer_stub),
    )
    client.retries = 0
    yield client
    await client.aclose()


def make_settings(database_url: str) -> Settings:
    return Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="funding-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
    )


def stub_registry_client(settings: Settings, registry: RegistryStub) -> RegistryClient:
    client = build_service_client(
        RegistryClient,
        settings,
        name="registry-api",
        base_url="http://registry.test",
        transport=httpx.MockTransport(registry.handler),
        token_transport=httpx.MockTransport(issuer_stub),
    )
    client.retries = 0
    return client


def make_app_with_registry(
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    verifier: TokenVerifier,
    registry: RegistryStub,
) -> FastAPI:
    settings = make_settings(database_url)
    return create_app(
        settings,
        sessionmaker=sessionmaker,
        token_verifier=verifier,
        registry_client=stub_registry_client(settings, registry),
    )


def make_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: TokenVerifier
) -> FastAPI:
    return make_app_with_registry(database_url, sessionmaker, verifier, RegistryStub())


@pytest.fixture
def app_with_registry(
    service_config: ServiceTestConfig,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    registry_stub: RegistryStub,
) -> FastAPI:
    """The app with a registry stub the test configures (`registry_stub.on(...)`) and can switch off."""
    return make_app_with_registry(
        database_url, rollback_sessionmaker, test_issuer.verifier(service_config.name), registry_stub
    )


@pytest.fixture(scope="session")
def service_config() -> ServiceTestConfig:
    return ServiceTestConfig(
        name="funding-api",
        db_prefix="funding",
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        metadata=FundingBase.metadata,
        app_factory=make_app,
    )

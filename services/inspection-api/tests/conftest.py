from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

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

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        unit = REGISTRY_UNITS.get(request.url.path.rsplit("/", 1)[-1])
        return (
            httpx.Response(200, json=unit)
            if unit
            else httpx.Response(404, json={"code": "admin_unit_not_found"})
        )


def issuer_stub(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "inspection-service-token", "expires_in": 300})


@pytest.fixture
def registry_stub() -> RegistryStub:
    return RegistryStub()


def make_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: TokenVerifier
) -> FastAPI:
    return make_app_with_registry(database_url, sessionmaker, verifier, RegistryStub())


def make_app_with_registry(
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession],
    verifier: TokenVerifier,
    registry: RegistryStub,
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
    return create_app(settings, sessionmaker=sessionmaker, token_verifier=verifier, registry_client=client)


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

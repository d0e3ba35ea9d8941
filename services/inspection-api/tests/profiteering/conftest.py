"""Upstream clients wired to the HTTP stubs of tests/conftest.py, for calling the detection service."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.config import Settings
from servicekit.http import ServiceClient, build_service_client
from servicekit.testing.tokens import TEST_ISSUER


def _token(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "inspection-service-token", "expires_in": 300})


def _client(kind: type[ServiceClient], name: str, handler: Any) -> Any:
    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr("postgresql+asyncpg://unused@127.0.0.1:1/unused"),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="inspection-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
    )
    client = build_service_client(
        kind,
        settings,
        name=name,
        base_url=f"http://{name}.test",
        transport=httpx.MockTransport(handler),
        token_transport=httpx.MockTransport(_token),
    )
    client.retries = 0
    return client


@pytest.fixture
def registry_client(registry_stub: Any) -> RegistryClient:
    client: RegistryClient = _client(RegistryClient, "registry-api", registry_stub.handler)
    return client


@pytest.fixture
def funding_client(funding_stub: Any) -> FundingClient:
    client: FundingClient = _client(FundingClient, "funding-api", funding_stub.handler)
    return client

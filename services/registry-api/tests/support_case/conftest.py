"""Support-case tests: the people helpers (see household/helpers.py), the support rates, and an app
whose funding-api client talks to a stub the test can inspect and switch off."""

from __future__ import annotations

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.clients.funding import FundingClient
from registry_api.config import Settings
from registry_api.main import create_app
from registry_api.support_case.reference import seed_support_rates
from servicekit.http import build_service_client
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer

NAME = "registry_people_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parents[1] / "household" / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from registry_people_testing import cipher, officer, people, province, reference_data  # noqa: E402

__all__ = ["cipher", "officer", "people", "province", "reference_data"]

PHOTO_LIMIT = 2_000  # bytes: small, so the test of the limit sends little


class FundingStub:
    """funding-api at the HTTP boundary: answers `lines`, or fails as told; records what it was sent."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.mode = "ok"  # ok | down | error | garbage | missing
        self.lines: list[dict[str, Any]] = [
            {"source_kind": "central_budget", "amount_vnd": 60_000_000, "status": "disbursed", "extra": 1},
            {"source_kind": "family", "amount_vnd": 150_000_000, "status": "pledged"},
        ]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.mode == "down":
            raise httpx.ConnectError("connection refused", request=request)
        if self.mode == "error":
            return httpx.Response(500, json={"code": "internal_error"})
        if self.mode == "missing":
            return httpx.Response(404, json={"code": "not_found"})
        if self.mode == "garbage":
            return httpx.Response(200, json={"lines": "?"})
        return httpx.Response(200, json={"items": self.lines, "next_cursor": None})


def issuer_stub(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "registry-service-token", "expires_in": 300})


@pytest.fixture
def funding_stub() -> FundingStub:
    return FundingStub()


@pytest.fixture
def app(
    service_config: ServiceTestConfig,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    funding_stub: FundingStub,
) -> FastAPI:
    """The app, with funding-api stubbed and a small photo size limit."""
    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="registry-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
        SUPPORT_PHOTO_MAX_BYTES=PHOTO_LIMIT,
    )
    client = build_service_client(
        FundingClient,
        settings,
        name="funding-api",
        base_url="http://funding.test",
        transport=httpx.MockTransport(funding_stub.handler),
        token_transport=httpx.MockTransport(issuer_stub),
    )
    client.retries = 0
    return create_app(
        settings,
        sessionmaker=rollback_sessionmaker,
        token_verifier=test_issuer.verifier(service_config.name),
        funding_client=client,
    )


@pytest.fixture(autouse=True)
async def support_rates(db_session: AsyncSession, reference_data: None) -> None:
    await seed_support_rates(db_session)
    await db_session.commit()

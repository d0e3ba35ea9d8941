from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.clients.registry import RegistryClient
from funding_api.config import Settings
from funding_api.loan.jobs import register_loan_jobs
from funding_api.loan.pii import build_cipher
from funding_api.loan.reference import seed_loan_reference
from funding_api.main import create_app
from funding_api.models.platform import Job
from servicekit.http import build_service_client
from servicekit.jobs import Backoff, JobRegistry, Worker
from servicekit.pii import PiiCipher
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer

NAME = "funding_loan_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parent / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from funding_loan_testing import HAI_PHONG, Auth, registry_answer  # noqa: E402


def _issuer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"access_token": "funding-service-token", "expires_in": 300})


def _settings(database_url: str) -> Settings:
    return Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="funding-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
    )


def _stub_client(settings: Settings, stub: Any) -> RegistryClient:
    client = build_service_client(
        RegistryClient,
        settings,
        name="registry-api",
        base_url="http://registry.test",
        transport=httpx.MockTransport(stub.handler),
        token_transport=httpx.MockTransport(_issuer),
    )
    client.retries = 0
    return client


@pytest.fixture
def cipher(database_url: str) -> PiiCipher:
    return build_cipher(_settings(database_url))


@pytest.fixture
def registry(registry_stub: Any) -> Any:
    """The registry stub, answering eligibility confirmations like registry-api."""
    registry_stub.on("POST", "/v1/eligibility-confirmations", registry_answer)
    return registry_stub


def _app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: Any, stub: Any
) -> FastAPI:
    settings = _settings(database_url)
    return create_app(
        settings,
        sessionmaker=sessionmaker,
        token_verifier=verifier,
        registry_client=_stub_client(settings, stub),
    )


async def _http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
async def reference(db_session: AsyncSession) -> None:
    """The seeded rates and caps, inside the test's rolled-back transaction."""
    await seed_loan_reference(db_session)
    await db_session.commit()


@pytest.fixture
async def loan_client(
    service_config: ServiceTestConfig,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    registry: Any,
    reference: None,
) -> AsyncIterator[httpx.AsyncClient]:
    """The app (rolled back after the test) with the reference data and a registry stub that answers."""
    app = _app(database_url, rollback_sessionmaker, test_issuer.verifier(service_config.name), registry)
    async for http in _http(app):
        yield http


@pytest.fixture
async def committed_reference(committing_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with committing_sessionmaker() as session, session.begin():
        await seed_loan_reference(session)


@pytest.fixture
async def committing_loan_client(
    service_config: ServiceTestConfig,
    database_url: str,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    registry: Any,
    committed_reference: None,
) -> AsyncIterator[httpx.AsyncClient]:
    """Real commits (tables emptied after), reference data committed, the registry stub answering."""
    app = _app(database_url, committing_sessionmaker, test_issuer.verifier(service_config.name), registry)
    async for http in _http(app):
        yield http


@pytest.fixture
def run_loan_jobs(
    database_url: str,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    registry: Any,
    cipher: PiiCipher,
) -> Callable[[], Any]:
    """Run every queued job once, as funding-api's worker would; a failed one is retried after its
    back-off, which the next call skips (as if the time had passed)."""
    client = _stub_client(_settings(database_url), registry)

    async def run() -> int:
        async with committing_sessionmaker() as session, session.begin():
            await session.execute(update(Job).where(Job.status == "queued").values(run_after=func.now()))
        jobs = JobRegistry()
        register_loan_jobs(jobs, lambda: cipher, lambda: client)
        worker = Worker(
            committing_sessionmaker,
            Job,
            jobs,
            worker_id="test-worker",
            progress_interval_s=0,
            backoff=Backoff(base_s=60.0, jitter=0.0),
        )
        ran = 0
        while await worker.run_once():
            ran += 1
        return ran

    return run


@pytest.fixture
def bank(auth: Auth) -> dict[str, str]:
    return auth(
        roles=["bank_integration"], area_codes=[HAI_PHONG], subject="vbsp-hai-phong", client_id="vbsp"
    )


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])

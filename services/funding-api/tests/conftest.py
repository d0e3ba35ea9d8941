from __future__ import annotations

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.config import Settings
from funding_api.main import SERVICE_ROOT, create_app
from funding_api.models import FundingBase
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER
from servicekit.tokens import TokenVerifier


def make_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: TokenVerifier
) -> FastAPI:
    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
    )
    return create_app(settings, sessionmaker=sessionmaker, token_verifier=verifier)


@pytest.fixture(scope="session")
def service_config() -> ServiceTestConfig:
    return ServiceTestConfig(
        name="funding-api",
        db_prefix="funding",
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        metadata=FundingBase.metadata,
        app_factory=make_app,
    )

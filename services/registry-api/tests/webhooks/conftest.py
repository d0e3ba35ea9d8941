"""Webhook tests: the app with an allow-list of receivers, and the pieces the worker's jobs use."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.config import Settings
from registry_api.events import EVENT_CATALOGUE
from registry_api.main import create_app
from registry_api.models.platform import PLATFORM
from servicekit.pii import PiiCipher
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer
from servicekit.webhooks import WebhookSetup, secret_cipher, webhook_setup

ALLOWED_HOSTS = ("hooks.partner.vn", "*.thongke.gov.vn")


def webhook_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "ENV": "test",
        "DATABASE_URL": SecretStr(database_url),
        "OIDC_ISSUER": TEST_ISSUER,
        "PII_ENCRYPTION_KEY": SecretStr("test-encryption-key-" + "0" * 24),
        "PII_BLIND_INDEX_KEY": SecretStr("test-blind-index-key-" + "0" * 23),
        "WEBHOOK_ALLOWED_HOSTS": ALLOWED_HOSTS,
        # Short, so a test can walk a delivery to `dead`.
        "WEBHOOK_RETRY_SCHEDULE_S": (5, 30),
        "WEBHOOK_TIMEOUT_S": 0.5,
        **overrides,
    }
    return Settings.model_validate(values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return webhook_settings(database_url)


@pytest.fixture
def setup(settings: Settings) -> WebhookSetup:
    return webhook_setup(PLATFORM, EVENT_CATALOGUE, settings)


@pytest.fixture
def cipher(settings: Settings) -> PiiCipher:
    return secret_cipher(settings)


@pytest.fixture
def app(
    settings: Settings,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    service_config: ServiceTestConfig,
) -> FastAPI:
    return create_app(
        settings, sessionmaker=rollback_sessionmaker, token_verifier=test_issuer.verifier(service_config.name)
    )


@pytest.fixture
def committing_app(
    settings: Settings,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
    service_config: ServiceTestConfig,
) -> FastAPI:
    return create_app(
        settings,
        sessionmaker=committing_sessionmaker,
        token_verifier=test_issuer.verifier(service_config.name),
    )

"""Service settings: read once from the environment, secrets without defaults."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Self

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values that mark a setting as a development placeholder; production refuses them.
DEV_PLACEHOLDER_MARKERS = ("changethis", "dev-only", "insecure", "placeholder")


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PRODUCTION = "production"


class BaseServiceSettings(BaseSettings):
    """Settings every service has. Subclasses set `env_prefix` (e.g. ``REGISTRY_``)."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    ENV: Environment = Environment.DEV
    SERVICE_NAME: str
    LOG_LEVEL: str = "INFO"
    DATABASE_URL: SecretStr
    DB_POOL_SIZE: int = 10
    DB_STATEMENT_TIMEOUT_MS: int = 15_000

    # Identity: any OIDC issuer; the audience is this service's own name.
    OIDC_ISSUER: str
    OIDC_JWKS_URL: str | None = None
    OIDC_TOKEN_URL: str | None = None
    OIDC_AUDIENCE: str | None = None
    OIDC_ALGORITHMS: tuple[str, ...] = ("RS256", "ES256")
    # This service's own client, for calls to other services and for jobs.
    SERVICE_CLIENT_ID: str | None = None
    SERVICE_CLIENT_SECRET: SecretStr | None = None

    # Personal data: the key that encrypts citizen IDs and phones, and the blind-index key shared
    # by the services so a number can be matched without being revealed.
    PII_ENCRYPTION_KEY: SecretStr
    PII_BLIND_INDEX_KEY: SecretStr

    UPSTREAM_TIMEOUT_S: float = 5.0

    # The audit chain's external anchor (servicekit.audit_anchor): an append-only file outside the
    # database, written by the worker after each seal and read by `GET /v1/audit/verification`. Without
    # it, deleting the newest sealed rows or appending a forged one goes unnoticed.
    AUDIT_ANCHOR_PATH: Path | None = None

    # Webhooks. Receivers must be on these hosts (exact names or `*.example.vn` patterns), over https;
    # plain http only to the hosts in WEBHOOK_ALLOWED_HTTP_HOSTS (None: 127.0.0.1 and localhost,
    # except in production, where none). Values are JSON lists in the environment.
    WEBHOOK_ALLOWED_HOSTS: tuple[str, ...] = ()
    WEBHOOK_ALLOWED_HTTP_HOSTS: tuple[str, ...] | None = None
    # One attempt's total time; attempts in flight at once per worker; delay before each retry (s):
    # after the last one fails the delivery is dead.
    WEBHOOK_TIMEOUT_S: float = 5.0
    WEBHOOK_CONCURRENCY: int = 8
    WEBHOOK_RETRY_SCHEDULE_S: tuple[float, ...] = (5, 30, 120, 600, 3600, 21600, 43200)
    # How often the worker fans new events out and sends what is due; how long a rotated-out secret
    # still signs beside the new one.
    WEBHOOK_EVERY_S: float = 5.0
    WEBHOOK_SECRET_GRACE_S: float = 86400.0

    @property
    def audience(self) -> str:
        return self.OIDC_AUDIENCE or self.SERVICE_NAME

    @property
    def token_url(self) -> str:
        return self.OIDC_TOKEN_URL or self.OIDC_ISSUER.rstrip("/") + "/token"

    @property
    def webhook_http_hosts(self) -> tuple[str, ...]:
        if self.WEBHOOK_ALLOWED_HTTP_HOSTS is not None:
            return self.WEBHOOK_ALLOWED_HTTP_HOSTS
        return () if self.ENV is Environment.PRODUCTION else ("127.0.0.1", "localhost")

    @property
    def jwks_url(self) -> str:
        return self.OIDC_JWKS_URL or self.OIDC_ISSUER.rstrip("/") + "/jwks"

    @model_validator(mode="after")
    def _refuse_dev_placeholders_in_production(self) -> Self:
        if self.ENV is not Environment.PRODUCTION:
            return self
        offending = []
        for name in type(self).model_fields:
            value = getattr(self, name)
            text = value.get_secret_value() if isinstance(value, SecretStr) else value
            if isinstance(text, str) and any(m in text.lower() for m in DEV_PLACEHOLDER_MARKERS):
                offending.append(name)
        if offending:
            msg = f"production refuses development placeholder values for: {', '.join(sorted(offending))}"
            raise ValueError(msg)
        if self.OIDC_ISSUER.startswith("http://") and "127.0.0.1" in self.OIDC_ISSUER:
            raise ValueError("production refuses the local development issuer")
        return self

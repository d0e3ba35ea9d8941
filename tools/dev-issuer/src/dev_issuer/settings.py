"""The issuer's settings, read from `DEV_ISSUER_*` environment variables. Production is refused."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Decision 6: machines' tokens live at most 5 minutes, people's at most 15.
MAX_ACCESS_TTL_PEOPLE_S = 900
MAX_ACCESS_TTL_MACHINE_S = 300
PRODUCTION_REFUSED = (
    "the dev issuer refuses to run in production: use the province's OIDC provider (Keycloak) there"
)


class Environment(StrEnum):
    DEV = "dev"
    TEST = "test"
    PRODUCTION = "production"


class IssuerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEV_ISSUER_", extra="ignore", frozen=True)

    ENV: Environment = Environment.DEV
    # The public URL the issuer is reached at (the gateway strips its path before forwarding).
    ISSUER_URL: str = "http://127.0.0.1:8000/auth"
    DATA_DIR: Path = Path(".data/dev-issuer")
    # Confidential clients' secrets are derived from it (see `dev_issuer.seed.client_secret`).
    SEED_SECRET: SecretStr = Field(min_length=16)
    DEMO_PASSWORD: SecretStr = SecretStr("noxh-demo")
    ACCESS_TTL_PEOPLE_S: int = Field(default=MAX_ACCESS_TTL_PEOPLE_S, gt=0, le=MAX_ACCESS_TTL_PEOPLE_S)
    ACCESS_TTL_MACHINE_S: int = Field(default=MAX_ACCESS_TTL_MACHINE_S, gt=0, le=MAX_ACCESS_TTL_MACHINE_S)
    REFRESH_TTL_S: int = Field(default=8 * 3600, gt=0)
    # How long a retired signing key stays published after a rotation.
    KEY_RETENTION_S: int = Field(default=24 * 3600, gt=0)
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("LOG_LEVEL", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("ISSUER_URL")
    @classmethod
    def _plain_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("ISSUER_URL must be an http(s) URL without query or fragment")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _checks(self) -> Self:
        if self.ENV is Environment.PRODUCTION:
            raise ValueError(PRODUCTION_REFUSED)
        longest_token_s = max(self.ACCESS_TTL_PEOPLE_S, self.ACCESS_TTL_MACHINE_S)
        if longest_token_s > self.KEY_RETENTION_S:
            raise ValueError("KEY_RETENTION_S must outlast the longest access token")
        return self

    @property
    def issuer_path(self) -> str:
        """The path part of ISSUER_URL (`/auth`), which the app also accepts when nothing stripped it."""
        return urlsplit(self.ISSUER_URL).path.rstrip("/")

    def endpoint(self, path: str) -> str:
        return self.ISSUER_URL + path

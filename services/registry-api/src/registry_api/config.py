"""registry-api settings, from `REGISTRY_*` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore", frozen=True)

    SERVICE_NAME: str = "registry-api"
    # funding-api, called directly (not through the gateway) with this service's own token.
    FUNDING_URL: str = "http://127.0.0.1:8102"
    # The largest support-case photo stored (bytes); the gateway's body limit is above it.
    SUPPORT_PHOTO_MAX_BYTES: int = 5_000_000
    # Partner statistics: a count from 1 to this minus one is published as null (small-cell suppression,
    # servicekit.suppression); a disclosure-control setting of the province, not a rule of the programme.
    PARTNER_SMALL_CELL_THRESHOLD: int = Field(default=5, ge=2, le=100)


@lru_cache
def get_settings() -> Settings:
    return Settings()  # the required values come from the environment

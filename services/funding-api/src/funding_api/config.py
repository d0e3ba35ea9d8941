"""funding-api settings, from `FUNDING_*` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from servicekit.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FUNDING_", extra="ignore", frozen=True)

    SERVICE_NAME: str = "funding-api"
    # registry-api, called directly (not through the gateway) with this service's own token.
    REGISTRY_URL: str = "http://127.0.0.1:8101"
    # inspection-api (land-reserve obligations the housing fund's in-lieu inflows reference).
    INSPECTION_URL: str = "http://127.0.0.1:8103"


@lru_cache
def get_settings() -> Settings:
    return Settings()  # the required values come from the environment

"""funding-api settings, from `FUNDING_*` environment variables."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from servicekit.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="FUNDING_", extra="ignore", frozen=True)

    SERVICE_NAME: str = "funding-api"
    # registry-api, called directly (not through the gateway) with this service's own token.
    REGISTRY_URL: str = "http://127.0.0.1:8101"
    # inspection-api (land-reserve obligations the housing fund's in-lieu inflows reference).
    INSPECTION_URL: str = "http://127.0.0.1:8103"
    # Partner statistics: a count from 1 to this minus one is published as null (small-cell suppression,
    # servicekit.suppression); a disclosure-control setting of the province, not a rule of the programme.
    PARTNER_SMALL_CELL_THRESHOLD: int = Field(default=5, ge=2, le=100)


@lru_cache
def get_settings() -> Settings:
    return Settings()  # the required values come from the environment

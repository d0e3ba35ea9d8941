"""inspection-api settings, from `INSPECTION_*` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from servicekit.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INSPECTION_", extra="ignore", frozen=True)

    SERVICE_NAME: str = "inspection-api"
    # registry-api, called directly (not through the gateway) with this service's own token.
    REGISTRY_URL: str = "http://127.0.0.1:8101"
    FUNDING_URL: str = "http://127.0.0.1:8102"
    # Profiteering detection: how often it runs, and how soon a run delayed by a source that is down
    # is tried again.
    PROFITEERING_EVERY_S: float = 3600
    PROFITEERING_RETRY_S: float = 300

    # Inspection evidence (photos): on local disk under DATA_DIR/EVIDENCE_DIR by default, or in an
    # S3-compatible bucket (EVIDENCE_STORE=s3 and the EVIDENCE_S3_* settings).
    DATA_DIR: Path = Path(".data/inspection-api")
    EVIDENCE_STORE: Literal["local", "s3"] = "local"
    EVIDENCE_DIR: Path = Path("evidence")
    EVIDENCE_MAX_BYTES: int = 15_000_000
    EVIDENCE_S3_ENDPOINT: str | None = None
    EVIDENCE_S3_BUCKET: str | None = None
    EVIDENCE_S3_REGION: str = "us-east-1"
    EVIDENCE_S3_ACCESS_KEY_ID: str | None = None
    EVIDENCE_S3_SECRET_ACCESS_KEY: SecretStr | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()  # the required values come from the environment

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from servicekit.schemas import ReadModel


class SignalKind(StrEnum):
    SUPPORTED_TWICE = "supported_twice"
    INELIGIBLE_APPLICATION = "ineligible_application"
    RESALE_WITHIN_LOCK = "resale_within_lock"
    MULTIPLE_OPEN_APPLICATIONS = "multiple_open_applications"


class IntegritySignalRead(ReadModel):
    key: str = Field(description="Stable and unique per finding, e.g. `supported_twice:<person_id>`.")
    kind: SignalKind
    person_id: uuid.UUID | None
    household_id: uuid.UUID | None
    application_id: uuid.UUID | None
    contract_id: uuid.UUID | None
    project_id: uuid.UUID | None
    province_code: str
    commune_code: str | None
    observed_at: datetime = Field(description="When the latest record behind the finding was written.")
    evidence: dict[str, Any] = Field(description="Ids, dates and rule codes; never citizen IDs or names.")

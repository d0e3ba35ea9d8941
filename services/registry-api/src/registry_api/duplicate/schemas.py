from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from registry_api.models import DuplicateStatus
from servicekit.schemas import ReadModel, WriteModel


class Decision(StrEnum):
    MERGE = "merge"
    KEEP_SEPARATE = "keep_separate"


class DuplicateDecision(WriteModel):
    decision: Decision
    kept_person_id: uuid.UUID | None = Field(default=None, description="For a merge: the person kept.")
    reason: str = Field(min_length=3, max_length=2000)

    @model_validator(mode="after")
    def _kept_for_merge(self) -> Self:
        if (self.decision is Decision.MERGE) != (self.kept_person_id is not None):
            raise ValueError("kept_person_id is given exactly for a merge")
        return self


class PersonSide(BaseModel):
    """One side of the pair, as an officer compares it (identifiers masked)."""

    id: uuid.UUID
    household_id: uuid.UUID
    full_name: str
    date_of_birth: date | None
    birth_year: int
    gender: str
    relationship: str
    citizen_id_masked: str | None
    legacy_id_masked: str | None


class DuplicateCandidateRead(ReadModel):
    id: uuid.UUID
    person_a: PersonSide
    person_b: PersonSide
    name_similarity_pct: int
    differing: list[str] = Field(description="The compared fields whose values differ.")
    status: DuplicateStatus
    kept_person_id: uuid.UUID | None
    reason: str | None
    decided_by: str | None
    decided_at: datetime | None
    province_code: str
    commune_code: str
    version: int
    created_at: datetime


class DetectionQueued(BaseModel):
    job_id: uuid.UUID
    area_codes: list[str]

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from inspection_api.models.profiteering import FlagKind, FlagSource, FlagStatus, RunStatus, RunTrigger
from servicekit.schemas import ReadModel, WriteModel


class CaseKind(StrEnum):
    """Who follows a confirmed flag up: the Department of Construction or the provincial Inspectorate."""

    CONSTRUCTION_CHECK = "construction_check"
    INSPECTORATE_INSPECTION = "inspectorate_inspection"


NonBlank = Annotated[str, Field(pattern=r"\S")]


class FlagConfirm(WriteModel):
    """Confirming opens a case of `case_kind` in the flag's area; the case records the flag."""

    case_kind: CaseKind
    title: Annotated[NonBlank, Field(max_length=300)] | None = Field(
        default=None, description="Defaults to a title naming the flag's kind."
    )
    summary: Annotated[NonBlank, Field(max_length=2000)] | None = None


class FlagDismiss(WriteModel):
    reason: Annotated[NonBlank, Field(min_length=3, max_length=2000)] = Field(
        description="Why the suspicion does not hold; kept on the flag and in the audit trail."
    )


class FlagRead(ReadModel):
    id: uuid.UUID
    source: FlagSource
    key: str = Field(description="The source's stable key of the finding: one flag per key, ever.")
    kind: FlagKind
    status: FlagStatus
    province_code: str
    commune_code: str | None
    person_id: uuid.UUID | None
    household_id: uuid.UUID | None
    application_id: uuid.UUID | None
    contract_id: uuid.UUID | None
    project_id: uuid.UUID | None
    loan_id: uuid.UUID | None
    obligation_id: uuid.UUID | None
    observed_at: datetime
    evidence: dict[str, Any]
    run_id: uuid.UUID | None
    case_id: uuid.UUID | None
    decided_by: str | None
    decided_at: datetime | None
    dismissed_reason: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class RunRead(ReadModel):
    id: uuid.UUID
    status: RunStatus
    trigger: RunTrigger
    requested_by: str | None
    attempts: int
    signals_seen: int
    flags_raised: int
    delayed_reason: str | None = Field(description="Which source could not answer; set while delayed.")
    skipped_rules: list[str]
    started_at: datetime | None
    finished_at: datetime | None
    next_attempt_at: datetime | None
    created_at: datetime

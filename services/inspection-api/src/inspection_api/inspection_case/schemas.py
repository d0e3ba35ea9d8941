from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from inspection_api.models import CaseKind, CaseStatus, FindingOutcome
from servicekit.schemas import ReadModel, WriteModel

# 100 trillion VND: far above any fine, so a typo cannot overflow the column.
MAX_VND = 100_000_000_000_000

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])]
Title = Annotated[str, Field(min_length=1, max_length=300)]
LongText = Annotated[str, Field(min_length=1, max_length=20_000)]
Subject = Annotated[str, Field(min_length=1, max_length=200, description="The inspector's account subject.")]
ItemKey = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,59}$", examples=["land_fund.reserved"])]


class CaseCreate(WriteModel):
    """Open a case ad hoc, or for an item of the yearly plan (`plan_item_id`: same kind and area)."""

    kind: CaseKind
    title: Title = Field(examples=["Kiểm tra quỹ đất 20% dự án KĐT Bắc sông Cấm"])
    subject: Title = Field(description="Who or what is checked: a project, an investor, a building.")
    province_code: ProvinceCode
    commune_code: CommuneCode | None = None
    summary: LongText | None = None
    plan_item_id: uuid.UUID | None = None
    due_on: date | None = Field(default=None, description="When the check should be done (local date).")


class CaseAssign(WriteModel):
    inspector_subject: Subject
    due_on: date | None = None


class CaseStart(WriteModel):
    checklist_version_id: uuid.UUID | None = Field(
        default=None, description="The checklist template version used; it is frozen from now on."
    )


class CaseConclude(WriteModel):
    conclusion: LongText
    concluded_on: date


class CaseClose(WriteModel):
    note: LongText | None = Field(
        default=None, description="Required when a case is closed before it was worked (a cancellation)."
    )


class RecheckCreate(WriteModel):
    due_on: date = Field(description="When the re-check is due: after the remedy deadline, usually.")
    title: Title | None = None


class CaseRead(ReadModel):
    id: uuid.UUID
    kind: CaseKind
    status: CaseStatus
    title: str
    subject: str
    summary: str | None
    province_code: str
    commune_code: str | None
    plan_item_id: uuid.UUID | None
    parent_case_id: uuid.UUID | None
    flag_id: uuid.UUID | None
    due_on: date | None
    opened_by: str
    assigned_inspector: str | None
    assigned_at: datetime | None
    checklist_version_id: uuid.UUID | None
    started_at: datetime | None
    conclusion: str | None
    concluded_on: date | None
    closed_at: datetime | None
    closure_note: str | None
    allowed_actions: list[str] = Field(description="The steps the case's state allows (roles aside).")
    version: int
    created_at: datetime
    updated_at: datetime


class RecheckRead(ReadModel):
    case: CaseRead = Field(description="The case, now in follow-up (its ETag is in the header).")
    recheck: CaseRead = Field(description="The re-check: a new case, child of the first.")


class FindingCreate(WriteModel):
    checklist_item_key: ItemKey | None = Field(
        default=None, description="The checklist item; leave out for a free finding."
    )
    outcome: FindingOutcome
    note: LongText | None = None


class FindingUpdate(WriteModel):
    outcome: FindingOutcome | None = None
    note: LongText | None = None

    @field_validator("outcome")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class FindingRead(ReadModel):
    id: uuid.UUID
    case_id: uuid.UUID
    checklist_item_key: str | None
    outcome: FindingOutcome
    note: str | None
    recorded_by: str
    version: int
    created_at: datetime
    updated_at: datetime


class EvidenceRead(ReadModel):
    id: uuid.UUID
    case_id: uuid.UUID
    finding_id: uuid.UUID | None
    content_type: str
    size_bytes: int
    sha256: str = Field(description="SHA-256 of the bytes, computed by the server on upload.")
    latitude: float
    longitude: float
    gps_accuracy_m: float | None
    captured_at: datetime
    uploaded_by: str
    version: int
    created_at: datetime


class ViolationTypeRead(ReadModel):
    id: uuid.UUID
    code: str
    title: str
    legal_basis: str
    fine_min_vnd: int
    fine_max_vnd: int
    is_draft: bool = Field(description="True: the values come from a draft, not from law in force.")
    remedy: str | None
    source_url: str | None
    valid_from: date
    valid_to: date | None


class ViolationCreate(WriteModel):
    violation_type_id: uuid.UUID
    observed_on: date
    description: LongText
    finding_id: uuid.UUID | None = None


class ViolationRead(ReadModel):
    id: uuid.UUID
    case_id: uuid.UUID
    violation_type_id: uuid.UUID
    finding_id: uuid.UUID | None
    observed_on: date
    description: str
    recorded_by: str
    version: int
    created_at: datetime


class SanctionCreate(WriteModel):
    case_violation_id: uuid.UUID
    number: Annotated[str, Field(min_length=1, max_length=50, examples=["125/QĐ-XPHC"])]
    decided_on: date
    fine_vnd: Annotated[int, Field(ge=0, le=MAX_VND)]
    remedy: LongText | None = None
    remedy_deadline: date | None = None


class SanctionRead(ReadModel):
    id: uuid.UUID
    case_id: uuid.UUID
    case_violation_id: uuid.UUID
    number: str
    decided_on: date
    fine_vnd: int
    fine_range_draft: bool = Field(description="The fine range applied came from a draft catalogue entry.")
    remedy: str | None
    remedy_deadline: date | None
    decided_by: str
    version: int
    created_at: datetime

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, Field

from inspection_api.models.field_sync import (
    ConflictResolution,
    ConflictStatus,
    MutationOutcome,
    SyncEntity,
)
from servicekit.schemas import ReadModel, WriteModel

MAX_BATCH = 1000
MAX_PHOTOS = 50
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ChangeItem(BaseModel):
    entity_type: SyncEntity
    entity_id: uuid.UUID
    op: str = Field(description="`upsert` (store `data`) or `delete`.", examples=["upsert"])
    data: dict[str, Any] | None = Field(description="The entity as it is now; null for a delete.")


class ChangePage(BaseModel):
    items: list[ChangeItem]
    next_cursor: str = Field(description="Pass as `cursor` next time; returned even when nothing is new.")


class MutationAction(StrEnum):
    FINDING_CREATE = "finding.create"
    FINDING_UPDATE = "finding.update"
    CASE_START = "case.start"
    CASE_CONCLUDE = "case.conclude"


CASE_ACTIONS = frozenset({MutationAction.CASE_START, MutationAction.CASE_CONCLUDE})


class Mutation(WriteModel):
    """One change made on the device. `client_id` is its idempotency key: sending it again is a
    `duplicate`, whatever batch it comes in."""

    client_id: uuid.UUID
    action: MutationAction
    case_id: uuid.UUID
    finding_id: uuid.UUID | None = Field(default=None, description="finding.update: the server's id.")
    finding_client_id: uuid.UUID | None = Field(
        default=None,
        description="finding.update of a finding created offline: the `client_id` of its finding.create.",
    )
    base_version: int | None = Field(
        default=None,
        ge=1,
        description="finding.update: the finding's version the change was made on; case.start and "
        "case.conclude: the case's version.",
    )
    base_client_id: uuid.UUID | None = Field(
        default=None,
        description="case.conclude of a case started offline: the `client_id` of that case.start "
        "instead of `base_version`; the base is the version the applied start left the case at.",
    )
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="finding.create: {checklist_item_key?, outcome, note?}; "
        "finding.update: {outcome?, note?}; case.start: {checklist_version_id?}; "
        "case.conclude: {conclusion, concluded_on} as the online conclude endpoint takes them.",
    )
    photo_sha256: list[Sha256] = Field(
        default_factory=list,
        max_length=MAX_PHOTOS,
        description="Photos (by the SHA-256 of their bytes) to attach; each must be uploaded to the "
        "case first.",
    )


class Batch(WriteModel):
    device_id: str = Field(min_length=1, max_length=100, examples=["android-7f3a"])
    mutations: list[Mutation] = Field(min_length=1, max_length=MAX_BATCH)


class MutationResult(BaseModel):
    client_id: uuid.UUID
    outcome: MutationOutcome
    entity_id: uuid.UUID | None = None
    entity_version: int | None = None
    conflict_id: uuid.UUID | None = None
    code: str | None = Field(default=None, description="Why it was rejected (a stable problem code).")
    detail: str | None = None


class BatchResult(BaseModel):
    results: list[MutationResult]


class ConflictResolve(WriteModel):
    resolution: ConflictResolution
    note: str | None = Field(default=None, min_length=1, max_length=2000)


class ConflictRead(ReadModel):
    id: uuid.UUID
    client_id: uuid.UUID
    subject: str
    device_id: str
    entity_type: SyncEntity
    entity_id: uuid.UUID
    case_id: uuid.UUID
    province_code: str
    commune_code: str | None
    base_version: int
    server_version: int
    client_changes: dict[str, Any]
    server_state: dict[str, Any]
    status: ConflictStatus
    resolution: ConflictResolution | None
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None
    version: int
    created_at: datetime

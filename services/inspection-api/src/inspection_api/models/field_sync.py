"""Sync with the inspectors' offline app: a change log read by a server sequence, the mutations pushed
by devices (each keyed by its client UUID), and the conflicts kept for a person to resolve."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Connection,
    DateTime,
    Identity,
    Index,
    String,
    event,
    func,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from inspection_api.models.base import InspectionBase
from inspection_api.models.inspection_case import (
    ChecklistTemplate,
    ChecklistTemplateVersion,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    ViolationType,
)
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class SyncEntity(StrEnum):
    CASE = "inspection_case"
    FINDING = "inspection_finding"
    EVIDENCE = "inspection_evidence"
    TEMPLATE = "checklist_template"
    TEMPLATE_VERSION = "checklist_template_version"
    VIOLATION_TYPE = "violation_type"


# Reference data every inspector pulls; the other entities go to the case's assigned inspector only.
REFERENCE_ENTITIES = (SyncEntity.TEMPLATE, SyncEntity.TEMPLATE_VERSION, SyncEntity.VIOLATION_TYPE)


class MutationOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class ConflictStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ConflictResolution(StrEnum):
    KEEP_SERVER = "keep_server"
    APPLY_CLIENT = "apply_client"


def _one_of(column: str, values: type[StrEnum] | tuple[StrEnum, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class SyncChange(InspectionBase):
    """One row per insert, update or delete of a synced entity, written in the changing transaction.

    Read like the outbox (servicekit.outbox.read_feed): ordered by (tx_id, seq) and served only below
    the oldest transaction still running, so a row committed late never lands behind a handed-out cursor.
    """

    __tablename__ = "sync_change"
    __table_args__ = (
        Index("ix_sync_change_position", "tx_id", "seq"),
        CheckConstraint(_one_of("entity_type", SyncEntity), name="entity_type_known"),
        CheckConstraint("op IN ('upsert', 'delete')", name="op_known"),
    )

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    tx_id: Mapped[int] = mapped_column(
        BigInteger, server_default=text("(pg_current_xact_id()::text)::bigint")
    )
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    # The case a case, finding or photo belongs to (who sees the change); NULL for reference data.
    case_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SyncMutation(Audited, IdMixin, TimestampMixin, InspectionBase):
    """A mutation a device pushed and the server applied or kept as a conflict, by its client UUID.

    Rejected mutations are not kept: the device may fix the cause (upload the photo) and send again.
    """

    __tablename__ = "sync_mutation"
    __table_args__ = (CheckConstraint("outcome IN ('applied', 'conflict')", name="outcome_known"),)

    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    # SHA-256 of the canonical JSON of the mutation: the same client UUID with other content is refused.
    payload_sha256: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID | None]
    entity_version: Mapped[int | None] = mapped_column(BigInteger)
    conflict_id: Mapped[uuid.UUID | None]


class SyncConflict(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A device's change made on a version the server has since moved past: kept, never applied
    silently, until a person keeps the server's state or applies the device's change."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        CheckConstraint(_one_of("status", ConflictStatus), name="status_known"),
        CheckConstraint(
            f"resolution IS NULL OR {_one_of('resolution', ConflictResolution)}", name="resolution_known"
        ),
        CheckConstraint("(status = 'resolved') = (resolution IS NOT NULL)", name="resolved_with_resolution"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    client_id: Mapped[uuid.UUID] = mapped_column(index=True)
    subject: Mapped[str] = mapped_column(String(200), index=True)
    device_id: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[uuid.UUID]
    case_id: Mapped[uuid.UUID] = mapped_column(index=True)
    base_version: Mapped[int] = mapped_column(BigInteger)
    server_version: Mapped[int] = mapped_column(BigInteger)
    client_changes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    server_state: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(10), index=True)
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_note: Mapped[str | None] = mapped_column(String(2000))


# ------------------------------------------------------------------------------ the change log's writers

_SYNCED: dict[type[InspectionBase], SyncEntity] = {
    InspectionCase: SyncEntity.CASE,
    InspectionFinding: SyncEntity.FINDING,
    InspectionEvidence: SyncEntity.EVIDENCE,
    ChecklistTemplate: SyncEntity.TEMPLATE,
    ChecklistTemplateVersion: SyncEntity.TEMPLATE_VERSION,
    ViolationType: SyncEntity.VIOLATION_TYPE,
}


def _case_of(target: Any, entity: SyncEntity) -> uuid.UUID | None:
    if entity is SyncEntity.CASE:
        return uuid.UUID(str(target.id))
    if entity in (SyncEntity.FINDING, SyncEntity.EVIDENCE):
        return uuid.UUID(str(target.case_id))
    return None


def _logger(entity: SyncEntity, op: str) -> Any:
    def log(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
        # Runs inside the flush, on the flushing connection: the row commits (or not) with the change.
        connection.execute(
            insert(SyncChange).values(
                entity_type=entity.value, entity_id=target.id, case_id=_case_of(target, entity), op=op
            )
        )

    return log


for _model, _entity in _SYNCED.items():
    event.listen(_model, "after_insert", _logger(_entity, "upsert"))
    event.listen(_model, "after_update", _logger(_entity, "upsert"))
    event.listen(_model, "after_delete", _logger(_entity, "delete"))

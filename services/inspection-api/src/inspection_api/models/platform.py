"""inspection-api's platform tables: audit trail, event outbox, idempotency keys, jobs."""

from inspection_api.models.base import InspectionBase
from servicekit.db.platform import (
    AuditRecordMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)


class AuditRecord(AuditRecordMixin, InspectionBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, InspectionBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, InspectionBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, InspectionBase):
    __tablename__ = "job"


PLATFORM = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)

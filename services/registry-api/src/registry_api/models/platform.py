"""registry-api's platform tables: audit trail, event outbox, idempotency keys, jobs."""

from registry_api.models.base import RegistryBase
from servicekit.db.platform import (
    AuditRecordMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)


class AuditRecord(AuditRecordMixin, RegistryBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, RegistryBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, RegistryBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, RegistryBase):
    __tablename__ = "job"


PLATFORM = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)

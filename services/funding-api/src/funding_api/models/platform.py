"""funding-api's platform tables: audit trail, event outbox, idempotency keys, jobs."""

from funding_api.models.base import FundingBase
from servicekit.db.platform import (
    AuditRecordMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)


class AuditRecord(AuditRecordMixin, FundingBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, FundingBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, FundingBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, FundingBase):
    __tablename__ = "job"


PLATFORM = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin, service_metadata
from servicekit.db.platform import AuditRecordMixin, IdempotencyRecordMixin, JobMixin, OutboxEventMixin


class SampleBase(DeclarativeBase):
    metadata = service_metadata()


class Widget(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, SampleBase):
    __tablename__ = "widget"
    __audit_personal__ = frozenset({"owner_phone"})
    # Deferred: a duplicate only fails at COMMIT, which is what the commit-failure test needs.
    __table_args__ = (UniqueConstraint("name", deferrable=True, initially="DEFERRED"),)

    name: Mapped[str] = mapped_column(String(100))
    colour: Mapped[str | None] = mapped_column(String(20))
    owner_phone: Mapped[str | None] = mapped_column(String(20))


class AuditRecord(AuditRecordMixin, SampleBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, SampleBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, SampleBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, SampleBase):
    __tablename__ = "job"

"""Tables every service has: the audit trail, the event outbox, idempotency keys and jobs.

Each service declares them once on its own base, e.g.::

    class AuditRecord(AuditRecordMixin, RegistryBase):
        __tablename__ = "audit_record"

so they live in the service's own database and migrations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, DateTime, Identity, Integer, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from servicekit.db.base import new_id

if TYPE_CHECKING:  # db.webhooks imports the audit module, which imports this one
    from servicekit.db.webhooks import WebhookDeliveryMixin, WebhookSubscriptionMixin


class AuditRecordMixin:
    """One row per change, written in the same transaction; sealed into a hash chain later."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_subject: Mapped[str] = mapped_column(String(200))
    actor_client: Mapped[str | None] = mapped_column(String(200))
    on_behalf_of: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(40))
    resource_type: Mapped[str] = mapped_column(String(80))
    resource_id: Mapped[str] = mapped_column(String(80))
    province_code: Mapped[str | None] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # Set by the sealer: position in the chain, the previous row's hash and this row's hash.
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    @declared_attr.directive
    def __table_args__(cls) -> Any:  # noqa: N805  (SQLAlchemy passes the class)
        from sqlalchemy import Index

        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_resource", "resource_type", "resource_id", "occurred_at"),
            Index(f"ix_{name}_actor", "actor_subject", "occurred_at"),
            Index(f"ix_{name}_unsealed", "occurred_at", postgresql_where=text("chain_seq IS NULL")),
        )


class OutboxEventMixin:
    """An event written with the change it describes; served in order by `GET /v1/events`."""

    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    # The writing transaction's id: a reader serves only events of transactions that have finished,
    # so an event can never appear behind a cursor that was already handed out.
    tx_id: Mapped[int] = mapped_column(
        BigInteger, server_default=text("(pg_current_xact_id()::text)::bigint"), index=True
    )
    id: Mapped[uuid.UUID] = mapped_column(default=new_id, unique=True)
    type: Mapped[str] = mapped_column(String(80))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    subject: Mapped[str] = mapped_column(String(200))
    area_codes: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)


class IdempotencyRecordMixin:
    """A key a client sent with a create or command, with the answer to replay (kept at least 7 days)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(255))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(12))  # in_flight | completed
    locked_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> Any:  # noqa: N805
        from sqlalchemy import UniqueConstraint

        return (UniqueConstraint("owner", "key"),)


class JobMixin:
    """Long work kept in PostgreSQL: queued, leased by a worker, retried with back-off, never lost."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    # A job with a dedupe key exists at most once while queued or running (periodic jobs use it).
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued|running|succeeded|dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    run_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    locked_by: Mapped[str | None] = mapped_column(String(120))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr.directive
    def __table_args__(cls) -> Any:  # noqa: N805
        from sqlalchemy import Index

        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            Index(f"ix_{name}_ready", "run_after", postgresql_where=text("status IN ('queued', 'running')")),
            Index(
                f"uq_{name}_dedupe_key",
                "dedupe_key",
                unique=True,
                postgresql_where=text("dedupe_key IS NOT NULL AND status IN ('queued', 'running')"),
            ),
        )


class ClientQuotaWindowMixin:
    """Requests counted per client and minute, for clients whose token carries a quota
    (`servicekit.quota`); windows older than a few minutes are purged by the worker."""

    client_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True, index=True)
    count: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class PlatformModels:
    """A service's four platform tables, handed to the app factory, the worker and the commands."""

    audit: type[AuditRecordMixin]
    outbox: type[OutboxEventMixin]
    idempotency: type[IdempotencyRecordMixin]
    job: type[JobMixin]
    # Per-client request counts for quotas; None: the service enforces no quota.
    quota: type[ClientQuotaWindowMixin] | None = None
    # Webhook subscriptions and their delivery log; None: the service offers no webhooks.
    webhook_subscription: type[WebhookSubscriptionMixin] | None = None
    webhook_delivery: type[WebhookDeliveryMixin] | None = None

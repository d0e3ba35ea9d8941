"""The webhook tables every service declares: subscriptions and their delivery log.

Declared per service next to the other platform tables, with these table names (the delivery's
foreign key names the subscription table)::

    class WebhookSubscription(WebhookSubscriptionMixin, RegistryBase):
        __tablename__ = "webhook_subscription"

    class WebhookDelivery(WebhookDeliveryMixin, RegistryBase):
        __tablename__ = "webhook_delivery"
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin, VersionedMixin, new_id

SUBSCRIPTION_TABLE = "webhook_subscription"
DELIVERY_TABLE = "webhook_delivery"


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not tried yet (or a replay waiting for its first attempt)
    FAILED = "failed"  # the last attempt failed; another is scheduled at next_attempt_at
    SUCCEEDED = "succeeded"  # the receiver answered 2xx
    DEAD = "dead"  # every attempt failed; only a replay sends it again


DUE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class WebhookSubscriptionMixin(Audited, IdMixin, TimestampMixin, VersionedMixin):
    """Where a subscriber wants this service's events POSTed, and how far the fan-out has got."""

    # The secret and the fan-out's position are no one's business in the audit trail (rotations are
    # audited as their own action).
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset(
        {
            "secret_ciphertext",
            "previous_secret_ciphertext",
            "previous_secret_expires_at",
            "secret_rotated_at",
            "cursor_tx_id",
            "cursor_seq",
        }
    )

    # Who subscribed: the token's subject (a partner client, or an administrator).
    owner_subject: Mapped[str] = mapped_column(String(200), index=True)
    owner_client: Mapped[str | None] = mapped_column(String(200))
    # Owned by a partner: only the service's partner-safe event types are ever delivered.
    partner_safe_only: Mapped[bool] = mapped_column(Boolean)
    # The owner's area codes when it last subscribed or changed the subscription: events of other
    # areas are not delivered, as the feed would not show them.
    area_codes: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(80)))
    description: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # `whsec_...`, encrypted with the service's personal-data key (it must be usable for signing).
    secret_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    # After a rotation the old secret keeps signing beside the new one until it expires.
    previous_secret_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    secret_rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last outbox position (tx_id, seq) fanned out into deliveries; moved by Core updates only,
    # so it neither bumps the version (the subscriber's ETag) nor writes audit rows.
    cursor_tx_id: Mapped[int] = mapped_column(BigInteger)
    cursor_seq: Mapped[int] = mapped_column(BigInteger)


class WebhookDeliveryMixin:
    """One event for one subscription: its attempts, their outcome and when the next one is due."""

    __subscription_table__: ClassVar[str] = SUBSCRIPTION_TABLE

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)

    @declared_attr
    def subscription_id(cls) -> Mapped[uuid.UUID]:  # noqa: N805  (SQLAlchemy passes the class)
        return mapped_column(ForeignKey(f"{cls.__subscription_table__}.id", ondelete="CASCADE"))

    event_id: Mapped[uuid.UUID] = mapped_column()
    event_type: Mapped[str] = mapped_column(String(80))
    # The envelope exactly as sent, so every attempt signs the same bytes.
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=DeliveryStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(300))
    # Set on a manual replay: the delivery it repeats (the original stays in the log as it was).
    replay_of_id: Mapped[uuid.UUID | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    @declared_attr.directive
    def __table_args__(cls) -> Any:  # noqa: N805
        from sqlalchemy import Index

        name = cls.__tablename__  # type: ignore[attr-defined]
        return (
            # The fan-out inserts each (subscription, event) once, however often it runs; replays are
            # extra rows beside the original.
            Index(
                f"uq_{name}_subscription_event",
                "subscription_id",
                "event_id",
                unique=True,
                postgresql_where=text("replay_of_id IS NULL"),
            ),
            Index(f"ix_{name}_subscription_log", "subscription_id", "id"),
            Index(
                f"ix_{name}_due",
                "next_attempt_at",
                postgresql_where=text("status IN ('pending', 'failed')"),
            ),
        )

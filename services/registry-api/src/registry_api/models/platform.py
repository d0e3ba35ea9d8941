"""registry-api's platform tables: audit trail, event outbox, idempotency keys, jobs, webhooks."""

from registry_api.models.base import RegistryBase
from servicekit.db.platform import (
    AuditRecordMixin,
    ClientQuotaWindowMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)
from servicekit.db.webhooks import WebhookDeliveryMixin, WebhookSubscriptionMixin


class AuditRecord(AuditRecordMixin, RegistryBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, RegistryBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, RegistryBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, RegistryBase):
    __tablename__ = "job"


class ClientQuotaWindow(ClientQuotaWindowMixin, RegistryBase):
    __tablename__ = "client_quota_window"


class WebhookSubscription(WebhookSubscriptionMixin, RegistryBase):
    __tablename__ = "webhook_subscription"


class WebhookDelivery(WebhookDeliveryMixin, RegistryBase):
    __tablename__ = "webhook_delivery"


PLATFORM = PlatformModels(
    audit=AuditRecord,
    outbox=OutboxEvent,
    idempotency=IdempotencyRecord,
    job=Job,
    quota=ClientQuotaWindow,
    webhook_subscription=WebhookSubscription,
    webhook_delivery=WebhookDelivery,
)

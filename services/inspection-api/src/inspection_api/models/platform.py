"""inspection-api's platform tables: audit trail, event outbox, idempotency keys, jobs, webhooks."""

from inspection_api.models.base import InspectionBase
from servicekit.db.platform import (
    AuditRecordMixin,
    ClientQuotaWindowMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)
from servicekit.db.webhooks import WebhookDeliveryMixin, WebhookSubscriptionMixin


class AuditRecord(AuditRecordMixin, InspectionBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, InspectionBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, InspectionBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, InspectionBase):
    __tablename__ = "job"


class ClientQuotaWindow(ClientQuotaWindowMixin, InspectionBase):
    __tablename__ = "client_quota_window"


class WebhookSubscription(WebhookSubscriptionMixin, InspectionBase):
    __tablename__ = "webhook_subscription"


class WebhookDelivery(WebhookDeliveryMixin, InspectionBase):
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

"""funding-api's platform tables: audit trail, event outbox, idempotency keys, jobs, webhooks."""

from funding_api.models.base import FundingBase
from servicekit.db.platform import (
    AuditRecordMixin,
    ClientQuotaWindowMixin,
    IdempotencyRecordMixin,
    JobMixin,
    OutboxEventMixin,
    PlatformModels,
)
from servicekit.db.webhooks import WebhookDeliveryMixin, WebhookSubscriptionMixin


class AuditRecord(AuditRecordMixin, FundingBase):
    __tablename__ = "audit_record"


class OutboxEvent(OutboxEventMixin, FundingBase):
    __tablename__ = "outbox_event"


class IdempotencyRecord(IdempotencyRecordMixin, FundingBase):
    __tablename__ = "idempotency_record"


class Job(JobMixin, FundingBase):
    __tablename__ = "job"


class ClientQuotaWindow(ClientQuotaWindowMixin, FundingBase):
    __tablename__ = "client_quota_window"


class WebhookSubscription(WebhookSubscriptionMixin, FundingBase):
    __tablename__ = "webhook_subscription"


class WebhookDelivery(WebhookDeliveryMixin, FundingBase):
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

"""Every ORM model of funding-api (Alembic sees one metadata)."""

from funding_api.models.base import FundingBase
from funding_api.models.funding_source import FundingSource, FundingSourceKind
from funding_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent

__all__ = [
    "AuditRecord",
    "FundingBase",
    "FundingSource",
    "FundingSourceKind",
    "IdempotencyRecord",
    "Job",
    "OutboxEvent",
]

"""Every ORM model of inspection-api (Alembic sees one metadata)."""

from inspection_api.models.base import InspectionBase
from inspection_api.models.land_use_plan import LandUsePlan, LandUsePlanLevel, LandUsePlanStatus
from inspection_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent

__all__ = [
    "AuditRecord",
    "IdempotencyRecord",
    "InspectionBase",
    "Job",
    "LandUsePlan",
    "LandUsePlanLevel",
    "LandUsePlanStatus",
    "OutboxEvent",
]

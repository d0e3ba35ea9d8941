"""Every ORM model of registry-api (Alembic sees one metadata)."""

from registry_api.models.admin_unit import AdminUnit, AdminUnitLevel, AdminUnitScheme
from registry_api.models.base import RegistryBase
from registry_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent

__all__ = [
    "AdminUnit",
    "AdminUnitLevel",
    "AdminUnitScheme",
    "AuditRecord",
    "IdempotencyRecord",
    "Job",
    "OutboxEvent",
    "RegistryBase",
]

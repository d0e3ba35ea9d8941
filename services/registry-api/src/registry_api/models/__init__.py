"""Every ORM model of registry-api (Alembic sees one metadata)."""

from registry_api.models.admin_unit import AdminUnit, AdminUnitLevel, AdminUnitScheme
from registry_api.models.admin_unit_mapping import AdminUnitMapping, AdminUnitMappingKind
from registry_api.models.base import RegistryBase
from registry_api.models.category import (
    BeneficiaryCategory,
    CategoryKind,
    MeritType,
    PovertyStandard,
)
from registry_api.models.household import Household, ResidenceArea
from registry_api.models.person import (
    HouseholdMembership,
    MembershipReason,
    Person,
    Relationship,
)
from registry_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from registry_api.models.unit_resolution import UnitResolution, UnitResolutionStatus

__all__ = [
    "AdminUnit",
    "AdminUnitLevel",
    "AdminUnitMapping",
    "AdminUnitMappingKind",
    "AdminUnitScheme",
    "AuditRecord",
    "BeneficiaryCategory",
    "CategoryKind",
    "Household",
    "HouseholdMembership",
    "IdempotencyRecord",
    "Job",
    "MembershipReason",
    "MeritType",
    "OutboxEvent",
    "Person",
    "PovertyStandard",
    "RegistryBase",
    "Relationship",
    "ResidenceArea",
    "UnitResolution",
    "UnitResolutionStatus",
]

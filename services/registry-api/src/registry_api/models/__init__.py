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
from registry_api.models.dwelling import (
    Dwelling,
    DwellingAssessment,
    DwellingClass,
    DwellingRuleSet,
    LandStatus,
    Material,
    StructureState,
)
from registry_api.models.household import Household, ResidenceArea
from registry_api.models.household_import import (
    HouseholdImport,
    HouseholdImportError,
    ImportKind,
    ImportMode,
    ImportStatus,
)
from registry_api.models.person import (
    HouseholdMembership,
    MembershipReason,
    Person,
    Relationship,
)
from registry_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from registry_api.models.review import (
    ReviewCampaign,
    ReviewRecord,
    ReviewRecordKind,
    ReviewRule,
    ReviewState,
    ReviewStatus,
    ReviewSubmission,
)
from registry_api.models.support_case import (
    PhotoStage,
    SupportCase,
    SupportCasePhoto,
    SupportCaseStatus,
    SupportHistory,
    SupportKind,
    SupportOutcome,
    SupportRate,
    SupportStream,
)
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
    "Dwelling",
    "DwellingAssessment",
    "DwellingClass",
    "DwellingRuleSet",
    "Household",
    "HouseholdImport",
    "HouseholdImportError",
    "HouseholdMembership",
    "IdempotencyRecord",
    "ImportKind",
    "ImportMode",
    "ImportStatus",
    "Job",
    "LandStatus",
    "Material",
    "MembershipReason",
    "MeritType",
    "OutboxEvent",
    "Person",
    "PhotoStage",
    "PovertyStandard",
    "RegistryBase",
    "Relationship",
    "ResidenceArea",
    "ReviewCampaign",
    "ReviewRecord",
    "ReviewRecordKind",
    "ReviewRule",
    "ReviewState",
    "ReviewStatus",
    "ReviewSubmission",
    "StructureState",
    "SupportCase",
    "SupportCasePhoto",
    "SupportCaseStatus",
    "SupportHistory",
    "SupportKind",
    "SupportOutcome",
    "SupportRate",
    "SupportStream",
    "UnitResolution",
    "UnitResolutionStatus",
]

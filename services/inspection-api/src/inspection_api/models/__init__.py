"""Every ORM model of inspection-api (Alembic sees one metadata)."""

from inspection_api.models.base import InspectionBase
from inspection_api.models.field_sync import SyncChange, SyncConflict, SyncMutation
from inspection_api.models.inspection_case import (
    CaseKind,
    CaseStatus,
    CaseViolation,
    ChecklistTemplate,
    ChecklistTemplateVersion,
    FindingOutcome,
    InspectionCase,
    InspectionEvidence,
    InspectionFinding,
    InspectionPlan,
    InspectionPlanItem,
    SanctionDecision,
    ViolationType,
)
from inspection_api.models.land_reserve import (
    CommercialProject,
    CommercialProjectKind,
    LandReserveMethod,
    LandReserveObligation,
    LandReserveRule,
    LandReserveStatus,
)
from inspection_api.models.land_use_plan import LandUsePlan, LandUsePlanLevel, LandUsePlanStatus
from inspection_api.models.parcel import Parcel, ParcelDesignation, ParcelDesignationRecord
from inspection_api.models.platform import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from inspection_api.models.profiteering import ProfiteeringFlag, ProfiteeringRun

__all__ = [
    "AuditRecord",
    "CaseKind",
    "CaseStatus",
    "CaseViolation",
    "ChecklistTemplate",
    "ChecklistTemplateVersion",
    "CommercialProject",
    "CommercialProjectKind",
    "FindingOutcome",
    "IdempotencyRecord",
    "InspectionBase",
    "InspectionCase",
    "InspectionEvidence",
    "InspectionFinding",
    "InspectionPlan",
    "InspectionPlanItem",
    "Job",
    "LandReserveMethod",
    "LandReserveObligation",
    "LandReserveRule",
    "LandReserveStatus",
    "LandUsePlan",
    "LandUsePlanLevel",
    "LandUsePlanStatus",
    "OutboxEvent",
    "Parcel",
    "ParcelDesignation",
    "ParcelDesignationRecord",
    "ProfiteeringFlag",
    "ProfiteeringRun",
    "SanctionDecision",
    "SyncChange",
    "SyncConflict",
    "SyncMutation",
    "ViolationType",
]

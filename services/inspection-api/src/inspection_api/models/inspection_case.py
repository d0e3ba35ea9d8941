"""Checks and inspections: yearly plans, cases, checklists, findings, photo evidence, violations from a
dated catalogue, sanction decisions and follow-up re-checks.

Since 1/7/2025 (Law on Inspection 84/2025/QH15) the Department of Construction carries out "checks"
(kiểm tra chuyên ngành) and only the provincial Inspectorate carries out "inspections" (thanh tra):
both are cases here, told apart by `kind`.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from inspection_api.models.base import InspectionBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin

# eager_defaults: an UPDATE returns the new updated_at, so responses never lazy-load after a flush.
_VERSIONED_ARGS: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}


class CaseKind(StrEnum):
    """A Department of Construction check, or a provincial Inspectorate inspection."""

    CONSTRUCTION_CHECK = "construction_check"
    INSPECTORATE_INSPECTION = "inspectorate_inspection"


class CaseStatus(StrEnum):
    PLANNED = "planned"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    CONCLUDED = "concluded"
    SANCTIONED = "sanctioned"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


class FindingOutcome(StrEnum):
    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"
    OBSERVATION = "observation"


def _one_of(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class InspectionPlan(Audited, IdMixin, TimestampMixin, VersionedMixin, InspectionBase):
    """A province's yearly plan of checks or of inspections (one per province, year and kind)."""

    __tablename__ = "inspection_plan"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CaseKind), name="kind_known"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_plausible"),
        UniqueConstraint("province_code", "year", "kind"),
    )
    __mapper_args__ = _VERSIONED_ARGS

    province_code: Mapped[str] = mapped_column(String(2), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)


class InspectionPlanItem(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """One planned check or inspection: who or what, where, and in which month."""

    __tablename__ = "inspection_plan_item"
    __table_args__ = (CheckConstraint("planned_month BETWEEN 1 AND 12", name="month_known"),)
    __mapper_args__ = _VERSIONED_ARGS

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection_plan.id"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    scope: Mapped[str | None] = mapped_column(Text)
    planned_month: Mapped[int | None] = mapped_column(Integer)


class ChecklistTemplate(Audited, IdMixin, TimestampMixin, VersionedMixin, InspectionBase):
    """A checklist for one kind of case; its content lives in numbered versions."""

    __tablename__ = "checklist_template"
    __table_args__ = (CheckConstraint(_one_of("kind", CaseKind), name="kind_known"),)
    __mapper_args__ = _VERSIONED_ARGS

    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))


class ChecklistTemplateVersion(Audited, IdMixin, TimestampMixin, VersionedMixin, InspectionBase):
    """The items of a template as of one version. Frozen from the first case that uses it."""

    __tablename__ = "checklist_template_version"
    __table_args__ = (
        UniqueConstraint("template_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )
    __mapper_args__ = _VERSIONED_ARGS

    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("checklist_template.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    # [{key, text, legal_basis}], keys unique within the version.
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    first_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ViolationType(Audited, IdMixin, TimestampMixin, InspectionBase):
    """A catalogued violation with its legal basis and fine range, valid over a period.

    `is_draft` marks values taken from a draft decree: not law, shown as such.
    """

    __tablename__ = "violation_type"
    __table_args__ = (
        UniqueConstraint("code", "valid_from"),
        CheckConstraint("fine_min_vnd >= 0 AND fine_min_vnd <= fine_max_vnd", name="fine_range_ordered"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )

    code: Mapped[str] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(String(500))
    legal_basis: Mapped[str] = mapped_column(String(500))
    fine_min_vnd: Mapped[int] = mapped_column(BigInteger)
    fine_max_vnd: Mapped[int] = mapped_column(BigInteger)
    is_draft: Mapped[bool] = mapped_column(Boolean)
    remedy: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str | None] = mapped_column(String(500))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class InspectionCase(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A check or an inspection, from planning to closure; a re-check is a child case."""

    __tablename__ = "inspection_case"
    __table_args__ = (
        CheckConstraint(_one_of("kind", CaseKind), name="kind_known"),
        CheckConstraint(_one_of("status", CaseStatus), name="status_known"),
    )
    __mapper_args__ = _VERSIONED_ARGS

    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str | None] = mapped_column(Text)
    opened_by: Mapped[str] = mapped_column(String(200))
    plan_item_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_plan_item.id"), index=True)
    parent_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    # The profiteering flag this case was opened from (no FK: flags have their own lifecycle).
    flag_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_inspector: Mapped[str | None] = mapped_column(String(200), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checklist_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("checklist_template_version.id")
    )
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    conclusion: Mapped[str | None] = mapped_column(Text)
    concluded_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closure_note: Mapped[str | None] = mapped_column(Text)


class InspectionFinding(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """What the inspector found, against a checklist item or free."""

    __tablename__ = "inspection_finding"
    __table_args__ = (CheckConstraint(_one_of("outcome", FindingOutcome), name="outcome_known"),)
    __mapper_args__ = _VERSIONED_ARGS

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    checklist_item_key: Mapped[str | None] = mapped_column(String(60))
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))


class InspectionEvidence(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A photo: where and when it was taken, and the SHA-256 of its bytes computed on upload."""

    __tablename__ = "inspection_evidence"
    __table_args__ = (
        UniqueConstraint("case_id", "sha256"),
        CheckConstraint("latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180", name="gps_valid"),
    )
    __mapper_args__ = _VERSIONED_ARGS

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_finding.id"), index=True)
    content_type: Mapped[str] = mapped_column(String(30))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    gps_accuracy_m: Mapped[float | None] = mapped_column(Float)
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    uploaded_by: Mapped[str] = mapped_column(String(200))


class CaseViolation(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A violation established in a case, chosen from the catalogue entry in force when observed."""

    __tablename__ = "case_violation"
    __mapper_args__ = _VERSIONED_ARGS

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    violation_type_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("violation_type.id"), index=True)
    finding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("inspection_finding.id"))
    observed_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))


class SanctionDecision(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A decision sanctioning one violation: its number and date, the fine (within the catalogue's
    range), the remedy and the deadline to carry it out."""

    __tablename__ = "sanction_decision"
    __table_args__ = (
        CheckConstraint("fine_vnd >= 0", name="fine_not_negative"),
        CheckConstraint("remedy_deadline IS NULL OR remedy_deadline >= decided_on", name="deadline_after"),
    )
    __mapper_args__ = _VERSIONED_ARGS

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspection_case.id"), index=True)
    case_violation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_violation.id"), unique=True)
    number: Mapped[str] = mapped_column(String(50), unique=True)
    decided_on: Mapped[date] = mapped_column(Date)
    fine_vnd: Mapped[int] = mapped_column(BigInteger)
    # True when the fine range came from a draft catalogue entry (not yet law).
    fine_range_draft: Mapped[bool] = mapped_column(Boolean)
    remedy: Mapped[str | None] = mapped_column(Text)
    remedy_deadline: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(200))

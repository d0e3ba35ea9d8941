"""Applications to buy, lease-purchase or rent social housing, their evidence, the dated beneficiary
groups and eligibility rules they are judged by, and the eligibility confirmations given to banks."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import Uuid

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class Tenure(StrEnum):
    BUY = "buy"
    LEASE_PURCHASE = "lease_purchase"
    RENT = "rent"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    ALLOCATED = "allocated"
    WITHDRAWN = "withdrawn"


# An open application blocks a second one by the same applicant.
OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE)


class MaritalStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    SINGLE_WITH_CHILD = "single_with_child"  # single and raising a minor child (Decree 261/2025)


class RuleKind(StrEnum):
    """What an eligibility rule checks; its parameters are data on the row."""

    GROUP_TENURE = "group_tenure"
    HOUSING_CONDITION = "housing_condition"
    INCOME_CAP = "income_cap"
    NEVER_SUPPORTED = "never_supported"
    NEVER_BOUGHT = "never_bought"
    ONE_PROJECT = "one_project"
    POVERTY_CERTIFICATE = "poverty_certificate"  # group 4 is certified poor or near-poor
    ARMED_FORCES_CONDITIONS = "armed_forces_conditions"  # group 7: MoD / MPS rules (not stored)
    OFFICIAL_HOUSING = "official_housing"  # HL2023 Art. 78(1), Art. 45(1)(b)-(g)
    FAR_FROM_WORK_PILOT = "far_from_work_pilot"  # Resolution 201/2025/QH15 Art. 9(2)


class EvidenceForm(StrEnum):
    """Circular 05/2024/TT-BXD forms as amended by Circular 32/2025/TT-BXD, and the other proofs."""

    MAU_01 = "01"
    MAU_01A = "01a"
    MAU_02 = "02"
    MAU_03 = "03"
    MAU_04 = "04"
    MAU_05 = "05"
    MERIT_CERTIFICATE = "merit_certificate"
    POVERTY_CERTIFICATE = "poverty_certificate"
    DISABILITY_CERTIFICATE = "disability_certificate"  # giấy xác nhận khuyết tật (priority, Art. 79)
    RESETTLEMENT_DECISION = "resettlement_decision"  # decision placing the household for resettlement


class ConfirmationPurpose(StrEnum):
    BUY = "buy"
    LEASE_PURCHASE = "lease_purchase"
    RENT = "rent"
    LOAN = "loan"


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{m.value}'" for m in enum)


class BeneficiaryGroup(Audited, IdMixin, TimestampMixin, RegistryBase):
    """A beneficiary group (HL2023 Art. 76 clause), valid over a period, with its legal basis."""

    __tablename__ = "beneficiary_group"
    __table_args__ = (CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),)

    code: Mapped[str] = mapped_column(String(40), unique=True)
    clause: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(400))
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class EligibilityRule(Audited, IdMixin, TimestampMixin, RegistryBase):
    """One eligibility rule over a period (inclusive dates): its kind, its parameters and legal basis."""

    __tablename__ = "eligibility_rule"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(RuleKind)})", name="kind_known"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )

    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(String(400))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)


class Application(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """An application to buy, lease-purchase or rent a unit of a social housing project.

    The area is the applicant's household's. The declared facts (marital status, income, housing)
    are what the eligibility rules read; the evidence records back them.
    """

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"tenure IN ({_values(Tenure)})", name="tenure_known"),
        CheckConstraint(f"status IN ({_values(ApplicationStatus)})", name="status_known"),
        CheckConstraint(f"marital_status IN ({_values(MaritalStatus)})", name="marital_status_known"),
        CheckConstraint("monthly_income_vnd IS NULL OR monthly_income_vnd >= 0", name="income_not_negative"),
        # A draft may be withdrawn before it is ever submitted.
        CheckConstraint(
            "status IN ('draft', 'withdrawn') OR submitted_on IS NOT NULL", name="submitted_has_date"
        ),
        # One open application per applicant, also under races.
        Index(
            "uq_application_applicant_open",
            "applicant_person_id",
            unique=True,
            postgresql_where=text("status IN ('draft', 'submitted', 'eligible')"),
        ),
        Index("ix_application_project", "project_id"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset(
        {
            "marital_status",
            "monthly_income_vnd",
            "owns_house_in_province",
            "house_floor_area_m2",
            "house_occupants",
            "applicant_disabled",
            "lives_in_official_housing",
            "house_far_from_work",
            "withdrawal_reason",
            "note",
        }
    )

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("housing_project.id"))
    tenure: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), index=True)
    applicant_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    spouse_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    member_person_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    beneficiary_group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("beneficiary_group.id"))
    marital_status: Mapped[str] = mapped_column(String(20))
    monthly_income_vnd: Mapped[int | None] = mapped_column(BigInteger)
    owns_house_in_province: Mapped[bool | None] = mapped_column(Boolean)
    house_floor_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    house_occupants: Mapped[int | None] = mapped_column(SmallInteger)
    # Priority facts (HL2023 Art. 79(1)(d)); each counts only with its evidence record.
    applicant_disabled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    resettled: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # HL2023 Art. 78(1): those in Art. 45(1)(b)-(g) must not live in official housing (None: not declared).
    lives_in_official_housing: Mapped[bool | None] = mapped_column(Boolean)
    # Resolution 201/2025/QH15 Art. 9(2) pilot: owns a house, but far from the workplace (declared).
    house_far_from_work: Mapped[bool | None] = mapped_column(Boolean)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    assessed_on: Mapped[date | None] = mapped_column(Date)
    allocated_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    eligibility_trace: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)


class ApplicationEvidence(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """A proof document of an application: the form and its version, issuer, date, the person covered."""

    __tablename__ = "application_evidence"
    __table_args__ = (CheckConstraint(f"form IN ({_values(EvidenceForm)})", name="form_known"),)
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"document_number"})

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("application.id"), index=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    form: Mapped[str] = mapped_column(String(24))
    form_version: Mapped[str] = mapped_column(String(120))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str | None] = mapped_column(String(60))


class EligibilityConfirmation(Audited, IdMixin, TimestampMixin, RegistryBase):
    """An answer given to a bank: eligible or not, why, and the fingerprint of what it was based on.

    The area columns are the person's when known (NULL for an unknown person).
    """

    __tablename__ = "eligibility_confirmation"
    __table_args__ = (CheckConstraint(f"purpose IN ({_values(ConfirmationPurpose)})", name="purpose_known"),)

    purpose: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    application_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("application.id"))
    as_of: Mapped[date] = mapped_column(Date)
    eligible: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    inputs_fingerprint: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[str | None] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))

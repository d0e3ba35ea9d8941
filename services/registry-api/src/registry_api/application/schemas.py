from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field

from registry_api.models import (
    ApplicationStatus,
    ConfirmationPurpose,
    EvidenceForm,
    MaritalStatus,
    Tenure,
)
from servicekit.schemas import ReadModel, WriteModel

Reason = Annotated[str, Field(min_length=3, max_length=1000)]


class ApplicationCreate(WriteModel):
    """A draft application of a registry person. The spouse and members must be current members of
    the applicant's household. `monthly_income_vnd` is the applicant's, or the couple's if married."""

    project_id: uuid.UUID = Field(description="The social housing project (housing-projects).")
    tenure: Tenure
    applicant_person_id: uuid.UUID
    spouse_person_id: uuid.UUID | None = None
    member_person_ids: list[uuid.UUID] = Field(default_factory=list, max_length=30)
    beneficiary_group: int = Field(ge=1, le=12, description="The HL2023 Art. 76 clause.")
    marital_status: MaritalStatus
    monthly_income_vnd: int | None = Field(default=None, ge=0, le=10_000_000_000)
    owns_house_in_province: bool | None = None
    house_floor_area_m2: Decimal | None = Field(default=None, ge=0, le=100_000, decimal_places=2)
    house_occupants: int | None = Field(default=None, ge=1, le=100)
    applicant_disabled: bool = Field(
        default=False,
        description="Priority (HL2023 Art. 79): counts in the quota only with a disability_certificate "
        "evidence record covering the applicant.",
    )
    resettled: bool = Field(
        default=False,
        description="Priority: resettled by buying or renting social housing; counts only with a "
        "resettlement_decision evidence record.",
    )
    lives_in_official_housing: bool | None = Field(
        default=None, description="HL2023 Art. 78(1) / Art. 45(1)(b)-(g), groups 7 and 8."
    )
    house_far_from_work: bool | None = Field(
        default=None, description="Resolution 201/2025/QH15 Art. 9(2) pilot: owns a house far from work."
    )
    note: Annotated[str, Field(max_length=2000)] | None = None


class StepBody(WriteModel):
    on: date | None = Field(default=None, description="Local date of the step; today by default.")


class WithdrawBody(StepBody):
    reason: Reason


class EvidenceCreate(WriteModel):
    person_id: uuid.UUID = Field(description="The person the document covers (applicant, spouse or member).")
    form: EvidenceForm
    form_version: str = Field(
        min_length=1, max_length=120, examples=["Thông tư 05/2024/TT-BXD, sửa đổi bởi 32/2025/TT-BXD"]
    )
    issuer: str = Field(min_length=1, max_length=200, examples=["Công an phường Thuỷ Nguyên"])
    issued_on: date
    document_number: str | None = Field(default=None, max_length=60)


class EvidenceRead(ReadModel):
    id: uuid.UUID
    application_id: uuid.UUID
    person_id: uuid.UUID
    form: EvidenceForm
    form_version: str
    issuer: str
    issued_on: date
    document_number: str | None
    created_at: datetime


class TraceEntry(ReadModel):
    rule_code: str
    kind: str
    legal_basis: str
    outcome: str = Field(description="pass, fail, unknown or not_applicable")
    reason: str = Field(description="A stable reason code.")
    evidence_ids: list[str] = Field(description="Evidence records, support cases or applications used.")


class ApplicationRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    tenure: Tenure
    status: ApplicationStatus
    applicant_person_id: uuid.UUID
    spouse_person_id: uuid.UUID | None
    member_person_ids: list[uuid.UUID]
    beneficiary_group_id: uuid.UUID
    marital_status: MaritalStatus
    monthly_income_vnd: int | None
    owns_house_in_province: bool | None
    house_floor_area_m2: Decimal | None
    house_occupants: int | None
    applicant_disabled: bool
    resettled: bool
    lives_in_official_housing: bool | None
    house_far_from_work: bool | None
    submitted_on: date | None
    assessed_on: date | None
    allocated_on: date | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    eligibility_trace: list[TraceEntry] | None
    note: str | None
    province_code: str
    commune_code: str
    version: int
    created_at: datetime
    updated_at: datetime


class ApplicationDetail(ApplicationRead):
    evidence: list[EvidenceRead]


class EligibilityRead(ReadModel):
    application_id: uuid.UUID
    as_of: date = Field(description="The date whose rules were applied (submission date by default).")
    verdict: str = Field(description="pass, fail or unknown")
    trace: list[TraceEntry]


class BeneficiaryGroupRead(ReadModel):
    id: uuid.UUID
    code: str
    clause: int
    name: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    note: str | None


class EligibilityRuleRead(ReadModel):
    id: uuid.UUID
    code: str
    kind: str
    name: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    params: dict[str, Any]
    note: str | None


class ConfirmationCreate(WriteModel):
    citizen_id: str = Field(min_length=12, max_length=12, pattern=r"^\d{12}$")
    purpose: ConfirmationPurpose
    as_of: date | None = Field(default=None, description="Rules in force on this date; today by default.")


class ConfirmationRead(ReadModel):
    confirmation_id: uuid.UUID
    eligible: bool
    purpose: ConfirmationPurpose
    as_of: date
    reasons: list[dict[str, Any]] = Field(description="The trace without personal data, or person_unknown.")
    inputs_fingerprint: str

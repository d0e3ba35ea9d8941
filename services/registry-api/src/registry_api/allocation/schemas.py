from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from registry_api.models import Tenure
from servicekit.schemas import ReadModel, WriteModel


class RoundCreate(WriteModel):
    """Open a round: the project (of your area), the tenure, the units offered, and the value published
    beforehand (e.g. a lottery-day newspaper's number, or a block hash); its SHA-256 is the seed."""

    project_id: uuid.UUID
    tenure: Tenure
    units: int = Field(ge=1, le=100_000, examples=[40])
    published_seed: str = Field(min_length=8, max_length=200, examples=["XSMB 2026-03-20: 48213"])


class DrawBody(WriteModel):
    on: date | None = Field(default=None, description="The draw's local date; today by default.")


class RoundEntry(ReadModel):
    place: int
    application_id: uuid.UUID
    via: str = Field(description="`priority` (within the quota) or `lottery`.")
    priority: str | None
    lottery_key: str | None = Field(description="HMAC-SHA256(seed, application id), hex.")
    won: bool


class RoundRead(ReadModel):
    id: uuid.UUID
    project_id: uuid.UUID
    tenure: str
    units: int
    status: str
    published_seed: str
    seed_sha256: str
    priority_rule_id: uuid.UUID | None
    drawn_on: date | None
    dossiers: int | None
    priority_dossiers: int | None
    priority_quota: int | None
    result: list[RoundEntry] | None
    province_code: str
    commune_code: str | None
    version: int
    created_at: datetime


class AllocationRuleRead(ReadModel):
    id: uuid.UUID
    code: str
    kind: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    params: dict[str, Any]
    note: str | None


BuyerKind = Literal["housing_authority", "investor", "eligible_person", "market"]


class ContractCreate(WriteModel):
    """A contract for an allocated application of your area; its kind follows the tenure (buy ->
    sale, lease_purchase, rent)."""

    application_id: uuid.UUID
    contract_number: str = Field(min_length=1, max_length=60, examples=["45/2026/HĐMB-NOXH"])
    signed_on: date
    unit_ref: str = Field(min_length=1, max_length=60, examples=["Tòa A, căn 1204"])
    price_vnd: int = Field(gt=0, le=100_000_000_000, examples=[1_150_000_000])


class FullPaymentBody(WriteModel):
    on: date = Field(description="The local date the last payment was made: the resale lock starts here.")


class ResaleCreate(WriteModel):
    sold_on: date
    buyer_kind: BuyerKind
    buyer_person_id: uuid.UUID | None = Field(
        default=None, description="For `eligible_person`: a person with an eligible application."
    )
    price_vnd: int = Field(gt=0, le=100_000_000_000)


class ResaleRead(ReadModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    sold_on: date
    buyer_kind: str
    buyer_person_id: uuid.UUID | None
    price_vnd: int
    lock_rule_id: uuid.UUID
    lock_ends_on: date | None
    within_lock: bool


class ContractRead(ReadModel):
    id: uuid.UUID
    application_id: uuid.UUID
    project_id: uuid.UUID
    applicant_person_id: uuid.UUID
    kind: str
    status: str
    contract_number: str
    signed_on: date
    unit_ref: str
    price_vnd: int
    fully_paid_on: date | None
    province_code: str
    commune_code: str | None
    version: int


class ContractDetail(ContractRead):
    resales: list[ResaleRead]

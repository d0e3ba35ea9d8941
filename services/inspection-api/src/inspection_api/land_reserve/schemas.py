from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer, model_validator

from inspection_api.models import CommercialProjectKind, LandReserveMethod, LandReserveStatus
from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])]
AreaM2 = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Rate = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
# 100,000 km² bounds any project; 10^16 VND any cost or price a typo could produce.
AreaM2In = Annotated[Decimal, Field(gt=0, le=Decimal("100000000000"), decimal_places=2, examples=[125000])]
Vnd = Annotated[int, Field(ge=0, le=10**16)]


class CommercialProjectCreate(WriteModel):
    province_code: ProvinceCode
    commune_code: CommuneCode
    legacy_area_code: str | None = Field(default=None, max_length=16)
    name: str = Field(min_length=1, max_length=300, examples=["Khu đô thị mới Bắc sông Cấm"])
    investor_name: str = Field(min_length=1, max_length=300)
    kind: CommercialProjectKind
    residential_land_m2: AreaM2In = Field(description="The project's residential land (đất ở), m².")
    total_land_m2: AreaM2In | None = None
    technical_infrastructure_cost_vnd: Vnd | None = Field(
        default=None,
        description="Technical-infrastructure investment, excluding land reclamation and sea encroachment.",
    )
    approval_decision: str | None = Field(default=None, max_length=100)
    approved_on: date | None = None
    land_use_plan_id: uuid.UUID | None = None
    site_parcel_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _total_covers_residential(self) -> CommercialProjectCreate:
        if self.total_land_m2 is not None and self.total_land_m2 < self.residential_land_m2:
            raise ValueError("total_land_m2 cannot be smaller than residential_land_m2")
        return self


class CommercialProjectUpdate(WriteModel):
    """Send only what changes; `null` clears an optional field. The residential land cannot change once
    the obligation is recorded (it was computed from it)."""

    name: str | None = Field(default=None, min_length=1, max_length=300)
    investor_name: str | None = Field(default=None, min_length=1, max_length=300)
    residential_land_m2: AreaM2In | None = None
    total_land_m2: AreaM2In | None = None
    technical_infrastructure_cost_vnd: Vnd | None = None
    approval_decision: str | None = Field(default=None, max_length=100)
    approved_on: date | None = None
    land_use_plan_id: uuid.UUID | None = None
    site_parcel_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _required_not_null(self) -> CommercialProjectUpdate:
        for field in ("name", "investor_name", "residential_land_m2"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} may not be null")
        return self


class LandReserveRuleRead(ReadModel):
    id: uuid.UUID
    code: str
    reserve_rate: Rate
    infrastructure_cost_rate: Rate
    valid_from: date
    valid_to: date | None = Field(description="The last day it applies (inclusive); null while in force.")
    legal_basis: str
    note: str | None


class CommercialProjectRead(ReadModel):
    id: uuid.UUID
    province_code: str
    commune_code: str | None
    legacy_area_code: str | None
    name: str
    investor_name: str
    kind: CommercialProjectKind
    residential_land_m2: AreaM2
    total_land_m2: AreaM2 | None
    technical_infrastructure_cost_vnd: int | None
    approval_decision: str | None
    approved_on: date | None
    land_use_plan_id: uuid.UUID | None
    site_parcel_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime


class Deadlines(WriteModel):
    """Per-stage deadlines (local dates). In a PATCH, send only those to change; `null` clears one."""

    infrastructure_built_due: date | None = None
    cleared_due: date | None = None
    investor_assigned_due: date | None = None
    started_due: date | None = None
    payment_due: date | None = None


class ObligationCreate(Deadlines):
    commercial_project_id: uuid.UUID
    method: LandReserveMethod
    decided_on: date = Field(
        description="The day the province decided the method; the rule in force that day applies."
    )
    decision_number: str | None = Field(default=None, max_length=50, examples=["1234/QĐ-UBND"])
    land_price_vnd_per_m2: Vnd | None = Field(
        default=None, description="pay_money: the land price for the land-use fee, VND per m²."
    )
    technical_infrastructure_cost_vnd: Vnd | None = Field(
        default=None, description="pay_money: defaults to the project's recorded cost."
    )
    reserved_parcel_id: uuid.UUID | None = Field(
        default=None, description="reserve_land / land_elsewhere: the parcel holding the reserved land."
    )
    reserved_in_plan_on: date | None = Field(
        default=None, description="Land methods: when the land was reserved in the plan (default decided_on)."
    )


class StageBody(WriteModel):
    status: LandReserveStatus = Field(description="The next stage (only the next one is allowed).")
    on: date | None = Field(default=None, description="The local date reached; default today.")


class ObligationRead(ReadModel):
    id: uuid.UUID
    commercial_project_id: uuid.UUID
    method: LandReserveMethod
    status: LandReserveStatus
    province_code: str
    commune_code: str | None
    rule_id: uuid.UUID
    decided_on: date
    decision_number: str | None
    residential_land_m2: AreaM2
    reserve_rate: Rate
    required_area_m2: AreaM2
    land_price_vnd_per_m2: int | None
    technical_infrastructure_cost_vnd: int | None
    infrastructure_cost_rate: Rate | None
    money_land_fee_vnd: int | None
    money_infrastructure_vnd: int | None
    money_due_vnd: int | None
    reserved_parcel_id: uuid.UUID | None
    reserved_in_plan_on: date | None
    infrastructure_built_on: date | None
    cleared_on: date | None
    investor_assigned_on: date | None
    started_on: date | None
    paid_on: date | None
    infrastructure_built_due: date | None
    cleared_due: date | None
    investor_assigned_due: date | None
    started_due: date | None
    payment_due: date | None
    due_on: date | None = Field(description="The deadline of the next stage; NULL once fulfilled.")
    version: int
    created_at: datetime
    updated_at: datetime

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field

from funding_api.models.housing_fund import InflowKind, MovementDirection, OutflowPurpose, ReferenceStatus
from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
DocumentNumber = Annotated[str, Field(min_length=1, max_length=50, examples=["245/QĐ-UBND"])]
Amount = Annotated[int, Field(gt=0, le=10**15, examples=[5_000_000_000])]
Description = Annotated[str, Field(max_length=4000)]
Category = InflowKind | OutflowPurpose


class MovementCreate(WriteModel):
    province_code: ProvinceCode = Field(description="The province whose fund moves; you must cover it.")
    direction: MovementDirection
    category: Category = Field(
        description="For an inflow, its kind (budget_allocation, in_lieu_land_fund, proceeds, donation, "
        "other_inflow); for an outflow, its purpose (build_rental_housing, take_over_public_housing, "
        "buy_social_housing_units, buy_commercial_housing_for_rent, management_and_operation, other_outflow)."
    )
    amount_vnd: Amount
    occurred_on: date = Field(description="The local date the money moved.")
    document_number: DocumentNumber = Field(description="The decision, receipt or payment order.")
    document_date: date | None = None
    description: Description | None = None
    obligation_id: uuid.UUID | None = Field(
        default=None,
        description="Required for `in_lieu_land_fund` (and only then): inspection-api's land-reserve "
        "obligation the payment settles. Stored unverified; a periodic job confirms it.",
    )


class ReversalCreate(WriteModel):
    occurred_on: date = Field(description="The local date of the correction.")
    document_number: DocumentNumber
    document_date: date | None = None
    description: Description = Field(min_length=1, description="Why the movement is reversed.")


class MovementRead(ReadModel):
    id: uuid.UUID
    province_code: str
    direction: MovementDirection
    category: str
    amount_vnd: int
    occurred_on: date
    document_number: str
    document_date: date | None
    description: str | None
    reverses_id: uuid.UUID | None
    obligation_id: uuid.UUID | None
    reference_status: ReferenceStatus | None
    reference_checked_at: datetime | None
    reference_detail: dict[str, Any] | None
    recorded_by: str
    created_at: datetime


class CategoryNet(ReadModel):
    direction: MovementDirection = Field(
        description="Whether the category is an inflow kind or an outflow purpose."
    )
    category: str
    net_vnd: int = Field(description="Movements of this category less their reversals.")


class FundBalance(ReadModel):
    province_code: str
    as_of: date | None
    balance_vnd: int
    inflow_vnd: int = Field(description="All money in (including reversals of outflows).")
    outflow_vnd: int = Field(description="All money out (including reversals of inflows).")
    by_category: list[CategoryNet]


class ProjectionFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ProjectionYear(ReadModel):
    year: int
    expected_inflow_vnd: int
    expected_outflow_vnd: int
    projected_closing_balance_vnd: int
    shortfall: bool = Field(description="True when the expected outflows would take the fund below zero.")
    inflows_by_kind: dict[str, int]
    outflows_by_purpose: dict[str, int]


class FundProjection(ReadModel):
    province_code: str
    as_of: date
    method: str = Field(examples=["recent_year_average"])
    basis_years: list[int] = Field(description="The complete years averaged.")
    opening_balance_vnd: int = Field(description="The balance on `as_of`.")
    years: list[ProjectionYear]

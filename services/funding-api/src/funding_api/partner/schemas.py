"""The partner statistics of funding-api: aggregates only, by area and period, never a borrower, a
household or a document; explicit models, never the officers' ones."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from funding_api.models import AllocationTarget, FundingSourceKind, LoanPurpose, MovementDirection


class PartnerStatisticsLevel(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"


class PartnerCapitalBySourceKind(BaseModel):
    """Money of one kind of source in a province, booked in the period (net of reversals)."""

    source_kind: FundingSourceKind
    province_code: str
    received_vnd: int = Field(description="Received into the sources (capital mobilised).")
    allocated_vnd: int = Field(description="Allocated to funding lines.")
    disbursed_vnd: int = Field(description="Paid out under funding lines.")


class PartnerAllocationCell(BaseModel):
    """Funding lines of one area with money allocated or paid in the period; null when the lines are
    fewer than the suppression threshold (`suppressed`)."""

    area_code: str | None = Field(description="The 2025 code; null: a line with no commune (programmes).")
    lines: int | None
    allocated_vnd: int | None
    disbursed_vnd: int | None
    suppressed: bool


class PartnerAllocationSeries(BaseModel):
    stream: AllocationTarget = Field(
        description="What the lines pay for: support cases, social housing projects or programmes."
    )
    cells: list[PartnerAllocationCell]


class PartnerLoanCell(BaseModel):
    """VBSP loans of one area with a disbursement in the period, and what was disbursed; null when fewer
    loans than the suppression threshold (`suppressed`)."""

    area_code: str | None = Field(description="The 2025 code; null: a loan the bank sent without one.")
    loans: int | None
    disbursed_vnd: int | None
    suppressed: bool


class PartnerLoanSeries(BaseModel):
    purpose: LoanPurpose
    cells: list[PartnerLoanCell]


class PartnerHousingFundCategory(BaseModel):
    direction: MovementDirection = Field(
        description="The category's direction (inflow kind, outflow purpose)."
    )
    category: str
    net_vnd: int = Field(description="Moved in the period in the category's direction, net of reversals.")


class PartnerHousingFund(BaseModel):
    """The province's housing fund over the period (Decree 302/2025/NĐ-CP)."""

    province_code: str
    opening_balance_vnd: int = Field(description="The balance before the period's first day.")
    inflow_vnd: int
    outflow_vnd: int
    closing_balance_vnd: int = Field(description="The balance at the end of the period's last day.")
    categories: list[PartnerHousingFundCategory]


class FundingPartnerStatistics(BaseModel):
    """Aggregated funding figures of your area for a year or a quarter (money as integer VND). Counts
    from 1 to `suppression_threshold - 1` are null with their amounts (`suppressed`), and more cells
    are hidden where a hidden one could be recovered from the total."""

    period: str = Field(examples=["2026", "2026-Q3"])
    period_start: date
    period_end: date
    level: PartnerStatisticsLevel
    suppression_threshold: int
    capital_by_source_kind: list[PartnerCapitalBySourceKind]
    allocations: list[PartnerAllocationSeries] = Field(description="Funding lines by stream and area.")
    loans: list[PartnerLoanSeries] = Field(
        description="VBSP loans by purpose and area (no borrower-level data)."
    )
    housing_fund: list[PartnerHousingFund]

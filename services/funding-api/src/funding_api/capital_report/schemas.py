from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from funding_api.models import FundingSourceKind


class CapitalRow(BaseModel):
    source_id: uuid.UUID
    source_name: str
    source_kind: FundingSourceKind
    province_code: str
    fiscal_year: int
    pledged_vnd: int = Field(description="Pledges of contributors for the year.")
    appropriated_vnd: int = Field(description="Budget appropriations for the year.")
    planned_vnd: int = Field(description="pledged + appropriated: the plan.")
    received_vnd: int = Field(description="Money received (receipts net of reversals) booked in the year.")
    allocated_vnd: int = Field(description="Allocated to funding lines (net of reversals) in the year.")
    disbursed_vnd: int = Field(description="Paid out under funding lines (net of reversals) in the year.")


class CapitalYearTotal(BaseModel):
    fiscal_year: int
    planned_vnd: int
    received_vnd: int
    allocated_vnd: int
    disbursed_vnd: int


class CapitalReport(BaseModel):
    """Capital mobilised by source and fiscal year against plan (years are those of the booking dates)."""

    rows: list[CapitalRow]
    totals: list[CapitalYearTotal]

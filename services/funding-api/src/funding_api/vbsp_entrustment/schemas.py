from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
DocumentNumber = Annotated[str, Field(min_length=1, max_length=50, examples=["15/2026/HĐUT-NHCSXH"])]
PartyName = Annotated[str, Field(min_length=1, max_length=200)]
# Integer VND; a province's budget is far below 10^15 VND (a million billion).
Amount = Annotated[int, Field(gt=0, le=10**15, examples=[20_000_000_000])]
AmountOrZero = Annotated[int, Field(ge=0, le=10**15, examples=[0])]
Note = Annotated[str, Field(max_length=4000)]
DEFAULT_LEGAL_BASIS = "Thông tư 11/2017/TT-BTC, sửa đổi bởi Thông tư 84/2025/TT-BTC"


class ContractCreate(WriteModel):
    province_code: ProvinceCode = Field(
        description="The province whose budget is entrusted; you must cover it."
    )
    contract_number: DocumentNumber
    signed_on: date
    entrusting_party: PartyName = Field(
        description="The agency the provincial People's Committee designated to sign.",
        examples=["Sở Tài chính thành phố Hải Phòng"],
    )
    bank_branch: PartyName = Field(examples=["Chi nhánh NHCSXH thành phố Hải Phòng"])
    amount_vnd: Amount = Field(description="The provincial budget the contract entrusts over its period.")
    period_start: date
    period_end: date = Field(description="On or after `period_start`.")
    legal_basis: Annotated[str, Field(min_length=1, max_length=200)] = DEFAULT_LEGAL_BASIS
    note: Note | None = None


class ContractUpdate(WriteModel):
    """An addendum: send only the fields to change. The amount cannot drop below what was transferred."""

    amount_vnd: Amount | None = None
    period_end: date | None = None
    note: Note | None = None

    @field_validator("amount_vnd", "period_end")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class ContractRead(ReadModel):
    id: uuid.UUID
    province_code: str
    contract_number: str
    signed_on: date
    entrusting_party: str
    bank_branch: str
    amount_vnd: int
    period_start: date
    period_end: date
    legal_basis: str
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class TransferCreate(WriteModel):
    fiscal_year: int = Field(ge=2000, le=2100, description="Within the contract's period.", examples=[2026])
    amount_vnd: Amount
    decision_number: DocumentNumber = Field(description="The decision allocating the tranche.")
    decision_date: date
    transferred_on: date
    note: Note | None = None


class TransferRead(ReadModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    fiscal_year: int
    amount_vnd: int
    decision_number: str
    decision_date: date
    transferred_on: date
    note: str | None
    created_at: datetime


class UtilisationReportCreate(WriteModel):
    period_start: date
    period_end: date = Field(description="On or after `period_start`, within the contract's period.")
    lent_vnd: AmountOrZero = Field(description="Disbursed from the entrusted capital during the period.")
    borrowers: int = Field(
        ge=0, le=10_000_000, description="Borrowers with a loan from it at the period's end."
    )
    outstanding_vnd: AmountOrZero = Field(description="Outstanding balance at the period's end.")
    repaid_vnd: AmountOrZero = Field(description="Repaid by borrowers during the period.")
    returned_vnd: AmountOrZero = Field(description="Returned to the provincial budget during the period.")
    note: Note | None = None


class UtilisationReportRead(ReadModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    period_start: date
    period_end: date
    lent_vnd: int
    borrowers: int
    outstanding_vnd: int
    repaid_vnd: int
    returned_vnd: int
    submitted_by: str
    note: str | None
    created_at: datetime


class YearFigures(ReadModel):
    fiscal_year: int
    transferred_vnd: int
    lent_vnd: int = Field(description="Lent in reports whose period ends in this year.")
    repaid_vnd: int
    returned_vnd: int
    outstanding_vnd: int | None = Field(description="At the end of the year's last reported period.")
    borrowers: int | None


class ContractSummary(ReadModel):
    contract_id: uuid.UUID
    entrusted_vnd: int
    transferred_vnd: int
    not_yet_transferred_vnd: int
    lent_vnd: int
    repaid_vnd: int
    returned_vnd: int
    outstanding_vnd: int | None = Field(description="From the latest report; null before the first one.")
    borrowers: int | None
    outstanding_above_transferred: bool = Field(
        description="True when the bank reports more outstanding than was transferred less returned: "
        "a discrepancy to reconcile."
    )
    years: list[YearFigures]

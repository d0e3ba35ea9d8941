"""The buyer and renter lists as csv and xlsx (docs/rules/housing-reports.md)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from registry_api.deps import PiiCipherDep
from registry_api.housing_report.errors import ReportPeriodInvalid
from registry_api.housing_report.permissions import ReportsRead
from registry_api.housing_report.service import (
    Period,
    ReportKind,
    housing_report_service,
    quarter_period,
    year_period,
)
from servicekit.errors import error_responses
from servicekit.pii import PiiCipher
from servicekit.principal import Principal
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/housing-reports", tags=["housing-reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Year = Annotated[int, Query(ge=2000, le=2100, description="Calendar year, 2024 to this year.")]
Quarter = Annotated[int, Query(ge=1, le=4)]
ProjectFilter = Annotated[uuid.UUID | None, Query(description="Only this project.")]
CSV_RESPONSES = {200: {"content": {"text/csv": {}}}, **error_responses(ReportPeriodInvalid)}
XLSX_RESPONSES = {200: {"content": {XLSX: {}}}, **error_responses(ReportPeriodInvalid)}


async def _stream(
    request: Request,
    session: SessionDep,
    caller: Principal,
    cipher: PiiCipher,
    kind: ReportKind,
    period: Period,
    project_id: uuid.UUID | None,
    fmt: str,
) -> StreamingResponse:
    await housing_report_service.audit(session, caller, kind, period, fmt)
    rows = housing_report_service.rows(
        request.app.state.sessionmaker, caller, kind, period, project_id, cipher
    )
    name = f"{kind.value.replace('_', '-')}-{period.label}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    if fmt == "csv":
        return StreamingResponse(
            housing_report_service.csv(kind, rows), media_type="text/csv; charset=utf-8", headers=headers
        )
    return StreamingResponse(
        housing_report_service.xlsx(kind, period, rows), media_type=XLSX, headers=headers
    )


@router.get("/ministry-quarterly.csv", response_class=StreamingResponse, responses=CSV_RESPONSES)
async def ministry_quarterly_csv(
    request: Request,
    session: SessionDep,
    caller: ReportsRead,
    cipher: PiiCipherDep,
    year: Year,
    quarter: Quarter,
    project_id: ProjectFilter = None,
) -> StreamingResponse:
    """The quarter's buyers and renters per project for the Ministry of Construction (Decree
    94/2024/NĐ-CP): every contract signed in the quarter, then every resale bought by a person, of your
    area, ordered by project. Carries the **full citizen IDs** of buyers and spouses (the Ministry
    screens the national list for people already supported); each export is audited. UTF-8 with BOM,
    semicolons. Province officers and auditors only."""
    period = quarter_period(year, quarter)
    return await _stream(
        request, session, caller, cipher, ReportKind.MINISTRY_QUARTERLY, period, project_id, "csv"
    )


@router.get("/ministry-quarterly.xlsx", response_class=StreamingResponse, responses=XLSX_RESPONSES)
async def ministry_quarterly_xlsx(
    request: Request,
    session: SessionDep,
    caller: ReportsRead,
    cipher: PiiCipherDep,
    year: Year,
    quarter: Quarter,
    project_id: ProjectFilter = None,
) -> StreamingResponse:
    """The same list as ministry-quarterly.csv, as an Excel workbook (one sheet named by the quarter)."""
    period = quarter_period(year, quarter)
    return await _stream(
        request, session, caller, cipher, ReportKind.MINISTRY_QUARTERLY, period, project_id, "xlsx"
    )


@router.get("/published-yearly.csv", response_class=StreamingResponse, responses=CSV_RESPONSES)
async def published_yearly_csv(
    request: Request,
    session: SessionDep,
    caller: ReportsRead,
    cipher: PiiCipherDep,
    year: Year,
    project_id: ProjectFilter = None,
) -> StreamingResponse:
    """The year's list of buyers and renters to publish (Directive 34/CT-TTg; Decree 94/2024/NĐ-CP):
    project, kind, name, birth year, **masked** citizen ID, commune of residence, date. No prices,
    units or contract numbers. Audited. Province officers and auditors only."""
    period = year_period(year)
    return await _stream(
        request, session, caller, cipher, ReportKind.PUBLISHED_YEARLY, period, project_id, "csv"
    )


@router.get("/published-yearly.xlsx", response_class=StreamingResponse, responses=XLSX_RESPONSES)
async def published_yearly_xlsx(
    request: Request,
    session: SessionDep,
    caller: ReportsRead,
    cipher: PiiCipherDep,
    year: Year,
    project_id: ProjectFilter = None,
) -> StreamingResponse:
    """The same list as published-yearly.csv, as an Excel workbook."""
    period = year_period(year)
    return await _stream(
        request, session, caller, cipher, ReportKind.PUBLISHED_YEARLY, period, project_id, "xlsx"
    )

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from funding_api.capital_report.permissions import CapitalReportRead
from funding_api.capital_report.schemas import CapitalReport
from funding_api.capital_report.service import capital_report_service, report_csv, report_xlsx
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/reports/capital-mobilisation", tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FiscalYear = Annotated[int | None, Query(ge=2000, le=2100, description="Only this fiscal year.")]


def _attachment(name: str, fiscal_year: int | None) -> dict[str, str]:
    suffix = f"_{fiscal_year}" if fiscal_year else ""
    return {"Content-Disposition": f'attachment; filename="huy_dong_von{suffix}.{name}"'}


@router.get("", response_model=CapitalReport)
async def get_capital_mobilisation(
    session: SessionDep, caller: CapitalReportRead, fiscal_year: FiscalYear = None
) -> CapitalReport:
    """Capital mobilised in the provinces you cover, by source and fiscal year, against plan:
    pledged and appropriated (the plan), received, allocated and disbursed, each net of reversals.
    Ledger amounts count in the year of their booking date; plans in their fiscal year."""
    return await capital_report_service.report(session, caller, fiscal_year)


@router.get(".csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}})
async def export_capital_mobilisation_csv(
    session: SessionDep, caller: CapitalReportRead, fiscal_year: FiscalYear = None
) -> Response:
    """The same report as csv (semicolons, UTF-8 with BOM)."""
    report = await capital_report_service.report(session, caller, fiscal_year)
    return Response(
        report_csv(report), media_type="text/csv; charset=utf-8", headers=_attachment("csv", fiscal_year)
    )


@router.get(".xlsx", response_class=Response, responses={200: {"content": {XLSX: {}}}})
async def export_capital_mobilisation_xlsx(
    session: SessionDep, caller: CapitalReportRead, fiscal_year: FiscalYear = None
) -> Response:
    """The same report as an Excel workbook (a sheet by source and year, a sheet of yearly totals)."""
    report = await capital_report_service.report(session, caller, fiscal_year)
    return Response(report_xlsx(report), media_type=XLSX, headers=_attachment("xlsx", fiscal_year))

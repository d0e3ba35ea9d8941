"""Capital mobilised by source and fiscal year against plan, and its csv and xlsx exports."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.capital_report.repository import CapitalReportRepository
from funding_api.capital_report.schemas import CapitalReport, CapitalRow, CapitalYearTotal
from funding_api.models import FundingSourceKind, LedgerAccountKind
from servicekit.principal import Principal

HEADINGS = [
    "Nguồn vốn",
    "Loại nguồn",
    "Tỉnh",
    "Năm",
    "Cam kết (VND)",
    "Dự toán giao (VND)",
    "Kế hoạch (VND)",
    "Đã tiếp nhận (VND)",
    "Đã phân bổ (VND)",
    "Đã giải ngân (VND)",
]


def _values(row: CapitalRow) -> list[object]:
    return [
        row.source_name,
        row.source_kind.value,
        row.province_code,
        row.fiscal_year,
        row.pledged_vnd,
        row.appropriated_vnd,
        row.planned_vnd,
        row.received_vnd,
        row.allocated_vnd,
        row.disbursed_vnd,
    ]


class CapitalReportService:
    async def report(
        self, session: AsyncSession, caller: Principal, fiscal_year: int | None
    ) -> CapitalReport:
        repo = CapitalReportRepository(session)
        cells: dict[tuple[uuid.UUID, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for source_id, year, pledged, appropriated in await repo.plan(caller.area, fiscal_year):
            cells[(source_id, year)]["pledged"] += pledged
            cells[(source_id, year)]["appropriated"] += appropriated
        for source_id, year, kind, debit_balance in await repo.flows(caller.area, fiscal_year):
            cell = cells[(source_id, year)]
            if kind == LedgerAccountKind.SOURCE_INFLOW.value:
                cell["received"] += -debit_balance
            elif kind == LedgerAccountKind.ALLOCATION.value:
                cell["allocated"] += debit_balance
            elif kind == LedgerAccountKind.DISBURSED.value:
                cell["allocated"] += debit_balance
                cell["disbursed"] += debit_balance
        sources = await repo.sources(sorted({source_id for source_id, _ in cells}))
        rows = [
            CapitalRow(
                source_id=source_id,
                source_name=sources[source_id].name,
                source_kind=FundingSourceKind(sources[source_id].kind),
                province_code=sources[source_id].province_code,
                fiscal_year=year,
                pledged_vnd=cell["pledged"],
                appropriated_vnd=cell["appropriated"],
                planned_vnd=cell["pledged"] + cell["appropriated"],
                received_vnd=cell["received"],
                allocated_vnd=cell["allocated"],
                disbursed_vnd=cell["disbursed"],
            )
            for (source_id, year), cell in cells.items()
        ]
        rows.sort(key=lambda r: (r.fiscal_year, r.province_code, r.source_kind.value, r.source_name))
        totals: dict[int, CapitalYearTotal] = {}
        for row in rows:
            total = totals.setdefault(
                row.fiscal_year,
                CapitalYearTotal(
                    fiscal_year=row.fiscal_year,
                    planned_vnd=0,
                    received_vnd=0,
                    allocated_vnd=0,
                    disbursed_vnd=0,
                ),
            )
            total.planned_vnd += row.planned_vnd
            total.received_vnd += row.received_vnd
            total.allocated_vnd += row.allocated_vnd
            total.disbursed_vnd += row.disbursed_vnd
        return CapitalReport(rows=rows, totals=[totals[y] for y in sorted(totals)])


def report_csv(report: CapitalReport) -> bytes:
    """Semicolon-separated, UTF-8 with BOM (as Excel in Vietnam opens it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for row in report.rows:
        writer.writerow(_values(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_xlsx(report: CapitalReport) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Huy động vốn")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, HEADINGS, bold)
    for index, row in enumerate(report.rows, start=1):
        values = _values(row)
        sheet.write_row(index, 0, values[:4])
        sheet.write_row(index, 4, values[4:], money)
    sheet.set_column(0, 0, 40)
    sheet.set_column(4, 9, 20)
    totals = workbook.add_worksheet("Tổng theo năm")
    totals.write_row(
        0, 0, ["Năm", "Kế hoạch (VND)", "Đã tiếp nhận (VND)", "Đã phân bổ (VND)", "Đã giải ngân (VND)"], bold
    )
    for index, total in enumerate(report.totals, start=1):
        totals.write(index, 0, total.fiscal_year)
        totals.write_row(
            index, 1, [total.planned_vnd, total.received_vnd, total.allocated_vnd, total.disbursed_vnd], money
        )
    workbook.close()
    return buffer.getvalue()


capital_report_service = CapitalReportService()

"""The yearly projection as csv or xlsx (one row per year, a column per kind and purpose)."""

from __future__ import annotations

import csv
import io

import xlsxwriter  # type: ignore[import-untyped]

from funding_api.housing_fund.schemas import FundProjection

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table(projection: FundProjection) -> list[list[object]]:
    kinds = sorted({k for y in projection.years for k in y.inflows_by_kind})
    purposes = sorted({p for y in projection.years for p in y.outflows_by_purpose})
    header: list[object] = [
        "year",
        "expected_inflow_vnd",
        "expected_outflow_vnd",
        "projected_closing_balance_vnd",
        "shortfall",
        *(f"inflow:{k}" for k in kinds),
        *(f"outflow:{p}" for p in purposes),
    ]
    rows: list[list[object]] = [header]
    for y in projection.years:
        rows.append(
            [
                y.year,
                y.expected_inflow_vnd,
                y.expected_outflow_vnd,
                y.projected_closing_balance_vnd,
                "yes" if y.shortfall else "no",
                *(y.inflows_by_kind.get(k, 0) for k in kinds),
                *(y.outflows_by_purpose.get(p, 0) for p in purposes),
            ]
        )
    return rows


def projection_csv(projection: FundProjection) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_table(projection))
    # A BOM so spreadsheet programs read the Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode()


def projection_xlsx(projection: FundProjection) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("projection")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, ["province_code", projection.province_code, "as_of", projection.as_of.isoformat()])
    sheet.write_row(
        1,
        0,
        [
            "method",
            projection.method,
            "basis_years",
            ", ".join(str(y) for y in projection.basis_years),
            "opening_balance_vnd",
            projection.opening_balance_vnd,
        ],
    )
    for index, row in enumerate(_table(projection)):
        if index == 0:
            sheet.write_row(3, 0, row, bold)
        else:
            sheet.write_row(3 + index, 0, row, money)
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 20, 22)
    workbook.close()
    return buffer.getvalue()

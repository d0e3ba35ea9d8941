"""The buyer and renter lists (domain.md §8; docs/rules/housing-reports.md): the quarterly list per
project sent to the Ministry of Construction (Decree 94/2024/NĐ-CP) and the yearly published list
(Directive 34/CT-TTg), streamed as csv or xlsx in constant memory, each export audited.

The Ministry list carries the full citizen IDs (the Ministry screens the national list for people
already supported, which needs the identifier); the published list masks them.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.housing_report.errors import ReportPeriodInvalid
from registry_api.housing_report.repository import Key, ListedRow, ReportRepository
from registry_api.models import AuditRecord
from registry_api.person.service import decrypt_citizen_id, local_today
from registry_api.spreadsheet import SheetRowsWriter
from servicekit.audit import record_access
from servicekit.errors import FieldError
from servicekit.pii import PiiCipher
from servicekit.principal import Principal

BATCH = 500
FIRST_YEAR = 2024  # HL2023 in force 1/8/2024; earlier contracts are not in this registry

KIND_WORDS = {"sale": "Mua", "lease_purchase": "Thuê mua", "rent": "Thuê", "resale": "Mua lại (bán lại)"}

MINISTRY_HEADINGS = [
    "STT",
    "Mã tỉnh",
    "Mã dự án",
    "Tên dự án",
    "Chủ đầu tư",
    "Mã xã (dự án)",
    "Hình thức",
    "Số hợp đồng",
    "Ngày ký / ngày mua",
    "Ngày thanh toán đủ",
    "Họ và tên",
    "Ngày sinh",
    "Số định danh cá nhân",
    "Họ và tên vợ/chồng",
    "Số định danh vợ/chồng",
    "Nhóm đối tượng (Điều 76 Luật Nhà ở)",
    "Mã xã (nơi cư trú)",
    "Căn hộ",
    "Giá (đồng)",
]

PUBLISHED_HEADINGS = [
    "STT",
    "Tên dự án",
    "Chủ đầu tư",
    "Mã xã (dự án)",
    "Hình thức",
    "Họ và tên",
    "Năm sinh",
    "Số định danh cá nhân (che)",
    "Mã xã (nơi cư trú)",
    "Ngày ký / ngày mua",
]


class ReportKind(StrEnum):
    MINISTRY_QUARTERLY = "ministry_quarterly"
    PUBLISHED_YEARLY = "published_yearly"


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str


def quarter_period(year: int, quarter: int) -> Period:
    _check_year(year)
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period(start, date.fromordinal(end.toordinal() - 1), f"{year}-Q{quarter}")


def year_period(year: int) -> Period:
    _check_year(year)
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def _check_year(year: int) -> None:
    if year < FIRST_YEAR or year > local_today().year:
        raise ReportPeriodInvalid(
            f"Reports cover {FIRST_YEAR} to this year.",
            errors=[FieldError(pointer="/query/year", code="year_out_of_range", message="out of range")],
        )


def _dmy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def ministry_row(number: int, row: ListedRow, cipher: PiiCipher) -> list[Any]:
    spouse = row.spouse
    return [
        number,
        row.project.province_code,
        str(row.project.id),
        row.project.name,
        row.project.investor,
        row.project.commune_code or "",
        KIND_WORDS["resale" if row.source == "resale" else row.contract.kind],
        row.contract.contract_number,
        _dmy(row.on),
        _dmy(row.contract.fully_paid_on) if row.source == "contract" else "",
        row.person.full_name,
        _dmy(row.person.date_of_birth) or str(row.person.birth_year),
        decrypt_citizen_id(row.person, cipher) or "",
        spouse.full_name if spouse else "",
        (decrypt_citizen_id(spouse, cipher) or "") if spouse else "",
        row.group_clause or "",
        row.person.commune_code or "",
        row.contract.unit_ref,
        row.price_vnd,
    ]


def published_row(number: int, row: ListedRow) -> list[Any]:
    return [
        number,
        row.project.name,
        row.project.investor,
        row.project.commune_code or "",
        KIND_WORDS["resale" if row.source == "resale" else row.contract.kind],
        row.person.full_name,
        row.person.birth_year,
        row.person.citizen_id_masked or "",
        row.person.commune_code or "",
        _dmy(row.on),
    ]


Fetch = Callable[[ReportRepository, Key | None], Awaitable[list[ListedRow]]]


class HousingReportService:
    async def audit(
        self, session: AsyncSession, caller: Principal, kind: ReportKind, period: Period, fmt: str
    ) -> None:
        """An export reads many persons at once (the Ministry list, their full citizen IDs): recorded."""
        await record_access(
            session,
            AuditRecord,
            action="export",
            resource_type="housing_report",
            resource_id=f"{kind.value}:{period.label}",
            province_code=None,
            commune_code=None,
            detail={"report": kind.value, "period": period.label, "format": fmt, "subject": caller.subject},
        )

    async def rows(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        caller: Principal,
        kind: ReportKind,
        period: Period,
        project_id: uuid.UUID | None,
        cipher: PiiCipher,
    ) -> AsyncIterator[list[Any]]:
        """The contracts of the period per project, then the resales bought by persons per project."""

        def contracts(repo: ReportRepository, after: Key | None) -> Awaitable[list[ListedRow]]:
            return repo.contracts(
                caller.area,
                start=period.start,
                end=period.end,
                project_id=project_id,
                after=after,
                limit=BATCH,
            )

        def resales(repo: ReportRepository, after: Key | None) -> Awaitable[list[ListedRow]]:
            return repo.resales(
                caller.area,
                start=period.start,
                end=period.end,
                project_id=project_id,
                after=after,
                limit=BATCH,
            )

        number = 0
        for fetch in (contracts, resales):
            after: Key | None = None
            while True:
                async with sessionmaker() as session:
                    batch = await fetch(ReportRepository(session), after)
                for row in batch:
                    number += 1
                    if kind is ReportKind.MINISTRY_QUARTERLY:
                        yield ministry_row(number, row, cipher)
                    else:
                        yield published_row(number, row)
                if len(batch) < BATCH:
                    break
                after = batch[-1].key

    @staticmethod
    def headings(kind: ReportKind) -> list[str]:
        return MINISTRY_HEADINGS if kind is ReportKind.MINISTRY_QUARTERLY else PUBLISHED_HEADINGS

    async def csv(self, kind: ReportKind, rows: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
        """UTF-8 with BOM and semicolons, as the household export."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.headings(kind))
        yield ("\ufeff" + buffer.getvalue()).encode()
        async for values in rows:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(values)
            yield buffer.getvalue().encode()

    async def xlsx(
        self, kind: ReportKind, period: Period, rows: AsyncIterator[list[Any]]
    ) -> AsyncIterator[bytes]:
        """Written row by row to a temporary file (constant memory), then streamed and deleted."""
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
            # A province's yearly list stays far below a sheet, but a longer one goes on in
            # "<period> (2)" rather than losing rows.
            sheet = SheetRowsWriter(workbook, period.label, self.headings(kind))
            async for values in rows:
                sheet.write(values)
            workbook.close()
            with open(path, "rb") as stream:  # noqa: ASYNC230 - a local temporary file
                while chunk := stream.read(64 * 1024):
                    yield chunk
        finally:
            os.unlink(path)


housing_report_service = HousingReportService()

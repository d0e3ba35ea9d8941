"""The bank's reconciliation totals against the mirror, and the VBSP indicators (JSON, csv, xlsx)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, datetime

import xlsxwriter  # type: ignore[import-untyped]
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.derive import VIETNAM, local_date, local_day_end
from funding_api.loan.errors import LoanAreaNotCovered, LoanReconciliationNotFound
from funding_api.loan.repository import (
    LoanExceptionRepository,
    LoanFiguresRepository,
    LoanReconciliationRepository,
    ReferenceRepository,
)
from funding_api.loan.schemas import (
    LoanDifference,
    LoanReconciliationCreate,
    LoanReconciliationReport,
    Totals,
    VbspIndicators,
)
from funding_api.loan.service import SERVICE
from funding_api.models import LoanReconciliation, OutboxEvent
from servicekit import outbox
from servicekit.pagination import PageParams
from servicekit.principal import Principal

MAX_LOAN_DIFFERENCES = 200


class LoanReportService:
    # ------------------------------------------------------------------------------------ reconciliation

    async def post_reconciliation(
        self, session: AsyncSession, caller: Principal, data: LoanReconciliationCreate
    ) -> LoanReconciliationReport:
        if not caller.covers(data.province_code, None):
            raise LoanAreaNotCovered(f"You do not cover province {data.province_code}.")
        row = await LoanReconciliationRepository(session).add(
            LoanReconciliation(
                province_code=data.province_code,
                as_of=data.as_of,
                loan_count=data.loan_count,
                outstanding_vnd=data.outstanding_vnd,
                disbursed_vnd=data.disbursed_vnd,
                bank_loans=[loan.model_dump() for loan in data.loans],
                posted_by=caller.subject,
            )
        )
        report = await self.report(session, row)
        await outbox.emit(
            session,
            OutboxEvent,
            type="loan_reconciliation.posted",
            subject=outbox.urn(SERVICE, "loan-reconciliation", row.id),
            area_codes=[row.province_code],
            data={"reconciliation_id": row.id, "as_of": row.as_of, "matches": report.matches},
        )
        return report

    async def get_reconciliation(
        self, session: AsyncSession, caller: Principal, rec_id: uuid.UUID
    ) -> LoanReconciliationReport:
        row = await LoanReconciliationRepository(session).get_in_area(rec_id, caller.area)
        if row is None:
            raise LoanReconciliationNotFound(f"No reconciliation {rec_id} in your area.")
        return await self.report(session, row)

    async def list_reconciliations(
        self, session: AsyncSession, caller: Principal, params: PageParams
    ) -> tuple[list[LoanReconciliation], str | None]:
        return await LoanReconciliationRepository(session).list_in_area(params, area=caller.area)

    async def report(self, session: AsyncSession, row: LoanReconciliation) -> LoanReconciliationReport:
        """The bank's totals against the mirror now (late events make the mirror catch up)."""
        figures = LoanFiguresRepository(session)
        until = local_day_end(row.as_of)
        count, outstanding, disbursed = await figures.totals_until(row.province_code, until)
        bank = Totals(
            loan_count=row.loan_count, outstanding_vnd=row.outstanding_vnd, disbursed_vnd=row.disbursed_vnd
        )
        mirror = Totals(loan_count=count, outstanding_vnd=outstanding, disbursed_vnd=disbursed)
        differences = {
            name: getattr(bank, name) - getattr(mirror, name)
            for name in ("loan_count", "outstanding_vnd", "disbursed_vnd")
            if getattr(bank, name) != getattr(mirror, name)
        }
        loan_differences: list[LoanDifference] = []
        truncated = False
        if row.bank_loans:
            listed = {str(item["loan_ref"]): int(item["outstanding_vnd"]) for item in row.bank_loans}
            refs = sorted(listed)
            mirrored = await figures.balances_of(row.province_code, until, refs)
            for ref in refs:
                ours = mirrored.get(ref)
                if ours != listed[ref]:
                    loan_differences.append(
                        LoanDifference(
                            loan_ref=ref, bank_outstanding_vnd=listed[ref], mirror_outstanding_vnd=ours
                        )
                    )
            extra = await figures.unlisted_with_balance(
                row.province_code, until, refs, MAX_LOAN_DIFFERENCES + 1
            )
            loan_differences.extend(
                LoanDifference(loan_ref=ref, bank_outstanding_vnd=None, mirror_outstanding_vnd=value)
                for ref, value in extra
            )
            truncated = len(loan_differences) > MAX_LOAN_DIFFERENCES
            loan_differences = loan_differences[:MAX_LOAN_DIFFERENCES]
        return LoanReconciliationReport(
            id=row.id,
            province_code=row.province_code,
            as_of=row.as_of,
            bank=bank,
            mirror=mirror,
            differences=differences,
            loan_differences=loan_differences,
            loan_differences_truncated=truncated,
            matches=not differences and not loan_differences,
            created_at=row.created_at,
        )

    # ------------------------------------------------------------------------------------ indicators

    async def indicators(
        self, session: AsyncSession, caller: Principal, *, province_code: str, year: int | None
    ) -> VbspIndicators:
        if not caller.covers(province_code, None):
            raise LoanAreaNotCovered(f"You do not cover province {province_code}.")
        today = local_date(datetime.now(VIETNAM))
        year = year or today.year
        figures = LoanFiguresRepository(session)
        now = await figures.current_indicators(province_code)
        start = datetime(year, 1, 1, tzinfo=VIETNAM)
        end = datetime(year + 1, 1, 1, tzinfo=VIETNAM)
        disbursed = await figures.disbursed_between(province_code, start, end)
        plan = await ReferenceRepository(session).plan_for(province_code, year)
        planned = plan.planned_disbursement_vnd if plan else None
        outstanding = now["outstanding_vnd"]
        return VbspIndicators(
            province_code=province_code,
            year=year,
            as_of=today,
            outstanding_vnd=outstanding,
            loans_outstanding=now["loans_outstanding"],
            borrowers=now["borrowers"],
            disbursed_in_year_vnd=disbursed,
            planned_disbursement_vnd=planned,
            disbursed_against_plan_pct=round(disbursed * 100 / planned, 2) if planned else None,
            overdue_vnd=now["overdue_vnd"],
            overdue_ratio_pct=round(now["overdue_vnd"] * 100 / outstanding, 2) if outstanding > 0 else None,
            eligibility_pending=now["eligibility_pending"],
            open_exceptions=await LoanExceptionRepository(session).count_open(province_code),
        )


# ---------------------------------------------------------------------------------------- exports

INDICATOR_LABELS = [
    ("province_code", "Tỉnh/thành (mã)"),
    ("year", "Năm"),
    ("as_of", "Số liệu đến ngày"),
    ("outstanding_vnd", "Dư nợ (VND)"),
    ("loans_outstanding", "Số món vay còn dư nợ"),
    ("borrowers", "Số khách hàng còn dư nợ"),
    ("disbursed_in_year_vnd", "Doanh số cho vay trong năm (VND)"),
    ("planned_disbursement_vnd", "Kế hoạch cho vay năm (VND)"),
    ("disbursed_against_plan_pct", "Tỷ lệ thực hiện kế hoạch (%)"),
    ("overdue_vnd", "Nợ quá hạn (VND)"),
    ("overdue_ratio_pct", "Tỷ lệ nợ quá hạn (%)"),
    ("eligibility_pending", "Khoản vay chờ xác nhận đối tượng"),
    ("open_exceptions", "Ngoại lệ chưa xử lý"),
]


def _cell(value: object) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    return str(value)


def indicators_csv(report: VbspIndicators) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs read the Vietnamese labels right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["indicator", "label", "value"])
    for key, label in INDICATOR_LABELS:
        writer.writerow([key, label, _cell(getattr(report, key))])
    return ("\ufeff" + buffer.getvalue()).encode()


def indicators_xlsx(report: VbspIndicators) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("VBSP")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    sheet.write_row(0, 0, ["Chỉ tiêu", "Mã", "Giá trị"], bold)
    for row, (key, label) in enumerate(INDICATOR_LABELS, start=1):
        value = _cell(getattr(report, key))
        sheet.write_string(row, 0, label)
        sheet.write_string(row, 1, key)
        if isinstance(value, int | float) and key.endswith("_vnd"):
            sheet.write_number(row, 2, value, money)
        elif isinstance(value, int | float):
            sheet.write_number(row, 2, value)
        else:
            sheet.write_string(row, 2, value)
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 20)
    workbook.close()
    return buffer.getvalue()


loan_report_service = LoanReportService()

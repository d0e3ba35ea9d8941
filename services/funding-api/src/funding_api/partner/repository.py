"""Aggregates for the partner statistics, summed in SQL over the caller's area and the period."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.ledger.repository import signed_amount
from funding_api.models import (
    FundingAllocation,
    FundingSource,
    HousingFundMovement,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    LedgerAccountKind,
    Loan,
    LoanEvent,
    LoanEventType,
    MovementDirection,
)
from servicekit.areas import AreaScope

LINE_ACCOUNTS = (LedgerAccountKind.ALLOCATION.value, LedgerAccountKind.DISBURSED.value)


def _signed_movement() -> ColumnElement[int]:
    return case(
        (HousingFundMovement.direction == MovementDirection.INFLOW.value, HousingFundMovement.amount_vnd),
        else_=-HousingFundMovement.amount_vnd,
    )


class PartnerStatisticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def capital(self, area: AreaScope, start: date, end: date) -> list[tuple[str, str, int, int, int]]:
        """(source kind, province, received, allocated, disbursed) booked from `start` to `end`."""
        kind = LedgerAccount.kind
        amount = signed_amount()
        stmt = (
            select(
                FundingSource.kind,
                LedgerAccount.province_code,
                func.coalesce(func.sum(-amount).filter(kind == LedgerAccountKind.SOURCE_INFLOW.value), 0),
                func.coalesce(func.sum(amount).filter(kind.in_(LINE_ACCOUNTS)), 0),
                func.coalesce(func.sum(amount).filter(kind == LedgerAccountKind.DISBURSED.value), 0),
            )
            .select_from(JournalLine)
            .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(FundingSource, FundingSource.id == LedgerAccount.source_id)
            .where(
                area.province_filter(LedgerAccount.province_code),
                JournalEntry.booked_on >= start,
                JournalEntry.booked_on <= end,
            )
            .group_by(FundingSource.kind, LedgerAccount.province_code)
            .order_by(LedgerAccount.province_code, FundingSource.kind)
        )
        return [
            (str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in await self.session.execute(stmt)
        ]

    async def allocations(
        self, area: AreaScope, start: date, end: date, *, by_commune: bool
    ) -> list[tuple[str, str | None, int, int, int]]:
        """(stream, area code, lines, allocated, disbursed) of the funding lines with money booked in the
        period, per commune (or province)."""
        a = FundingAllocation
        code: Any = a.commune_code if by_commune else a.province_code
        amount = signed_amount()
        stmt = (
            select(
                a.target_kind,
                code,
                func.count(distinct(a.id)),
                func.coalesce(func.sum(amount), 0),
                func.coalesce(
                    func.sum(amount).filter(LedgerAccount.kind == LedgerAccountKind.DISBURSED.value), 0
                ),
            )
            .select_from(JournalLine)
            .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(a, a.id == LedgerAccount.allocation_id)
            .where(
                LedgerAccount.kind.in_(LINE_ACCOUNTS),
                area.sql_filter(a.province_code, a.commune_code),
                JournalEntry.booked_on >= start,
                JournalEntry.booked_on <= end,
            )
            .group_by(a.target_kind, code)
            .order_by(a.target_kind, code.nulls_last())
        )
        rows = await self.session.execute(stmt)
        return [(str(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]

    async def loans(
        self, area: AreaScope, start: datetime, end: datetime, *, by_commune: bool
    ) -> list[tuple[str, str | None, int, int]]:
        """(purpose, area code, loans, disbursed) of the loans disbursed from `start` to before `end`."""
        code: Any = Loan.commune_code if by_commune else Loan.province_code
        stmt = (
            select(
                Loan.purpose,
                code,
                func.count(distinct(Loan.id)),
                func.coalesce(func.sum(LoanEvent.amount_vnd), 0),
            )
            .select_from(LoanEvent)
            .join(Loan, Loan.id == LoanEvent.loan_id)
            .where(
                LoanEvent.event_type == LoanEventType.DISBURSED.value,
                LoanEvent.occurred_at >= start,
                LoanEvent.occurred_at < end,
                area.sql_filter(Loan.province_code, Loan.commune_code),
            )
            .group_by(Loan.purpose, code)
            .order_by(Loan.purpose, code.nulls_last())
        )
        return [(str(r[0]), r[1], int(r[2]), int(r[3])) for r in await self.session.execute(stmt)]

    async def fund_balances(self, area: AreaScope, before: date) -> dict[str, int]:
        """Each province's housing-fund balance from the movements before `before`."""
        m = HousingFundMovement
        stmt = (
            select(m.province_code, func.coalesce(func.sum(_signed_movement()), 0))
            .where(area.province_filter(m.province_code), m.occurred_on < before)
            .group_by(m.province_code)
        )
        return {str(r[0]): int(r[1]) for r in await self.session.execute(stmt)}

    async def fund_movements(
        self, area: AreaScope, start: date, end: date
    ) -> list[tuple[str, str, str, int]]:
        """(province, category, direction, amount) moved from `start` to `end`."""
        m = HousingFundMovement
        stmt = (
            select(m.province_code, m.category, m.direction, func.sum(m.amount_vnd))
            .where(area.province_filter(m.province_code), m.occurred_on >= start, m.occurred_on <= end)
            .group_by(m.province_code, m.category, m.direction)
            .order_by(m.province_code, m.category, m.direction)
        )
        return [(str(r[0]), str(r[1]), str(r[2]), int(r[3])) for r in await self.session.execute(stmt)]

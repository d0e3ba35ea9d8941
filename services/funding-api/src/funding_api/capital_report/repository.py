"""Aggregates for the capital report: summed in SQL, one row per source and year."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, cast, extract, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.ledger.repository import signed_amount
from funding_api.models import (
    CommitmentKind,
    FundingCommitment,
    FundingSource,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from servicekit.areas import AreaScope


class CapitalReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plan(
        self, area: AreaScope, fiscal_year: int | None
    ) -> Sequence[tuple[uuid.UUID, int, int, int]]:
        """(source, year, pledged, appropriated)."""
        c = FundingCommitment
        pledged = func.coalesce(func.sum(c.amount_vnd).filter(c.kind == CommitmentKind.PLEDGE.value), 0)
        appropriated = func.coalesce(
            func.sum(c.amount_vnd).filter(c.kind == CommitmentKind.APPROPRIATION.value), 0
        )
        stmt = select(c.source_id, c.fiscal_year, pledged, appropriated).where(
            area.province_filter(c.province_code)
        )
        if fiscal_year is not None:
            stmt = stmt.where(c.fiscal_year == fiscal_year)
        stmt = stmt.group_by(c.source_id, c.fiscal_year)
        return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in await self.session.execute(stmt)]

    async def flows(
        self, area: AreaScope, fiscal_year: int | None
    ) -> Sequence[tuple[uuid.UUID, int, str, int]]:
        """(source, year, account kind, debits minus credits) over the journal."""
        year: ColumnElement[int] = cast(extract("year", JournalEntry.booked_on), Integer)
        stmt = (
            select(LedgerAccount.source_id, year, LedgerAccount.kind, func.sum(signed_amount()))
            .select_from(JournalLine)
            .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(area.province_filter(LedgerAccount.province_code))
        )
        if fiscal_year is not None:
            stmt = stmt.where(year == fiscal_year)
        stmt = stmt.group_by(LedgerAccount.source_id, year, LedgerAccount.kind)
        return [(r[0], int(r[1]), str(r[2]), int(r[3])) for r in await self.session.execute(stmt)]

    async def sources(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, FundingSource]:
        if not ids:
            return {}
        stmt = select(FundingSource).where(FundingSource.id.in_(ids))
        return {s.id: s for s in (await self.session.execute(stmt)).scalars()}

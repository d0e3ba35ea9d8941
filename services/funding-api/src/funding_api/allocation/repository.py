"""SQL of funding lines; their amounts are summed from the ledger's lines, never stored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select

from funding_api.ledger.repository import signed_amount
from funding_api.models import FundingAllocation, FundingSource, JournalLine, LedgerAccount, LedgerAccountKind
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


@dataclass(frozen=True, slots=True)
class FundingLineAmounts:
    allocation: FundingAllocation
    source_kind: str
    amount_vnd: int
    disbursed_vnd: int


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """Province officers see their provinces' lines, commune officers only their communes'."""
    return area.sql_filter(FundingAllocation.province_code, FundingAllocation.commune_code)


class AllocationRepository(RepositoryBase[FundingAllocation]):
    model = FundingAllocation

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> FundingAllocation | None:
        return await self.get(id_, in_area(area))

    async def list_allocations(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        source_id: uuid.UUID | None = None,
        support_case_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
        target_kind: str | None = None,
    ) -> tuple[list[FundingAllocation], str | None]:
        stmt = select(FundingAllocation).where(in_area(area))
        if source_id is not None:
            stmt = stmt.where(FundingAllocation.source_id == source_id)
        if support_case_id is not None:
            stmt = stmt.where(FundingAllocation.support_case_id == support_case_id)
        if project_id is not None:
            stmt = stmt.where(FundingAllocation.project_id == project_id)
        if target_kind is not None:
            stmt = stmt.where(FundingAllocation.target_kind == target_kind)
        return await self.paginate(stmt, params)

    async def any_for_support_case(self, support_case_id: uuid.UUID) -> bool:
        stmt = (
            select(FundingAllocation.id).where(FundingAllocation.support_case_id == support_case_id).limit(1)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get_source(self, source_id: uuid.UUID) -> FundingSource | None:
        return await self.session.get(FundingSource, source_id)

    async def add_accounts(self, allocation: FundingAllocation) -> tuple[LedgerAccount, LedgerAccount]:
        """The line's two accounts: what is allocated and not yet paid, and what was paid out."""
        open_account = LedgerAccount(
            kind=LedgerAccountKind.ALLOCATION.value,
            source_id=allocation.source_id,
            allocation_id=allocation.id,
            province_code=allocation.province_code,
        )
        paid_account = LedgerAccount(
            kind=LedgerAccountKind.DISBURSED.value,
            source_id=allocation.source_id,
            allocation_id=allocation.id,
            province_code=allocation.province_code,
        )
        self.session.add_all([open_account, paid_account])
        await self.session.flush()
        return open_account, paid_account

    async def accounts_of(self, allocation_id: uuid.UUID) -> tuple[LedgerAccount, LedgerAccount]:
        stmt = select(LedgerAccount).where(LedgerAccount.allocation_id == allocation_id)
        accounts = {a.kind: a for a in (await self.session.execute(stmt)).scalars()}
        return accounts[LedgerAccountKind.ALLOCATION.value], accounts[LedgerAccountKind.DISBURSED.value]

    async def amounts(self, allocations: Sequence[FundingAllocation]) -> list[FundingLineAmounts]:
        """Each line's allocated and disbursed amounts, summed from its two accounts' lines."""
        if not allocations:
            return []
        ids = [a.id for a in allocations]
        sums = (
            select(
                LedgerAccount.allocation_id, LedgerAccount.kind, func.coalesce(func.sum(signed_amount()), 0)
            )
            .join(JournalLine, JournalLine.account_id == LedgerAccount.id, isouter=True)
            .where(LedgerAccount.allocation_id.in_(ids))
            .group_by(LedgerAccount.allocation_id, LedgerAccount.kind)
        )
        balances: dict[tuple[uuid.UUID | None, str], int] = {
            (row[0], row[1]): int(row[2]) for row in await self.session.execute(sums)
        }
        source_ids = {a.source_id for a in allocations}
        source_kinds = select(FundingSource.id, FundingSource.kind).where(FundingSource.id.in_(source_ids))
        kinds = {row[0]: row[1] for row in await self.session.execute(source_kinds)}
        result = []
        for a in allocations:
            open_vnd = balances.get((a.id, LedgerAccountKind.ALLOCATION.value), 0)
            paid_vnd = balances.get((a.id, LedgerAccountKind.DISBURSED.value), 0)
            result.append(FundingLineAmounts(a, kinds[a.source_id], open_vnd + paid_vnd, paid_vnd))
        return result

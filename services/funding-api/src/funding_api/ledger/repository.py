"""SQL of the ledger: accounts, entries, lines, and balances summed from the lines (never stored)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import BigInteger, Column, ColumnElement, MetaData, String, Table, Uuid, case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from funding_api.models import (
    FundingCommitment,
    FundingSource,
    JournalEntry,
    JournalLine,
    LedgerAccount,
    LedgerAccountKind,
    Side,
)
from servicekit.areas import AreaScope
from servicekit.db.base import new_id
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

# The view made by the migration; kept out of the models' metadata so Alembic does not manage it.
account_balance = Table(
    "ledger_account_balance",
    MetaData(),
    Column("account_id", Uuid, primary_key=True),
    Column("kind", String),
    Column("source_id", Uuid),
    Column("allocation_id", Uuid),
    Column("province_code", String),
    Column("debit_vnd", BigInteger),
    Column("credit_vnd", BigInteger),
    Column("balance_vnd", BigInteger),
)


@dataclass(frozen=True, slots=True)
class AccountBalance:
    account: LedgerAccount
    debit_vnd: int
    credit_vnd: int
    balance_vnd: int


def signed_amount() -> ColumnElement[int]:
    """A line as it moves a debit-normal balance: debits add, credits subtract."""
    return case((JournalLine.side == Side.DEBIT.value, JournalLine.amount_vnd), else_=-JournalLine.amount_vnd)


class LedgerRepository(RepositoryBase[JournalEntry]):
    model = JournalEntry

    async def source_account(
        self, source: FundingSource, kind: LedgerAccountKind, *, for_update: bool = False
    ) -> LedgerAccount:
        """The source's account of this kind, created on first use (a race on creation is harmless)."""
        await self.session.execute(
            pg_insert(LedgerAccount)
            .values(id=new_id(), kind=kind.value, source_id=source.id, province_code=source.province_code)
            .on_conflict_do_nothing()
        )
        stmt = select(LedgerAccount).where(
            LedgerAccount.source_id == source.id,
            LedgerAccount.kind == kind.value,
            LedgerAccount.allocation_id.is_(None),
        )
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one()

    async def allocation_account(
        self, allocation_id: uuid.UUID, kind: LedgerAccountKind
    ) -> LedgerAccount | None:
        stmt = select(LedgerAccount).where(
            LedgerAccount.allocation_id == allocation_id, LedgerAccount.kind == kind.value
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def lock_accounts(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, LedgerAccount]:
        """Lock the accounts a posting takes money from, in id order (two postings never deadlock)."""
        stmt = (
            select(LedgerAccount)
            .where(LedgerAccount.id.in_(ids))
            .order_by(LedgerAccount.id)
            .with_for_update()
        )
        return {a.id: a for a in (await self.session.execute(stmt)).scalars()}

    async def debit_balance(self, account_id: uuid.UUID) -> int:
        """Debits minus credits, read after the lock (a fresh snapshot: committed lines of others count)."""
        stmt = select(func.coalesce(func.sum(signed_amount()), 0)).where(JournalLine.account_id == account_id)
        return int((await self.session.execute(stmt)).scalar_one())

    async def get_entry(self, entry_id: uuid.UUID, area: AreaScope) -> JournalEntry | None:
        return await self.get(entry_id, area.province_filter(JournalEntry.province_code))

    async def reversal_of(self, entry_id: uuid.UUID) -> JournalEntry | None:
        stmt = select(JournalEntry).where(JournalEntry.reverses_id == entry_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def lines_of(self, entry_ids: Sequence[uuid.UUID]) -> list[tuple[JournalLine, LedgerAccount]]:
        stmt = (
            select(JournalLine, LedgerAccount)
            .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
            .where(JournalLine.entry_id.in_(entry_ids))
            .order_by(JournalLine.entry_id, JournalLine.side.desc(), JournalLine.id)
        )
        return [(line, account) for line, account in (await self.session.execute(stmt)).all()]

    async def list_entries(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        source_id: uuid.UUID | None,
        allocation_id: uuid.UUID | None,
        kind: str | None,
    ) -> tuple[list[JournalEntry], str | None]:
        stmt = select(JournalEntry).where(area.province_filter(JournalEntry.province_code))
        if source_id is not None:
            stmt = stmt.where(JournalEntry.source_id == source_id)
        if allocation_id is not None:
            stmt = stmt.where(JournalEntry.allocation_id == allocation_id)
        if kind is not None:
            stmt = stmt.where(JournalEntry.kind == kind)
        return await self.paginate(stmt, params)

    async def list_balances(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        source_id: uuid.UUID | None,
        allocation_id: uuid.UUID | None,
        kind: str | None,
    ) -> tuple[list[AccountBalance], str | None]:
        stmt = select(LedgerAccount).where(area.province_filter(LedgerAccount.province_code))
        if source_id is not None:
            stmt = stmt.where(LedgerAccount.source_id == source_id)
        if allocation_id is not None:
            stmt = stmt.where(LedgerAccount.allocation_id == allocation_id)
        if kind is not None:
            stmt = stmt.where(LedgerAccount.kind == kind)
        accounts, next_cursor = await _AccountRepository(self.session).paginate(stmt, params)
        balances = await self.balances_of([a.id for a in accounts])
        return [AccountBalance(a, *balances.get(a.id, (0, 0, 0))) for a in accounts], next_cursor

    async def balances_of(self, account_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, tuple[int, int, int]]:
        if not account_ids:
            return {}
        v = account_balance.c
        stmt = select(v.account_id, v.debit_vnd, v.credit_vnd, v.balance_vnd).where(
            v.account_id.in_(account_ids)
        )
        return {row[0]: (int(row[1]), int(row[2]), int(row[3])) for row in await self.session.execute(stmt)}

    async def get_account(self, account_id: uuid.UUID, area: AreaScope) -> LedgerAccount | None:
        stmt = select(LedgerAccount).where(
            LedgerAccount.id == account_id, area.province_filter(LedgerAccount.province_code)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_source(self, source_id: uuid.UUID) -> FundingSource | None:
        return await self.session.get(FundingSource, source_id)

    async def get_commitment(self, commitment_id: uuid.UUID) -> FundingCommitment | None:
        return await self.session.get(FundingCommitment, commitment_id)


class _AccountRepository(RepositoryBase[LedgerAccount]):
    model = LedgerAccount

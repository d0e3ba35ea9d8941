"""The ledger: every movement of money is one balanced, immutable journal entry.

`post` is the only writer of entries. It locks the accounts the entry draws down (in id order),
re-reads their balances and refuses to take any of them below zero; the database re-checks the
same invariants (triggers), so a bug here, or SQL typed by hand, cannot break them either.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.ledger.errors import (
    AmountExceedsAllocation,
    AmountExceedsAvailable,
    AreaNotCovered,
    CommitmentNotOfSource,
    EntryAlreadyReversed,
    EntryIsReversal,
    FundingSourceMissing,
    LedgerAccountNotFound,
    LedgerEntryNotFound,
    ReversalWouldOverdraw,
    SourceInactive,
)
from funding_api.ledger.repository import AccountBalance, LedgerRepository
from funding_api.ledger.schemas import JournalEntryRead, JournalLineRead, ReceiptCreate, ReversalCreate
from funding_api.models import (
    CREDIT_NORMAL_KINDS,
    FundingSource,
    JournalEntry,
    JournalEntryKind,
    JournalLine,
    LedgerAccount,
    LedgerAccountKind,
    OutboxEvent,
    Side,
)
from servicekit.errors import AppError, FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

SERVICE = "funding"


async def source_for_writing(session: AsyncSession, caller: Principal, source_id: uuid.UUID) -> FundingSource:
    """The source money is booked on: unknown is a 404 (field error), another province's a 403."""
    source = await LedgerRepository(session).get_source(source_id)
    if source is None:
        raise FundingSourceMissing(
            f"No funding source {source_id}.",
            errors=[FieldError(pointer="/source_id", code="not_found", message="No such funding source.")],
        )
    if not caller.area.covers(source.province_code, None):
        raise AreaNotCovered(f"You do not cover province {source.province_code}.")
    return source


@dataclass(frozen=True, slots=True)
class Posting:
    account: LedgerAccount
    side: Side
    amount_vnd: int


def draws_down(posting: Posting) -> bool:
    """Whether the line lowers the account's normal balance."""
    credit_normal = LedgerAccountKind(posting.account.kind) in CREDIT_NORMAL_KINDS
    return (posting.side is Side.CREDIT) != credit_normal


def overdraft_error(kind: LedgerAccountKind, reversal: bool, left_vnd: int) -> AppError:
    errors = [FieldError(pointer="/amount_vnd", code="too_large", message=f"At most {left_vnd} VND.")]
    if reversal:
        return ReversalWouldOverdraw(f"The {kind.value} account has only {left_vnd} VND.")
    if kind is LedgerAccountKind.SOURCE_CASH:
        return AmountExceedsAvailable(f"The source has {left_vnd} VND left to allocate.", errors=errors)
    if kind is LedgerAccountKind.ALLOCATION:
        return AmountExceedsAllocation(
            f"The funding line has {left_vnd} VND left to disburse.", errors=errors
        )
    return ReversalWouldOverdraw(f"The {kind.value} account has only {left_vnd} VND.")


def entry_read(entry: JournalEntry, lines: list[tuple[JournalLine, LedgerAccount]]) -> JournalEntryRead:
    return JournalEntryRead(
        id=entry.id,
        kind=JournalEntryKind(entry.kind),
        booked_on=entry.booked_on,
        description=entry.description,
        reference=entry.reference,
        source_id=entry.source_id,
        allocation_id=entry.allocation_id,
        commitment_id=entry.commitment_id,
        reverses_id=entry.reverses_id,
        province_code=entry.province_code,
        commune_code=entry.commune_code,
        created_by=entry.created_by,
        created_at=entry.created_at,
        amount_vnd=sum(line.amount_vnd for line, _ in lines if line.side == Side.DEBIT.value),
        lines=[
            JournalLineRead(
                id=line.id,
                account_id=line.account_id,
                account_kind=LedgerAccountKind(account.kind),
                side=Side(line.side),
                amount_vnd=line.amount_vnd,
            )
            for line, account in lines
        ],
    )


class LedgerService:
    async def post(
        self,
        session: AsyncSession,
        *,
        kind: JournalEntryKind,
        booked_on: date,
        description: str,
        source_id: uuid.UUID,
        province_code: str,
        created_by: str,
        postings: list[Posting],
        reference: str | None = None,
        commune_code: str | None = None,
        allocation_id: uuid.UUID | None = None,
        commitment_id: uuid.UUID | None = None,
        reverses_id: uuid.UUID | None = None,
    ) -> tuple[JournalEntry, list[tuple[JournalLine, LedgerAccount]]]:
        """Book one balanced entry, refusing (before the database would) to overdraw an account."""
        debits = sum(p.amount_vnd for p in postings if p.side is Side.DEBIT)
        credits = sum(p.amount_vnd for p in postings if p.side is Side.CREDIT)
        if len(postings) < 2 or debits != credits or any(p.amount_vnd <= 0 for p in postings):
            raise ValueError("a journal entry needs two or more positive lines whose debits equal credits")
        repo = LedgerRepository(session)
        drawn: dict[uuid.UUID, int] = defaultdict(int)
        for posting in postings:
            if draws_down(posting):
                drawn[posting.account.id] += posting.amount_vnd
        if drawn:
            locked = await repo.lock_accounts(sorted(drawn))
            for account_id, amount in drawn.items():
                account = locked[account_id]
                account_kind = LedgerAccountKind(account.kind)
                balance = await repo.debit_balance(account_id)
                normal = -balance if account_kind in CREDIT_NORMAL_KINDS else balance
                if normal < amount:
                    raise overdraft_error(account_kind, kind is JournalEntryKind.REVERSAL, normal)
        entry = JournalEntry(
            kind=kind.value,
            booked_on=booked_on,
            description=description,
            reference=reference,
            source_id=source_id,
            allocation_id=allocation_id,
            commitment_id=commitment_id,
            reverses_id=reverses_id,
            province_code=province_code,
            commune_code=commune_code,
            created_by=created_by,
        )
        session.add(entry)
        await session.flush()
        lines = [
            (
                JournalLine(
                    entry_id=entry.id, account_id=p.account.id, side=p.side.value, amount_vnd=p.amount_vnd
                ),
                p.account,
            )
            for p in postings
        ]
        session.add_all([line for line, _ in lines])
        await session.flush()
        return entry, lines

    async def record_receipt(
        self, session: AsyncSession, caller: Principal, data: ReceiptCreate
    ) -> JournalEntryRead:
        source = await source_for_writing(session, caller, data.source_id)
        if not source.active:
            raise SourceInactive(f"Funding source {source.id} is inactive.")
        repo = LedgerRepository(session)
        if data.commitment_id is not None:
            commitment = await repo.get_commitment(data.commitment_id)
            if commitment is None or commitment.source_id != source.id:
                raise CommitmentNotOfSource(
                    "The commitment is not one of this source's.",
                    errors=[
                        FieldError(
                            pointer="/commitment_id", code="not_of_source", message="Not this source's."
                        )
                    ],
                )
        cash = await repo.source_account(source, LedgerAccountKind.SOURCE_CASH)
        inflow = await repo.source_account(source, LedgerAccountKind.SOURCE_INFLOW)
        entry, lines = await self.post(
            session,
            kind=JournalEntryKind.RECEIPT,
            booked_on=data.received_on,
            description=data.description or f"Receipt into {source.name}",
            reference=data.reference,
            source_id=source.id,
            province_code=source.province_code,
            commitment_id=data.commitment_id,
            created_by=caller.subject,
            postings=[
                Posting(cash, Side.DEBIT, data.amount_vnd),
                Posting(inflow, Side.CREDIT, data.amount_vnd),
            ],
        )
        await emit(
            session,
            OutboxEvent,
            type="funding_receipt.recorded",
            subject=urn(SERVICE, "journal-entry", entry.id),
            area_codes=[source.province_code],
            data={
                "entry_id": entry.id,
                "source_id": source.id,
                "source_kind": source.kind,
                "amount_vnd": data.amount_vnd,
                "received_on": data.received_on,
                "commitment_id": data.commitment_id,
            },
        )
        return entry_read(entry, lines)

    async def get_entry(
        self, session: AsyncSession, caller: Principal, entry_id: uuid.UUID
    ) -> JournalEntryRead:
        repo = LedgerRepository(session)
        entry = await repo.get_entry(entry_id, caller.area)
        if entry is None:
            raise LedgerEntryNotFound(f"No journal entry {entry_id} in your area.")
        return entry_read(entry, await repo.lines_of([entry.id]))

    async def list_entries(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        source_id: uuid.UUID | None,
        allocation_id: uuid.UUID | None,
        kind: JournalEntryKind | None,
    ) -> tuple[list[JournalEntryRead], str | None]:
        repo = LedgerRepository(session)
        entries, next_cursor = await repo.list_entries(
            params,
            area=caller.area,
            source_id=source_id,
            allocation_id=allocation_id,
            kind=kind.value if kind else None,
        )
        lines = await repo.lines_of([e.id for e in entries])
        by_entry: dict[uuid.UUID, list[tuple[JournalLine, LedgerAccount]]] = defaultdict(list)
        for line, account in lines:
            by_entry[line.entry_id].append((line, account))
        return [entry_read(e, by_entry[e.id]) for e in entries], next_cursor

    async def list_accounts(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        source_id: uuid.UUID | None,
        allocation_id: uuid.UUID | None,
        kind: LedgerAccountKind | None,
    ) -> tuple[list[AccountBalance], str | None]:
        return await LedgerRepository(session).list_balances(
            params,
            area=caller.area,
            source_id=source_id,
            allocation_id=allocation_id,
            kind=kind.value if kind else None,
        )

    async def get_account(
        self, session: AsyncSession, caller: Principal, account_id: uuid.UUID
    ) -> AccountBalance:
        repo = LedgerRepository(session)
        account = await repo.get_account(account_id, caller.area)
        if account is None:
            raise LedgerAccountNotFound(f"No ledger account {account_id} in your area.")
        debit, credit, balance = (await repo.balances_of([account.id])).get(account.id, (0, 0, 0))
        return AccountBalance(account, debit, credit, balance)

    async def reverse(
        self, session: AsyncSession, caller: Principal, entry_id: uuid.UUID, data: ReversalCreate
    ) -> JournalEntryRead:
        """Mirror every line of the entry: the only way to correct the ledger."""
        repo = LedgerRepository(session)
        original = await repo.get_entry(entry_id, caller.area)
        if original is None:
            raise LedgerEntryNotFound(f"No journal entry {entry_id} in your area.")
        if not caller.covers(original.province_code, None):
            raise AreaNotCovered(f"You do not cover province {original.province_code}.")
        if original.kind == JournalEntryKind.REVERSAL.value:
            raise EntryIsReversal("A reversal cannot itself be reversed.")
        if await repo.reversal_of(original.id) is not None:
            raise EntryAlreadyReversed(f"Entry {original.id} was already reversed.")
        lines = await repo.lines_of([original.id])
        entry, new_lines = await self.post(
            session,
            kind=JournalEntryKind.REVERSAL,
            booked_on=data.booked_on or original.booked_on,
            description=f"Reversal: {data.reason}",
            reference=original.reference,
            source_id=original.source_id,
            allocation_id=original.allocation_id,
            commitment_id=original.commitment_id,
            reverses_id=original.id,
            province_code=original.province_code,
            commune_code=original.commune_code,
            created_by=caller.subject,
            postings=[
                Posting(
                    account, Side.CREDIT if line.side == Side.DEBIT.value else Side.DEBIT, line.amount_vnd
                )
                for line, account in lines
            ],
        )
        await emit(
            session,
            OutboxEvent,
            type="journal_entry.reversed",
            subject=urn(SERVICE, "journal-entry", original.id),
            area_codes=[original.province_code, original.commune_code],
            data={
                "entry_id": original.id,
                "reversal_id": entry.id,
                "kind": original.kind,
                "source_id": original.source_id,
                "allocation_id": original.allocation_id,
            },
        )
        return entry_read(entry, new_lines)


ledger_service = LedgerService()

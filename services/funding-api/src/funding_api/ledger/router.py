from __future__ import annotations

import uuid

from fastapi import APIRouter

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
from funding_api.ledger.permissions import LedgerRead, LedgerWrite
from funding_api.ledger.repository import AccountBalance
from funding_api.ledger.schemas import JournalEntryRead, LedgerAccountRead, ReceiptCreate, ReversalCreate
from funding_api.ledger.service import ledger_service
from funding_api.models import JournalEntryKind, LedgerAccountKind
from servicekit.errors import error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/ledger", tags=["ledger"], route_class=IdempotentRoute)


def account_read(row: AccountBalance) -> LedgerAccountRead:
    return LedgerAccountRead(
        id=row.account.id,
        kind=LedgerAccountKind(row.account.kind),
        source_id=row.account.source_id,
        allocation_id=row.account.allocation_id,
        province_code=row.account.province_code,
        debit_vnd=row.debit_vnd,
        credit_vnd=row.credit_vnd,
        balance_vnd=row.balance_vnd,
    )


@router.post(
    "/receipts",
    status_code=201,
    response_model=JournalEntryRead,
    responses=error_responses(FundingSourceMissing, AreaNotCovered, SourceInactive, CommitmentNotOfSource),
)
async def record_receipt(
    body: ReceiptCreate,
    session: SessionDep,
    caller: LedgerWrite,
    idempotency_key: IdempotencyKeyOptional,
) -> JournalEntryRead:
    """Book money received into a source of a province you cover (finance officers): debit the
    source's cash, credit its inflow account. Name the pledge or appropriation it honours, if any.
    An `Idempotency-Key` makes a retry safe (the repeat replays the first answer)."""
    return await ledger_service.record_receipt(session, caller, body)


@router.get("/entries", response_model=Page[JournalEntryRead], responses=error_responses(InvalidCursor))
async def list_journal_entries(
    session: SessionDep,
    caller: LedgerRead,
    page: Pagination,
    source_id: uuid.UUID | None = None,
    allocation_id: uuid.UUID | None = None,
    kind: JournalEntryKind | None = None,
) -> Page[JournalEntryRead]:
    """The journal of the provinces you cover, oldest first, each entry with its lines."""
    items, next_cursor = await ledger_service.list_entries(
        session, caller, page, source_id=source_id, allocation_id=allocation_id, kind=kind
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/entries/{entry_id}", response_model=JournalEntryRead, responses=error_responses(LedgerEntryNotFound)
)
async def get_journal_entry(entry_id: uuid.UUID, session: SessionDep, caller: LedgerRead) -> JournalEntryRead:
    """One journal entry with its lines. Entries are never changed: see `/reversal`."""
    return await ledger_service.get_entry(session, caller, entry_id)


@router.post(
    "/entries/{entry_id}/reversal",
    status_code=201,
    response_model=JournalEntryRead,
    responses=error_responses(
        LedgerEntryNotFound,
        AreaNotCovered,
        EntryIsReversal,
        EntryAlreadyReversed,
        ReversalWouldOverdraw,
        AmountExceedsAvailable,
        AmountExceedsAllocation,
    ),
)
async def reverse_journal_entry(
    entry_id: uuid.UUID,
    body: ReversalCreate,
    session: SessionDep,
    caller: LedgerWrite,
    idempotency_key: IdempotencyKeyOptional,
) -> JournalEntryRead:
    """Correct an entry by booking its mirror image (finance officers). An entry is reversed at most
    once; a reversal that would take an account below zero (money already allocated or disbursed)
    is refused with 422: reverse what depends on it first."""
    return await ledger_service.reverse(session, caller, entry_id, body)


@router.get("/accounts", response_model=Page[LedgerAccountRead], responses=error_responses(InvalidCursor))
async def list_ledger_accounts(
    session: SessionDep,
    caller: LedgerRead,
    page: Pagination,
    source_id: uuid.UUID | None = None,
    allocation_id: uuid.UUID | None = None,
    kind: LedgerAccountKind | None = None,
) -> Page[LedgerAccountRead]:
    """The ledger accounts of the provinces you cover, with balances summed from their lines."""
    rows, next_cursor = await ledger_service.list_accounts(
        session, caller, page, source_id=source_id, allocation_id=allocation_id, kind=kind
    )
    return Page(items=[account_read(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/accounts/{account_id}",
    response_model=LedgerAccountRead,
    responses=error_responses(LedgerAccountNotFound),
)
async def get_ledger_account(
    account_id: uuid.UUID, session: SessionDep, caller: LedgerRead
) -> LedgerAccountRead:
    """One account and its derived balance."""
    return account_read(await ledger_service.get_account(session, caller, account_id))

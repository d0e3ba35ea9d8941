from __future__ import annotations

import uuid

from fastapi import APIRouter

from funding_api.allocation.errors import (
    AllocationAreaNotCovered,
    AllocationNotFound,
    FundingLineQueryInvalid,
    FundingTargetUnknown,
    SupportCaseWithdrawn,
    TargetOutsideSourceProvince,
)
from funding_api.allocation.permissions import AllocationsRead, AllocationsWrite
from funding_api.allocation.repository import FundingLineAmounts
from funding_api.allocation.schemas import (
    AllocationCreate,
    AllocationRead,
    DisbursementCreate,
    FundingLineRead,
)
from funding_api.allocation.service import allocation_service, line_status
from funding_api.deps import RegistryClientDep
from funding_api.ledger.errors import (
    AmountExceedsAllocation,
    AmountExceedsAvailable,
    FundingSourceMissing,
    SourceInactive,
)
from funding_api.ledger.schemas import JournalEntryRead
from funding_api.models import AllocationTarget, FundingSourceKind
from servicekit.errors import UpstreamUnavailable, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/allocations", tags=["allocations"], route_class=IdempotentRoute)
funding_line_router = APIRouter(prefix="/funding-lines", tags=["funding-lines"])


def allocation_read(row: FundingLineAmounts) -> AllocationRead:
    a = row.allocation
    return AllocationRead(
        id=a.id,
        source_id=a.source_id,
        source_kind=FundingSourceKind(row.source_kind),
        target_kind=AllocationTarget(a.target_kind),
        support_case_id=a.support_case_id,
        project_id=a.project_id,
        programme=a.programme,
        province_code=a.province_code,
        commune_code=a.commune_code,
        decision_number=a.decision_number,
        decision_date=a.decision_date,
        note=a.note,
        amount_vnd=row.amount_vnd,
        disbursed_vnd=row.disbursed_vnd,
        undisbursed_vnd=row.amount_vnd - row.disbursed_vnd,
        status=line_status(row.amount_vnd, row.disbursed_vnd),
        created_at=a.created_at,
    )


def funding_line_read(row: FundingLineAmounts) -> FundingLineRead:
    a = row.allocation
    return FundingLineRead(
        id=a.id,
        source_id=a.source_id,
        source_kind=FundingSourceKind(row.source_kind),
        amount_vnd=row.amount_vnd,
        disbursed_vnd=row.disbursed_vnd,
        status=line_status(row.amount_vnd, row.disbursed_vnd),
        support_case_id=a.support_case_id,
        project_id=a.project_id,
        programme=a.programme,
    )


@router.post(
    "",
    status_code=201,
    response_model=AllocationRead,
    responses=error_responses(
        FundingSourceMissing,
        AllocationAreaNotCovered,
        SourceInactive,
        FundingTargetUnknown,
        SupportCaseWithdrawn,
        TargetOutsideSourceProvince,
        AmountExceedsAvailable,
        UpstreamUnavailable,
    ),
)
async def create_allocation(
    body: AllocationCreate,
    session: SessionDep,
    caller: AllocationsWrite,
    registry: RegistryClientDep,
    idempotency_key: IdempotencyKeyOptional,
) -> AllocationRead:
    """Allocate money of a source of your province to a support case or a housing project
    (registry-api's id, checked there: unknown is a 422, registry-api unreachable a 503 and nothing
    is stored) or to a programme. Finance officers only. The line takes the case's or project's
    province and commune; never more than the source has left (422 `amount_exceeds_available`,
    also when two allocations race). A case may have several lines from different sources.
    Send an `Idempotency-Key` to make a retry safe: the repeat replays the first answer."""
    return allocation_read(await allocation_service.allocate(session, caller, registry, body))


@router.get("", response_model=Page[AllocationRead], responses=error_responses(InvalidCursor))
async def list_allocations(
    session: SessionDep,
    caller: AllocationsRead,
    page: Pagination,
    source_id: uuid.UUID | None = None,
    support_case_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
    target_kind: AllocationTarget | None = None,
) -> Page[AllocationRead]:
    """The funding lines of your area (a commune officer: of your communes), oldest first."""
    rows, next_cursor = await allocation_service.list_lines(
        session,
        caller,
        page,
        source_id=source_id,
        support_case_id=support_case_id,
        project_id=project_id,
        target_kind=target_kind,
    )
    return Page(items=[allocation_read(r) for r in rows], next_cursor=next_cursor)


@router.get("/{allocation_id}", response_model=AllocationRead, responses=error_responses(AllocationNotFound))
async def get_allocation(
    allocation_id: uuid.UUID, session: SessionDep, caller: AllocationsRead
) -> AllocationRead:
    """One funding line with its amounts from the ledger; outside your area it is a 404."""
    return allocation_read(await allocation_service.get(session, caller, allocation_id))


@router.post(
    "/{allocation_id}/disbursements",
    status_code=201,
    response_model=JournalEntryRead,
    responses=error_responses(AllocationNotFound, AllocationAreaNotCovered, AmountExceedsAllocation),
)
async def record_disbursement(
    allocation_id: uuid.UUID,
    body: DisbursementCreate,
    session: SessionDep,
    caller: AllocationsWrite,
    idempotency_key: IdempotencyKeyOptional,
) -> JournalEntryRead:
    """Record money paid out under a funding line (finance officers): never more than what is
    allocated and not yet paid (422 `amount_exceeds_allocation`). A mistaken one is reversed with
    `POST /v1/ledger/entries/{id}/reversal`. An `Idempotency-Key` makes a retry safe."""
    return await allocation_service.disburse(session, caller, allocation_id, body)


@funding_line_router.get(
    "",
    response_model=Page[FundingLineRead],
    responses=error_responses(InvalidCursor, FundingLineQueryInvalid),
)
async def list_funding_lines(
    session: SessionDep,
    caller: AllocationsRead,
    page: Pagination,
    support_case_id: uuid.UUID | None = None,
    project_id: uuid.UUID | None = None,
) -> Page[FundingLineRead]:
    """The funding lines of one support case or one housing project (registry-api shows them on
    the case): each with its source's kind, the amount allocated and disbursed, and its status.
    Name exactly one of `support_case_id` and `project_id`."""
    if (support_case_id is None) == (project_id is None):
        raise FundingLineQueryInvalid("Name exactly one of support_case_id and project_id.")
    rows, next_cursor = await allocation_service.list_lines(
        session, caller, page, support_case_id=support_case_id, project_id=project_id
    )
    return Page(items=[funding_line_read(r) for r in rows], next_cursor=next_cursor)

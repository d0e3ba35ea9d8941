from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from registry_api.allocation.contracts import contract_service
from registry_api.allocation.errors import (
    AllocationRoundAlreadyDrawn,
    AllocationRoundNotFound,
    AllocationRoundOpenExists,
    AllocationRuleMissing,
    ApplicationNotAllocated,
    ContractExists,
    ContractInvalid,
    ContractNotFound,
    ContractNotResellable,
    DrawDateInvalid,
    NoEligibleApplications,
    ResaleInvalid,
    ResaleRuleMissing,
    ResaleWithinLock,
)
from registry_api.allocation.permissions import AllocationRead, AllocationWrite, RulesRead
from registry_api.allocation.schemas import (
    AllocationRuleRead,
    ContractCreate,
    ContractDetail,
    ContractRead,
    DrawBody,
    FullPaymentBody,
    ResaleCreate,
    ResaleRead,
    RoundCreate,
    RoundRead,
)
from registry_api.allocation.service import allocation_service
from registry_api.application.errors import ApplicationNotFound, StepDateInvalid
from registry_api.housing_project.errors import HousingProjectNotFound
from registry_api.models import AllocationRound, HousingContract
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/allocation-rounds", tags=["allocation-rounds"])
rules_router = APIRouter(prefix="/allocation-rules", tags=["allocation-rules"])


def _read(row: AllocationRound, response: Response) -> RoundRead:
    set_etag(response, row.version)
    return RoundRead.model_validate(row)


@router.post(
    "",
    status_code=201,
    response_model=RoundRead,
    responses=error_responses(HousingProjectNotFound, AllocationRoundOpenExists),
)
async def open_round(
    body: RoundCreate, session: SessionDep, caller: AllocationWrite, response: Response
) -> RoundRead:
    """Open an allocation round for a project of your area (another area's project is a 404) and a
    tenure. The SHA-256 of `published_seed` is recorded now, before the draw, as the lottery seed."""
    return _read(await allocation_service.open_round(session, caller, body), response)


@router.get("", response_model=Page[RoundRead], responses=error_responses(InvalidCursor))
async def list_rounds(
    session: SessionDep, caller: AllocationRead, page: Pagination, project_id: uuid.UUID | None = None
) -> Page[RoundRead]:
    """Rounds of your area's projects, oldest first."""
    rows, next_cursor = await allocation_service.list_rounds(session, caller, page, project_id)
    return Page(items=[RoundRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{round_id}", response_model=RoundRead, responses=error_responses(AllocationRoundNotFound))
async def get_round(
    round_id: uuid.UUID, session: SessionDep, caller: AllocationRead, response: Response
) -> RoundRead:
    """One round with its seed, quota and full ordered result, and its `ETag`; outside your area 404."""
    return _read(await allocation_service.get(session, caller, round_id), response)


@router.post(
    "/{round_id}/draw",
    response_model=RoundRead,
    responses=error_responses(
        AllocationRoundNotFound,
        AllocationRoundAlreadyDrawn,
        NoEligibleApplications,
        AllocationRuleMissing,
        DrawDateInvalid,
        ApplicationNotFound,
        StepDateInvalid,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def draw_round(
    round_id: uuid.UUID,
    body: DrawBody,
    session: SessionDep,
    caller: AllocationWrite,
    version: IfMatchVersion,
    response: Response,
) -> RoundRead:
    """Draw the round (send the `ETag` as `If-Match`): the priority quota (units x priority dossiers /
    all dossiers, rounded down) goes to priority dossiers by submission time; the other units go by
    lottery, ordered by HMAC-SHA256(seed, application id). Winners become `allocated`."""
    row = await allocation_service.draw(session, caller, round_id, version, body.on)
    return _read(row, response)


@rules_router.get("", response_model=Page[AllocationRuleRead], responses=error_responses(InvalidCursor))
async def list_allocation_rules(
    session: SessionDep, _caller: RulesRead, page: Pagination
) -> Page[AllocationRuleRead]:
    """The dated allocation rules (the priority order) with their legal basis."""
    rows, next_cursor = await allocation_service.list_rules(session, page)
    return Page(items=[AllocationRuleRead.model_validate(r) for r in rows], next_cursor=next_cursor)


contracts_router = APIRouter(prefix="/housing-contracts", tags=["housing-contracts"])


async def _contract(session: SessionDep, row: HousingContract, response: Response) -> ContractDetail:
    set_etag(response, row.version)
    resales = [ResaleRead.model_validate(r) for r in await contract_service.resales(session, row)]
    return ContractDetail.model_validate(
        {**ContractRead.model_validate(row).model_dump(), "resales": resales}
    )


@contracts_router.post(
    "",
    status_code=201,
    response_model=ContractDetail,
    responses=error_responses(ApplicationNotFound, ApplicationNotAllocated, ContractExists, ContractInvalid),
)
async def create_contract(
    body: ContractCreate, session: SessionDep, caller: AllocationWrite, response: Response
) -> ContractDetail:
    """Record the contract of an allocated application of your area (number unique per project,
    signed not before the allocation, price in integer VND)."""
    return await _contract(session, await contract_service.create(session, caller, body), response)


@contracts_router.get("", response_model=Page[ContractRead], responses=error_responses(InvalidCursor))
async def list_contracts(session: SessionDep, caller: AllocationRead, page: Pagination) -> Page[ContractRead]:
    """Contracts of your area's applications, oldest first."""
    rows, next_cursor = await contract_service.list_contracts(session, caller, page)
    return Page(items=[ContractRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@contracts_router.get(
    "/{contract_id}", response_model=ContractDetail, responses=error_responses(ContractNotFound)
)
async def get_contract(
    contract_id: uuid.UUID, session: SessionDep, caller: AllocationRead, response: Response
) -> ContractDetail:
    """One contract with its resales and `ETag`; outside your area it is a 404."""
    return await _contract(session, await contract_service.get(session, caller, contract_id), response)


@contracts_router.post(
    "/{contract_id}/full-payment",
    response_model=ContractDetail,
    responses=error_responses(ContractNotFound, ContractInvalid, PreconditionFailed, PreconditionRequired),
)
async def record_full_payment(
    contract_id: uuid.UUID,
    body: FullPaymentBody,
    session: SessionDep,
    caller: AllocationWrite,
    version: IfMatchVersion,
    response: Response,
) -> ContractDetail:
    """Record the full payment of a sale or lease-purchase contract (`If-Match`): the resale lock
    runs from this date."""
    row = await contract_service.full_payment(session, caller, contract_id, version, body)
    return await _contract(session, row, response)


@contracts_router.post(
    "/{contract_id}/resales",
    status_code=201,
    response_model=ContractDetail,
    responses=error_responses(
        ContractNotFound,
        ContractNotResellable,
        ResaleWithinLock,
        ResaleInvalid,
        ResaleRuleMissing,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def record_resale(
    contract_id: uuid.UUID,
    body: ResaleCreate,
    session: SessionDep,
    caller: AllocationWrite,
    version: IfMatchVersion,
    response: Response,
) -> ContractDetail:
    """Record the resale of a contract's unit (`If-Match` of the contract). Within the lock (5 years
    from full payment, or not yet paid off) only the housing authority, the investor or an eligible
    person may buy, at no more than the contract price; otherwise 409 `resale_within_lock`."""
    await contract_service.resell(session, caller, contract_id, version, body)
    return await _contract(session, await contract_service.get(session, caller, contract_id), response)

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from funding_api.vbsp_entrustment.errors import (
    ContractNumberTaken,
    EntrustedAmountExceeded,
    EntrustmentContractNotFound,
    EntrustmentInvalid,
    ProvinceNotCovered,
    TransferDecisionTaken,
    UtilisationPeriodReported,
)
from funding_api.vbsp_entrustment.permissions import (
    EntrustmentsRead,
    EntrustmentsWrite,
    UtilisationReportsWrite,
)
from funding_api.vbsp_entrustment.schemas import (
    ContractCreate,
    ContractRead,
    ContractSummary,
    ContractUpdate,
    ProvinceCode,
    TransferCreate,
    TransferRead,
    UtilisationReportCreate,
    UtilisationReportRead,
)
from funding_api.vbsp_entrustment.service import entrustment_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.idempotency import IdempotencyKeyInvalid, IdempotencyKeyMissing, IdempotencyKeyReused
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/vbsp-entrustments", tags=["vbsp-entrustments"], route_class=IdempotentRoute)


@router.post(
    "",
    status_code=201,
    response_model=ContractRead,
    responses=error_responses(ProvinceNotCovered, ContractNumberTaken, EntrustmentInvalid),
)
async def create_entrustment_contract(
    body: ContractCreate, session: SessionDep, caller: EntrustmentsWrite, response: Response
) -> ContractRead:
    """Record a contract entrusting your province's budget to the VBSP branch (Circular 11/2017/TT-BTC,
    amended by 84/2025/TT-BTC). The number is unique within the province. Finance officers only."""
    contract = await entrustment_service.create_contract(session, caller, body)
    set_etag(response, contract.version)
    return ContractRead.model_validate(contract)


@router.get("", response_model=Page[ContractRead], responses=error_responses(InvalidCursor))
async def list_entrustment_contracts(
    session: SessionDep, caller: EntrustmentsRead, page: Pagination, province_code: ProvinceCode | None = None
) -> Page[ContractRead]:
    """The entrustment contracts of the provinces you cover, oldest first."""
    rows, next_cursor = await entrustment_service.list_contracts(
        session, caller, page, province_code=province_code
    )
    return Page(items=[ContractRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{contract_id}", response_model=ContractRead, responses=error_responses(EntrustmentContractNotFound)
)
async def get_entrustment_contract(
    contract_id: uuid.UUID, session: SessionDep, caller: EntrustmentsRead, response: Response
) -> ContractRead:
    """One contract, with its `ETag`. A contract outside your provinces is a 404."""
    contract = await entrustment_service.get_contract(session, caller, contract_id)
    set_etag(response, contract.version)
    return ContractRead.model_validate(contract)


@router.patch(
    "/{contract_id}",
    response_model=ContractRead,
    responses=error_responses(
        EntrustmentContractNotFound, EntrustmentInvalid, PreconditionFailed, PreconditionRequired
    ),
)
async def amend_entrustment_contract(
    contract_id: uuid.UUID,
    body: ContractUpdate,
    session: SessionDep,
    caller: EntrustmentsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> ContractRead:
    """Record an addendum (amount, end of period, note). Send the `ETag` you read as `If-Match`. The
    amount cannot drop below what has been transferred."""
    contract = await entrustment_service.update_contract(session, caller, contract_id, expected_version, body)
    set_etag(response, contract.version)
    return ContractRead.model_validate(contract)


@router.post(
    "/{contract_id}/transfers",
    status_code=201,
    response_model=TransferRead,
    responses=error_responses(
        EntrustmentContractNotFound, EntrustmentInvalid, EntrustedAmountExceeded, TransferDecisionTaken
    ),
)
async def record_entrustment_transfer(
    contract_id: uuid.UUID, body: TransferCreate, session: SessionDep, caller: EntrustmentsWrite
) -> TransferRead:
    """Record a yearly tranche moved to the bank under a decision. The fiscal year lies within the
    contract's period, and all transfers together never exceed the entrusted amount (409). Immutable."""
    transfer = await entrustment_service.add_transfer(session, caller, contract_id, body)
    return TransferRead.model_validate(transfer)


@router.get(
    "/{contract_id}/transfers",
    response_model=Page[TransferRead],
    responses=error_responses(EntrustmentContractNotFound, InvalidCursor),
)
async def list_entrustment_transfers(
    contract_id: uuid.UUID, session: SessionDep, caller: EntrustmentsRead, page: Pagination
) -> Page[TransferRead]:
    """The contract's transfers, oldest first."""
    rows, next_cursor = await entrustment_service.list_transfers(session, caller, contract_id, page)
    return Page(items=[TransferRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/{contract_id}/utilisation-reports",
    status_code=201,
    response_model=UtilisationReportRead,
    responses=error_responses(
        EntrustmentContractNotFound,
        EntrustmentInvalid,
        UtilisationPeriodReported,
        IdempotencyKeyMissing,
        IdempotencyKeyInvalid,
        IdempotencyKeyReused,
    ),
)
async def submit_utilisation_report(
    contract_id: uuid.UUID,
    body: UtilisationReportCreate,
    session: SessionDep,
    caller: UtilisationReportsWrite,
    idempotency_key: IdempotencyKeyOptional,
) -> UtilisationReportRead:
    """The bank's report on the entrusted capital for a period within the contract's: lent, borrowers,
    outstanding, repaid and returned. One report per period (409 for a second); immutable.

    The bank's client (`bank_integration`) must send an `Idempotency-Key` (400 without): a retry
    replays the first answer, another body under the same key is a 422. A finance officer keying in
    a paper report may leave it out.
    """
    report = await entrustment_service.add_utilisation_report(
        session, caller, contract_id, body, idempotency_key=idempotency_key
    )
    return UtilisationReportRead.model_validate(report)


@router.get(
    "/{contract_id}/utilisation-reports",
    response_model=Page[UtilisationReportRead],
    responses=error_responses(EntrustmentContractNotFound, InvalidCursor),
)
async def list_utilisation_reports(
    contract_id: uuid.UUID, session: SessionDep, caller: EntrustmentsRead, page: Pagination
) -> Page[UtilisationReportRead]:
    """The bank's reports on this contract, oldest first."""
    rows, next_cursor = await entrustment_service.list_utilisation_reports(session, caller, contract_id, page)
    return Page(items=[UtilisationReportRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{contract_id}/summary",
    response_model=ContractSummary,
    responses=error_responses(EntrustmentContractNotFound),
)
async def get_entrustment_summary(
    contract_id: uuid.UUID, session: SessionDep, caller: EntrustmentsRead
) -> ContractSummary:
    """Entrusted vs transferred vs lent, in total and per year (transfers by fiscal year; report
    figures by the year their period ends; outstanding and borrowers from the last report)."""
    return await entrustment_service.summary(session, caller, contract_id)

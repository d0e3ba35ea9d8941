from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from funding_api.deps import RegistryClientDep
from funding_api.loan.errors import (
    LoanAreaNotCovered,
    LoanExceptionClosed,
    LoanExceptionNotFound,
    LoanNotFound,
    LoanReconciliationNotFound,
    LoanReferenceConflict,
)
from funding_api.loan.permissions import (
    BankPosts,
    LoanExceptionsRead,
    LoanExceptionsWork,
    LoanReferenceRead,
    LoanReportsRead,
    LoansRead,
)
from funding_api.loan.pii import build_cipher
from funding_api.loan.report import indicators_csv, indicators_xlsx, loan_report_service
from funding_api.loan.schemas import (
    LoanCapRead,
    LoanEventCreate,
    LoanEventRead,
    LoanEventReceipt,
    LoanExceptionClose,
    LoanExceptionRead,
    LoanRateRead,
    LoanRead,
    LoanReconciliationCreate,
    LoanReconciliationReport,
    LoanReconciliationSummary,
    VbspIndicators,
)
from funding_api.loan.service import loan_service
from funding_api.models import EligibilityStatus, LoanExceptionReason, LoanExceptionStatus, LoanStatus
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.pii import PiiCipher
from servicekit.web.idempotency import IdempotencyKeyRequired, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep


def get_cipher(request: Request) -> PiiCipher:
    cipher: PiiCipher | None = getattr(request.app.state, "loan_pii_cipher", None)
    if cipher is None:
        cipher = build_cipher(request.app.state.settings)
        request.app.state.loan_pii_cipher = cipher
    return cipher


CipherDep = Annotated[PiiCipher, Depends(get_cipher)]

events_router = APIRouter(prefix="/loan-events", tags=["loan-events"], route_class=IdempotentRoute)
loans_router = APIRouter(prefix="/loans", tags=["loans"])
exceptions_router = APIRouter(prefix="/loan-exceptions", tags=["loan-exceptions"])
reconciliations_router = APIRouter(
    prefix="/loan-reconciliations", tags=["loan-reconciliations"], route_class=IdempotentRoute
)
reference_router = APIRouter(tags=["loan-reference"])
reports_router = APIRouter(prefix="/reports", tags=["loan-reports"])


# ---------------------------------------------------------------------------------------- bank events


@events_router.post(
    "",
    status_code=201,
    response_model=LoanEventReceipt,
    responses={
        200: {"description": "This bank event id was already recorded for the loan: nothing changed."},
        **error_responses(LoanAreaNotCovered, LoanReferenceConflict),
    },
)
async def post_loan_event(
    body: LoanEventCreate,
    session: SessionDep,
    caller: BankPosts,
    cipher: CipherDep,
    registry: RegistryClientDep,
    _key: IdempotencyKeyRequired,
    response: Response,
) -> LoanEventReceipt:
    """For VBSP's loan system (role bank_integration): one loan event. Send a unique `Idempotency-Key`
    per delivery attempt of an event (a retry reuses it; the same key with another body is a 422).

    Events may arrive late, twice or out of order: every event is stored once per (`loan_ref`,
    `event_id`) and the loan's state and balance are derived from all its events in `sequence`
    order. A repeat of a recorded event id answers 200 with `applied: false`. The borrower's
    citizen ID is stored only encrypted and as the blind index shared with registry-api, whose
    eligibility confirmation is asked when the loan is first seen (queued and retried while
    registry-api is down). Cap, rate and borrower mismatches go to the loan exception queue."""
    outcome = await loan_service.apply_event(session, caller, cipher, registry, body)
    if not outcome.applied:
        response.status_code = 200
    return LoanEventReceipt(
        id=outcome.event.id,
        loan_id=outcome.loan.id,
        event_id=outcome.event.bank_event_id,
        applied=outcome.applied,
        eligibility_status=EligibilityStatus(outcome.loan.eligibility_status),
    )


# ---------------------------------------------------------------------------------------- the mirror


@loans_router.get("", response_model=Page[LoanRead], responses=error_responses(InvalidCursor))
async def list_loans(
    session: SessionDep,
    caller: LoansRead,
    page: Pagination,
    status: LoanStatus | None = None,
    eligibility_status: EligibilityStatus | None = None,
) -> Page[LoanRead]:
    """The mirrored VBSP loans in your area, oldest first; citizen IDs masked."""
    rows, next_cursor = await loan_service.list_loans(
        session,
        caller,
        page,
        status=status.value if status else None,
        eligibility_status=eligibility_status.value if eligibility_status else None,
    )
    return Page(items=[LoanRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@loans_router.get("/{loan_id}", response_model=LoanRead, responses=error_responses(LoanNotFound))
async def get_loan(
    loan_id: uuid.UUID, session: SessionDep, caller: LoansRead, response: Response
) -> LoanRead:
    """One mirrored loan (a loan outside your area is a 404)."""
    loan = await loan_service.get_loan(session, caller, loan_id)
    set_etag(response, loan.version)
    return LoanRead.model_validate(loan)


@loans_router.get(
    "/{loan_id}/events",
    response_model=Page[LoanEventRead],
    responses=error_responses(LoanNotFound, InvalidCursor),
)
async def list_loan_events(
    loan_id: uuid.UUID, session: SessionDep, caller: LoansRead, page: Pagination
) -> Page[LoanEventRead]:
    """The loan's events in the bank's order (sequence, then the bank's event id)."""
    rows, next_cursor = await loan_service.list_events(session, caller, loan_id, page)
    return Page(items=[LoanEventRead.model_validate(r) for r in rows], next_cursor=next_cursor)


# ---------------------------------------------------------------------------------------- exceptions


@exceptions_router.get("", response_model=Page[LoanExceptionRead], responses=error_responses(InvalidCursor))
async def list_loan_exceptions(
    session: SessionDep,
    caller: LoanExceptionsRead,
    page: Pagination,
    reason: LoanExceptionReason | None = None,
    status: LoanExceptionStatus | None = None,
) -> Page[LoanExceptionRead]:
    """The loan exception queue of your area, oldest first: unknown or ineligible borrowers, caps
    exceeded, rates that differ from the table."""
    rows, next_cursor = await loan_service.list_exceptions(
        session, caller, page, reason=reason, status=status
    )
    return Page(items=[LoanExceptionRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@exceptions_router.get(
    "/{exception_id}", response_model=LoanExceptionRead, responses=error_responses(LoanExceptionNotFound)
)
async def get_loan_exception(
    exception_id: uuid.UUID, session: SessionDep, caller: LoanExceptionsRead, response: Response
) -> LoanExceptionRead:
    """One exception, with its `ETag` (send it as `If-Match` to resolve or dismiss it)."""
    row = await loan_service.get_exception(session, caller, exception_id)
    set_etag(response, row.version)
    return LoanExceptionRead.model_validate(row)


_CLOSE_ERRORS = error_responses(
    LoanExceptionNotFound, LoanExceptionClosed, PreconditionFailed, PreconditionRequired
)


@exceptions_router.post("/{exception_id}/resolve", response_model=LoanExceptionRead, responses=_CLOSE_ERRORS)
async def resolve_loan_exception(
    exception_id: uuid.UUID,
    body: LoanExceptionClose,
    session: SessionDep,
    caller: LoanExceptionsWork,
    expected_version: IfMatchVersion,
    response: Response,
) -> LoanExceptionRead:
    """Mark an open exception resolved (the mismatch was corrected), with the reason. Needs `If-Match`."""
    row = await loan_service.close_exception(
        session,
        caller,
        exception_id,
        expected_version,
        outcome=LoanExceptionStatus.RESOLVED,
        note=body.reason,
    )
    set_etag(response, row.version)
    return LoanExceptionRead.model_validate(row)


@exceptions_router.post("/{exception_id}/dismiss", response_model=LoanExceptionRead, responses=_CLOSE_ERRORS)
async def dismiss_loan_exception(
    exception_id: uuid.UUID,
    body: LoanExceptionClose,
    session: SessionDep,
    caller: LoanExceptionsWork,
    expected_version: IfMatchVersion,
    response: Response,
) -> LoanExceptionRead:
    """Dismiss an open exception (not a real mismatch), with the reason. Needs `If-Match`."""
    row = await loan_service.close_exception(
        session,
        caller,
        exception_id,
        expected_version,
        outcome=LoanExceptionStatus.DISMISSED,
        note=body.reason,
    )
    set_etag(response, row.version)
    return LoanExceptionRead.model_validate(row)


# ---------------------------------------------------------------------------------------- reconciliation


@reconciliations_router.post(
    "",
    status_code=201,
    response_model=LoanReconciliationReport,
    responses=error_responses(LoanAreaNotCovered),
)
async def post_loan_reconciliation(
    body: LoanReconciliationCreate,
    session: SessionDep,
    caller: BankPosts,
    _key: IdempotencyKeyRequired,
) -> LoanReconciliationReport:
    """For VBSP (role bank_integration): the bank's totals for a province as of a date, optionally with
    each loan's balance. The answer compares them with the mirror; only this answer is the bank's to
    read (finance officers and auditors read the stored reconciliations)."""
    return await loan_report_service.post_reconciliation(session, caller, body)


@reconciliations_router.get(
    "", response_model=Page[LoanReconciliationSummary], responses=error_responses(InvalidCursor)
)
async def list_loan_reconciliations(
    session: SessionDep, caller: LoanReportsRead, page: Pagination
) -> Page[LoanReconciliationSummary]:
    """The bank's posted totals for the provinces you cover, oldest first."""
    rows, next_cursor = await loan_report_service.list_reconciliations(session, caller, page)
    return Page(items=[LoanReconciliationSummary.model_validate(r) for r in rows], next_cursor=next_cursor)


@reconciliations_router.get(
    "/{reconciliation_id}",
    response_model=LoanReconciliationReport,
    responses=error_responses(LoanReconciliationNotFound),
)
async def get_loan_reconciliation(
    reconciliation_id: uuid.UUID, session: SessionDep, caller: LoanReportsRead
) -> LoanReconciliationReport:
    """The bank's totals against the mirror as it is now (late events make the mirror catch up)."""
    return await loan_report_service.get_reconciliation(session, caller, reconciliation_id)


# ---------------------------------------------------------------------------------------- reference


@reference_router.get(
    "/loan-rates", response_model=Page[LoanRateRead], responses=error_responses(InvalidCursor)
)
async def list_loan_rates(
    session: SessionDep, _caller: LoanReferenceRead, page: Pagination
) -> Page[LoanRateRead]:
    """VBSP's social-housing lending rates with their validity and legal basis."""
    rows, next_cursor = await loan_service.list_rates(session, page)
    return Page(items=[LoanRateRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@reference_router.get(
    "/loan-caps", response_model=Page[LoanCapRead], responses=error_responses(InvalidCursor)
)
async def list_loan_caps(
    session: SessionDep, _caller: LoanReferenceRead, page: Pagination
) -> Page[LoanCapRead]:
    """The loan-size caps per purpose with their validity and legal basis."""
    rows, next_cursor = await loan_service.list_caps(session, page)
    return Page(items=[LoanCapRead.model_validate(r) for r in rows], next_cursor=next_cursor)


# ---------------------------------------------------------------------------------------- indicators


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@reports_router.get(
    "/vbsp-loan-indicators",
    response_model=VbspIndicators,
    responses={
        200: {"content": {"text/csv": {}, XLSX_TYPE: {}}},
        **error_responses(LoanAreaNotCovered),
    },
)
async def get_vbsp_loan_indicators(
    session: SessionDep,
    caller: LoanReportsRead,
    province_code: Annotated[str, Query(pattern=r"^\d{2}$")],
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    format: ReportFormat = ReportFormat.JSON,
) -> VbspIndicators | Response:
    """VBSP indicators of a province: outstanding balance, borrowers, disbursed in the year against the
    lending plan, overdue ratio. `format=csv` or `xlsx` downloads the same figures."""
    report = await loan_report_service.indicators(session, caller, province_code=province_code, year=year)
    name = f"vbsp-loan-indicators-{report.province_code}-{report.year}"
    if format is ReportFormat.CSV:
        return Response(
            indicators_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if format is ReportFormat.XLSX:
        return Response(
            indicators_xlsx(report),
            media_type=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return report


routers = [
    events_router,
    loans_router,
    exceptions_router,
    reconciliations_router,
    reference_router,
    reports_router,
]

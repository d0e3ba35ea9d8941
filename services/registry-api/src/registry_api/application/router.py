from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.application.errors import (
    ILLEGAL_FROM,
    ApplicantNotFound,
    ApplicationNotFound,
    ApplicationOpenExists,
    ApplicationPersonInvalid,
    ApplicationProjectNotFound,
    BeneficiaryGroupNotApplicable,
    EligibilityUnknown,
    NoEligibilityRules,
    ProjectSaleNotPublished,
    ProjectSaleWindowClosed,
    StepDateInvalid,
    TenureNotOffered,
)
from registry_api.application.permissions import (
    ApplicationsRead,
    ApplicationsWrite,
    ConfirmationsCreate,
    ReferenceRead,
)
from registry_api.application.schemas import (
    ApplicationCreate,
    ApplicationDetail,
    ApplicationRead,
    BeneficiaryGroupRead,
    ConfirmationCreate,
    ConfirmationRead,
    EligibilityRead,
    EligibilityRuleRead,
    EvidenceCreate,
    EvidenceRead,
    StepBody,
    WithdrawBody,
)
from registry_api.application.service import application_service
from registry_api.deps import PiiCipherDep
from registry_api.household.errors import AreaNotCovered
from registry_api.models import Application, ApplicationStatus
from servicekit.errors import AppError, PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate
from servicekit.web.idempotency import IdempotencyKeyRequired, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/applications", tags=["applications"])
reference_router = APIRouter(tags=["eligibility-rules"])
confirmations_router = APIRouter(
    prefix="/eligibility-confirmations", tags=["eligibility-confirmations"], route_class=IdempotentRoute
)
STEP_ERRORS: tuple[type[AppError], ...] = (
    ApplicationNotFound,
    StepDateInvalid,
    PreconditionFailed,
    PreconditionRequired,
    *ILLEGAL_FROM.values(),
)


async def _detail(session: SessionDep, app: Application, response: Response) -> ApplicationDetail:
    set_etag(response, app.version)
    evidence = await application_service.evidence(session, app)
    return ApplicationDetail.model_validate(
        ApplicationRead.model_validate(app).model_dump()
        | {"evidence": [EvidenceRead.model_validate(e) for e in evidence]}
    )


@router.post(
    "",
    status_code=201,
    response_model=ApplicationDetail,
    responses=error_responses(
        ApplicantNotFound,
        ApplicationProjectNotFound,
        ProjectSaleNotPublished,
        ProjectSaleWindowClosed,
        TenureNotOffered,
        AreaNotCovered,
        ApplicationPersonInvalid,
        BeneficiaryGroupNotApplicable,
        ApplicationOpenExists,
    ),
)
async def create_application(
    body: ApplicationCreate, session: SessionDep, caller: ApplicationsWrite, response: Response
) -> ApplicationDetail:
    """Start a draft application of a person of your area. A second application while one is open
    (draft, submitted or eligible) is a 409 `application_open_exists`."""
    app = await application_service.create(session, caller, body)
    return await _detail(session, app, response)


@router.get("", response_model=Page[ApplicationRead], responses=error_responses(InvalidCursor))
async def list_applications(
    session: SessionDep, caller: ApplicationsRead, page: Pagination, status: ApplicationStatus | None = None
) -> Page[ApplicationRead]:
    """Applications of your area, keyset-paginated; optionally of one status."""
    rows, next_cursor = await application_service.list_applications(session, caller, page, status)
    return Page(items=[ApplicationRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{application_id}", response_model=ApplicationDetail, responses=error_responses(ApplicationNotFound)
)
async def get_application(
    application_id: uuid.UUID, session: SessionDep, caller: ApplicationsRead, response: Response
) -> ApplicationDetail:
    """One application with its evidence and `ETag`; outside your area it is a 404."""
    app = await application_service.get(session, caller, application_id)
    return await _detail(session, app, response)


@router.post(
    "/{application_id}/evidence",
    status_code=201,
    response_model=EvidenceRead,
    responses=error_responses(
        ApplicationNotFound, ApplicationPersonInvalid, StepDateInvalid, *ILLEGAL_FROM.values()
    ),
)
async def add_evidence(
    application_id: uuid.UUID, body: EvidenceCreate, session: SessionDep, caller: ApplicationsWrite
) -> EvidenceRead:
    """Record a proof document (form and version, issuer, date, the person covered) of a draft or
    submitted application."""
    row = await application_service.add_evidence(session, caller, application_id, body)
    return EvidenceRead.model_validate(row)


@router.get(
    "/{application_id}/eligibility",
    response_model=EligibilityRead,
    responses=error_responses(ApplicationNotFound, NoEligibilityRules),
)
async def get_eligibility(
    application_id: uuid.UUID,
    session: SessionDep,
    caller: ApplicationsRead,
    as_of: Annotated[IsoDate | None, Query(description="Apply the rules of this date instead.")] = None,
) -> EligibilityRead:
    """The eligibility trace: each rule in force on the submission date (or `as_of`; today for a
    draft) with pass / fail / unknown / not_applicable, the evidence used and its legal basis."""
    on, trace = await application_service.eligibility(session, caller, application_id, as_of)
    from registry_api.application.eligibility import verdict

    return EligibilityRead.model_validate(
        {"application_id": application_id, "as_of": on, "verdict": verdict(trace), "trace": trace}
    )


async def _after(session: SessionDep, app: Application, response: Response) -> ApplicationDetail:
    return await _detail(session, app, response)


@router.post(
    "/{application_id}/submit",
    response_model=ApplicationDetail,
    responses=error_responses(*STEP_ERRORS, ProjectSaleNotPublished, ProjectSaleWindowClosed),
)
async def submit_application(
    application_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: ApplicationsWrite,
    version: IfMatchVersion,
    response: Response,
) -> ApplicationDetail:
    """draft -> submitted on `on` (today by default). Send the `ETag` as `If-Match`."""
    app = await application_service.submit(session, caller, application_id, version, body.on)
    return await _after(session, app, response)


@router.post(
    "/{application_id}/assess",
    response_model=ApplicationDetail,
    responses=error_responses(*STEP_ERRORS, EligibilityUnknown, NoEligibilityRules),
)
async def assess_application(
    application_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: ApplicationsWrite,
    version: IfMatchVersion,
    response: Response,
) -> ApplicationDetail:
    """submitted -> eligible or ineligible by the rules in force on the submission date; the trace is
    stored. A rule still unknown is a 409 `eligibility_unknown` naming it."""
    app = await application_service.assess(session, caller, application_id, version, body.on)
    return await _after(session, app, response)


@router.post(
    "/{application_id}/allocate",
    response_model=ApplicationDetail,
    responses=error_responses(*STEP_ERRORS, ProjectSaleNotPublished, ProjectSaleWindowClosed),
)
async def allocate_application(
    application_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: ApplicationsWrite,
    version: IfMatchVersion,
    response: Response,
) -> ApplicationDetail:
    """eligible -> allocated."""
    app = await application_service.allocate(session, caller, application_id, version, body.on)
    return await _after(session, app, response)


@router.post(
    "/{application_id}/withdraw",
    response_model=ApplicationDetail,
    responses=error_responses(*STEP_ERRORS, ProjectSaleNotPublished, ProjectSaleWindowClosed),
)
async def withdraw_application(
    application_id: uuid.UUID,
    body: WithdrawBody,
    session: SessionDep,
    caller: ApplicationsWrite,
    version: IfMatchVersion,
    response: Response,
) -> ApplicationDetail:
    """draft, submitted or eligible -> withdrawn, with a reason."""
    app = await application_service.withdraw(session, caller, application_id, version, body.on, body.reason)
    return await _after(session, app, response)


@reference_router.get(
    "/beneficiary-groups", response_model=Page[BeneficiaryGroupRead], responses=error_responses(InvalidCursor)
)
async def list_beneficiary_groups(
    session: SessionDep, _caller: ReferenceRead, page: Pagination, on: IsoDate | None = None
) -> Page[BeneficiaryGroupRead]:
    """The beneficiary groups (HL2023 Art. 76) with their legal basis; with `on`, those valid that day."""
    rows, next_cursor = await application_service.list_groups(session, page, on)
    return Page(items=[BeneficiaryGroupRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@reference_router.get(
    "/eligibility-rules", response_model=Page[EligibilityRuleRead], responses=error_responses(InvalidCursor)
)
async def list_eligibility_rules(
    session: SessionDep, _caller: ReferenceRead, page: Pagination
) -> Page[EligibilityRuleRead]:
    """Every eligibility rule with its validity, parameters and legal basis."""
    rows, next_cursor = await application_service.list_rules(session, page)
    return Page(items=[EligibilityRuleRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@confirmations_router.post("", status_code=201, response_model=ConfirmationRead, responses=error_responses())
async def create_eligibility_confirmation(
    body: ConfirmationCreate,
    session: SessionDep,
    caller: ConfirmationsCreate,
    cipher: PiiCipherDep,
    _key: IdempotencyKeyRequired,
) -> ConfirmationRead:
    """For banks and funding-api: is the person with this citizen ID eligible for the purpose? An
    unknown person (or one outside your area) is `eligible: false` with reason `person_unknown`."""
    row = await application_service.confirm(session, caller, cipher, body)
    return ConfirmationRead(
        confirmation_id=row.id,
        eligible=row.eligible,
        purpose=body.purpose,
        as_of=row.as_of,
        reasons=row.reasons,
        inputs_fingerprint=row.inputs_fingerprint,
    )

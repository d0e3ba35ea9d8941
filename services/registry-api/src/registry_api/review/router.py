from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from registry_api.household.errors import HouseholdNotFound
from registry_api.models import ReviewState
from registry_api.review.errors import (
    AgreementBelowThreshold,
    AreaNotCovered,
    CampaignExists,
    CampaignNotFound,
    HouseholdNotInProvince,
    NothingToSubmit,
    RecordExists,
    RecordLocked,
    RecordNotFound,
    ReviewRuleNotApplicable,
    SetSubmitted,
    StatusChangeInvalid,
    SubmissionNotFound,
    TransitionNotAllowed,
    WindowClosed,
    WindowInvalid,
)
from registry_api.review.permissions import ReviewsDecide, ReviewsRead, ReviewsRecord, RulesRead
from registry_api.review.schemas import (
    CampaignCreate,
    CampaignRead,
    CampaignUpdate,
    CommuneProgressRead,
    CorrectionCreate,
    ProgressRead,
    RecordCreate,
    RecordRead,
    RecordUpdate,
    ReturnBody,
    ReviewRuleRead,
    SubmissionRead,
)
from registry_api.review.service import review_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["reviews"])
rules_router = APIRouter(prefix="/review-rules", tags=["review-rules"])

CommuneCode = Annotated[str, Path(pattern=r"^\d{5}$", examples=["11560"])]
ACTION_ERRORS = error_responses(
    CampaignNotFound, SubmissionNotFound, TransitionNotAllowed, PreconditionFailed, PreconditionRequired
)


@router.post(
    "/review-campaigns",
    status_code=201,
    response_model=CampaignRead,
    responses=error_responses(AreaNotCovered, CampaignExists, ReviewRuleNotApplicable, WindowInvalid),
)
async def open_review_campaign(
    body: CampaignCreate, session: SessionDep, caller: ReviewsDecide, response: Response
) -> CampaignRead:
    """Open a province's annual review for a year (province officers of that province). The window
    defaults to the one of the review rule in force."""
    campaign = await review_service.open_campaign(session, caller, body)
    set_etag(response, campaign.version)
    return CampaignRead.model_validate(campaign)


@router.get("/review-campaigns", response_model=Page[CampaignRead], responses=error_responses(InvalidCursor))
async def list_review_campaigns(
    session: SessionDep,
    caller: ReviewsRead,
    page: Pagination,
    year: Annotated[int | None, Query(ge=2021, le=2100)] = None,
) -> Page[CampaignRead]:
    """The campaigns of the provinces you cover (or your communes lie in), newest year first."""
    rows, next_cursor = await review_service.list_campaigns(session, caller, page, year=year)
    return Page(items=[CampaignRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/review-campaigns/{campaign_id}",
    response_model=CampaignRead,
    responses=error_responses(CampaignNotFound),
)
async def get_review_campaign(
    campaign_id: uuid.UUID, session: SessionDep, caller: ReviewsRead, response: Response
) -> CampaignRead:
    """One campaign with its `ETag`; another province's is a 404."""
    campaign = await review_service.get_campaign(session, caller, campaign_id)
    set_etag(response, campaign.version)
    return CampaignRead.model_validate(campaign)


@router.patch(
    "/review-campaigns/{campaign_id}",
    response_model=CampaignRead,
    responses=error_responses(
        CampaignNotFound, AreaNotCovered, WindowInvalid, PreconditionFailed, PreconditionRequired
    ),
)
async def update_review_campaign(
    campaign_id: uuid.UUID,
    body: CampaignUpdate,
    session: SessionDep,
    caller: ReviewsDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> CampaignRead:
    """Move the campaign's window (local dates within its year). Send the `ETag` as `If-Match`."""
    campaign = await review_service.update_campaign(session, caller, campaign_id, expected_version, body)
    set_etag(response, campaign.version)
    return CampaignRead.model_validate(campaign)


@router.get(
    "/review-campaigns/{campaign_id}/progress",
    response_model=ProgressRead,
    responses=error_responses(CampaignNotFound),
)
async def get_review_progress(
    campaign_id: uuid.UUID, session: SessionDep, caller: ReviewsRead
) -> ProgressRead:
    """Per commune of your area that has records: households reviewed, records by state and the
    state of its record set (at most one row per commune of the province)."""
    campaign, rows = await review_service.progress(session, caller, campaign_id)
    return ProgressRead(
        campaign_id=campaign.id,
        communes=[
            CommuneProgressRead(
                commune_code=r.commune_code,
                submission_state=ReviewState(r.submission_state) if r.submission_state else None,
                households_reviewed=r.households_reviewed,
                draft=r.draft,
                submitted=r.submitted,
                approved=r.approved,
                returned=r.returned,
                corrections=r.corrections,
            )
            for r in rows
        ],
    )


@router.post(
    "/review-campaigns/{campaign_id}/records",
    status_code=201,
    response_model=RecordRead,
    responses=error_responses(
        CampaignNotFound,
        HouseholdNotFound,
        HouseholdNotInProvince,
        WindowClosed,
        StatusChangeInvalid,
        AgreementBelowThreshold,
        RecordExists,
        SetSubmitted,
    ),
)
async def create_review_record(
    campaign_id: uuid.UUID, body: RecordCreate, session: SessionDep, caller: ReviewsRecord, response: Response
) -> RecordRead:
    """Record a household's result of your commune during the window: a new case, a status change or
    no change, with the village meeting's agreement share (at least the rule's threshold)."""
    record = await review_service.record(session, caller, campaign_id, body)
    set_etag(response, record.version)
    return RecordRead.model_validate(record)


@router.get(
    "/review-campaigns/{campaign_id}/records",
    response_model=Page[RecordRead],
    responses=error_responses(CampaignNotFound, InvalidCursor),
)
async def list_review_records(
    campaign_id: uuid.UUID,
    session: SessionDep,
    caller: ReviewsRead,
    page: Pagination,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    state: ReviewState | None = None,
) -> Page[RecordRead]:
    """The campaign's records of your area."""
    rows, next_cursor = await review_service.list_records(
        session, caller, campaign_id, page, commune_code=commune_code, state=state
    )
    return Page(items=[RecordRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/review-records/{record_id}", response_model=RecordRead, responses=error_responses(RecordNotFound)
)
async def get_review_record(
    record_id: uuid.UUID, session: SessionDep, caller: ReviewsRead, response: Response
) -> RecordRead:
    """One record with its `ETag`; outside your area a 404."""
    record = await review_service.get_record(session, caller, record_id)
    set_etag(response, record.version)
    return RecordRead.model_validate(record)


@router.patch(
    "/review-records/{record_id}",
    response_model=RecordRead,
    responses=error_responses(
        RecordNotFound,
        RecordLocked,
        WindowClosed,
        StatusChangeInvalid,
        AgreementBelowThreshold,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def update_review_record(
    record_id: uuid.UUID,
    body: RecordUpdate,
    session: SessionDep,
    caller: ReviewsRecord,
    expected_version: IfMatchVersion,
    response: Response,
) -> RecordRead:
    """Change a draft or returned record (`If-Match`). Submitted and approved ones are locked."""
    record = await review_service.update_record(session, caller, record_id, expected_version, body)
    set_etag(response, record.version)
    return RecordRead.model_validate(record)


@router.post(
    "/review-records/{record_id}/corrections",
    status_code=201,
    response_model=RecordRead,
    responses=error_responses(
        RecordNotFound, TransitionNotAllowed, SetSubmitted, StatusChangeInvalid, AgreementBelowThreshold
    ),
)
async def correct_review_record(
    record_id: uuid.UUID,
    body: CorrectionCreate,
    session: SessionDep,
    caller: ReviewsRecord,
    response: Response,
) -> RecordRead:
    """Correct an approved (locked) record: a new draft record that references it and carries the
    reason; it goes through submission and approval like any other."""
    record = await review_service.correct(session, caller, record_id, body)
    set_etag(response, record.version)
    return RecordRead.model_validate(record)


@router.get(
    "/review-campaigns/{campaign_id}/communes/{commune_code}",
    response_model=SubmissionRead,
    responses=error_responses(CampaignNotFound, SubmissionNotFound),
)
async def get_review_submission(
    campaign_id: uuid.UUID,
    commune_code: CommuneCode,
    session: SessionDep,
    caller: ReviewsRead,
    response: Response,
) -> SubmissionRead:
    """A commune's record set and its state, with the `ETag` the actions need."""
    submission = await review_service.get_submission(session, caller, campaign_id, commune_code)
    set_etag(response, submission.version)
    return SubmissionRead.model_validate(submission)


@router.post(
    "/review-campaigns/{campaign_id}/communes/{commune_code}/submit",
    response_model=SubmissionRead,
    responses={**ACTION_ERRORS, **error_responses(NothingToSubmit)},
)
async def submit_review_set(
    campaign_id: uuid.UUID,
    commune_code: CommuneCode,
    session: SessionDep,
    caller: ReviewsRecord,
    expected_version: IfMatchVersion,
    response: Response,
) -> SubmissionRead:
    """Submit your commune's draft and returned records to the province (`If-Match`)."""
    submission = await review_service.transition(
        session, caller, campaign_id, commune_code, "submit", expected_version
    )
    set_etag(response, submission.version)
    return SubmissionRead.model_validate(submission)


@router.post(
    "/review-campaigns/{campaign_id}/communes/{commune_code}/approve",
    response_model=SubmissionRead,
    responses=ACTION_ERRORS,
)
async def approve_review_set(
    campaign_id: uuid.UUID,
    commune_code: CommuneCode,
    session: SessionDep,
    caller: ReviewsDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> SubmissionRead:
    """Approve a submitted record set (`If-Match`): its records are locked."""
    submission = await review_service.transition(
        session, caller, campaign_id, commune_code, "approve", expected_version
    )
    set_etag(response, submission.version)
    return SubmissionRead.model_validate(submission)


@router.post(
    "/review-campaigns/{campaign_id}/communes/{commune_code}/return",
    response_model=SubmissionRead,
    responses=ACTION_ERRORS,
)
async def return_review_set(
    campaign_id: uuid.UUID,
    commune_code: CommuneCode,
    body: ReturnBody,
    session: SessionDep,
    caller: ReviewsDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> SubmissionRead:
    """Return a submitted record set to the commune with a reason (`If-Match`); its records become
    editable again."""
    submission = await review_service.transition(
        session, caller, campaign_id, commune_code, "return", expected_version, reason=body.reason
    )
    set_etag(response, submission.version)
    return SubmissionRead.model_validate(submission)


@rules_router.get("", response_model=Page[ReviewRuleRead], responses=error_responses(InvalidCursor))
async def list_review_rules(
    session: SessionDep, _caller: RulesRead, page: Pagination
) -> Page[ReviewRuleRead]:
    """The review's dated rules (window, meeting threshold) with their legal basis, oldest first."""
    rows, next_cursor = await review_service.list_rules(session, page)
    return Page(items=[ReviewRuleRead.model_validate(r) for r in rows], next_cursor=next_cursor)

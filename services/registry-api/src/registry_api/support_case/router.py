from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from registry_api.config import Settings
from registry_api.deps import FundingClientDep
from registry_api.household.errors import AreaNotCovered, HouseholdClosed, HouseholdNotFound
from registry_api.models import SupportCaseStatus, SupportKind, SupportStream
from registry_api.person.errors import PersonNotFound
from registry_api.support_case.errors import (
    AcceptanceNeedsPhotos,
    AlreadySupported,
    IllegalTransition,
    PhotoContentInvalid,
    PhotoExists,
    PhotoTooLarge,
    StepDateInvalid,
    SupportCaseNotFound,
    SupportPhotoNotFound,
    SupportRateNotApplicable,
)
from registry_api.support_case.permissions import (
    SupportCasesApprove,
    SupportCasesRead,
    SupportCasesReadOrService,
    SupportCasesWrite,
    SupportRatesRead,
)
from registry_api.support_case.schemas import (
    FundingLineRead,
    PhotoCreate,
    PhotoRead,
    StepBody,
    SupportCaseCreate,
    SupportCaseDetail,
    SupportCaseRead,
    SupportCaseUpdate,
    SupportHistoryRead,
    SupportRateRead,
    WithdrawBody,
)
from registry_api.support_case.service import CaseWithFunding, support_case_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.principal import Principal
from servicekit.schemas import IsoDate
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/support-cases", tags=["support-cases"])
history_router = APIRouter(tags=["support-cases"])
rates_router = APIRouter(prefix="/support-rates", tags=["support-rates"])

STEP_ERRORS = (
    SupportCaseNotFound,
    IllegalTransition,
    StepDateInvalid,
    PreconditionFailed,
    PreconditionRequired,
)


def _detail(found: CaseWithFunding) -> SupportCaseDetail:
    lines = found.funding_lines
    return SupportCaseDetail(
        **SupportCaseRead.model_validate(found.case).model_dump(),
        funding_status="unavailable" if lines is None else "available",
        funding_lines=[FundingLineRead.model_validate(line.model_dump()) for line in lines or []],
    )


@router.post(
    "",
    status_code=201,
    response_model=SupportCaseRead,
    responses=error_responses(
        HouseholdNotFound,
        AreaNotCovered,
        HouseholdClosed,
        AlreadySupported,
        SupportRateNotApplicable,
        StepDateInvalid,
    ),
)
async def propose_support_case(
    body: SupportCaseCreate, session: SessionDep, caller: SupportCasesWrite, response: Response
) -> SupportCaseRead:
    """Propose support to build or repair the house of a household of your commune. The state amount
    is the stored rate of the stream and kind on `proposed_on`. A household (or any current member)
    that already has a support of the same kind in progress or received is refused with
    409 `already_supported`, naming that case, its stream and when it was proposed."""
    case = await support_case_service.propose(session, caller, body)
    set_etag(response, case.version)
    return SupportCaseRead.model_validate(case)


@router.get("", response_model=Page[SupportCaseRead], responses=error_responses(InvalidCursor))
async def list_support_cases(
    session: SessionDep,
    caller: SupportCasesReadOrService,
    page: Pagination,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    household_id: uuid.UUID | None = None,
    stream: SupportStream | None = None,
    kind: SupportKind | None = None,
    status: SupportCaseStatus | None = None,
    proposed_from: Annotated[
        IsoDate | None, Query(description="Proposed on or after this local date.")
    ] = None,
    proposed_to: Annotated[
        IsoDate | None, Query(description="Proposed on or before this local date.")
    ] = None,
) -> Page[SupportCaseRead]:
    """The support cases of your area, oldest first, filtered as asked."""
    rows, next_cursor = await support_case_service.list_cases(
        session,
        caller,
        page,
        commune_code=commune_code,
        household_id=household_id,
        stream=stream,
        kind=kind,
        status=status,
        proposed_from=proposed_from,
        proposed_to=proposed_to,
    )
    return Page(items=[SupportCaseRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{case_id}", response_model=SupportCaseDetail, responses=error_responses(SupportCaseNotFound))
async def get_support_case(
    case_id: uuid.UUID,
    session: SessionDep,
    caller: SupportCasesReadOrService,
    funding: FundingClientDep,
    response: Response,
) -> SupportCaseDetail:
    """One case with its `ETag` and its funding lines from funding-api. When funding-api cannot answer,
    the case is still answered, with `funding_status: "unavailable"`. A case outside your area is a 404."""
    found = await support_case_service.detail(session, caller, case_id, funding)
    set_etag(response, found.case.version)
    return _detail(found)


@router.patch(
    "/{case_id}",
    response_model=SupportCaseRead,
    responses=error_responses(
        SupportCaseNotFound, IllegalTransition, PreconditionFailed, PreconditionRequired
    ),
)
async def update_support_case(
    case_id: uuid.UUID,
    body: SupportCaseUpdate,
    session: SessionDep,
    caller: SupportCasesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Change the note of an open case. Send the `ETag` as `If-Match`."""
    case = await support_case_service.update(session, caller, case_id, expected_version, body)
    set_etag(response, case.version)
    return SupportCaseRead.model_validate(case)


async def _step(
    action: str,
    case_id: uuid.UUID,
    session: SessionDep,
    caller: Principal,
    expected_version: int,
    response: Response,
    body: StepBody | WithdrawBody,
) -> SupportCaseRead:
    reason = body.reason if isinstance(body, WithdrawBody) else None
    case = await support_case_service.act(
        session, caller, case_id, expected_version, action, on=body.on, reason=reason
    )
    set_etag(response, case.version)
    return SupportCaseRead.model_validate(case)


@router.post("/{case_id}/approve", response_model=SupportCaseRead, responses=error_responses(*STEP_ERRORS))
async def approve_support_case(
    case_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: SupportCasesApprove,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Approve a proposed case (province officers). Send the `ETag` as `If-Match`; any other state is
    a 409 whose code names it (`support_case_is_<state>`)."""
    return await _step("approve", case_id, session, caller, expected_version, response, body)


@router.post("/{case_id}/start", response_model=SupportCaseRead, responses=error_responses(*STEP_ERRORS))
async def start_support_case(
    case_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: SupportCasesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Record that the works of an approved case started. `If-Match` required."""
    return await _step("start", case_id, session, caller, expected_version, response, body)


@router.post("/{case_id}/complete", response_model=SupportCaseRead, responses=error_responses(*STEP_ERRORS))
async def complete_support_case(
    case_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: SupportCasesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Record that the works of a started case are finished. `If-Match` required."""
    return await _step("complete", case_id, session, caller, expected_version, response, body)


@router.post(
    "/{case_id}/accept",
    response_model=SupportCaseRead,
    responses=error_responses(*STEP_ERRORS, AcceptanceNeedsPhotos),
)
async def accept_support_case(
    case_id: uuid.UUID,
    body: StepBody,
    session: SessionDep,
    caller: SupportCasesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Accept the finished works (nghiệm thu). Needs an uploaded `before` and an uploaded `after` photo
    (409 `acceptance_needs_photos`). `If-Match` required."""
    return await _step("accept", case_id, session, caller, expected_version, response, body)


@router.post("/{case_id}/withdraw", response_model=SupportCaseRead, responses=error_responses(*STEP_ERRORS))
async def withdraw_support_case(
    case_id: uuid.UUID,
    body: WithdrawBody,
    session: SessionDep,
    caller: SupportCasesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> SupportCaseRead:
    """Withdraw a proposed, approved or started case, with the reason. The household may then be
    proposed again for that kind. `If-Match` required."""
    return await _step("withdraw", case_id, session, caller, expected_version, response, body)


@router.post(
    "/{case_id}/photos",
    status_code=201,
    response_model=PhotoRead,
    responses=error_responses(SupportCaseNotFound, IllegalTransition, PhotoExists),
)
async def add_support_case_photo(
    case_id: uuid.UUID, body: PhotoCreate, session: SessionDep, caller: SupportCasesWrite
) -> PhotoRead:
    """Record a photo of the house before or after the works: file reference, SHA-256, when it was
    taken and optionally where (GPS). Upload its bytes with `PUT .../photos/{photo_id}`."""
    photo = await support_case_service.add_photo(session, caller, case_id, body)
    return PhotoRead.model_validate(photo)


@router.get(
    "/{case_id}/photos", response_model=list[PhotoRead], responses=error_responses(SupportCaseNotFound)
)
async def list_support_case_photos(
    case_id: uuid.UUID, session: SessionDep, caller: SupportCasesRead
) -> list[PhotoRead]:
    """The photo records of a case (a handful per case, so not paged)."""
    photos = await support_case_service.photos(session, caller, case_id)
    return [PhotoRead.model_validate(p) for p in photos]


@router.put(
    "/{case_id}/photos/{photo_id}",
    response_model=PhotoRead,
    responses=error_responses(
        SupportCaseNotFound, SupportPhotoNotFound, IllegalTransition, PhotoContentInvalid, PhotoTooLarge
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in ("image/jpeg", "image/png", "image/webp")
            },
        }
    },
)
async def upload_support_case_photo(
    case_id: uuid.UUID,
    photo_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    caller: SupportCasesWrite,
    content_type: Annotated[str, Header(alias="Content-Type")] = "",
) -> PhotoRead:
    """Upload the bytes of a recorded photo: JPEG, PNG or WebP, at most the configured size, with the
    SHA-256 recorded. Sending the same bytes again changes nothing."""
    settings: Settings = request.app.state.settings
    limit = settings.SUPPORT_PHOTO_MAX_BYTES
    content = bytearray()
    async for chunk in request.stream():
        content.extend(chunk)
        if len(content) > limit:
            break  # stop reading: the service refuses it as too large
    photo = await support_case_service.upload_photo(
        session, caller, case_id, photo_id, content_type=content_type, content=bytes(content), max_bytes=limit
    )
    return PhotoRead.model_validate(photo)


@router.get(
    "/{case_id}/photos/{photo_id}/content",
    response_class=Response,
    responses={
        200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}}, "description": "The image."},
        **error_responses(SupportCaseNotFound, SupportPhotoNotFound),
    },
)
async def get_support_case_photo_content(
    case_id: uuid.UUID, photo_id: uuid.UUID, session: SessionDep, caller: SupportCasesRead
) -> Response:
    """The uploaded bytes of a photo, with their content type."""
    photo = await support_case_service.photo_content(session, caller, case_id, photo_id)
    assert photo.content is not None
    assert photo.content_type is not None
    return Response(
        content=photo.content,
        media_type=photo.content_type,
        headers={"Cache-Control": "private, no-store", "ETag": f'"{photo.sha256}"'},
    )


@history_router.get(
    "/households/{household_id}/support-history",
    response_model=Page[SupportHistoryRead],
    responses=error_responses(HouseholdNotFound, InvalidCursor),
)
async def list_household_support_history(
    household_id: uuid.UUID, session: SessionDep, caller: SupportCasesRead, page: Pagination
) -> Page[SupportHistoryRead]:
    """Every support of a household of your area, oldest first, with the persons in it at the time."""
    rows, next_cursor = await support_case_service.household_history(session, caller, household_id, page)
    return Page(items=[SupportHistoryRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@history_router.get(
    "/persons/{person_id}/support-history",
    response_model=Page[SupportHistoryRead],
    responses=error_responses(PersonNotFound, InvalidCursor),
)
async def list_person_support_history(
    person_id: uuid.UUID, session: SessionDep, caller: SupportCasesRead, page: Pagination
) -> Page[SupportHistoryRead]:
    """Every support a person of your area was part of (in any household of your area), oldest first."""
    rows, next_cursor = await support_case_service.person_history(session, caller, person_id, page)
    return Page(items=[SupportHistoryRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@rates_router.get("", response_model=Page[SupportRateRead], responses=error_responses(InvalidCursor))
async def list_support_rates(
    session: SessionDep, _caller: SupportRatesRead, page: Pagination
) -> Page[SupportRateRead]:
    """The state support amounts per stream and kind, with the period and legal basis of each."""
    rows, next_cursor = await support_case_service.list_rates(session, page)
    return Page(items=[SupportRateRead.model_validate(r) for r in rows], next_cursor=next_cursor)

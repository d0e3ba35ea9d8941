from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from inspection_api.config import Settings
from inspection_api.deps import RegistryClientDep
from inspection_api.inspection_case.blobstore import BlobStore, build_blob_store
from inspection_api.inspection_case.errors import (
    AreaNotCovered,
    CaptureTimeInFuture,
    CaseClosed,
    CaseNotAssignedToYou,
    CaseNotFound,
    CaseNotInProgress,
    CaseTransitionNotAllowed,
    CaseViolationUnknown,
    ChecklistItemUnknown,
    ChecklistKindMismatch,
    ChecklistVersionUnknown,
    ClosureNoteRequired,
    CommuneNotInProvince,
    DateInvalid,
    EvidenceContentAltered,
    EvidenceContentMissing,
    EvidenceNotFound,
    EvidenceStoreUnavailable,
    FindingNotFound,
    FindingUnknown,
    FineOutOfRange,
    PhotoNotAnImage,
    PhotoTooLarge,
    PlanItemMismatch,
    PlanItemUnknown,
    RecheckOpen,
    SanctionNumberTaken,
    ViolationAlreadySanctioned,
    ViolationsUnsanctioned,
    ViolationTypeNotInForce,
    ViolationTypeUnknown,
)
from inspection_api.inspection_case.permissions import (
    CasesDecide,
    CasesPlan,
    CasesRead,
    CasesWork,
    ViolationTypesRead,
)
from inspection_api.inspection_case.schemas import (
    CaseAssign,
    CaseClose,
    CaseConclude,
    CaseCreate,
    CaseRead,
    CaseStart,
    EvidenceRead,
    FindingCreate,
    FindingRead,
    FindingUpdate,
    RecheckCreate,
    RecheckRead,
    SanctionCreate,
    SanctionRead,
    ViolationCreate,
    ViolationRead,
    ViolationTypeRead,
)
from inspection_api.inspection_case.service import PhotoMeta, inspection_case_service
from inspection_api.inspection_case.states import allowed_actions
from inspection_api.models import CaseKind, CaseStatus, InspectionCase
from servicekit.errors import PreconditionFailed, PreconditionRequired, UpstreamUnavailable, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate, IsoDateTime, QueryBool
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["inspection-cases"])
CASES = "/inspection-cases"
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
# Every workflow step on a case can meet these.
STEP_ERRORS = (
    CaseNotFound,
    CaseClosed,
    CaseTransitionNotAllowed,
    CaseNotAssignedToYou,
    PreconditionFailed,
    PreconditionRequired,
)
WORK_ERRORS = (CaseNotFound, CaseClosed, CaseNotInProgress, CaseNotAssignedToYou)


def blob_store(request: Request) -> BlobStore:
    """The evidence store the settings select, built once per app (tests put their own in state)."""
    store: BlobStore | None = getattr(request.app.state, "blob_store", None)
    if store is None:
        settings: Settings = request.app.state.settings
        store = build_blob_store(settings)
        request.app.state.blob_store = store
    return store


def case_read(case: InspectionCase) -> CaseRead:
    fields = {name: getattr(case, name) for name in CaseRead.model_fields if name != "allowed_actions"}
    return CaseRead.model_validate({**fields, "allowed_actions": allowed_actions(case.status)})


def _case(response: Response, case: InspectionCase) -> CaseRead:
    set_etag(response, case.version)
    return case_read(case)


# ------------------------------------------------------------------------------------------ cases


@router.post(
    CASES,
    status_code=201,
    response_model=CaseRead,
    responses=error_responses(
        AreaNotCovered, CommuneNotInProvince, PlanItemUnknown, PlanItemMismatch, UpstreamUnavailable
    ),
)
async def open_inspection_case(
    body: CaseCreate,
    session: SessionDep,
    caller: CasesPlan,
    registry: RegistryClientDep,
    response: Response,
) -> CaseRead:
    """Open a Department of Construction check (`construction_check`) or a provincial Inspectorate
    inspection (`inspectorate_inspection`) in an area you cover, ad hoc or for an item of the yearly
    plan (`plan_item_id`, same kind and area). registry-api confirms the commune lies in the province
    (503 while it is unreachable). The case starts `planned`."""
    case = await inspection_case_service.create(session, caller, body, registry)
    return _case(response, case)


@router.get(CASES, response_model=Page[CaseRead], responses=error_responses(InvalidCursor))
async def list_inspection_cases(
    session: SessionDep,
    caller: CasesRead,
    page: Pagination,
    status: CaseStatus | None = None,
    kind: CaseKind | None = None,
    mine: Annotated[QueryBool, Query(description="Only the cases assigned to you.")] = False,
    plan_item_id: uuid.UUID | None = None,
    parent_case_id: Annotated[uuid.UUID | None, Query(description="The re-checks of a case.")] = None,
) -> Page[CaseRead]:
    """The cases in your area, oldest first."""
    rows, next_cursor = await inspection_case_service.list_cases(
        session,
        caller,
        page,
        status=status,
        kind=kind,
        mine=mine,
        plan_item_id=plan_item_id,
        parent_case_id=parent_case_id,
    )
    return Page(items=[case_read(r) for r in rows], next_cursor=next_cursor)


@router.get(CASES + "/{case_id}", response_model=CaseRead, responses=error_responses(CaseNotFound))
async def get_inspection_case(
    case_id: uuid.UUID, session: SessionDep, caller: CasesRead, response: Response
) -> CaseRead:
    """One case with its `ETag` and the steps its state allows. A case outside your area is a 404."""
    return _case(response, await inspection_case_service.get(session, caller, case_id))


@router.post(CASES + "/{case_id}/assign", response_model=CaseRead, responses=error_responses(*STEP_ERRORS))
async def assign_inspection_case(
    case_id: uuid.UUID,
    body: CaseAssign,
    session: SessionDep,
    caller: CasesPlan,
    expected_version: IfMatchVersion,
    response: Response,
) -> CaseRead:
    """Assign (or re-assign, before work starts) the case to an inspector, by account subject.
    `If-Match` required."""
    case = await inspection_case_service.assign(session, caller, case_id, expected_version, body)
    return _case(response, case)


@router.post(
    CASES + "/{case_id}/start",
    response_model=CaseRead,
    responses=error_responses(*STEP_ERRORS, ChecklistVersionUnknown, ChecklistKindMismatch),
)
async def start_inspection_case(
    case_id: uuid.UUID,
    body: CaseStart,
    session: SessionDep,
    caller: CasesWork,
    expected_version: IfMatchVersion,
    response: Response,
) -> CaseRead:
    """The assigned inspector starts work, naming the checklist template version used (frozen from
    then on). `If-Match` required."""
    case = await inspection_case_service.start(session, caller, case_id, expected_version, body)
    return _case(response, case)


@router.post(
    CASES + "/{case_id}/conclude",
    response_model=CaseRead,
    responses=error_responses(*STEP_ERRORS, DateInvalid),
)
async def conclude_inspection_case(
    case_id: uuid.UUID,
    body: CaseConclude,
    session: SessionDep,
    caller: CasesWork,
    expected_version: IfMatchVersion,
    response: Response,
) -> CaseRead:
    """The assigned inspector records the conclusion (kết luận) and its date. `If-Match` required."""
    case = await inspection_case_service.conclude(session, caller, case_id, expected_version, body)
    return _case(response, case)


@router.post(
    CASES + "/{case_id}/sanctions",
    status_code=201,
    response_model=SanctionRead,
    responses=error_responses(
        *STEP_ERRORS,
        CaseViolationUnknown,
        ViolationAlreadySanctioned,
        SanctionNumberTaken,
        FineOutOfRange,
        DateInvalid,
    ),
)
async def decide_sanction(
    case_id: uuid.UUID,
    body: SanctionCreate,
    session: SessionDep,
    caller: CasesDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> SanctionRead:
    """Record the sanction decision for one violation of a concluded case: number, date, the fine
    (within the catalogue entry's range; a draft range is marked `fine_range_draft`), remedy and its
    deadline. `If-Match` is the case's ETag; the answer's `ETag` is the case's new one."""
    case, decision = await inspection_case_service.decide_sanction(
        session, caller, case_id, expected_version, body
    )
    set_etag(response, case.version)
    return SanctionRead.model_validate(decision)


@router.get(
    CASES + "/{case_id}/sanctions",
    response_model=Page[SanctionRead],
    responses=error_responses(CaseNotFound, InvalidCursor),
)
async def list_sanctions(
    case_id: uuid.UUID, session: SessionDep, caller: CasesRead, page: Pagination
) -> Page[SanctionRead]:
    """The sanction decisions of a case."""
    rows, next_cursor = await inspection_case_service.list_sanctions(session, caller, case_id, page)
    return Page(items=[SanctionRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    CASES + "/{case_id}/rechecks",
    status_code=201,
    response_model=RecheckRead,
    responses=error_responses(*STEP_ERRORS, DateInvalid),
)
async def schedule_recheck(
    case_id: uuid.UUID,
    body: RecheckCreate,
    session: SessionDep,
    caller: CasesDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> RecheckRead:
    """Schedule a follow-up re-check of a concluded or sanctioned case: a new `planned` case, child of
    this one, due on `due_on`. This case moves to `follow_up` and closes once its re-check is closed.
    `If-Match` required; the answer's `ETag` is this case's new one."""
    case, child = await inspection_case_service.schedule_recheck(
        session, caller, case_id, expected_version, body
    )
    set_etag(response, case.version)
    return RecheckRead(case=case_read(case), recheck=case_read(child))


@router.post(
    CASES + "/{case_id}/close",
    response_model=CaseRead,
    responses=error_responses(*STEP_ERRORS, ClosureNoteRequired, ViolationsUnsanctioned, RecheckOpen),
)
async def close_inspection_case(
    case_id: uuid.UUID,
    body: CaseClose,
    session: SessionDep,
    caller: CasesDecide,
    expected_version: IfMatchVersion,
    response: Response,
) -> CaseRead:
    """Close the case; from then on it is read-only. A case not yet worked is cancelled by a province
    officer with a `note`; a concluded one closes once every violation has its sanction decision; a
    case in follow-up once its re-check is closed. `If-Match` required."""
    case = await inspection_case_service.close(session, caller, case_id, expected_version, body)
    return _case(response, case)


# ----------------------------------------------------------------------------------------- findings


@router.post(
    CASES + "/{case_id}/findings",
    status_code=201,
    response_model=FindingRead,
    responses=error_responses(*WORK_ERRORS, ChecklistItemUnknown),
)
async def record_finding(
    case_id: uuid.UUID, body: FindingCreate, session: SessionDep, caller: CasesWork, response: Response
) -> FindingRead:
    """The assigned inspector records a finding, against an item of the case's checklist or free."""
    finding = await inspection_case_service.record_finding(session, caller, case_id, body)
    set_etag(response, finding.version)
    return FindingRead.model_validate(finding)


@router.get(
    CASES + "/{case_id}/findings",
    response_model=Page[FindingRead],
    responses=error_responses(CaseNotFound, InvalidCursor),
)
async def list_findings(
    case_id: uuid.UUID, session: SessionDep, caller: CasesRead, page: Pagination
) -> Page[FindingRead]:
    """The findings of a case, in the order recorded."""
    rows, next_cursor = await inspection_case_service.list_findings(session, caller, case_id, page)
    return Page(items=[FindingRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.patch(
    CASES + "/{case_id}/findings/{finding_id}",
    response_model=FindingRead,
    responses=error_responses(*WORK_ERRORS, FindingNotFound, PreconditionFailed, PreconditionRequired),
)
async def update_finding(
    case_id: uuid.UUID,
    finding_id: uuid.UUID,
    body: FindingUpdate,
    session: SessionDep,
    caller: CasesWork,
    expected_version: IfMatchVersion,
    response: Response,
) -> FindingRead:
    """Change a finding's outcome or note while the case is in progress. `If-Match` is the finding's
    ETag."""
    finding = await inspection_case_service.update_finding(
        session, caller, case_id, finding_id, expected_version, body
    )
    set_etag(response, finding.version)
    return FindingRead.model_validate(finding)


# ----------------------------------------------------------------------------------------- evidence


@router.post(
    CASES + "/{case_id}/photos",
    status_code=201,
    response_model=EvidenceRead,
    responses={
        200: {"description": "These bytes were already stored for this case: the existing photo."},
        **error_responses(
            *WORK_ERRORS,
            PhotoNotAnImage,
            PhotoTooLarge,
            CaptureTimeInFuture,
            FindingUnknown,
            EvidenceStoreUnavailable,
        ),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in IMAGE_TYPES},
        }
    },
)
async def upload_photo(
    case_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    caller: CasesWork,
    response: Response,
    latitude: Annotated[float, Query(ge=-90, le=90, description="WGS 84 latitude where it was taken.")],
    longitude: Annotated[float, Query(ge=-180, le=180, description="WGS 84 longitude.")],
    captured_at: Annotated[IsoDateTime, Query(description="When it was taken, with its UTC offset.")],
    gps_accuracy_m: Annotated[float | None, Query(ge=0, le=100_000)] = None,
    finding_id: uuid.UUID | None = None,
) -> EvidenceRead:
    """Upload a photo of a case in progress as the request body (JPEG, PNG or WebP, checked by its
    bytes: anything else is a 422 `photo_not_an_image` and nothing is stored), with where and when it
    was taken. The server computes its SHA-256; the same bytes sent again answer 200 with the photo
    already stored."""
    settings: Settings = request.app.state.settings
    limit = settings.EVIDENCE_MAX_BYTES
    content = bytearray()
    async for chunk in request.stream():
        content.extend(chunk)
        if len(content) > limit:
            break  # stop reading: the service refuses it as too large
    stored = await inspection_case_service.add_photo(
        session,
        caller,
        case_id,
        content=bytes(content),
        meta=PhotoMeta(
            latitude=latitude,
            longitude=longitude,
            captured_at=captured_at,
            gps_accuracy_m=gps_accuracy_m,
            finding_id=finding_id,
        ),
        store=blob_store(request),
        max_bytes=limit,
    )
    if not stored.created:
        response.status_code = 200
    set_etag(response, stored.evidence.version)
    return EvidenceRead.model_validate(stored.evidence)


@router.get(
    CASES + "/{case_id}/photos",
    response_model=Page[EvidenceRead],
    responses=error_responses(CaseNotFound, InvalidCursor),
)
async def list_photos(
    case_id: uuid.UUID, session: SessionDep, caller: CasesRead, page: Pagination
) -> Page[EvidenceRead]:
    """The photos of a case (their records; the bytes at `.../content`)."""
    rows, next_cursor = await inspection_case_service.list_photos(session, caller, case_id, page)
    return Page(items=[EvidenceRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    CASES + "/{case_id}/photos/{evidence_id}",
    response_model=EvidenceRead,
    responses=error_responses(CaseNotFound, EvidenceNotFound),
)
async def get_photo(
    case_id: uuid.UUID, evidence_id: uuid.UUID, session: SessionDep, caller: CasesRead
) -> EvidenceRead:
    """One photo's record: position, capture time, SHA-256."""
    return EvidenceRead.model_validate(
        await inspection_case_service.photo(session, caller, case_id, evidence_id)
    )


@router.get(
    CASES + "/{case_id}/photos/{evidence_id}/content",
    response_class=Response,
    responses={
        200: {"content": {t: {"schema": {"type": "string", "format": "binary"}} for t in IMAGE_TYPES}},
        **error_responses(
            CaseNotFound,
            EvidenceNotFound,
            EvidenceContentMissing,
            EvidenceContentAltered,
            EvidenceStoreUnavailable,
        ),
    },
)
async def get_photo_content(
    case_id: uuid.UUID, evidence_id: uuid.UUID, request: Request, session: SessionDep, caller: CasesRead
) -> Response:
    """The photo's bytes, checked against the SHA-256 recorded on upload (409
    `evidence_content_altered` if they no longer match)."""
    evidence, content = await inspection_case_service.photo_content(
        session, caller, case_id, evidence_id, blob_store(request)
    )
    return Response(
        content=content,
        media_type=evidence.content_type,
        headers={"Cache-Control": "private, no-store", "ETag": f'"{evidence.sha256}"'},
    )


# --------------------------------------------------------------------------------------- violations


@router.get(
    "/violation-types", response_model=Page[ViolationTypeRead], responses=error_responses(InvalidCursor)
)
async def list_violation_types(
    session: SessionDep,
    caller: ViolationTypesRead,
    page: Pagination,
    in_force_on: Annotated[IsoDate | None, Query(description="Only the entries in force that day.")] = None,
    code: Annotated[str | None, Query(max_length=80)] = None,
) -> Page[ViolationTypeRead]:
    """The violation catalogue: legal basis, fine range in VND, validity; `is_draft` marks values from
    a draft decree (not law in force)."""
    rows, next_cursor = await inspection_case_service.list_violation_types(
        session, page, in_force_on=in_force_on, code=code
    )
    return Page(items=[ViolationTypeRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    CASES + "/{case_id}/violations",
    status_code=201,
    response_model=ViolationRead,
    responses=error_responses(
        *WORK_ERRORS, ViolationTypeUnknown, ViolationTypeNotInForce, FindingUnknown, DateInvalid
    ),
)
async def record_violation(
    case_id: uuid.UUID, body: ViolationCreate, session: SessionDep, caller: CasesWork, response: Response
) -> ViolationRead:
    """The assigned inspector records a violation (biên bản vi phạm) from the catalogue entry in force
    on the day it was observed."""
    violation = await inspection_case_service.record_violation(session, caller, case_id, body)
    set_etag(response, violation.version)
    return ViolationRead.model_validate(violation)


@router.get(
    CASES + "/{case_id}/violations",
    response_model=Page[ViolationRead],
    responses=error_responses(CaseNotFound, InvalidCursor),
)
async def list_violations(
    case_id: uuid.UUID, session: SessionDep, caller: CasesRead, page: Pagination
) -> Page[ViolationRead]:
    """The violations recorded in a case."""
    rows, next_cursor = await inspection_case_service.list_violations(session, caller, case_id, page)
    return Page(items=[ViolationRead.model_validate(r) for r in rows], next_cursor=next_cursor)

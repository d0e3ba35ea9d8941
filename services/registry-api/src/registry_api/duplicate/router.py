from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from registry_api.duplicate.errors import (
    DuplicateAlreadyDecided,
    DuplicateCandidateNotFound,
    DuplicateIsHead,
    KeptPersonInvalid,
)
from registry_api.duplicate.permissions import DuplicatesRead, DuplicatesWrite
from registry_api.duplicate.schemas import DetectionQueued, DuplicateCandidateRead, DuplicateDecision
from registry_api.duplicate.service import duplicate_service
from registry_api.models import DuplicateStatus
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["duplicate-persons"])


@router.post("/duplicate-detections", status_code=202, response_model=DetectionQueued)
async def queue_duplicate_detection(session: SessionDep, caller: DuplicatesWrite) -> DetectionQueued:
    """Queue a detection run over your area (a job). New candidate pairs go to the review queue;
    pairs already queued or decided are not added again."""
    job, codes = await duplicate_service.queue_detection(session, caller)
    return DetectionQueued(job_id=job.id, area_codes=codes)


@router.get(
    "/duplicate-candidates",
    response_model=Page[DuplicateCandidateRead],
    responses=error_responses(InvalidCursor),
)
async def list_duplicate_candidates(
    session: SessionDep, caller: DuplicatesRead, page: Pagination, status: DuplicateStatus | None = None
) -> Page[DuplicateCandidateRead]:
    """The review queue of your area, oldest first: each pair side by side (identifiers masked), with
    the fields that differ."""
    items, next_cursor = await duplicate_service.list_candidates(session, caller, page, status=status)
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/duplicate-candidates/{candidate_id}",
    response_model=DuplicateCandidateRead,
    responses=error_responses(DuplicateCandidateNotFound),
)
async def get_duplicate_candidate(
    candidate_id: uuid.UUID, session: SessionDep, caller: DuplicatesRead, response: Response
) -> DuplicateCandidateRead:
    """One pair with its `ETag`; outside your area a 404."""
    item = await duplicate_service.get(session, caller, candidate_id)
    set_etag(response, item.version)
    return item


@router.post(
    "/duplicate-candidates/{candidate_id}/decision",
    response_model=DuplicateCandidateRead,
    responses=error_responses(
        DuplicateCandidateNotFound,
        DuplicateAlreadyDecided,
        DuplicateIsHead,
        KeptPersonInvalid,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def decide_duplicate_candidate(
    candidate_id: uuid.UUID,
    body: DuplicateDecision,
    session: SessionDep,
    caller: DuplicatesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> DuplicateCandidateRead:
    """Merge the pair (`kept_person_id`: the duplicate's beneficiary categories and past household
    memberships move to the kept person; the pair is marked merged) or keep them separate, with a
    reason. `If-Match` required."""
    item = await duplicate_service.decide(session, caller, candidate_id, expected_version, body)
    set_etag(response, item.version)
    return item

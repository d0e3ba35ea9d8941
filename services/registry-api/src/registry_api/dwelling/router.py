from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from registry_api.dwelling.errors import (
    DwellingAssessmentNotFound,
    DwellingDateInvalid,
    DwellingEnded,
    DwellingNotFound,
    DwellingRuleSetNotApplicable,
)
from registry_api.dwelling.permissions import DwellingsRead, DwellingsWrite, RuleSetsRead
from registry_api.dwelling.schemas import (
    AssessmentCreate,
    AssessmentRead,
    DwellingCreate,
    DwellingRead,
    DwellingRuleSetRead,
    DwellingUpdate,
    StructureRead,
)
from registry_api.dwelling.service import dwelling_service
from registry_api.household.errors import HouseholdClosed, HouseholdNotFound
from registry_api.models import DwellingAssessment, DwellingClass, LandStatus, Material, StructureState
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["dwellings"])
rule_sets_router = APIRouter(prefix="/dwelling-rule-sets", tags=["dwelling-rule-sets"])


def _structure(material: str, state: str) -> StructureRead:
    return StructureRead(material=Material(material), state=StructureState(state))


def assessment_read(a: DwellingAssessment, rule_set_code: str) -> AssessmentRead:
    return AssessmentRead(
        id=a.id,
        dwelling_id=a.dwelling_id,
        household_id=a.household_id,
        rule_set_id=a.rule_set_id,
        rule_set_code=rule_set_code,
        assessed_on=a.assessed_on,
        assessor=a.assessor,
        floor_area_m2=a.floor_area_m2,
        residents=a.residents,
        foundation=_structure(a.foundation_material, a.foundation_state),
        frame_walls=_structure(a.frame_walls_material, a.frame_walls_state),
        roof=_structure(a.roof_material, a.roof_state),
        land_status=LandStatus(a.land_status),
        classification=DwellingClass(a.classification),
        qualifies=a.qualifies,
        criteria=list(a.criteria),
        note=a.note,
        province_code=a.province_code,
        commune_code=a.commune_code,
        created_at=a.created_at,
    )


@router.post(
    "/households/{household_id}/dwellings",
    status_code=201,
    response_model=DwellingRead,
    responses=error_responses(HouseholdNotFound, HouseholdClosed, DwellingDateInvalid),
)
async def create_dwelling(
    household_id: uuid.UUID,
    body: DwellingCreate,
    session: SessionDep,
    caller: DwellingsWrite,
    response: Response,
) -> DwellingRead:
    """Record the house a household of your area lives in from `since`. It becomes the current
    dwelling; the previous one ends the day before and keeps its history."""
    dwelling = await dwelling_service.create(session, caller, household_id, body)
    set_etag(response, dwelling.version)
    return DwellingRead.model_validate(dwelling)


@router.get(
    "/households/{household_id}/dwellings",
    response_model=Page[DwellingRead],
    responses=error_responses(HouseholdNotFound, InvalidCursor),
)
async def list_household_dwellings(
    household_id: uuid.UUID, session: SessionDep, caller: DwellingsRead, page: Pagination
) -> Page[DwellingRead]:
    """A household's dwellings, oldest first; the current one has no `ended_on`."""
    rows, next_cursor = await dwelling_service.list_for_household(session, caller, household_id, page)
    return Page(items=[DwellingRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/dwellings/{dwelling_id}", response_model=DwellingRead, responses=error_responses(DwellingNotFound)
)
async def get_dwelling(
    dwelling_id: uuid.UUID, session: SessionDep, caller: DwellingsRead, response: Response
) -> DwellingRead:
    """One dwelling, with its `ETag`. A dwelling outside your area is a 404."""
    dwelling = await dwelling_service.get(session, caller, dwelling_id)
    set_etag(response, dwelling.version)
    return DwellingRead.model_validate(dwelling)


@router.patch(
    "/dwellings/{dwelling_id}",
    response_model=DwellingRead,
    responses=error_responses(DwellingNotFound, PreconditionFailed, PreconditionRequired),
)
async def update_dwelling(
    dwelling_id: uuid.UUID,
    body: DwellingUpdate,
    session: SessionDep,
    caller: DwellingsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> DwellingRead:
    """Correct the year built or the note. Send the `ETag` as `If-Match`."""
    dwelling = await dwelling_service.update(session, caller, dwelling_id, expected_version, body)
    set_etag(response, dwelling.version)
    return DwellingRead.model_validate(dwelling)


@router.post(
    "/dwellings/{dwelling_id}/assessments",
    status_code=201,
    response_model=AssessmentRead,
    responses=error_responses(
        DwellingNotFound, DwellingEnded, DwellingDateInvalid, DwellingRuleSetNotApplicable
    ),
)
async def assess_dwelling(
    dwelling_id: uuid.UUID, body: AssessmentCreate, session: SessionDep, caller: DwellingsWrite
) -> AssessmentRead:
    """Record the facts found on `assessed_on`; the answer carries the classification computed under
    the rule set valid that day (`rule_set_code`) and the criteria that fired."""
    assessment, rules = await dwelling_service.assess(session, caller, dwelling_id, body)
    return assessment_read(assessment, rules.code)


@router.get(
    "/dwellings/{dwelling_id}/assessments",
    response_model=Page[AssessmentRead],
    responses=error_responses(DwellingNotFound, InvalidCursor),
)
async def list_dwelling_assessments(
    dwelling_id: uuid.UUID, session: SessionDep, caller: DwellingsRead, page: Pagination
) -> Page[AssessmentRead]:
    """Every assessment of a dwelling, newest first (the first is its current classification)."""
    rows, next_cursor = await dwelling_service.list_assessments(session, caller, dwelling_id, page)
    codes = await dwelling_service.rule_set_codes(session, {r.rule_set_id for r in rows})
    return Page(items=[assessment_read(r, codes[r.rule_set_id]) for r in rows], next_cursor=next_cursor)


@router.get(
    "/dwelling-assessments/{assessment_id}",
    response_model=AssessmentRead,
    responses=error_responses(DwellingAssessmentNotFound),
)
async def get_dwelling_assessment(
    assessment_id: uuid.UUID, session: SessionDep, caller: DwellingsRead
) -> AssessmentRead:
    """One assessment. Outside your area it is a 404."""
    assessment = await dwelling_service.get_assessment(session, caller, assessment_id)
    codes = await dwelling_service.rule_set_codes(session, {assessment.rule_set_id})
    return assessment_read(assessment, codes[assessment.rule_set_id])


@rule_sets_router.get("", response_model=Page[DwellingRuleSetRead], responses=error_responses(InvalidCursor))
async def list_dwelling_rule_sets(
    session: SessionDep, _caller: RuleSetsRead, page: Pagination
) -> Page[DwellingRuleSetRead]:
    """The rule sets that classify dwellings, with their legal basis and validity, oldest first."""
    rows, next_cursor = await dwelling_service.list_rule_sets(session, page)
    return Page(items=[DwellingRuleSetRead.model_validate(r) for r in rows], next_cursor=next_cursor)

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.deps import PiiCipherDep
from registry_api.household.errors import (
    AlreadyHead,
    AreaNotCovered,
    CommuneNotInProvince,
    HouseholdClosed,
    HouseholdHeadNeedsCitizenId,
    HouseholdNotFound,
    NotAMember,
)
from registry_api.household.permissions import HouseholdsRead, HouseholdsWrite
from registry_api.household.schemas import (
    HeadChange,
    HouseholdCreate,
    HouseholdDetail,
    HouseholdRead,
    HouseholdUpdate,
)
from registry_api.household.service import household_service
from registry_api.models import Household, Person, ResidenceArea
from registry_api.person.errors import (
    BirthDateInvalid,
    CitizenIdInconsistent,
    CitizenIdIsLegacyNumber,
    CitizenIdMalformed,
    CitizenIdTaken,
    LegacyIdMalformed,
    MoveDateInvalid,
    PhoneMalformed,
)
from registry_api.person.schemas import PersonRead
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import QueryBool
from servicekit.web.idempotency import IdempotencyKeyOptional, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

# IdempotentRoute: a create retried after its answer was lost (a crash, a restart, a dropped
# connection) replays the first answer instead of refusing the citizen ID it had just recorded.
router = APIRouter(prefix="/households", tags=["households"], route_class=IdempotentRoute)


def detail(household: Household, members: list[Person]) -> HouseholdDetail:
    return HouseholdDetail(
        **HouseholdRead.model_validate(household).model_dump(),
        members=[PersonRead.model_validate(m) for m in members],
    )


@router.post(
    "",
    status_code=201,
    response_model=HouseholdDetail,
    responses=error_responses(
        AreaNotCovered,
        CitizenIdTaken,
        CommuneNotInProvince,
        HouseholdHeadNeedsCitizenId,
        CitizenIdMalformed,
        CitizenIdIsLegacyNumber,
        CitizenIdInconsistent,
        LegacyIdMalformed,
        PhoneMalformed,
        BirthDateInvalid,
        MoveDateInvalid,
    ),
)
async def create_household(
    body: HouseholdCreate,
    session: SessionDep,
    caller: HouseholdsWrite,
    cipher: PiiCipherDep,
    response: Response,
    idempotency_key: IdempotencyKeyOptional,
) -> HouseholdDetail:
    """Record a household of a commune you cover, with its head (a 12-digit citizen ID is required)
    and its other members. Citizen IDs are checked against the date of birth and gender and must not
    be recorded for anyone else; identifiers come back masked. Send an `Idempotency-Key` to make a
    retry safe: the repeat replays the first answer."""
    household, members = await household_service.create(session, caller, cipher, body)
    set_etag(response, household.version)
    return detail(household, members)


@router.get("", response_model=Page[HouseholdRead], responses=error_responses(InvalidCursor))
async def list_households(
    session: SessionDep,
    caller: HouseholdsRead,
    page: Pagination,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    residence_area: ResidenceArea | None = None,
    include_closed: QueryBool = False,
) -> Page[HouseholdRead]:
    """The households in your area, oldest first (closed ones only when asked)."""
    rows, next_cursor = await household_service.list_households(
        session,
        caller,
        page,
        commune_code=commune_code,
        residence_area=residence_area,
        include_closed=include_closed,
    )
    return Page(items=[HouseholdRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{household_id}", response_model=HouseholdDetail, responses=error_responses(HouseholdNotFound))
async def get_household(
    household_id: uuid.UUID, session: SessionDep, caller: HouseholdsRead, response: Response
) -> HouseholdDetail:
    """One household with its current members (head first), and its `ETag`. A household outside your
    area is a 404."""
    household = await household_service.get(session, caller, household_id)
    set_etag(response, household.version)
    return detail(household, await household_service.members(session, household))


@router.patch(
    "/{household_id}",
    response_model=HouseholdRead,
    responses=error_responses(HouseholdNotFound, PreconditionFailed, PreconditionRequired),
)
async def update_household(
    household_id: uuid.UUID,
    body: HouseholdUpdate,
    session: SessionDep,
    caller: HouseholdsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> HouseholdRead:
    """Change a household's address or residence area. Send the `ETag` you read as `If-Match`."""
    household = await household_service.update(session, caller, household_id, expected_version, body)
    set_etag(response, household.version)
    return HouseholdRead.model_validate(household)


@router.post(
    "/{household_id}/head",
    response_model=HouseholdDetail,
    responses=error_responses(
        HouseholdNotFound,
        NotAMember,
        AlreadyHead,
        HouseholdClosed,
        HouseholdHeadNeedsCitizenId,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def change_household_head(
    household_id: uuid.UUID,
    body: HeadChange,
    session: SessionDep,
    caller: HouseholdsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> HouseholdDetail:
    """Make another current member (with a citizen ID) the head; the former head stays a member with
    the relationship given. Send the household's `ETag` as `If-Match`."""
    household = await household_service.change_head(session, caller, household_id, expected_version, body)
    set_etag(response, household.version)
    return detail(household, await household_service.members(session, household))

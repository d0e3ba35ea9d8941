from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.deps import PiiCipherDep
from registry_api.household.errors import (
    AreaNotCovered,
    HouseholdClosed,
    HouseholdHeadNeedsCitizenId,
    HouseholdNotFound,
)
from registry_api.person.errors import (
    AlreadyInHousehold,
    BirthDateInvalid,
    CitizenIdInconsistent,
    CitizenIdIsLegacyNumber,
    CitizenIdMalformed,
    CitizenIdTaken,
    HeadCannotMove,
    HeadRelationshipFixed,
    LegacyIdMalformed,
    LookupNeedsOneIdentifier,
    MoveDateInvalid,
    PersonNotFound,
    PhoneMalformed,
    SearchQueryEmpty,
)
from registry_api.person.permissions import IdentifiersReveal, PersonsRead, PersonsWrite
from registry_api.person.schemas import (
    LookupRequest,
    MembershipRead,
    MoveRequest,
    PersonCreate,
    PersonLookupResult,
    PersonRead,
    PersonSearchHit,
    PersonUpdate,
    RevealedIdentifiers,
    RevealRequest,
)
from registry_api.person.service import person_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/persons", tags=["persons"])

CommuneCode = Annotated[str | None, Query(pattern=r"^\d{5}$")]
BirthYear = Annotated[int | None, Query(ge=1900, le=2399)]
IDENTIFIER_ERRORS = (
    CitizenIdMalformed,
    CitizenIdIsLegacyNumber,
    CitizenIdInconsistent,
    CitizenIdTaken,
    LegacyIdMalformed,
    PhoneMalformed,
    BirthDateInvalid,
)


@router.post(
    "",
    status_code=201,
    response_model=PersonRead,
    responses=error_responses(
        HouseholdNotFound, AreaNotCovered, HouseholdClosed, MoveDateInvalid, *IDENTIFIER_ERRORS
    ),
)
async def create_person(
    body: PersonCreate, session: SessionDep, caller: PersonsWrite, cipher: PiiCipherDep, response: Response
) -> PersonRead:
    """Add a member to a household of your area. A citizen ID is optional for members (they are then
    identified by name, birth and household), but checked and unique when given."""
    person = await person_service.create(session, caller, cipher, body)
    set_etag(response, person.version)
    return PersonRead.model_validate(person)


@router.get("", response_model=Page[PersonRead], responses=error_responses(InvalidCursor))
async def list_persons(
    session: SessionDep,
    caller: PersonsRead,
    page: Pagination,
    household_id: uuid.UUID | None = None,
    commune_code: CommuneCode = None,
    birth_year: BirthYear = None,
) -> Page[PersonRead]:
    """The persons in your area, oldest record first."""
    rows, next_cursor = await person_service.list_persons(
        session, caller, page, household_id=household_id, commune_code=commune_code, birth_year=birth_year
    )
    return Page(items=[PersonRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/search",
    response_model=Page[PersonSearchHit],
    responses=error_responses(SearchQueryEmpty, InvalidCursor),
)
async def search_persons(
    session: SessionDep,
    caller: PersonsRead,
    page: Pagination,
    q: Annotated[str, Query(min_length=1, max_length=100, description="A name or part of one.")],
    commune_code: CommuneCode = None,
    birth_year: BirthYear = None,
) -> Page[PersonSearchHit]:
    """Search your area by name, ignoring diacritics, case, đ/d and spacing. Every word must start a
    word of the name (`nguyen van d` finds Nguyễn Văn Đức). Exact full names come first, then word
    matches; with `commune_code` or `birth_year`, names within a typo or two follow."""
    hits, next_cursor = await person_service.search(
        session, caller, page, q=q, commune_code=commune_code, birth_year=birth_year
    )
    items = [
        PersonSearchHit(**PersonRead.model_validate(person).model_dump(), match=match)
        for person, match in hits
    ]
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "/lookup",
    response_model=PersonLookupResult,
    responses=error_responses(
        LookupNeedsOneIdentifier, CitizenIdMalformed, CitizenIdIsLegacyNumber, LegacyIdMalformed
    ),
)
async def lookup_person(
    body: LookupRequest, session: SessionDep, caller: PersonsRead, cipher: PiiCipherDep
) -> PersonLookupResult:
    """Find the person with a citizen ID (or old ID card number) in your area. The number goes in the
    body, never in a URL; it is matched through a keyed blind index, and the lookup is audited.
    `items` is empty when no one in your area has it."""
    found = await person_service.lookup(session, caller, cipher, body)
    return PersonLookupResult(items=[PersonRead.model_validate(p) for p in found])


@router.get("/{person_id}", response_model=PersonRead, responses=error_responses(PersonNotFound))
async def get_person(
    person_id: uuid.UUID, session: SessionDep, caller: PersonsRead, response: Response
) -> PersonRead:
    """One person, identifiers masked, with the `ETag`. A person outside your area is a 404."""
    person = await person_service.get(session, caller, person_id)
    set_etag(response, person.version)
    return PersonRead.model_validate(person)


@router.patch(
    "/{person_id}",
    response_model=PersonRead,
    responses=error_responses(
        PersonNotFound,
        HeadRelationshipFixed,
        HouseholdHeadNeedsCitizenId,
        PreconditionFailed,
        PreconditionRequired,
        *IDENTIFIER_ERRORS,
    ),
)
async def update_person(
    person_id: uuid.UUID,
    body: PersonUpdate,
    session: SessionDep,
    caller: PersonsWrite,
    cipher: PiiCipherDep,
    expected_version: IfMatchVersion,
    response: Response,
) -> PersonRead:
    """Correct a person's particulars or identifiers. Send the `ETag` you read as `If-Match`."""
    person = await person_service.update(session, caller, cipher, person_id, expected_version, body)
    set_etag(response, person.version)
    return PersonRead.model_validate(person)


@router.post(
    "/{person_id}/move",
    response_model=PersonRead,
    responses=error_responses(
        PersonNotFound,
        HouseholdNotFound,
        AreaNotCovered,
        HouseholdClosed,
        AlreadyInHousehold,
        HeadCannotMove,
        MoveDateInvalid,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def move_person(
    person_id: uuid.UUID,
    body: MoveRequest,
    session: SessionDep,
    caller: PersonsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> PersonRead:
    """Move a person to another household you cover: the membership history records both. A head
    with other members cannot move (make another member head first); the last member moving out
    closes the household. Send the person's `ETag` as `If-Match`."""
    person = await person_service.move(session, caller, person_id, expected_version, body)
    set_etag(response, person.version)
    return PersonRead.model_validate(person)


@router.get(
    "/{person_id}/memberships",
    response_model=Page[MembershipRead],
    responses=error_responses(PersonNotFound, InvalidCursor),
)
async def list_person_memberships(
    person_id: uuid.UUID, session: SessionDep, caller: PersonsRead, page: Pagination
) -> Page[MembershipRead]:
    """The households the person belonged to, from when to when, oldest first."""
    rows, next_cursor = await person_service.memberships(session, caller, person_id, page)
    return Page(items=[MembershipRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/{person_id}/reveal",
    response_model=RevealedIdentifiers,
    responses=error_responses(PersonNotFound),
)
async def reveal_person_identifiers(
    person_id: uuid.UUID,
    body: RevealRequest,
    session: SessionDep,
    caller: IdentifiersReveal,
    cipher: PiiCipherDep,
    response: Response,
) -> RevealedIdentifiers:
    """Show a person's citizen ID (and, if asked, old ID card number and phone) unmasked. Officers of
    the person's area only; every reveal is written to the audit trail with its purpose. The answer
    must not be cached."""
    values = await person_service.reveal(session, caller, cipher, person_id, body)
    response.headers["Cache-Control"] = "no-store"
    return RevealedIdentifiers(person_id=person_id, **values)

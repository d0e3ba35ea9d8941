"""Persons: particulars and identifiers, moves between households, lookup, search and audited reveal.

Identifiers are validated here (each mistake has its own problem code), then stored encrypted with a
blind index and a masked form (see person/pii.py). Responses only ever carry the masked form; the
numbers themselves leave the service through `reveal`, which writes an audit row each time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.errors import (
    AreaNotCovered,
    HouseholdClosed,
    HouseholdHeadNeedsCitizenId,
    HouseholdNotFound,
)
from registry_api.household.repository import HouseholdRepository
from registry_api.models import (
    AuditRecord,
    Household,
    HouseholdMembership,
    MembershipReason,
    OutboxEvent,
    Person,
    Relationship,
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
from registry_api.person.identifiers import (
    FIRST_CENTURY_YEAR,
    CitizenIdProblem,
    Gender,
    check_citizen_id,
    check_legacy_id,
    fold_name,
    normalise_phone,
    search_words,
)
from registry_api.person.pii import CITIZEN_ID_PURPOSE, LEGACY_ID_PURPOSE, PHONE_PURPOSE, protect
from registry_api.person.repository import PHASE_NAMES, NameQuery, PersonRepository, SearchAfter
from registry_api.person.schemas import (
    LookupRequest,
    MoveRequest,
    PersonCreate,
    PersonFields,
    PersonUpdate,
    RevealField,
    RevealRequest,
)
from servicekit.audit import AccessRecord, record_access, record_accesses
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import Event, emit, urn
from servicekit.pagination import PageParams, decode_cursor, encode_cursor
from servicekit.pii import PiiCipher
from servicekit.principal import Principal

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # legal dates are local dates
MAX_SEARCH_WORDS = 8
SEARCH_KEYS = ["person_search.phase", "person_search.score", "person.id"]

# Encryption contexts: a ciphertext only decrypts for the column it was written for.
CITIZEN_ID_COLUMN = "person.citizen_id"
LEGACY_ID_COLUMN = "person.legacy_id"
PHONE_COLUMN = "person.phone"


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def _error(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


# ------------------------------------------------------------------------------- validation


def resolve_birth_year(date_of_birth: date | None, birth_year: int | None, *, pointer: str) -> int:
    """The birth year from the date when known (then a given year must agree), else the year."""
    today = local_today()
    if date_of_birth is not None:
        if date_of_birth > today or date_of_birth.year < FIRST_CENTURY_YEAR:
            raise BirthDateInvalid(
                "The date of birth is in the future or before 1900.",
                errors=_error(f"{pointer}/date_of_birth", "out_of_range", "not a possible date of birth"),
            )
        if birth_year is not None and birth_year != date_of_birth.year:
            raise BirthDateInvalid(
                "The birth year disagrees with the date of birth.",
                errors=_error(f"{pointer}/birth_year", "disagrees_with_date_of_birth", "not its year"),
            )
        return date_of_birth.year
    if birth_year is None:
        raise BirthDateInvalid(
            "Give the date of birth or at least the birth year.",
            errors=_error(f"{pointer}/birth_year", "missing", "give date_of_birth or birth_year"),
        )
    if birth_year > today.year:
        raise BirthDateInvalid(
            "The birth year is in the future.",
            errors=_error(f"{pointer}/birth_year", "out_of_range", "in the future"),
        )
    return birth_year


_MISMATCH_MESSAGES = {
    CitizenIdProblem.CENTURY_GENDER_MISMATCH: "digit 4 does not encode this century of birth and gender",
    CitizenIdProblem.BIRTH_YEAR_MISMATCH: "digits 5-6 are not the last two digits of the birth year",
}


def checked_citizen_id(raw: str, *, birth_year: int | None, gender: Gender | None, pointer: str) -> str:
    """The normalised citizen ID, or a 422 naming what is wrong (never echoing the number)."""
    result = check_citizen_id(raw, birth_year=birth_year, gender=gender)
    if result.value is not None:
        return result.value
    if CitizenIdProblem.MALFORMED in result.problems:
        raise CitizenIdMalformed(
            "A citizen ID is 12 digits.",
            errors=_error(pointer, CitizenIdProblem.MALFORMED.value, "must be 12 digits"),
        )
    if CitizenIdProblem.LEGACY_NUMBER in result.problems:
        raise CitizenIdIsLegacyNumber(
            "A 9-digit number is an old identity card number (invalid since 1/1/2025): send it as "
            "legacy_id_number.",
            errors=_error(pointer, CitizenIdProblem.LEGACY_NUMBER.value, "a 9-digit legacy number"),
        )
    raise CitizenIdInconsistent(
        "The citizen ID does not agree with the date of birth or the gender.",
        errors=[
            FieldError(pointer=pointer, code=p.value, message=_MISMATCH_MESSAGES[p]) for p in result.problems
        ],
    )


def checked_legacy_id(raw: str, *, pointer: str) -> str:
    value = check_legacy_id(raw)
    if value is None:
        raise LegacyIdMalformed(
            "An old identity card number is 9 digits.",
            errors=_error(pointer, "legacy_id_malformed", "must be 9 digits"),
        )
    return value


def checked_phone(raw: str, *, pointer: str) -> str:
    value = normalise_phone(raw)
    if value is None:
        raise PhoneMalformed(
            "Send a mobile number: 10 digits starting with 0, or +84 and 9 digits.",
            errors=_error(pointer, "phone_malformed", "not a Vietnamese mobile number"),
        )
    return value


# ------------------------------------------------------------------------------- writing fields


def set_name(person: Person, full_name: str) -> None:
    person.full_name = full_name
    person.name_folded = fold_name(full_name)


def set_citizen_id(person: Person, cipher: PiiCipher, value: str | None) -> None:
    if value is None:
        person.citizen_id_ciphertext = person.citizen_id_bidx = person.citizen_id_masked = None
        return
    stored = protect(cipher, value, purpose=CITIZEN_ID_PURPOSE, column=CITIZEN_ID_COLUMN)
    person.citizen_id_ciphertext, person.citizen_id_bidx = stored.ciphertext, stored.bidx
    person.citizen_id_masked = stored.masked


def set_legacy_id(person: Person, cipher: PiiCipher, value: str | None) -> None:
    if value is None:
        person.legacy_id_ciphertext = person.legacy_id_bidx = person.legacy_id_masked = None
        return
    stored = protect(cipher, value, purpose=LEGACY_ID_PURPOSE, column=LEGACY_ID_COLUMN)
    person.legacy_id_ciphertext, person.legacy_id_bidx = stored.ciphertext, stored.bidx
    person.legacy_id_masked = stored.masked


def set_phone(person: Person, cipher: PiiCipher, value: str | None) -> None:
    if value is None:
        person.phone_ciphertext = person.phone_bidx = person.phone_masked = None
        return
    stored = protect(cipher, value, purpose=PHONE_PURPOSE, column=PHONE_COLUMN)
    person.phone_ciphertext, person.phone_bidx, person.phone_masked = (
        stored.ciphertext,
        stored.bidx,
        stored.masked,
    )


def decrypt_citizen_id(person: Person, cipher: PiiCipher) -> str | None:
    if person.citizen_id_ciphertext is None:
        return None
    return cipher.decrypt(person.citizen_id_ciphertext, context=CITIZEN_ID_COLUMN)


def in_household_area(person: Person, household: Household) -> None:
    person.province_code = household.province_code
    person.commune_code = household.commune_code
    person.legacy_area_code = household.legacy_area_code


def new_membership(
    person: Person, household: Household, *, joined_on: date, reason: MembershipReason
) -> HouseholdMembership:
    return HouseholdMembership(
        id=new_id(),
        person_id=person.id,
        household_id=household.id,
        relationship=person.relationship,
        joined_on=joined_on,
        reason=reason.value,
        province_code=household.province_code,
        commune_code=household.commune_code,
        legacy_area_code=household.legacy_area_code,
    )


def person_event(type_: str, person: Person, *, area_codes: Sequence[str | None], **data: object) -> Event:
    return Event(
        type=type_,
        subject=urn("registry", "person", person.id),
        area_codes=area_codes,
        data={"person_id": person.id, "household_id": person.household_id, **data},
    )


async def emit_person_event(
    session: AsyncSession, type_: str, person: Person, *, area_codes: Sequence[str | None], **data: object
) -> None:
    event = person_event(type_, person, area_codes=area_codes, **data)
    await emit(
        session,
        OutboxEvent,
        type=event.type,
        subject=event.subject,
        area_codes=event.area_codes,
        data=event.data,
    )


def lookup_access(by: str, found: Sequence[Person]) -> AccessRecord:
    """The audit row of a lookup by number: who looked, for whom, and what was found."""
    return AccessRecord(
        action="lookup",
        resource_type="person",
        resource_id=str(found[0].id) if found else "none",
        province_code=found[0].province_code if found else None,
        commune_code=found[0].commune_code if len(found) == 1 else None,
        detail={"by": by, "found": len(found), "person_ids": [p.id for p in found]},
    )


class PersonService:
    # ------------------------------------------------------------------ building (used by households)

    def build(
        self,
        cipher: PiiCipher,
        data: PersonFields,
        *,
        relationship: Relationship,
        household: Household,
        pointer: str,
    ) -> Person:
        """A new person of `household`, validated and with identifiers protected (not yet added)."""
        birth_year = resolve_birth_year(data.date_of_birth, data.birth_year, pointer=pointer)
        person = Person(
            id=new_id(),
            household_id=household.id,
            relationship=relationship.value,
            date_of_birth=data.date_of_birth,
            birth_year=birth_year,
            gender=data.gender.value,
        )
        in_household_area(person, household)
        set_name(person, data.full_name)
        if data.citizen_id is not None:
            value = checked_citizen_id(
                data.citizen_id, birth_year=birth_year, gender=data.gender, pointer=f"{pointer}/citizen_id"
            )
            set_citizen_id(person, cipher, value)
        elif relationship is Relationship.HEAD:
            raise HouseholdHeadNeedsCitizenId(
                "The household head must be identified by a 12-digit citizen ID.",
                errors=_error(f"{pointer}/citizen_id", "missing", "required for the household head"),
            )
        if data.legacy_id_number is not None:
            set_legacy_id(
                person,
                cipher,
                checked_legacy_id(data.legacy_id_number, pointer=f"{pointer}/legacy_id_number"),
            )
        if data.phone is not None:
            set_phone(person, cipher, checked_phone(data.phone, pointer=f"{pointer}/phone"))
        return person

    async def ensure_citizen_ids_free(
        self, session: AsyncSession, persons: Sequence[tuple[Person, str]]
    ) -> None:
        """Each citizen ID belongs to one person: not twice in one request, not already recorded."""
        repo = PersonRepository(session)
        seen: set[str] = set()
        for person, pointer in persons:
            bidx = person.citizen_id_bidx
            if bidx is None:
                continue
            existing = await repo.by_citizen_bidx(bidx) if bidx not in seen else None
            if bidx in seen or (existing is not None and existing.id != person.id):
                raise CitizenIdTaken(
                    "Another person already has this citizen ID.",
                    errors=_error(pointer, "citizen_id_taken", "already recorded for another person"),
                )
            seen.add(bidx)

    # ------------------------------------------------------------------ reads

    async def get(self, session: AsyncSession, caller: Principal, person_id: uuid.UUID) -> Person:
        """One person; a person outside the caller's area is as missing as one that does not exist."""
        person = await PersonRepository(session).get_in_area(person_id, caller.area)
        if person is None:
            raise PersonNotFound(f"No person {person_id} in your area.")
        return person

    async def list_persons(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        household_id: uuid.UUID | None,
        commune_code: str | None,
        birth_year: int | None,
    ) -> tuple[list[Person], str | None]:
        return await PersonRepository(session).list_persons(
            params,
            area=caller.area,
            household_id=household_id,
            commune_code=commune_code,
            birth_year=birth_year,
        )

    async def memberships(
        self, session: AsyncSession, caller: Principal, person_id: uuid.UUID, params: PageParams
    ) -> tuple[list[HouseholdMembership], str | None]:
        person = await self.get(session, caller, person_id)
        return await PersonRepository(session).memberships(person.id, params)

    async def search(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        q: str,
        commune_code: str | None,
        birth_year: int | None,
    ) -> tuple[list[tuple[Person, str]], str | None]:
        """Name search (see docs/rules/households-and-persons.md): exact names first, then names
        containing every query word (the last as a prefix), then - only when a commune or a birth
        year narrows the set - typo-tolerant trigram matches."""
        words = search_words(q)[:MAX_SEARCH_WORDS]
        if not words:
            raise SearchQueryEmpty(
                "Type at least one letter or digit.",
                errors=_error("/query/q", "search_query_empty", "no letters or digits"),
            )
        query = NameQuery(words=tuple(words))
        after = None
        if params.cursor:
            phase, score, last_id = decode_cursor(SEARCH_KEYS, params.cursor)
            after = SearchAfter(phase=int(phase), score=int(score), person_id=last_id)
        rows = await PersonRepository(session).search(
            query,
            area=caller.area,
            commune_code=commune_code,
            birth_year=birth_year,
            typo_tolerant=commune_code is not None or birth_year is not None,
            after=after,
            limit=params.limit,
        )
        next_cursor = None
        if len(rows) > params.limit:
            rows = rows[: params.limit]
            person, phase, score = rows[-1]
            next_cursor = encode_cursor(SEARCH_KEYS, (phase, score, person.id))
        return [(person, PHASE_NAMES[phase]) for person, phase, _ in rows], next_cursor

    async def lookup(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, data: LookupRequest
    ) -> list[Person]:
        """Find by number through the blind index, within the caller's area. Audited either way, so
        someone trying numbers one after another shows in the trail."""
        repo = PersonRepository(session)
        if (data.citizen_id is None) == (data.legacy_id_number is None):
            raise LookupNeedsOneIdentifier("Send exactly one of citizen_id and legacy_id_number.")
        if data.citizen_id is not None:
            value = checked_citizen_id(
                data.citizen_id, birth_year=None, gender=None, pointer="/body/citizen_id"
            )
            by = "citizen_id"
            found = await repo.find_by_citizen_bidx(
                cipher.blind_index(value, purpose=CITIZEN_ID_PURPOSE), caller.area
            )
        else:
            assert data.legacy_id_number is not None
            value = checked_legacy_id(data.legacy_id_number, pointer="/body/legacy_id_number")
            by = "legacy_id_number"
            found = await repo.find_by_legacy_bidx(
                cipher.blind_index(value, purpose=LEGACY_ID_PURPOSE), caller.area
            )
        await record_accesses(session, AuditRecord, [lookup_access(by, found)])
        return found

    async def audit_lookups_not_found(self, session: AsyncSession, count: int) -> None:
        """The audit rows of `count` lookups by citizen ID that found no one, as `lookup` writes them
        (a bulk import looks its new households' heads up set-wise)."""
        await record_accesses(session, AuditRecord, [lookup_access("citizen_id", [])] * count)

    async def citizen_bidxs_taken(self, session: AsyncSession, bidxs: Sequence[str]) -> set[str]:
        """Which of these citizen-ID blind indexes are recorded anywhere: `ensure_citizen_ids_free`
        for a whole batch in one query."""
        return await PersonRepository(session).citizen_bidxs_recorded(bidxs)

    async def reveal(
        self,
        session: AsyncSession,
        caller: Principal,
        cipher: PiiCipher,
        person_id: uuid.UUID,
        data: RevealRequest,
    ) -> dict[str, str | None]:
        """The unmasked identifiers asked for; each reveal is an audit row with its purpose."""
        person = await self.get(session, caller, person_id)
        fields = sorted(set(data.fields))
        out: dict[str, str | None] = {}
        for field in fields:
            if field is RevealField.CITIZEN_ID:
                out[field.value] = decrypt_citizen_id(person, cipher)
            elif field is RevealField.LEGACY_ID_NUMBER:
                blob = person.legacy_id_ciphertext
                out[field.value] = cipher.decrypt(blob, context=LEGACY_ID_COLUMN) if blob else None
            else:
                blob = person.phone_ciphertext
                out[field.value] = cipher.decrypt(blob, context=PHONE_COLUMN) if blob else None
        await record_access(
            session,
            AuditRecord,
            action="reveal",
            resource_type="person",
            resource_id=str(person.id),
            province_code=person.province_code,
            commune_code=person.commune_code,
            detail={"fields": [f.value for f in fields], "purpose": data.purpose},
        )
        return out

    # ------------------------------------------------------------------ writes

    async def writable_household(
        self, session: AsyncSession, caller: Principal, household_id: uuid.UUID, *, pointer: str
    ) -> Household:
        """A household named in a body: 404 when there is none, 403 when it lies outside your area."""
        household = await HouseholdRepository(session).get(household_id)
        if household is None:
            raise HouseholdNotFound(
                f"No household {household_id}.",
                errors=_error(pointer, "household_not_found", "no such household"),
            )
        if not caller.covers(household.province_code, household.commune_code):
            raise AreaNotCovered(
                "That household lies outside the areas you cover.",
                errors=_error(pointer, "area_not_covered", "outside your area"),
            )
        if household.closed_on is not None:
            raise HouseholdClosed(
                "That household is closed.", errors=_error(pointer, "household_closed", "closed")
            )
        return household

    async def create(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, data: PersonCreate
    ) -> Person:
        """Add a member to a household of your area."""
        household = await self.writable_household(
            session, caller, data.household_id, pointer="/body/household_id"
        )
        joined_on = data.joined_on or local_today()
        if joined_on > local_today():
            raise MoveDateInvalid(
                "A membership cannot start in the future.",
                errors=_error("/body/joined_on", "in_the_future", "in the future"),
            )
        person = self.build(
            cipher, data, relationship=data.relationship, household=household, pointer="/body"
        )
        await self.ensure_citizen_ids_free(session, [(person, "/body/citizen_id")])
        repo = PersonRepository(session)
        await repo.save(person)
        await repo.add_membership(
            new_membership(person, household, joined_on=joined_on, reason=MembershipReason.REGISTERED)
        )
        await emit_person_event(
            session, "person.created", person, area_codes=[person.province_code, person.commune_code]
        )
        return person

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        cipher: PiiCipher,
        person_id: uuid.UUID,
        expected_version: int,
        data: PersonUpdate,
    ) -> Person:
        person = await self.get(session, caller, person_id)
        check_version(person.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return person
        is_head = person.relationship == Relationship.HEAD.value
        if "relationship" in changes and is_head and changes["relationship"] != Relationship.HEAD:
            raise HeadRelationshipFixed(
                "Make another member head first (POST /v1/households/{id}/head).",
                errors=_error(
                    "/body/relationship", "household_head_relationship_fixed", "the head stays head"
                ),
            )
        date_of_birth = changes.get("date_of_birth", person.date_of_birth)
        birth_year = changes.get("birth_year")
        if birth_year is None:
            birth_year = date_of_birth.year if date_of_birth is not None else person.birth_year
        birth_year = resolve_birth_year(date_of_birth, birth_year, pointer="/body")
        gender = Gender(changes.get("gender", person.gender))

        identifier_changes = await self._apply_identifiers(
            session, cipher, person, changes, birth_year=birth_year, gender=gender, is_head=is_head
        )
        if "full_name" in changes:
            set_name(person, changes["full_name"])
        person.date_of_birth = date_of_birth
        person.birth_year = birth_year
        person.gender = gender.value
        if "relationship" in changes:
            person.relationship = Relationship(changes["relationship"]).value
        await PersonRepository(session).save(person)
        if identifier_changes:
            # Ciphertexts are kept out of the trail; say which identifiers changed (masked values are
            # in the update row when they differ).
            await record_access(
                session,
                AuditRecord,
                action="change_identifier",
                resource_type="person",
                resource_id=str(person.id),
                province_code=person.province_code,
                commune_code=person.commune_code,
                detail={"fields": identifier_changes},
            )
        await emit_person_event(
            session,
            "person.updated",
            person,
            area_codes=[person.province_code, person.commune_code],
            changed=sorted(changes),
        )
        return person

    async def _apply_identifiers(
        self,
        session: AsyncSession,
        cipher: PiiCipher,
        person: Person,
        changes: dict[str, Any],
        *,
        birth_year: int,
        gender: Gender,
        is_head: bool,
    ) -> list[str]:
        """Set the identifiers sent; re-check a kept citizen ID against a corrected birth or gender."""
        identifier_changes: list[str] = []
        if "citizen_id" in changes:
            raw = changes["citizen_id"]
            if raw is None:
                if is_head:
                    raise HouseholdHeadNeedsCitizenId(
                        "The household head keeps a citizen ID.",
                        errors=_error("/body/citizen_id", "missing", "required for the household head"),
                    )
                value = None
            else:
                value = checked_citizen_id(
                    raw, birth_year=birth_year, gender=gender, pointer="/body/citizen_id"
                )
            if value != decrypt_citizen_id(person, cipher):
                set_citizen_id(person, cipher, value)
                identifier_changes.append("citizen_id")
                await self.ensure_citizen_ids_free(session, [(person, "/body/citizen_id")])
        elif (
            person.citizen_id_ciphertext is not None
            and {"date_of_birth", "birth_year", "gender"} & changes.keys()
        ):
            # The stored number must still agree with the corrected birth year and gender.
            stored = decrypt_citizen_id(person, cipher) or ""
            if not check_citizen_id(stored, birth_year=birth_year, gender=gender).ok:
                changed = sorted({"date_of_birth", "birth_year", "gender"} & changes.keys())
                raise CitizenIdInconsistent(
                    "The recorded citizen ID does not agree with that date of birth or gender.",
                    errors=[
                        FieldError(
                            pointer=f"/body/{f}",
                            code="citizen_id_inconsistent",
                            message="disagrees with the citizen ID",
                        )
                        for f in changed
                    ],
                )
        if "legacy_id_number" in changes:
            raw = changes["legacy_id_number"]
            set_legacy_id(
                person,
                cipher,
                None if raw is None else checked_legacy_id(raw, pointer="/body/legacy_id_number"),
            )
            identifier_changes.append("legacy_id_number")
        if "phone" in changes:
            raw = changes["phone"]
            set_phone(person, cipher, None if raw is None else checked_phone(raw, pointer="/body/phone"))
            identifier_changes.append("phone")

        return identifier_changes

    async def move(
        self,
        session: AsyncSession,
        caller: Principal,
        person_id: uuid.UUID,
        expected_version: int,
        data: MoveRequest,
    ) -> Person:
        """Move a person to another household: the current membership ends, a new one starts.

        The head of a household with other members cannot move (make another member head first);
        a head who is the last member closes the household by moving out.
        """
        person = await self.get(session, caller, person_id)
        check_version(person.version, expected_version)
        target = await self.writable_household(
            session, caller, data.household_id, pointer="/body/household_id"
        )
        if target.id == person.household_id:
            raise AlreadyInHousehold(
                "The person already belongs to that household.",
                errors=_error("/body/household_id", "already_in_household", "the current household"),
            )
        repo = PersonRepository(session)
        households = HouseholdRepository(session)
        source = await households.get(person.household_id)
        membership = await repo.current_membership(person.id)
        # The foreign key and the one-current-membership index guarantee both.
        assert source is not None
        assert membership is not None
        moved_on = data.moved_on or local_today()
        if moved_on > local_today() or moved_on < membership.joined_on:
            raise MoveDateInvalid(
                "The move date is in the future or before the person joined the current household.",
                errors=_error("/body/moved_on", "move_date_invalid", "out of range"),
            )
        closes_source = False
        if source.head_person_id == person.id:
            if await repo.count_other_members(source.id, person.id):
                raise HeadCannotMove(
                    "Make another member head first (POST /v1/households/{id}/head).",
                    errors=_error("/path/person_id", "household_head_cannot_move", "heads a household"),
                )
            closes_source = True
        membership.left_on = moved_on
        await repo.save(person)  # flushes the ended membership before the new current one
        from_household, from_area = person.household_id, [person.province_code, person.commune_code]
        person.household_id = target.id
        person.relationship = data.relationship.value
        in_household_area(person, target)
        await repo.save(person)
        await repo.add_membership(
            new_membership(person, target, joined_on=moved_on, reason=MembershipReason.MOVED)
        )
        if closes_source:
            source.head_person_id = None
            source.closed_on = moved_on
            await households.save(source)
            await emit(
                session,
                OutboxEvent,
                type="household.closed",
                subject=urn("registry", "household", source.id),
                area_codes=[source.province_code, source.commune_code],
                data={"household_id": source.id, "closed_on": moved_on},
            )
        await emit_person_event(
            session,
            "person.moved",
            person,
            area_codes=[*from_area, person.province_code, person.commune_code],
            from_household_id=from_household,
            to_household_id=target.id,
            moved_on=moved_on,
        )
        return person


person_service = PersonService()

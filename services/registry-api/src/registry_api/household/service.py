"""Households: recorded with their head and members, changed, and given a new head, within the area
the caller covers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.errors import (
    AlreadyHead,
    AreaNotCovered,
    CommuneNotInProvince,
    HouseholdClosed,
    HouseholdHeadNeedsCitizenId,
    HouseholdNotFound,
    NotAMember,
)
from registry_api.household.repository import HouseholdRepository
from registry_api.household.schemas import HeadChange, HouseholdCreate, HouseholdUpdate
from registry_api.models import Household, MembershipReason, OutboxEvent, Person, Relationship, ResidenceArea
from registry_api.person.errors import MoveDateInvalid
from registry_api.person.repository import PersonRepository
from registry_api.person.service import (
    emit_person_event,
    local_today,
    new_membership,
    person_event,
    person_service,
)
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import Event, emit, emit_many, urn
from servicekit.pagination import PageParams
from servicekit.pii import PiiCipher
from servicekit.principal import Principal


async def _emit(session: AsyncSession, type_: str, household: Household, **data: object) -> None:
    event = household_event(type_, household, **data)
    await emit(
        session,
        OutboxEvent,
        type=event.type,
        subject=event.subject,
        area_codes=event.area_codes,
        data=event.data,
    )


def household_event(type_: str, household: Household, **data: object) -> Event:
    return Event(
        type=type_,
        subject=urn("registry", "household", household.id),
        area_codes=[household.province_code, household.commune_code],
        data={"household_id": household.id, **data},
    )


@dataclass(frozen=True)
class NewHousehold:
    """A household with its head and members, validated and with identifiers protected, not yet written."""

    household: Household
    persons: list[Person]  # the head first, then the members in the order given


class HouseholdService:
    def build(self, cipher: PiiCipher, data: HouseholdCreate) -> NewHousehold:
        """The household and its persons as `create` writes them (raises what `create` raises for
        invalid particulars); no database access."""
        household = Household(
            id=new_id(),
            province_code=data.province_code,
            commune_code=data.commune_code,
            legacy_area_code=data.legacy_area_code,
            address=data.address,
            hamlet=data.hamlet,
            residence_area=data.residence_area.value,
        )
        head = person_service.build(
            cipher, data.head, relationship=Relationship.HEAD, household=household, pointer="/body/head"
        )
        household.head_person_id = head.id
        members = [
            person_service.build(
                cipher, m, relationship=m.relationship, household=household, pointer=f"/body/members/{i}"
            )
            for i, m in enumerate(data.members)
        ]
        return NewHousehold(household, [head, *members])

    async def accepts_new_in(
        self, session: AsyncSession, caller: Principal, province_code: str, commune_code: str
    ) -> bool:
        """Whether `create` would accept a household in this commune today (area and commune checks)."""
        if not caller.covers(province_code, commune_code):
            return False
        return await HouseholdRepository(session).is_current_commune_of(
            commune_code, province_code, local_today()
        )

    async def insert_many(self, session: AsyncSession, new: Sequence[NewHousehold]) -> None:
        """Write built households as `create` does (registered today), set-wise: one multi-row INSERT
        per table, one audit flush each, the events in one statement. The caller has checked what
        `create` checks (`accepts_new_in`, citizen IDs free). A citizen ID taken meanwhile raises
        `CitizenIdTaken`; the caller rolls back."""
        if not new:
            return
        today = local_today()
        await HouseholdRepository(session).save_all([n.household for n in new])
        persons = PersonRepository(session)
        await persons.save(*(p for n in new for p in n.persons))
        await persons.add_memberships(
            [
                new_membership(p, n.household, joined_on=today, reason=MembershipReason.REGISTERED)
                for n in new
                for p in n.persons
            ]
        )
        events: list[Event] = []
        for n in new:
            events.append(
                household_event("household.created", n.household, residence_area=n.household.residence_area)
            )
            events.extend(
                person_event("person.created", p, area_codes=[p.province_code, p.commune_code])
                for p in n.persons
            )
        await emit_many(session, OutboxEvent, events)

    async def create(
        self, session: AsyncSession, caller: Principal, cipher: PiiCipher, data: HouseholdCreate
    ) -> tuple[Household, list[Person]]:
        if not caller.covers(data.province_code, data.commune_code):
            raise AreaNotCovered(f"You do not cover commune {data.commune_code}.")
        repo = HouseholdRepository(session)
        today = local_today()
        if not await repo.is_current_commune_of(data.commune_code, data.province_code, today):
            raise CommuneNotInProvince(
                f"{data.commune_code} is not a current commune of province {data.province_code}.",
                errors=[
                    FieldError(
                        pointer="/body/commune_code",
                        code="commune_not_in_province",
                        message="not a current commune of the given province",
                    )
                ],
            )
        registered_on = data.registered_on or today
        if registered_on > today:
            raise MoveDateInvalid(
                "Membership cannot start in the future.",
                errors=[
                    FieldError(pointer="/body/registered_on", code="in_the_future", message="in the future")
                ],
            )
        new = self.build(cipher, data)
        household, head, members = new.household, new.persons[0], new.persons[1:]
        await person_service.ensure_citizen_ids_free(
            session,
            [(head, "/body/head/citizen_id")]
            + [(m, f"/body/members/{i}/citizen_id") for i, m in enumerate(members)],
        )
        await repo.save(household)
        persons = PersonRepository(session)
        await persons.save(head, *members)
        for person in (head, *members):
            session.add(
                new_membership(person, household, joined_on=registered_on, reason=MembershipReason.REGISTERED)
            )
        await session.flush()
        await _emit(session, "household.created", household, residence_area=household.residence_area)
        for person in (head, *members):
            await emit_person_event(
                session, "person.created", person, area_codes=[person.province_code, person.commune_code]
            )
        return household, [head, *members]

    async def get(self, session: AsyncSession, caller: Principal, household_id: uuid.UUID) -> Household:
        """One household; one outside the caller's area is as missing as one that does not exist."""
        household = await HouseholdRepository(session).get_in_area(household_id, caller.area)
        if household is None:
            raise HouseholdNotFound(f"No household {household_id} in your area.")
        return household

    async def members(self, session: AsyncSession, household: Household) -> list[Person]:
        return await PersonRepository(session).current_members(household.id)

    async def list_households(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        commune_code: str | None,
        residence_area: ResidenceArea | None,
        include_closed: bool,
    ) -> tuple[list[Household], str | None]:
        return await HouseholdRepository(session).list_households(
            params,
            area=caller.area,
            commune_code=commune_code,
            residence_area=residence_area.value if residence_area else None,
            include_closed=include_closed,
        )

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        household_id: uuid.UUID,
        expected_version: int,
        data: HouseholdUpdate,
    ) -> Household:
        household = await self.get(session, caller, household_id)
        check_version(household.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return household
        for field, value in changes.items():
            setattr(household, field, value.value if isinstance(value, Enum) else value)
        await HouseholdRepository(session).save(household)
        # Field names only: the address is personal data.
        await _emit(session, "household.updated", household, changed=sorted(changes))
        return household

    async def change_head(
        self,
        session: AsyncSession,
        caller: Principal,
        household_id: uuid.UUID,
        expected_version: int,
        data: HeadChange,
    ) -> Household:
        """Make another current member head; the former head stays a member with the given relationship."""
        household = await self.get(session, caller, household_id)
        check_version(household.version, expected_version)
        if household.closed_on is not None:
            raise HouseholdClosed("The household is closed.")
        persons = PersonRepository(session)
        new_head = await persons.get(data.person_id)
        if new_head is None or new_head.household_id != household.id:
            raise NotAMember(
                "The person is not a current member of this household.",
                errors=[
                    FieldError(
                        pointer="/body/person_id", code="not_a_household_member", message="not a member"
                    )
                ],
            )
        if new_head.id == household.head_person_id:
            raise AlreadyHead("The person already heads this household.")
        if new_head.citizen_id_bidx is None:
            raise HouseholdHeadNeedsCitizenId(
                "Record the person's citizen ID before making them head.",
                errors=[
                    FieldError(
                        pointer="/body/person_id", code="missing_citizen_id", message="no citizen ID recorded"
                    )
                ],
            )
        if household.head_person_id is not None:
            old_head = await persons.get(household.head_person_id)
            if old_head is not None:
                old_head.relationship = data.previous_head_relationship.value
                await persons.save(old_head)  # one head at a time: the old one steps down first
        new_head.relationship = Relationship.HEAD.value
        await persons.save(new_head)
        household.head_person_id = new_head.id
        await HouseholdRepository(session).save(household)
        await _emit(session, "household.head_changed", household, head_person_id=new_head.id)
        return household


household_service = HouseholdService()

"""Demo duplicates: in two demo communes a household head is entered a second time without a citizen
ID and without diacritics (as a careless re-entry would), then a detection run queues the pairs.
Deterministic (the head with the first folded name of the commune) and idempotent."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.duplicate.service import duplicate_service
from registry_api.household.demo import SEED_CALLER
from registry_api.models import Person, Relationship
from registry_api.person.identifiers import Gender, fold_name
from registry_api.person.schemas import PersonCreate
from registry_api.person.service import person_service
from servicekit.pii import PiiCipher

DEMO_COMMUNES = ("10525", "11560")  # Phường Hải Dương, Phường Thuỷ Nguyên


async def seed_demo_duplicates(session: AsyncSession, cipher: PiiCipher) -> int:
    """Add the re-entered persons not there yet and detect; returns the candidate pairs added."""
    for commune in DEMO_COMMUNES:
        stmt = (
            select(Person)
            .where(Person.commune_code == commune, Person.relationship == Relationship.HEAD.value)
            .order_by(Person.name_folded, Person.birth_year)
            .limit(1)
        )
        head = (await session.execute(stmt)).scalar_one_or_none()
        if head is None:
            continue
        plain = fold_name(head.full_name).title()
        again = select(Person.id).where(Person.household_id == head.household_id, Person.full_name == plain)
        if (await session.execute(again)).first() is not None:
            continue
        await person_service.create(
            session,
            SEED_CALLER,
            cipher,
            PersonCreate(
                household_id=head.household_id,
                full_name=plain,
                date_of_birth=head.date_of_birth,
                birth_year=None if head.date_of_birth else head.birth_year,
                gender=Gender(head.gender),
                relationship=Relationship.OTHER,
            ),
        )
    result = await duplicate_service.detect(session, list(DEMO_COMMUNES))
    return result["candidates_added"]

"""The demo households: realistic, consistent, deterministic, and a re-run adds nothing."""

from __future__ import annotations

import unicodedata

from registry_people_testing import PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN, count
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.demo import demo_households, seed_demo_households
from registry_api.models import BeneficiaryCategory, Household, Person
from registry_api.person.identifiers import Gender, check_citizen_id
from registry_api.person.service import decrypt_citizen_id
from servicekit.pii import PiiCipher


async def test_seeds_thirty_households_once(db_session: AsyncSession, cipher: PiiCipher) -> None:
    assert await seed_demo_households(db_session, cipher) == 30
    persons = await count(db_session, "person")
    categories = await count(db_session, "beneficiary_category")
    assert persons > 60
    assert categories > 5
    assert await seed_demo_households(db_session, cipher) == 0
    assert (await count(db_session, "household"), await count(db_session, "person")) == (30, persons)
    assert await count(db_session, "beneficiary_category") == categories

    communes = dict(
        (
            await db_session.execute(
                select(Household.commune_code, func.count()).group_by(Household.commune_code)
            )
        ).all()
    )
    assert communes[PHUONG_HAI_DUONG] >= 4
    assert communes[PHUONG_THUY_NGUYEN] >= 4
    assert len(communes) >= 5

    rows = (await db_session.execute(select(Person))).scalars().all()
    heads = [p for p in rows if p.relationship == "head"]
    assert len(heads) == 30
    assert all(p.citizen_id_bidx for p in heads)
    assert any(p.citizen_id_bidx is None for p in rows)  # members identified by name and birth
    assert any(p.legacy_id_bidx for p in heads)
    for person in rows:
        assert unicodedata.is_normalized("NFC", person.full_name)
        number = decrypt_citizen_id(person, cipher)
        if number is not None:
            assert check_citizen_id(number, birth_year=person.birth_year, gender=Gender(person.gender)).ok
    kinds = set((await db_session.execute(select(BeneficiaryCategory.kind))).scalars())
    assert kinds == {"poor", "near_poor", "merit", "martyr_relative"}


def test_the_demo_data_is_deterministic_and_in_nfc() -> None:
    first, second = demo_households(), demo_households()
    assert [h.body for h in first] == [h.body for h in second]
    assert len({h.head_citizen_id for h in first}) == 30
    raw_names = [h.body.head.full_name for h in first]
    assert all(unicodedata.is_normalized("NFC", n) for n in raw_names)  # the NFD inputs were normalised

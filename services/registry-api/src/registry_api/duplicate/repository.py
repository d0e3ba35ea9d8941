from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from registry_api.models import (
    BeneficiaryCategory,
    DuplicateCandidate,
    DuplicateMatchRule,
    DuplicateStatus,
    HouseholdMembership,
    Person,
)
from servicekit.areas import AreaScope
from servicekit.db.base import new_id
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(DuplicateCandidate.province_code, DuplicateCandidate.commune_code)


class DuplicateRepository(RepositoryBase[DuplicateCandidate]):
    model = DuplicateCandidate

    async def rule_on(self, day: date) -> DuplicateMatchRule | None:
        stmt = (
            select(DuplicateMatchRule)
            .where(
                DuplicateMatchRule.valid_from <= day,
                or_(DuplicateMatchRule.valid_to.is_(None), DuplicateMatchRule.valid_to >= day),
            )
            .order_by(DuplicateMatchRule.valid_from.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def rule_codes(self) -> set[str]:
        return set((await self.session.execute(select(DuplicateMatchRule.code))).scalars())

    async def detect(self, area: AreaScope, rule: DuplicateMatchRule) -> int:
        """Insert the new candidate pairs of the area in one statement; returns how many were added.

        A pair is two persons of one commune, same gender and birth year, with equal dates of birth
        where both are known, at most one of them with a citizen ID (two different IDs are two
        people; the same ID twice is impossible), and folded names at least as similar as the rule
        says. The join is on (commune, birth year), so each person is only compared with the few
        born the same year in the same commune, never with the whole table.
        """
        a = aliased(Person)
        b = aliased(Person)
        score = func.floor(func.similarity(a.name_folded, b.name_folded) * 100)
        known = select(DuplicateCandidate.id).where(
            DuplicateCandidate.person_a_id == a.id, DuplicateCandidate.person_b_id == b.id
        )
        pairs = (
            select(a.id, b.id, score, a.province_code, a.commune_code, a.legacy_area_code)
            .join(
                b,
                and_(
                    b.commune_code == a.commune_code,
                    b.birth_year == a.birth_year,
                    b.gender == a.gender,
                    b.id > a.id,
                ),
            )
            .where(
                area.sql_filter(a.province_code, a.commune_code),
                or_(a.citizen_id_bidx.is_(None), b.citizen_id_bidx.is_(None)),
                or_(a.date_of_birth.is_(None), b.date_of_birth.is_(None), a.date_of_birth == b.date_of_birth),
                score >= rule.min_name_similarity_pct,
                ~known.exists(),
            )
            .order_by(a.id, b.id)
        )
        found = (await self.session.execute(pairs)).all()
        # Through the ORM, so every candidate gets its audit row.
        self.session.add_all(
            DuplicateCandidate(
                id=new_id(),
                person_a_id=row[0],
                person_b_id=row[1],
                rule_id=rule.id,
                name_similarity_pct=int(row[2]),
                status=DuplicateStatus.PENDING.value,
                province_code=row[3],
                commune_code=row[4],
                legacy_area_code=row[5],
            )
            for row in found
        )
        await self.session.flush()
        return len(found)

    async def categories_of(self, person_id: uuid.UUID) -> list[BeneficiaryCategory]:
        stmt = select(BeneficiaryCategory).where(BeneficiaryCategory.person_id == person_id)
        return list((await self.session.execute(stmt)).scalars())

    async def closed_memberships_of(self, person_id: uuid.UUID) -> list[HouseholdMembership]:
        stmt = select(HouseholdMembership).where(
            HouseholdMembership.person_id == person_id, HouseholdMembership.left_on.is_not(None)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> DuplicateCandidate | None:
        return await self.get(id_, in_area(area))

    async def list_in_area(
        self, area: AreaScope, params: PageParams, *, status: DuplicateStatus | None
    ) -> tuple[list[DuplicateCandidate], str | None]:
        stmt = select(DuplicateCandidate).where(in_area(area))
        if status is not None:
            stmt = stmt.where(DuplicateCandidate.status == status.value)
        return await self.paginate(stmt, params)

    async def persons(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        if not ids:
            return {}
        rows = (await self.session.execute(select(Person).where(Person.id.in_(ids)))).scalars()
        return {p.id: p for p in rows}

    async def already_merged_away(self, person_id: uuid.UUID) -> bool:
        """Whether the person was merged into another in an earlier decision."""
        stmt = select(DuplicateCandidate.id).where(
            DuplicateCandidate.status == DuplicateStatus.MERGED.value,
            or_(DuplicateCandidate.person_a_id == person_id, DuplicateCandidate.person_b_id == person_id),
            DuplicateCandidate.kept_person_id != person_id,
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def add_rules(self, rules: list[DuplicateMatchRule]) -> None:
        self.session.add_all(rules)
        await self.session.flush()

    async def save(self, obj: Any) -> None:
        self.session.add(obj)
        await self.session.flush()

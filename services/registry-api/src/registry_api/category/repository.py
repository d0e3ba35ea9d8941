from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError

from registry_api.category.errors import PovertyStatusExists
from registry_api.models import BeneficiaryCategory, PovertyStandard
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

POVERTY_YEAR_UNIQUE = "uq_beneficiary_category_poverty_year"


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(BeneficiaryCategory.province_code, BeneficiaryCategory.commune_code)


class CategoryRepository(RepositoryBase[BeneficiaryCategory]):
    model = BeneficiaryCategory

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> BeneficiaryCategory | None:
        return await self.get(id_, in_area(area))

    async def list_for_household(
        self, household_id: uuid.UUID, params: PageParams, *, on: date | None, kind: str | None
    ) -> tuple[list[BeneficiaryCategory], str | None]:
        stmt = select(BeneficiaryCategory).where(BeneficiaryCategory.household_id == household_id)
        if on is not None:
            stmt = stmt.where(
                BeneficiaryCategory.valid_from <= on,
                or_(BeneficiaryCategory.valid_to.is_(None), BeneficiaryCategory.valid_to >= on),
            )
        if kind is not None:
            stmt = stmt.where(BeneficiaryCategory.kind == kind)
        return await self.paginate(stmt, params)

    async def poverty_status_for_year(self, household_id: uuid.UUID, year: int) -> BeneficiaryCategory | None:
        stmt = select(BeneficiaryCategory).where(
            BeneficiaryCategory.household_id == household_id,
            BeneficiaryCategory.year == year,
            BeneficiaryCategory.kind.in_(["poor", "near_poor"]),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, category: BeneficiaryCategory) -> BeneficiaryCategory:
        """Add (if new) and flush; a status recorded meanwhile for the same year is a 409 here."""
        self.session.add(category)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if POVERTY_YEAR_UNIQUE in str(exc.orig):
                raise PovertyStatusExists(
                    "The household already has a poverty status for that year."
                ) from exc
            raise
        return category


class PovertyStandardRepository(RepositoryBase[PovertyStandard]):
    model = PovertyStandard

    async def for_year(self, year: int, code: str | None) -> PovertyStandard | None:
        """The standard households are identified under in that year (or the named one, if it
        covers the year)."""
        stmt = select(PovertyStandard).where(
            PovertyStandard.first_year <= year,
            or_(PovertyStandard.last_year.is_(None), PovertyStandard.last_year >= year),
        )
        if code is not None:
            stmt = stmt.where(PovertyStandard.code == code)
        stmt = stmt.order_by(PovertyStandard.first_year.desc()).limit(1)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_standards(self, params: PageParams) -> tuple[list[PovertyStandard], str | None]:
        return await self.paginate(select(PovertyStandard), params)

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(PovertyStandard.code))).scalars())

    async def add_all(self, standards: list[PovertyStandard]) -> None:
        self.session.add_all(standards)
        await self.session.flush()

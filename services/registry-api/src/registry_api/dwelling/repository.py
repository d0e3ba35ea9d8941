from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from registry_api.dwelling.errors import DwellingDateInvalid
from registry_api.models import Dwelling, DwellingAssessment, DwellingRuleSet
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.errors import FieldError
from servicekit.pagination import PageParams

CURRENT_UNIQUE = "uq_dwelling_current_per_household"


class DwellingRepository(RepositoryBase[Dwelling]):
    model = Dwelling

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> Dwelling | None:
        stmt = select(Dwelling).where(
            Dwelling.id == id_, area.sql_filter(Dwelling.province_code, Dwelling.commune_code)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def current_for(self, household_id: uuid.UUID) -> Dwelling | None:
        stmt = select(Dwelling).where(Dwelling.household_id == household_id, Dwelling.ended_on.is_(None))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_for_household(
        self, household_id: uuid.UUID, params: PageParams
    ) -> tuple[list[Dwelling], str | None]:
        stmt = select(Dwelling).where(Dwelling.household_id == household_id)
        return await self.paginate(stmt, params, order_by=[Dwelling.since, Dwelling.id])

    async def save(self, *dwellings: Dwelling) -> None:
        """Flush (a stale version is a 412 here); a second current dwelling raced in is a 422."""
        self.session.add_all(dwellings)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if CURRENT_UNIQUE in str(exc.orig):
                raise DwellingDateInvalid(
                    "Another dwelling was recorded for the household meanwhile; reload and retry.",
                    errors=[
                        FieldError(pointer="/body/since", code="current_dwelling_changed", message="retry")
                    ],
                ) from exc
            raise


class AssessmentRepository(RepositoryBase[DwellingAssessment]):
    model = DwellingAssessment

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> DwellingAssessment | None:
        stmt = select(DwellingAssessment).where(
            DwellingAssessment.id == id_,
            area.sql_filter(DwellingAssessment.province_code, DwellingAssessment.commune_code),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_for_dwelling(
        self, dwelling_id: uuid.UUID, params: PageParams
    ) -> tuple[list[DwellingAssessment], str | None]:
        """Newest first: the head of the list is the dwelling's current classification."""
        stmt = select(DwellingAssessment).where(DwellingAssessment.dwelling_id == dwelling_id)
        return await self.paginate(
            stmt,
            params,
            order_by=[DwellingAssessment.assessed_on, DwellingAssessment.created_at, DwellingAssessment.id],
            descending=True,
        )

    async def add(self, obj: DwellingAssessment) -> DwellingAssessment:
        self.session.add(obj)
        await self.session.flush()
        return obj


class DwellingRuleSetRepository(RepositoryBase[DwellingRuleSet]):
    model = DwellingRuleSet

    async def valid_on(self, on: date) -> DwellingRuleSet | None:
        stmt = (
            select(DwellingRuleSet)
            .where(
                DwellingRuleSet.valid_from <= on,
                or_(DwellingRuleSet.valid_to.is_(None), DwellingRuleSet.valid_to >= on),
            )
            .order_by(DwellingRuleSet.valid_from.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_all(self, params: PageParams) -> tuple[list[DwellingRuleSet], str | None]:
        return await self.paginate(
            select(DwellingRuleSet), params, order_by=[DwellingRuleSet.valid_from, DwellingRuleSet.id]
        )

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(DwellingRuleSet.code))).scalars())

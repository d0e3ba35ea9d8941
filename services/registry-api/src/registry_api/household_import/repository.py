from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from registry_api.models import Household, HouseholdImport, HouseholdImportError, Person
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(HouseholdImport.province_code, HouseholdImport.commune_code)


class ImportRepository(RepositoryBase[HouseholdImport]):
    model = HouseholdImport

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> HouseholdImport | None:
        return await self.get(id_, in_area(area))

    async def same_file(
        self, commune_code: str, sha256: str, mode: str, kind: str, campaign_id: uuid.UUID | None
    ) -> HouseholdImport | None:
        stmt = select(HouseholdImport).where(
            HouseholdImport.commune_code == commune_code,
            HouseholdImport.sha256 == sha256,
            HouseholdImport.mode == mode,
            HouseholdImport.kind == kind,
            HouseholdImport.campaign_id.is_not_distinct_from(campaign_id),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def with_content(self, id_: uuid.UUID) -> HouseholdImport | None:
        stmt = (
            select(HouseholdImport)
            .where(HouseholdImport.id == id_)
            .options(undefer(HouseholdImport.content))
            .execution_options(populate_existing=True)
            .with_for_update()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_imports(
        self, params: PageParams, area: AreaScope
    ) -> tuple[list[HouseholdImport], str | None]:
        return await self.paginate(select(HouseholdImport).where(in_area(area)), params, descending=True)

    async def errors(self, import_id: uuid.UUID) -> list[HouseholdImportError]:
        stmt = (
            select(HouseholdImportError)
            .where(HouseholdImportError.import_id == import_id)
            .order_by(HouseholdImportError.row_number.asc().nulls_first(), HouseholdImportError.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def replace_errors(self, import_id: uuid.UUID, errors: Sequence[HouseholdImportError]) -> None:
        await self.session.execute(
            delete(HouseholdImportError).where(HouseholdImportError.import_id == import_id)
        )
        self.session.add_all(errors)
        await self.session.flush()

    async def add_errors(self, errors: Sequence[HouseholdImportError]) -> None:
        self.session.add_all(errors)
        await self.session.flush()

    async def save(self, row: HouseholdImport) -> None:
        self.session.add(row)
        await self.session.flush()


class ExportRepository:
    """Households with their head, in id order, one keyset batch at a time (no row cap, no OFFSET)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def batch(
        self, area: AreaScope, *, commune_code: str | None, after: uuid.UUID | None, limit: int
    ) -> list[tuple[Household, Person, int]]:
        members = (
            select(func.count())
            .where(Person.household_id == Household.id)
            .correlate(Household)
            .scalar_subquery()
        )
        stmt = (
            select(Household, Person, members.label("member_count"))
            .join(Person, Person.id == Household.head_person_id)
            .where(area.sql_filter(Household.province_code, Household.commune_code))
            .where(Household.closed_on.is_(None))
            .order_by(Household.id)
            .limit(limit)
        )
        if commune_code is not None:
            stmt = stmt.where(Household.commune_code == commune_code)
        if after is not None:
            stmt = stmt.where(Household.id > after)
        rows = (await self.session.execute(stmt)).all()
        return [(r[0], r[1], int(r[2])) for r in rows]

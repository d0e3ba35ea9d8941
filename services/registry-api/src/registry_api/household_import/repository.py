from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, undefer

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


# One export row: household id, the head's full name, masked citizen ID, date of birth, birth year and
# gender, then the household's hamlet, address, residence area, province and commune codes, and the
# number of persons in it.
ExportRow = tuple[
    uuid.UUID, str, str | None, date | None, int, str, str | None, str, str, str, str | None, int
]


class ExportRepository:
    """Households with their head, in id order, one keyset batch at a time (no row cap, no OFFSET).

    Plain columns through Core, no ORM instances: an export reads every household of a province, and
    building two ORM objects per row cost more than PostgreSQL's side of the query."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def batch(
        self, area: AreaScope, *, commune_code: str | None, after: uuid.UUID | None, limit: int
    ) -> Sequence[ExportRow]:
        household = Household.__table__.c
        person = Person.__table__.c
        members = (
            select(func.count())
            .select_from(Person.__table__)
            .where(person.household_id == household.id)
            .correlate(Household.__table__)
            .scalar_subquery()
        )
        stmt = (
            select(
                household.id,
                person.full_name,
                person.citizen_id_masked,
                person.date_of_birth,
                person.birth_year,
                person.gender,
                household.hamlet,
                household.address,
                household.residence_area,
                household.province_code,
                household.commune_code,
                members.label("member_count"),
            )
            .select_from(Household.__table__.join(Person.__table__, person.id == household.head_person_id))
            .where(_area_filter(area))
            .where(household.closed_on.is_(None))
            .order_by(household.id)
            .limit(limit)
        )
        if commune_code is not None:
            stmt = stmt.where(household.commune_code == commune_code)
        if after is not None:
            stmt = stmt.where(household.id > after)
        rows = (await self.session.execute(stmt)).all()
        return cast("Sequence[ExportRow]", rows)  # Rows unpack as these tuples


def _area_filter(area: AreaScope) -> ColumnElement[bool]:
    # sql_filter is typed for ORM attributes; the table's columns have the same in_(), and keep the
    # statement Core (an ORM attribute in the WHERE would route every row through ORM loading again).
    household = Household.__table__.c
    return area.sql_filter(
        cast("InstrumentedAttribute[str]", household.province_code),
        cast("InstrumentedAttribute[str | None]", household.commune_code),
    )

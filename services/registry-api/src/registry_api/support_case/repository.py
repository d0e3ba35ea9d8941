from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from registry_api.models import SupportCase, SupportCasePhoto, SupportHistory, SupportRate
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

LIVE_UNIQUE = "uq_support_case_household_kind_live"
PHOTO_UNIQUE = "uq_support_case_photo_support_case_id_sha256"


class UniqueViolation(Exception):
    """A unique index refused the row; `constraint` names it."""

    def __init__(self, constraint: str) -> None:
        super().__init__(constraint)
        self.constraint = constraint


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(SupportCase.province_code, SupportCase.commune_code)


class SupportCaseRepository(RepositoryBase[SupportCase]):
    model = SupportCase

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> SupportCase | None:
        return await self.get(id_, in_area(area))

    def filtered(
        self,
        area: AreaScope,
        *,
        commune_code: str | None = None,
        household_id: uuid.UUID | None = None,
        stream: str | None = None,
        kind: str | None = None,
        status: str | None = None,
        proposed_from: date | None = None,
        proposed_to: date | None = None,
    ) -> Select[Any]:
        stmt = select(SupportCase).where(in_area(area))
        for column, value in (
            (SupportCase.commune_code, commune_code),
            (SupportCase.household_id, household_id),
            (SupportCase.stream, stream),
            (SupportCase.kind, kind),
            (SupportCase.status, status),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        if proposed_from is not None:
            stmt = stmt.where(SupportCase.proposed_on >= proposed_from)
        if proposed_to is not None:
            stmt = stmt.where(SupportCase.proposed_on <= proposed_to)
        return stmt

    async def list_cases(self, stmt: Select[Any], params: PageParams) -> tuple[list[SupportCase], str | None]:
        return await self.paginate(stmt, params)

    async def save(self, case: SupportCase) -> SupportCase:
        """Add (if new) and flush: a stale version is a 412 here, a second live case of the kind a
        UniqueViolation (two proposals racing)."""
        self.session.add(case)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if LIVE_UNIQUE in str(exc.orig):
                raise UniqueViolation(LIVE_UNIQUE) from exc
            raise
        return case


class SupportHistoryRepository(RepositoryBase[SupportHistory]):
    model = SupportHistory

    async def for_case(self, case_id: uuid.UUID) -> SupportHistory | None:
        stmt = select(SupportHistory).where(SupportHistory.support_case_id == case_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def live_of_kind(
        self, household_id: uuid.UUID, person_ids: list[uuid.UUID], kind: str
    ) -> SupportHistory | None:
        """The earliest support of this kind, not withdrawn, of the household or of any of the persons
        (received while in another household)."""
        who: ColumnElement[bool] = SupportHistory.household_id == household_id
        if person_ids:
            who = or_(who, SupportHistory.person_ids.overlap(person_ids))
        stmt = (
            select(SupportHistory)
            .where(who, SupportHistory.kind == kind, SupportHistory.outcome != "withdrawn")
            .order_by(SupportHistory.proposed_on, SupportHistory.id)
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_household(
        self, household_id: uuid.UUID, params: PageParams
    ) -> tuple[list[SupportHistory], str | None]:
        return await self.paginate(
            select(SupportHistory).where(SupportHistory.household_id == household_id), params
        )

    async def for_person(
        self, person_id: uuid.UUID, area: AreaScope, params: PageParams
    ) -> tuple[list[SupportHistory], str | None]:
        stmt = select(SupportHistory).where(
            SupportHistory.person_ids.contains([person_id]),
            area.sql_filter(SupportHistory.province_code, SupportHistory.commune_code),
        )
        return await self.paginate(stmt, params)

    async def save(self, row: SupportHistory) -> None:
        self.session.add(row)
        await self.session.flush()


class SupportPhotoRepository(RepositoryBase[SupportCasePhoto]):
    model = SupportCasePhoto

    async def get_of_case(
        self, case_id: uuid.UUID, photo_id: uuid.UUID, *, with_content: bool = False
    ) -> SupportCasePhoto | None:
        stmt = select(SupportCasePhoto).where(
            SupportCasePhoto.id == photo_id, SupportCasePhoto.support_case_id == case_id
        )
        if with_content:
            stmt = stmt.options(undefer(SupportCasePhoto.content))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def for_case(self, case_id: uuid.UUID) -> list[SupportCasePhoto]:
        stmt = (
            select(SupportCasePhoto)
            .where(SupportCasePhoto.support_case_id == case_id)
            .order_by(SupportCasePhoto.id)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def uploaded_stages(self, case_id: uuid.UUID) -> set[str]:
        stmt = (
            select(SupportCasePhoto.stage)
            .where(SupportCasePhoto.support_case_id == case_id, SupportCasePhoto.uploaded_at.is_not(None))
            .distinct()
        )
        return set((await self.session.execute(stmt)).scalars())

    async def save(self, photo: SupportCasePhoto) -> SupportCasePhoto:
        self.session.add(photo)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if PHOTO_UNIQUE in str(exc.orig):
                raise UniqueViolation(PHOTO_UNIQUE) from exc
            raise
        return photo


class SupportRateRepository(RepositoryBase[SupportRate]):
    model = SupportRate

    async def valid_on(self, stream: str, kind: str, on: date) -> SupportRate | None:
        stmt = (
            select(SupportRate)
            .where(
                SupportRate.stream == stream,
                SupportRate.kind == kind,
                SupportRate.valid_from <= on,
                or_(SupportRate.valid_to.is_(None), SupportRate.valid_to >= on),
            )
            .order_by(SupportRate.valid_from.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_rates(self, params: PageParams) -> tuple[list[SupportRate], str | None]:
        return await self.paginate(select(SupportRate), params)

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(SupportRate.code))).scalars())

    async def add_all(self, rates: list[SupportRate]) -> None:
        self.session.add_all(rates)
        await self.session.flush()

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, select

from inspection_api.models import CommercialProject, LandReserveObligation, LandReserveRule
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def overdue_as_of(day: date) -> ColumnElement[bool]:
    """An obligation is overdue on `day` when the deadline of its next stage has passed: `due_on < day`
    (`due_on` is NULL once fulfilled or while no deadline is set)."""
    return LandReserveObligation.due_on < day


class CommercialProjectRepository(RepositoryBase[CommercialProject]):
    model = CommercialProject

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> CommercialProject | None:
        return await self.get(
            id_, area.sql_filter(CommercialProject.province_code, CommercialProject.commune_code)
        )

    async def names(self, names: list[str]) -> set[str]:
        stmt = select(CommercialProject.name).where(CommercialProject.name.in_(names))
        return set((await self.session.execute(stmt)).scalars())

    async def list_projects(
        self, params: PageParams, *, area: AreaScope, commune_code: str | None, kind: str | None
    ) -> tuple[list[CommercialProject], str | None]:
        stmt = select(CommercialProject).where(
            area.sql_filter(CommercialProject.province_code, CommercialProject.commune_code)
        )
        if commune_code is not None:
            stmt = stmt.where(CommercialProject.commune_code == commune_code)
        if kind is not None:
            stmt = stmt.where(CommercialProject.kind == kind)
        return await self.paginate(stmt, params)

    async def save(self, project: CommercialProject) -> CommercialProject:
        self.session.add(project)
        await self.session.flush()
        return project


class LandReserveRuleRepository(RepositoryBase[LandReserveRule]):
    model = LandReserveRule

    async def in_force_on(self, day: date) -> LandReserveRule | None:
        stmt = (
            select(LandReserveRule)
            .where(
                LandReserveRule.valid_from <= day,
                (LandReserveRule.valid_to.is_(None)) | (LandReserveRule.valid_to >= day),
            )
            .order_by(LandReserveRule.valid_from.desc())
            .limit(1)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(LandReserveRule.code))).scalars())

    async def list_rules(self, params: PageParams) -> tuple[list[LandReserveRule], str | None]:
        return await self.paginate(select(LandReserveRule), params)


class LandReserveObligationRepository(RepositoryBase[LandReserveObligation]):
    model = LandReserveObligation

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> LandReserveObligation | None:
        return await self.get(
            id_, area.sql_filter(LandReserveObligation.province_code, LandReserveObligation.commune_code)
        )

    async def for_project(self, project_id: uuid.UUID) -> LandReserveObligation | None:
        stmt = select(LandReserveObligation).where(LandReserveObligation.commercial_project_id == project_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_obligations(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        overdue: bool | None,
        as_of: date,
        status: str | None,
        method: str | None,
        commercial_project_id: uuid.UUID | None,
        commune_code: str | None,
    ) -> tuple[list[LandReserveObligation], str | None]:
        """Keyset by id; the overdue list by (due_on, id), the longest overdue first."""
        stmt = select(LandReserveObligation).where(
            area.sql_filter(LandReserveObligation.province_code, LandReserveObligation.commune_code)
        )
        if status is not None:
            stmt = stmt.where(LandReserveObligation.status == status)
        if method is not None:
            stmt = stmt.where(LandReserveObligation.method == method)
        if commercial_project_id is not None:
            stmt = stmt.where(LandReserveObligation.commercial_project_id == commercial_project_id)
        if commune_code is not None:
            stmt = stmt.where(LandReserveObligation.commune_code == commune_code)
        if overdue is False:
            stmt = stmt.where(LandReserveObligation.due_on.is_(None) | ~overdue_as_of(as_of))
        if overdue:
            stmt = stmt.where(overdue_as_of(as_of))
            return await self.paginate(
                stmt, params, order_by=[LandReserveObligation.due_on, LandReserveObligation.id]
            )
        return await self.paginate(stmt, params)

    async def save(self, obligation: LandReserveObligation) -> LandReserveObligation:
        self.session.add(obligation)
        await self.session.flush()
        return obligation

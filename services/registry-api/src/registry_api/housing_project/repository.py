from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select

from registry_api.models import HousingProject, HousingProjectUnits, ProjectKind
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(HousingProject.province_code, HousingProject.commune_code)


class HousingProjectRepository(RepositoryBase[HousingProject]):
    model = HousingProject

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> HousingProject | None:
        return await self.get(id_, in_area(area))

    async def list_in_area(
        self, area: AreaScope, params: PageParams, *, commune_code: str | None, kind: ProjectKind | None
    ) -> tuple[list[HousingProject], str | None]:
        stmt = select(HousingProject).where(in_area(area))
        if commune_code is not None:
            stmt = stmt.where(HousingProject.commune_code == commune_code)
        if kind is not None:
            stmt = stmt.where(HousingProject.kind == kind.value)
        return await self.paginate(stmt, params)

    async def units_of(self, project_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[HousingProjectUnits]]:
        found: dict[uuid.UUID, list[HousingProjectUnits]] = {i: [] for i in project_ids}
        if not project_ids:
            return found
        stmt = (
            select(HousingProjectUnits)
            .where(HousingProjectUnits.project_id.in_(project_ids))
            .order_by(HousingProjectUnits.unit_kind, HousingProjectUnits.floor_area_band)
        )
        for row in (await self.session.execute(stmt)).scalars():
            found[row.project_id].append(row)
        return found

    async def save(self, *objs: HousingProject | HousingProjectUnits) -> None:
        self.session.add_all(objs)
        await self.session.flush()

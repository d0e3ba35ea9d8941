from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select

from inspection_api.models import LandUsePlan
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """The plans a caller may see.

    A plan is visible when the caller covers its province (then every plan there, province-wide ones
    included) or its commune. A caller who covers only communes does NOT see province-wide plans
    (`commune_code` NULL): a token's commune codes do not say which province a commune lies in, and a
    service checks rows without the unit table (decision 7). Such plans reach commune officers through
    their province colleagues, not through this list.
    """
    return area.sql_filter(LandUsePlan.province_code, LandUsePlan.commune_code)


class LandUsePlanRepository(RepositoryBase[LandUsePlan]):
    model = LandUsePlan

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> LandUsePlan | None:
        return await self.get(id_, in_area(area))

    async def list_plans(
        self, params: PageParams, *, area: AreaScope, level: str | None, status: str | None
    ) -> tuple[list[LandUsePlan], str | None]:
        stmt = select(LandUsePlan).where(in_area(area))
        if level is not None:
            stmt = stmt.where(LandUsePlan.level == level)
        if status is not None:
            stmt = stmt.where(LandUsePlan.status == status)
        return await self.paginate(stmt, params)

    async def save(self, plan: LandUsePlan) -> LandUsePlan:
        """Add (if new) and flush, so a stale version surfaces here as a 412 rather than at commit."""
        self.session.add(plan)
        await self.session.flush()
        return plan

from __future__ import annotations

import uuid

from sqlalchemy import select

from inspection_api.models import InspectionPlan, InspectionPlanItem
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


class PlanRepository(RepositoryBase[InspectionPlan]):
    model = InspectionPlan

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> InspectionPlan | None:
        # A plan is the province's: only callers covering the whole province see it.
        return await self.get(id_, area.province_filter(InspectionPlan.province_code))

    async def find(self, province_code: str, year: int, kind: str) -> InspectionPlan | None:
        stmt = select(InspectionPlan).where(
            InspectionPlan.province_code == province_code,
            InspectionPlan.year == year,
            InspectionPlan.kind == kind,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_plans(
        self, params: PageParams, *, area: AreaScope, year: int | None, kind: str | None
    ) -> tuple[list[InspectionPlan], str | None]:
        stmt = select(InspectionPlan).where(area.province_filter(InspectionPlan.province_code))
        if year is not None:
            stmt = stmt.where(InspectionPlan.year == year)
        if kind is not None:
            stmt = stmt.where(InspectionPlan.kind == kind)
        return await self.paginate(stmt, params)


class PlanItemRepository(RepositoryBase[InspectionPlanItem]):
    model = InspectionPlanItem

    async def list_of_plan(
        self, plan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionPlanItem], str | None]:
        return await self.paginate(
            select(InspectionPlanItem).where(InspectionPlanItem.plan_id == plan_id), params
        )

    async def with_plan_in_area(
        self, item_id: uuid.UUID, area: AreaScope
    ) -> tuple[InspectionPlanItem, InspectionPlan] | None:
        stmt = (
            select(InspectionPlanItem, InspectionPlan)
            .join(InspectionPlan, InspectionPlan.id == InspectionPlanItem.plan_id)
            .where(
                InspectionPlanItem.id == item_id,
                area.sql_filter(InspectionPlanItem.province_code, InspectionPlanItem.commune_code),
            )
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

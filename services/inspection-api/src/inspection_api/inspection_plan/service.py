"""Yearly plans of checks and of inspections, one per province, year and kind, with their items."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.clients.registry import RegistryClient
from inspection_api.inspection_plan.errors import (
    CommuneNotInProvince,
    PlanExists,
    PlanNotFound,
    ProvinceNotCovered,
)
from inspection_api.inspection_plan.repository import PlanItemRepository, PlanRepository
from inspection_api.inspection_plan.schemas import PlanCreate, PlanItemCreate
from inspection_api.models import CaseKind, InspectionPlan, InspectionPlanItem, OutboxEvent
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal


class InspectionPlanService:
    async def create(self, session: AsyncSession, caller: Principal, data: PlanCreate) -> InspectionPlan:
        if data.province_code not in caller.area.provinces:
            raise ProvinceNotCovered(f"You do not cover province {data.province_code}.")
        repo = PlanRepository(session)
        if await repo.find(data.province_code, data.year, data.kind.value) is not None:
            raise PlanExists(f"Province {data.province_code} has a {data.kind.value} plan for {data.year}.")
        plan = InspectionPlan(
            province_code=data.province_code,
            year=data.year,
            kind=data.kind.value,
            title=data.title,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
        )
        await repo.add(plan)
        await emit(
            session,
            OutboxEvent,
            type="inspection_plan.created",
            subject=urn("inspection", "inspection-plan", plan.id),
            area_codes=[plan.province_code],
            data={"plan_id": plan.id, "year": plan.year, "kind": plan.kind},
        )
        return plan

    async def get(self, session: AsyncSession, caller: Principal, plan_id: uuid.UUID) -> InspectionPlan:
        plan = await PlanRepository(session).get_in_area(plan_id, caller.area)
        if plan is None:
            raise PlanNotFound(f"No inspection plan {plan_id} in your area.")
        return plan

    async def list_plans(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        year: int | None,
        kind: CaseKind | None,
    ) -> tuple[list[InspectionPlan], str | None]:
        return await PlanRepository(session).list_plans(
            params, area=caller.area, year=year, kind=kind.value if kind else None
        )

    async def add_item(
        self,
        session: AsyncSession,
        caller: Principal,
        plan_id: uuid.UUID,
        data: PlanItemCreate,
        registry: RegistryClient,
    ) -> InspectionPlanItem:
        plan = await self.get(session, caller, plan_id)
        if data.commune_code is not None:
            unit = await registry.admin_unit(data.commune_code)
            if unit is None or unit.level != "commune" or unit.parent_code != plan.province_code:
                raise CommuneNotInProvince(
                    f"{data.commune_code} is not a current commune of province {plan.province_code}.",
                    errors=[
                        FieldError(
                            pointer="/body/commune_code",
                            code="commune_not_in_province",
                            message="not a commune of the plan's province",
                        )
                    ],
                )
        item = InspectionPlanItem(
            plan_id=plan.id,
            province_code=plan.province_code,
            commune_code=data.commune_code,
            subject=data.subject,
            scope=data.scope,
            planned_month=data.planned_month,
        )
        await PlanItemRepository(session).add(item)
        await emit(
            session,
            OutboxEvent,
            type="inspection_plan.item_added",
            subject=urn("inspection", "inspection-plan", plan.id),
            area_codes=[item.province_code, item.commune_code],
            data={"plan_id": plan.id, "plan_item_id": item.id, "planned_month": item.planned_month},
        )
        return item

    async def list_items(
        self, session: AsyncSession, caller: Principal, plan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[InspectionPlanItem], str | None]:
        plan = await self.get(session, caller, plan_id)
        return await PlanItemRepository(session).list_of_plan(plan.id, params)


inspection_plan_service = InspectionPlanService()

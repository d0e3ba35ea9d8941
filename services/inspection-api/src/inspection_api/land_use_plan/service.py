"""Land-use plans: recorded and changed by callers who cover the plan's area; read within the area."""

from __future__ import annotations

import uuid
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.clients.registry import RegistryClient
from inspection_api.land_use_plan.errors import (
    AreaNotCovered,
    CommuneNotInProvince,
    LandUsePlanDecisionMissing,
    LandUsePlanNotFound,
)
from inspection_api.land_use_plan.repository import LandUsePlanRepository
from inspection_api.land_use_plan.schemas import LandUsePlanCreate, LandUsePlanUpdate
from inspection_api.models import LandUsePlan, LandUsePlanLevel, LandUsePlanStatus, OutboxEvent
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal


def _require_decision(plan: LandUsePlan) -> None:
    """Only a decision takes a plan out of draft: an approved or superseded plan names it."""
    if plan.status == LandUsePlanStatus.DRAFT:
        return
    missing = [f for f in ("decision_number", "decision_date") if getattr(plan, f) is None]
    if missing:
        raise LandUsePlanDecisionMissing(
            f"A {plan.status} plan needs the number and date of the decision that approved it.",
            errors=[
                FieldError(
                    pointer=f"/body/{f}", code="missing", message="required unless the plan is a draft"
                )
                for f in missing
            ],
        )


async def _emit(session: AsyncSession, type_: str, plan: LandUsePlan, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "land-use-plan", plan.id),
        area_codes=[plan.province_code, plan.commune_code],
        data={
            "land_use_plan_id": plan.id,
            "level": plan.level,
            "status": plan.status,
            "social_housing_land_m2": plan.social_housing_land_m2,
            **data,
        },
    )


class LandUsePlanService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: LandUsePlanCreate, registry: RegistryClient
    ) -> LandUsePlan:
        """Record a plan. A commune plan needs the commune or its province covered; a province-wide one
        needs the province. Only registry-api holds the units, so it confirms the commune's province:
        otherwise a caller covering one commune could file it under another province's code."""
        if not caller.covers(data.province_code, data.commune_code):
            where = f"commune {data.commune_code}" if data.commune_code else f"province {data.province_code}"
            raise AreaNotCovered(f"You do not cover {where}.")
        if data.commune_code is not None:
            unit = await registry.admin_unit(data.commune_code)
            if unit is None or unit.level != "commune" or unit.parent_code != data.province_code:
                raise CommuneNotInProvince(
                    f"{data.commune_code} is not a current commune of province {data.province_code}.",
                    errors=[
                        FieldError(
                            pointer="/body/commune_code",
                            code="commune_not_in_province",
                            message="not a current commune of the given province",
                        )
                    ],
                )
        plan = LandUsePlan(
            province_code=data.province_code,
            commune_code=data.commune_code,
            legacy_area_code=data.legacy_area_code,
            name=data.name,
            level=data.level.value,
            status=data.status.value,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            approved_by=data.approved_by,
            social_housing_land_m2=data.social_housing_land_m2,
        )
        _require_decision(plan)
        await LandUsePlanRepository(session).save(plan)
        await _emit(session, "land_use_plan.recorded", plan)
        return plan

    async def get(self, session: AsyncSession, caller: Principal, plan_id: uuid.UUID) -> LandUsePlan:
        """One plan; a plan outside the caller's area is as missing as one that does not exist."""
        plan = await LandUsePlanRepository(session).get_in_area(plan_id, caller.area)
        if plan is None:
            raise LandUsePlanNotFound(f"No land-use plan {plan_id} in your area.")
        return plan

    async def list_plans(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        level: LandUsePlanLevel | None,
        status: LandUsePlanStatus | None,
    ) -> tuple[list[LandUsePlan], str | None]:
        return await LandUsePlanRepository(session).list_plans(
            params,
            area=caller.area,
            level=level.value if level else None,
            status=status.value if status else None,
        )

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        plan_id: uuid.UUID,
        expected_version: int,
        data: LandUsePlanUpdate,
    ) -> LandUsePlan:
        plan = await self.get(session, caller, plan_id)
        check_version(plan.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        for field, value in changes.items():
            setattr(plan, field, value.value if isinstance(value, Enum) else value)
        _require_decision(plan)
        await LandUsePlanRepository(session).save(plan)
        await _emit(session, "land_use_plan.updated", plan, changed=sorted(changes))
        return plan


land_use_plan_service = LandUsePlanService()

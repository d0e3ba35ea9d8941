"""Dashboards: households by category, support cases by stream, kind or status, per unit of the new or
the old boundaries. Each group is counted by the admin-unit roll-up (GROUP BY in SQL) over rows already
filtered by the caller's area."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.admin_unit.schemas import AreaCount, Boundaries, RollUpLevel
from registry_api.admin_unit.service import admin_unit_service
from registry_api.dashboard.errors import PeriodInvalid
from registry_api.dashboard.repository import DashboardRepository
from registry_api.dashboard.schemas import CountGroup, SupportCaseDimension
from servicekit.errors import FieldError
from servicekit.principal import Principal

ALL = "all"


class DashboardService:
    async def _group(
        self, session: AsyncSession, key: str, rows: AnySelect, boundaries: Boundaries, level: RollUpLevel
    ) -> CountGroup:
        counted = await admin_unit_service.roll_up(session, rows, boundaries=boundaries, level=level)
        items = [AreaCount(code=c.code, name=c.name, count=c.count) for c in counted]
        return CountGroup(key=key, total=sum(i.count for i in items), items=items)

    async def households_by_category(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        on: date,
        boundaries: Boundaries,
        level: RollUpLevel,
    ) -> list[CountGroup]:
        repo = DashboardRepository(session)
        groups = [
            await self._group(session, ALL, repo.households(caller.area, on=on, kind=None), boundaries, level)
        ]
        for kind in await repo.category_kinds(caller.area, on):
            rows = repo.households(caller.area, on=on, kind=kind)
            groups.append(await self._group(session, kind, rows, boundaries, level))
        return groups

    async def support_cases(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        by: SupportCaseDimension,
        proposed_from: date | None,
        proposed_to: date | None,
        boundaries: Boundaries,
        level: RollUpLevel,
    ) -> list[CountGroup]:
        if proposed_from is not None and proposed_to is not None and proposed_to < proposed_from:
            raise PeriodInvalid(
                "The period ends before it starts.",
                errors=[
                    FieldError(pointer="/query/proposed_to", code="before_proposed_from", message="before")
                ],
            )
        repo = DashboardRepository(session)
        groups = []
        for value in await repo.case_values(caller.area, by.value, proposed_from, proposed_to):
            rows = repo.cases(
                caller.area,
                dimension=by.value,
                value=value,
                proposed_from=proposed_from,
                proposed_to=proposed_to,
            )
            groups.append(await self._group(session, value, rows, boundaries, level))
        return groups


dashboard_service = DashboardService()

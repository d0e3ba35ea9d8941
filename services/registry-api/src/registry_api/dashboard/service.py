"""Dashboards: households by category, support cases by stream, kind or status, per unit of the new or
the old boundaries. Each group is counted by the admin-unit roll-up (GROUP BY in SQL) over rows already
filtered by the caller's area."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.admin_unit.schemas import AreaCount, Boundaries, RollUpLevel
from registry_api.admin_unit.service import admin_unit_service
from registry_api.dashboard.errors import PeriodInvalid, PeriodTooLong
from registry_api.dashboard.repository import DashboardRepository
from registry_api.dashboard.schemas import (
    CountGroup,
    DwellingCondition,
    Interval,
    PeriodCount,
    SupportCaseDimension,
)
from servicekit.errors import FieldError
from servicekit.principal import Principal

ALL = "all"
# A bound on the answer's size (ten years by month), not a rule of the programme.
MAX_PERIODS = 120


def period_count(start: date, end: date, interval: Interval) -> int:
    """How many calendar periods of `interval` the days `start`..`end` touch."""
    if interval is Interval.YEAR:
        return end.year - start.year + 1
    months = (end.year - start.year) * 12 + end.month - start.month
    if interval is Interval.MONTH:
        return months + 1
    return (end.year * 4 + (end.month - 1) // 3) - (start.year * 4 + (start.month - 1) // 3) + 1


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

    async def households_by_condition(
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
            await self._group(
                session,
                ALL,
                repo.households_by_condition(caller.area, on=on, condition=None),
                boundaries,
                level,
            )
        ]
        for condition in DwellingCondition:
            rows = repo.households_by_condition(caller.area, on=on, condition=condition.value)
            groups.append(await self._group(session, condition.value, rows, boundaries, level))
        return groups

    async def temporary_houses_remaining(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        start: date,
        end: date,
        interval: Interval,
        boundaries: Boundaries,
        level: RollUpLevel,
    ) -> list[PeriodCount]:
        """Per period end: the area's households whose dwelling qualified and was not yet resolved by an
        accepted support case. One SQL statement counts every period (generate_series, LATERAL)."""
        if end < start:
            raise PeriodInvalid(
                "The period ends before it starts.",
                errors=[FieldError(pointer="/query/to", code="before_from", message="before")],
            )
        if period_count(start, end, interval) > MAX_PERIODS:
            raise PeriodTooLong(
                f"At most {MAX_PERIODS} periods: shorten the period or take a longer interval.",
                errors=[FieldError(pointer="/query/to", code="period_too_long", message="too many periods")],
            )
        repo = DashboardRepository(session)
        rows = repo.temporary_houses_remaining(caller.area, start=start, end=end, interval=interval.value)
        counted = await admin_unit_service.roll_up_series(
            session, rows, series="period_end", boundaries=boundaries, level=level
        )
        per_period: dict[date, list[AreaCount]] = {}
        for period_end, unit in counted:
            per_period.setdefault(period_end, []).append(
                AreaCount(code=unit.code, name=unit.name, count=unit.count)
            )
        return [
            PeriodCount(
                period_end=day,
                total=sum(i.count for i in per_period.get(day, [])),
                items=per_period.get(day, []),
            )
            for day in await repo.period_ends(start, end, interval.value)
        ]


dashboard_service = DashboardService()

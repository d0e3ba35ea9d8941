"""Dashboards: households by category and by dwelling condition, support cases by stream, kind or status,
temporary houses remaining, per unit of the new or the old boundaries. Each is counted by the
admin-unit roll-up (GROUP BY in SQL) over the stored per-commune counts of the caller's area, which
PostgreSQL triggers keep exact (docs/performance.md §4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.schemas import AreaCount, Boundaries, RollUpLevel
from registry_api.admin_unit.service import UnitCount, admin_unit_service
from registry_api.dashboard.errors import PeriodInvalid, PeriodTooLong
from registry_api.dashboard.repository import DashboardRepository
from registry_api.dashboard.schemas import (
    CountGroup,
    DwellingCondition,
    Interval,
    PeriodCount,
    SupportCaseDimension,
)
from registry_api.models import DashboardMetric
from servicekit.errors import FieldError
from servicekit.principal import Principal

ALL = "all"
REMAINING = "remaining"
_CASE_METRICS = {
    SupportCaseDimension.STREAM: DashboardMetric.SUPPORT_CASE_STREAM,
    SupportCaseDimension.KIND: DashboardMetric.SUPPORT_CASE_KIND,
    SupportCaseDimension.STATUS: DashboardMetric.SUPPORT_CASE_STATUS,
}
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


# One validation per group (in pydantic-core) rather than one model per item: a series by commune has
# thousands of items.
_AREA_COUNTS = TypeAdapter(list[AreaCount])


def _groups(counted: list[tuple[Any, UnitCount]]) -> dict[Any, list[AreaCount]]:
    """Roll-up rows (series value, unit count) as the items of each series value, in order."""
    grouped: dict[Any, list[dict[str, Any]]] = {}
    for value, unit in counted:
        grouped.setdefault(value, []).append({"code": unit.code, "name": unit.name, "count": unit.count})
    return {value: _AREA_COUNTS.validate_python(items) for value, items in grouped.items()}


def _group(key: str, items: list[AreaCount]) -> CountGroup:
    return CountGroup(key=key, total=sum(i.count for i in items), items=items)


def _added_up(groups: list[list[AreaCount]]) -> list[AreaCount]:
    """Per unit, the counts of several groups added up (units by code, the unplaced last)."""
    by_code: dict[str | None, AreaCount] = {}
    for items in groups:
        for item in items:
            known = by_code.get(item.code)
            by_code[item.code] = (
                item
                if known is None
                else AreaCount(code=item.code, name=item.name, count=known.count + item.count)
            )
    return sorted(by_code.values(), key=lambda i: (i.code is None, i.code or ""))


class DashboardService:
    """Each dashboard is one roll-up over the stored counts of the caller's area (a few hundred to a
    few thousand rows), never a count over the households themselves."""

    async def households_by_category(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        on: date,
        boundaries: Boundaries,
        level: RollUpLevel,
    ) -> list[CountGroup]:
        rows = DashboardRepository(session).households_and_categories_on(caller.area, on, all_key=ALL)
        counted = _groups(
            await admin_unit_service.roll_up_series(
                session, rows, series="key", boundaries=boundaries, level=level, weight="n"
            )
        )
        kinds = sorted(k for k in counted if k != ALL)
        return [_group(ALL, counted.get(ALL, [])), *(_group(kind, counted[kind]) for kind in kinds)]

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
        rows = DashboardRepository(session).counts_within(
            caller.area, _CASE_METRICS[by], proposed_from, proposed_to
        )
        counted = _groups(
            await admin_unit_service.roll_up_series(
                session, rows, series="key", boundaries=boundaries, level=level, weight="n"
            )
        )
        return [_group(value, counted[value]) for value in sorted(counted)]

    async def households_by_condition(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        on: date,
        boundaries: Boundaries,
        level: RollUpLevel,
    ) -> list[CountGroup]:
        rows = DashboardRepository(session).counts_on(caller.area, DashboardMetric.HOUSEHOLD_CONDITION, on)
        counted = _groups(
            await admin_unit_service.roll_up_series(
                session, rows, series="key", boundaries=boundaries, level=level, weight="n"
            )
        )
        conditions = [_group(c.value, counted.get(c.value, [])) for c in DwellingCondition]
        return [_group(ALL, _added_up([g.items for g in conditions])), *conditions]

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
        accepted support case. One SQL statement counts every period from the stored counts."""
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
        ends = await repo.period_ends(start, end, interval.value)
        rows = repo.counts_at_period_ends(
            caller.area, DashboardMetric.TEMPORARY_HOUSE_REMAINING, REMAINING, ends
        )
        per_period = _groups(
            await admin_unit_service.roll_up_series(
                session, rows, series="period_end", boundaries=boundaries, level=level, weight="n"
            )
        )
        return [
            PeriodCount(
                period_end=day,
                total=sum(i.count for i in per_period.get(day, [])),
                items=per_period.get(day, []),
            )
            for day in ends
        ]

    async def rebuild(self, session: AsyncSession) -> int:
        """Recompute every stored count from the base tables; returns the household spans stored."""
        return await DashboardRepository(session).rebuild()

    async def drift(self, session: AsyncSession) -> int:
        """How many stored counts a rebuild would change (rebuilds: roll the transaction back)."""
        return await DashboardRepository(session).drift()


dashboard_service = DashboardService()

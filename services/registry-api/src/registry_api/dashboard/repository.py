"""The stored per-commune counts the dashboards read (`commune_dashboard_counts`, kept exact by
triggers: see the migration `2026-11-28-2002_commune_dashboard_aggregates` and docs/performance.md).

Every query here returns rows (`key` or `period_end`, `province_code`, `commune_code`,
`legacy_area_code`, `n`) already filtered by the caller's area, for the admin-unit roll-up to add up
(`weight="n"`). A count on a day is the unit's total minus the changes dated after that day; a count
over a period is the sum of the changes dated in it (whole months from the month rows, the rest from
the day rows), so a request reads a few hundred to a few thousand small rows whatever the data's size.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    TIMESTAMP,
    BigInteger,
    ColumnElement,
    Date,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.models import CommuneDashboardCount, CountGrain, DashboardMetric
from servicekit.areas import AreaScope

C = CommuneDashboardCount

# Fixed SQL per interval (chosen from this table, never from the caller's text): the date_trunc field
# and the step between period starts.
_STEPS = {
    "month": ("month", "interval '1 month'"),
    "quarter": ("quarter", "interval '3 months'"),
    "year": ("year", "interval '1 year'"),
}


def period_ends(start: date, end: date, interval: str) -> Any:
    """generate_series over the calendar periods from the one holding `start` to `end`: each period's
    last day, the last one cut at `end`. One column, `period_end`."""
    field, step = _STEPS[interval]
    starts = (
        func.generate_series(
            func.date_trunc(field, cast(start, TIMESTAMP)), cast(end, TIMESTAMP), literal_column(step)
        )
        .table_valued("period_start")
        .render_derived(name="periods")
    )
    last_day = cast(starts.c.period_start + literal_column(step) - literal_column("interval '1 day'"), Date)
    return select(func.least(last_day, cast(end, Date)).label("period_end")).subquery("period_ends")


def _month_last(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _is_grain(grain: CountGrain) -> ColumnElement[bool]:
    return C.grain == grain.value


def _changes_after(day: date) -> ColumnElement[bool]:
    """The rows holding the changes dated after `day`: the months after its month, and the days after
    it in its month."""
    return or_(
        and_(_is_grain(CountGrain.MONTH), C.bucket > day.replace(day=1)),
        and_(_is_grain(CountGrain.DAY), C.bucket > day, C.bucket <= _month_last(day)),
    )


def _next_month(day: date) -> date | None:
    if day.month < 12:
        return date(day.year, day.month + 1, 1)
    return date(day.year + 1, 1, 1) if day.year < date.max.year else None


def _previous_month(day: date) -> date | None:
    start = day.replace(day=1)
    return None if start == date.min else (start - timedelta(days=1)).replace(day=1)


def _changes_within(first: date | None, last: date | None) -> ColumnElement[bool]:
    """The rows holding the changes dated `first` to `last` (inclusive; None: unbounded): the months
    lying wholly within, and the days of the partial months at either end."""
    days = _is_grain(CountGrain.DAY)
    # The first days of the first and of the last whole month (None: unbounded, or none there is).
    whole_from = None if first is None else first if first.day == 1 else _next_month(first)
    whole_to = (
        None if last is None else last.replace(day=1) if last == _month_last(last) else _previous_month(last)
    )
    no_whole_month = (first is not None and whole_from is None) or (last is not None and whole_to is None)
    if no_whole_month or (whole_from is not None and whole_to is not None and whole_from > whole_to):
        bounds = [days]
        if first is not None:
            bounds.append(C.bucket >= first)
        if last is not None:
            bounds.append(C.bucket <= last)
        return and_(*bounds)
    months = [_is_grain(CountGrain.MONTH)]
    parts = []
    if first is not None and whole_from is not None:
        months.append(C.bucket >= whole_from)
        parts.append(and_(days, C.bucket >= first, C.bucket < whole_from))
    if last is not None and whole_to is not None:
        months.append(C.bucket <= whole_to)
        parts.append(and_(days, C.bucket > _month_last(whole_to), C.bucket <= last))
    return or_(and_(*months), *parts)


def _signed_total() -> Any:
    """The total minus the other rows read (a count on a day: the total less the later changes)."""
    return _summed(case((_is_grain(CountGrain.TOTAL), C.n), else_=-C.n))


def _summed(value: Any) -> Any:
    """sum() of bigints is numeric in PostgreSQL; the counts fit a bigint, which sums faster."""
    return cast(func.sum(value), BigInteger)


class DashboardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _rows(
        self, area: AreaScope, metric: DashboardMetric, n: Any, where: ColumnElement[bool], key: Any = None
    ) -> AnySelect:
        grouping: list[Any] = [C.province_code, C.commune_code, C.legacy_area_code]
        if key is None:
            grouping.insert(0, C.key)
        return (
            select(
                (C.key if key is None else key).label("key"),
                C.province_code,
                C.commune_code,
                func.nullif(C.legacy_area_code, "").label("legacy_area_code"),
                n.label("n"),
            )
            .where(C.metric == metric.value, area.sql_filter(C.province_code, C.commune_code), where)
            .group_by(*grouping)
        )

    def counts_on(self, area: AreaScope, metric: DashboardMetric, on: date) -> AnySelect:
        """Per key and unit: what `metric` counts on the day `on`."""
        return self._rows(area, metric, _signed_total(), or_(_is_grain(CountGrain.TOTAL), _changes_after(on)))

    def totals(self, area: AreaScope, metric: DashboardMetric, *, key: str | None = None) -> AnySelect:
        """Per key and unit: every change of `metric` whatever its day (with `key`, all keys as one)."""
        return self._rows(
            area,
            metric,
            _summed(C.n),
            _is_grain(CountGrain.TOTAL),
            key=None if key is None else literal(key),
        )

    def households_and_categories_on(self, area: AreaScope, on: date, *, all_key: str) -> AnySelect:
        """Per unit: the open households (key `all_key`), and those holding a category of each kind
        valid on `on` (key: the kind). Every open household is in exactly one condition group once all
        changes are counted, so the condition totals count the open households."""
        both = union_all(
            self.totals(area, DashboardMetric.HOUSEHOLD_CONDITION, key=all_key),
            self.counts_on(area, DashboardMetric.HOUSEHOLD_CATEGORY, on),
        ).subquery("counts")
        return select(both)

    def counts_within(
        self, area: AreaScope, metric: DashboardMetric, first: date | None, last: date | None
    ) -> AnySelect:
        """Per key and unit: the changes of `metric` dated `first` to `last` (inclusive; None: unbounded)."""
        if first is None and last is None:
            return self.totals(area, metric)
        return self._rows(area, metric, _summed(C.n), _changes_within(first, last))

    def counts_at_period_ends(
        self, area: AreaScope, metric: DashboardMetric, key: str, ends: Sequence[date]
    ) -> AnySelect:
        """Per period end and unit: what `metric` counts under `key` on each day of `ends` (ascending,
        one per calendar month at most, as period ends are): the total, less the months after the
        end's month and the days after the end in its month.

        One statement, whatever the number of ends (they travel as one array): the unit's month rows
        are summed by how many ends' months lie before them (width_bucket), then into running sums
        from the latest month back, each of which is the "later" part of a run of consecutive ends.
        """
        cuts = (
            func.unnest(cast(list(ends), ARRAY(Date)))
            .table_valued(column("period_end", Date), with_ordinality="i")
            .render_derived(name="cuts")
        )
        unit = (
            C.province_code,
            C.commune_code,
            func.nullif(C.legacy_area_code, "").label("legacy_area_code"),
        )
        unit_grouping = (C.province_code, C.commune_code, C.legacy_area_code)
        mine = (C.metric == metric.value, C.key == key, area.sql_filter(C.province_code, C.commune_code))
        # Per unit and "after": the month rows following the months of ends 1..after.
        month_starts = cast([end.replace(day=1) for end in ends], ARRAY(Date))
        after = func.width_bucket(C.bucket - literal(1), month_starts)
        by_after = (
            select(*unit, after.label("after"), _summed(C.n).label("n"))
            .where(*mine, _is_grain(CountGrain.MONTH), C.bucket > ends[0].replace(day=1))
            .group_by(*unit_grouping, after)
            .subquery("by_after")
        )
        # One window (one sort, by byte order: the codes are digits) for the running sum and the
        # unit's previous smaller "after" (the next row in descending order).
        per_unit = [column.collate("C") for column in (by_after.c.commune_code, by_after.c.legacy_area_code)]
        latest_first = by_after.c.after.desc()
        running = select(
            by_after.c.province_code,
            by_after.c.commune_code,
            by_after.c.legacy_area_code,
            cast(func.sum(by_after.c.n).over(partition_by=per_unit, order_by=latest_first), BigInteger).label(
                "later"
            ),
            func.coalesce(
                func.lead(by_after.c.after).over(partition_by=per_unit, order_by=latest_first), 0
            ).label("before"),
            by_after.c.after,
        ).subquery("running")
        # The running sum at `after` is what follows each end from the one after the unit's previous
        # (smaller) "after" up to `after` itself.
        ends_covered = (
            func.generate_series(running.c.before + 1, running.c.after)
            .table_valued("i")
            .render_derived(name="covered")
        )
        later_months = (
            select(
                cuts.c.period_end,
                running.c.province_code,
                running.c.commune_code,
                running.c.legacy_area_code,
                (-running.c.later).label("n"),
            )
            .join_from(running, ends_covered, true())
            .join(cuts, cuts.c.i == ends_covered.c.i)
        )
        totals = (
            select(cuts.c.period_end, *unit, C.n.label("n"))
            .join_from(C, cuts, true())
            .where(*mine, _is_grain(CountGrain.TOTAL))
        )
        parts: list[AnySelect] = [totals, later_months]
        # Days after an end in its own month: only for an end that is not a month's last day (`to`).
        for end in ends:
            if end != _month_last(end):
                parts.append(
                    select(literal(end, Date).label("period_end"), *unit, (-C.n).label("n")).where(
                        *mine, _is_grain(CountGrain.DAY), C.bucket > end, C.bucket <= _month_last(end)
                    )
                )
        return select(union_all(*parts).subquery("at_period_ends"))

    async def period_ends(self, start: date, end: date, interval: str) -> list[date]:
        """The period ends the series reports (calendar periods, the last one cut at `end`)."""
        return list((await self.session.execute(select(period_ends(start, end, interval)))).scalars())

    async def rebuild(self) -> int:
        """Recompute every stored count from the base tables (repair; after a bulk load with the
        triggers disabled). Returns how many household spans were stored."""
        return int((await self.session.execute(text("SELECT dashboard_rebuild()"))).scalar_one())

    async def drift(self) -> int:
        """How many stored counts differ from a rebuild's (run in a transaction the caller rolls back:
        this rebuilds)."""
        await self.session.execute(text("DROP TABLE IF EXISTS pg_temp.dashboard_counts_before"))
        await self.session.execute(
            text(
                "CREATE TEMP TABLE dashboard_counts_before ON COMMIT DROP AS "
                "SELECT * FROM commune_dashboard_counts WHERE n <> 0"
            )
        )
        await self.rebuild()
        differing = text(
            "SELECT count(*) FROM (SELECT * FROM dashboard_counts_before "
            "EXCEPT SELECT * FROM commune_dashboard_counts WHERE n <> 0) a"
        )
        missing = text(
            "SELECT count(*) FROM (SELECT * FROM commune_dashboard_counts WHERE n <> 0 "
            "EXCEPT SELECT * FROM dashboard_counts_before) b"
        )
        return int((await self.session.execute(differing)).scalar_one()) + int(
            (await self.session.execute(missing)).scalar_one()
        )

"""The rows each dashboard counts, filtered by the caller's area in SQL; the roll-up groups them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import TIMESTAMP, Date, and_, cast, exists, func, literal_column, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.models import (
    BeneficiaryCategory,
    Dwelling,
    DwellingAssessment,
    Household,
    SupportCase,
)
from registry_api.models.dwelling import DwellingClass
from registry_api.models.support_case import SupportCaseStatus
from servicekit.areas import AreaScope


def _open_households(area: AreaScope) -> AnySelect:
    return select(Household.province_code, Household.commune_code, Household.legacy_area_code).where(
        area.sql_filter(Household.province_code, Household.commune_code), Household.closed_on.is_(None)
    )


def _valid_on(on: date) -> Any:
    return (
        BeneficiaryCategory.valid_from <= on,
        or_(BeneficiaryCategory.valid_to.is_(None), BeneficiaryCategory.valid_to >= on),
    )


# Fixed SQL per interval (chosen from this table, never from the caller's text): the date_trunc field
# and the step between period starts.
_STEPS = {
    "month": ("month", "interval '1 month'"),
    "quarter": ("quarter", "interval '3 months'"),
    "year": ("year", "interval '1 year'"),
}


def _open_on(day: Any) -> Any:
    return or_(Household.closed_on.is_(None), Household.closed_on > day)


def _latest_assessment(day: Any) -> Any:
    """LATERAL: the latest assessment on `day` of the dwelling the household lived in on `day`."""
    return (
        select(DwellingAssessment.classification, DwellingAssessment.qualifies)
        .join(Dwelling, Dwelling.id == DwellingAssessment.dwelling_id)
        .where(
            Dwelling.household_id == Household.id,
            Dwelling.since <= day,
            or_(Dwelling.ended_on.is_(None), Dwelling.ended_on >= day),
            DwellingAssessment.assessed_on <= day,
        )
        .order_by(
            DwellingAssessment.assessed_on.desc(),
            DwellingAssessment.created_at.desc(),
            DwellingAssessment.id.desc(),
        )
        .limit(1)
        .lateral("latest")
    )


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


class DashboardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def category_kinds(self, area: AreaScope, on: date) -> list[str]:
        """The category kinds some open household of the area holds on that day (GROUP BY)."""
        stmt = (
            select(BeneficiaryCategory.kind)
            .join(Household, Household.id == BeneficiaryCategory.household_id)
            .where(
                area.sql_filter(Household.province_code, Household.commune_code),
                Household.closed_on.is_(None),
                *_valid_on(on),
            )
            .group_by(BeneficiaryCategory.kind)
            .order_by(BeneficiaryCategory.kind)
        )
        return list((await self.session.execute(stmt)).scalars())

    def households(self, area: AreaScope, *, on: date, kind: str | None) -> AnySelect:
        """One row per open household of the area (with a category of `kind` valid on `on`, if given)."""
        stmt = _open_households(area)
        if kind is not None:
            holders = select(BeneficiaryCategory.household_id).where(
                BeneficiaryCategory.kind == kind, *_valid_on(on)
            )
            stmt = stmt.where(Household.id.in_(holders))
        return stmt

    def _cases(self, area: AreaScope, proposed_from: date | None, proposed_to: date | None) -> AnySelect:
        stmt = select(
            SupportCase.province_code, SupportCase.commune_code, SupportCase.legacy_area_code
        ).where(area.sql_filter(SupportCase.province_code, SupportCase.commune_code))
        if proposed_from is not None:
            stmt = stmt.where(SupportCase.proposed_on >= proposed_from)
        if proposed_to is not None:
            stmt = stmt.where(SupportCase.proposed_on <= proposed_to)
        return stmt

    async def case_values(
        self, area: AreaScope, dimension: str, proposed_from: date | None, proposed_to: date | None
    ) -> list[str]:
        """The values of the dimension present among the area's cases of the period (GROUP BY)."""
        column = getattr(SupportCase, dimension)
        inner = self._cases(area, proposed_from, proposed_to).add_columns(column.label("value")).subquery()
        stmt = select(inner.c.value).group_by(inner.c.value).order_by(inner.c.value)
        return list((await self.session.execute(stmt)).scalars())

    def cases(
        self,
        area: AreaScope,
        *,
        dimension: str,
        value: str,
        proposed_from: date | None,
        proposed_to: date | None,
    ) -> AnySelect:
        return self._cases(area, proposed_from, proposed_to).where(getattr(SupportCase, dimension) == value)

    def households_by_condition(self, area: AreaScope, *, on: date, condition: str | None) -> AnySelect:
        """One row per household of the area open on `on` (whose current dwelling's latest assessment
        that day has the class `condition`, or none for `not_assessed`, if given)."""
        latest = _latest_assessment(on)
        stmt = (
            select(Household.province_code, Household.commune_code, Household.legacy_area_code)
            .select_from(Household)
            .outerjoin(latest, true())
            .where(area.sql_filter(Household.province_code, Household.commune_code), _open_on(on))
        )
        if condition == "not_assessed":
            stmt = stmt.where(latest.c.classification.is_(None))
        elif condition is not None:
            stmt = stmt.where(latest.c.classification == condition)
        return stmt

    async def period_ends(self, start: date, end: date, interval: str) -> list[date]:
        """The period ends the series reports, from the same generate_series as the counts."""
        return list((await self.session.execute(select(period_ends(start, end, interval)))).scalars())

    def temporary_houses_remaining(
        self, area: AreaScope, *, start: date, end: date, interval: str
    ) -> AnySelect:
        """One row per (period end, household of the area): open that day, its dwelling then qualifying
        (temporary or dilapidated, on undisputed residential land) by its latest assessment, and no
        support case of the household accepted on or before that day. Column `period_end` added."""
        periods = period_ends(start, end, interval)
        day = periods.c.period_end
        latest = _latest_assessment(day)
        resolved = exists().where(
            SupportCase.household_id == Household.id,
            SupportCase.status == SupportCaseStatus.ACCEPTED.value,
            SupportCase.accepted_on <= day,
        )
        ever_qualified = select(DwellingAssessment.household_id).where(DwellingAssessment.qualifies.is_(True))
        return (
            select(day, Household.province_code, Household.commune_code, Household.legacy_area_code)
            .select_from(periods)
            .join(Household, true())
            .join(latest, true())
            .where(
                area.sql_filter(Household.province_code, Household.commune_code),
                Household.id.in_(ever_qualified),
                _open_on(day),
                and_(
                    latest.c.classification.in_(
                        (DwellingClass.TEMPORARY.value, DwellingClass.DILAPIDATED.value)
                    ),
                    latest.c.qualifies.is_(True),
                ),
                ~resolved,
            )
        )

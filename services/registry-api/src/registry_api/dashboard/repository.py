"""The rows each dashboard counts, filtered by the caller's area in SQL; the roll-up groups them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.models import BeneficiaryCategory, Household, SupportCase
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

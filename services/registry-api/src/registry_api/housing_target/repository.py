from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, extract, func, select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.exc import IntegrityError

from registry_api.admin_unit.repository import AnySelect
from registry_api.housing_project.repository import in_area
from registry_api.housing_target.errors import HousingTargetExists
from registry_api.models import HousingProject, HousingProjectUnits, HousingTarget
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


class HousingTargetRepository(RepositoryBase[HousingTarget]):
    model = HousingTarget

    async def list_targets(
        self, params: PageParams, *, current_only: bool, period: tuple[int, int] | None
    ) -> tuple[list[HousingTarget], str | None]:
        stmt = select(HousingTarget)
        if current_only:
            stmt = stmt.where(HousingTarget.superseded_by_id.is_(None))
        if period is not None:
            stmt = stmt.where(
                HousingTarget.period_start_year == period[0], HousingTarget.period_end_year == period[1]
            )
        return await self.paginate(stmt, params)

    async def current_for_period(self, start: int, end: int) -> list[HousingTarget]:
        stmt = (
            select(HousingTarget)
            .where(
                HousingTarget.superseded_by_id.is_(None),
                HousingTarget.period_start_year == start,
                HousingTarget.period_end_year == end,
            )
            .order_by(HousingTarget.area_code, HousingTarget.year.nulls_first(), HousingTarget.code)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(HousingTarget.code))).scalars())

    async def save(self, *targets: HousingTarget) -> None:
        self.session.add_all(targets)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if "uq_housing_target_code" in str(exc.orig):
                raise HousingTargetExists("A target with that code exists.") from exc
            raise


def milestone_rows(area: AreaScope, milestone_column: Any, start: int, end: int) -> AnySelect:
    """One row per project of the area whose milestone falls in the period, with its area codes and
    `series` = [milestone year, planned units] (what the roll-up groups by, so units can be summed)."""
    planned = (
        select(HousingProjectUnits.project_id, func.sum(HousingProjectUnits.units).label("total"))
        .group_by(HousingProjectUnits.project_id)
        .subquery("planned")
    )
    stmt: AnySelect = (
        select(
            HousingProject.province_code,
            HousingProject.commune_code,
            HousingProject.legacy_area_code,
            array([extract("year", milestone_column).cast(Integer), planned.c.total.cast(Integer)]).label(
                "series"
            ),
        )
        .join(planned, planned.c.project_id == HousingProject.id)
        .where(
            in_area(area),
            milestone_column >= date(start, 1, 1),
            milestone_column <= date(end, 12, 31),
        )
    )
    return stmt

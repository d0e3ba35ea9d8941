from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from inspection_api.models.land_reserve import LandReserveObligation
from inspection_api.models.profiteering import ProfiteeringFlag, ProfiteeringRun, RunStatus
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(ProfiteeringFlag.province_code, ProfiteeringFlag.commune_code)


class FlagRepository(RepositoryBase[ProfiteeringFlag]):
    model = ProfiteeringFlag

    async def get_in_area(
        self, id_: uuid.UUID, area: AreaScope, *, for_update: bool = False
    ) -> ProfiteeringFlag | None:
        return await self.get(id_, in_area(area), for_update=for_update)

    async def list_flags(
        self, params: PageParams, *, area: AreaScope, status: str | None, kind: str | None
    ) -> tuple[list[ProfiteeringFlag], str | None]:
        stmt = select(ProfiteeringFlag).where(in_area(area))
        if status is not None:
            stmt = stmt.where(ProfiteeringFlag.status == status)
        if kind is not None:
            stmt = stmt.where(ProfiteeringFlag.kind == kind)
        return await self.paginate(stmt, params)

    async def existing_keys(self, source: str, keys: Iterable[str]) -> set[str]:
        """Which of these keys (one page's worth) already have a flag."""
        wanted = sorted(set(keys))
        if not wanted:
            return set()
        stmt = select(ProfiteeringFlag.key).where(
            ProfiteeringFlag.source == source, ProfiteeringFlag.key.in_(wanted)
        )
        return set((await self.session.scalars(stmt)).all())

    async def insert_new(self, flag: ProfiteeringFlag) -> bool:
        """Add the flag unless its key is already taken (by a concurrent run): True when added."""
        try:
            async with self.session.begin_nested():
                self.session.add(flag)
                await self.session.flush()
        except IntegrityError:
            return False
        return True

    async def save(self, flag: ProfiteeringFlag) -> ProfiteeringFlag:
        self.session.add(flag)
        await self.session.flush()
        return flag


class RunRepository(RepositoryBase[ProfiteeringRun]):
    model = ProfiteeringRun

    async def unfinished(self, *, for_update: bool = False) -> ProfiteeringRun | None:
        """The oldest run still queued, running or delayed, if any (with `for_update`: one nobody holds)."""
        statuses = [RunStatus.QUEUED.value, RunStatus.RUNNING.value, RunStatus.DELAYED.value]
        stmt = (
            select(ProfiteeringRun)
            .where(ProfiteeringRun.status.in_(statuses))
            .order_by(ProfiteeringRun.id)
            .limit(1)
        )
        if for_update:
            stmt = stmt.with_for_update(skip_locked=True)
        return (await self.session.scalars(stmt)).first()

    async def list_runs(self, params: PageParams) -> tuple[list[ProfiteeringRun], str | None]:
        return await self.paginate(select(ProfiteeringRun), params, descending=True)

    async def save(self, run: ProfiteeringRun) -> ProfiteeringRun:
        self.session.add(run)
        await self.session.flush()
        return run


class OverdueObligationRepository(RepositoryBase[LandReserveObligation]):
    """The 20% obligations whose next stage's deadline (`due_on`) has passed (models/land_reserve.py)."""

    model = LandReserveObligation

    async def page_overdue(
        self, as_of: date, *, after: uuid.UUID | None, limit: int
    ) -> list[LandReserveObligation]:
        stmt = select(LandReserveObligation).where(LandReserveObligation.due_on < as_of)
        if after is not None:
            stmt = stmt.where(LandReserveObligation.id > after)
        stmt = stmt.order_by(LandReserveObligation.id).limit(limit)
        return list((await self.session.scalars(stmt)).all())

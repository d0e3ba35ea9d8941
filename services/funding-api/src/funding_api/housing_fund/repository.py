from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, case, extract, func, select, text
from sqlalchemy.exc import IntegrityError

from funding_api.models.housing_fund import HousingFundMovement, ReferenceStatus
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

# Raised by the database trigger (migration 1702) and the reversal's unique foreign key.
BALANCE_TRIGGER_MESSAGE = "housing_fund_balance_negative"
REVERSAL_UNIQUE = "uq_housing_fund_movement_reverses_id"
# Two-key advisory lock: (this namespace, the province). The trigger takes the same one.
LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtext('housing_fund'), hashtext(:province_code))")


class BalanceWouldGoNegative(Exception):
    pass


class AlreadyReversed(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Totals:
    inflow_vnd: int
    outflow_vnd: int

    @property
    def balance_vnd(self) -> int:
        return self.inflow_vnd - self.outflow_vnd


@dataclass(frozen=True, slots=True)
class CategorySum:
    year: int | None
    category: str
    direction: str
    amount_vnd: int


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """The fund is province-level: only whole provinces a caller covers count."""
    return area.province_filter(HousingFundMovement.province_code)


class HousingFundRepository(RepositoryBase[HousingFundMovement]):
    model = HousingFundMovement

    async def lock_fund(self, province_code: str) -> None:
        """Serialise writers of one province's fund until the transaction ends."""
        await self.session.execute(LOCK_SQL, {"province_code": province_code})

    async def totals(self, province_code: str, *, as_of: date | None = None) -> Totals:
        m = HousingFundMovement
        stmt = select(
            func.coalesce(func.sum(case((m.direction == "inflow", m.amount_vnd), else_=0)), 0),
            func.coalesce(func.sum(case((m.direction == "outflow", m.amount_vnd), else_=0)), 0),
        ).where(m.province_code == province_code)
        if as_of is not None:
            stmt = stmt.where(m.occurred_on <= as_of)
        row = (await self.session.execute(stmt)).one()
        return Totals(int(row[0]), int(row[1]))

    async def sums_by_category(self, province_code: str, *, as_of: date | None = None) -> list[CategorySum]:
        """Sums by (category, direction) up to `as_of`."""
        m = HousingFundMovement
        stmt = select(m.category, m.direction, func.sum(m.amount_vnd)).where(m.province_code == province_code)
        if as_of is not None:
            stmt = stmt.where(m.occurred_on <= as_of)
        rows = await self.session.execute(stmt.group_by(m.category, m.direction))
        return [CategorySum(None, c, d, int(a)) for c, d, a in rows]

    async def yearly_sums(self, province_code: str, first: int, last: int) -> list[CategorySum]:
        """Sums by (year of `occurred_on`, category, direction) for the years first..last."""
        m = HousingFundMovement
        year = extract("year", m.occurred_on)
        stmt = (
            select(year, m.category, m.direction, func.sum(m.amount_vnd))
            .where(
                m.province_code == province_code,
                m.occurred_on >= date(first, 1, 1),
                m.occurred_on <= date(last, 12, 31),
            )
            .group_by(year, m.category, m.direction)
        )
        rows = await self.session.execute(stmt)
        return [CategorySum(int(y), c, d, int(a)) for y, c, d, a in rows]

    async def document_numbers(self, province_code: str, numbers: list[str]) -> set[str]:
        """Which of these document numbers the province's fund already records."""
        stmt = select(HousingFundMovement.document_number).where(
            HousingFundMovement.province_code == province_code,
            HousingFundMovement.document_number.in_(numbers),
        )
        return set((await self.session.execute(stmt)).scalars())

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> HousingFundMovement | None:
        return await self.get(id_, in_area(area))

    async def reversal_of(self, movement_id: uuid.UUID) -> HousingFundMovement | None:
        stmt = select(HousingFundMovement).where(HousingFundMovement.reverses_id == movement_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_movements(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        province_code: str | None,
        direction: str | None,
        category: str | None,
        reference_status: str | None,
    ) -> tuple[list[HousingFundMovement], str | None]:
        m = HousingFundMovement
        stmt = select(m).where(in_area(area))
        if province_code is not None:
            stmt = stmt.where(m.province_code == province_code)
        if direction is not None:
            stmt = stmt.where(m.direction == direction)
        if category is not None:
            stmt = stmt.where(m.category == category)
        if reference_status is not None:
            stmt = stmt.where(m.reference_status == reference_status)
        return await self.paginate(stmt, params)

    async def save(self, movement: HousingFundMovement) -> HousingFundMovement:
        """Insert and flush, so the database's own checks answer here (not at commit)."""
        self.session.add(movement)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            message = str(exc.orig)
            if BALANCE_TRIGGER_MESSAGE in message:
                raise BalanceWouldGoNegative(message) from exc
            if REVERSAL_UNIQUE in message:
                raise AlreadyReversed(message) from exc
            raise
        return movement

    async def unverified_batch(self, *, after: uuid.UUID | None, limit: int) -> list[HousingFundMovement]:
        """The next unverified in-lieu movements by id, skipping rows another run holds."""
        m = HousingFundMovement
        stmt = select(m).where(m.reference_status == ReferenceStatus.UNVERIFIED.value)
        if after is not None:
            stmt = stmt.where(m.id > after)
        stmt = stmt.order_by(m.id).limit(limit).with_for_update(skip_locked=True)
        return list((await self.session.execute(stmt)).scalars())

    async def count_unverified(self) -> int:
        m = HousingFundMovement
        stmt = select(func.count()).where(m.reference_status == ReferenceStatus.UNVERIFIED.value)
        return int((await self.session.execute(stmt)).scalar_one())

"""Repository base: SQL only; lists by keyset, counts bounded, writes flushed but never committed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute

from servicekit.pagination import EXACT_COUNT_UP_TO, Count, PageParams, decode_cursor, encode_cursor

M = TypeVar("M", bound=DeclarativeBase)


class RepositoryBase(Generic[M]):
    """Subclass per model: `class HouseholdRepository(RepositoryBase[Household]): model = Household`."""

    model: type[M]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, id_: uuid.UUID | str, *where: ColumnElement[bool], for_update: bool = False
    ) -> M | None:
        """The row with this primary key, if it also meets `where` (e.g. the caller's area filter)."""
        stmt = select(self.model).where(self.model.__mapper__.primary_key[0] == id_, *where)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, obj: M) -> M:
        self.session.add(obj)
        await self.session.flush()
        return obj

    async def flush(self) -> None:
        await self.session.flush()

    async def paginate(
        self,
        stmt: Select[Any],
        params: PageParams,
        *,
        order_by: Sequence[InstrumentedAttribute[Any]] | None = None,
        descending: bool = False,
    ) -> tuple[list[M], str | None]:
        """One keyset page of `stmt` ordered by `order_by` (which must end in a unique column)."""
        default_order: list[Any] = [self.model.__mapper__.primary_key[0]]
        columns: list[Any] = list(order_by) if order_by else default_order
        keys = [str(c) for c in columns]
        if params.cursor:
            after = decode_cursor(keys, params.cursor)
            row_key = tuple_(*columns)
            cond: ColumnElement[bool] = row_key < tuple_(*after) if descending else row_key > tuple_(*after)
            stmt = stmt.where(cond)
        ordering = [c.desc() for c in columns] if descending else [c.asc() for c in columns]
        result = await self.session.execute(stmt.order_by(*ordering).limit(params.limit + 1))
        rows: list[M] = list(result.scalars())
        if len(rows) <= params.limit:
            return rows, None
        rows = rows[: params.limit]
        last = rows[-1]
        next_cursor = encode_cursor(keys, tuple(getattr(last, c.key) for c in columns))
        return rows, next_cursor

    async def bounded_count(self, stmt: Select[Any]) -> Count:
        """Exact up to 10,000 rows; above that, the planner's estimate (counting millions is not free)."""
        limited = stmt.order_by(None).limit(EXACT_COUNT_UP_TO + 1).subquery()
        exact = (await self.session.execute(select(func.count()).select_from(limited))).scalar_one()
        if exact <= EXACT_COUNT_UP_TO:
            return Count(total=exact, exact=True)
        compiled = stmt.order_by(None).compile(self.session.bind, compile_kwargs={"literal_binds": True})
        plan: Any = (await self.session.execute(text(f"EXPLAIN (FORMAT JSON) {compiled}"))).scalar_one()
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        return Count(total=max(estimate, exact), exact=False)

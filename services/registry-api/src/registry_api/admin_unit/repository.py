from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from registry_api.models import AdminUnit
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


class AdminUnitRepository(RepositoryBase[AdminUnit]):
    model = AdminUnit

    async def get_by_code(self, scheme: str, code: str) -> AdminUnit | None:
        stmt = (
            select(AdminUnit)
            .where(AdminUnit.scheme == scheme, AdminUnit.code == code)
            .order_by(AdminUnit.level)
        )
        return (await self.session.execute(stmt.limit(1))).scalar_one_or_none()

    async def list_units(
        self, params: PageParams, *, scheme: str, level: str | None, parent_code: str | None
    ) -> tuple[list[AdminUnit], str | None]:
        stmt = select(AdminUnit).where(AdminUnit.scheme == scheme)
        if level is not None:
            stmt = stmt.where(AdminUnit.level == level)
        if parent_code is not None:
            stmt = stmt.where(AdminUnit.parent_code == parent_code)
        return await self.paginate(stmt, params, order_by=[AdminUnit.level, AdminUnit.code])

    async def upsert_many(self, rows: list[dict[str, object]]) -> int:
        """Insert units that are not there yet; a re-run changes nothing (seeds are idempotent)."""
        if not rows:
            return 0
        stmt = (
            insert(AdminUnit)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[AdminUnit.scheme, AdminUnit.level, AdminUnit.code])
        )
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)

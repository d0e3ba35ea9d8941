from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, or_, select

from registry_api.models import AdminUnit, AdminUnitLevel, AdminUnitScheme, Household
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """Every household lies in a commune: a caller covering it or its province sees the household."""
    return area.sql_filter(Household.province_code, Household.commune_code)


class HouseholdRepository(RepositoryBase[Household]):
    model = Household

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> Household | None:
        return await self.get(id_, in_area(area))

    async def list_households(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        commune_code: str | None,
        residence_area: str | None,
        include_closed: bool,
    ) -> tuple[list[Household], str | None]:
        stmt = select(Household).where(in_area(area))
        if commune_code is not None:
            stmt = stmt.where(Household.commune_code == commune_code)
        if residence_area is not None:
            stmt = stmt.where(Household.residence_area == residence_area)
        if not include_closed:
            stmt = stmt.where(Household.closed_on.is_(None))
        return await self.paginate(stmt, params)

    async def is_current_commune_of(self, commune_code: str, province_code: str, on: date) -> bool:
        """Whether the 2025 unit table lists the commune under the province on that day."""
        stmt = select(AdminUnit.id).where(
            AdminUnit.scheme == AdminUnitScheme.CURRENT.value,
            AdminUnit.level == AdminUnitLevel.COMMUNE.value,
            AdminUnit.code == commune_code,
            AdminUnit.parent_code == province_code,
            AdminUnit.valid_from <= on,
            or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to >= on),
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def save(self, household: Household) -> Household:
        """Add (if new) and flush, so a stale version surfaces here as a 412 rather than at commit."""
        self.session.add(household)
        await self.session.flush()
        return household

    async def save_all(self, households: Sequence[Household]) -> None:
        """Add and flush together: the ORM writes them as one multi-row INSERT."""
        self.session.add_all(households)
        await self.session.flush()

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from funding_api.funding_source.errors import FundingSourceNameTaken
from funding_api.models import FundingSource
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

NAME_UNIQUE = "uq_funding_source_province_code_name"


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """Sources are province-level: only the provinces a caller covers count, not its communes."""
    return area.province_filter(FundingSource.province_code)


class FundingSourceRepository(RepositoryBase[FundingSource]):
    model = FundingSource

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> FundingSource | None:
        return await self.get(id_, in_area(area))

    async def list_sources(
        self, params: PageParams, *, area: AreaScope, kind: str | None, active: bool | None
    ) -> tuple[list[FundingSource], str | None]:
        stmt = select(FundingSource).where(in_area(area))
        if kind is not None:
            stmt = stmt.where(FundingSource.kind == kind)
        if active is not None:
            stmt = stmt.where(FundingSource.active == active)
        return await self.paginate(stmt, params)

    async def save(self, source: FundingSource) -> FundingSource:
        """Add (if new) and flush, so a taken name is a 409 here rather than a 500 at commit.

        After a `FundingSourceNameTaken` the transaction must be rolled back (the request's session does).
        """
        province_code, name = source.province_code, source.name
        self.session.add(source)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if NAME_UNIQUE in str(exc.orig):
                raise FundingSourceNameTaken(
                    f"Province {province_code} already has a funding source named {name!r}."
                ) from exc
            raise
        return source

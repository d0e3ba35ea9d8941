"""Funding sources: province-level, created and changed only by callers who cover the province."""

from __future__ import annotations

import uuid
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.funding_source.errors import FundingSourceNotFound, ProvinceNotCovered
from funding_api.funding_source.repository import FundingSourceRepository
from funding_api.funding_source.schemas import FundingSourceCreate, FundingSourceUpdate
from funding_api.models import FundingSource, FundingSourceKind
from servicekit.concurrency import check_version
from servicekit.pagination import PageParams
from servicekit.principal import Principal


class FundingSourceService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: FundingSourceCreate
    ) -> FundingSource:
        if not caller.covers(data.province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {data.province_code}.")
        source = FundingSource(
            province_code=data.province_code,
            kind=data.kind.value,
            name=data.name,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            note=data.note,
            active=data.active,
        )
        return await FundingSourceRepository(session).save(source)

    async def get(self, session: AsyncSession, caller: Principal, source_id: uuid.UUID) -> FundingSource:
        """One source; a source outside the caller's area is as missing as one that does not exist."""
        source = await FundingSourceRepository(session).get_in_area(source_id, caller.area)
        if source is None:
            raise FundingSourceNotFound(f"No funding source {source_id} in your area.")
        return source

    async def list_sources(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        kind: FundingSourceKind | None,
        active: bool | None,
    ) -> tuple[list[FundingSource], str | None]:
        return await FundingSourceRepository(session).list_sources(
            params, area=caller.area, kind=kind.value if kind else None, active=active
        )

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        source_id: uuid.UUID,
        expected_version: int,
        data: FundingSourceUpdate,
    ) -> FundingSource:
        source = await self.get(session, caller, source_id)
        check_version(source.version, expected_version)
        for field, value in data.model_dump(exclude_unset=True).items():
            setattr(source, field, value.value if isinstance(value, Enum) else value)
        return await FundingSourceRepository(session).save(source)


funding_source_service = FundingSourceService()

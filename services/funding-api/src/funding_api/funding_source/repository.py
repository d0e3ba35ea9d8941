from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError

from funding_api.funding_source.errors import ContributorNameTaken, FundingSourceNameTaken
from funding_api.models import FundingCommitment, FundingContributor, FundingSource
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


CONTRIBUTOR_NAME_UNIQUE = "uq_funding_contributor_province_code_name"


class ContributorRepository(RepositoryBase[FundingContributor]):
    model = FundingContributor

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> FundingContributor | None:
        return await self.get(id_, area.province_filter(FundingContributor.province_code))

    async def list_contributors(
        self, params: PageParams, *, area: AreaScope, kind: str | None
    ) -> tuple[list[FundingContributor], str | None]:
        stmt = select(FundingContributor).where(area.province_filter(FundingContributor.province_code))
        if kind is not None:
            stmt = stmt.where(FundingContributor.kind == kind)
        return await self.paginate(stmt, params)

    async def save(self, contributor: FundingContributor) -> FundingContributor:
        province_code, name = contributor.province_code, contributor.name
        self.session.add(contributor)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            if CONTRIBUTOR_NAME_UNIQUE in str(exc.orig):
                raise ContributorNameTaken(
                    f"Province {province_code} already has a contributor named {name!r}."
                ) from exc
            raise
        return contributor


class CommitmentRepository(RepositoryBase[FundingCommitment]):
    model = FundingCommitment

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> FundingCommitment | None:
        return await self.get(id_, area.province_filter(FundingCommitment.province_code))

    async def get_source(self, source_id: uuid.UUID) -> FundingSource | None:
        return await self.session.get(FundingSource, source_id)

    async def get_contributor(self, contributor_id: uuid.UUID) -> FundingContributor | None:
        return await self.session.get(FundingContributor, contributor_id)

    async def list_commitments(
        self,
        params: PageParams,
        *,
        area: AreaScope,
        source_id: uuid.UUID | None,
        fiscal_year: int | None,
        kind: str | None,
    ) -> tuple[list[FundingCommitment], str | None]:
        stmt = select(FundingCommitment).where(area.province_filter(FundingCommitment.province_code))
        if source_id is not None:
            stmt = stmt.where(FundingCommitment.source_id == source_id)
        if fiscal_year is not None:
            stmt = stmt.where(FundingCommitment.fiscal_year == fiscal_year)
        if kind is not None:
            stmt = stmt.where(FundingCommitment.kind == kind)
        return await self.paginate(stmt, params)

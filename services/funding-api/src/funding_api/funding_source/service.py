"""Funding sources: province-level, created and changed only by callers who cover the province."""

from __future__ import annotations

import uuid
from enum import Enum

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.funding_source.errors import (
    CommitmentNotFound,
    CommitmentReferenceInvalid,
    ContributorNotFound,
    FundingSourceNotFound,
    ProvinceNotCovered,
)
from funding_api.funding_source.repository import (
    CommitmentRepository,
    ContributorRepository,
    FundingSourceRepository,
)
from funding_api.funding_source.schemas import (
    CommitmentCreate,
    ContributorCreate,
    FundingSourceCreate,
    FundingSourceUpdate,
)
from funding_api.models import (
    CommitmentKind,
    ContributorKind,
    FundingCommitment,
    FundingContributor,
    FundingSource,
    FundingSourceKind,
    OutboxEvent,
)
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

SERVICE = "funding"


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


class ContributorService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: ContributorCreate
    ) -> FundingContributor:
        if not caller.covers(data.province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {data.province_code}.")
        contributor = FundingContributor(
            province_code=data.province_code,
            kind=data.kind.value,
            name=data.name,
            tax_code=data.tax_code,
            country_code=data.country_code,
            note=data.note,
        )
        contributor = await ContributorRepository(session).save(contributor)
        await emit(
            session,
            OutboxEvent,
            type="funding_contributor.created",
            subject=urn(SERVICE, "funding-contributor", contributor.id),
            area_codes=[contributor.province_code],
            data={"contributor_id": contributor.id, "kind": contributor.kind, "name": contributor.name},
        )
        return contributor

    async def get(
        self, session: AsyncSession, caller: Principal, contributor_id: uuid.UUID
    ) -> FundingContributor:
        contributor = await ContributorRepository(session).get_in_area(contributor_id, caller.area)
        if contributor is None:
            raise ContributorNotFound(f"No contributor {contributor_id} in your area.")
        return contributor

    async def list_contributors(
        self, session: AsyncSession, caller: Principal, params: PageParams, *, kind: ContributorKind | None
    ) -> tuple[list[FundingContributor], str | None]:
        return await ContributorRepository(session).list_contributors(
            params, area=caller.area, kind=kind.value if kind else None
        )


def _reference_error(pointer: str, message: str) -> CommitmentReferenceInvalid:
    return CommitmentReferenceInvalid(
        message, errors=[FieldError(pointer=pointer, code="invalid_reference", message=message)]
    )


class CommitmentService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: CommitmentCreate
    ) -> FundingCommitment:
        """A pledge names its contributor (of the source's province); an appropriation names none."""
        repo = CommitmentRepository(session)
        source = await repo.get_source(data.source_id)
        if source is None:
            raise _reference_error("/source_id", "No such funding source.")
        if not caller.covers(source.province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {source.province_code}.")
        if data.kind is CommitmentKind.APPROPRIATION and data.contributor_id is not None:
            raise _reference_error("/contributor_id", "An appropriation has no contributor.")
        if data.contributor_id is not None:
            contributor = await repo.get_contributor(data.contributor_id)
            if contributor is None or contributor.province_code != source.province_code:
                raise _reference_error("/contributor_id", "No such contributor in the source's province.")
        commitment = FundingCommitment(
            source_id=source.id,
            contributor_id=data.contributor_id,
            province_code=source.province_code,
            kind=data.kind.value,
            fiscal_year=data.fiscal_year,
            amount_vnd=data.amount_vnd,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            decision_issuer=data.decision_issuer,
            note=data.note,
        )
        await repo.add(commitment)
        await emit(
            session,
            OutboxEvent,
            type="funding_commitment.recorded",
            subject=urn(SERVICE, "funding-commitment", commitment.id),
            area_codes=[commitment.province_code],
            data={
                "commitment_id": commitment.id,
                "source_id": source.id,
                "source_kind": source.kind,
                "kind": commitment.kind,
                "fiscal_year": commitment.fiscal_year,
                "amount_vnd": commitment.amount_vnd,
                "decision_number": commitment.decision_number,
            },
        )
        return commitment

    async def get(
        self, session: AsyncSession, caller: Principal, commitment_id: uuid.UUID
    ) -> FundingCommitment:
        commitment = await CommitmentRepository(session).get_in_area(commitment_id, caller.area)
        if commitment is None:
            raise CommitmentNotFound(f"No pledge or appropriation {commitment_id} in your area.")
        return commitment

    async def list_commitments(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        source_id: uuid.UUID | None,
        fiscal_year: int | None,
        kind: CommitmentKind | None,
    ) -> tuple[list[FundingCommitment], str | None]:
        return await CommitmentRepository(session).list_commitments(
            params,
            area=caller.area,
            source_id=source_id,
            fiscal_year=fiscal_year,
            kind=kind.value if kind else None,
        )


contributor_service = ContributorService()
commitment_service = CommitmentService()

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from funding_api.funding_source.errors import (
    CommitmentNotFound,
    CommitmentReferenceInvalid,
    ContributorNameTaken,
    ContributorNotFound,
    FundingSourceNameTaken,
    FundingSourceNotFound,
    ProvinceNotCovered,
)
from funding_api.funding_source.permissions import FundingSourcesRead, FundingSourcesWrite
from funding_api.funding_source.schemas import (
    CommitmentCreate,
    CommitmentRead,
    ContributorCreate,
    ContributorRead,
    FundingSourceCreate,
    FundingSourceRead,
    FundingSourceUpdate,
)
from funding_api.funding_source.service import commitment_service, contributor_service, funding_source_service
from funding_api.models import CommitmentKind, ContributorKind, FundingSourceKind
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import QueryBool
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/funding-sources", tags=["funding-sources"])


@router.post(
    "",
    status_code=201,
    response_model=FundingSourceRead,
    responses=error_responses(ProvinceNotCovered, FundingSourceNameTaken),
)
async def create_funding_source(
    body: FundingSourceCreate, session: SessionDep, caller: FundingSourcesWrite, response: Response
) -> FundingSourceRead:
    """Record a funding source of a province you cover. Its name is unique within the province."""
    source = await funding_source_service.create(session, caller, body)
    set_etag(response, source.version)
    return FundingSourceRead.model_validate(source)


@router.get("", response_model=Page[FundingSourceRead], responses=error_responses(InvalidCursor))
async def list_funding_sources(
    session: SessionDep,
    caller: FundingSourcesRead,
    page: Pagination,
    kind: FundingSourceKind | None = None,
    active: QueryBool | None = None,
) -> Page[FundingSourceRead]:
    """The funding sources of the provinces you cover, oldest first."""
    rows, next_cursor = await funding_source_service.list_sources(
        session, caller, page, kind=kind, active=active
    )
    return Page(items=[FundingSourceRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/{source_id}", response_model=FundingSourceRead, responses=error_responses(FundingSourceNotFound)
)
async def get_funding_source(
    source_id: uuid.UUID, session: SessionDep, caller: FundingSourcesRead, response: Response
) -> FundingSourceRead:
    """One funding source, with its `ETag`. A source outside your area is a 404."""
    source = await funding_source_service.get(session, caller, source_id)
    set_etag(response, source.version)
    return FundingSourceRead.model_validate(source)


@router.patch(
    "/{source_id}",
    response_model=FundingSourceRead,
    responses=error_responses(
        FundingSourceNotFound, FundingSourceNameTaken, PreconditionFailed, PreconditionRequired
    ),
)
async def update_funding_source(
    source_id: uuid.UUID,
    body: FundingSourceUpdate,
    session: SessionDep,
    caller: FundingSourcesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> FundingSourceRead:
    """Change a funding source. Send the `ETag` you read as `If-Match`; the answer carries the new one."""
    source = await funding_source_service.update(session, caller, source_id, expected_version, body)
    set_etag(response, source.version)
    return FundingSourceRead.model_validate(source)


contributor_router = APIRouter(prefix="/funding-contributors", tags=["funding-contributors"])
commitment_router = APIRouter(prefix="/funding-commitments", tags=["funding-commitments"])


@contributor_router.post(
    "",
    status_code=201,
    response_model=ContributorRead,
    responses=error_responses(ProvinceNotCovered, ContributorNameTaken),
)
async def create_funding_contributor(
    body: ContributorCreate, session: SessionDep, caller: FundingSourcesWrite, response: Response
) -> ContributorRead:
    """Record an enterprise or organisation that gives to a province you cover (name unique there)."""
    contributor = await contributor_service.create(session, caller, body)
    set_etag(response, contributor.version)
    return ContributorRead.model_validate(contributor)


@contributor_router.get("", response_model=Page[ContributorRead], responses=error_responses(InvalidCursor))
async def list_funding_contributors(
    session: SessionDep, caller: FundingSourcesRead, page: Pagination, kind: ContributorKind | None = None
) -> Page[ContributorRead]:
    """The contributors of the provinces you cover, oldest first."""
    rows, next_cursor = await contributor_service.list_contributors(session, caller, page, kind=kind)
    return Page(items=[ContributorRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@contributor_router.get(
    "/{contributor_id}", response_model=ContributorRead, responses=error_responses(ContributorNotFound)
)
async def get_funding_contributor(
    contributor_id: uuid.UUID, session: SessionDep, caller: FundingSourcesRead, response: Response
) -> ContributorRead:
    """One contributor; outside your provinces it is a 404."""
    contributor = await contributor_service.get(session, caller, contributor_id)
    set_etag(response, contributor.version)
    return ContributorRead.model_validate(contributor)


@commitment_router.post(
    "",
    status_code=201,
    response_model=CommitmentRead,
    responses=error_responses(ProvinceNotCovered, CommitmentReferenceInvalid),
)
async def create_funding_commitment(
    body: CommitmentCreate, session: SessionDep, caller: FundingSourcesWrite
) -> CommitmentRead:
    """Record a pledge (with its contributor) or an appropriation (a budget decision: number, date,
    issuer) of a source for one fiscal year. This is the plan the capital report compares against.
    Commitments are not edited: record the corrected one and say so in its note."""
    return CommitmentRead.model_validate(await commitment_service.create(session, caller, body))


@commitment_router.get("", response_model=Page[CommitmentRead], responses=error_responses(InvalidCursor))
async def list_funding_commitments(
    session: SessionDep,
    caller: FundingSourcesRead,
    page: Pagination,
    source_id: uuid.UUID | None = None,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kind: CommitmentKind | None = None,
) -> Page[CommitmentRead]:
    """The pledges and appropriations of the provinces you cover, oldest first."""
    rows, next_cursor = await commitment_service.list_commitments(
        session, caller, page, source_id=source_id, fiscal_year=fiscal_year, kind=kind
    )
    return Page(items=[CommitmentRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@commitment_router.get(
    "/{commitment_id}", response_model=CommitmentRead, responses=error_responses(CommitmentNotFound)
)
async def get_funding_commitment(
    commitment_id: uuid.UUID, session: SessionDep, caller: FundingSourcesRead
) -> CommitmentRead:
    """One pledge or appropriation; outside your provinces it is a 404."""
    return CommitmentRead.model_validate(await commitment_service.get(session, caller, commitment_id))

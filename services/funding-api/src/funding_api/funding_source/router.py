from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from funding_api.funding_source.errors import (
    FundingSourceNameTaken,
    FundingSourceNotFound,
    ProvinceNotCovered,
)
from funding_api.funding_source.permissions import FundingSourcesRead, FundingSourcesWrite
from funding_api.funding_source.schemas import FundingSourceCreate, FundingSourceRead, FundingSourceUpdate
from funding_api.funding_source.service import funding_source_service
from funding_api.models import FundingSourceKind
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
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
    active: bool | None = None,
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

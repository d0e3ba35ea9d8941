from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.category.errors import (
    CategoryNotFound,
    CategoryPersonNotMember,
    PovertyStandardNotApplicable,
    PovertyStatusExists,
    ValidityInvalid,
)
from registry_api.category.permissions import CategoriesRead, CategoriesWrite, StandardsRead
from registry_api.category.schemas import CategoryCreate, CategoryRead, CategoryUpdate, PovertyStandardRead
from registry_api.category.service import category_service
from registry_api.household.errors import HouseholdClosed, HouseholdNotFound
from registry_api.models import CategoryKind
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(tags=["beneficiary-categories"])
standards_router = APIRouter(prefix="/poverty-standards", tags=["poverty-standards"])


@router.post(
    "/households/{household_id}/categories",
    status_code=201,
    response_model=CategoryRead,
    responses=error_responses(
        HouseholdNotFound,
        HouseholdClosed,
        PovertyStatusExists,
        CategoryPersonNotMember,
        PovertyStandardNotApplicable,
        ValidityInvalid,
    ),
)
async def create_category(
    household_id: uuid.UUID,
    body: CategoryCreate,
    session: SessionDep,
    caller: CategoriesWrite,
    response: Response,
) -> CategoryRead:
    """Record a category of a household of your area: a member's merit or martyr-relative status, or
    the household's poor / near-poor status for a year (one per year), with its certificate."""
    category = await category_service.create(session, caller, household_id, body)
    set_etag(response, category.version)
    return CategoryRead.model_validate(category)


@router.get(
    "/households/{household_id}/categories",
    response_model=Page[CategoryRead],
    responses=error_responses(HouseholdNotFound, InvalidCursor),
)
async def list_household_categories(
    household_id: uuid.UUID,
    session: SessionDep,
    caller: CategoriesRead,
    page: Pagination,
    on: Annotated[IsoDate | None, Query(description="Only categories valid on this local date.")] = None,
    kind: CategoryKind | None = None,
) -> Page[CategoryRead]:
    """A household's categories, oldest first; with `on`, those valid on that day."""
    rows, next_cursor = await category_service.list_for_household(
        session, caller, household_id, page, on=on, kind=kind
    )
    return Page(items=[CategoryRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/beneficiary-categories/{category_id}",
    response_model=CategoryRead,
    responses=error_responses(CategoryNotFound),
)
async def get_category(
    category_id: uuid.UUID, session: SessionDep, caller: CategoriesRead, response: Response
) -> CategoryRead:
    """One category, with its `ETag`. A category outside your area is a 404."""
    category = await category_service.get(session, caller, category_id)
    set_etag(response, category.version)
    return CategoryRead.model_validate(category)


@router.patch(
    "/beneficiary-categories/{category_id}",
    response_model=CategoryRead,
    responses=error_responses(CategoryNotFound, ValidityInvalid, PreconditionFailed, PreconditionRequired),
)
async def update_category(
    category_id: uuid.UUID,
    body: CategoryUpdate,
    session: SessionDep,
    caller: CategoriesWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> CategoryRead:
    """Correct a certificate or end a category's validity (`valid_to`). Send the `ETag` as `If-Match`."""
    category = await category_service.update(session, caller, category_id, expected_version, body)
    set_etag(response, category.version)
    return CategoryRead.model_validate(category)


@standards_router.get("", response_model=Page[PovertyStandardRead], responses=error_responses(InvalidCursor))
async def list_poverty_standards(
    session: SessionDep, _caller: StandardsRead, page: Pagination
) -> Page[PovertyStandardRead]:
    """The national poverty standards with their legal basis and the years they apply to."""
    rows, next_cursor = await category_service.list_standards(session, page)
    return Page(items=[PovertyStandardRead.model_validate(r) for r in rows], next_cursor=next_cursor)

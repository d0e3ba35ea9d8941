from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from funding_api.housing_fund.errors import (
    InsufficientBalance,
    MovementAlreadyReversed,
    MovementInvalid,
    MovementNotFound,
    ProvinceNotCovered,
    ReversalNotReversible,
)
from funding_api.housing_fund.export import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, projection_csv, projection_xlsx
from funding_api.housing_fund.permissions import HousingFundRead, HousingFundWrite
from funding_api.housing_fund.schemas import (
    FundBalance,
    FundProjection,
    MovementCreate,
    MovementRead,
    ProjectionFormat,
    ProvinceCode,
    ReversalCreate,
)
from funding_api.housing_fund.service import housing_fund_service
from funding_api.models.housing_fund import MovementDirection, ReferenceStatus
from servicekit.errors import error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.schemas import IsoDate
from servicekit.web.params import Pagination
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/housing-fund", tags=["housing-fund"])

CategoryQuery = Annotated[
    str | None, Query(pattern=r"^[a-z_]{1,40}$", description="An inflow kind or outflow purpose.")
]


@router.post(
    "/movements",
    status_code=201,
    response_model=MovementRead,
    responses=error_responses(ProvinceNotCovered, MovementInvalid, InsufficientBalance),
)
async def record_housing_fund_movement(
    body: MovementCreate, session: SessionDep, caller: HousingFundWrite
) -> MovementRead:
    """Record money into or out of your province's housing fund (Decree 302/2025/NĐ-CP). Movements are
    immutable: correct one with a reversal. An outflow larger than the balance is a 409.

    An `in_lieu_land_fund` inflow names inspection-api's land-reserve obligation (`obligation_id`);
    it is stored with `reference_status: unverified` until a periodic job confirms it.
    """
    movement = await housing_fund_service.record(session, caller, body)
    return MovementRead.model_validate(movement)


@router.post(
    "/movements/{movement_id}/reversal",
    status_code=201,
    response_model=MovementRead,
    responses=error_responses(
        MovementNotFound, MovementInvalid, MovementAlreadyReversed, ReversalNotReversible, InsufficientBalance
    ),
)
async def reverse_housing_fund_movement(
    movement_id: uuid.UUID, body: ReversalCreate, session: SessionDep, caller: HousingFundWrite
) -> MovementRead:
    """Correct a movement with a reversing one (same category and amount, the other direction). A
    movement is reversed at most once (409); reversing an inflow the fund has already spent is a 409."""
    movement = await housing_fund_service.reverse(session, caller, movement_id, body)
    return MovementRead.model_validate(movement)


@router.get("/movements", response_model=Page[MovementRead], responses=error_responses(InvalidCursor))
async def list_housing_fund_movements(
    session: SessionDep,
    caller: HousingFundRead,
    page: Pagination,
    province_code: ProvinceCode | None = None,
    direction: MovementDirection | None = None,
    category: CategoryQuery = None,
    reference_status: ReferenceStatus | None = None,
) -> Page[MovementRead]:
    """The movements of the provinces you cover, oldest first. `reference_status=unverified` lists the
    in-lieu payments whose obligation inspection-api has not confirmed yet (`not_found`: it denied it)."""
    rows, next_cursor = await housing_fund_service.list_movements(
        session,
        caller,
        page,
        province_code=province_code,
        direction=direction.value if direction else None,
        category=category,
        reference_status=reference_status.value if reference_status else None,
    )
    return Page(items=[MovementRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/movements/{movement_id}", response_model=MovementRead, responses=error_responses(MovementNotFound)
)
async def get_housing_fund_movement(
    movement_id: uuid.UUID, session: SessionDep, caller: HousingFundRead
) -> MovementRead:
    """One movement. A movement outside your provinces is a 404."""
    return MovementRead.model_validate(await housing_fund_service.get(session, caller, movement_id))


@router.get("/balance", response_model=FundBalance, responses=error_responses(ProvinceNotCovered))
async def get_housing_fund_balance(
    session: SessionDep,
    caller: HousingFundRead,
    province_code: ProvinceCode,
    as_of: IsoDate | None = None,
) -> FundBalance:
    """The fund's balance (derived from the movements, never stored), with the net per kind and
    purpose; `as_of` counts only movements on or before that date."""
    return await housing_fund_service.balance(session, caller, province_code, as_of)


@router.get(
    "/projection",
    response_model=FundProjection,
    responses={
        **error_responses(ProvinceNotCovered),
        200: {"content": {CSV_MEDIA_TYPE: {}, XLSX_MEDIA_TYPE: {}}},
    },
)
async def get_housing_fund_projection(
    session: SessionDep,
    caller: HousingFundRead,
    province_code: ProvinceCode,
    years: Annotated[int, Query(ge=1, le=10, description="Years ahead.")] = 5,
    basis_years: Annotated[int, Query(ge=1, le=5, description="Complete past years averaged.")] = 3,
    as_of: IsoDate | None = None,
    format: ProjectionFormat = ProjectionFormat.JSON,
) -> FundProjection | Response:
    """Expected inflows per kind and outflows per purpose for each year ahead: the average of the
    `basis_years` complete years before `as_of`'s year (net of reversals), from the balance on `as_of`
    (default today). `shortfall` marks years the outflows would overdraw. `format=csv|xlsx` downloads it."""
    projection = await housing_fund_service.projection(
        session, caller, province_code, years=years, basis_years=basis_years, as_of=as_of
    )
    if format is ProjectionFormat.JSON:
        return projection
    filename = f"housing-fund-projection-{province_code}-{projection.as_of.isoformat()}.{format.value}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format is ProjectionFormat.CSV:
        return Response(projection_csv(projection), media_type=CSV_MEDIA_TYPE, headers=disposition)
    return Response(projection_xlsx(projection), media_type=XLSX_MEDIA_TYPE, headers=disposition)

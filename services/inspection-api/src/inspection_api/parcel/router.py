from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from inspection_api.land_use_plan.errors import AreaNotCovered
from inspection_api.parcel.errors import BBoxInvalid, DesignationAreaTooLarge, GeometryInvalid, ParcelNotFound
from inspection_api.parcel.permissions import ParcelsRead, ParcelsWrite
from inspection_api.parcel.schemas import ParcelCreate, ParcelRead, ParcelUpdate
from inspection_api.parcel.service import parcel_service
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/parcels", tags=["parcels"])


@router.post(
    "", status_code=201, response_model=ParcelRead, responses=error_responses(AreaNotCovered, GeometryInvalid)
)
async def create_parcel(
    body: ParcelCreate, session: SessionDep, caller: ParcelsWrite, response: Response
) -> ParcelRead:
    """Record a parcel of a commune you cover. `geometry` is a GeoJSON Polygon or MultiPolygon in `crs`
    (WGS84 by default; VN-2000 systems are converted with pyproj and the original kept). It must be
    valid (no self-intersection) and inside Vietnam; otherwise a 422 `geometry_invalid` whose `errors`
    point at the part (`/body/geometry/type`, `/body/geometry/coordinates`, `/body/crs`) and nothing is
    stored. The area is measured in an equal-area projection, to 0.01 m²."""
    parcel = await parcel_service.create(session, caller, body)
    set_etag(response, parcel.version)
    return ParcelRead.model_validate(parcel)


@router.get("", response_model=Page[ParcelRead], responses=error_responses(InvalidCursor, BBoxInvalid))
async def list_parcels(
    session: SessionDep,
    caller: ParcelsRead,
    page: Pagination,
    bbox: Annotated[
        str | None,
        Query(
            max_length=200,
            description="A WGS84 map window `min_lon,min_lat,max_lon,max_lat`: parcels whose bounding box "
            "meets it.",
            examples=["106.6,20.8,106.8,20.9"],
        ),
    ] = None,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
) -> Page[ParcelRead]:
    """The parcels in your area, oldest first, optionally within a map window."""
    rows, next_cursor = await parcel_service.list_parcels(
        session, caller, page, bbox=bbox, commune_code=commune_code
    )
    return Page(items=[ParcelRead.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/{parcel_id}", response_model=ParcelRead, responses=error_responses(ParcelNotFound))
async def get_parcel(
    parcel_id: uuid.UUID, session: SessionDep, caller: ParcelsRead, response: Response
) -> ParcelRead:
    """One parcel with its WGS84 and source geometry. A parcel outside your area is a 404."""
    parcel = await parcel_service.get(session, caller, parcel_id)
    set_etag(response, parcel.version)
    return ParcelRead.model_validate(parcel)


@router.patch(
    "/{parcel_id}",
    response_model=ParcelRead,
    responses=error_responses(
        ParcelNotFound, GeometryInvalid, DesignationAreaTooLarge, PreconditionFailed, PreconditionRequired
    ),
)
async def update_parcel(
    parcel_id: uuid.UUID,
    body: ParcelUpdate,
    session: SessionDep,
    caller: ParcelsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> ParcelRead:
    """Correct a parcel's reference, name or geometry (checked and measured again as on creation; it may
    not become smaller than an area a plan designates on it). `If-Match` required."""
    parcel = await parcel_service.update(session, caller, parcel_id, expected_version, body)
    set_etag(response, parcel.version)
    return ParcelRead.model_validate(parcel)

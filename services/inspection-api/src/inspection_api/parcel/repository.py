from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select

from inspection_api.models import Parcel, ParcelDesignationRecord
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


@dataclass(frozen=True, slots=True)
class BBox:
    """A WGS84 map window: west, south, east, north."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(Parcel.province_code, Parcel.commune_code)


def overlaps(bbox: BBox) -> ColumnElement[bool]:
    """Parcels whose bounding box meets the window (served by the two bbox indexes)."""
    return (
        (Parcel.min_lon <= bbox.max_lon)
        & (Parcel.max_lon >= bbox.min_lon)
        & (Parcel.min_lat <= bbox.max_lat)
        & (Parcel.max_lat >= bbox.min_lat)
    )


class ParcelRepository(RepositoryBase[Parcel]):
    model = Parcel

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> Parcel | None:
        return await self.get(id_, in_area(area))

    async def list_parcels(
        self, params: PageParams, *, area: AreaScope, bbox: BBox | None, commune_code: str | None
    ) -> tuple[list[Parcel], str | None]:
        stmt = select(Parcel).where(in_area(area))
        if bbox is not None:
            stmt = stmt.where(overlaps(bbox))
        if commune_code is not None:
            stmt = stmt.where(Parcel.commune_code == commune_code)
        return await self.paginate(stmt, params)

    async def save(self, parcel: Parcel) -> Parcel:
        """Flush, so a stale version surfaces here as a 412 rather than at commit."""
        self.session.add(parcel)
        await self.session.flush()
        return parcel


class DesignationRepository(RepositoryBase[ParcelDesignationRecord]):
    model = ParcelDesignationRecord

    async def find(self, plan_id: uuid.UUID, parcel_id: uuid.UUID) -> ParcelDesignationRecord | None:
        stmt = select(ParcelDesignationRecord).where(
            ParcelDesignationRecord.land_use_plan_id == plan_id,
            ParcelDesignationRecord.parcel_id == parcel_id,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def largest_for_parcel(self, parcel_id: uuid.UUID) -> Decimal | None:
        stmt = select(func.max(ParcelDesignationRecord.area_m2)).where(
            ParcelDesignationRecord.parcel_id == parcel_id
        )
        result: Decimal | None = (await self.session.execute(stmt)).scalar_one()
        return result

    async def list_for_plan(
        self, plan_id: uuid.UUID, params: PageParams
    ) -> tuple[list[ParcelDesignationRecord], str | None]:
        stmt = select(ParcelDesignationRecord).where(ParcelDesignationRecord.land_use_plan_id == plan_id)
        return await self.paginate(stmt, params)

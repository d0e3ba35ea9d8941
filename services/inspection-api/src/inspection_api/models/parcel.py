"""Parcels (thửa đất) as GeoJSON in jsonb with a bounding box (decision 2), and their designation in a
land-use plan (land set aside for social housing)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from inspection_api.models.base import InspectionBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class ParcelDesignation(StrEnum):
    """What a land-use plan sets a parcel aside for."""

    SOCIAL_HOUSING = "social_housing"  # đất xây dựng nhà ở xã hội
    SOCIAL_HOUSING_RESERVE = "social_housing_reserve"  # the 20% fund inside a commercial project


class Parcel(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """One parcel. `geometry` is WGS84 (EPSG:4326) GeoJSON, a Polygon or MultiPolygon, valid, inside
    Vietnam; `source_crs` is the system it was sent in and `source_geometry` the coordinates as sent
    (NULL when they were already WGS84). `area_m2` is measured in an equal-area projection."""

    __tablename__ = "parcel"
    __table_args__ = (
        CheckConstraint("min_lon <= max_lon AND min_lat <= max_lat", name="bbox_ordered"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        # Map windows: `min_lon <= east AND max_lon >= west AND min_lat <= north AND max_lat >= south`.
        Index("ix_parcel_bbox_min", "min_lon", "min_lat"),
        Index("ix_parcel_bbox_max", "max_lon", "max_lat"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    # The coordinates are bulky: the trail records the bbox, area and CRS, not every vertex.
    __audit_exclude__ = frozenset({"geometry", "source_geometry"})

    cadastral_ref: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str | None] = mapped_column(String(300))
    geometry: Mapped[dict[str, Any]] = mapped_column(JSONB)
    source_crs: Mapped[str] = mapped_column(String(20))
    source_geometry: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    area_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class ParcelDesignationRecord(Audited, IdMixin, TimestampMixin, InspectionBase):
    """A parcel set aside by a land-use plan: for what, and on how much of it (m², at most its area)."""

    __tablename__ = "parcel_designation"
    __table_args__ = (
        UniqueConstraint("land_use_plan_id", "parcel_id"),
        CheckConstraint(
            "designation IN ('social_housing', 'social_housing_reserve')", name="designation_known"
        ),
        CheckConstraint("area_m2 > 0", name="area_positive"),
    )

    land_use_plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("land_use_plan.id"), index=True)
    parcel_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parcel.id"), index=True)
    designation: Mapped[str] = mapped_column(String(30))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))

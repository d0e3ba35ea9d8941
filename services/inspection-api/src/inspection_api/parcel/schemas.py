from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, model_validator

from inspection_api.models import ParcelDesignation
from servicekit.schemas import ReadModel, WriteModel

ProvinceCode = Annotated[str, Field(pattern=r"^\d{2}$", examples=["31"])]
CommuneCode = Annotated[str, Field(pattern=r"^\d{5}$", examples=["11560"])]
# Areas are exact decimals (0.01 m²) in the database and plain JSON numbers on the wire.
AreaM2 = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
AreaM2In = Annotated[Decimal, Field(gt=0, le=Decimal("100000000000"), decimal_places=2)]

EXAMPLE_POLYGON = {
    "type": "Polygon",
    "coordinates": [
        [[106.68, 20.86], [106.681, 20.86], [106.681, 20.861], [106.68, 20.861], [106.68, 20.86]]
    ],
}


class ParcelCreate(WriteModel):
    province_code: ProvinceCode
    commune_code: CommuneCode
    legacy_area_code: str | None = Field(default=None, max_length=16)
    cadastral_ref: str | None = Field(
        default=None, max_length=60, description="Map sheet and parcel number.", examples=["tờ 12, thửa 345"]
    )
    name: str | None = Field(default=None, max_length=300)
    crs: str = Field(
        default="EPSG:4326",
        max_length=20,
        description="The coordinate system of `geometry`: EPSG:4326 (WGS84, longitude first) or a VN-2000 "
        "system (EPSG:4756, TM-3 zones EPSG:5896-5899 and 9205-9218, UTM EPSG:3405/3406). Hải Phòng's "
        "cadastre uses EPSG:9210 (VN-2000 / TM-3 105-45).",
        examples=["EPSG:9210"],
    )
    geometry: dict[str, Any] = Field(
        description="A GeoJSON Polygon or MultiPolygon in `crs`.", examples=[EXAMPLE_POLYGON]
    )


class ParcelUpdate(WriteModel):
    """Send only what changes. A corrected `geometry` is checked and measured again, in `crs` (WGS84
    when left out); `crs` alone is refused. `null` clears `cadastral_ref` or `name`."""

    cadastral_ref: str | None = Field(default=None, max_length=60)
    name: str | None = Field(default=None, max_length=300)
    crs: str | None = Field(default=None, max_length=20)
    geometry: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _crs_goes_with_geometry(self) -> ParcelUpdate:
        if "crs" in self.model_fields_set and self.geometry is None:
            raise ValueError("crs is sent only with the geometry it describes")
        if "geometry" in self.model_fields_set and self.geometry is None:
            raise ValueError("geometry may not be null")
        return self


class ParcelRead(ReadModel):
    id: uuid.UUID
    province_code: str
    commune_code: str | None
    legacy_area_code: str | None
    cadastral_ref: str | None
    name: str | None
    geometry: dict[str, Any] = Field(description="WGS84 (EPSG:4326) GeoJSON.")
    source_crs: str = Field(description="The system the parcel was sent in.")
    source_geometry: dict[str, Any] | None = Field(description="The geometry as sent, when not WGS84.")
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    area_m2: AreaM2 = Field(description="Measured in an equal-area projection, to 0.01 m².")
    version: int
    created_at: datetime
    updated_at: datetime


class DesignationCreate(WriteModel):
    parcel_id: uuid.UUID
    designation: ParcelDesignation = ParcelDesignation.SOCIAL_HOUSING
    area_m2: AreaM2In | None = Field(
        default=None, description="The part of the parcel designated; the whole parcel when left out."
    )


class DesignationRead(ReadModel):
    id: uuid.UUID
    land_use_plan_id: uuid.UUID
    parcel_id: uuid.UUID
    designation: ParcelDesignation
    area_m2: AreaM2
    created_at: datetime

"""Checking and measuring parcel geometry with shapely and pyproj (decision 2: no PostGIS).

Input: a GeoJSON Polygon or MultiPolygon in WGS84 (EPSG:4326, longitude first) or in a VN-2000 system
(EPSG:4756 geographic, the TM-3 zones such as EPSG:9210 "VN-2000 / TM-3 105-45" used in Hải Phòng,
or UTM 48N/49N). It is checked for validity (OGC rules, in the system it was drawn in), converted to
WGS84 with pyproj, checked to lie inside Vietnam's extent, and measured in m² in a Lambert azimuthal
equal-area projection centred on the parcel (a projected CRS whose areas are exact on the ellipsoid).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

import shapely  # type: ignore[import-untyped]
import shapely.errors  # type: ignore[import-untyped]
from pyproj import CRS, Transformer
from pyproj.database import query_crs_info
from pyproj.exceptions import CRSError
from shapely.geometry import mapping, shape  # type: ignore[import-untyped]

WGS84 = "EPSG:4326"
ALLOWED_TYPES = ("Polygon", "MultiPolygon")
# Vietnam's extent, islands included (Hoàng Sa and Trường Sa): a coarse guard against swapped axes,
# wrong systems and typos, not a border check.
VIETNAM_LON = (102.0, 117.9)
VIETNAM_LAT = (6.0, 23.5)
MAX_VERTICES = 20_000
# 100,000 km²: more than any province; keeps the area inside its numeric(14, 2) column.
MAX_AREA_M2 = Decimal("100000000000")
M2 = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class GeometryProblem(Exception):
    """Where in the geometry object the problem is (a JSON pointer suffix), a stable code, a message."""

    pointer: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class MeasuredGeometry:
    geometry: dict[str, Any]  # WGS84 GeoJSON
    source_crs: str
    source_geometry: dict[str, Any] | None  # as sent, when not WGS84
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    area_m2: Decimal


@lru_cache(maxsize=1)
def accepted_crs() -> frozenset[str]:
    """WGS84 and every VN-2000 system the EPSG database knows (geographic, TM-3 zones, UTM)."""
    codes = {f"EPSG:{info.code}" for info in query_crs_info(auth_name="EPSG") if "VN-2000" in info.name}
    return frozenset(codes | {WGS84})


@lru_cache(maxsize=64)
def _to_wgs84(source_crs: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(source_crs), WGS84, always_xy=True)


def normalise_crs(value: str) -> str:
    """`EPSG:9210`, `epsg:9210` or `9210` -> `EPSG:9210`; anything else is a problem."""
    text = value.strip().upper()
    if text.isdigit():
        text = f"EPSG:{text}"
    if text not in accepted_crs():
        raise GeometryProblem(
            "/crs", "crs_not_supported", "send EPSG:4326 (WGS84) or a VN-2000 system such as EPSG:9210"
        )
    try:
        CRS.from_user_input(text)
    except CRSError as exc:  # pragma: no cover - the list comes from the same database
        raise GeometryProblem("/crs", "crs_not_supported", "unknown coordinate system") from exc
    return text


def _parse(raw: Any) -> Any:
    if not isinstance(raw, dict):
        raise GeometryProblem("/geometry", "geometry_not_an_object", "a GeoJSON geometry object is required")
    kind = raw.get("type")
    if kind not in ALLOWED_TYPES:
        raise GeometryProblem(
            "/geometry/type", "geometry_type_not_allowed", "a parcel is a Polygon or a MultiPolygon"
        )
    try:
        geom = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, shapely.errors.ShapelyError) as exc:
        raise GeometryProblem(
            "/geometry/coordinates", "geometry_malformed", "the coordinates do not form rings of [x, y] pairs"
        ) from exc
    if geom.is_empty:
        raise GeometryProblem("/geometry/coordinates", "geometry_empty", "the geometry has no coordinates")
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise GeometryProblem(
            "/geometry/coordinates", "geometry_too_large", f"at most {MAX_VERTICES} vertices per parcel"
        )
    if not bool(shapely.is_valid(geom)):
        raise GeometryProblem(
            "/geometry/coordinates", "geometry_invalid", f"invalid geometry: {shapely.is_valid_reason(geom)}"
        )
    return geom


def _round_m2(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(M2, rounding=ROUND_HALF_UP)


def measure(raw: Any, source_crs: str) -> MeasuredGeometry:
    """Check, convert and measure a parcel; raise `GeometryProblem` on the first problem found."""
    crs = normalise_crs(source_crs)
    geom = _parse(raw)
    if crs != WGS84:
        transformer = _to_wgs84(crs)
        wgs = shapely.transform(geom, transformer.transform, interleaved=False)
        if not bool(shapely.is_valid(wgs)):  # pragma: no cover - a valid parcel stays valid in practice
            raise GeometryProblem(
                "/geometry/coordinates",
                "geometry_invalid",
                "the geometry is not valid once converted to WGS84",
            )
    else:
        wgs = geom
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in wgs.bounds)
    finite = all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat))
    if not (
        finite
        and VIETNAM_LON[0] <= min_lon
        and max_lon <= VIETNAM_LON[1]
        and VIETNAM_LAT[0] <= min_lat
        and max_lat <= VIETNAM_LAT[1]
    ):
        raise GeometryProblem(
            "/geometry/coordinates",
            "geometry_out_of_range",
            "the parcel is not inside Vietnam: check the coordinate system and the [lon, lat] order",
        )
    centre = wgs.centroid
    laea = CRS.from_proj4(f"+proj=laea +lat_0={centre.y} +lon_0={centre.x} +ellps=WGS84 +units=m +no_defs")
    projected = shapely.transform(
        wgs, Transformer.from_crs(WGS84, laea, always_xy=True).transform, interleaved=False
    )
    area = _round_m2(float(projected.area))
    if area <= 0:
        raise GeometryProblem("/geometry/coordinates", "geometry_empty", "the parcel has no area")
    if area > MAX_AREA_M2:
        raise GeometryProblem(
            "/geometry/coordinates", "geometry_too_large", "a parcel measures at most 100,000 km²"
        )
    return MeasuredGeometry(
        geometry=dict(mapping(wgs)) | {"coordinates": _listify(mapping(wgs)["coordinates"])},
        source_crs=crs,
        source_geometry=None if crs == WGS84 else raw,
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
        area_m2=area,
    )


def _listify(value: Any) -> Any:
    """shapely's mapping() gives tuples; jsonb round-trips lists, so store lists."""
    if isinstance(value, tuple | list):
        return [_listify(v) for v in value]
    return value

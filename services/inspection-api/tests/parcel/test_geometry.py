"""The geometry checks and the measurement, without the web layer."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pyproj import Transformer

from inspection_api.parcel.geometry import GeometryProblem, measure

# About 104 m x 111 m in Thủy Nguyên (Hải Phòng).
RING = [[106.68, 20.86], [106.681, 20.86], [106.681, 20.861], [106.68, 20.861], [106.68, 20.86]]
SQUARE: dict[str, Any] = {"type": "Polygon", "coordinates": [RING]}


def to_vn2000(ring: list[list[float]], epsg: str = "EPSG:9210") -> list[list[float]]:
    to_vn = Transformer.from_crs("EPSG:4326", epsg, always_xy=True)
    return [list(to_vn.transform(x, y)) for x, y in ring]


def problem(raw: Any, crs: str = "EPSG:4326") -> GeometryProblem:
    with pytest.raises(GeometryProblem) as caught:
        measure(raw, crs)
    return caught.value


def test_a_wgs84_square_is_measured_in_square_metres() -> None:
    m = measure(SQUARE, "EPSG:4326")
    # 0.001° x 0.001° at 20.86° N: 104.0 m x 110.7 m (geodesic figure from pyproj.Geod: 11,521.8 m²).
    assert Decimal("11515") < m.area_m2 < Decimal("11530")
    assert (m.min_lon, m.min_lat, m.max_lon, m.max_lat) == (106.68, 20.86, 106.681, 20.861)
    assert m.source_crs == "EPSG:4326"
    assert m.source_geometry is None
    assert m.geometry == SQUARE


def test_a_multipolygon_sums_its_parts() -> None:
    shifted = [[x + 0.01, y] for x, y in RING]
    m = measure({"type": "MultiPolygon", "coordinates": [[RING], [shifted]]}, "EPSG:4326")
    single = measure(SQUARE, "EPSG:4326")
    assert abs(m.area_m2 - 2 * single.area_m2) < Decimal("1")
    assert m.max_lon == pytest.approx(106.691)


def test_vn2000_tm3_is_converted_to_wgs84_and_the_original_kept() -> None:
    raw = {"type": "Polygon", "coordinates": [to_vn2000(RING)]}
    m = measure(raw, "9210")
    assert m.source_crs == "EPSG:9210"
    assert m.source_geometry == raw
    assert m.min_lon == pytest.approx(106.68, abs=1e-7)
    assert m.max_lat == pytest.approx(20.861, abs=1e-7)
    assert abs(m.area_m2 - measure(SQUARE, "EPSG:4326").area_m2) < Decimal("0.5")


def test_vn2000_coordinates_sent_as_wgs84_are_out_of_range() -> None:
    raw = {"type": "Polygon", "coordinates": [to_vn2000(RING)]}
    p = problem(raw, "EPSG:4326")
    assert (p.pointer, p.code) == ("/geometry/coordinates", "geometry_out_of_range")


def test_wgs84_coordinates_declared_vn2000_are_out_of_range() -> None:
    p = problem(SQUARE, "EPSG:9210")
    assert p.code == "geometry_out_of_range"


def test_self_intersecting_bow_tie_is_invalid() -> None:
    bow = [[106.68, 20.86], [106.681, 20.861], [106.681, 20.86], [106.68, 20.861], [106.68, 20.86]]
    p = problem({"type": "Polygon", "coordinates": [bow]})
    assert (p.pointer, p.code) == ("/geometry/coordinates", "geometry_invalid")
    assert "Self-intersection" in p.message


@pytest.mark.parametrize(
    "ring",
    [
        [[x, y + 70] for x, y in RING],  # latitude beyond 90 after a typo
        [[y, x] for x, y in RING],  # [lat, lon] order
        [[x - 6, y] for x, y in RING],  # Laos
    ],
)
def test_outside_vietnam_is_out_of_range(ring: list[list[float]]) -> None:
    assert problem({"type": "Polygon", "coordinates": [ring]}).code == "geometry_out_of_range"


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "Point", "coordinates": [106.68, 20.86]},
        {"type": "LineString", "coordinates": RING},
        {"type": "GeometryCollection", "geometries": [SQUARE]},
        {"coordinates": [RING]},
    ],
)
def test_only_polygons_are_parcels(raw: dict[str, Any]) -> None:
    p = problem(raw)
    assert (p.pointer, p.code) == ("/geometry/type", "geometry_type_not_allowed")


@pytest.mark.parametrize(
    "coordinates",
    [
        [[[106.68, 20.86], [106.681, 20.86]]],  # a ring of two points
        [["a", "b", "c", "d"]],
        "not coordinates",
        [[[106.68], [106.681], [106.681], [106.68]]],
    ],
)
def test_malformed_coordinates(coordinates: Any) -> None:
    p = problem({"type": "Polygon", "coordinates": coordinates})
    assert p.pointer == "/geometry/coordinates"
    assert p.code in {"geometry_malformed", "geometry_invalid", "geometry_empty"}


def test_a_zero_area_ring_is_refused() -> None:
    flat = [[106.68, 20.86], [106.681, 20.86], [106.682, 20.86], [106.68, 20.86]]
    assert problem({"type": "Polygon", "coordinates": [flat]}).code in {"geometry_invalid", "geometry_empty"}


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:32648", "WGS84", "EPSG:999999", ""])
def test_only_wgs84_and_vn2000_systems(crs: str) -> None:
    p = problem(SQUARE, crs)
    assert (p.pointer, p.code) == ("/crs", "crs_not_supported")


def test_not_an_object() -> None:
    assert problem([RING]).code == "geometry_not_an_object"


def test_a_parcel_larger_than_any_province_is_refused() -> None:
    huge = [[102.5, 8.0], [117.0, 8.0], [117.0, 23.0], [102.5, 23.0], [102.5, 8.0]]
    assert problem({"type": "Polygon", "coordinates": [huge]}).code == "geometry_too_large"

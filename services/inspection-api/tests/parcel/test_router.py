"""Parcels over HTTP: recording (WGS84 and VN-2000), map windows, roles and areas, and plan designations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pyproj import Transformer
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import AuditRecord, OutboxEvent, Parcel

Auth = Callable[..., dict[str, str]]
URL = "/v1/parcels"
PLANS = "/v1/land-use-plans"
HAI_PHONG = "31"
THUY_NGUYEN = "11560"
HAI_DUONG = "10525"
PROBLEM = "application/problem+json"
RING = [[106.68, 20.86], [106.681, 20.86], [106.681, 20.861], [106.68, 20.861], [106.68, 20.86]]


def ring_at(dlon: float = 0.0, dlat: float = 0.0) -> list[list[float]]:
    return [[x + dlon, y + dlat] for x, y in RING]


def parcel_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "commune_code": THUY_NGUYEN,
        "cadastral_ref": "tờ 12, thửa 345",
        "name": "Lô NOXH-01",
        "geometry": {"type": "Polygon", "coordinates": [RING]},
    }
    return data | overrides


@pytest.fixture
def province(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


async def create(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(URL, json=parcel_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Parcel))).scalar_one())


async def test_record_a_wgs84_parcel(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    created = await create(client, province)
    assert created["source_crs"] == "EPSG:4326"
    assert created["source_geometry"] is None
    assert 11515 < created["area_m2"] < 11530
    assert [created[k] for k in ("min_lon", "min_lat", "max_lon", "max_lat")] == [
        106.68,
        20.86,
        106.681,
        20.861,
    ]
    got = await client.get(f"{URL}/{created['id']}", headers=province)
    assert got.status_code == 200
    assert got.headers["etag"] == 'W/"1"'
    assert got.json()["geometry"]["coordinates"] == [RING]
    audit = (
        (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == created["id"])))
        .scalars()
        .all()
    )
    assert len(audit) == 1
    assert "geometry" not in (audit[0].after or {})
    events = (
        await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "parcel.recorded"))
    ).scalars()
    assert [e.data["parcel_id"] for e in events] == [created["id"]]


async def test_record_a_vn2000_parcel_converted_and_original_kept(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    to_vn = Transformer.from_crs("EPSG:4326", "EPSG:9210", always_xy=True)
    vn_ring = [[round(c, 3) for c in to_vn.transform(x, y)] for x, y in RING]
    geometry = {"type": "Polygon", "coordinates": [vn_ring]}
    created = await create(client, province, crs="EPSG:9210", geometry=geometry)
    assert created["source_crs"] == "EPSG:9210"
    assert created["source_geometry"] == geometry
    assert created["min_lon"] == pytest.approx(106.68, abs=1e-6)
    assert created["max_lat"] == pytest.approx(20.861, abs=1e-6)
    assert 11515 < created["area_m2"] < 11530


BOW_TIE = [[106.68, 20.86], [106.681, 20.861], [106.681, 20.86], [106.68, 20.861], [106.68, 20.86]]


@pytest.mark.parametrize(
    ("overrides", "pointer", "code"),
    [
        (
            {"geometry": {"type": "Polygon", "coordinates": [BOW_TIE]}},
            "/body/geometry/coordinates",
            "geometry_invalid",
        ),
        (
            {"geometry": {"type": "Polygon", "coordinates": [ring_at(dlat=80)]}},
            "/body/geometry/coordinates",
            "geometry_out_of_range",
        ),
        (
            {"geometry": {"type": "Polygon", "coordinates": [[[y, x] for x, y in RING]]}},
            "/body/geometry/coordinates",
            "geometry_out_of_range",
        ),
        (
            {"geometry": {"type": "Point", "coordinates": [106.68, 20.86]}},
            "/body/geometry/type",
            "geometry_type_not_allowed",
        ),
        (
            {"geometry": {"type": "Polygon", "coordinates": "x"}},
            "/body/geometry/coordinates",
            "geometry_malformed",
        ),
        ({"crs": "EPSG:3857"}, "/body/crs", "crs_not_supported"),
        # WGS84 coordinates declared as VN-2000: the conversion lands far outside Vietnam.
        ({"crs": "EPSG:9210"}, "/body/geometry/coordinates", "geometry_out_of_range"),
    ],
)
async def test_invalid_geometry_is_a_422_with_a_pointer_and_stores_nothing(
    client: httpx.AsyncClient,
    province: dict[str, str],
    db_session: AsyncSession,
    overrides: dict[str, Any],
    pointer: str,
    code: str,
) -> None:
    response = await client.post(URL, json=parcel_body(**overrides), headers=province)
    problem = assert_problem(response, 422, "geometry_invalid")
    assert problem["errors"][0]["pointer"] == pointer
    assert problem["errors"][0]["code"] == code
    assert await count(db_session) == 0
    assert (await db_session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one() == 0


@pytest.mark.parametrize(
    "overrides",
    [{"geometry": "POLYGON((1 1, 2 2))"}, {"commune_code": None}, {"unknown": 1}, {"commune_code": "1156"}],
)
async def test_bad_body_is_a_422(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession, overrides: dict[str, Any]
) -> None:
    response = await client.post(URL, json=parcel_body(**overrides), headers=province)
    assert_problem(response, 422, "validation_failed")
    assert await count(db_session) == 0


@pytest.mark.parametrize("role", ["commune_officer", "auditor", "finance_officer", "service"])
async def test_wrong_role_cannot_record(client: httpx.AsyncClient, auth: Auth, role: str) -> None:
    response = await client.post(URL, json=parcel_body(), headers=auth(roles=[role], area_codes=[HAI_PHONG]))
    assert_problem(response, 403, "forbidden")


async def test_recording_in_another_area_is_403(
    client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
) -> None:
    response = await client.post(
        URL, json=parcel_body(), headers=auth(roles=["inspector"], area_codes=[HAI_DUONG])
    )
    assert_problem(response, 403, "area_not_covered")
    assert await count(db_session) == 0


@pytest.mark.parametrize("role", ["finance_officer", "service", "partner"])
async def test_wrong_role_cannot_read(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str], role: str
) -> None:
    created = await create(client, province)
    headers = auth(roles=[role], area_codes=[HAI_PHONG])
    assert_problem(await client.get(URL, headers=headers), 403, "forbidden")
    assert_problem(await client.get(f"{URL}/{created['id']}", headers=headers), 403, "forbidden")


async def test_other_area_reads_404_and_an_empty_list(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str]
) -> None:
    created = await create(client, province)
    other = auth(roles=["province_officer"], area_codes=["01", HAI_DUONG])
    assert_problem(await client.get(f"{URL}/{created['id']}", headers=other), 404, "parcel_not_found")
    assert (await client.get(URL, headers=other)).json()["items"] == []
    commune = auth(roles=["commune_officer"], area_codes=[THUY_NGUYEN])
    assert (await client.get(f"{URL}/{created['id']}", headers=commune)).status_code == 200


async def test_bbox_window_selects_parcels(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    near = await create(client, province)
    far = await create(client, province, geometry={"type": "Polygon", "coordinates": [ring_at(dlon=0.05)]})
    inside = await client.get(URL, params={"bbox": "106.6805,20.8605,106.70,20.87"}, headers=province)
    assert [p["id"] for p in inside.json()["items"]] == [near["id"]]
    both = await client.get(URL, params={"bbox": "106.0,20.0,107.0,21.0", "limit": 1}, headers=province)
    assert [p["id"] for p in both.json()["items"]] == [near["id"]]
    rest = await client.get(
        URL, params={"bbox": "106.0,20.0,107.0,21.0", "cursor": both.json()["next_cursor"]}, headers=province
    )
    assert [p["id"] for p in rest.json()["items"]] == [far["id"]]
    assert (await client.get(URL, params={"bbox": "107,21,108,22"}, headers=province)).json()["items"] == []


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "107,21,106,20", "106,20,107,nan", "0,0,200,10"])
async def test_bad_bbox_is_a_422(client: httpx.AsyncClient, province: dict[str, str], bbox: str) -> None:
    problem = assert_problem(
        await client.get(URL, params={"bbox": bbox}, headers=province), 422, "bbox_invalid"
    )
    assert problem["errors"][0]["pointer"] == "/query/bbox"


# Designation of parcels in a land-use plan (land set aside for social housing).


async def make_plan(
    client: httpx.AsyncClient, headers: dict[str, str], commune: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "name": "Quy hoạch phân khu Thủy Nguyên",
        "level": "zoning",
        "status": "draft",
    }
    if commune:
        body["commune_code"] = commune
    response = await client.post(PLANS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def test_designate_a_parcel_for_social_housing(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    plan = await make_plan(client, province)
    parcel = await create(client, province)
    url = f"{PLANS}/{plan['id']}/parcels"
    whole = await client.post(url, json={"parcel_id": parcel["id"]}, headers=province)
    assert whole.status_code == 201, whole.text
    assert whole.json()["designation"] == "social_housing"
    assert whole.json()["area_m2"] == parcel["area_m2"]
    again = await client.post(url, json={"parcel_id": parcel["id"], "area_m2": 10}, headers=province)
    assert_problem(again, 409, "parcel_already_designated")
    listed = await client.get(url, headers=province)
    assert [d["parcel_id"] for d in listed.json()["items"]] == [parcel["id"]]
    events = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
    assert "land_use_plan.parcel_designated" in events


async def test_designation_part_of_a_parcel_and_its_limits(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    plan = await make_plan(client, province, commune=HAI_DUONG)
    parcel = await create(client, province)
    url = f"{PLANS}/{plan['id']}/parcels"
    outside = await client.post(url, json={"parcel_id": parcel["id"]}, headers=province)
    assert_problem(outside, 422, "parcel_outside_plan")
    plan2 = await make_plan(client, province, commune=THUY_NGUYEN)
    url2 = f"{PLANS}/{plan2['id']}/parcels"
    too_big = await client.post(url2, json={"parcel_id": parcel["id"], "area_m2": 20000}, headers=province)
    problem = assert_problem(too_big, 422, "designation_area_too_large")
    assert problem["errors"][0]["pointer"] == "/body/area_m2"
    bad = await client.post(url2, json={"parcel_id": parcel["id"], "designation": "golf"}, headers=province)
    assert_problem(bad, 422, "validation_failed")
    part = await client.post(
        url2,
        json={"parcel_id": parcel["id"], "area_m2": 2500.5, "designation": "social_housing_reserve"},
        headers=province,
    )
    assert part.status_code == 201, part.text
    assert part.json()["area_m2"] == 2500.5


async def test_designation_roles_and_areas(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str]
) -> None:
    plan = await make_plan(client, province)
    parcel = await create(client, province)
    url = f"{PLANS}/{plan['id']}/parcels"
    for role in ("commune_officer", "auditor", "finance_officer"):
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(
            await client.post(url, json={"parcel_id": parcel["id"]}, headers=headers), 403, "forbidden"
        )
    other = auth(roles=["province_officer"], area_codes=["01"])
    assert_problem(
        await client.post(url, json={"parcel_id": parcel["id"]}, headers=other),
        404,
        "land_use_plan_not_found",
    )
    assert_problem(await client.get(url, headers=other), 404, "land_use_plan_not_found")
    assert_problem(
        await client.get(url, headers=auth(roles=["service"], area_codes=[HAI_PHONG])), 403, "forbidden"
    )


# Corrections (PATCH with If-Match).


async def test_correct_a_parcel_geometry_and_name(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    created = await create(client, province)
    url = f"{URL}/{created['id']}"
    bigger = [[106.68, 20.86], [106.682, 20.86], [106.682, 20.861], [106.68, 20.861], [106.68, 20.86]]
    response = await client.patch(
        url,
        json={"name": "Lô NOXH-01A", "geometry": {"type": "Polygon", "coordinates": [bigger]}},
        headers=province | {"If-Match": 'W/"1"'},
    )
    assert response.status_code == 200, response.text
    got = response.json()
    assert got["name"] == "Lô NOXH-01A"
    assert got["max_lon"] == 106.682
    assert 2 * 11515 < got["area_m2"] < 2 * 11530
    assert response.headers["etag"] == 'W/"2"'
    events = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
    assert "parcel.updated" in events


async def test_parcel_corrections_are_checked(
    client: httpx.AsyncClient, province: dict[str, str], auth: Auth
) -> None:
    created = await create(client, province)
    url = f"{URL}/{created['id']}"
    v1 = province | {"If-Match": 'W/"1"'}
    invalid = await client.patch(
        url, json={"geometry": {"type": "Polygon", "coordinates": [BOW_TIE]}}, headers=v1
    )
    assert (
        assert_problem(invalid, 422, "geometry_invalid")["errors"][0]["pointer"]
        == "/body/geometry/coordinates"
    )
    assert_problem(await client.patch(url, json={"crs": "EPSG:9210"}, headers=v1), 422, "validation_failed")
    assert_problem(await client.patch(url, json={"geometry": None}, headers=v1), 422, "validation_failed")
    assert_problem(
        await client.patch(url, json={"name": "x"}, headers=province), 428, "precondition_required"
    )
    stale = province | {"If-Match": 'W/"5"'}
    assert_problem(await client.patch(url, json={"name": "x"}, headers=stale), 412, "precondition_failed")
    commune = auth(roles=["commune_officer"], area_codes=[THUY_NGUYEN]) | {"If-Match": 'W/"1"'}
    assert_problem(await client.patch(url, json={"name": "x"}, headers=commune), 403, "forbidden")
    other = auth(roles=["inspector"], area_codes=[HAI_DUONG]) | {"If-Match": 'W/"1"'}
    assert_problem(await client.patch(url, json={"name": "x"}, headers=other), 404, "parcel_not_found")
    unchanged = (await client.get(url, headers=province)).json()
    assert (unchanged["version"], unchanged["name"], unchanged["area_m2"]) == (
        1,
        "Lô NOXH-01",
        created["area_m2"],
    )


async def test_a_parcel_cannot_shrink_below_a_designated_area(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    plan = await make_plan(client, province)
    parcel = await create(client, province)
    designated = await client.post(
        f"{PLANS}/{plan['id']}/parcels", json={"parcel_id": parcel["id"], "area_m2": 10000}, headers=province
    )
    assert designated.status_code == 201, designated.text
    half = [[106.68, 20.86], [106.6805, 20.86], [106.6805, 20.861], [106.68, 20.861], [106.68, 20.86]]
    response = await client.patch(
        f"{URL}/{parcel['id']}",
        json={"geometry": {"type": "Polygon", "coordinates": [half]}},
        headers=province | {"If-Match": 'W/"1"'},
    )
    assert (
        assert_problem(response, 422, "designation_area_too_large")["errors"][0]["pointer"]
        == "/body/geometry"
    )

"""Commercial projects and their 20% obligations over HTTP: rules on both sides of their dates, the
stage timeline and every illegal transition, overdue lists, roles and areas on every endpoint."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.land_reserve.reference import seed_land_reserve_rules
from inspection_api.land_reserve.service import local_today
from inspection_api.models import AuditRecord, CommercialProject, LandReserveObligation, OutboxEvent

Auth = Callable[..., dict[str, str]]
PROJECTS = "/v1/commercial-projects"
OBLIGATIONS = "/v1/land-reserve-obligations"
HAI_PHONG = "31"
THUY_NGUYEN = "11560"
HAI_DUONG = "10525"
PROBLEM = "application/problem+json"
LAND_ORDER = ["reserved_in_plan", "infrastructure_built", "cleared", "investor_assigned", "started"]
ALL_STATUSES = [*LAND_ORDER, "awaiting_payment", "paid"]
D261_STARTS = date(2025, 10, 10)


def project_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "commune_code": THUY_NGUYEN,
        "name": "Khu đô thị mới Bắc sông Cấm",
        "investor_name": "Công ty CP Đầu tư Cấm Giang",
        "kind": "urban_area",
        "residential_land_m2": 12345.67,
        "total_land_m2": 20000,
        "technical_infrastructure_cost_vnd": 1_000_000_000_003,
    }
    return data | overrides


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


@pytest.fixture
async def rules(db_session: AsyncSession) -> None:
    assert await seed_land_reserve_rules(db_session) == 2


@pytest.fixture
def province(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


async def make_project(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(PROJECTS, json=project_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def make_obligation(
    client: httpx.AsyncClient, headers: dict[str, str], project_id: str, **overrides: Any
) -> httpx.Response:
    body: dict[str, Any] = {
        "commercial_project_id": project_id,
        "method": "reserve_land",
        "decided_on": "2025-11-01",
    }
    return await client.post(OBLIGATIONS, json=body | overrides, headers=headers)


async def obligation(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> tuple[dict[str, Any], str]:
    project = await make_project(client, headers)
    response = await make_obligation(client, headers, project["id"], **overrides)
    assert response.status_code == 201, response.text
    return response.json(), response.headers["etag"]


# The 20% arithmetic and the money formula through the API, on both sides of the rule dates.


@pytest.mark.usefixtures("rules")
async def test_reserve_land_requires_twenty_percent_of_the_residential_land(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    ob, etag = await obligation(client, province)
    assert ob["required_area_m2"] == 2469.13
    assert ob["reserve_rate"] == 0.2
    assert ob["residential_land_m2"] == 12345.67
    assert ob["status"] == "reserved_in_plan"
    assert ob["reserved_in_plan_on"] == "2025-11-01"
    assert ob["money_due_vnd"] is None
    assert ob["due_on"] is None
    assert etag == 'W/"1"'
    events = (
        await db_session.execute(select(OutboxEvent).where(OutboxEvent.type.like("land_reserve%")))
    ).scalars()
    assert [(e.type, e.data["required_area_m2"]) for e in events] == [
        ("land_reserve_obligation.created", "2469.13")
    ]
    audited = await db_session.execute(select(func.count()).where(AuditRecord.resource_id == ob["id"]))
    assert audited.scalar_one() == 1


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize(
    ("decided_on", "infrastructure_vnd"),
    [
        (D261_STARTS, 200_000_000_001),  # Decree 261/2025: + 20% of 1,000,000,000,003
        (D261_STARTS + timedelta(days=400), 200_000_000_001),
        (D261_STARTS - timedelta(days=1), 0),  # Decree 100/2024 as first issued: land fee only
        (date(2024, 8, 1), 0),
    ],
)
async def test_money_formula_on_both_sides_of_the_decree_261_date(
    client: httpx.AsyncClient, province: dict[str, str], decided_on: date, infrastructure_vnd: int
) -> None:
    ob, _ = await obligation(
        client,
        province,
        method="pay_money",
        decided_on=decided_on.isoformat(),
        land_price_vnd_per_m2=18_500_000,
    )
    land_fee = 45_678_905_000  # 2,469.13 m² x 18,500,000 VND
    assert ob["money_land_fee_vnd"] == land_fee
    assert ob["money_infrastructure_vnd"] == infrastructure_vnd
    assert ob["money_due_vnd"] == land_fee + infrastructure_vnd
    assert ob["technical_infrastructure_cost_vnd"] == 1_000_000_000_003  # taken from the project
    assert ob["status"] == "awaiting_payment"
    assert ob["required_area_m2"] == 2469.13


@pytest.mark.usefixtures("rules")
async def test_no_rule_before_1_august_2024(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    project = await make_project(client, province)
    response = await make_obligation(client, province, project["id"], decided_on="2024-07-31")
    problem = assert_problem(response, 422, "land_reserve_rule_not_applicable")
    assert problem["errors"][0]["pointer"] == "/body/decided_on"
    assert (
        await db_session.execute(select(func.count()).select_from(LandReserveObligation))
    ).scalar_one() == 0


@pytest.mark.usefixtures("rules")
async def test_pay_money_needs_price_and_cost(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    project = await make_project(client, province, technical_infrastructure_cost_vnd=None)
    response = await make_obligation(client, province, project["id"], method="pay_money")
    problem = assert_problem(response, 422, "land_reserve_money_inputs_missing")
    assert {e["pointer"] for e in problem["errors"]} == {
        "/body/land_price_vnd_per_m2",
        "/body/technical_infrastructure_cost_vnd",
    }
    given = await make_obligation(
        client,
        province,
        project["id"],
        method="pay_money",
        land_price_vnd_per_m2=1_000_000,
        technical_infrastructure_cost_vnd=5,
    )
    assert given.status_code == 201, given.text
    assert given.json()["money_due_vnd"] == 2_469_130_000 + 1


@pytest.mark.usefixtures("rules")
async def test_one_obligation_per_project(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    ob, _ = await obligation(client, province)
    again = await make_obligation(client, province, ob["commercial_project_id"], method="pay_money")
    assert_problem(again, 409, "land_reserve_obligation_exists")


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize(
    "overrides",
    [
        {"method": "lease"},
        {"decided_on": "01/11/2025"},
        {"land_price_vnd_per_m2": -1},
        {"unknown": True},
        {"commercial_project_id": "not-a-uuid"},
    ],
)
async def test_bad_obligation_body_is_a_422(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession, overrides: dict[str, Any]
) -> None:
    project = await make_project(client, province)
    assert_problem(
        await make_obligation(client, province, project["id"], **overrides), 422, "validation_failed"
    )
    assert (
        await db_session.execute(select(func.count()).select_from(LandReserveObligation))
    ).scalar_one() == 0


@pytest.mark.usefixtures("rules")
async def test_reserved_parcel_must_be_in_the_callers_area(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    project = await make_project(client, province)
    missing = await make_obligation(
        client, province, project["id"], reserved_parcel_id="01a22309-cc3b-7618-b6f4-98c17e96d026"
    )
    problem = assert_problem(missing, 404, "parcel_not_found")
    assert problem["errors"][0]["pointer"] == "/body/reserved_parcel_id"


# The timeline: the legal path, and every illegal transition.


async def step(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    ob_id: str,
    etag: str,
    status: str,
    on: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"status": status}
    if on is not None:
        body["on"] = on
    return await client.post(
        f"{OBLIGATIONS}/{ob_id}/transitions", json=body, headers=headers | {"If-Match": etag}
    )


@pytest.mark.usefixtures("rules")
async def test_land_timeline_and_every_illegal_transition(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    ob, etag = await obligation(client, province)
    for i, current in enumerate(LAND_ORDER):
        nxt = LAND_ORDER[i + 1] if i + 1 < len(LAND_ORDER) else None
        for target in ALL_STATUSES:
            if target == nxt:
                continue
            refused = await step(client, province, ob["id"], etag, target)
            assert_problem(refused, 409, f"land_reserve_obligation_is_{current}")
        if nxt is None:
            break
        moved = await step(client, province, ob["id"], etag, nxt, on=f"2026-0{i + 1}-15")
        assert moved.status_code == 200, moved.text
        assert moved.json()["status"] == nxt
        assert moved.json()[f"{nxt}_on"] == f"2026-0{i + 1}-15"
        assert moved.headers["etag"] != etag
        etag = moved.headers["etag"]
    final = (await client.get(f"{OBLIGATIONS}/{ob['id']}", headers=province)).json()
    assert final["status"] == "started"
    assert final["version"] == 5
    types = (await db_session.execute(select(OutboxEvent.type).order_by(OutboxEvent.seq))).scalars().all()
    assert [t for t in types if t.startswith("land_reserve_obligation.")] == [
        "land_reserve_obligation.created",
        *(f"land_reserve_obligation.{s}" for s in LAND_ORDER[1:]),
    ]


@pytest.mark.usefixtures("rules")
async def test_money_timeline_and_every_illegal_transition(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    ob, etag = await obligation(client, province, method="pay_money", land_price_vnd_per_m2=10_000_000)
    for target in ALL_STATUSES:
        if target != "paid":
            assert_problem(
                await step(client, province, ob["id"], etag, target),
                409,
                "land_reserve_obligation_is_awaiting_payment",
            )
    paid = await step(client, province, ob["id"], etag, "paid", on="2026-01-05")
    assert paid.status_code == 200, paid.text
    assert paid.json()["paid_on"] == "2026-01-05"
    for target in ALL_STATUSES:
        assert_problem(
            await step(client, province, ob["id"], paid.headers["etag"], target),
            409,
            "land_reserve_obligation_is_paid",
        )


@pytest.mark.usefixtures("rules")
async def test_stage_dates_and_if_match(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    ob, etag = await obligation(client, province)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    future = await step(client, province, ob["id"], etag, "infrastructure_built", on=tomorrow)
    assert (
        assert_problem(future, 422, "land_reserve_stage_date_invalid")["errors"][0]["code"] == "in_the_future"
    )
    early = await step(client, province, ob["id"], etag, "infrastructure_built", on="2025-10-31")
    assert (
        assert_problem(early, 422, "land_reserve_stage_date_invalid")["errors"][0]["code"]
        == "before_previous_stage"
    )
    url = f"{OBLIGATIONS}/{ob['id']}/transitions"
    body = {"status": "infrastructure_built"}
    assert_problem(await client.post(url, json=body, headers=province), 428, "precondition_required")
    assert_problem(
        await client.post(url, json=body, headers=province | {"If-Match": 'W/"7"'}),
        412,
        "precondition_failed",
    )
    assert_problem(
        await client.post(url, json={"status": "built"}, headers=province | {"If-Match": etag}),
        422,
        "validation_failed",
    )
    today = await step(client, province, ob["id"], etag, "infrastructure_built")
    assert today.json()["infrastructure_built_on"] == local_today().isoformat()


# Overdue: the deadline of the next stage (`due_on`) before the day asked about.


@pytest.mark.usefixtures("rules")
async def test_overdue_obligations_as_of_today_or_a_given_day(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    today = local_today()
    late, late_etag = await obligation(
        client, province, infrastructure_built_due=(today - timedelta(days=1)).isoformat()
    )
    on_time, _ = await obligation(
        client, province, infrastructure_built_due=(today + timedelta(days=10)).isoformat()
    )
    unpaid, _ = await obligation(
        client,
        province,
        method="pay_money",
        land_price_vnd_per_m2=1_000_000,
        payment_due=(today - timedelta(days=30)).isoformat(),
    )
    no_deadline, _ = await obligation(client, province)
    assert late["due_on"] == (today - timedelta(days=1)).isoformat()

    async def ids(**params: Any) -> list[str]:
        response = await client.get(OBLIGATIONS, params=params, headers=province)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["items"]]

    assert await ids(overdue="true") == [unpaid["id"], late["id"]]  # the longest overdue first
    assert await ids(overdue="true", limit=1) == [unpaid["id"]]
    assert await ids(overdue="true", as_of=(today - timedelta(days=20)).isoformat()) == [unpaid["id"]]
    assert await ids(overdue="true", as_of=(today + timedelta(days=11)).isoformat()) == [
        unpaid["id"],
        late["id"],
        on_time["id"],
    ]
    assert await ids(overdue="false") == [on_time["id"], no_deadline["id"]]
    assert await ids(overdue="true", method="pay_money") == [unpaid["id"]]
    # Reaching the stage moves `due_on` to the next stage's deadline (none here): no longer overdue.
    moved = await step(client, province, late["id"], late_etag, "infrastructure_built")
    assert moved.json()["due_on"] is None
    assert await ids(overdue="true") == [unpaid["id"]]
    # A deadline set later brings it back.
    patched = await client.patch(
        f"{OBLIGATIONS}/{late['id']}",
        json={"cleared_due": (today - timedelta(days=2)).isoformat()},
        headers=province | {"If-Match": moved.headers["etag"]},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["due_on"] == (today - timedelta(days=2)).isoformat()
    assert set(await ids(overdue="true")) == {unpaid["id"], late["id"]}
    bad = await client.get(OBLIGATIONS, params={"overdue": "true", "as_of": "yesterday"}, headers=province)
    assert_problem(bad, 422, "validation_failed")


@pytest.mark.usefixtures("rules")
async def test_patch_deadlines_needs_if_match(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    ob, etag = await obligation(client, province)
    url = f"{OBLIGATIONS}/{ob['id']}"
    assert_problem(
        await client.patch(url, json={"cleared_due": "2027-01-01"}, headers=province),
        428,
        "precondition_required",
    )
    assert_problem(
        await client.patch(url, json={"cleared_due": "2027-01-01"}, headers=province | {"If-Match": 'W/"9"'}),
        412,
        "precondition_failed",
    )
    assert_problem(
        await client.patch(url, json={"due_on": "2027-01-01"}, headers=province | {"If-Match": etag}),
        422,
        "validation_failed",
    )


# The contract read by funding-api, and roles and areas on every endpoint.


@pytest.mark.usefixtures("rules")
@pytest.mark.parametrize("role", ["service", "finance_officer", "auditor", "inspector", "commune_officer"])
async def test_get_by_id_contract(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str], role: str
) -> None:
    ob, _ = await obligation(client, province, method="pay_money", land_price_vnd_per_m2=18_500_000)
    area = THUY_NGUYEN if role == "commune_officer" else HAI_PHONG
    response = await client.get(f"{OBLIGATIONS}/{ob['id']}", headers=auth(roles=[role], area_codes=[area]))
    assert response.status_code == 200, response.text
    got = response.json()
    assert {
        k: got[k]
        for k in ("id", "commercial_project_id", "method", "status", "province_code", "commune_code")
    } == {
        "id": ob["id"],
        "commercial_project_id": ob["commercial_project_id"],
        "method": "pay_money",
        "status": "awaiting_payment",
        "province_code": HAI_PHONG,
        "commune_code": THUY_NGUYEN,
    }
    assert got["required_area_m2"] == 2469.13
    assert got["money_due_vnd"] == 245_678_905_001
    assert response.headers["etag"] == 'W/"1"'


@pytest.mark.usefixtures("rules")
async def test_obligation_reads_refused_by_role_and_area(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str]
) -> None:
    ob, _ = await obligation(client, province)
    url = f"{OBLIGATIONS}/{ob['id']}"
    for role in ("partner", "bank_integration", "administrator"):
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(await client.get(url, headers=headers), 403, "forbidden")
        assert_problem(await client.get(OBLIGATIONS, headers=headers), 403, "forbidden")
    for area in (["01"], [HAI_DUONG]):
        other = auth(roles=["service"], area_codes=area)
        assert_problem(await client.get(url, headers=other), 404, "land_reserve_obligation_not_found")
        assert (await client.get(OBLIGATIONS, headers=other)).json()["items"] == []
    unknown = f"{OBLIGATIONS}/01a22309-cc3b-7618-b6f4-98c17e96d026"
    assert_problem(await client.get(unknown, headers=province), 404, "land_reserve_obligation_not_found")


@pytest.mark.usefixtures("rules")
async def test_obligation_writes_refused_by_role_and_area(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str], db_session: AsyncSession
) -> None:
    ob, etag = await obligation(client, province)
    other_project = await make_project(client, province)
    for role in ("inspector", "commune_officer", "finance_officer", "service", "auditor"):
        headers = auth(roles=[role], area_codes=[HAI_PHONG]) | {"If-Match": etag}
        assert_problem(await make_obligation(client, headers, other_project["id"]), 403, "forbidden")
        assert_problem(await step(client, headers, ob["id"], etag, "infrastructure_built"), 403, "forbidden")
        patch = await client.patch(
            f"{OBLIGATIONS}/{ob['id']}", json={"cleared_due": "2027-01-01"}, headers=headers
        )
        assert_problem(patch, 403, "forbidden")
    elsewhere = auth(roles=["province_officer"], area_codes=["01"])
    created = await make_obligation(client, elsewhere, other_project["id"])
    assert (
        assert_problem(created, 404, "commercial_project_not_found")["errors"][0]["pointer"]
        == "/body/commercial_project_id"
    )
    assert_problem(
        await step(client, elsewhere, ob["id"], etag, "infrastructure_built"),
        404,
        "land_reserve_obligation_not_found",
    )
    patch = await client.patch(
        f"{OBLIGATIONS}/{ob['id']}",
        json={"cleared_due": "2027-01-01"},
        headers=elsewhere | {"If-Match": etag},
    )
    assert_problem(patch, 404, "land_reserve_obligation_not_found")
    still = (await client.get(f"{OBLIGATIONS}/{ob['id']}", headers=province)).json()
    assert (still["status"], still["version"], still["cleared_due"]) == ("reserved_in_plan", 1, None)
    assert (
        await db_session.execute(select(func.count()).select_from(LandReserveObligation))
    ).scalar_one() == 1


# Commercial projects.


async def test_record_and_read_a_project(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    project = await make_project(client, province)
    assert project["residential_land_m2"] == 12345.67
    got = await client.get(f"{PROJECTS}/{project['id']}", headers=province)
    assert got.status_code == 200
    listed = await client.get(
        PROJECTS, params={"commune_code": THUY_NGUYEN, "kind": "urban_area"}, headers=province
    )
    assert [p["id"] for p in listed.json()["items"]] == [project["id"]]
    events = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
    assert "commercial_project.recorded" in events


@pytest.mark.parametrize(
    "overrides",
    [
        {"residential_land_m2": 0},
        {"total_land_m2": 100},  # smaller than the residential land
        {"kind": "resort"},
        {"commune_code": None},
        {"technical_infrastructure_cost_vnd": -5},
    ],
)
async def test_bad_project_body_is_a_422(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession, overrides: dict[str, Any]
) -> None:
    assert_problem(
        await client.post(PROJECTS, json=project_body(**overrides), headers=province),
        422,
        "validation_failed",
    )
    assert (await db_session.execute(select(func.count()).select_from(CommercialProject))).scalar_one() == 0


async def test_project_roles_and_areas(
    client: httpx.AsyncClient, auth: Auth, province: dict[str, str]
) -> None:
    project = await make_project(client, province)
    for role in ("inspector", "commune_officer", "finance_officer", "service", "auditor"):
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(await client.post(PROJECTS, json=project_body(), headers=headers), 403, "forbidden")
    for role in ("finance_officer", "service", "partner"):
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(await client.get(PROJECTS, headers=headers), 403, "forbidden")
        assert_problem(await client.get(f"{PROJECTS}/{project['id']}", headers=headers), 403, "forbidden")
    commune = auth(roles=["province_officer"], area_codes=[HAI_DUONG])
    assert_problem(await client.post(PROJECTS, json=project_body(), headers=commune), 403, "area_not_covered")
    assert_problem(
        await client.get(f"{PROJECTS}/{project['id']}", headers=commune), 404, "commercial_project_not_found"
    )
    assert (await client.get(PROJECTS, headers=commune)).json()["items"] == []
    inspector = auth(roles=["inspector"], area_codes=[THUY_NGUYEN])
    assert (await client.get(f"{PROJECTS}/{project['id']}", headers=inspector)).status_code == 200


async def test_project_commune_is_checked_with_registry(client: httpx.AsyncClient, auth: Auth) -> None:
    hanoi_commune = auth(roles=["province_officer"], area_codes=[HAI_PHONG, "00004"])
    response = await client.post(PROJECTS, json=project_body(commune_code="00004"), headers=hanoi_commune)
    problem = assert_problem(response, 422, "commune_not_in_province")
    assert problem["errors"][0]["pointer"] == "/body/commune_code"


@pytest.fixture
async def checked_client(app_with_registry: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_with_registry, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def test_project_refused_while_registry_is_down(
    checked_client: httpx.AsyncClient, registry_stub: Any, province: dict[str, str], db_session: AsyncSession
) -> None:
    registry_stub.down = True
    assert_problem(
        await checked_client.post(PROJECTS, json=project_body(), headers=province),
        503,
        "upstream_unavailable",
    )
    assert (await db_session.execute(select(func.count()).select_from(CommercialProject))).scalar_one() == 0


@pytest.mark.usefixtures("rules")
async def test_update_a_project_and_the_residential_land_lock(
    client: httpx.AsyncClient, province: dict[str, str], auth: Auth, db_session: AsyncSession
) -> None:
    project = await make_project(client, province)
    url = f"{PROJECTS}/{project['id']}"
    renamed = await client.patch(
        url,
        json={"name": "Khu đô thị Bắc sông Cấm", "residential_land_m2": 15000},
        headers=province | {"If-Match": 'W/"1"'},
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["residential_land_m2"]) == (
        "Khu đô thị Bắc sông Cấm",
        15000,
    )
    etag = renamed.headers["etag"]
    smaller_total = await client.patch(
        url, json={"total_land_m2": 14000}, headers=province | {"If-Match": etag}
    )
    assert_problem(smaller_total, 422, "commercial_project_land_invalid")
    assert_problem(
        await client.patch(url, json={"name": None}, headers=province | {"If-Match": etag}),
        422,
        "validation_failed",
    )
    assert_problem(
        await client.patch(url, json={"province_code": "01"}, headers=province | {"If-Match": etag}),
        422,
        "validation_failed",
    )
    created = await make_obligation(client, province, project["id"])
    assert created.json()["required_area_m2"] == 3000
    locked = await client.patch(
        url, json={"residential_land_m2": 16000}, headers=province | {"If-Match": etag}
    )
    assert (
        assert_problem(locked, 409, "residential_land_locked")["errors"][0]["pointer"]
        == "/body/residential_land_m2"
    )
    assert_problem(
        await client.patch(url, json={"name": "x"}, headers=province), 428, "precondition_required"
    )
    assert_problem(
        await client.patch(url, json={"name": "x"}, headers=province | {"If-Match": 'W/"1"'}),
        412,
        "precondition_failed",
    )
    inspector = auth(roles=["inspector"], area_codes=[HAI_PHONG]) | {"If-Match": etag}
    assert_problem(await client.patch(url, json={"name": "x"}, headers=inspector), 403, "forbidden")
    other = auth(roles=["province_officer"], area_codes=["01"]) | {"If-Match": etag}
    assert_problem(
        await client.patch(url, json={"name": "x"}, headers=other), 404, "commercial_project_not_found"
    )
    types = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
    assert types.count("commercial_project.updated") == 1


@pytest.mark.usefixtures("rules")
async def test_rules_are_listed_with_their_dates_and_basis(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.get(
        "/v1/land-reserve-rules", headers=auth(roles=["finance_officer"], area_codes=["31"])
    )
    assert response.status_code == 200, response.text
    rules = {r["code"]: r for r in response.json()["items"]}
    assert rules["D261_2025_RESERVE_20"]["valid_from"] == "2025-10-10"
    assert rules["D261_2025_RESERVE_20"]["infrastructure_cost_rate"] == 0.2
    assert rules["D100_2024_RESERVE_20"]["valid_to"] == "2025-10-09"
    assert "261/2025" in rules["D261_2025_RESERVE_20"]["legal_basis"]
    assert_problem(
        await client.get("/v1/land-reserve-rules", headers=auth(roles=["partner"], area_codes=["31"])),
        403,
        "forbidden",
    )


@pytest.mark.usefixtures("rules")
async def test_money_beyond_the_column_is_a_422_not_a_500(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
) -> None:
    project = await make_project(client, province, residential_land_m2=99_999_999_999, total_land_m2=None)
    response = await make_obligation(
        client, province, project["id"], method="pay_money", land_price_vnd_per_m2=10**16
    )
    assert_problem(response, 422, "land_reserve_money_out_of_range")
    assert (
        await db_session.execute(select(func.count()).select_from(LandReserveObligation))
    ).scalar_one() == 0

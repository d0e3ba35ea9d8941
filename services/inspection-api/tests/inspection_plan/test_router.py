from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import InspectionPlan, OutboxEvent

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
PLAN = {"province_code": "31", "year": 2026, "kind": "construction_check", "title": "Kế hoạch kiểm tra 2026"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


@pytest.fixture
def officer(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=["31"])


async def test_a_yearly_plan_with_items(
    client: httpx.AsyncClient, officer: dict[str, str], db_session: AsyncSession
) -> None:
    plan = await client.post("/v1/inspection-plans", json=PLAN, headers=officer)
    assert plan.status_code == 201, plan.text
    other_kind = await client.post(
        "/v1/inspection-plans", json=PLAN | {"kind": "inspectorate_inspection"}, headers=officer
    )
    assert other_kind.status_code == 201
    assert_problem(
        await client.post("/v1/inspection-plans", json=PLAN, headers=officer), 409, "inspection_plan_exists"
    )
    item = await client.post(
        f"/v1/inspection-plans/{plan.json()['id']}/items",
        json={"subject": "KĐT Bắc sông Cấm", "commune_code": "11560", "planned_month": 3},
        headers=officer,
    )
    assert item.status_code == 201, item.text
    assert (item.json()["province_code"], item.json()["commune_code"]) == ("31", "11560")
    items = await client.get(f"/v1/inspection-plans/{plan.json()['id']}/items", headers=officer)
    assert [i["id"] for i in items.json()["items"]] == [item.json()["id"]]
    listed = await client.get(
        "/v1/inspection-plans", params={"year": 2026, "kind": "construction_check"}, headers=officer
    )
    assert [p["id"] for p in listed.json()["items"]] == [plan.json()["id"]]
    types = [e.type for e in (await db_session.execute(select(OutboxEvent))).scalars()]
    assert types == ["inspection_plan.created", "inspection_plan.created", "inspection_plan.item_added"]


async def test_bad_input_changes_nothing(
    client: httpx.AsyncClient, officer: dict[str, str], db_session: AsyncSession
) -> None:
    response = await client.post(
        "/v1/inspection-plans", json=PLAN | {"year": 1890, "kind": "audit", "extra": 1}, headers=officer
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert {"/body/year", "/body/kind", "/body/extra"} <= {e["pointer"] for e in problem["errors"]}
    plan = await client.post("/v1/inspection-plans", json=PLAN, headers=officer)
    bad_item = await client.post(
        f"/v1/inspection-plans/{plan.json()['id']}/items",
        json={"subject": "x", "planned_month": 13, "commune_code": "1"},
        headers=officer,
    )
    assert_problem(bad_item, 422, "validation_failed")
    elsewhere = await client.post(
        f"/v1/inspection-plans/{plan.json()['id']}/items",
        json={"subject": "x", "commune_code": "00004"},
        headers=officer,
    )
    assert_problem(elsewhere, 422, "commune_not_in_province")
    assert (await db_session.execute(select(func.count()).select_from(InspectionPlan))).scalar_one() == 1


async def test_roles_and_areas(client: httpx.AsyncClient, officer: dict[str, str], auth: Auth) -> None:
    plan = await client.post("/v1/inspection-plans", json=PLAN, headers=officer)
    plan_id = plan.json()["id"]
    reads = [
        "/v1/inspection-plans",
        f"/v1/inspection-plans/{plan_id}",
        f"/v1/inspection-plans/{plan_id}/items",
    ]
    for role in ("inspector", "auditor"):
        headers = auth(roles=[role], area_codes=["31"])
        for url in reads:
            assert (await client.get(url, headers=headers)).status_code == 200
    for role in ("inspector", "auditor", "commune_officer"):
        headers = auth(roles=[role], area_codes=["31", "11560"])
        assert_problem(
            await client.post("/v1/inspection-plans", json=PLAN | {"year": 2027}, headers=headers),
            403,
            "forbidden",
        )
        assert_problem(
            await client.post(
                f"/v1/inspection-plans/{plan_id}/items", json={"subject": "x"}, headers=headers
            ),
            403,
            "forbidden",
        )
    commune = auth(roles=["commune_officer"], area_codes=["11560"])
    assert_problem(await client.get(reads[0], headers=commune), 403, "forbidden")
    ha_noi = auth(roles=["province_officer"], area_codes=["01"])
    assert_problem(await client.get(reads[1], headers=ha_noi), 404, "inspection_plan_not_found")
    assert_problem(await client.get(reads[2], headers=ha_noi), 404, "inspection_plan_not_found")
    assert (await client.get(reads[0], headers=ha_noi)).json()["items"] == []
    assert_problem(
        await client.post(f"/v1/inspection-plans/{plan_id}/items", json={"subject": "x"}, headers=ha_noi),
        404,
        "inspection_plan_not_found",
    )
    assert_problem(
        await client.post("/v1/inspection-plans", json=PLAN, headers=ha_noi), 403, "area_not_covered"
    )
    # Covering one commune is not covering the province a plan belongs to.
    commune_officer_as_planner = auth(roles=["province_officer"], area_codes=["11560"])
    assert_problem(
        await client.post(
            "/v1/inspection-plans", json=PLAN | {"year": 2030}, headers=commune_officer_as_planner
        ),
        403,
        "area_not_covered",
    )

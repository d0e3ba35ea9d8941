from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import ChecklistTemplate, ChecklistTemplateVersion

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
ITEMS = [
    {
        "key": "land_fund.reserved_in_plan",
        "text": "Quỹ đất 20% có trong quy hoạch",
        "legal_basis": "LNO 2023 Đ83",
    },
    {"key": "land_fund.infrastructure_built", "text": "Đã có hạ tầng kỹ thuật"},
]


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


@pytest.fixture
def officer(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=["31"])


async def template(
    client: httpx.AsyncClient, officer: dict[str, str], code: str = "land-fund"
) -> dict[str, Any]:
    response = await client.post(
        "/v1/checklist-templates",
        json={"code": code, "kind": "construction_check", "title": "Kiểm tra quỹ đất 20%"},
        headers=officer,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_versions_are_numbered_and_editable_until_used(
    client: httpx.AsyncClient, officer: dict[str, str], auth: Auth
) -> None:
    tpl = await template(client, officer)
    v1 = await client.post(
        f"/v1/checklist-templates/{tpl['id']}/versions", json={"items": ITEMS}, headers=officer
    )
    v2 = await client.post(
        f"/v1/checklist-templates/{tpl['id']}/versions", json={"items": ITEMS[:1]}, headers=officer
    )
    assert (v1.json()["number"], v2.json()["number"]) == (1, 2)
    url = f"/v1/checklist-template-versions/{v1.json()['id']}"
    edited = await client.put(
        url, json={"items": ITEMS[::-1]}, headers=officer | {"If-Match": v1.headers["ETag"]}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["items"][0]["key"] == "land_fund.infrastructure_built"
    assert_problem(
        await client.put(url, json={"items": ITEMS}, headers=officer | {"If-Match": v1.headers["ETag"]}),
        412,
        "precondition_failed",
    )
    listed = await client.get(f"/v1/checklist-templates/{tpl['id']}/versions", headers=officer)
    assert [v["number"] for v in listed.json()["items"]] == [1, 2]

    # A case starts with version 1: from then on it is frozen.
    inspector = auth(roles=["inspector"], area_codes=["31"], subject="inspector-an")
    case = await client.post(
        "/v1/inspection-cases",
        json={"kind": "construction_check", "title": "x", "subject": "x", "province_code": "31"},
        headers=officer,
    )
    case = await client.post(
        f"/v1/inspection-cases/{case.json()['id']}/assign",
        json={"inspector_subject": "inspector-an"},
        headers=officer | {"If-Match": case.headers["ETag"]},
    )
    started = await client.post(
        f"/v1/inspection-cases/{case.json()['id']}/start",
        json={"checklist_version_id": v1.json()["id"]},
        headers=inspector | {"If-Match": case.headers["ETag"]},
    )
    assert started.status_code == 200, started.text
    assert started.json()["checklist_version_id"] == v1.json()["id"]
    frozen = await client.get(url, headers=officer)
    assert frozen.json()["first_used_at"] is not None
    refused = await client.put(
        url, json={"items": ITEMS}, headers=officer | {"If-Match": frozen.headers["ETag"]}
    )
    assert_problem(refused, 409, "checklist_template_version_in_use")
    assert (await client.get(url, headers=officer)).json()["items"] == frozen.json()["items"]


async def test_a_checklist_of_the_other_kind_is_refused(
    client: httpx.AsyncClient, officer: dict[str, str], auth: Auth
) -> None:
    tpl = await client.post(
        "/v1/checklist-templates",
        json={"code": "sales", "kind": "inspectorate_inspection", "title": "Thanh tra bán NOXH"},
        headers=officer,
    )
    version = await client.post(
        f"/v1/checklist-templates/{tpl.json()['id']}/versions", json={"items": ITEMS}, headers=officer
    )
    case = await client.post(
        "/v1/inspection-cases",
        json={"kind": "construction_check", "title": "x", "subject": "x", "province_code": "31"},
        headers=officer,
    )
    case = await client.post(
        f"/v1/inspection-cases/{case.json()['id']}/assign",
        json={"inspector_subject": "inspector-an"},
        headers=officer | {"If-Match": case.headers["ETag"]},
    )
    inspector = auth(roles=["inspector"], area_codes=["31"], subject="inspector-an")
    response = await client.post(
        f"/v1/inspection-cases/{case.json()['id']}/start",
        json={"checklist_version_id": version.json()["id"]},
        headers=inspector | {"If-Match": case.headers["ETag"]},
    )
    assert_problem(response, 422, "checklist_kind_mismatch")
    assert (
        await client.get(f"/v1/checklist-template-versions/{version.json()['id']}", headers=officer)
    ).json()["first_used_at"] is None


async def test_bad_input_changes_nothing(
    client: httpx.AsyncClient, officer: dict[str, str], db_session: AsyncSession
) -> None:
    tpl = await template(client, officer)
    assert_problem(
        await client.post(
            "/v1/checklist-templates",
            json={"code": "land-fund", "kind": "construction_check", "title": "again"},
            headers=officer,
        ),
        409,
        "checklist_template_code_taken",
    )
    duplicated = await client.post(
        f"/v1/checklist-templates/{tpl['id']}/versions", json={"items": [ITEMS[0], ITEMS[0]]}, headers=officer
    )
    problem = assert_problem(duplicated, 422, "checklist_keys_duplicated")
    assert problem["errors"][0]["pointer"] == "/body/items/1/key"
    for body in ({"items": []}, {"items": [{"key": "Bad Key", "text": "x"}]}, {"items": ITEMS, "x": 1}):
        response = await client.post(
            f"/v1/checklist-templates/{tpl['id']}/versions", json=body, headers=officer
        )
        assert_problem(response, 422, "validation_failed")
    count = select(func.count()).select_from(ChecklistTemplateVersion)
    assert (await db_session.execute(count)).scalar_one() == 0
    assert (await db_session.execute(select(func.count()).select_from(ChecklistTemplate))).scalar_one() == 1


async def test_roles(client: httpx.AsyncClient, officer: dict[str, str], auth: Auth) -> None:
    tpl = await template(client, officer)
    version = await client.post(
        f"/v1/checklist-templates/{tpl['id']}/versions", json={"items": ITEMS}, headers=officer
    )
    readers = [
        auth(roles=["inspector"], area_codes=["31"]),
        auth(roles=["auditor"], area_codes=["31"]),
        auth(roles=["commune_officer"], area_codes=["11560"]),
    ]
    reads = [
        "/v1/checklist-templates",
        f"/v1/checklist-templates/{tpl['id']}",
        f"/v1/checklist-templates/{tpl['id']}/versions",
        f"/v1/checklist-template-versions/{version.json()['id']}",
    ]
    for headers in readers:
        for url in reads:
            assert (await client.get(url, headers=headers)).status_code == 200, url
        writes = [
            client.post(
                "/v1/checklist-templates",
                json={"code": "x", "kind": "construction_check", "title": "x"},
                headers=headers,
            ),
            client.post(
                f"/v1/checklist-templates/{tpl['id']}/versions", json={"items": ITEMS}, headers=headers
            ),
            client.put(
                f"/v1/checklist-template-versions/{version.json()['id']}",
                json={"items": ITEMS},
                headers=headers | {"If-Match": version.headers["ETag"]},
            ),
        ]
        for write in writes:
            assert_problem(await write, 403, "forbidden")
    partner = auth(roles=["partner"], area_codes=["31"])
    for url in reads:
        assert_problem(await client.get(url, headers=partner), 403, "forbidden")
    assert_problem(
        await client.get(
            "/v1/checklist-template-versions/0190f000-0000-7000-8000-000000000000", headers=officer
        ),
        404,
        "checklist_template_version_not_found",
    )

"""Shared test flows for the reports and the integrity signals: a published project, an eligible
application, its allocation, a contract and a resale, all through the API."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from registry_people_testing import HAI_PHONG, PHUONG_THUY_NGUYEN, People, person_body

from registry_api.person.service import local_today


async def act(client: httpx.AsyncClient, url: str, headers: dict[str, str], **body: Any) -> httpx.Response:
    etag = (await client.get(url.rsplit("/", 1)[0], headers=headers)).headers["etag"]
    return await client.post(url, json=body, headers=headers | {"If-Match": etag})


async def published_project(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    kind: str = "sale",
    commune: str = PHUONG_THUY_NGUYEN,
    name: str | None = None,
) -> str:
    """A project started 1/9/2024 whose sale is published, taking applications 1/10/2024-31/12/2027."""
    body = {
        "name": name or f"Nhà ở xã hội {uuid.uuid4().hex[:6]}",
        "investor": "Công ty CP Đầu tư Bạch Đằng",
        "address": "Đường Đà Nẵng",
        "province_code": HAI_PHONG,
        "commune_code": commune,
        "kind": kind,
        "land_area_m2": 12_000,
        "planned_units": [{"unit_kind": "apartment", "floor_area_band": "45_to_60", "units": 300}],
    }
    r = await client.post("/v1/housing-projects", json=body, headers=headers)
    assert r.status_code == 201, r.text
    pid = str(r.json()["id"])
    url = f"/v1/housing-projects/{pid}"
    for milestone, on in (("approved", "2024-06-01"), ("started", "2024-09-01")):
        r = await act(client, f"{url}/milestones", headers, milestone=milestone, on=on)
        assert r.status_code == 200, r.text
    etag = (await client.get(url, headers=headers)).headers["etag"]
    sale = {
        "published_on": "2024-09-20",
        "published_where": "Cổng thông tin điện tử Sở Xây dựng Hải Phòng",
        "opens_on": "2024-10-01",
        "closes_on": "2027-12-31",
    }
    r = await client.put(f"{url}/sale-publication", json=sale, headers=headers | {"If-Match": etag})
    assert r.status_code == 200, r.text
    return pid


async def application(
    client: httpx.AsyncClient,
    people: People,
    headers: dict[str, str],
    project_id: str,
    *,
    tenure: str = "buy",
    submitted_on: str | None = "2025-10-20",
    assess: bool = True,
    head: dict[str, Any] | None = None,
    commune: str = PHUONG_THUY_NGUYEN,
    income: int = 18_000_000,
    applicant_id: str | None = None,
    spouse_id: str | None = None,
) -> dict[str, Any]:
    """An application (of a new household's head unless `applicant_id`), submitted and assessed."""
    if applicant_id is None:
        household = await people.household(commune, head=head or person_body())
        detail = (await client.get(f"/v1/households/{household['id']}", headers=headers)).json()
        applicant_id = str(detail["members"][0]["id"])
    body = {
        "project_id": project_id,
        "tenure": tenure,
        "applicant_person_id": applicant_id,
        "beneficiary_group": 5,
        "marital_status": "married" if spouse_id else "single",
        "spouse_person_id": spouse_id,
        "monthly_income_vnd": income,
        "owns_house_in_province": False,
    }
    r = await client.post("/v1/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    app_id = str(r.json()["id"])
    for form in ("01a", "02"):
        evidence = {
            "person_id": applicant_id,
            "form": form,
            "form_version": "TT05/2024 sửa đổi TT32/2025",
            "issuer": "UBND phường",
            "issued_on": "2025-09-01",
        }
        r = await client.post(f"/v1/applications/{app_id}/evidence", json=evidence, headers=headers)
        assert r.status_code == 201, r.text
    steps: list[tuple[str, dict[str, Any]]] = []
    if submitted_on is not None:
        steps.append(("submit", {"on": submitted_on}))
        if assess:
            steps.append(("assess", {}))
    for action, extra in steps:
        r = await act(client, f"/v1/applications/{app_id}/{action}", headers, **extra)
        assert r.status_code == 200, r.text
    app: dict[str, Any] = (await client.get(f"/v1/applications/{app_id}", headers=headers)).json()
    return app


async def contract(
    client: httpx.AsyncClient,
    people: People,
    headers: dict[str, str],
    project_id: str,
    *,
    number: str | None = None,
    price: int = 1_150_000_000,
    **kw: Any,
) -> dict[str, Any]:
    """An eligible application of the project, allocated, and its contract signed today."""
    app = await application(client, people, headers, project_id, **kw)
    assert app["status"] == "eligible", app
    r = await act(client, f"/v1/applications/{app['id']}/allocate", headers)
    assert r.status_code == 200, r.text
    payload = {
        "application_id": app["id"],
        "contract_number": number or f"{uuid.uuid4().hex[:6]}/2026/HĐMB-NOXH",
        "signed_on": local_today().isoformat(),
        "unit_ref": "Tòa A, căn 1204",
        "price_vnd": price,
    }
    r = await client.post("/v1/housing-contracts", json=payload, headers=headers)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body | {"applicant_person_id": app["applicant_person_id"]}


async def resell(
    client: httpx.AsyncClient, headers: dict[str, str], contract_id: str, **body: Any
) -> dict[str, Any]:
    payload = {
        "sold_on": local_today().isoformat(),
        "buyer_kind": "investor",
        "price_vnd": 1_000_000_000,
    } | body
    r = await act(client, f"/v1/housing-contracts/{contract_id}/resales", headers, **payload)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result

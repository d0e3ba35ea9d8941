"""GET /v1/integrity-signals: each kind on both sides, keys, evidence without personal data, areas,
roles, kinds and cursors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from registry_housing_flows import act, application, contract, published_project, resell
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    person_body,
    pointers,
)
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import HousingContract
from registry_api.person.service import local_today

Officer = Callable[..., dict[str, str]]
URL = "/v1/integrity-signals"


async def signals(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str | None = None
) -> list[dict[str, Any]]:
    params = {"kind": kind, "limit": 100} if kind else {"limit": 100}
    r = await client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def no_personal_data(item: dict[str, Any], *names: str) -> None:
    text = str(item["evidence"])
    assert all(name not in text for name in names)
    assert not any(len(word) == 12 and word.isdigit() for word in text.replace("'", " ").split())


async def support_case(
    client: httpx.AsyncClient, headers: dict[str, str], household_id: str, kind: str = "repair"
) -> str:
    r = await client.post(
        "/v1/support-cases",
        json={"household_id": household_id, "stream": "campaign", "kind": kind, "proposed_on": "2025-09-01"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def household_of(client: httpx.AsyncClient, headers: dict[str, str], person_id: str) -> str:
    return str((await client.get(f"/v1/persons/{person_id}", headers=headers)).json()["household_id"])


# ------------------------------------------------------------------ supported_twice


async def test_a_household_with_a_support_case_and_a_contract_is_supported_twice(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    pid = await published_project(client, province)
    signed = await contract(client, people, province, pid, head=person_body("Đỗ Văn Hải", 1979))
    household = await household_of(client, province, signed["applicant_person_id"])
    case_id = await support_case(client, province, household)
    [item] = await signals(client, province, "supported_twice")
    assert item["key"] == f"supported_twice:household:{household}"
    assert (item["household_id"], item["person_id"], item["province_code"], item["commune_code"]) == (
        household,
        None,
        HAI_PHONG,
        PHUONG_THUY_NGUYEN,
    )
    assert item["evidence"]["scope"] == "household"
    assert [(s["source"], s["ref"]) for s in item["evidence"]["supports"]] == [
        ("support_case", case_id),
        ("contract", signed["id"]),
    ]
    assert set(item["evidence"]["rule_codes"]) == {"NEVER_SUPPORTED_HL2023", "NEVER_BOUGHT_HL2023"}
    no_personal_data(item, "Đỗ Văn Hải")


async def test_one_support_or_a_rent_contract_is_not_supported_twice(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    sale = await published_project(client, province)
    await contract(client, people, province, sale)  # one support only
    rent = await published_project(client, province, kind="rent")
    renter = await contract(client, people, province, rent, tenure="rent")
    await support_case(client, province, await household_of(client, province, renter["applicant_person_id"]))
    assert await signals(client, province, "supported_twice") == []


async def test_a_person_supported_in_two_households_is_supported_twice(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    """A wife on her husband's contract moves to another household, which then gets a support case."""
    first = await people.household()
    detail = (await client.get(f"/v1/households/{first['id']}", headers=province)).json()
    head, wife = str(detail["members"][0]["id"]), str(detail["members"][1]["id"])
    pid = await published_project(client, province)
    signed = await contract(client, people, province, pid, applicant_id=head, spouse_id=wife)
    second = await people.household(PHUONG_HAI_DUONG)
    moved = await act(
        client,
        f"/v1/persons/{wife}/move",
        province,
        household_id=second["id"],
        relationship="other",
        moved_on=local_today().isoformat(),
    )
    assert moved.status_code == 200, moved.text
    case_id = await support_case(client, province, second["id"])
    [item] = await signals(client, province, "supported_twice")
    assert item["key"] == f"supported_twice:{wife}"
    assert (item["person_id"], item["household_id"], item["commune_code"]) == (
        wife,
        second["id"],
        PHUONG_HAI_DUONG,
    )
    assert [s["ref"] for s in item["evidence"]["supports"]] == [case_id, signed["id"]]


# ------------------------------------------------------------------ ineligible_application


async def test_an_application_whose_latest_confirmation_fails_is_flagged(
    client: httpx.AsyncClient, people: People, province: dict[str, str], auth: Callable[..., dict[str, str]]
) -> None:
    number = "031085012345"
    pid = await published_project(client, province)
    app = await application(
        client, people, province, pid, head=person_body("Vũ Văn Khánh", 1985, citizen_id=number)
    )
    assert app["status"] == "eligible"
    bank = auth(roles=["bank_integration"], area_codes=[HAI_PHONG])

    async def confirm() -> dict[str, Any]:
        r = await client.post(
            "/v1/eligibility-confirmations",
            json={"citizen_id": number, "purpose": "loan"},
            headers=bank | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code in (200, 201), r.text
        body: dict[str, Any] = r.json()
        return body

    assert (await confirm())["eligible"] is True
    assert await signals(client, province, "ineligible_application") == []
    # A support recorded meanwhile: today's confirmation fails the never-supported rule.
    await support_case(client, province, await household_of(client, province, app["applicant_person_id"]))
    failed = await confirm()
    assert failed["eligible"] is False
    [item] = await signals(client, province, "ineligible_application")
    assert item["key"] == f"ineligible_application:{app['id']}"
    assert (item["application_id"], item["project_id"], item["person_id"]) == (
        app["id"],
        pid,
        app["applicant_person_id"],
    )
    evidence = item["evidence"]
    assert (evidence["evaluation"], evidence["confirmation_id"], evidence["status"]) == (
        "confirmation",
        failed["confirmation_id"],
        "eligible",
    )
    assert evidence["failed_rules"] == ["NEVER_SUPPORTED_HL2023"]
    no_personal_data(item, "Vũ Văn Khánh")
    # Withdrawn: no longer flagged.
    r = await act(client, f"/v1/applications/{app['id']}/withdraw", province, reason="Rút hồ sơ")
    assert r.status_code == 200, r.text
    assert await signals(client, province, "ineligible_application") == []


async def test_an_ineligible_application_is_not_flagged(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    pid = await published_project(client, province)
    app = await application(client, people, province, pid, income=90_000_000)
    assert app["status"] == "ineligible"
    assert await signals(client, province, "ineligible_application") == []


# ------------------------------------------------------------------ resale_within_lock


async def test_a_resale_inside_the_lock_is_flagged_whatever_the_buyer(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    pid = await published_project(client, province)
    signed = await contract(client, people, province, pid)
    resold = await resell(client, province, signed["id"], buyer_kind="investor")
    resale = resold["resales"][0]
    [item] = await signals(client, province, "resale_within_lock")
    assert item["key"] == f"resale_within_lock:{resale['id']}"
    assert (item["contract_id"], item["project_id"], item["application_id"], item["person_id"]) == (
        signed["id"],
        pid,
        signed["application_id"],
        signed["applicant_person_id"],
    )
    evidence = item["evidence"]
    assert (
        evidence["buyer_kind"],
        evidence["within_lock"],
        evidence["rule_code"],
        evidence["lock_years"],
    ) == (
        "investor",
        True,
        "RESALE_LOCK_HL2023_ART89",
        5,
    )


async def test_a_resale_after_the_lock_is_not_flagged(
    client: httpx.AsyncClient, people: People, province: dict[str, str], db_session: AsyncSession
) -> None:
    pid = await published_project(client, province)
    signed = await contract(client, people, province, pid)
    await db_session.execute(
        HousingContract.__table__.update()
        .where(HousingContract.id == uuid.UUID(signed["id"]))
        .values(signed_on=date(2016, 1, 10), fully_paid_on=date(2018, 1, 10))
    )
    await resell(
        client, province, signed["id"], sold_on="2025-01-10", buyer_kind="market", price_vnd=2_000_000_000
    )
    assert await signals(client, province, "resale_within_lock") == []


# ------------------------------------------------------------------ multiple_open_applications


async def test_a_person_on_open_applications_at_two_projects_is_flagged(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    household = await people.household()
    detail = (await client.get(f"/v1/households/{household['id']}", headers=province)).json()
    head, wife = str(detail["members"][0]["id"]), str(detail["members"][1]["id"])
    a = await published_project(client, province)
    b = await published_project(client, province)
    first = await application(
        client, people, province, a, applicant_id=head, spouse_id=wife, submitted_on=None
    )
    second = await application(
        client, people, province, b, applicant_id=wife, submitted_on="2025-11-02", assess=False
    )
    items = await signals(client, province, "multiple_open_applications")
    assert [i["key"] for i in items] == [f"multiple_open_applications:{wife}"]
    assert {(x["application_id"], x["project_id"]) for x in items[0]["evidence"]["applications"]} == {
        (first["id"], a),
        (second["id"], b),
    }
    assert items[0]["evidence"]["rule_codes"] == ["ONE_PROJECT_D54_2026"]
    # Withdrawing one ends the finding.
    r = await act(client, f"/v1/applications/{first['id']}/withdraw", province, reason="Rút hồ sơ")
    assert r.status_code == 200, r.text
    assert await signals(client, province, "multiple_open_applications") == []


async def test_two_open_applications_at_one_project_are_not_flagged(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    household = await people.household()
    detail = (await client.get(f"/v1/households/{household['id']}", headers=province)).json()
    head, wife = str(detail["members"][0]["id"]), str(detail["members"][1]["id"])
    a = await published_project(client, province)
    await application(client, people, province, a, applicant_id=head, spouse_id=wife, submitted_on=None)
    await application(client, people, province, a, applicant_id=wife, submitted_on=None)
    assert await signals(client, province, "multiple_open_applications") == []


# ------------------------------------------------------------------ paging, areas, roles, bad input


@pytest.fixture
async def several(client: httpx.AsyncClient, people: People, province: dict[str, str]) -> list[str]:
    """Three resales inside the lock: two of Thuỷ Nguyên households, one of a Hải Dương household."""
    pid = await published_project(client, province)
    keys = []
    for commune in (PHUONG_THUY_NGUYEN, PHUONG_THUY_NGUYEN, PHUONG_HAI_DUONG):
        signed = await contract(client, people, province, pid, commune=commune)
        resold = await resell(client, province, signed["id"])
        keys.append(f"resale_within_lock:{resold['resales'][0]['id']}")
    return keys


async def test_pages_follow_the_key_order(
    client: httpx.AsyncClient, auth: Callable[..., dict[str, str]], several: list[str]
) -> None:
    inspector = auth(roles=["inspector"], area_codes=[HAI_PHONG])
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        body = (await client.get(URL, params=params, headers=inspector)).json()
        seen += [i["key"] for i in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(several)
    service = auth(roles=["service"], area_codes=[HAI_PHONG])
    assert len(await signals(client, service)) == 3


async def test_area_filters_the_signals(
    client: httpx.AsyncClient, officer: Officer, several: list[str]
) -> None:
    auditor = officer(PHUONG_HAI_DUONG, role="auditor")
    assert [i["commune_code"] for i in await signals(client, auditor)] == [PHUONG_HAI_DUONG]
    assert await signals(client, officer("79", role="province_officer")) == []


@pytest.mark.parametrize("role", ["commune_officer", "finance_officer", "partner", "bank_integration"])
async def test_other_roles_are_refused(client: httpx.AsyncClient, officer: Officer, role: str) -> None:
    assert_problem(await client.get(URL, headers=officer(HAI_PHONG, role=role)), 403, "forbidden")


@pytest.mark.parametrize(
    ("params", "status", "code", "pointer"),
    [
        ({"kind": "double_dipping"}, 422, "validation_failed", "/query/kind"),
        ({"limit": 0}, 422, "validation_failed", "/query/limit"),
        ({"cursor": "not-a-cursor"}, 400, "invalid_cursor", "/query/cursor"),
    ],
)
async def test_bad_queries_are_problems(
    client: httpx.AsyncClient,
    province: dict[str, str],
    params: dict[str, Any],
    status: int,
    code: str,
    pointer: str,
) -> None:
    problem = assert_problem(await client.get(URL, params=params, headers=province), status, code)
    assert pointers(problem) == [pointer]

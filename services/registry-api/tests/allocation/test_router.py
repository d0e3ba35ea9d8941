"""Allocation rounds through the API: quota and lottery on real applications, replay from the seed,
roles, areas, If-Match and problems."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    HA_NOI,
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    person_body,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.draw import Candidate, draw
from registry_api.models import AuditRecord, HousingContract, OutboxEvent, SupportHistory
from registry_api.person.service import local_today

Officer = Callable[..., dict[str, str]]
URL = "/v1/allocation-rounds"
SEED = "XSMB giải đặc biệt 20/04/2026: 48213"


async def project(
    client: httpx.AsyncClient, headers: dict[str, str], commune: str = PHUONG_THUY_NGUYEN
) -> str:
    body = {
        "name": f"Nhà ở xã hội {uuid.uuid4().hex[:6]}",
        "investor": "Công ty CP Đầu tư Bạch Đằng",
        "address": "Đường Đà Nẵng",
        "province_code": HAI_PHONG,
        "commune_code": commune,
        "kind": "sale",
        "land_area_m2": 12_000,
        "planned_units": [{"unit_kind": "apartment", "floor_area_band": "45_to_60", "units": 300}],
    }
    response = await client.post("/v1/housing-projects", json=body, headers=headers)
    assert response.status_code == 201, response.text
    pid = str(response.json()["id"])
    await publish(client, headers, pid)
    return pid


async def publish(client: httpx.AsyncClient, headers: dict[str, str], pid: str) -> None:
    """Approved 1/6/2024, started 1/9/2024, sale published 20/9/2024 for 1/10/2024 - 31/12/2027."""
    url = f"/v1/housing-projects/{pid}"
    for milestone, on in (("approved", "2024-06-01"), ("started", "2024-09-01")):
        etag = (await client.get(url, headers=headers)).headers["etag"]
        r = await client.post(
            f"{url}/milestones", json={"milestone": milestone, "on": on}, headers=headers | {"If-Match": etag}
        )
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


async def act(client: httpx.AsyncClient, url: str, headers: dict[str, str], **body: Any) -> httpx.Response:
    etag = (await client.get(url.rsplit("/", 1)[0], headers=headers)).headers["etag"]
    return await client.post(url, json=body, headers=headers | {"If-Match": etag})


async def eligible_app(
    client: httpx.AsyncClient,
    people: People,
    headers: dict[str, str],
    project_id: str,
    submitted_on: str,
    *,
    head: dict[str, Any] | None = None,
    merit: bool = False,
    commune: str = PHUONG_THUY_NGUYEN,
    facts: dict[str, Any] | None = None,
    proofs: tuple[str, ...] = (),
) -> str:
    household = await people.household(commune, head=head or person_body())
    detail = (await client.get(f"/v1/households/{household['id']}", headers=headers)).json()
    head_id = detail["members"][0]["id"]
    if merit:
        category = {
            "kind": "merit",
            "person_id": head_id,
            "merit_type": "war_invalid",
            "certificate_number": "125/QĐ-LĐTBXH",
            "certificate_date": "2015-07-27",
            "issuer": "Sở Lao động - Thương binh và Xã hội Hải Phòng",
            "valid_from": "2015-07-27",
        }
        r = await client.post(f"/v1/households/{household['id']}/categories", json=category, headers=headers)
        assert r.status_code == 201, r.text
    body = {
        "project_id": project_id,
        "tenure": "buy",
        "applicant_person_id": head_id,
        "beneficiary_group": 5,
        "marital_status": "single",
        "monthly_income_vnd": 18_000_000,
        "owns_house_in_province": False,
    } | (facts or {})
    r = await client.post("/v1/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    app_id = str(r.json()["id"])
    for form in ("01a", "02", *proofs):
        evidence = {
            "person_id": head_id,
            "form": form,
            "form_version": "TT05/2024 sửa đổi TT32/2025",
            "issuer": "UBND phường",
            "issued_on": "2025-09-01",
        }
        r = await client.post(f"/v1/applications/{app_id}/evidence", json=evidence, headers=headers)
        assert r.status_code == 201, r.text
    for action, extra in (("submit", {"on": submitted_on}), ("assess", {})):
        r = await act(client, f"/v1/applications/{app_id}/{action}", headers, **extra)
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "eligible", r.json()
    return app_id


async def open_round(
    client: httpx.AsyncClient, headers: dict[str, str], project_id: str, units: int = 3
) -> httpx.Response:
    body = {"project_id": project_id, "tenure": "buy", "units": units, "published_seed": SEED}
    return await client.post(URL, json=body, headers=headers)


@pytest.fixture
async def drawn(client: httpx.AsyncClient, people: People, province: dict[str, str]) -> dict[str, Any]:
    """5 eligible dossiers for 3 units: a merit holder (11/10) and a woman (12/10) have priorities."""
    pid = await project(client, province)
    apps = {
        "plain_1": await eligible_app(client, people, province, pid, "2025-10-10"),
        "merit": await eligible_app(client, people, province, pid, "2025-10-11", merit=True),
        "woman": await eligible_app(
            client, people, province, pid, "2025-10-12", head=person_body("Lê Thị Mai", 1988, "female")
        ),
        "plain_2": await eligible_app(client, people, province, pid, "2025-10-13", commune=PHUONG_HAI_DUONG),
        "plain_3": await eligible_app(client, people, province, pid, "2025-10-14"),
    }
    opened = await open_round(client, province, pid)
    assert opened.status_code == 201, opened.text
    round_ = opened.json()
    assert round_["status"] == "open"
    assert round_["seed_sha256"] == hashlib.sha256(SEED.encode()).hexdigest()
    assert round_["result"] is None
    response = await act(client, f"{URL}/{round_['id']}/draw", province)
    assert response.status_code == 200, response.text
    return {"project_id": pid, "apps": apps, "round": response.json()}


async def test_draw_gives_the_quota_to_priority_then_the_lottery(
    client: httpx.AsyncClient, province: dict[str, str], drawn: dict[str, Any]
) -> None:
    round_, apps = drawn["round"], drawn["apps"]
    # quota = 3 units x 2 priority dossiers / 5 dossiers = 1.2 -> 1
    assert (round_["dossiers"], round_["priority_dossiers"], round_["priority_quota"]) == (5, 2, 1)
    result = round_["result"]
    assert result[0]["application_id"] == apps["merit"]  # submitted before the woman
    assert (result[0]["via"], result[0]["priority"]) == ("priority", "merit")
    assert [e["via"] for e in result[1:]] == ["lottery"] * 4
    assert next(e for e in result if e["application_id"] == apps["woman"])["priority"] == "women"
    winners = {e["application_id"] for e in result if e["won"]}
    assert len(winners) == 3
    for app_id in apps.values():
        status = (await client.get(f"/v1/applications/{app_id}", headers=province)).json()["status"]
        assert status == ("allocated" if app_id in winners else "eligible")


async def test_replaying_the_stored_round_from_its_seed_gives_the_same_draw(drawn: dict[str, Any]) -> None:
    round_ = drawn["round"]
    # Rebuild the candidates from the published result alone (priority flags and ids), then redraw.
    candidates = [
        Candidate(
            uuid.UUID(e["application_id"]),
            date(2025, 10, 1 + e["place"]),  # only the priority dossiers' order by time matters here
            e["priority"],
            None if e["priority"] is None else 1,
        )
        for e in round_["result"]
    ]
    quota, result = draw(candidates, round_["units"], round_["seed_sha256"])
    assert quota == round_["priority_quota"]
    assert [(e["application_id"], e["via"], e["lottery_key"], e["won"]) for e in result] == [
        (e["application_id"], e["via"], e["lottery_key"], e["won"]) for e in round_["result"]
    ]


async def test_draw_is_audited_and_announced_without_personal_data(
    db_session: AsyncSession, drawn: dict[str, Any]
) -> None:
    rid = uuid.UUID(drawn["round"]["id"])
    audit = (
        await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == str(rid)))
    ).scalars()
    assert {a.action for a in audit} >= {"create", "update"}
    events = (
        await db_session.execute(select(OutboxEvent).where(OutboxEvent.type.like("allocation_round.%")))
    ).scalars()
    by_type = {e.type: e.data for e in events}
    assert set(by_type) == {"allocation_round.opened", "allocation_round.drawn"}
    assert by_type["allocation_round.drawn"]["winners"] == 3
    assert "result" not in by_type["allocation_round.drawn"]


async def test_a_drawn_round_is_final_and_a_second_open_round_is_refused(
    client: httpx.AsyncClient, province: dict[str, str], drawn: dict[str, Any]
) -> None:
    rid = drawn["round"]["id"]
    assert_problem(await act(client, f"{URL}/{rid}/draw", province), 409, "allocation_round_already_drawn")
    # After a draw a new round may be opened for the rest; a second open one is refused.
    assert (await open_round(client, province, drawn["project_id"])).status_code == 201
    assert_problem(
        await open_round(client, province, drawn["project_id"]), 409, "allocation_round_open_exists"
    )


async def test_draw_needs_if_match_and_eligible_dossiers(
    client: httpx.AsyncClient, province: dict[str, str]
) -> None:
    pid = await project(client, province)
    rid = (await open_round(client, province, pid)).json()["id"]
    assert_problem(
        await client.post(f"{URL}/{rid}/draw", json={}, headers=province), 428, "precondition_required"
    )
    stale = province | {"If-Match": 'W/"99"'}
    assert_problem(await client.post(f"{URL}/{rid}/draw", json={}, headers=stale), 412, "precondition_failed")
    future = await act(client, f"{URL}/{rid}/draw", province, on="2999-01-01")
    assert pointers(assert_problem(future, 422, "draw_date_invalid")) == ["/body/on"]
    assert_problem(
        await act(client, f"{URL}/{rid}/draw", province), 409, "allocation_no_eligible_applications"
    )
    assert (await client.get(f"{URL}/{rid}", headers=province)).json()["status"] == "open"


async def test_bad_bodies_are_422_with_pointers(client: httpx.AsyncClient, province: dict[str, str]) -> None:
    pid = await project(client, province)
    body = {"project_id": pid, "tenure": "sell", "units": 0, "published_seed": "x", "extra": 1}
    problem = assert_problem(await client.post(URL, json=body, headers=province), 422, "validation_failed")
    assert set(pointers(problem)) == {"/body/tenure", "/body/units", "/body/published_seed", "/body/extra"}
    missing = await open_round(client, province, str(uuid.uuid4()))
    assert_problem(missing, 404, "housing_project_not_found")


async def test_commune_officers_and_auditors_read_only_their_area(
    client: httpx.AsyncClient, officer: Officer, drawn: dict[str, Any]
) -> None:
    rid = drawn["round"]["id"]
    for headers in (officer(PHUONG_THUY_NGUYEN), officer(HAI_PHONG, role="auditor")):
        assert (await client.get(f"{URL}/{rid}", headers=headers)).status_code == 200
        assert [r["id"] for r in (await client.get(URL, headers=headers)).json()["items"]] == [rid]
    # Another commune (even guessing the id) and another province: not there.
    for headers in (
        officer(PHUONG_HAI_DUONG),
        officer(HA_NOI, role="auditor"),
        officer(HA_NOI, role="province_officer"),
    ):
        assert_problem(await client.get(f"{URL}/{rid}", headers=headers), 404, "allocation_round_not_found")
        assert (await client.get(URL, headers=headers)).json()["items"] == []
    ha_noi = officer(HA_NOI, role="province_officer")
    assert_problem(await open_round(client, ha_noi, drawn["project_id"]), 404, "housing_project_not_found")
    assert_problem(
        await act(client, f"{URL}/{rid}/draw", officer(HAI_PHONG, role="province_officer")),
        409,
        "allocation_round_already_drawn",
    )
    guessed = await client.post(f"{URL}/{rid}/draw", json={}, headers=ha_noi | {"If-Match": 'W/"2"'})
    assert_problem(guessed, 404, "allocation_round_not_found")


@pytest.mark.parametrize(
    "role",
    [
        "commune_officer",
        "auditor",
        "inspector",
        "finance_officer",
        "partner",
        "bank_integration",
        "administrator",
        "service",
    ],
)
async def test_only_province_officers_open_and_draw(
    client: httpx.AsyncClient, officer: Officer, province: dict[str, str], role: str
) -> None:
    pid = await project(client, province)
    rid = (await open_round(client, province, pid)).json()["id"]
    headers = officer(HAI_PHONG, PHUONG_THUY_NGUYEN, role=role)
    assert_problem(await open_round(client, headers, pid), 403, "forbidden")
    draw_response = await client.post(f"{URL}/{rid}/draw", json={}, headers=headers | {"If-Match": 'W/"1"'})
    assert_problem(draw_response, 403, "forbidden")


@pytest.mark.parametrize(
    "role", ["inspector", "finance_officer", "partner", "bank_integration", "administrator", "service"]
)
async def test_other_roles_cannot_read_rounds(client: httpx.AsyncClient, officer: Officer, role: str) -> None:
    headers = officer(HAI_PHONG, role=role)
    assert_problem(await client.get(URL, headers=headers), 403, "forbidden")
    assert_problem(await client.get(f"{URL}/{uuid.uuid4()}", headers=headers), 403, "forbidden")


async def test_priority_order_rule_is_dated_with_its_legal_basis(
    client: httpx.AsyncClient, officer: Officer
) -> None:
    rules = (await client.get("/v1/allocation-rules", headers=officer(HA_NOI, role="partner"))).json()[
        "items"
    ]
    rule = next(r for r in rules if r["code"] == "PRIORITY_HL2023_ART79")
    assert rule["params"]["order"] == ["merit", "martyr_relative", "disabled", "resettled", "women"]
    assert "Điều 79" in rule["legal_basis"]
    assert rule["valid_from"] == "2024-08-01"


CONTRACTS = "/v1/housing-contracts"


async def allocated_app(
    client: httpx.AsyncClient, people: People, province: dict[str, str], **kw: Any
) -> str:
    pid = await project(client, province)
    app_id = await eligible_app(client, people, province, pid, "2025-10-10", **kw)
    r = await act(client, f"/v1/applications/{app_id}/allocate", province)
    assert r.status_code == 200, r.text
    return app_id


async def sign(
    client: httpx.AsyncClient, province: dict[str, str], app_id: str, **body: Any
) -> httpx.Response:
    payload = {
        "application_id": app_id,
        "contract_number": "45/2026/HĐMB-NOXH",
        "signed_on": local_today().isoformat(),
        "unit_ref": "Tòa A, căn 1204",
        "price_vnd": 1_150_000_000,
    } | body
    return await client.post(CONTRACTS, json=payload, headers=province)


async def resell(
    client: httpx.AsyncClient, province: dict[str, str], cid: str, **body: Any
) -> httpx.Response:
    payload = {"sold_on": "2025-03-15", "buyer_kind": "market", "price_vnd": 2_000_000_000} | body
    return await act(client, f"{CONTRACTS}/{cid}/resales", province, **payload)


async def backdate(session: AsyncSession, cid: str, fully_paid_on: date | None) -> None:
    """A contract signed in 2019 (recorded before the platform), paid off on `fully_paid_on`."""
    await session.execute(
        HousingContract.__table__.update()
        .where(HousingContract.id == uuid.UUID(cid))
        .values(signed_on=date(2019, 1, 10), fully_paid_on=fully_paid_on)
    )


@pytest.fixture
async def contract(client: httpx.AsyncClient, people: People, province: dict[str, str]) -> dict[str, Any]:
    app_id = await allocated_app(client, people, province)
    response = await sign(client, province, app_id)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    assert (body["kind"], body["status"], body["fully_paid_on"], body["resales"]) == (
        "sale",
        "active",
        None,
        [],
    )
    return body


@pytest.mark.parametrize(("sold_on", "allowed"), [("2025-03-14", False), ("2025-03-15", True)])
async def test_market_resale_on_both_sides_of_the_five_year_lock(
    client: httpx.AsyncClient,
    province: dict[str, str],
    db_session: AsyncSession,
    contract: dict[str, Any],
    sold_on: str,
    allowed: bool,
) -> None:
    await backdate(db_session, contract["id"], date(2020, 3, 15))
    response = await resell(client, province, contract["id"], sold_on=sold_on)
    if not allowed:
        assert_problem(response, 409, "resale_within_lock")
        after = (await client.get(f"{CONTRACTS}/{contract['id']}", headers=province)).json()
        assert (after["status"], after["resales"]) == ("active", [])
        return
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "resold"
    [resale] = body["resales"]
    assert (resale["within_lock"], resale["lock_ends_on"], resale["buyer_kind"]) == (
        False,
        "2025-03-15",
        "market",
    )
    assert_problem(await resell(client, province, contract["id"]), 409, "contract_not_resellable")


async def test_within_the_lock_only_allowed_buyers_at_no_more_than_the_price(
    client: httpx.AsyncClient, people: People, province: dict[str, str], contract: dict[str, Any]
) -> None:
    # Not paid off yet: the lock has not even started.
    assert_problem(
        await resell(client, province, contract["id"], sold_on=local_today().isoformat()),
        409,
        "resale_within_lock",
    )
    buyer_project = await project(client, province)
    buyer_app = await eligible_app(client, people, province, buyer_project, "2025-10-20")
    buyer = (await client.get(f"/v1/applications/{buyer_app}", headers=province)).json()[
        "applicant_person_id"
    ]
    today = local_today().isoformat()
    over = await resell(
        client,
        province,
        contract["id"],
        sold_on=today,
        buyer_kind="eligible_person",
        buyer_person_id=buyer,
        price_vnd=1_150_000_001,
    )
    assert_problem(over, 409, "resale_within_lock")
    no_person = await resell(
        client, province, contract["id"], sold_on=today, buyer_kind="eligible_person", price_vnd=1
    )
    assert pointers(assert_problem(no_person, 422, "resale_invalid")) == ["/body/buyer_person_id"]
    ok = await resell(
        client,
        province,
        contract["id"],
        sold_on=today,
        buyer_kind="eligible_person",
        buyer_person_id=buyer,
        price_vnd=1_150_000_000,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["resales"][0]["within_lock"] is True


async def test_full_payment_starts_the_lock(
    client: httpx.AsyncClient, province: dict[str, str], contract: dict[str, Any]
) -> None:
    url = f"{CONTRACTS}/{contract['id']}/full-payment"
    assert_problem(
        await client.post(url, json={"on": "2026-01-01"}, headers=province), 428, "precondition_required"
    )
    bad = await act(client, url, province, on="2999-01-01")
    assert pointers(assert_problem(bad, 422, "housing_contract_invalid")) == ["/body/on"]
    today = local_today().isoformat()
    paid = await act(client, url, province, on=today)
    assert paid.status_code == 200, paid.text
    assert paid.json()["fully_paid_on"] == today
    response = await resell(client, province, contract["id"], sold_on=today)
    assert response.json()["code"] == "resale_within_lock"


async def test_contracts_only_for_allocated_applications_once(
    client: httpx.AsyncClient, people: People, province: dict[str, str], contract: dict[str, Any]
) -> None:
    assert_problem(await sign(client, province, contract["application_id"]), 409, "housing_contract_exists")
    pid = await project(client, province)
    eligible = await eligible_app(client, people, province, pid, "2025-10-10")
    assert_problem(await sign(client, province, eligible), 409, "application_not_allocated")
    other = await allocated_app(client, people, province)
    early = await sign(client, province, other, contract_number="46/2026", signed_on="2020-01-01")
    assert pointers(assert_problem(early, 422, "housing_contract_invalid")) == ["/body/signed_on"]
    body = await sign(client, province, other, price_vnd=0, extra=1)
    assert set(pointers(assert_problem(body, 422, "validation_failed"))) == {"/body/price_vnd", "/body/extra"}


async def test_contracts_are_read_within_the_area(
    client: httpx.AsyncClient, officer: Officer, contract: dict[str, Any]
) -> None:
    cid = contract["id"]
    for headers in (officer(PHUONG_THUY_NGUYEN), officer(HAI_PHONG, role="auditor")):
        assert (await client.get(f"{CONTRACTS}/{cid}", headers=headers)).status_code == 200
        assert [c["id"] for c in (await client.get(CONTRACTS, headers=headers)).json()["items"]] == [cid]
    for headers in (officer(PHUONG_HAI_DUONG), officer(HA_NOI, role="province_officer")):
        assert_problem(
            await client.get(f"{CONTRACTS}/{cid}", headers=headers), 404, "housing_contract_not_found"
        )
        assert (await client.get(CONTRACTS, headers=headers)).json()["items"] == []
    ha_noi = officer(HA_NOI, role="province_officer")
    guessed = await client.post(
        f"{CONTRACTS}/{cid}/resales",
        json={"sold_on": "2025-03-15", "buyer_kind": "market", "price_vnd": 1},
        headers=ha_noi | {"If-Match": 'W/"1"'},
    )
    assert_problem(guessed, 404, "housing_contract_not_found")
    assert_problem(await sign(client, ha_noi, contract["application_id"]), 404, "application_not_found")


@pytest.mark.parametrize(
    "role",
    [
        "commune_officer",
        "auditor",
        "inspector",
        "finance_officer",
        "partner",
        "bank_integration",
        "administrator",
        "service",
    ],
)
async def test_only_province_officers_record_contracts_and_resales(
    client: httpx.AsyncClient, officer: Officer, contract: dict[str, Any], role: str
) -> None:
    headers = officer(HAI_PHONG, PHUONG_THUY_NGUYEN, role=role)
    assert_problem(await sign(client, headers, contract["application_id"]), 403, "forbidden")
    cid, match = contract["id"], {"If-Match": 'W/"1"'}
    for action, body in (
        ("full-payment", {"on": "2026-01-01"}),
        ("resales", {"sold_on": "2025-03-15", "buyer_kind": "market", "price_vnd": 1}),
    ):
        assert_problem(
            await client.post(f"{CONTRACTS}/{cid}/{action}", json=body, headers=headers | match),
            403,
            "forbidden",
        )
    if role in ("inspector", "finance_officer", "partner", "bank_integration", "administrator", "service"):
        assert_problem(await client.get(CONTRACTS, headers=headers), 403, "forbidden")
        assert_problem(await client.get(f"{CONTRACTS}/{cid}", headers=headers), 403, "forbidden")


# ------------------------------------------------------------------ contracts and resales in the history


async def history(client: httpx.AsyncClient, headers: dict[str, str], person_id: str) -> list[dict[str, Any]]:
    r = await client.get(f"/v1/persons/{person_id}/support-history", headers=headers)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def applicant_of(client: httpx.AsyncClient, headers: dict[str, str], app_id: str) -> str:
    return str(
        (await client.get(f"/v1/applications/{app_id}", headers=headers)).json()["applicant_person_id"]
    )


async def second_application(
    client: httpx.AsyncClient, headers: dict[str, str], person_id: str, *, tenure: str = "buy"
) -> dict[str, Any]:
    """A new buy application of the person at a fresh project, and its eligibility trace by rule kind."""
    pid = await project(client, headers)
    body = {
        "project_id": pid,
        "tenure": tenure,
        "applicant_person_id": person_id,
        "beneficiary_group": 5,
        "marital_status": "single",
        "monthly_income_vnd": 15_000_000,
        "owns_house_in_province": False,
    }
    r = await client.post("/v1/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    trace = (await client.get(f"/v1/applications/{r.json()['id']}/eligibility", headers=headers)).json()
    return {e["kind"]: e for e in trace["trace"]}


async def test_a_signed_contract_is_in_the_support_history_and_counts_as_bought(
    client: httpx.AsyncClient, province: dict[str, str], contract: dict[str, Any]
) -> None:
    applicant = await applicant_of(client, province, contract["application_id"])
    [row] = await history(client, province, applicant)
    assert (row["source"], row["contract_id"], row["support_case_id"], row["resale_event_id"]) == (
        "contract",
        contract["id"],
        None,
        None,
    )
    assert (row["stream"], row["kind"], row["outcome"], row["amount_vnd"]) == (
        "social_housing",
        "sale",
        "contracted",
        1_150_000_000,
    )
    household = (await client.get(f"/v1/persons/{applicant}", headers=province)).json()["household_id"]
    listed = (await client.get(f"/v1/households/{household}/support-history", headers=province)).json()
    assert [i["id"] for i in listed["items"]] == [row["id"]]
    # The application of the contract is withdrawn from the allocation count: the contract is read.
    trace = await second_application(client, province, applicant)
    assert (trace["never_bought"]["outcome"], trace["never_bought"]["reason"]) == (
        "fail",
        "social_housing_already_bought",
    )
    assert trace["never_bought"]["evidence_ids"] == [contract["id"]]
    # A contract is not a "housing support" for the never-supported rule (sources: support cases).
    assert trace["never_supported"]["outcome"] == "pass"


async def test_a_resale_ends_the_sellers_row_and_records_the_buyer(
    client: httpx.AsyncClient,
    people: People,
    province: dict[str, str],
    db_session: AsyncSession,
    contract: dict[str, Any],
) -> None:
    await backdate(db_session, contract["id"], date(2019, 3, 1))
    buyer_app = await eligible_app(client, people, province, await project(client, province), "2025-10-20")
    buyer = await applicant_of(client, province, buyer_app)
    sold = await resell(
        client,
        province,
        contract["id"],
        sold_on="2025-06-01",
        buyer_kind="eligible_person",
        buyer_person_id=buyer,
    )
    assert sold.status_code == 201, sold.text
    resale_id = sold.json()["resales"][0]["id"]
    seller = await applicant_of(client, province, contract["application_id"])
    [seller_row] = await history(client, province, seller)
    assert (seller_row["outcome"], seller_row["ended_on"]) == ("resold", "2025-06-01")
    [buyer_row] = await history(client, province, buyer)
    assert (buyer_row["source"], buyer_row["resale_event_id"], buyer_row["kind"], buyer_row["outcome"]) == (
        "resale",
        resale_id,
        "resale_purchase",
        "contracted",
    )
    assert (buyer_row["person_ids"], buyer_row["proposed_on"]) == ([buyer], "2025-06-01")
    # The seller still "bought" social housing once; the buyer too, through the resale.
    for person, ref in ((seller, contract["id"]), (buyer, resale_id)):
        await client.post(
            f"/v1/applications/{buyer_app}/withdraw",
            json={"reason": "Đã mua lại căn hộ"},
            headers=province
            | {
                "If-Match": (await client.get(f"/v1/applications/{buyer_app}", headers=province)).headers[
                    "etag"
                ]
            },
        )
        trace = await second_application(client, province, person)
        assert trace["never_bought"]["outcome"] == "fail"
        assert ref in trace["never_bought"]["evidence_ids"]


async def test_a_market_resale_writes_no_buyer_row(
    client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession, contract: dict[str, Any]
) -> None:
    await backdate(db_session, contract["id"], date(2019, 3, 1))
    assert (await resell(client, province, contract["id"], sold_on="2025-06-01")).status_code == 201
    rows = (await db_session.execute(select(SupportHistory).where(SupportHistory.source == "resale"))).all()
    assert rows == []


async def test_a_history_row_names_exactly_one_source(
    db_session: AsyncSession, contract: dict[str, Any]
) -> None:
    row_id = (
        await db_session.execute(
            select(SupportHistory.id).where(SupportHistory.contract_id == uuid.UUID(contract["id"]))
        )
    ).scalar_one()
    table = SupportHistory.__table__
    for values, check in (({"contract_id": None}, "one_reference"), ({"source": "resale"}, "source_matches")):
        with pytest.raises(IntegrityError, match=check):
            async with db_session.begin_nested():
                await db_session.execute(table.update().where(table.c.id == row_id).values(**values))


# ------------------------------------------------------------------ priority facts: disabled, resettled


async def test_disabled_and_resettled_count_in_the_quota_only_with_their_evidence(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    """6 dossiers for 4 units: disabled (proven), resettled (proven), disabled (claimed, no certificate),
    and 3 plain. Priority dossiers 2, quota = 4 x 2 // 6 = 1: the earliest priority dossier by time."""
    pid = await project(client, province)
    apps = {
        "plain_1": await eligible_app(client, people, province, pid, "2025-10-10"),
        "resettled": await eligible_app(
            client,
            people,
            province,
            pid,
            "2025-10-11",
            facts={"resettled": True},
            proofs=("resettlement_decision",),
        ),
        "disabled": await eligible_app(
            client,
            people,
            province,
            pid,
            "2025-10-12",
            facts={"applicant_disabled": True},
            proofs=("disability_certificate",),
        ),
        "claimed": await eligible_app(
            client, people, province, pid, "2025-10-10", facts={"applicant_disabled": True}
        ),
        "plain_2": await eligible_app(client, people, province, pid, "2025-10-13"),
        "plain_3": await eligible_app(client, people, province, pid, "2025-10-14"),
    }
    detail = (await client.get(f"/v1/applications/{apps['disabled']}", headers=province)).json()
    assert (detail["applicant_disabled"], detail["resettled"]) == (True, False)
    opened = await open_round(client, province, pid, units=4)
    drawn = await act(client, f"{URL}/{opened.json()['id']}/draw", province)
    assert drawn.status_code == 200, drawn.text
    round_ = drawn.json()
    assert (round_["dossiers"], round_["priority_dossiers"], round_["priority_quota"]) == (6, 2, 1)
    by_app = {e["application_id"]: e for e in round_["result"]}
    assert (by_app[apps["resettled"]]["via"], by_app[apps["resettled"]]["priority"]) == (
        "priority",
        "resettled",
    )
    assert by_app[apps["resettled"]]["place"] == 1
    assert (by_app[apps["disabled"]]["via"], by_app[apps["disabled"]]["priority"]) == ("lottery", "disabled")
    assert by_app[apps["claimed"]]["priority"] is None


async def test_the_single_highest_priority_is_kept(
    client: httpx.AsyncClient, people: People, province: dict[str, str]
) -> None:
    """A merit holder who is also disabled and resettled, and a disabled woman: merit and disabled."""
    pid = await project(client, province)
    both = await eligible_app(
        client,
        people,
        province,
        pid,
        "2025-10-12",
        merit=True,
        facts={"applicant_disabled": True, "resettled": True},
        proofs=("disability_certificate", "resettlement_decision"),
    )
    woman = await eligible_app(
        client,
        people,
        province,
        pid,
        "2025-10-11",
        head=person_body("Phạm Thị Hoa", 1990, "female"),
        facts={"applicant_disabled": True},
        proofs=("disability_certificate",),
    )
    plain = await eligible_app(client, people, province, pid, "2025-10-10")
    opened = await open_round(client, province, pid, units=3)
    round_ = (await act(client, f"{URL}/{opened.json()['id']}/draw", province)).json()
    # 3 units x 2 priority / 3 dossiers = 2: both priority dossiers by time, then the lottery.
    assert (round_["priority_dossiers"], round_["priority_quota"]) == (2, 2)
    assert [(e["application_id"], e["priority"], e["via"]) for e in round_["result"]] == [
        (woman, "disabled", "priority"),
        (both, "merit", "priority"),
        (plain, None, "lottery"),
    ]


async def test_the_migration_backfill_writes_the_same_history_rows(
    client: httpx.AsyncClient,
    people: People,
    province: dict[str, str],
    db_session: AsyncSession,
    contract: dict[str, Any],
) -> None:
    """Rows for contracts and resales recorded before revision d0a1b2c3d401 are written by its SQL."""
    from importlib.util import module_from_spec, spec_from_file_location
    from pathlib import Path

    from sqlalchemy import delete, text

    buyer_app = await eligible_app(client, people, province, await project(client, province), "2025-10-20")
    buyer = await applicant_of(client, province, buyer_app)
    sold = await resell(
        client,
        province,
        contract["id"],
        sold_on=contract["signed_on"],
        buyer_kind="eligible_person",
        buyer_person_id=buyer,
        price_vnd=1_150_000_000,
    )
    assert sold.status_code == 201, sold.text
    columns = (
        SupportHistory.household_id,
        SupportHistory.source,
        SupportHistory.contract_id,
        SupportHistory.resale_event_id,
        SupportHistory.person_ids,
        SupportHistory.kind,
        SupportHistory.amount_vnd,
        SupportHistory.proposed_on,
        SupportHistory.ended_on,
        SupportHistory.outcome,
        SupportHistory.province_code,
        SupportHistory.commune_code,
    )
    written = sorted(map(tuple, (await db_session.execute(select(*columns))).all()), key=str)
    assert len(written) == 2
    await db_session.execute(delete(SupportHistory))
    path = next(
        (Path(__file__).parents[2] / "migrations" / "versions").glob("*_resale_history_priority_*.py")
    )
    spec = spec_from_file_location("migration_d0a1b2c3d401", path)
    assert spec is not None
    assert spec.loader is not None
    module = module_from_spec(spec)
    spec.loader.exec_module(module)
    await db_session.execute(text(module.BACKFILL_CONTRACTS))
    await db_session.execute(text(module.BACKFILL_RESALES))
    assert sorted(map(tuple, (await db_session.execute(select(*columns))).all()), key=str) == written

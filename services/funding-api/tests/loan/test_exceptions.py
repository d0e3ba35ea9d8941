"""The loan exception queue and the mirror's reads: who may read, who may work, If-Match, areas."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from funding_loan_testing import (
    EXCEPTIONS,
    HA_NOI,
    HAI_PHONG,
    INELIGIBLE,
    UNKNOWN,
    Auth,
    assert_problem,
    event,
    post,
)
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.models import LoanException

CONTRACT_FIELDS = {
    "id",
    "loan_id",
    "reason",
    "status",
    "province_code",
    "commune_code",
    "created_at",
    "evidence",
}


@pytest.fixture
async def queue(loan_client: httpx.AsyncClient, bank: dict[str, str]) -> dict[str, Any]:
    """Three open exceptions: an unknown borrower, an ineligible one, a cap exceeded."""
    unknown = await post(loan_client, bank, event("Q-U", 1, "application_received", citizen_id=UNKNOWN))
    await post(loan_client, bank, event("Q-I", 1, "application_received", citizen_id=INELIGIBLE))
    await post(loan_client, bank, event("Q-C", 1, "approved", amount=900_000_000))
    return unknown


async def first(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = await client.get(EXCEPTIONS, headers=headers, params=params)
    assert response.status_code == 200, response.text
    item: dict[str, Any] = response.json()["items"][0]
    return item


async def test_the_queue_lists_as_the_contract_says_with_filters_and_pages(
    loan_client: httpx.AsyncClient, finance: dict[str, str], queue: dict[str, Any]
) -> None:
    response = await loan_client.get(EXCEPTIONS, headers=finance, params={"limit": 2})
    page = response.json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    assert set(page["items"][0]) >= CONTRACT_FIELDS
    rest = await loan_client.get(
        EXCEPTIONS, headers=finance, params={"limit": 2, "cursor": page["next_cursor"]}
    )
    assert (len(rest.json()["items"]), rest.json()["next_cursor"]) == (1, None)
    unknown = await loan_client.get(EXCEPTIONS, headers=finance, params={"reason": "unknown_borrower"})
    assert [i["loan_id"] for i in unknown.json()["items"]] == [queue["loan_id"]]
    closed = await loan_client.get(EXCEPTIONS, headers=finance, params={"status": "resolved"})
    assert closed.json()["items"] == []


@pytest.mark.parametrize("role", ["finance_officer", "auditor", "inspector", "service"])
async def test_readers_read_the_queue(
    loan_client: httpx.AsyncClient, auth: Auth, role: str, queue: dict[str, Any]
) -> None:
    headers = auth(roles=[role], area_codes=[HAI_PHONG])
    item = await first(loan_client, headers)
    response = await loan_client.get(f"{EXCEPTIONS}/{item['id']}", headers=headers)
    assert response.status_code == 200
    assert response.headers["ETag"] == 'W/"1"'


@pytest.mark.parametrize(
    ("roles", "codes"),
    [
        (["bank_integration"], [HAI_PHONG]),
        (["commune_officer"], ["10525"]),
        (["province_officer"], [HAI_PHONG]),
    ],
)
async def test_the_bank_and_officers_outside_finance_cannot_read_the_queue_nor_the_mirror(
    loan_client: httpx.AsyncClient,
    auth: Auth,
    finance: dict[str, str],
    queue: dict[str, Any],
    roles: list[str],
    codes: list[str],
) -> None:
    headers = auth(roles=roles, area_codes=codes)
    item = await first(loan_client, finance)
    for path in (EXCEPTIONS, f"{EXCEPTIONS}/{item['id']}", "/v1/loans", f"/v1/loans/{queue['loan_id']}",
                 f"/v1/loans/{queue['loan_id']}/events"):  # fmt: skip
        assert_problem(await loan_client.get(path, headers=headers), 403, "forbidden")


async def test_another_area_sees_nothing_and_gets_404_by_id(
    loan_client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], queue: dict[str, Any]
) -> None:
    ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
    item = await first(loan_client, finance)
    assert (await loan_client.get(EXCEPTIONS, headers=ha_noi)).json()["items"] == []
    assert (await loan_client.get("/v1/loans", headers=ha_noi)).json()["items"] == []
    assert_problem(
        await loan_client.get(f"{EXCEPTIONS}/{item['id']}", headers=ha_noi), 404, "loan_exception_not_found"
    )
    assert_problem(
        await loan_client.get(f"/v1/loans/{queue['loan_id']}", headers=ha_noi), 404, "loan_not_found"
    )
    close = await loan_client.post(
        f"{EXCEPTIONS}/{item['id']}/resolve",
        json={"reason": "checked"},
        headers={**ha_noi, "If-Match": 'W/"1"'},
    )
    assert_problem(close, 404, "loan_exception_not_found")


async def test_a_finance_officer_resolves_and_dismisses_with_a_reason_and_if_match(
    loan_client: httpx.AsyncClient, finance: dict[str, str], queue: dict[str, Any], db_session: AsyncSession
) -> None:
    item = await first(loan_client, finance, reason="cap_exceeded")
    url = f"{EXCEPTIONS}/{item['id']}/resolve"
    body = {"reason": "The bank corrected the approval to 800M."}
    assert_problem(await loan_client.post(url, json=body, headers=finance), 428, "precondition_required")
    assert_problem(
        await loan_client.post(url, json=body, headers={**finance, "If-Match": 'W/"7"'}),
        412,
        "precondition_failed",
    )
    done = await loan_client.post(url, json=body, headers={**finance, "If-Match": 'W/"1"'})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved"
    assert done.json()["resolution_note"] == body["reason"]
    assert done.headers["ETag"] == 'W/"2"'
    again = await loan_client.post(
        f"{EXCEPTIONS}/{item['id']}/dismiss", json=body, headers={**finance, "If-Match": 'W/"2"'}
    )
    assert_problem(again, 409, "loan_exception_closed")
    other = await first(loan_client, finance, reason="ineligible_borrower")
    dismissed = await loan_client.post(
        f"{EXCEPTIONS}/{other['id']}/dismiss",
        json={"reason": "Registry record was late; now eligible."},
        headers={**finance, "If-Match": 'W/"1"'},
    )
    assert dismissed.json()["status"] == "dismissed"
    types = (await db_session.execute(text("SELECT type FROM outbox_event"))).scalars().all()
    assert {"loan_exception.raised", "loan_exception.resolved", "loan_exception.dismissed"} <= set(types)
    audited = (
        await db_session.execute(
            text("SELECT count(*) FROM audit_record WHERE resource_type = 'loan_exception'")
        )
    ).scalar_one()
    assert audited >= 5


@pytest.mark.parametrize("roles", [["auditor"], ["inspector"], ["bank_integration"], ["commune_officer"]])
async def test_only_finance_officers_work_the_queue(
    loan_client: httpx.AsyncClient,
    auth: Auth,
    finance: dict[str, str],
    queue: dict[str, Any],
    roles: list[str],
) -> None:
    item = await first(loan_client, finance)
    headers = {**auth(roles=roles, area_codes=[HAI_PHONG, "10525"]), "If-Match": 'W/"1"'}
    for action in ("resolve", "dismiss"):
        response = await loan_client.post(
            f"{EXCEPTIONS}/{item['id']}/{action}", json={"reason": "ok!"}, headers=headers
        )
        assert_problem(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("body", "params"),
    [({"reason": ""}, None), ({"reason": "x" * 2001}, None), ({}, None), ({"reason": "ok", "x": 1}, None)],
)
async def test_bad_closes_are_422_and_change_nothing(
    loan_client: httpx.AsyncClient,
    finance: dict[str, str],
    queue: dict[str, Any],
    db_session: AsyncSession,
    body: dict[str, Any],
    params: None,
) -> None:
    item = await first(loan_client, finance)
    response = await loan_client.post(
        f"{EXCEPTIONS}/{item['id']}/resolve", json=body, headers={**finance, "If-Match": 'W/"1"'}
    )
    assert_problem(response, 422, "validation_failed")
    row = (await db_session.execute(select(LoanException).where(LoanException.id == item["id"]))).scalar_one()
    assert row.status == "open"


async def test_bad_list_parameters_are_problems(
    loan_client: httpx.AsyncClient, finance: dict[str, str], queue: dict[str, Any]
) -> None:
    assert_problem(
        await loan_client.get(EXCEPTIONS, headers=finance, params={"reason": "nope"}),
        422,
        "validation_failed",
    )
    assert_problem(
        await loan_client.get(EXCEPTIONS, headers=finance, params={"status": "done"}),
        422,
        "validation_failed",
    )
    assert_problem(
        await loan_client.get(EXCEPTIONS, headers=finance, params={"limit": 0}), 422, "validation_failed"
    )
    assert_problem(
        await loan_client.get(EXCEPTIONS, headers=finance, params={"cursor": "garbage"}),
        400,
        "invalid_cursor",
    )
    assert_problem(
        await loan_client.get(f"{EXCEPTIONS}/not-a-uuid", headers=finance), 422, "validation_failed"
    )
    assert_problem(
        await loan_client.get("/v1/loans", headers=finance, params={"status": "x"}), 422, "validation_failed"
    )


async def test_bad_ids_and_pages_on_the_other_reads_are_problems(
    loan_client: httpx.AsyncClient, finance: dict[str, str], queue: dict[str, Any]
) -> None:
    for path in (
        "/v1/loans/not-a-uuid",
        "/v1/loans/not-a-uuid/events",
        "/v1/loan-reconciliations/not-a-uuid",
    ):
        assert_problem(await loan_client.get(path, headers=finance), 422, "validation_failed")
    events = f"/v1/loans/{queue['loan_id']}/events"
    assert_problem(
        await loan_client.get(events, headers=finance, params={"cursor": "x"}), 400, "invalid_cursor"
    )
    for path in ("/v1/loans", "/v1/loan-rates", "/v1/loan-caps", "/v1/loan-reconciliations"):
        assert_problem(
            await loan_client.get(path, headers=finance, params={"limit": 101}), 422, "validation_failed"
        )
    missing = "/v1/loans/01900000-0000-7000-8000-000000000000"
    assert_problem(await loan_client.get(missing, headers=finance), 404, "loan_not_found")
    assert_problem(await loan_client.get(f"{missing}/events", headers=finance), 404, "loan_not_found")

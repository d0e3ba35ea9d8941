"""POST /v1/loan-events: storing, deriving, checking, refusing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from funding_loan_testing import (
    ELIGIBLE,
    ELIGIBLE_2,
    EVENTS,
    EXCEPTIONS,
    HA_NOI,
    HAI_PHONG,
    INELIGIBLE,
    UNKNOWN,
    Auth,
    assert_problem,
    event,
    keyed,
    post,
)
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.loan.pii import CITIZEN_ID_CONTEXT, CITIZEN_ID_PURPOSE
from funding_api.models import Job, Loan, LoanEvent, LoanException
from servicekit.pii import PiiCipher


async def loan_of(client: httpx.AsyncClient, finance: dict[str, str], loan_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/loans/{loan_id}", headers=finance)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def exceptions(
    client: httpx.AsyncClient, finance: dict[str, str], **params: str
) -> list[dict[str, Any]]:
    response = await client.get(EXCEPTIONS, headers=finance, params=params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_an_event_is_stored_with_the_citizen_id_encrypted_and_the_borrower_confirmed(
    loan_client: httpx.AsyncClient,
    bank: dict[str, str],
    finance: dict[str, str],
    db_session: AsyncSession,
    cipher: PiiCipher,
) -> None:
    receipt = await post(loan_client, bank, event("L-1", 1, "application_received"))
    assert receipt["applied"] is True
    assert receipt["eligibility_status"] == "confirmed"
    loan = await loan_of(loan_client, finance, receipt["loan_id"])
    assert loan["status"] == "applied"
    assert loan["borrower_citizen_id_masked"] == "*********" + ELIGIBLE[-3:]
    assert ELIGIBLE not in str(loan)
    row = (await db_session.execute(select(Loan).where(Loan.bank_loan_ref == "L-1"))).scalar_one()
    # The same blind index registry-api computes (purpose "citizen_id", the shared key).
    assert row.borrower_citizen_bidx == cipher.blind_index(ELIGIBLE, purpose=CITIZEN_ID_PURPOSE)
    assert ELIGIBLE.encode() not in row.borrower_citizen_id_ct
    assert cipher.decrypt(row.borrower_citizen_id_ct, context=CITIZEN_ID_CONTEXT) == ELIGIBLE
    # Neither the audit trail nor the outbox holds the number in clear.
    for statement in (
        "SELECT string_agg(t::text, '|') FROM audit_record t",
        "SELECT string_agg(t::text, '|') FROM outbox_event t",
    ):
        dump = (await db_session.execute(text(statement))).scalar_one()
        assert dump
        assert ELIGIBLE not in dump
    audit = (
        await db_session.execute(
            text("SELECT after::text FROM audit_record WHERE resource_type = 'loan' ORDER BY id LIMIT 1")
        )
    ).scalar_one_or_none()
    assert audit is None or ELIGIBLE not in audit
    types = (await db_session.execute(text("SELECT type FROM outbox_event ORDER BY seq"))).scalars().all()
    assert "loan.event_applied" in types
    assert "loan.eligibility_recorded" in types


async def test_events_out_of_order_give_the_state_the_bank_sequence_implies(
    loan_client: httpx.AsyncClient, bank: dict[str, str], finance: dict[str, str]
) -> None:
    ref = "L-OOO"
    await post(loan_client, bank, event(ref, 4, "repayment", amount=50_000_000, day="2025-12-20"))
    await post(loan_client, bank, event(ref, 3, "disbursed", amount=700_000_000, day="2025-12-01"))
    receipt = await post(loan_client, bank, event(ref, 2, "approved", amount=700_000_000, day="2025-11-20"))
    loan = await loan_of(loan_client, finance, receipt["loan_id"])
    assert loan["status"] == "active"  # the late approval does not pull the loan back to "approved"
    assert loan["approved_amount_vnd"] == 700_000_000
    assert (loan["disbursed_vnd"], loan["repaid_vnd"], loan["outstanding_vnd"]) == (
        700_000_000,
        50_000_000,
        650_000_000,
    )
    assert loan["rate_bp"] == 540  # the table's rate on 1/12/2025
    await post(loan_client, bank, event(ref, 1, "application_received", day="2025-11-01"))
    await post(loan_client, bank, event(ref, 5, "overdue", amount=20_000_000, day="2026-01-31"))
    loan = await loan_of(loan_client, finance, receipt["loan_id"])
    assert (loan["status"], loan["overdue_vnd"], loan["events_applied"]) == ("overdue", 20_000_000, 5)
    await post(loan_client, bank, event(ref, 7, "settled", day="2026-03-01"))
    await post(loan_client, bank, event(ref, 6, "repayment", amount=650_000_000, day="2026-02-28"))
    loan = await loan_of(loan_client, finance, receipt["loan_id"])
    assert (loan["status"], loan["outstanding_vnd"], loan["overdue_vnd"]) == ("settled", 0, 0)
    events = await loan_client.get(f"/v1/loans/{receipt['loan_id']}/events", headers=finance)
    assert [e["bank_sequence"] for e in events.json()["items"]] == [1, 2, 3, 4, 5, 6, 7]


async def test_a_repeated_bank_event_is_a_no_op_and_a_reused_key_with_another_body_is_a_422(
    loan_client: httpx.AsyncClient, bank: dict[str, str], finance: dict[str, str], db_session: AsyncSession
) -> None:
    body = event("L-DUP", 1, "disbursed", amount=300_000_000)
    first = await loan_client.post(EVENTS, json=body, headers=keyed(bank, "key-1"))
    assert first.status_code == 201
    replay = await loan_client.post(EVENTS, json=body, headers=keyed(bank, "key-1"))
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    again = await loan_client.post(EVENTS, json=body, headers=keyed(bank))  # a new key: the bank's id dedupes
    assert again.status_code == 200
    assert again.json()["applied"] is False
    assert again.json()["id"] == first.json()["id"]
    other = event("L-DUP", 2, "repayment", amount=1_000_000)
    assert_problem(
        await loan_client.post(EVENTS, json=other, headers=keyed(bank, "key-1")),
        422,
        "idempotency_key_reused",
    )
    loan = await loan_of(loan_client, finance, first.json()["loan_id"])
    assert (loan["disbursed_vnd"], loan["events_applied"]) == (300_000_000, 1)


async def test_a_cap_exceeded_on_approval_and_disbursal_goes_to_the_queue_once(
    loan_client: httpx.AsyncClient, bank: dict[str, str], finance: dict[str, str]
) -> None:
    # To buy: 80% of the contract value. 850M of 1bn is over.
    await post(loan_client, bank, event("L-CAP", 1, "approved", amount=850_000_000))
    await post(loan_client, bank, event("L-CAP", 2, "disbursed", amount=850_000_000))
    await post(loan_client, bank, event("L-CAP", 3, "repayment", amount=1_000_000))
    # To build: 70% of the estimate and at most 1bn (from 10/10/2025). 1bn of 2bn passes, 1.2bn does not.
    build = {"purpose": "build_or_repair", "value": 2_000_000_000, "citizen_id": ELIGIBLE_2}
    await post(loan_client, bank, event("L-BLD", 1, "approved", amount=1_000_000_000, **build))
    await post(loan_client, bank, event("L-BLD", 2, "disbursed", amount=1_200_000_000, **build))
    # Before Decree 261 the ceiling was 500M (assumed): 600M approved in 2025-09 is over.
    await post(loan_client, bank, event("L-OLD", 1, "approved", amount=600_000_000, purpose="build_or_repair",
                                        value=1_000_000_000, day="2025-09-15"))  # fmt: skip
    rows = await exceptions(loan_client, finance, reason="cap_exceeded")
    found = sorted(
        (r["evidence"]["loan_ref"], r["evidence"]["what"], r["evidence"]["limit_vnd"]) for r in rows
    )
    assert found == [
        ("L-BLD", "disbursed", 1_000_000_000),
        ("L-CAP", "approved", 800_000_000),
        ("L-CAP", "disbursed", 800_000_000),
        ("L-OLD", "approved", 500_000_000),
    ]
    assert all(r["status"] == "open" and r["province_code"] == HAI_PHONG for r in rows)


async def test_a_rate_other_than_the_table_is_an_exception(
    loan_client: httpx.AsyncClient, bank: dict[str, str], finance: dict[str, str]
) -> None:
    await post(loan_client, bank, event("L-R", 1, "disbursed", amount=100_000_000, rate_bp=540))
    await post(
        loan_client, bank, event("L-R", 2, "disbursed", amount=100_000_000, rate_bp=660, day="2025-11-21")
    )
    june = {"day": "2025-06-01", "citizen_id": ELIGIBLE_2}
    await post(loan_client, bank, event("L-R2", 1, "disbursed", amount=100_000_000, rate_bp=660, **june))
    rows = await exceptions(loan_client, finance, reason="rate_mismatch")
    assert [(r["evidence"]["bank_rate_bp"], r["evidence"]["table_rate_bp"]) for r in rows] == [(660, 540)]


async def test_unknown_and_ineligible_borrowers_go_to_the_queue(
    loan_client: httpx.AsyncClient, bank: dict[str, str], finance: dict[str, str]
) -> None:
    unknown = await post(loan_client, bank, event("L-U", 1, "application_received", citizen_id=UNKNOWN))
    ineligible = await post(loan_client, bank, event("L-I", 1, "application_received", citizen_id=INELIGIBLE))
    assert unknown["eligibility_status"] == "unknown_borrower"
    assert ineligible["eligibility_status"] == "ineligible"
    rows = await exceptions(loan_client, finance)
    assert sorted((r["reason"], r["loan_id"]) for r in rows) == sorted(
        [("unknown_borrower", unknown["loan_id"]), ("ineligible_borrower", ineligible["loan_id"])]
    )
    ineligible_row = next(r for r in rows if r["reason"] == "ineligible_borrower")
    assert ineligible_row["evidence"]["failing"] == ["income_cap"]
    assert UNKNOWN not in str(rows)
    assert INELIGIBLE not in str(rows)


async def test_registry_down_queues_the_confirmation_which_a_job_completes_later(
    committing_loan_client: httpx.AsyncClient,
    bank: dict[str, str],
    finance: dict[str, str],
    registry: Any,
    run_loan_jobs: Callable[[], Any],
    committing_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    registry.down = True
    receipt = await post(committing_loan_client, bank, event("L-DOWN", 1, "application_received"))
    assert receipt["applied"] is True
    assert receipt["eligibility_status"] == "pending"
    await post(committing_loan_client, bank, event("L-DOWN-U", 1, "application_received", citizen_id=UNKNOWN))
    assert await run_loan_jobs() == 2  # both attempts fail while registry-api is down: retried later
    loan = await loan_of(committing_loan_client, finance, receipt["loan_id"])
    assert loan["eligibility_status"] == "pending"
    registry.down = False
    assert await run_loan_jobs() == 2
    loan = await loan_of(committing_loan_client, finance, receipt["loan_id"])
    assert loan["eligibility_status"] == "confirmed"
    rows = await exceptions(committing_loan_client, finance, reason="unknown_borrower")
    assert len(rows) == 1
    async with committing_sessionmaker() as session:
        statuses = (await session.execute(select(Job.status, func.count()).group_by(Job.status))).all()
    assert dict(statuses) == {"succeeded": 2}


async def test_only_the_bank_posts_events(
    loan_client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], db_session: AsyncSession
) -> None:
    body = event("L-ROLE", 1, "application_received")
    for headers in (
        finance,
        auth(roles=["commune_officer"], area_codes=["10525"]),
        auth(roles=["province_officer"], area_codes=[HAI_PHONG]),
        auth(roles=["auditor"], area_codes=[HAI_PHONG]),
    ):
        assert_problem(await loan_client.post(EVENTS, json=body, headers=keyed(headers)), 403, "forbidden")
    other_bank = auth(roles=["bank_integration"], area_codes=[HA_NOI])
    assert_problem(
        await loan_client.post(EVENTS, json=body, headers=keyed(other_bank)), 403, "area_not_covered"
    )
    response = await loan_client.post(EVENTS, json=body, headers={"Idempotency-Key": "k"})
    assert response.status_code == 401
    assert (await db_session.execute(select(func.count()).select_from(Loan))).scalar_one() == 0


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"borrower_citizen_id": "03109012345"}, "/body/borrower_citizen_id"),
        ({"borrower_citizen_id": "03109012345X"}, "/body/borrower_citizen_id"),
        ({"type": "written_off"}, "/body/type"),
        ({"purpose": "rent"}, "/body/purpose"),
        ({"amount_vnd": -5}, "/body/amount_vnd"),
        ({"amount_vnd": 10**16}, "/body/amount_vnd"),
        ({"sequence": -1}, "/body/sequence"),
        ({"occurred_at": "2025-11-20T10:00:00"}, "/body/occurred_at"),
        ({"province_code": "031"}, "/body/province_code"),
        ({"loan_ref": ""}, "/body/loan_ref"),
        ({"colour": "red"}, "/body/colour"),
        ({"contract_value_vnd": None}, "/body"),
        ({"estimate_vnd": 5}, "/body"),
        ({"amount_vnd": None}, "/body"),
        ({"amount_vnd": 0}, "/body"),
    ],
)
async def test_bad_events_are_422_without_echo_and_store_nothing(
    loan_client: httpx.AsyncClient,
    bank: dict[str, str],
    db_session: AsyncSession,
    change: dict[str, Any],
    pointer: str,
) -> None:
    body = event("L-BAD", 1, "disbursed", amount=100_000_000) | change
    body = {k: v for k, v in body.items() if not (k in change and change[k] is None)}
    response = await loan_client.post(EVENTS, json=body, headers=keyed(bank))
    problem = assert_problem(response, 422, "validation_failed")
    assert any(e["pointer"].startswith(pointer) for e in problem["errors"]), problem
    assert "03109012345" not in response.text
    assert (await db_session.execute(select(func.count()).select_from(LoanEvent))).scalar_one() == 0


async def test_an_amount_on_an_application_and_a_missing_key_are_refused(
    loan_client: httpx.AsyncClient, bank: dict[str, str]
) -> None:
    body = event("L-BAD2", 1, "application_received", amount=5)
    assert_problem(await loan_client.post(EVENTS, json=body, headers=keyed(bank)), 422, "validation_failed")
    assert_problem(
        await loan_client.post(EVENTS, json=event("L-BAD2", 1, "application_received"), headers=bank),
        400,
        "idempotency_key_missing",
    )


async def test_a_known_reference_with_another_borrower_is_a_409(
    loan_client: httpx.AsyncClient, bank: dict[str, str], db_session: AsyncSession
) -> None:
    await post(loan_client, bank, event("L-X", 1, "application_received"))
    response = await loan_client.post(
        EVENTS, json=event("L-X", 2, "approved", amount=1, citizen_id=ELIGIBLE_2), headers=keyed(bank)
    )
    assert_problem(response, 409, "loan_reference_conflict")
    assert (await db_session.execute(select(func.count()).select_from(LoanEvent))).scalar_one() == 1
    assert (await db_session.execute(select(func.count()).select_from(LoanException))).scalar_one() == 0

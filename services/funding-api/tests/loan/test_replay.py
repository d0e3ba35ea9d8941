"""Done-when of issue #6 (loans): 1,000 distinct bank events over 200 loans, each delivered one to five
times — retries under the same Idempotency-Key and redeliveries under new keys — shuffled and sent
concurrently: exactly 1,000 are applied and every balance is what the events imply."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import httpx
from funding_loan_testing import EVENTS, assert_problem, event, keyed
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.models import Loan, LoanEvent

LOANS = 200
EVENTS_PER_LOAN = 5
DELIVERIES = [1, 2, 3, 4, 5]
DELIVERY_WEIGHTS = [45, 25, 15, 10, 5]
CONCURRENCY = 8


def citizen_id(n: int) -> str:
    return f"0310{90 + n % 9}{n:06d}"[:12].ljust(12, "0")


def loan_events(rng: random.Random, n: int) -> tuple[list[dict[str, Any]], int, str]:
    """Five events for loan n in bank order, with the balance and status they imply."""
    ref = f"R-{n:04d}"
    who = citizen_id(n)
    approved = rng.randrange(100, 800) * 1_000_000
    first = approved // 2
    events = [
        event(ref, 1, "application_received", citizen_id=who, day="2025-10-20"),
        event(ref, 2, "approved", amount=approved, citizen_id=who, day="2025-11-02"),
        event(ref, 3, "disbursed", amount=first, citizen_id=who, day="2025-11-15"),
    ]
    disbursed, repaid, status = first, 0, "active"
    for sequence, day in ((4, "2025-12-15"), (5, "2026-01-15")):
        kind = rng.choice(["disbursed", "repayment", "repayment", "overdue"])
        if kind == "disbursed":
            amount = approved - disbursed if disbursed < approved else 1_000_000
            disbursed += amount
            status = "active" if status != "overdue" else "overdue"
        elif kind == "repayment":
            amount = rng.randrange(1, 20) * 1_000_000
            repaid += amount
        else:
            amount = rng.randrange(1, 10) * 1_000_000
            status = "overdue"
        events.append(event(ref, sequence, kind, amount=amount, citizen_id=who, day=day))
    return events, disbursed - repaid, status


async def deliver(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], key: str
) -> httpx.Response:
    while True:
        response = await client.post(EVENTS, json=body, headers=keyed(headers, key))
        if response.status_code != 409:  # the same key still in flight: the bank retries shortly
            return response
        await asyncio.sleep(0.05)


async def test_a_thousand_events_delivered_up_to_five_times_out_of_order_are_applied_once(
    committing_loan_client: httpx.AsyncClient,
    bank: dict[str, str],
    finance: dict[str, str],
    committing_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    rng = random.Random(20261128)
    expected: dict[str, tuple[int, str]] = {}
    deliveries: list[tuple[dict[str, Any], str]] = []
    for n in range(LOANS):
        events, balance, status = loan_events(rng, n)
        expected[f"R-{n:04d}"] = (balance, status)
        for body in events:
            first_key = str(uuid.uuid4())
            for attempt in range(rng.choices(DELIVERIES, DELIVERY_WEIGHTS)[0]):
                # A retry of a lost answer reuses the key; a redelivery by the bank's queue has a new one.
                key = first_key if attempt == 0 or rng.random() < 0.5 else str(uuid.uuid4())
                deliveries.append((body, key))
    rng.shuffle(deliveries)
    assert len({(b["loan_ref"], b["event_id"]) for b, _ in deliveries}) == LOANS * EVENTS_PER_LOAN
    assert len(deliveries) > 1500

    gate = asyncio.Semaphore(CONCURRENCY)

    async def send(body: dict[str, Any], key: str) -> httpx.Response:
        async with gate:
            return await deliver(committing_loan_client, bank, body, key)

    responses = await asyncio.gather(*(send(body, key) for body, key in deliveries))

    assert {r.status_code for r in responses} <= {200, 201}, {
        r.text for r in responses if r.status_code > 201
    }
    fresh = [r for r in responses if "Idempotent-Replayed" not in r.headers]
    assert sum(r.json()["applied"] for r in fresh) == LOANS * EVENTS_PER_LOAN
    async with committing_sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(LoanEvent))).scalar_one() == 1000
        rows = (await session.execute(select(Loan.bank_loan_ref, Loan.outstanding_vnd, Loan.status))).all()
    assert len(rows) == LOANS
    assert {ref: (outstanding, status) for ref, outstanding, status in rows} == expected

    # A reused key with another payload is refused, and changes nothing.
    body, key = deliveries[0]
    other = body | {"sequence": body["sequence"] + 100, "event_id": body["event_id"] + "-other"}
    assert_problem(
        await committing_loan_client.post(EVENTS, json=other, headers=keyed(bank, key)),
        422,
        "idempotency_key_reused",
    )
    async with committing_sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(LoanEvent))).scalar_one() == 1000

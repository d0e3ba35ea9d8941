"""The demo seed steps, and the derivation's independence from arrival order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.demo import DEMO_BORROWERS, DEMO_LOANS, seed_demo_loans
from funding_api.loan.derive import derive, local_date
from funding_api.loan.reference import seed_demo_lending_plans, seed_loan_reference
from funding_api.models import Job, LendingPlan, Loan, LoanCap, LoanEvent, LoanException, LoanRate, LoanStatus
from servicekit.pii import PiiCipher


async def test_demo_loans_are_posted_through_the_service_and_rerun_adds_nothing(
    db_session: AsyncSession, cipher: PiiCipher
) -> None:
    assert "added" in await seed_loan_reference(db_session)
    await seed_demo_lending_plans(db_session)
    summary = await seed_demo_loans(db_session, cipher)
    total = sum(len(events) for *_, events in DEMO_LOANS)
    assert summary.startswith(f"{total} demo loan events applied")
    assert (await db_session.execute(select(func.count()).select_from(Loan))).scalar_one() == len(DEMO_LOANS)
    # Everyone's eligibility waits for registry-api (asked by the worker); one approval is over the cap.
    pending = (
        await db_session.execute(select(func.count()).where(Loan.eligibility_status == "pending"))
    ).scalar_one()
    assert pending == len(DEMO_LOANS)
    jobs = (await db_session.execute(select(func.count()).select_from(Job))).scalar_one()
    assert jobs == len(DEMO_LOANS)
    reasons = (await db_session.execute(select(LoanException.reason))).scalars().all()
    assert reasons == ["cap_exceeded"]
    bidx = cipher.blind_index(DEMO_BORROWERS["head-0"][0], purpose="citizen_id")
    first = (await db_session.execute(select(Loan).where(Loan.borrower_citizen_bidx == bidx))).scalar_one()
    assert (first.status, first.outstanding_vnd) == (LoanStatus.ACTIVE.value, 870_000_000)
    # Idempotent: a second run applies nothing and adds no reference rows.
    assert (await seed_demo_loans(db_session, cipher)).startswith("0 demo loan events applied")
    assert await seed_loan_reference(db_session) == "0 loan rates and caps added"
    assert await seed_demo_lending_plans(db_session) == "0 demo lending plans added"
    assert (await db_session.execute(select(func.count()).select_from(LoanEvent))).scalar_one() == total
    assert (await db_session.execute(select(func.count()).select_from(LoanRate))).scalar_one() == 4
    assert (await db_session.execute(select(func.count()).select_from(LoanCap))).scalar_one() == 6
    assert (await db_session.execute(select(func.count()).select_from(LendingPlan))).scalar_one() == 2


@dataclass
class E:
    event_type: str
    bank_sequence: int
    occurred_at: datetime
    amount_vnd: int | None


def test_every_arrival_order_derives_the_same_state() -> None:
    day = datetime(2025, 11, 20, 3, tzinfo=UTC)
    events = [
        E("application_received", 1, day, None),
        E("approved", 2, day, 500),
        E("disbursed", 3, day, 300),
        E("overdue", 4, day, 10),
        E("repayment", 5, day, 50),
        E("disbursed", 6, day, 200),
    ]
    states = {
        derive(sorted(order, key=lambda e: e.bank_sequence)) for order in itertools.permutations(events)
    }
    assert len(states) == 1
    state = states.pop()
    assert (state.status, state.outstanding_vnd, state.overdue_vnd) == (LoanStatus.OVERDUE, 450, 10)
    assert derive([E("rejected", 2, day, None), E("application_received", 1, day, None)][::-1]).status is (
        LoanStatus.REJECTED
    )


def test_legal_dates_are_local_dates() -> None:
    assert local_date(datetime(2025, 10, 9, 18, tzinfo=UTC)).isoformat() == "2025-10-10"

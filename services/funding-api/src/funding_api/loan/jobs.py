"""The loan jobs funding-api's worker runs.

`loan.confirm_eligibility` asks registry-api about a borrower whose event arrived while registry-api
was down (or was posted by the seed). It raises while registry-api stays down, so the worker retries
it with back-off; `loan.requeue_pending_eligibility` (hourly) queues again any loan still pending
after a job gave up, so no confirmation is ever dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from funding_api.clients.registry import RegistryClient
from funding_api.loan.repository import LoanRepository
from funding_api.loan.service import CONFIRM_ELIGIBILITY_JOB, loan_service
from servicekit.jobs import JobContext, JobRegistry, PeriodicJob
from servicekit.pii import PiiCipher

REQUEUE_PENDING_JOB = "loan.requeue_pending_eligibility"
REQUEUE_BATCH = 500
CONFIRM_MAX_ATTEMPTS = 30  # with the worker's back-off (capped at 10 minutes): about four hours


def register_loan_jobs(
    registry: JobRegistry,
    cipher: Callable[[], PiiCipher],
    registry_client: Callable[[], RegistryClient],
) -> None:
    """Factories, not instances: the worker builds the cipher and a long-lived client on first use."""

    async def confirm(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        outcome = await loan_service.confirm_queued(
            ctx.session, cipher(), registry_client(), uuid.UUID(str(payload["loan_id"]))
        )
        return {"outcome": outcome}

    async def requeue(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        ids = await LoanRepository(ctx.session).pending_eligibility_ids(REQUEUE_BATCH)
        for loan_id in ids:
            await loan_service.queue_confirmation(ctx.session, loan_id)
        return {"queued": len(ids)}

    registry.register(CONFIRM_ELIGIBILITY_JOB, confirm, max_attempts=CONFIRM_MAX_ATTEMPTS, timeout_s=120)
    registry.register(REQUEUE_PENDING_JOB, requeue, max_attempts=3, timeout_s=300)


LOAN_PERIODIC = [PeriodicJob(REQUEUE_PENDING_JOB, every_s=3600)]

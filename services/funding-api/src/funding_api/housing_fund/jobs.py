"""The reference-verification job: registered (and scheduled) in funding_api/worker.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from funding_api.clients.inspection import InspectionClient
from funding_api.housing_fund.service import VERIFY_JOB, housing_fund_service
from servicekit.jobs import JobContext, JobRegistry, PeriodicJob

TIMEOUT_S = 600
VERIFY_EVERY_S = 900.0  # every 15 minutes: cheap when nothing is unverified


def register_housing_fund_jobs(registry: JobRegistry, client_factory: Callable[[], InspectionClient]) -> None:
    async def verify_references(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        # ctx.session commits with the job's success: a run marks its answers all at once.
        client = client_factory()
        try:
            result = await housing_fund_service.verify_references(ctx.session, client)
        finally:
            await client.aclose()
        return result.as_dict()

    registry.register(VERIFY_JOB, verify_references, max_attempts=3, timeout_s=TIMEOUT_S)


def housing_fund_periodic() -> list[PeriodicJob]:
    return [PeriodicJob(VERIFY_JOB, every_s=VERIFY_EVERY_S)]

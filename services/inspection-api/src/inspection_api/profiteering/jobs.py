"""The detection job: registered (and scheduled) in inspection_api/worker.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.profiteering.detection import DETECTION_JOB, detection_service, land_reserve_rules
from servicekit.jobs import JobContext, JobRegistry, PeriodicJob

TIMEOUT_S = 1800
Clients = Callable[[], tuple[RegistryClient, FundingClient]]


def register_profiteering_jobs(
    registry: JobRegistry, clients: Clients, *, retry_after_s: Callable[[], float]
) -> None:
    """`clients` builds the two upstream clients on first use (the worker's own service token)."""
    built: list[tuple[RegistryClient, FundingClient]] = []

    async def detect(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        if not built:
            built.append(clients())
        registry_client, funding_client = built[0]
        run_id = payload.get("run_id")

        async def progress(seen: int) -> None:
            await ctx.progress(seen, note="signals read")

        # ctx.session commits with the job's success: the run's flags all land, or (delayed) none.
        outcome = await detection_service.execute(
            ctx.session,
            run_id=uuid.UUID(run_id) if run_id else None,
            job_id=ctx.job_id,
            registry=registry_client,
            funding=funding_client,
            retry_after=timedelta(seconds=retry_after_s()),
            local_rules=land_reserve_rules,
            on_progress=progress,
        )
        return {
            "status": outcome.status.value,
            "signals_seen": outcome.signals_seen,
            "flags_raised": outcome.flags_raised,
            "reason": outcome.reason,
        }

    registry.register(DETECTION_JOB, detect, max_attempts=3, timeout_s=TIMEOUT_S)


def profiteering_periodic(every_s: float) -> list[PeriodicJob]:
    return [PeriodicJob(DETECTION_JOB, every_s=every_s)]

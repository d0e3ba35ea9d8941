"""The jobs every service's worker runs, and the body of `python -m <service>.worker`."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from servicekit.audit import seal
from servicekit.db.platform import PlatformModels
from servicekit.idempotency import purge_expired
from servicekit.jobs import JobContext, JobRegistry, PeriodicJob, purge_finished_jobs, run_worker
from servicekit.observability import configure_logging

AUDIT_SEAL = "platform.audit_seal"
IDEMPOTENCY_PURGE = "platform.idempotency_purge"
JOBS_PURGE = "platform.jobs_purge"
FINISHED_JOBS_KEPT = timedelta(days=30)


def platform_registry(models: PlatformModels) -> JobRegistry:
    """A registry holding the housekeeping jobs; a service adds its own kinds to it."""
    registry = JobRegistry()

    async def seal_audit(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        # Sealed in the job's own transaction, committed with the job's success.
        return {"sealed": await seal(ctx.session, models.audit)}

    async def purge_keys(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"purged": await purge_expired(ctx.session, models.idempotency)}

    async def purge_jobs(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"purged": await purge_finished_jobs(ctx.session, models.job, older_than=FINISHED_JOBS_KEPT)}

    registry.register(AUDIT_SEAL, seal_audit, max_attempts=3, timeout_s=120)
    registry.register(IDEMPOTENCY_PURGE, purge_keys, max_attempts=3, timeout_s=300)
    registry.register(JOBS_PURGE, purge_jobs, max_attempts=3, timeout_s=300)
    return registry


def platform_periodic(seal_every_s: float = 30.0) -> list[PeriodicJob]:
    return [
        PeriodicJob(AUDIT_SEAL, every_s=seal_every_s),
        PeriodicJob(IDEMPOTENCY_PURGE, every_s=3600),
        PeriodicJob(JOBS_PURGE, every_s=86400),
    ]


def run_service_worker(
    *,
    service: str,
    database_url: str,
    models: PlatformModels,
    registry: JobRegistry,
    log_level: str = "INFO",
    periodic: Sequence[PeriodicJob] | None = None,
) -> None:
    configure_logging(f"{service}-worker", log_level)
    asyncio.run(
        run_worker(
            database_url,
            models.job,
            registry,
            worker_id=f"{service}@{socket.gethostname()}:{os.getpid()}",
            periodic=platform_periodic() if periodic is None else periodic,
            app_name=f"{service}-worker",
        )
    )

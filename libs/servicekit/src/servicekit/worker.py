"""The jobs every service's worker runs, and the body of `python -m <service>.worker`."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from servicekit.audit import AnchorMismatch, seal, seal_anchored
from servicekit.audit_anchor import AnchorStore
from servicekit.db.platform import PlatformModels
from servicekit.idempotency import purge_expired
from servicekit.jobs import (
    JobContext,
    JobRegistry,
    PeriodicJob,
    PermanentJobError,
    purge_finished_jobs,
    run_worker,
)
from servicekit.observability import configure_logging
from servicekit.quota import purge_windows

AUDIT_SEAL = "platform.audit_seal"
IDEMPOTENCY_PURGE = "platform.idempotency_purge"
JOBS_PURGE = "platform.jobs_purge"
QUOTA_PURGE = "platform.quota_purge"
FINISHED_JOBS_KEPT = timedelta(days=30)


def platform_registry(
    models: PlatformModels, *, anchor: Callable[[], AnchorStore | None] | None = None
) -> JobRegistry:
    """A registry holding the housekeeping jobs; a service adds its own kinds to it. With `anchor`
    (read when the job runs: the service's AUDIT_ANCHOR_PATH), each new chain head is also written to
    that external anchor."""
    registry = JobRegistry()

    async def seal_audit(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        store = anchor() if anchor is not None else None
        if store is None:
            # Sealed in the job's own transaction, committed with the job's success.
            return {"sealed": await seal(ctx.session, models.audit)}
        # Committed before the head is confirmed in the anchor; a repeat after a crash seals nothing twice.
        try:
            return {"sealed": await seal_anchored(ctx.sessionmaker, models.audit, store)}
        except AnchorMismatch as exc:
            # Tampering (or a restored backup): sealing stops until someone looks; the verifier says why.
            raise PermanentJobError(f"audit chain disagrees with its external anchor: {exc}") from exc

    async def purge_keys(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"purged": await purge_expired(ctx.session, models.idempotency)}

    async def purge_jobs(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"purged": await purge_finished_jobs(ctx.session, models.job, older_than=FINISHED_JOBS_KEPT)}

    registry.register(AUDIT_SEAL, seal_audit, max_attempts=3, timeout_s=120)
    registry.register(IDEMPOTENCY_PURGE, purge_keys, max_attempts=3, timeout_s=300)
    registry.register(JOBS_PURGE, purge_jobs, max_attempts=3, timeout_s=300)

    async def purge_quota_windows(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        # A service without a quota table has nothing to purge.
        if models.quota is None:
            return {"purged": 0}
        return {"purged": await purge_windows(ctx.session, models.quota)}

    registry.register(QUOTA_PURGE, purge_quota_windows, max_attempts=3, timeout_s=120)
    return registry


def platform_periodic(seal_every_s: float = 30.0) -> list[PeriodicJob]:
    return [
        PeriodicJob(AUDIT_SEAL, every_s=seal_every_s),
        PeriodicJob(IDEMPOTENCY_PURGE, every_s=3600),
        PeriodicJob(JOBS_PURGE, every_s=86400),
        PeriodicJob(QUOTA_PURGE, every_s=600),
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

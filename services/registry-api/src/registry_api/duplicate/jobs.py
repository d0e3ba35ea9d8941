"""The detection job: registered in registry_api/worker.py."""

from __future__ import annotations

from typing import Any

from registry_api.duplicate.service import DETECTION_JOB, duplicate_service
from servicekit.jobs import JobContext, JobRegistry

TIMEOUT_S = 1800


async def detect_duplicates(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    # ctx.session commits with the job's success: a run adds all its candidates or none.
    return await duplicate_service.detect(ctx.session, list(payload["area_codes"]))


def register_duplicate_jobs(registry: JobRegistry) -> None:
    registry.register(DETECTION_JOB, detect_duplicates, max_attempts=3, timeout_s=TIMEOUT_S)

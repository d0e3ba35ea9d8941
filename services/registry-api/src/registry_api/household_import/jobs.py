"""The import job: registered in registry_api/worker.py."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from registry_api.household_import.service import IMPORT_JOB, import_service
from servicekit.jobs import Handler, JobContext, JobRegistry
from servicekit.pii import PiiCipher

MAX_ATTEMPTS = 5
TIMEOUT_S = 1800


def import_handler(cipher: Callable[[], PiiCipher]) -> Handler:
    async def run(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        async def progress(done: int, total: int) -> None:
            await ctx.progress(done, total)

        return await import_service.run(
            ctx.sessionmaker, cipher(), uuid.UUID(payload["import_id"]), progress=progress
        )

    return run


def register_import_jobs(registry: JobRegistry, cipher: Callable[[], PiiCipher]) -> None:
    registry.register(IMPORT_JOB, import_handler(cipher), max_attempts=MAX_ATTEMPTS, timeout_s=TIMEOUT_S)

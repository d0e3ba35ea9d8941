"""Review-results imports run as jobs like household imports: committing tests with a real worker;
the import helpers are shared with tests/household_import."""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.admin_unit.service import admin_unit_service
from registry_api.dwelling.reference import seed_dwelling_rule_sets
from registry_api.household_import.jobs import register_import_jobs
from registry_api.models import Job
from registry_api.review.reference import seed_review_rules
from servicekit.jobs import JobRegistry, Worker
from servicekit.pii import PiiCipher

NAME = "registry_import_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parents[1] / "household_import" / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from registry_import_testing import HAI_PHONG  # noqa: E402


@pytest.fixture(autouse=True)
async def reference(committing_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with committing_sessionmaker() as session, session.begin():
        await admin_unit_service.seed_current_province(session, int(HAI_PHONG))
        await seed_dwelling_rule_sets(session)
        await seed_review_rules(session)


@pytest.fixture
def run_jobs(
    committing_app: FastAPI, committing_sessionmaker: async_sessionmaker[AsyncSession]
) -> Callable[[], Any]:
    cipher: PiiCipher = committing_app.state.pii_cipher

    async def run() -> int:
        registry = JobRegistry()
        register_import_jobs(registry, lambda: cipher)
        worker = Worker(
            committing_sessionmaker, Job, registry, worker_id="test-worker", progress_interval_s=0
        )
        ran = 0
        while await worker.run_once():
            ran += 1
        return ran

    return run

"""Imports run as jobs on their own sessions, so these tests commit (committing_client) and run the
job with a real worker against the same database; every table is emptied after each test."""

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
from registry_api.household_import.jobs import register_import_jobs
from registry_api.models import Job
from servicekit.jobs import JobRegistry, Worker
from servicekit.pii import PiiCipher

NAME = "registry_import_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parent / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from registry_import_testing import HAI_PHONG, XA_DUONG_AN  # noqa: E402


@pytest.fixture(autouse=True)
async def units(committing_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with committing_sessionmaker() as session, session.begin():
        await admin_unit_service.seed_current_province(session, int(HAI_PHONG))


@pytest.fixture
def cipher(committing_app: FastAPI) -> PiiCipher:
    value: PiiCipher = committing_app.state.pii_cipher
    return value


@pytest.fixture
def run_jobs(
    committing_sessionmaker: async_sessionmaker[AsyncSession], cipher: PiiCipher
) -> Callable[[], Any]:
    """Run every queued import job to its end, as the worker process would."""

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


@pytest.fixture
def commune_officer(auth: Callable[..., dict[str, str]]) -> Callable[..., dict[str, str]]:
    def make(*codes: str, role: str = "commune_officer") -> dict[str, str]:
        return auth(roles=[role], area_codes=list(codes or (XA_DUONG_AN,)))

    return make

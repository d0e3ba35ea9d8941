"""Case tests: the reference data (catalogue, checklists), an evidence store in tmp_path, and the
`Flow` of helpers.py (imported as `inspection_case_testing`)."""

from __future__ import annotations

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.blobstore import LocalBlobStore
from inspection_api.inspection_case.reference import seed_checklist_templates, seed_violation_catalogue

NAME = "inspection_case_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parent / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from inspection_case_testing import Auth, Flow, Reference  # noqa: E402


@pytest.fixture(autouse=True)
def evidence_store(app: FastAPI, tmp_path: Path) -> LocalBlobStore:
    store = LocalBlobStore(tmp_path / "evidence")
    app.state.blob_store = store
    return store


@pytest.fixture
async def reference(db_session: AsyncSession) -> Reference:
    await seed_violation_catalogue(db_session)
    await seed_checklist_templates(db_session)
    await db_session.commit()
    return Reference(db_session)


@pytest.fixture
def flow(client: httpx.AsyncClient, auth: Auth, reference: Reference) -> Flow:
    return Flow(client, auth, reference)

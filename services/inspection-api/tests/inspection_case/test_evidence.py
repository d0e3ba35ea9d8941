from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from inspection_case_testing import GPS, JPEG, PNG, WEBP, Flow, assert_problem
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.blobstore import LocalBlobStore, evidence_key
from inspection_api.models import InspectionEvidence, OutboxEvent


async def upload(
    flow: Flow, case: httpx.Response, content: bytes, ctype: str = "image/jpeg", **params: object
) -> httpx.Response:
    return await flow.client.post(
        flow.url(case, "/photos"),
        params=GPS | params,
        content=content,
        headers=flow.inspector | {"Content-Type": ctype},
    )


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def evidence_count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(InspectionEvidence))).scalar_one())


@pytest.mark.parametrize(
    ("content", "ctype"), [(JPEG, "image/jpeg"), (PNG, "image/png"), (WEBP, "image/webp")]
)
async def test_a_photo_is_stored_with_its_hash_position_and_time(
    flow: Flow, evidence_store: LocalBlobStore, content: bytes, ctype: str
) -> None:
    case = await flow.in_progress()
    response = await upload(flow, case, content, ctype, gps_accuracy_m=4.5)
    assert response.status_code == 201, response.text
    photo = response.json()
    digest = hashlib.sha256(content).hexdigest()
    assert photo["sha256"] == digest
    assert (photo["content_type"], photo["size_bytes"]) == (ctype, len(content))
    assert (photo["latitude"], photo["longitude"], photo["gps_accuracy_m"]) == (20.861, 106.68, 4.5)
    assert datetime.fromisoformat(photo["captured_at"]) == datetime.fromisoformat(str(GPS["captured_at"]))
    assert (evidence_store.root / evidence_key(digest)).read_bytes() == content
    back = await flow.client.get(flow.url(case, f"/photos/{photo['id']}/content"), headers=flow.officer)
    assert back.status_code == 200
    assert back.content == content
    assert back.headers["content-type"] == ctype
    assert back.headers["ETag"] == f'"{digest}"'


async def test_the_type_comes_from_the_bytes_not_the_header(flow: Flow) -> None:
    case = await flow.in_progress()
    response = await upload(flow, case, PNG, "application/octet-stream")
    assert response.status_code == 201
    assert response.json()["content_type"] == "image/png"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7 not a photo at all",
        b"",
        b"\xff\xd8",  # a JPEG's first bytes, nothing more
        b"RIFF\x10\x00\x00\x00WAVEfmt ",  # RIFF, but audio
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    ],
)
async def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_stored(
    flow: Flow, evidence_store: LocalBlobStore, db_session: AsyncSession, content: bytes
) -> None:
    case = await flow.in_progress()
    response = await upload(flow, case, content)
    problem = assert_problem(response, 422, "photo_not_an_image")
    assert problem["errors"][0]["pointer"] == "/body"
    assert await evidence_count(db_session) == 0
    assert stored_files(evidence_store.root) == []
    types = [e.type for e in (await db_session.execute(select(OutboxEvent))).scalars()]
    assert "evidence.uploaded" not in types


async def test_the_same_bytes_again_return_the_stored_photo(flow: Flow, db_session: AsyncSession) -> None:
    case = await flow.in_progress()
    first = await upload(flow, case, JPEG)
    again = await upload(flow, case, JPEG)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert await evidence_count(db_session) == 1


async def test_position_and_time_are_checked(flow: Flow, db_session: AsyncSession) -> None:
    case = await flow.in_progress()
    url = flow.url(case, "/photos")
    missing = await flow.client.post(url, params={"latitude": 20.8}, content=JPEG, headers=flow.inspector)
    problem = assert_problem(missing, 422, "validation_failed")
    assert {"/query/longitude", "/query/captured_at"} <= {e["pointer"] for e in problem["errors"]}
    off_earth = await upload(flow, case, JPEG, latitude=91)
    assert_problem(off_earth, 422, "validation_failed")
    naive = await upload(flow, case, JPEG, captured_at="2026-11-20T09:31:00")
    assert_problem(naive, 422, "validation_failed")
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert_problem(await upload(flow, case, JPEG, captured_at=future), 422, "capture_time_in_future")
    foreign_finding = await upload(flow, case, JPEG, finding_id="0190f000-0000-7000-8000-000000000000")
    assert_problem(foreign_finding, 422, "finding_unknown")
    assert await evidence_count(db_session) == 0


async def test_a_photo_over_the_limit_is_refused(flow: Flow, app: FastAPI, db_session: AsyncSession) -> None:
    app.state.settings = app.state.settings.model_copy(update={"EVIDENCE_MAX_BYTES": 100})
    case = await flow.in_progress()
    response = await upload(flow, case, JPEG + b"x" * 200)
    assert_problem(response, 422, "photo_too_large")
    assert await evidence_count(db_session) == 0


async def test_altered_or_missing_bytes_are_reported_on_read(
    flow: Flow, evidence_store: LocalBlobStore
) -> None:
    case = await flow.in_progress()
    photo = (await upload(flow, case, JPEG)).json()
    path = evidence_store.root / evidence_key(photo["sha256"])
    url = flow.url(case, f"/photos/{photo['id']}/content")
    path.write_bytes(JPEG + b"retouched")
    assert_problem(await flow.client.get(url, headers=flow.officer), 409, "evidence_content_altered")
    path.unlink()
    assert_problem(await flow.client.get(url, headers=flow.officer), 404, "evidence_content_missing")


async def test_photos_are_taken_only_while_the_case_is_in_progress(flow: Flow) -> None:
    case = await flow.assigned()
    assert_problem(await upload(flow, case, JPEG), 409, "case_not_in_progress")

"""An uploaded list is citizen IDs and phones: the stored file is encrypted (found by the reliability
suite's personal-data scan of a database dump, issue 10 item 7: the files were stored as uploaded)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from registry_import_testing import GOOD_LIST, count, upload
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.household_import.service import UPLOAD_CONTEXT, stored_file
from registry_api.models import HouseholdImport
from servicekit.pii import PiiCipher


async def test_the_uploaded_file_is_stored_encrypted_and_still_imported(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Callable[..., dict[str, str]],
    cipher: PiiCipher,
    run_jobs: Callable[[], Any],
) -> None:
    content = GOOD_LIST.encode()
    response = await upload(committing_client, commune_officer(), content)
    assert response.status_code == 202, response.text
    async with committing_sessionmaker() as session:
        stored = (await session.execute(select(HouseholdImport.content))).scalar_one()
        # Nothing of the list is readable in the row, not even in the database's own text form of it.
        dumped = (
            await session.execute(text("SELECT encode(content, 'escape') FROM household_import"))
        ).scalar_one()
    assert b"030044147232" not in stored
    assert "030044147232" not in dumped
    assert stored_file(cipher, stored) == content
    assert cipher.decrypt_bytes(stored, context=UPLOAD_CONTEXT) == content
    # The job reads it back: the households are imported.
    assert await run_jobs() == 1
    assert await count(committing_sessionmaker, "household") == 2


async def test_a_file_stored_before_encryption_is_still_imported(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    commune_officer: Callable[..., dict[str, str]],
    run_jobs: Callable[[], Any],
) -> None:
    response = await upload(committing_client, commune_officer(), GOOD_LIST.encode())
    assert response.status_code == 202
    async with committing_sessionmaker() as session, session.begin():
        # As a file queued by an earlier version was stored: the bytes as uploaded.
        await session.execute(update(HouseholdImport).values(content=GOOD_LIST.encode()))
    assert await run_jobs() == 1
    assert await count(committing_sessionmaker, "household") == 2

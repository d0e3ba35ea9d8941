"""Pooled connections the server closed are replaced at checkout, without a ping per request."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.db.engine import make_engine


async def _backend_pid(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_connection_the_server_closed_is_replaced(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    admin = make_engine(database_url, pool_size=1)
    try:
        first = await _backend_pid(engine)
        async with admin.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        await asyncio.sleep(0.3)  # the server's goodbye reaches the pooled connection's socket
        second = await _backend_pid(engine)
        assert second != first
    finally:
        await engine.dispose()
        await admin.dispose()

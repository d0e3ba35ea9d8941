"""The async engine: one pool per process, bounded statement time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    statement_timeout_ms: int = 15_000,
    app_name: str = "noxh",
    pre_ping: bool = False,
    max_overflow: int | None = None,
) -> AsyncEngine:
    """A pooled engine. A pooled connection the server has closed (a restart, a failover, an
    administrator's `pg_terminate_backend`) is replaced when it is checked out: asyncpg knows its
    socket is closed, so this costs no round trip. SQLAlchemy's `pool_pre_ping` (`pre_ping=True`)
    instead sends BEGIN, an empty query and ROLLBACK on every checkout - three round trips per
    request, measured in docs/performance.md.

    `max_overflow` (default: as many as `pool_size`) connections are opened beyond the pool when it is
    busy and closed as soon as they are returned; 0 makes a request beyond the pool wait for one
    (`pool_timeout`, then 503 with Retry-After) instead."""
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_pre_ping=pre_ping,
        pool_timeout=10,
        connect_args={
            "server_settings": {
                "statement_timeout": str(statement_timeout_ms),
                "application_name": app_name,
                "timezone": "UTC",
            },
            "timeout": 5,
        },
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    return engine


def _replace_closed_connection(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if is_closed is not None and is_closed():
        # The pool discards this connection and checks out (or opens) another one.
        raise DisconnectionError("the server closed this pooled connection")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: responses are serialised from objects after flush, before commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)

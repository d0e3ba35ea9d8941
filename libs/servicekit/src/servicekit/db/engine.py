"""The async engine: one pool per process, bounded statement time."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def make_engine(
    url: str, *, pool_size: int = 10, statement_timeout_ms: int = 15_000, app_name: str = "noxh"
) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
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


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: responses are serialised from objects after flush, before commit.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)

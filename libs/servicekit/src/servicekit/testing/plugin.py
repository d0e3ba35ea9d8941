"""pytest plugin for NOXH services (load it with `pytest_plugins = ["servicekit.testing.plugin"]`).

A service's conftest provides one fixture, `service_config`, returning a `ServiceTestConfig`. The
PostgreSQL server comes from the `pg_admin_url` fixture (the devstack plugin: `NOXH_TEST_PG_URL` or
the embedded server).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import MetaData, make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from servicekit.db.engine import make_engine
from servicekit.testing.tokens import TestIssuer
from servicekit.tokens import TokenVerifier

AppFactory = Callable[[str, async_sessionmaker[AsyncSession], TokenVerifier], FastAPI]


@dataclass(frozen=True)
class ServiceTestConfig:
    name: str  # also the token audience, e.g. "registry-api"
    db_prefix: str  # e.g. "registry"
    alembic_ini: Path
    metadata: MetaData
    app_factory: AppFactory  # (database_url, sessionmaker, verifier) -> app


def alembic_config(alembic_ini: Path, url: str) -> Config:
    config = Config(str(alembic_ini))
    config.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    config.attributes["database_url"] = url
    return config


async def recreate_database(admin_url: str, name: str) -> str:
    """Drop and create `name` on the server; returns its asyncpg URL."""
    url = make_url(admin_url).set(drivername="postgresql+asyncpg")
    engine = make_engine(url.render_as_string(hide_password=False), pool_size=1)
    try:
        async with engine.connect() as raw:
            conn = await raw.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


async def migrate(alembic_ini: Path, url: str, revision: str = "head") -> None:
    # Alembic's env runs its own event loop; give it a thread of its own.
    await asyncio.to_thread(command.upgrade, alembic_config(alembic_ini, url), revision)


@pytest.fixture(scope="session")
def test_issuer() -> TestIssuer:
    return TestIssuer()


@pytest.fixture(scope="session")
async def database_url(pg_admin_url: str, service_config: ServiceTestConfig) -> str:
    # Two runs of one service's tests at once (xdist workers, or two checkouts) need their own databases.
    worker = os.environ.get("NOXH_TEST_DB_SUFFIX") or os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"{service_config.db_prefix}_test_{worker}"
    url = await recreate_database(pg_admin_url, name)
    await migrate(service_config.alembic_ini, url)
    return url


@pytest.fixture(scope="session")
async def db_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture
async def db_connection(db_engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection in an outer transaction that is rolled back after the test."""
    async with db_engine.connect() as conn:
        transaction = await conn.begin()
        yield conn
        if transaction.is_active:
            await transaction.rollback()


@pytest.fixture
def rollback_sessionmaker(db_connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    # Sessions join the outer transaction through savepoints: the code's own commits stay inside it.
    return async_sessionmaker(
        bind=db_connection, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
async def db_session(rollback_sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with rollback_sessionmaker() as session:
        yield session


@pytest.fixture
def app(
    service_config: ServiceTestConfig,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
) -> FastAPI:
    return service_config.app_factory(
        database_url, rollback_sessionmaker, test_issuer.verifier(service_config.name)
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def truncate_all(engine: AsyncEngine, metadata: MetaData, keep: frozenset[str] = frozenset()) -> None:
    tables = [t.name for t in metadata.sorted_tables if t.name not in keep]
    if tables:
        async with engine.begin() as conn:
            await conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )


@pytest.fixture
async def committing_sessionmaker(
    db_engine: AsyncEngine, service_config: ServiceTestConfig
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Real commits on separate connections, for commit and race tests; every table is emptied after."""
    yield async_sessionmaker(db_engine, expire_on_commit=False, autoflush=False)
    await truncate_all(db_engine, service_config.metadata)


@pytest.fixture
def committing_app(
    service_config: ServiceTestConfig,
    database_url: str,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
) -> FastAPI:
    return service_config.app_factory(
        database_url, committing_sessionmaker, test_issuer.verifier(service_config.name)
    )


@pytest.fixture
async def committing_client(committing_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=committing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


@pytest.fixture
def token(test_issuer: TestIssuer, service_config: ServiceTestConfig) -> Callable[..., str]:
    """`token(roles=[...], area_codes=[...])`: a valid token for this service."""

    def make(**kwargs: Any) -> str:
        kwargs.setdefault("audience", service_config.name)
        return test_issuer.token(**kwargs)

    return make


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """`auth(roles=[...], area_codes=[...])`: the Authorization header for such a caller."""

    def make(**kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(**kwargs)}"}

    return make

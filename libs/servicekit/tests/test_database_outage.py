"""A database that is away (restarting, failing over, refusing connections) answers 503 problem+json
with `Retry-After`, never a 500: the request was fine, and the same request works again shortly.

Found by the fault tests (`tests/faults`, docs/reliability.md §5): while PostgreSQL restarted under a
write load, every request answered 500 `internal_error` without `Retry-After`.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from sample_service.app import make_app
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.testing.tokens import TestIssuer
from servicekit.web.problems import database_unavailable, install_error_handlers
from servicekit.web.session import SessionDep

Auth = Callable[..., dict[str, str]]
PROBLEM = "application/problem+json"
OFFICER = {"roles": ["commune_officer"], "area_codes": ["10525"]}


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _assert_retry_later(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert body["status"] == 503
    assert body["code"] == "upstream_unavailable"
    assert "Traceback" not in response.text


class _Driver(Exception):
    """What the asyncpg dialect raises: its SQLSTATE on `sqlstate`."""

    def __init__(self, message: str, sqlstate: str | None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def _dbapi(sqlstate: str | None, message: str = "boom") -> DBAPIError:
    return DBAPIError("SELECT 1", None, _Driver(message, sqlstate))


class TestClassification:
    @pytest.mark.parametrize(
        "exc",
        [
            _dbapi("57P01", "terminating connection due to administrator command"),
            _dbapi("57P03", "the database system is starting up"),
            _dbapi("08003", "connection was closed in the middle of operation"),
            _dbapi("53300", "sorry, too many clients already"),
            DBAPIError("SELECT 1", None, _Driver("gone", None), connection_invalidated=True),
            ConnectionRefusedError(111, "Connection refused"),
            ConnectionResetError(104, "Connection reset by peer"),
            TimeoutError(),
            PoolTimeoutError("QueuePool limit of size 10 overflow 10 reached"),
        ],
        ids=lambda e: type(e).__name__ + ":" + str(getattr(getattr(e, "orig", None), "sqlstate", "")),
    )
    def test_the_database_being_away_is_recognised(self, exc: BaseException) -> None:
        assert database_unavailable(exc)

    @pytest.mark.parametrize(
        "exc",
        [
            IntegrityError("INSERT", None, _Driver("duplicate key", "23505")),
            _dbapi("22021", 'invalid byte sequence for encoding "UTF8": 0x00'),
            _dbapi(None),
            ValueError("not a connection problem"),
        ],
    )
    def test_a_request_error_is_not_an_outage(self, exc: BaseException) -> None:
        assert not database_unavailable(exc)


def _raising_app(exc: BaseException) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/raise")
    async def raise_it() -> None:
        raise exc

    return app


@pytest.mark.parametrize(
    "exc",
    [
        _dbapi("57P03", "the database system is shutting down"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError(),
        PoolTimeoutError("QueuePool limit reached"),
    ],
    ids=["cannot-connect-now", "refused", "connect-timeout", "pool-exhausted"],
)
async def test_each_outage_is_a_503_problem_with_retry_after(exc: BaseException) -> None:
    transport = httpx.ASGITransport(app=_raising_app(exc), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        _assert_retry_later(await client.get("/raise"))


async def test_any_other_database_error_is_still_a_500() -> None:
    app = _raising_app(IntegrityError("INSERT", None, _Driver("duplicate key", "23505")))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/raise")
    assert response.status_code == 500
    assert "retry-after" not in response.headers


async def test_an_unreachable_database_is_a_503_with_retry_after(
    database_url: str, test_issuer: TestIssuer, auth: Auth
) -> None:
    """Nothing listens where the database should be: reads, writes and idempotent creates all say
    "try again later" (the idempotency key's claim cannot be stored either)."""
    engine = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{_unused_port()}/gone", pool_size=1)
    app = make_app(database_url, make_sessionmaker(engine), test_issuer.verifier("sample-api"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            _assert_retry_later(await client.get("/v1/widgets", headers=auth(**OFFICER)))
            body = {"name": "w", "province_code": "31", "commune_code": "10525"}
            _assert_retry_later(await client.post("/v1/widgets", json=body, headers=auth(**OFFICER)))
            keyed = {**auth(**OFFICER), "Idempotency-Key": "outage-1"}
            _assert_retry_later(await client.post("/v1/machine-widgets", json=body, headers=keyed))
    finally:
        await engine.dispose()


async def test_a_connection_the_server_terminates_mid_request_is_a_503(database_url: str) -> None:
    """What a PostgreSQL restart does to a request in flight: its backend goes away under it."""
    engine = make_engine(database_url, pool_size=1)
    app = FastAPI()
    install_error_handlers(app)
    app.state.sessionmaker = make_sessionmaker(engine)

    @app.get("/terminated")
    async def terminated(session: SessionDep) -> None:
        await session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            _assert_retry_later(await client.get("/terminated"))
    finally:
        await engine.dispose()

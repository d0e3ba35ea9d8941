"""Per-client quotas (servicekit.quota): counted in PostgreSQL per client and minute, 429 over the
quota with Retry-After and the RateLimit headers, a rolled-back request still counted."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase

from sample_service.app import HERE, make_settings, router
from sample_service.models import AuditRecord, IdempotencyRecord, Job, OutboxEvent, Widget
from servicekit.db.base import service_metadata
from servicekit.db.engine import make_engine
from servicekit.db.platform import ClientQuotaWindowMixin, PlatformModels
from servicekit.principal import principal_from_claims
from servicekit.quota import QuotaState, purge_windows, quota_of, window_of
from servicekit.testing.tokens import TestIssuer
from servicekit.web.app import ServiceSpec, create_service_app

PROBLEM = "application/problem+json"
OFFICER = {"roles": ["commune_officer"], "area_codes": ["10525"]}
# 10:20:15 UTC: 45 seconds left in the window.
NOON = datetime(2026, 11, 28, 10, 20, 15, tzinfo=UTC)


class QuotaBase(DeclarativeBase):
    metadata = service_metadata()


class ClientQuotaWindow(ClientQuotaWindowMixin, QuotaBase):
    __tablename__ = "client_quota_window"


@pytest.fixture(scope="module")
async def quota_table(database_url: str) -> AsyncIterator[None]:
    """The sample service has no quota table in its migrations: this module creates and drops it."""
    engine = make_engine(database_url, pool_size=1)
    async with engine.begin() as conn:
        await conn.run_sync(QuotaBase.metadata.create_all)
    yield
    async with engine.begin() as conn:
        await conn.run_sync(QuotaBase.metadata.drop_all)
    await engine.dispose()


def quota_app(
    database_url: str, sessionmaker: async_sessionmaker[AsyncSession], issuer: TestIssuer
) -> FastAPI:
    spec = ServiceSpec(
        title="sample with quotas",
        description="servicekit's test service, counting quotas",
        v1_router=router,
        alembic_ini=HERE / "alembic.ini",
        gateway_prefix="/api/sample",
        platform=PlatformModels(
            audit=AuditRecord,
            outbox=OutboxEvent,
            idempotency=IdempotencyRecord,
            job=Job,
            quota=ClientQuotaWindow,
        ),
    )
    app = create_service_app(
        make_settings(database_url),
        spec,
        sessionmaker=sessionmaker,
        token_verifier=issuer.verifier("sample-api"),
        configure_logs=False,
    )
    app.state.quota_clock = lambda: NOON
    return app


@pytest.fixture
async def quota_client(
    quota_table: None,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    app = quota_app(database_url, rollback_sessionmaker, test_issuer)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield app, http


@pytest.fixture
async def committing_quota_client(
    quota_table: None, database_url: str, db_engine: AsyncEngine, test_issuer: TestIssuer
) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], httpx.AsyncClient]]:
    sessionmaker = async_sessionmaker(db_engine, expire_on_commit=False, autoflush=False)
    app = quota_app(database_url, sessionmaker, test_issuer)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield sessionmaker, http
    async with sessionmaker() as session, session.begin():
        await session.execute(ClientQuotaWindow.__table__.delete())
        await session.execute(Widget.__table__.delete())
        await session.execute(AuditRecord.__table__.delete())
        await session.execute(OutboxEvent.__table__.delete())


def partner(token: Callable[..., str], quota: int | None, client_id: str = "partner-x") -> dict[str, str]:
    extra = {"quota_per_minute": quota} if quota is not None else {}
    bearer = token(roles=["commune_officer"], area_codes=["10525"], client_id=client_id, **extra)
    return {"Authorization": f"Bearer {bearer}"}


def test_the_quota_claim_is_read_strictly() -> None:
    def quota(value: object) -> int | None:
        return quota_of(principal_from_claims({"sub": "s", "quota_per_minute": value}))

    assert quota(60) == 60
    assert quota("60") == 60  # some providers put hard-coded claims as strings
    for bad in (None, 0, -1, True, 1.5, "sixty", 100_001, [60]):
        assert quota(bad) is None, bad


def test_windows_are_utc_minutes() -> None:
    assert window_of(NOON) == (NOON.replace(second=0), 45)
    assert window_of(NOON.replace(second=59, microsecond=500_000))[1] == 1
    assert window_of(NOON.replace(second=0))[1] == 60
    state = QuotaState(limit=3, used=4, reset_s=45)
    assert state.exceeded
    assert state.headers() == {"RateLimit-Limit": "3", "RateLimit-Remaining": "0", "RateLimit-Reset": "45"}


async def test_the_request_after_the_quota_is_a_429_with_retry_after(
    quota_client: tuple[FastAPI, httpx.AsyncClient], token: Callable[..., str]
) -> None:
    _, client = quota_client
    headers = partner(token, 3)
    for remaining in (2, 1, 0):
        response = await client.get("/v1/widgets", headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["ratelimit-limit"] == "3"
        assert response.headers["ratelimit-remaining"] == str(remaining)
        assert response.headers["ratelimit-reset"] == "45"
    refused = await client.get("/v1/widgets", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "quota_exceeded"
    assert refused.json()["type"].endswith("/problems/quota-exceeded")
    assert refused.headers["retry-after"] == "45"
    assert refused.headers["ratelimit-remaining"] == "0"
    assert refused.headers["ratelimit-limit"] == "3"
    # Every call counts, refused ones too; a wrong route with a good token counts as well.
    assert (await client.get("/v1/widgets", headers=headers)).status_code == 429


async def test_clients_windows_and_tokens_without_quota_are_apart(
    quota_client: tuple[FastAPI, httpx.AsyncClient], token: Callable[..., str], db_session: AsyncSession
) -> None:
    app, client = quota_client
    one = partner(token, 1, client_id="partner-one")
    assert (await client.get("/v1/widgets", headers=one)).status_code == 200
    assert (await client.get("/v1/widgets", headers=one)).status_code == 429
    # Another client has its own count; a person's token (no claim) is never counted.
    assert (
        await client.get("/v1/widgets", headers=partner(token, 1, client_id="partner-two"))
    ).status_code == 200
    person = await client.get("/v1/widgets", headers=partner(token, None, client_id="noxh-spa"))
    assert person.status_code == 200
    assert "ratelimit-limit" not in person.headers
    # The next minute is a new window.
    app.state.quota_clock = lambda: NOON + timedelta(minutes=1)
    again = await client.get("/v1/widgets", headers=one)
    assert again.status_code == 200
    assert again.headers["ratelimit-reset"] == "45"
    rows = (
        await db_session.execute(
            select(
                ClientQuotaWindow.client_id, ClientQuotaWindow.window_start, ClientQuotaWindow.count
            ).order_by(ClientQuotaWindow.client_id, ClientQuotaWindow.window_start)
        )
    ).all()
    start = NOON.replace(second=0)
    assert [tuple(r) for r in rows] == [
        ("partner-one", start, 2),
        ("partner-one", start + timedelta(minutes=1), 1),
        ("partner-two", start, 1),
    ]


async def test_a_rolled_back_request_still_counts(
    committing_quota_client: tuple[async_sessionmaker[AsyncSession], httpx.AsyncClient],
    token: Callable[..., str],
) -> None:
    sessionmaker, client = committing_quota_client
    headers = partner(token, 2)
    # Refused by a deferred constraint at commit: the request's transaction rolls back.
    failed = await client.post(
        "/v1/widgets/pair",
        json={"name": "twin", "province_code": "31", "commune_code": "10525"},
        headers=headers,
    )
    assert failed.status_code == 500
    assert failed.headers["ratelimit-remaining"] == "1"
    async with sessionmaker() as session:
        assert (await session.execute(select(func.count()).select_from(Widget))).scalar_one() == 0
        assert (await session.execute(select(ClientQuotaWindow.count))).scalar_one() == 1
    assert (await client.get("/v1/widgets", headers=headers)).status_code == 200
    assert (await client.get("/v1/widgets", headers=headers)).status_code == 429


async def test_old_windows_are_purged(quota_table: None, db_session: AsyncSession) -> None:
    start = NOON.replace(second=0)
    db_session.add_all(
        [
            ClientQuotaWindow(client_id="p", window_start=start - timedelta(minutes=30), count=5),
            ClientQuotaWindow(client_id="p", window_start=start, count=5),
        ]
    )
    await db_session.flush()
    assert await purge_windows(db_session, ClientQuotaWindow, now=NOON) == 1
    left = (await db_session.execute(select(ClientQuotaWindow.window_start))).scalars().all()
    assert left == [start]


def test_the_openapi_documents_the_429_where_a_quota_is_counted(
    quota_table: None,
    database_url: str,
    rollback_sessionmaker: async_sessionmaker[AsyncSession],
    test_issuer: TestIssuer,
) -> None:
    schema = quota_app(database_url, rollback_sessionmaker, test_issuer).openapi()
    answer = schema["paths"]["/v1/widgets"]["get"]["responses"]["429"]
    assert set(answer["headers"]) == {
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
    }
    assert "429" not in schema["paths"]["/healthz"]["get"]["responses"]

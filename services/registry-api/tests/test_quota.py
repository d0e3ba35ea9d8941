"""Quotas in registry-api (servicekit.quota): a client whose token carries `quota_per_minute` gets a 429
with Retry-After at quota + 1, the RateLimit headers on every answer, and a request whose transaction
rolled back still counts (the count commits on its own)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.models.platform import ClientQuotaWindow

# 45 seconds before the minute ends: the answers' RateLimit-Reset and Retry-After.
NOW = datetime(2026, 11, 28, 10, 20, 15, tzinfo=UTC)
OK_PATH = "/v1/partner/projects"
FAILING_PATH = "/v1/partner/projects/{id}"


async def test_the_request_after_the_quota_is_a_429_and_a_rolled_back_one_counts(
    committing_app: FastAPI,
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    token: Callable[..., str],
) -> None:
    committing_app.state.quota_clock = lambda: NOW
    bearer = token(
        roles=["partner"],
        area_codes=["31"],
        scopes=["registry:projects:read"],
        client_id="partner-quota-test",
        quota_per_minute=3,
    )
    headers = {"Authorization": f"Bearer {bearer}"}
    failed = await committing_client.get(FAILING_PATH.format(id=uuid.uuid4()), headers=headers)
    assert failed.status_code == 404, failed.text
    assert (failed.headers["ratelimit-limit"], failed.headers["ratelimit-remaining"]) == ("3", "2")
    # The request's transaction rolled back; its count was committed before it started.
    async with committing_sessionmaker() as session:
        counted = (await session.execute(select(ClientQuotaWindow.client_id, ClientQuotaWindow.count))).all()
    assert [tuple(row) for row in counted] == [("partner-quota-test", 1)]
    for remaining in ("1", "0"):
        answer = await committing_client.get(OK_PATH, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.headers["ratelimit-remaining"] == remaining
        assert answer.headers["ratelimit-reset"] == "45"
    refused = await committing_client.get(OK_PATH, headers=headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "quota_exceeded"
    assert refused.headers["retry-after"] == "45"
    assert (refused.headers["ratelimit-limit"], refused.headers["ratelimit-remaining"]) == ("3", "0")
    # Without the claim (people, services), nobody is counted.
    person = await committing_client.get(
        OK_PATH,
        headers={
            "Authorization": "Bearer "
            + token(roles=["partner"], area_codes=["31"], scopes=["registry:projects:read"])
        },
    )
    assert person.status_code == 200
    assert "ratelimit-limit" not in person.headers

"""funding-api's webhooks (servicekit's, tested in depth in registry-api): its scope, its partner-safe
types, and an event of its own delivered and signed."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import httpx
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from funding_api.config import Settings
from funding_api.events import EVENT_CATALOGUE, PARTNER_SAFE_EVENT_TYPES
from funding_api.models.platform import PLATFORM, OutboxEvent, WebhookDelivery
from servicekit.outbox import emit
from servicekit.testing.tokens import TEST_ISSUER
from servicekit.webhook_delivery import fan_out, send_due
from servicekit.webhooks import secret_cipher, webhook_setup

Auth = Callable[..., dict[str, str]]
URL = "/v1/webhooks/subscriptions"
SAFE = "vbsp_entrustment.utilisation_reported"


def partner(auth: Auth, *scopes: str) -> dict[str, str]:
    return auth(roles=["partner"], area_codes=["31"], scopes=list(scopes), subject="so-thong-ke")


async def test_subscriptions_need_the_funding_scope_and_partner_safe_types(
    client: httpx.AsyncClient, auth: Auth
) -> None:
    body = {"url": "http://127.0.0.1:9/hook", "event_types": [SAFE]}
    refused = await client.post(URL, json=body, headers=partner(auth, "registry:events:read"))
    assert (refused.status_code, refused.json()["code"]) == (403, "events_scope_missing")
    officer = auth(roles=["finance_officer"], area_codes=["31"], scopes=["funding:events:read"])
    assert (await client.post(URL, json=body, headers=officer)).status_code == 403
    personal = await client.post(
        URL,
        json=body | {"event_types": ["disbursement.recorded"]},
        headers=partner(auth, "funding:events:read"),
    )
    assert (personal.status_code, personal.json()["code"]) == (422, "event_type_not_available")
    outside = await client.post(
        URL, json=body | {"url": "https://hooks.example.com/x"}, headers=partner(auth, "funding:events:read")
    )
    assert [e["pointer"] for e in outside.json()["errors"]] == ["/body/url"]
    created = await client.post(URL, json=body, headers=partner(auth, "funding:events:read"))
    assert created.status_code == 201, created.text
    types = await client.get("/v1/webhooks/event-types", headers=partner(auth, "funding:events:read"))
    assert types.json()["event_types"] == sorted(PARTNER_SAFE_EVENT_TYPES)
    listed = await client.get(URL, headers=partner(auth, "funding:events:read"))
    assert [s["id"] for s in listed.json()["items"]] == [created.json()["id"]]


async def test_an_event_is_delivered_signed(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Auth,
    database_url: str,
) -> None:
    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr(database_url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
    )
    setup = webhook_setup(PLATFORM, EVENT_CATALOGUE, settings)
    created = await committing_client.post(
        URL,
        json={"url": "http://127.0.0.1:9/hook", "event_types": [SAFE]},
        headers=partner(auth, "funding:events:read"),
    )
    assert created.status_code == 201, created.text
    async with committing_sessionmaker() as session, session.begin():
        await emit(session, OutboxEvent, type=SAFE, subject=f"urn:noxh:funding:x:{uuid.uuid4()}",
                   area_codes=["31"], data={"borrowers": 12})  # fmt: skip
    for _ in range(900):  # another test run's open transaction on the shared server holds the outbox back
        async with committing_sessionmaker() as session, session.begin():
            if await fan_out(session, setup, OutboxEvent):
                break
        await asyncio.sleep(0.2)
    received: list[httpx.Request] = []

    def receiver(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(receiver)) as http:
        outcome = await send_due(committing_sessionmaker, setup, secret_cipher(settings), http)
    assert outcome["succeeded"] == 1
    (request,) = received
    payload = Webhook(created.json()["secret"]).verify(request.content.decode(), dict(request.headers))
    assert (payload["type"], payload["data"]) == (SAFE, {"borrowers": 12})
    async with committing_sessionmaker() as session:
        (status,) = (await session.execute(select(WebhookDelivery.status))).scalars().all()
    assert status == "succeeded"

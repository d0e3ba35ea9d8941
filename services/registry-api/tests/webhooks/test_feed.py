"""The event feed by scope: partners need `registry:events:read` and see only partner-safe types."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.events import PARTNER_SAFE_EVENT_TYPES
from registry_api.models.platform import OutboxEvent
from servicekit.outbox import emit

Auth = Callable[..., dict[str, str]]


async def publish(sessionmaker: async_sessionmaker[AsyncSession], type_: str, **data: Any) -> None:
    async with sessionmaker() as session, session.begin():
        await emit(
            session,
            OutboxEvent,
            type=type_,
            subject=f"urn:noxh:registry:test:{uuid.uuid4()}",
            area_codes=["31", "10525"],
            data=data,
        )


async def feed_types(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get("/v1/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [e["type"] for e in response.json()["items"]]


async def test_partners_read_only_partner_safe_types(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    auth: Auth,
) -> None:
    assert "housing_project.created" in PARTNER_SAFE_EVENT_TYPES
    await publish(committing_sessionmaker, "housing_project.created", housing_project_id="p1")
    await publish(committing_sessionmaker, "person.created", person_id="x", household_id="h")
    await publish(committing_sessionmaker, "support_case.approved", support_case_id="c")
    officer = auth(roles=["province_officer"], area_codes=["31"])
    everything: list[str] = []
    for _ in range(900):  # another test run's open transaction on the shared server holds the feed back
        everything = await feed_types(committing_client, officer)
        if len(everything) == 3:
            break
        await asyncio.sleep(0.2)
    assert everything == ["housing_project.created", "person.created", "support_case.approved"]

    partner = auth(roles=["partner"], area_codes=["31"], scopes=["registry:events:read"])
    assert await feed_types(committing_client, partner) == ["housing_project.created"]
    assert await feed_types(committing_client, partner, type="person.created") == []
    page = (
        await committing_client.get("/v1/events", params={"type": "person.created"}, headers=partner)
    ).json()
    assert page["next_cursor"]  # the cursor still moves past what the partner may not see
    assert await feed_types(committing_client, partner, after=page["next_cursor"]) == []

    for scopes in ([], ["events:read"], ["funding:events:read"]):
        refused = await committing_client.get(
            "/v1/events", headers=auth(roles=["partner"], area_codes=["31"], scopes=scopes)
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "events_scope_missing"
    other_province = auth(roles=["partner"], area_codes=["01"], scopes=["registry:events:read"])
    assert await feed_types(committing_client, other_province) == []
    assert (
        await committing_client.get("/v1/events", headers=auth(roles=["commune_officer"]))
    ).status_code == 403

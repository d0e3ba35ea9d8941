"""Webhook delivery in the worker, against receivers behind httpx.MockTransport: the fan-out (types,
areas, once per event), signed POSTs the Standard Webhooks library verifies, retries on the schedule
until `dead`, replays, and a slow receiver that does not hold up the others.

These tests commit (the fan-out serves only events of finished transactions, as the feed does). Another
test run's open transaction on the shared server holds that horizon back for a moment, so the fan-out
is repeated until what the test waits for is there."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks import Webhook

from registry_api.config import Settings
from registry_api.events import EVENT_CATALOGUE
from registry_api.models.platform import PLATFORM, Job, OutboxEvent, WebhookDelivery
from registry_api.worker import registry as worker_registry
from servicekit.jobs import JobRegistry, Worker, enqueue
from servicekit.outbox import emit
from servicekit.pii import PiiCipher
from servicekit.webhook_delivery import (
    WEBHOOK_FAN_OUT,
    WEBHOOK_JOBS_PURGE,
    WEBHOOK_SEND,
    fan_out,
    purge_webhook_jobs,
    register_webhook_jobs,
    send_due,
    webhook_periodic,
)
from servicekit.webhooks import DeliveryPolicy, WebhookSetup

Auth = Callable[..., dict[str, str]]
Sessionmaker = async_sessionmaker[AsyncSession]
Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]
URL = "/v1/webhooks/subscriptions"
SCOPE = "registry:events:read"
# Up to 3 minutes (0.2 s a round) for another run's open transaction on the shared test server to end.
HORIZON_WAIT_ROUNDS = 900


def partner(auth: Auth, subject: str = "partner-a") -> dict[str, str]:
    return auth(roles=["partner"], area_codes=["31"], scopes=[SCOPE], subject=subject, client_id=subject)


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, types: list[str]
) -> dict[str, Any]:
    response = await client.post(URL, json={"url": url, "event_types": types}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def publish(sessionmaker: Sessionmaker, type_: str, area_codes: list[str], **data: Any) -> None:
    async with sessionmaker() as session, session.begin():
        await emit(
            session,
            OutboxEvent,
            type=type_,
            subject=f"urn:noxh:registry:test:{uuid.uuid4()}",
            area_codes=area_codes,
            data=data,
        )


async def deliveries(sessionmaker: Sessionmaker, subscription_id: str | None = None) -> list[WebhookDelivery]:
    async with sessionmaker() as session:
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.created_at, WebhookDelivery.id)
        if subscription_id is not None:
            stmt = stmt.where(WebhookDelivery.subscription_id == uuid.UUID(subscription_id))
        return list((await session.execute(stmt)).scalars())


async def fan_out_until(sessionmaker: Sessionmaker, setup: WebhookSetup, expected: int) -> int:
    """Run the fan-out (each run commits) until `expected` deliveries exist; returns how many runs made."""
    created = 0
    for _ in range(HORIZON_WAIT_ROUNDS):
        async with sessionmaker() as session, session.begin():
            created += await fan_out(session, setup, OutboxEvent)
        if len(await deliveries(sessionmaker)) >= expected:
            return created
        await asyncio.sleep(0.2)
    raise AssertionError(f"the fan-out made {created} deliveries, not {expected}")


async def make_due(sessionmaker: Sessionmaker) -> None:
    """As if the retry's time had come."""
    async with sessionmaker() as session, session.begin():
        await session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.next_attempt_at.is_not(None))
            .values(next_attempt_at=func.now())
        )


class Receivers:
    """Receivers by URL path: each answers with its handler and records what it got."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.received: list[httpx.Request] = []

    def at(self, path: str, status: int = 200) -> None:
        async def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(status)

        self.handlers[path] = answer

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.received.append(request)
        return await self.handlers[request.url.path](request)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


@pytest.fixture
def receivers() -> Receivers:
    return Receivers()


class TestFanOut:
    async def test_each_subscription_gets_its_types_in_its_areas_once(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        setup: WebhookSetup,
    ) -> None:
        mine = await subscribe(
            committing_client, partner(auth), "http://127.0.0.1:9/a", ["housing_project.created"]
        )
        admin = auth(roles=["administrator"], area_codes=["31"], subject="admin-1")
        internal = await subscribe(
            committing_client, admin, "http://127.0.0.1:9/i", ["housing_project.created", "person.created"]
        )
        paused = await subscribe(
            committing_client, partner(auth, "partner-p"), "http://127.0.0.1:9/p", ["housing_project.created"]
        )
        pause = await committing_client.patch(
            f"{URL}/{paused['id']}",
            json={"active": False},
            headers=partner(auth, "partner-p") | {"If-Match": 'W/"1"'},
        )
        assert pause.status_code == 200
        await publish(
            committing_sessionmaker, "housing_project.created", ["31", "10525"], housing_project_id="p1"
        )
        await publish(committing_sessionmaker, "person.created", ["31", "10525"], person_id="x")
        await publish(committing_sessionmaker, "housing_project.created", ["01"], housing_project_id="hanoi")
        await publish(committing_sessionmaker, "housing_target.created", ["31"], housing_target_id="t")
        await publish(committing_sessionmaker, "housing_project.created", ["31"], housing_project_id="p2")

        await fan_out_until(committing_sessionmaker, setup, 5)
        await asyncio.sleep(0.3)
        async with committing_sessionmaker() as session, session.begin():
            assert await fan_out(session, setup, OutboxEvent) == 0  # each event once per subscription

        got = {}
        for sub in (mine, internal, paused):
            rows = await deliveries(committing_sessionmaker, sub["id"])
            got[sub["id"]] = [(d.event_type, json.loads(d.body)["data"]) for d in rows]
        assert got[mine["id"]] == [
            ("housing_project.created", {"housing_project_id": "p1"}),
            ("housing_project.created", {"housing_project_id": "p2"}),
        ]
        assert got[internal["id"]] == [
            ("housing_project.created", {"housing_project_id": "p1"}),
            ("person.created", {"person_id": "x"}),
            ("housing_project.created", {"housing_project_id": "p2"}),
        ]
        assert got[paused["id"]] == []
        # The cursor moved without touching the subscriber's ETag.
        read = await committing_client.get(f"{URL}/{mine['id']}", headers=partner(auth))
        assert read.headers["etag"] == 'W/"1"'
        assert read.json()["updated_at"] == mine["updated_at"]

    async def test_a_partner_never_gets_a_type_that_is_no_longer_partner_safe(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        settings: Settings,
    ) -> None:
        mine = await subscribe(
            committing_client,
            partner(auth),
            "http://127.0.0.1:9/a",
            ["housing_project.created", "housing_target.created"],
        )
        narrower = WebhookSetup.of(
            PLATFORM,
            type(EVENT_CATALOGUE)(
                types=EVENT_CATALOGUE.types, partner_safe=frozenset({"housing_target.created"})
            ),
            events_scope=SCOPE,
            target=setup_target(settings),
            policy=DeliveryPolicy(),
        )
        await publish(committing_sessionmaker, "housing_project.created", ["31"])
        await publish(committing_sessionmaker, "housing_target.created", ["31"])
        await fan_out_until(committing_sessionmaker, narrower, 1)
        await asyncio.sleep(0.3)
        async with committing_sessionmaker() as session, session.begin():
            await fan_out(session, narrower, OutboxEvent)
        assert [d.event_type for d in await deliveries(committing_sessionmaker, mine["id"])] == [
            "housing_target.created"
        ]


def setup_target(settings: Settings) -> Any:
    from servicekit.webhooks import target_policy

    return target_policy(settings)


class TestSending:
    async def test_signed_posts_of_the_feeds_envelope(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        setup: WebhookSetup,
        cipher: PiiCipher,
        receivers: Receivers,
    ) -> None:
        mine = await subscribe(
            committing_client, partner(auth), "http://127.0.0.1:9/a", ["housing_project.created"]
        )
        receivers.at("/a", 204)
        await publish(
            committing_sessionmaker, "housing_project.created", ["31", "10525"], housing_project_id="p1"
        )
        await fan_out_until(committing_sessionmaker, setup, 1)
        async with receivers.client() as http:
            outcome = await send_due(committing_sessionmaker, setup, cipher, http)
        assert outcome == {"claimed": 1, "succeeded": 1, "failed": 0, "dead": 0}

        (request,) = receivers.received
        assert request.method == "POST"
        assert request.headers["content-type"] == "application/json"
        body = request.content.decode()
        Webhook(mine["secret"]).verify(body, dict(request.headers))
        (delivery,) = await deliveries(committing_sessionmaker)
        assert request.headers["webhook-id"] == str(delivery.event_id)
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
        # The body is the event exactly as the feed serves it.
        officer = auth(roles=["province_officer"], area_codes=["31"])
        feed = (await committing_client.get("/v1/events", headers=officer)).json()
        (served,) = [e for e in feed["items"] if e["id"] == str(delivery.event_id)]
        assert json.loads(body) == served
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 204)
        assert (delivery.next_attempt_at, delivery.last_error) == (None, None)
        # Nothing more is due.
        async with receivers.client() as http:
            assert await send_due(committing_sessionmaker, setup, cipher, http) == {"claimed": 0}

    async def test_failures_are_retried_on_the_schedule_then_dead_and_a_replay_sends_again(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        setup: WebhookSetup,
        cipher: PiiCipher,
        receivers: Receivers,
    ) -> None:
        assert setup.policy.retry_schedule_s == (5, 30)
        mine = await subscribe(
            committing_client, partner(auth), "http://127.0.0.1:9/b", ["housing_target.created"]
        )
        receivers.at("/b", 500)
        await publish(committing_sessionmaker, "housing_target.created", ["31"], housing_target_id="t1")
        await fan_out_until(committing_sessionmaker, setup, 1)

        async with receivers.client() as http:
            assert (await send_due(committing_sessionmaker, setup, cipher, http))["failed"] == 1
        (first,) = await deliveries(committing_sessionmaker)
        assert (first.status, first.attempts, first.last_status_code) == ("failed", 1, 500)
        assert first.last_error == "the receiver answered HTTP 500"
        assert first.next_attempt_at is not None
        assert first.last_attempt_at is not None
        assert first.next_attempt_at - first.last_attempt_at == pytest.approx(
            timedelta(seconds=5), abs=timedelta(seconds=1)
        )
        async with receivers.client() as http:  # not due yet
            assert await send_due(committing_sessionmaker, setup, cipher, http) == {"claimed": 0}

        async def refuse(request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

        receivers.handlers["/b"] = refuse
        await make_due(committing_sessionmaker)
        async with receivers.client() as http:
            await send_due(committing_sessionmaker, setup, cipher, http)
        (second,) = await deliveries(committing_sessionmaker)
        assert (second.status, second.attempts, second.last_status_code) == ("failed", 2, None)
        assert second.last_error == "ConnectError: could not deliver"
        assert second.next_attempt_at is not None
        assert second.last_attempt_at is not None
        assert second.next_attempt_at - second.last_attempt_at == pytest.approx(
            timedelta(seconds=30), abs=timedelta(seconds=1)
        )

        receivers.at("/b", 503)
        await make_due(committing_sessionmaker)
        async with receivers.client() as http:
            assert (await send_due(committing_sessionmaker, setup, cipher, http))["dead"] == 1
        (dead,) = await deliveries(committing_sessionmaker)
        assert (dead.status, dead.attempts, dead.last_status_code, dead.next_attempt_at) == (
            "dead",
            3,
            503,
            None,
        )
        async with receivers.client() as http:
            assert await send_due(committing_sessionmaker, setup, cipher, http) == {"claimed": 0}
        assert len(receivers.received) == 3

        log = (await committing_client.get(f"{URL}/{mine['id']}/deliveries", headers=partner(auth))).json()
        assert [(d["status"], d["attempts"]) for d in log["items"]] == [("dead", 3)]
        replay = await committing_client.post(
            f"/v1/webhooks/deliveries/{dead.id}/replay", headers=partner(auth)
        )
        assert replay.status_code == 202, replay.text
        receivers.at("/b", 200)
        async with receivers.client() as http:
            assert (await send_due(committing_sessionmaker, setup, cipher, http))["succeeded"] == 1
        assert receivers.received[-1].content == receivers.received[0].content
        assert receivers.received[-1].headers["webhook-id"] == str(dead.event_id)
        log = (await committing_client.get(f"{URL}/{mine['id']}/deliveries", headers=partner(auth))).json()
        assert [(d["status"], d["replay_of_id"]) for d in log["items"]] == [
            ("succeeded", str(dead.id)),
            ("dead", None),
        ]

    async def test_a_slow_receiver_does_not_hold_up_another_subscription(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        setup: WebhookSetup,
        cipher: PiiCipher,
        receivers: Receivers,
    ) -> None:
        assert setup.policy.timeout_s == 0.5
        await subscribe(
            committing_client,
            partner(auth, "partner-s"),
            "http://127.0.0.1:9/slow",
            ["housing_project.created"],
        )
        fast = await subscribe(
            committing_client, partner(auth), "http://127.0.0.1:9/fast", ["housing_target.created"]
        )

        async def hang(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(30)
            return httpx.Response(200)

        receivers.handlers["/slow"] = hang
        receivers.at("/fast", 200)
        for n in range(6):
            await publish(committing_sessionmaker, "housing_project.created", ["31"], n=n)
        await publish(committing_sessionmaker, "housing_target.created", ["31"])
        await fan_out_until(committing_sessionmaker, setup, 7)

        started = time.monotonic()
        async with receivers.client() as http:
            outcome = await send_due(committing_sessionmaker, setup, cipher, http)
        elapsed = time.monotonic() - started
        # Attempts run side by side, each cut at the time limit; a run takes at most `per_subscription`
        # deliveries of one subscription, so the slow receiver's backlog leaves room for the others.
        assert outcome == {
            "claimed": 1 + setup.policy.per_subscription,
            "succeeded": 1,
            "failed": 4,
            "dead": 0,
        }
        assert elapsed < 10
        (done,) = await deliveries(committing_sessionmaker, fast["id"])
        assert done.status == "succeeded"
        slow = [
            d for d in await deliveries(committing_sessionmaker) if d.subscription_id != done.subscription_id
        ]
        assert sorted(d.status for d in slow) == ["failed"] * 4 + ["pending"] * 2
        assert {d.last_error for d in slow if d.status == "failed"} == {"no answer within 0.5 s"}


class TestWorker:
    def test_the_service_worker_runs_the_webhook_jobs(self) -> None:
        jobs = worker_registry()
        assert {WEBHOOK_FAN_OUT, WEBHOOK_SEND, WEBHOOK_JOBS_PURGE} <= jobs.kinds
        assert {p.kind for p in webhook_periodic(5)} <= jobs.kinds

    async def test_their_succeeded_runs_are_purged_after_a_day(
        self, committing_sessionmaker: Sessionmaker
    ) -> None:
        async with committing_sessionmaker() as session, session.begin():
            for kind, status, age in (
                (WEBHOOK_SEND, "succeeded", 2),
                (WEBHOOK_FAN_OUT, "succeeded", 2),
                (WEBHOOK_SEND, "succeeded", 0),
                (WEBHOOK_SEND, "dead", 2),
                ("platform.audit_seal", "succeeded", 2),
            ):
                job = await enqueue(session, Job, kind, {})
                job.status = status
                job.finished_at = datetime.now(UTC) - timedelta(days=age, minutes=1)
        async with committing_sessionmaker() as session, session.begin():
            assert await purge_webhook_jobs(session, Job) == 2
        async with committing_sessionmaker() as session:
            left = (await session.execute(select(Job.kind, Job.status).order_by(Job.kind))).all()
        assert sorted(left) == [
            ("platform.audit_seal", "succeeded"),
            (WEBHOOK_SEND, "dead"),
            (WEBHOOK_SEND, "succeeded"),
        ]

    async def test_the_jobs_fan_out_and_send(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: Sessionmaker,
        auth: Auth,
        settings: Settings,
        receivers: Receivers,
    ) -> None:
        jobs = JobRegistry()
        register_webhook_jobs(
            jobs, PLATFORM, EVENT_CATALOGUE, lambda: settings, client_factory=lambda _: receivers.client()
        )
        worker = Worker(committing_sessionmaker, Job, jobs, worker_id="webhook-test")
        mine = await subscribe(
            committing_client, partner(auth), "http://127.0.0.1:9/a", ["housing_project.created"]
        )
        receivers.at("/a", 200)
        await publish(committing_sessionmaker, "housing_project.created", ["31"])
        for _ in range(HORIZON_WAIT_ROUNDS):
            async with committing_sessionmaker() as session, session.begin():
                await enqueue(session, Job, WEBHOOK_FAN_OUT, {})
            assert await worker.run_once()
            if await deliveries(committing_sessionmaker):
                break
            await asyncio.sleep(0.2)
        async with committing_sessionmaker() as session, session.begin():
            await enqueue(session, Job, WEBHOOK_SEND, {})
        assert await worker.run_once()
        (delivery,) = await deliveries(committing_sessionmaker, mine["id"])
        assert delivery.status == "succeeded"
        async with committing_sessionmaker() as session:
            results = (
                await session.execute(select(Job.kind, Job.status, Job.result).order_by(Job.created_at))
            ).all()
        assert results[-1] == (
            WEBHOOK_SEND,
            "succeeded",
            {"claimed": 1, "succeeded": 1, "failed": 0, "dead": 0},
        )

"""Webhook subscriptions through the API: who may manage which, the allow-list, the event types a
partner may have, ETags, the secret (shown once, stored encrypted, rotated), the delivery log and
replays, and the audit trail of every change."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.events import EVENT_TYPES, PARTNER_SAFE_EVENT_TYPES
from registry_api.models import AuditRecord
from registry_api.models.platform import IdempotencyRecord, WebhookDelivery, WebhookSubscription
from servicekit.pii import PiiCipher
from servicekit.webhooks import SECRET_CONTEXT

Auth = Callable[..., dict[str, str]]
URL = "/v1/webhooks/subscriptions"
SCOPE = "registry:events:read"
RECEIVER = "https://hooks.partner.vn/noxh"


def partner(auth: Auth, subject: str = "partner-a", scopes: tuple[str, ...] = (SCOPE,)) -> dict[str, str]:
    return auth(roles=["partner"], area_codes=["31"], scopes=list(scopes), subject=subject, client_id=subject)


def administrator(auth: Auth) -> dict[str, str]:
    return auth(roles=["administrator"], area_codes=["31"], subject="admin-1", client_id="noxh-spa")


def body(**overrides: Any) -> dict[str, Any]:
    return {
        "url": RECEIVER,
        "event_types": ["housing_project.created", "housing_target.created"],
        "description": "Sở Xây dựng: dự án mới",
    } | overrides


async def subscribe(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    payload: dict[str, Any] = response.json()
    assert payload["code"] == code, payload
    return payload


def pointers(payload: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["pointer"], e["code"]) for e in payload.get("errors", [])]


async def audit_rows(db_session: AsyncSession, resource_id: str) -> list[AuditRecord]:
    rows = await db_session.execute(
        select(AuditRecord).where(AuditRecord.resource_id == resource_id).order_by(AuditRecord.occurred_at)
    )
    return list(rows.scalars())


class TestSubscribe:
    async def test_a_partner_subscribes_and_sees_the_secret_once(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession, cipher: PiiCipher
    ) -> None:
        response = await client.post(
            URL,
            json=body(event_types=["housing_target.created", "housing_project.created"]),
            headers=partner(auth),
        )
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        created = response.json()
        secret = created.pop("secret")
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
        assert created["event_types"] == ["housing_project.created", "housing_target.created"]
        assert (created["owner_subject"], created["owner_client"]) == ("partner-a", "partner-a")
        assert (created["partner_safe_only"], created["area_codes"], created["active"]) == (
            True,
            ["31"],
            True,
        )
        assert created["url"] == RECEIVER

        read = await client.get(f"{URL}/{created['id']}", headers=partner(auth))
        assert read.status_code == 200
        assert read.headers["etag"] == 'W/"1"'
        assert "secret" not in read.json()
        assert read.json() == created
        listed = (await client.get(URL, headers=partner(auth))).json()
        assert [s["id"] for s in listed["items"]] == [created["id"]]
        assert "secret" not in listed["items"][0]

        # Stored encrypted (bound to its column), never in clear; the audit row leaves it out.
        row = await db_session.get(WebhookSubscription, uuid.UUID(created["id"]))
        assert row is not None
        assert secret.encode() not in row.secret_ciphertext
        assert cipher.decrypt(row.secret_ciphertext, context=SECRET_CONTEXT) == secret
        (audit,) = await audit_rows(db_session, created["id"])
        assert (audit.action, audit.actor_subject, audit.resource_type) == (
            "create",
            "partner-a",
            "webhook_subscription",
        )
        assert audit.after is not None
        assert "secret_ciphertext" not in audit.after
        assert secret not in str(audit.after)

    async def test_a_retry_with_the_same_idempotency_key_replays_the_secret_without_storing_it_in_clear(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        headers = partner(auth) | {"Idempotency-Key": str(uuid.uuid4())}
        first = await client.post(URL, json=body(), headers=headers)
        again = await client.post(URL, json=body(), headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.headers.get("idempotent-replayed") == "true"
        assert again.json() == first.json()
        listed = (await client.get(URL, headers=partner(auth))).json()
        assert len(listed["items"]) == 1
        stored = (await db_session.execute(select(IdempotencyRecord.response_body))).scalars().all()
        assert stored
        assert all(first.json()["secret"] not in (b or "") for b in stored)
        assert all(first.json()["id"] not in (b or "") for b in stored)

    async def test_the_event_types_a_partner_may_have(self, client: httpx.AsyncClient, auth: Auth) -> None:
        mine = await client.get("/v1/webhooks/event-types", headers=partner(auth))
        assert mine.status_code == 200
        assert mine.json()["event_types"] == sorted(PARTNER_SAFE_EVENT_TYPES)
        everything = await client.get("/v1/webhooks/event-types", headers=administrator(auth))
        assert everything.json()["event_types"] == sorted(EVENT_TYPES)
        assert "person.created" not in mine.json()["event_types"]

    async def test_an_unknown_or_personal_event_type_is_a_422(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        personal = await client.post(
            URL, json=body(event_types=["housing_project.created", "person.created"]), headers=partner(auth)
        )
        payload = problem(personal, 422, "event_type_not_available")
        assert pointers(payload) == [("/body/event_types/1", "event_type_not_available")]
        unknown = await client.post(
            URL, json=body(event_types=["nothing.happened"]), headers=administrator(auth)
        )
        assert pointers(problem(unknown, 422, "event_type_not_available")) == [
            ("/body/event_types/0", "event_type_not_available")
        ]
        empty = await client.post(URL, json=body(event_types=[]), headers=partner(auth))
        assert empty.status_code == 422

    async def test_an_administrator_may_subscribe_to_every_type(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        created = await subscribe(client, administrator(auth), event_types=["person.created"])
        assert (created["partner_safe_only"], created["owner_subject"]) == (False, "admin-1")

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("https://evil.example.com/hook", "url_host_not_allowed"),
            ("http://hooks.partner.vn/noxh", "url_https_required"),
            ("https://user:pw@hooks.partner.vn/noxh", "url_credentials"),
            ("https://hooks.partner.vn/noxh#x", "url_fragment"),
            ("gopher://hooks.partner.vn/", "url_scheme"),
            ("https://169.254.169.254/latest/meta-data", "url_host_not_allowed"),
        ],
    )
    async def test_a_url_off_the_allow_list_is_a_422_pointing_at_the_url(
        self, client: httpx.AsyncClient, auth: Auth, url: str, code: str
    ) -> None:
        payload = problem(
            await client.post(URL, json=body(url=url), headers=partner(auth)), 422, "webhook_url_refused"
        )
        assert pointers(payload) == [("/body/url", code)]

    async def test_allowed_receivers(self, client: httpx.AsyncClient, auth: Auth) -> None:
        for url in (
            "https://api.thongke.gov.vn/noxh?token=t",
            "http://127.0.0.1:9100/hook",
            "http://localhost/h",
        ):
            await subscribe(client, partner(auth), url=url)

    async def test_an_unknown_field_is_refused(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post(URL, json=body(secret="whsec_mine"), headers=partner(auth))
        assert pointers(problem(response, 422, "validation_failed")) == [("/body/secret", "extra_forbidden")]


class TestWhoMay:
    @pytest.mark.parametrize(
        "role", ["commune_officer", "province_officer", "finance_officer", "inspector", "auditor", "service"]
    )
    async def test_other_roles_are_refused(self, client: httpx.AsyncClient, auth: Auth, role: str) -> None:
        headers = auth(roles=[role], area_codes=["31"], scopes=[SCOPE])
        assert (await client.post(URL, json=body(), headers=headers)).status_code == 403
        assert (await client.get(URL, headers=headers)).status_code == 403
        assert (await client.get("/v1/webhooks/event-types", headers=headers)).status_code == 403

    @pytest.mark.parametrize(
        "scopes", [(), ("events:read",), ("funding:events:read", "registry:projects:read")]
    )
    async def test_a_partner_without_this_services_events_scope_is_refused(
        self, client: httpx.AsyncClient, auth: Auth, scopes: tuple[str, ...]
    ) -> None:
        headers = partner(auth, scopes=scopes)
        problem(await client.post(URL, json=body(), headers=headers), 403, "events_scope_missing")
        problem(await client.get(URL, headers=headers), 403, "events_scope_missing")

    async def test_no_token_is_a_401(self, client: httpx.AsyncClient) -> None:
        assert (await client.get(URL)).status_code == 401

    async def test_a_partner_sees_and_manages_only_its_own(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        mine = await subscribe(client, partner(auth, "partner-a"))
        theirs = await subscribe(client, partner(auth, "partner-b"))
        listed = (await client.get(URL, headers=partner(auth, "partner-a"))).json()
        assert [s["id"] for s in listed["items"]] == [mine["id"]]
        other = f"{URL}/{theirs['id']}"
        a = partner(auth, "partner-a")
        problem(await client.get(other, headers=a), 404, "webhook_subscription_not_found")
        problem(
            await client.patch(other, json={"active": False}, headers=a | {"If-Match": 'W/"1"'}),
            404,
            "webhook_subscription_not_found",
        )
        problem(
            await client.delete(other, headers=a | {"If-Match": 'W/"1"'}),
            404,
            "webhook_subscription_not_found",
        )
        problem(
            await client.post(f"{other}/secret", headers=a | {"If-Match": 'W/"1"'}),
            404,
            "webhook_subscription_not_found",
        )
        problem(await client.get(f"{other}/deliveries", headers=a), 404, "webhook_subscription_not_found")

    async def test_an_administrator_sees_and_manages_every_subscription(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        a = await subscribe(client, partner(auth, "partner-a"))
        b = await subscribe(client, partner(auth, "partner-b"))
        listed = (await client.get(URL, headers=administrator(auth))).json()
        assert {s["id"] for s in listed["items"]} >= {a["id"], b["id"]}
        paused = await client.patch(
            f"{URL}/{b['id']}", json={"active": False}, headers=administrator(auth) | {"If-Match": 'W/"1"'}
        )
        assert paused.status_code == 200, paused.text
        # The owner's areas stay the owner's: an administrator's change does not widen them.
        assert (paused.json()["active"], paused.json()["area_codes"]) == (False, ["31"])
        # A partner's subscription stays partner-safe, whoever edits it.
        personal = await client.patch(
            f"{URL}/{b['id']}",
            json={"event_types": ["person.created"]},
            headers=administrator(auth) | {"If-Match": 'W/"2"'},
        )
        problem(personal, 422, "event_type_not_available")

    async def test_pages_follow_the_cursor(self, client: httpx.AsyncClient, auth: Auth) -> None:
        ids = [(await subscribe(client, partner(auth)))["id"] for _ in range(3)]
        first = (await client.get(URL, params={"limit": 2}, headers=partner(auth))).json()
        second = (
            await client.get(URL, params={"limit": 2, "cursor": first["next_cursor"]}, headers=partner(auth))
        ).json()
        assert [s["id"] for s in first["items"] + second["items"]] == ids
        assert second["next_cursor"] is None
        bad = await client.get(URL, params={"cursor": "not-a-cursor"}, headers=partner(auth))
        problem(bad, 400, "invalid_cursor")


class TestChange:
    async def test_updates_need_the_etag(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        path = f"{URL}/{created['id']}"
        problem(
            await client.patch(path, json={"active": False}, headers=partner(auth)),
            428,
            "precondition_required",
        )
        problem(
            await client.patch(path, json={"active": False}, headers=partner(auth) | {"If-Match": 'W/"7"'}),
            412,
            "precondition_failed",
        )
        changed = await client.patch(
            path,
            json={
                "url": "https://api.thongke.gov.vn/h",
                "event_types": ["allocation_round.drawn"],
                "active": False,
            },
            headers=partner(auth) | {"If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200, changed.text
        assert changed.headers["etag"] == 'W/"2"'
        assert (changed.json()["url"], changed.json()["event_types"], changed.json()["active"]) == (
            "https://api.thongke.gov.vn/h",
            ["allocation_round.drawn"],
            False,
        )
        stale = await client.patch(path, json={"active": True}, headers=partner(auth) | {"If-Match": 'W/"1"'})
        problem(stale, 412, "precondition_failed")
        refused = await client.patch(
            path, json={"url": "https://evil.example.com/"}, headers=partner(auth) | {"If-Match": 'W/"2"'}
        )
        assert pointers(problem(refused, 422, "webhook_url_refused")) == [
            ("/body/url", "url_host_not_allowed")
        ]
        personal = await client.patch(
            path,
            json={"event_types": ["support_case.approved"]},
            headers=partner(auth) | {"If-Match": 'W/"2"'},
        )
        problem(personal, 422, "event_type_not_available")
        nulled = await client.patch(path, json={"url": None}, headers=partner(auth) | {"If-Match": 'W/"2"'})
        assert ("/body/url", "value_error") in pointers(problem(nulled, 422, "validation_failed"))
        actions = [r.action for r in await audit_rows(db_session, created["id"])]
        assert actions == ["create", "update"]

    async def test_resuming_starts_from_new_events(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        path = f"{URL}/{created['id']}"
        row = await db_session.get(WebhookSubscription, uuid.UUID(created["id"]))
        assert row is not None
        await db_session.execute(
            text("UPDATE webhook_subscription SET cursor_tx_id = 1 WHERE id = :id"), {"id": row.id}
        )
        await client.patch(path, json={"active": False}, headers=partner(auth) | {"If-Match": 'W/"1"'})
        await client.patch(path, json={"active": True}, headers=partner(auth) | {"If-Match": 'W/"2"'})
        await db_session.refresh(row)
        assert row.cursor_tx_id > 1
        assert row.cursor_seq == 0

    async def test_delete_needs_the_etag_and_is_audited(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        path = f"{URL}/{created['id']}"
        problem(await client.delete(path, headers=partner(auth)), 428, "precondition_required")
        problem(
            await client.delete(path, headers=partner(auth) | {"If-Match": 'W/"2"'}),
            412,
            "precondition_failed",
        )
        deleted = await client.delete(path, headers=partner(auth) | {"If-Match": 'W/"1"'})
        assert deleted.status_code == 204
        problem(await client.get(path, headers=partner(auth)), 404, "webhook_subscription_not_found")
        actions = [r.action for r in await audit_rows(db_session, created["id"])]
        assert actions == ["create", "delete"]

    async def test_rotating_the_secret(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession, cipher: PiiCipher
    ) -> None:
        created = await subscribe(client, partner(auth))
        path = f"{URL}/{created['id']}/secret"
        problem(await client.post(path, headers=partner(auth)), 428, "precondition_required")
        rotated = await client.post(path, headers=partner(auth) | {"If-Match": 'W/"1"'})
        assert rotated.status_code == 200, rotated.text
        assert rotated.headers["etag"] == 'W/"2"'
        new = rotated.json()
        assert new["secret"].startswith("whsec_")
        assert new["secret"] != created["secret"]
        expires = datetime.fromisoformat(new["previous_secret_expires_at"])
        assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)
        row = await db_session.get(WebhookSubscription, uuid.UUID(created["id"]))
        assert row is not None
        await db_session.refresh(row)
        assert cipher.decrypt(row.secret_ciphertext, context=SECRET_CONTEXT) == new["secret"]
        assert row.previous_secret_ciphertext is not None
        assert cipher.decrypt(row.previous_secret_ciphertext, context=SECRET_CONTEXT) == created["secret"]
        read = (await client.get(f"{URL}/{created['id']}", headers=partner(auth))).json()
        assert read["secret_rotated_at"] is not None
        assert "secret" not in read
        audits = await audit_rows(db_session, created["id"])
        assert [r.action for r in audits] == ["create", "rotate_secret"]
        assert new["secret"] not in str(audits[-1].after)
        problem(
            await client.post(path, headers=partner(auth) | {"If-Match": 'W/"1"'}), 412, "precondition_failed"
        )


async def add_delivery(
    db_session: AsyncSession, subscription_id: str, status: str, **values: Any
) -> WebhookDelivery:
    row = WebhookDelivery(
        subscription_id=uuid.UUID(subscription_id),
        event_id=uuid.uuid4(),
        event_type="housing_project.created",
        body='{"id":"x"}',
        status=status,
        attempts=values.pop("attempts", 1),
        **values,
    )
    db_session.add(row)
    await db_session.flush()
    return row


class TestDeliveryLog:
    async def test_the_log_newest_first_with_a_status_filter(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        dead = await add_delivery(db_session, created["id"], "dead", attempts=3, last_status_code=500,
                                  last_error="the receiver answered HTTP 500")  # fmt: skip
        done = await add_delivery(db_session, created["id"], "succeeded", last_status_code=204)
        await db_session.commit()
        path = f"{URL}/{created['id']}/deliveries"
        log = (await client.get(path, headers=partner(auth))).json()
        assert [d["id"] for d in log["items"]] == [str(done.id), str(dead.id)]
        first = log["items"][1]
        assert (first["status"], first["attempts"], first["last_status_code"], first["last_error"]) == (
            "dead",
            3,
            500,
            "the receiver answered HTTP 500",
        )
        assert set(first) == {
            "id", "subscription_id", "event_id", "event_type", "status", "attempts", "last_status_code",
            "last_error", "next_attempt_at", "last_attempt_at", "replay_of_id", "created_at", "updated_at",
        }  # fmt: skip
        only_dead = (await client.get(path, params={"status": "dead"}, headers=partner(auth))).json()
        assert [d["id"] for d in only_dead["items"]] == [str(dead.id)]
        paged = (await client.get(path, params={"limit": 1}, headers=partner(auth))).json()
        rest = (await client.get(path, params={"cursor": paged["next_cursor"]}, headers=partner(auth))).json()
        assert [d["id"] for d in paged["items"] + rest["items"]] == [str(done.id), str(dead.id)]
        assert (await client.get(path, params={"status": "lost"}, headers=partner(auth))).status_code == 422

    async def test_replay_makes_a_fresh_audited_delivery(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        dead = await add_delivery(db_session, created["id"], "dead", attempts=3)
        pending = await add_delivery(db_session, created["id"], "failed", next_attempt_at=datetime.now(UTC))
        await db_session.commit()
        replayed = await client.post(f"/v1/webhooks/deliveries/{dead.id}/replay", headers=partner(auth))
        assert replayed.status_code == 202, replayed.text
        fresh = replayed.json()
        assert (fresh["status"], fresh["attempts"], fresh["replay_of_id"]) == ("pending", 0, str(dead.id))
        assert (fresh["event_id"], fresh["subscription_id"]) == (str(dead.event_id), created["id"])
        assert fresh["next_attempt_at"] is not None
        stored = await db_session.get(WebhookDelivery, uuid.UUID(fresh["id"]))
        assert stored is not None
        assert stored.body == dead.body
        (audit,) = await audit_rows(db_session, fresh["id"])
        assert (audit.action, audit.resource_type, audit.actor_subject) == (
            "replay",
            "webhook_delivery",
            "partner-a",
        )
        assert audit.after == {
            "replay_of_id": str(dead.id),
            "subscription_id": created["id"],
            "event_id": str(dead.event_id),
            "event_type": "housing_project.created",
        }
        # The original stays in the log as it was.
        await db_session.refresh(dead)
        assert (dead.status, dead.attempts) == ("dead", 3)
        problem(
            await client.post(f"/v1/webhooks/deliveries/{pending.id}/replay", headers=partner(auth)),
            409,
            "webhook_delivery_in_progress",
        )
        problem(
            await client.post(
                f"/v1/webhooks/deliveries/{dead.id}/replay", headers=partner(auth, "partner-b")
            ),
            404,
            "webhook_delivery_not_found",
        )
        problem(
            await client.post(f"/v1/webhooks/deliveries/{uuid.uuid4()}/replay", headers=partner(auth)),
            404,
            "webhook_delivery_not_found",
        )
        by_admin = await client.post(f"/v1/webhooks/deliveries/{dead.id}/replay", headers=administrator(auth))
        assert by_admin.status_code == 202

    async def test_deleting_a_subscription_deletes_its_log(
        self, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        created = await subscribe(client, partner(auth))
        await add_delivery(db_session, created["id"], "succeeded")
        await db_session.commit()
        await client.delete(f"{URL}/{created['id']}", headers=partner(auth) | {"If-Match": 'W/"1"'})
        left = await db_session.execute(
            select(WebhookDelivery).where(WebhookDelivery.subscription_id == uuid.UUID(created["id"]))
        )
        assert left.scalars().all() == []

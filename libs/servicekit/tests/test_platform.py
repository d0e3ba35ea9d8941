"""Audit trail, event outbox and idempotency keys, on a real PostgreSQL through the sample service."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sample_service.models import AuditRecord, IdempotencyRecord, Job, OutboxEvent, Widget
from servicekit.areas import AreaScope
from servicekit.audit import (
    AnchorMismatch,
    chain_head,
    record_access,
    row_hash,
    seal,
    seal_anchored,
    verify_chain,
)
from servicekit.audit_anchor import AnchorState, FileAnchorStore, anchor
from servicekit.context import current_principal
from servicekit.db.platform import PlatformModels
from servicekit.jobs import Worker, enqueue
from servicekit.manage import run_manage
from servicekit.outbox import emit, read_feed
from servicekit.principal import principal_from_claims
from servicekit.worker import AUDIT_SEAL, platform_registry

Auth = Callable[..., dict[str, str]]
OFFICER = {"roles": ["commune_officer"], "area_codes": ["10525"], "subject": "officer-1"}
AUDITOR = {"roles": ["auditor"], "area_codes": ["31"]}


def body(name: str = "w", commune: str = "10525", **extra: object) -> dict[str, object]:
    return {"name": name, "province_code": "31", "commune_code": commune, **extra}


class TestAuditTrail:
    async def test_every_change_writes_a_masked_audit_row_in_the_same_transaction(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        created = (
            await client.post("/v1/widgets", json=body(owner_phone="0912345678"), headers=auth(**OFFICER))
        ).json()
        await client.patch(
            f"/v1/widgets/{created['id']}",
            json={"colour": "red"},
            headers={**auth(**OFFICER), "If-Match": 'W/"1"'},
        )
        rows = (
            (await db_session.execute(select(AuditRecord).order_by(AuditRecord.occurred_at, AuditRecord.id)))
            .scalars()
            .all()
        )
        assert [r.action for r in rows] == ["create", "update"]
        create, change = rows
        assert create.actor_subject == "officer-1"
        assert create.resource_type == "widget"
        assert create.resource_id == created["id"]
        assert create.commune_code == "10525"
        assert create.after is not None
        assert create.after["owner_phone"] == "*******678"
        assert "0912345678" not in str(create.after)
        assert change.before is not None
        assert change.after is not None
        assert (change.before["colour"], change.after["colour"]) == (None, "red")

    async def test_a_failed_request_leaves_no_audit_row(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
    ) -> None:
        response = await committing_client.post(
            "/v1/widgets/pair", json=body("twin"), headers=auth(**OFFICER)
        )
        assert response.status_code == 500
        async with committing_sessionmaker() as session:
            assert (await session.execute(select(func.count()).select_from(AuditRecord))).scalar_one() == 0

    async def test_a_service_acting_for_a_person_records_both(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        headers = {
            **auth(roles=["service", "commune_officer"], area_codes=["31"], subject="funding-api"),
            "X-Acting-Subject": "officer-9",
        }
        assert (await client.post("/v1/widgets", json=body(), headers=headers)).status_code == 201
        row = (await db_session.execute(select(AuditRecord))).scalar_one()
        assert (row.actor_subject, row.on_behalf_of) == ("funding-api", "officer-9")

    async def test_access_events_are_recorded_too(self, db_session: AsyncSession) -> None:
        token = current_principal.set(principal_from_claims({"sub": "auditor-1", "roles": ["auditor"]}))
        try:
            await record_access(
                db_session,
                AuditRecord,
                action="reveal",
                resource_type="person",
                resource_id="p1",
                detail={"field": "citizen_id"},
            )
        finally:
            current_principal.reset(token)
        row = (await db_session.execute(select(AuditRecord))).scalar_one()
        assert (row.action, row.actor_subject, row.after) == ("reveal", "auditor-1", {"field": "citizen_id"})


class TestAuditChain:
    async def _sealed_trail(self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth) -> None:
        for i in range(5):
            await client.post("/v1/widgets", json=body(f"chain{i}"), headers=auth(**OFFICER))
        assert await seal(db_session, AuditRecord) == 5
        await client.post("/v1/widgets", json=body("unsealed"), headers=auth(**OFFICER))

    async def test_an_intact_chain_verifies_and_reports_the_unsealed_tail(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        report = await verify_chain(db_session, AuditRecord)
        assert (report.ok, report.sealed, report.unsealed) == (True, 5, 1)
        assert await seal(db_session, AuditRecord) == 1
        assert (await verify_chain(db_session, AuditRecord)).sealed == 6

    async def test_an_altered_row_is_detected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        await db_session.execute(
            update(AuditRecord).where(AuditRecord.chain_seq == 3).values(actor_subject="x")
        )
        report = await verify_chain(db_session, AuditRecord)
        assert (report.ok, report.first_break_seq, report.problem) == (False, 3, "a sealed row was altered")

    async def test_a_deleted_row_is_detected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        await db_session.execute(delete(AuditRecord).where(AuditRecord.chain_seq == 2))
        report = await verify_chain(db_session, AuditRecord)
        assert (report.ok, report.first_break_seq) == (False, 2)

    async def test_deleting_the_newest_sealed_rows_cannot_hide_in_the_tail(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        await db_session.execute(delete(AuditRecord).where(AuditRecord.chain_seq == 1))
        assert not (await verify_chain(db_session, AuditRecord)).ok

    async def test_reordered_rows_are_detected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        await db_session.execute(
            text("UPDATE audit_record SET chain_seq = -chain_seq WHERE chain_seq IN (2, 3)")
        )
        await db_session.execute(
            text("UPDATE audit_record SET chain_seq = 5 - chain_seq WHERE chain_seq < 0")
        )
        report = await verify_chain(db_session, AuditRecord)
        assert (report.ok, report.first_break_seq) == (False, 2)

    async def test_auditors_read_and_verify_the_trail_through_the_api(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        response = await client.get("/v1/audit", params={"limit": 4}, headers=auth(**AUDITOR))
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) == 4
        assert page["next_cursor"]
        rest = (
            await client.get("/v1/audit", params={"cursor": page["next_cursor"]}, headers=auth(**AUDITOR))
        ).json()
        assert len(rest["items"]) == 2
        assert {i["id"] for i in page["items"]}.isdisjoint({i["id"] for i in rest["items"]})
        by_actor = (await client.get("/v1/audit", params={"actor": "nobody"}, headers=auth(**AUDITOR))).json()
        assert by_actor["items"] == []
        verification = (await client.get("/v1/audit/verification", headers=auth(**AUDITOR))).json()
        assert verification["ok"] is True

    async def test_officers_may_not_read_the_trail(self, client: httpx.AsyncClient, auth: Auth) -> None:
        assert (await client.get("/v1/audit", headers=auth(**OFFICER))).status_code == 403

    async def test_a_row_naming_only_a_commune_is_not_shown_to_other_provinces(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        # Found by the authorization matrix: an export logged with a commune but no province was
        # treated as system-wide and shown to every province's auditors.
        await record_access(
            db_session,
            AuditRecord,
            action="export",
            resource_type="widget",
            resource_id="-",
            commune_code="98613",
        )
        await db_session.commit()
        other = (await client.get("/v1/audit", headers=auth(roles=["auditor"], area_codes=["01"]))).json()
        assert [i for i in other["items"] if i["commune_code"] == "98613"] == []
        mine = (await client.get("/v1/audit", headers=auth(roles=["auditor"], area_codes=["98613"]))).json()
        assert [i["action"] for i in mine["items"]] == ["export"]

    async def test_another_provinces_auditor_sees_nothing(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await self._sealed_trail(client, db_session, auth)
        other = (await client.get("/v1/audit", headers=auth(roles=["auditor"], area_codes=["01"]))).json()
        assert all(i["province_code"] is None for i in other["items"])


class TestOutbox:
    async def test_events_are_published_with_the_change_and_only_then(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
    ) -> None:
        created = (await committing_client.post("/v1/widgets", json=body(), headers=auth(**OFFICER))).json()
        await committing_client.post("/v1/widgets/pair", json=body("twin"), headers=auth(**OFFICER))
        reader = auth(roles=["province_officer"], area_codes=["31"])
        feed = (await committing_client.get("/v1/events", headers=reader)).json()
        assert [e["type"] for e in feed["items"]] == ["widget.created"]
        event = feed["items"][0]
        assert event["subject"] == f"urn:noxh:sample:widget:{created['id']}"
        assert event["area_codes"] == ["10525", "31"]
        assert event["data"] == {"widget_id": created["id"]}
        again = (
            await committing_client.get("/v1/events", params={"after": feed["next_cursor"]}, headers=reader)
        ).json()
        assert again["items"] == []
        assert again["next_cursor"]

    async def test_an_uncommitted_earlier_event_is_never_skipped(
        self, committing_sessionmaker: async_sessionmaker[AsyncSession]
    ) -> None:
        scope = AreaScope.from_codes(["31"])
        async with committing_sessionmaker() as slow:
            await emit(slow, OutboxEvent, type="t.slow", subject="s", area_codes=["31"], data={})
            await slow.flush()  # holds the lower transaction id, not yet committed
            async with committing_sessionmaker() as fast:
                await emit(fast, OutboxEvent, type="t.fast", subject="f", area_codes=["31"], data={})
                await fast.commit()
            async with committing_sessionmaker() as reader:
                first = await read_feed(reader, OutboxEvent, after=None, limit=10, scope=scope)
            # The fast event waits behind the unfinished slow transaction rather than jumping the queue.
            assert first.items == []
            await slow.commit()
        async with committing_sessionmaker() as reader:
            second = await read_feed(reader, OutboxEvent, after=first.next_cursor, limit=10, scope=scope)
        assert [e.type for e in second.items] == ["t.slow", "t.fast"]

    async def test_readers_see_only_their_areas(
        self, committing_client: httpx.AsyncClient, auth: Auth
    ) -> None:
        await committing_client.post("/v1/widgets", json=body(), headers=auth(**OFFICER))
        hanoi = (
            await committing_client.get(
                "/v1/events", headers=auth(roles=["province_officer"], area_codes=["01"])
            )
        ).json()
        assert hanoi["items"] == []
        partner_without_scope = await committing_client.get(
            "/v1/events", headers=auth(roles=["partner"], area_codes=["31"])
        )
        assert partner_without_scope.status_code == 403
        officer = await committing_client.get("/v1/events", headers=auth(**OFFICER))
        assert officer.status_code == 403

    async def test_a_bad_cursor_is_a_400(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(
            "/v1/events", params={"after": "xyz"}, headers=auth(roles=["service"], area_codes=["31"])
        )
        assert response.status_code == 400


class TestIdempotency:
    async def test_a_repeat_replays_the_first_answer(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        headers = {**auth(**OFFICER), "Idempotency-Key": str(uuid.uuid4())}
        first = await client.post("/v1/machine-widgets", json=body("m1"), headers=headers)
        second = await client.post("/v1/machine-widgets", json=body("m1"), headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert first.json() == second.json()
        assert second.headers["idempotent-replayed"] == "true"
        assert (await db_session.execute(select(func.count()).select_from(Widget))).scalar_one() == 1

    async def test_the_key_is_required_here(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post("/v1/machine-widgets", json=body(), headers=auth(**OFFICER))
        assert response.status_code == 400
        assert response.json()["code"] == "idempotency_key_missing"

    async def test_a_malformed_key_is_a_400(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.post(
            "/v1/machine-widgets", json=body(), headers={**auth(**OFFICER), "Idempotency-Key": "x" * 300}
        )
        assert response.status_code == 400

    async def test_a_reused_key_with_another_payload_is_a_422(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = {**auth(**OFFICER), "Idempotency-Key": "k-1"}
        assert (await client.post("/v1/machine-widgets", json=body("a"), headers=headers)).status_code == 201
        reused = await client.post("/v1/machine-widgets", json=body("b"), headers=headers)
        assert reused.status_code == 422
        assert reused.json()["code"] == "idempotency_key_reused"

    async def test_keys_are_per_caller(self, client: httpx.AsyncClient, auth: Auth) -> None:
        key = {"Idempotency-Key": "shared"}
        one = await client.post("/v1/machine-widgets", json=body("x1"), headers={**auth(**OFFICER), **key})
        other = {**OFFICER, "subject": "officer-2"}
        two = await client.post("/v1/machine-widgets", json=body("x2"), headers={**auth(**other), **key})
        assert (one.status_code, two.status_code) == (201, 201)
        assert one.json()["id"] != two.json()["id"]

    async def test_a_failed_first_attempt_can_be_retried_with_the_same_key(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = {**auth(**OFFICER), "Idempotency-Key": "retry-me"}
        refused = await client.post("/v1/machine-widgets", json=body(commune="11560"), headers=headers)
        assert refused.status_code == 403
        again = await client.post("/v1/machine-widgets", json=body(commune="11560"), headers=headers)
        assert again.status_code == 403  # run again, not replayed: errors are not stored

    async def test_concurrent_repeats_create_one_resource(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
    ) -> None:
        headers = {**auth(**OFFICER), "Idempotency-Key": "race"}
        results = await asyncio.gather(
            *[
                committing_client.post("/v1/machine-widgets", json=body("race"), headers=headers)
                for _ in range(3)
            ]
        )
        statuses = sorted(r.status_code for r in results)
        assert statuses.count(201) == 1
        assert set(statuses) <= {201, 409}
        async with committing_sessionmaker() as session:
            assert (await session.execute(select(func.count()).select_from(Widget))).scalar_one() == 1
            record = (await session.execute(select(IdempotencyRecord))).scalar_one()
            assert record.status == "completed"
        replay = await committing_client.post("/v1/machine-widgets", json=body("race"), headers=headers)
        assert replay.status_code == 201
        assert replay.headers["idempotent-replayed"] == "true"

    async def test_keys_are_kept_at_least_seven_days(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await client.post(
            "/v1/machine-widgets", json=body("kept"), headers={**auth(**OFFICER), "Idempotency-Key": "k7"}
        )
        record = (await db_session.execute(select(IdempotencyRecord))).scalar_one()
        assert (record.expires_at - record.created_at).days >= 7


class TestManageCommands:
    async def test_seal_then_verify_from_the_command_line(
        self,
        committing_client: httpx.AsyncClient,
        database_url: str,
        auth: Auth,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        for i in range(3):
            await committing_client.post("/v1/widgets", json=body(f"cli{i}"), headers=auth(**OFFICER))
        assert await asyncio.to_thread(run_manage, database_url, AuditRecord, ["seal-audit"]) == 0
        assert await asyncio.to_thread(run_manage, database_url, AuditRecord, ["verify-audit"]) == 0
        lines = capsys.readouterr().out.strip().splitlines()
        assert '"sealed": 3' in lines[0]
        assert '"ok": true' in lines[1]


class TestAuditTamperTrials:
    """Issue 10 item 6: random tampering with sealed rows (update, delete, reorder, a forged insert) is
    detected every time, the newest sealed row included. The chain alone cannot see changes at its end
    (deleting the newest rows, appending a row whose hash the forger computed, rewriting the newest row
    with a recomputed hash): the external anchor of the chain head (servicekit.audit_anchor) does.
    Each trial runs in a savepoint that is rolled back, on one sealed and anchored chain."""

    TRIALS = 280
    CHAIN = 30
    KINDS = ("update", "delete", "reorder", "forged_insert", "truncate_tail", "append_forged", "rewrite_tail")
    # Changes only the external anchor reveals: the chain itself stays consistent.
    TAIL_KINDS = frozenset({"truncate_tail", "append_forged", "rewrite_tail"})

    async def test_every_tampering_is_detected(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        import random

        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        for i in range(self.CHAIN):
            await client.post("/v1/widgets", json=body(f"trial{i}"), headers=auth(**OFFICER))
        sealed = await seal_anchored(rollback_sessionmaker, AuditRecord, store)
        assert sealed >= self.CHAIN
        report = await verify_chain(db_session, AuditRecord, anchor_store=store)
        assert (report.ok, report.anchored_seq) == (True, sealed)
        rng = random.Random(10)  # reproducible
        detected: dict[str, int] = {}
        unseen_without_anchor: dict[str, int] = {}
        for trial in range(self.TRIALS):
            kind = self.KINDS[trial % len(self.KINDS)]
            seq = rng.randint(1, sealed)  # any sealed row, the newest included
            nested = await db_session.begin_nested()
            await self._tamper(db_session, rng, kind, seq, sealed, trial)
            report = await verify_chain(db_session, AuditRecord, anchor_store=store)
            if kind in self.TAIL_KINDS and (await verify_chain(db_session, AuditRecord)).ok:
                unseen_without_anchor[kind] = unseen_without_anchor.get(kind, 0) + 1
            await nested.rollback()
            assert not report.ok, f"trial {trial} ({kind} at {seq}) went unnoticed"
            assert report.problem
            assert report.first_break_seq is not None
            detected[kind] = detected.get(kind, 0) + 1
        assert sum(detected.values()) == self.TRIALS
        # What the anchor adds: the chain alone misses every one of the changes at its end.
        assert unseen_without_anchor == {k: detected[k] for k in self.TAIL_KINDS}
        assert (await verify_chain(db_session, AuditRecord, anchor_store=store)).ok

    @staticmethod
    async def _tamper(session: AsyncSession, rng: Any, kind: str, seq: int, sealed: int, trial: int) -> None:
        if kind == "update":
            column = rng.choice(["actor_subject", "action", "resource_id", "province_code"])
            await session.execute(
                update(AuditRecord)
                .where(AuditRecord.chain_seq == seq)
                .values({column: f"{trial % 90 + 10}" if column == "province_code" else f"t{trial}"})
            )
        elif kind == "delete":
            await session.execute(delete(AuditRecord).where(AuditRecord.chain_seq == seq))
        elif kind == "reorder":
            other = rng.choice([s for s in range(1, sealed + 1) if s != seq])
            pair = {"a": seq, "b": other}
            swap = "UPDATE audit_record SET chain_seq = -chain_seq WHERE chain_seq IN (:a, :b)"
            await session.execute(text(swap), pair)
            back = (
                "UPDATE audit_record SET chain_seq = CASE WHEN chain_seq = -CAST(:a AS bigint)"
                " THEN CAST(:b AS bigint) ELSE CAST(:a AS bigint) END"
            )
            await session.execute(text(back + " WHERE chain_seq < 0"), pair)
        elif kind == "forged_insert":
            # Make room at `seq` and slip in a copy of that row with its hashes (a plausible forgery).
            row = (
                await session.execute(select(AuditRecord).where(AuditRecord.chain_seq == seq))
            ).scalar_one()
            await session.execute(
                text("UPDATE audit_record SET chain_seq = -(chain_seq + 1) WHERE chain_seq >= :s"), {"s": seq}
            )
            await session.execute(text("UPDATE audit_record SET chain_seq = -chain_seq WHERE chain_seq < 0"))
            values = {c.key: getattr(row, c.key) for c in AuditRecord.__table__.columns}
            values.update(id=uuid.uuid4(), chain_seq=seq, resource_id="forged")
            await session.execute(insert(AuditRecord).values(values))
        elif kind == "truncate_tail":
            newest = rng.randint(1, 5)
            await session.execute(delete(AuditRecord).where(AuditRecord.chain_seq > sealed - newest))
        elif kind == "append_forged":
            # A row chained after the head with a correctly computed hash: the chain stays valid.
            head = (
                await session.execute(select(AuditRecord).where(AuditRecord.chain_seq == sealed))
            ).scalar_one()
            values = {c.key: getattr(head, c.key) for c in AuditRecord.__table__.columns}
            values.update(id=uuid.uuid4(), action="delete", resource_id=f"forged-{trial}")
            values.update(chain_seq=sealed + 1, prev_hash=head.row_hash)
            values["row_hash"] = row_hash(SimpleNamespace(**values), head.row_hash, sealed + 1)
            await session.execute(insert(AuditRecord).values(values))
        else:  # rewrite_tail: alter the newest row and recompute its hash
            head = (
                await session.execute(select(AuditRecord).where(AuditRecord.chain_seq == sealed))
            ).scalar_one()
            values = {c.key: getattr(head, c.key) for c in AuditRecord.__table__.columns}
            values["actor_subject"] = f"forger-{trial}"
            digest = row_hash(SimpleNamespace(**values), head.prev_hash, sealed)
            await session.execute(
                update(AuditRecord)
                .where(AuditRecord.chain_seq == sealed)
                .values(actor_subject=values["actor_subject"], row_hash=digest)
            )


class TestAuditAnchor:
    """The external anchor of the chain head: written by the sealer, compared by the verifier."""

    async def _chain(self, client: httpx.AsyncClient, auth: Auth, n: int, tag: str) -> None:
        for i in range(n):
            response = await client.post("/v1/widgets", json=body(f"{tag}{i}"), headers=auth(**OFFICER))
            assert response.status_code == 201

    async def test_each_new_head_is_anchored_and_the_api_reports_it(
        self,
        app: Any,
        client: httpx.AsyncClient,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        await self._chain(client, auth, 3, "a")
        assert await seal_anchored(rollback_sessionmaker, AuditRecord, store) == 3
        assert await seal_anchored(rollback_sessionmaker, AuditRecord, store) == 0  # nothing new: no entry
        await self._chain(client, auth, 2, "b")
        assert await seal_anchored(rollback_sessionmaker, AuditRecord, store) == 2
        lines = [json.loads(line) for line in (tmp_path / "anchor.jsonl").read_text().splitlines()]
        assert [(e["seq"], e["state"]) for e in lines] == [
            (3, "pending"),
            (3, "confirmed"),
            (5, "pending"),
            (5, "confirmed"),
        ]
        app.state.audit_anchor = store
        response = await client.get("/v1/audit/verification", headers=auth(**AUDITOR))
        assert response.status_code == 200, response.text
        assert response.json()["ok"] is True
        assert response.json()["anchored_seq"] == 5
        assert response.json()["anchored_at"]

    async def test_a_truncated_chain_stops_the_sealer_and_fails_verification(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        await self._chain(client, auth, 4, "t")
        await seal_anchored(rollback_sessionmaker, AuditRecord, store)
        await db_session.execute(delete(AuditRecord).where(AuditRecord.chain_seq == 4))
        await self._chain(client, auth, 1, "u")
        report = await verify_chain(db_session, AuditRecord, anchor_store=store)
        assert (report.ok, report.first_break_seq, report.anchored_seq) == (False, 4, 4)
        assert "deleted" in (report.problem or "")
        with pytest.raises(AnchorMismatch, match="deleted"):
            await seal_anchored(rollback_sessionmaker, AuditRecord, store)
        # Without the anchor the shorter chain looks fine: the reason the anchor exists.
        assert (await verify_chain(db_session, AuditRecord)).ok

    async def test_a_crash_between_commit_and_confirmation_is_not_tampering(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        await self._chain(client, auth, 2, "c")
        await seal_anchored(rollback_sessionmaker, AuditRecord, store)
        # The next seal committed and wrote its pending head, then the worker died.
        await self._chain(client, auth, 2, "d")
        await seal(db_session, AuditRecord)
        head = await chain_head(db_session, AuditRecord)
        store.append(anchor(*head, AnchorState.PENDING))
        report = await verify_chain(db_session, AuditRecord, anchor_store=store)
        assert (report.ok, report.anchored_seq) == (True, 2)
        # A pending head whose commit failed (the chain never got it) is ignored, too.
        store.append(anchor(head[0] + 3, "f" * 64, AnchorState.PENDING))
        assert (await verify_chain(db_session, AuditRecord, anchor_store=store)).ok
        # The next run confirms the committed head before sealing on.
        await self._chain(client, auth, 1, "e")
        assert await seal_anchored(rollback_sessionmaker, AuditRecord, store) == 1
        report = await verify_chain(db_session, AuditRecord, anchor_store=store)
        assert (report.ok, report.anchored_seq) == (True, 5)
        states = [(e.seq, e.state.value) for e in store.tail()]
        assert states == [(5, "confirmed")]

    async def test_a_chain_sealed_behind_the_anchors_back_is_refused(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        await self._chain(client, auth, 2, "f")
        await seal_anchored(rollback_sessionmaker, AuditRecord, store)
        await self._chain(client, auth, 2, "g")
        await seal(db_session, AuditRecord)  # not through the anchored sealer: looks like appended rows
        report = await verify_chain(db_session, AuditRecord, anchor_store=store)
        assert (report.ok, report.first_break_seq) == (False, 3)
        assert "appended" in (report.problem or "")
        with pytest.raises(AnchorMismatch, match="appended"):
            await seal_anchored(rollback_sessionmaker, AuditRecord, store)

    async def test_the_first_anchored_seal_adopts_an_existing_chain(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        await self._chain(client, auth, 2, "h")
        await seal(db_session, AuditRecord)
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        assert (await verify_chain(db_session, AuditRecord, anchor_store=store)).anchored_seq is None
        await self._chain(client, auth, 1, "i")
        assert await seal_anchored(rollback_sessionmaker, AuditRecord, store) == 1
        assert [(e.seq, e.state.value) for e in store.tail()] == [(3, "confirmed")]
        lines = (tmp_path / "anchor.jsonl").read_text().splitlines()
        assert [json.loads(line)["seq"] for line in lines] == [2, 3, 3]

    def test_the_store_reads_from_the_end_and_survives_a_torn_line(self, tmp_path: Path) -> None:
        path = tmp_path / "deep" / "anchor.jsonl"
        store = FileAnchorStore(path)
        assert store.tail() == []
        store.append(anchor(1, "0" * 64, AnchorState.CONFIRMED))  # creates the folder and the file
        # Years of heads (~1,000 pending entries after the last confirmed one: ~130 KB read across blocks).
        with path.open("a") as sink:
            for seq in range(2, 1500):
                sink.write(anchor(seq, f"{seq:064x}", AnchorState.CONFIRMED).to_line())
            sink.write(anchor(1500, f"{1500:064x}", AnchorState.CONFIRMED).to_line())
            for seq in range(1501, 2501):
                sink.write(anchor(seq, "a" * 64, AnchorState.PENDING).to_line())
            sink.write('{"seq": 2501, "hash": "b')  # the writer died mid-line
        tail = store.tail()
        assert (tail[0].seq, tail[0].state.value) == (1500, "confirmed")
        assert [e.seq for e in tail[1:]] == list(range(1501, 2501))
        assert {e.state.value for e in tail[1:]} == {"pending"}
        store.append(anchor(2502, "c" * 64, AnchorState.CONFIRMED))  # on a line of its own
        assert [(e.seq, e.hash) for e in store.tail()] == [(2502, "c" * 64)]

    async def test_the_seal_job_stops_on_a_mismatch(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        rollback_sessionmaker: async_sessionmaker[AsyncSession],
        auth: Auth,
        tmp_path: Path,
    ) -> None:
        store = FileAnchorStore(tmp_path / "anchor.jsonl")
        models = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)
        worker = Worker(
            rollback_sessionmaker,
            Job,
            platform_registry(models, anchor=lambda: store),
            worker_id="anchor-test",
        )
        await self._chain(client, auth, 2, "j")
        await enqueue(db_session, Job, AUDIT_SEAL, {})
        assert await worker.run_once()
        assert [(e.seq, e.state.value) for e in store.tail()] == [(2, "confirmed")]
        await db_session.execute(delete(AuditRecord).where(AuditRecord.chain_seq == 2))
        await enqueue(db_session, Job, AUDIT_SEAL, {})
        assert await worker.run_once()
        failed = (
            await db_session.execute(select(Job).where(Job.kind == AUDIT_SEAL, Job.status == "dead"))
        ).scalar_one()
        assert "external anchor" in (failed.last_error or "")

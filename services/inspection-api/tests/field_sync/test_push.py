"""Pushing mutations: applied, duplicate, conflict, rejected; re-sent batches; size bound; roles, areas."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import (
    AuditRecord,
    InspectionEvidence,
    InspectionFinding,
    OutboxEvent,
    SyncConflict,
    SyncMutation,
)

Auth = Callable[..., dict[str, str]]
PUSH = "/v1/field-sync/batches"
CONFLICTS = "/v1/field-sync/conflicts"
PROBLEM = "application/problem+json"


def batch(*mutations: dict[str, Any], device: str = "android-a") -> dict[str, Any]:
    return {"device_id": device, "mutations": list(mutations)}


async def push(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> list[dict[str, Any]]:
    response = await client.post(PUSH, json=body, headers=headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


async def count(session: AsyncSession, model: Any, *where: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def state(session: AsyncSession) -> tuple[int, ...]:
    """Everything a push may change, counted."""
    return (
        await count(session, InspectionFinding),
        await count(session, SyncMutation),
        await count(session, SyncConflict),
        await count(session, OutboxEvent),
        await count(session, AuditRecord),
        int(await session.scalar(select(func.coalesce(func.sum(InspectionFinding.version), 0))) or 0),
    )


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


class TestApplyAndDuplicates:
    async def test_creates_a_finding(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        [result] = await push(client, field.headers, batch(b.create(field.case)))
        assert result["outcome"] == "applied"
        assert result["entity_version"] == 1
        finding = await db_session.get(InspectionFinding, uuid.UUID(result["entity_id"]))
        assert finding is not None
        assert (finding.case_id, finding.outcome, finding.recorded_by) == (
            field.case.id,
            "non_compliant",
            b.INSPECTOR,
        )
        assert await count(db_session, OutboxEvent, OutboxEvent.type == "finding.recorded") == 1

    async def test_a_batch_re_sent_three_times_changes_nothing(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        first = await push(
            client, field.headers, batch(b.create(field.case), b.create(field.case, outcome="compliant"))
        )
        assert [r["outcome"] for r in first] == ["applied", "applied"]
        # An update of the first finding, then the whole thing again.
        upd = b.update(field.case, first[0]["entity_id"], 1, note="Đã đo lại diện tích")
        body = batch(b.create(field.case), upd)
        second = await push(client, field.headers, body)
        assert [r["outcome"] for r in second] == ["applied", "applied"]
        before = await state(db_session)
        for _ in range(3):
            again = await push(client, field.headers, body)
            assert [r["outcome"] for r in again] == ["duplicate", "duplicate"]
            assert [r["entity_id"] for r in again] == [r["entity_id"] for r in second]
            assert [r["entity_version"] for r in again] == [r["entity_version"] for r in second]
            assert await state(db_session) == before

    async def test_the_same_client_id_twice_in_a_batch(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        item = b.create(field.case)
        results = await push(client, field.headers, batch(item, item))
        assert [r["outcome"] for r in results] == ["applied", "duplicate"]
        assert await count(db_session, InspectionFinding) == 1

    async def test_a_client_id_reused_for_other_content_is_rejected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        key = uuid.uuid4()
        await push(client, field.headers, batch(b.create(field.case, client_id=key)))
        [result] = await push(client, field.headers, batch(b.create(field.case, client_id=key, note="khác")))
        assert (result["outcome"], result["code"]) == ("rejected", "client_id_reused")
        assert await count(db_session, InspectionFinding) == 1

    async def test_a_finding_created_offline_is_updated_by_its_client_id(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        key = uuid.uuid4()
        upd = b.update(field.case, "", 1, note="Bổ sung ghi chú")
        del upd["finding_id"]
        upd["finding_client_id"] = str(key)
        results = await push(client, field.headers, batch(b.create(field.case, client_id=key), upd))
        assert [r["outcome"] for r in results] == ["applied", "applied"]
        finding = await db_session.get(InspectionFinding, uuid.UUID(results[0]["entity_id"]))
        assert finding is not None
        await db_session.refresh(finding)
        assert (finding.version, finding.note) == (2, "Bổ sung ghi chú")


class TestConflicts:
    async def test_two_devices_editing_the_same_finding(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        [created] = await push(client, field.headers, batch(b.create(field.case)))
        finding_id = created["entity_id"]
        # Both devices pulled version 1 and edited offline; device A syncs first.
        [a] = await push(
            client, field.headers, batch(b.update(field.case, finding_id, 1, note="Thiết bị A"), device="a")
        )
        b_item = b.update(field.case, finding_id, 1, outcome="compliant", note="Thiết bị B")
        [conflict] = await push(client, field.headers, batch(b_item, device="b"))
        assert a["outcome"] == "applied"
        assert conflict["outcome"] == "conflict"
        assert conflict["entity_version"] == 2
        finding = await db_session.get(InspectionFinding, uuid.UUID(finding_id))
        assert finding is not None
        await db_session.refresh(finding)
        assert (finding.note, finding.outcome, finding.version) == ("Thiết bị A", "non_compliant", 2)
        # Re-sending B's change is a duplicate pointing at the same conflict, not a second conflict.
        [again] = await push(client, field.headers, batch(b_item, device="b"))
        assert (again["outcome"], again["conflict_id"]) == ("duplicate", conflict["conflict_id"])
        assert await count(db_session, SyncConflict) == 1

        listed = await client.get(CONFLICTS, params={"status": "open"}, headers=field.headers)
        [item] = listed.json()["items"]
        assert item["id"] == conflict["conflict_id"]
        assert (item["base_version"], item["server_version"], item["device_id"]) == (1, 2, "b")
        assert item["client_changes"]["note"] == "Thiết bị B"
        assert item["server_state"]["note"] == "Thiết bị A"

        url = f"{CONFLICTS}/{conflict['conflict_id']}/resolve"
        assert_problem(
            await client.post(url, json={"resolution": "apply_client"}, headers=field.headers),
            428,
            "precondition_required",
        )
        resolved = await client.post(
            url,
            json={"resolution": "apply_client", "note": "B đúng"},
            headers=field.headers | {"If-Match": 'W/"1"'},
        )
        assert resolved.status_code == 200, resolved.text
        assert (resolved.json()["status"], resolved.json()["resolution"]) == ("resolved", "apply_client")
        await db_session.refresh(finding)
        assert (finding.note, finding.outcome, finding.version) == ("Thiết bị B", "compliant", 3)
        twice = await client.post(
            url, json={"resolution": "keep_server"}, headers=field.headers | {"If-Match": 'W/"2"'}
        )
        assert_problem(twice, 409, "sync_conflict_already_resolved")

    async def test_keep_server_leaves_the_finding(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any, auth: Auth
    ) -> None:
        [created] = await push(client, field.headers, batch(b.create(field.case)))
        await push(client, field.headers, batch(b.update(field.case, created["entity_id"], 1, note="A")))
        [conflict] = await push(
            client, field.headers, batch(b.update(field.case, created["entity_id"], 1, note="B"))
        )
        officer = auth(roles=["province_officer"], area_codes=[b.HAI_PHONG])
        url = f"{CONFLICTS}/{conflict['conflict_id']}"
        assert (await client.get(url, headers=officer)).status_code == 200
        response = await client.post(
            url + "/resolve", json={"resolution": "keep_server"}, headers=officer | {"If-Match": 'W/"1"'}
        )
        assert response.status_code == 200, response.text
        finding = await db_session.get(InspectionFinding, uuid.UUID(created["entity_id"]))
        assert finding is not None
        await db_session.refresh(finding)
        assert (finding.note, finding.version) == ("A", 2)
        assert await count(db_session, OutboxEvent, OutboxEvent.type == "sync_conflict.resolved") == 1

    async def test_others_do_not_see_a_conflict(
        self, client: httpx.AsyncClient, field: Any, b: Any, auth: Auth
    ) -> None:
        [created] = await push(client, field.headers, batch(b.create(field.case)))
        await push(client, field.headers, batch(b.update(field.case, created["entity_id"], 1, note="A")))
        [conflict] = await push(
            client, field.headers, batch(b.update(field.case, created["entity_id"], 1, note="B"))
        )
        url = f"{CONFLICTS}/{conflict['conflict_id']}"
        other_inspector = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject="inspector-b")
        assert_problem(await client.get(url, headers=other_inspector), 404, "sync_conflict_not_found")
        other_area = auth(roles=["province_officer"], area_codes=["01"])
        assert_problem(await client.get(url, headers=other_area), 404, "sync_conflict_not_found")
        assert (await client.get(CONFLICTS, headers=other_area)).json()["items"] == []
        auditor = auth(roles=["auditor"], area_codes=[b.HAI_PHONG])
        assert_problem(await client.get(url, headers=auditor), 403, "forbidden")
        response = await client.post(
            url + "/resolve",
            json={"resolution": "keep_server"},
            headers=other_inspector | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 404, "sync_conflict_not_found")

    async def test_a_bad_resolution_is_a_422(self, client: httpx.AsyncClient, field: Any) -> None:
        response = await client.post(
            f"{CONFLICTS}/{uuid.uuid4()}/resolve",
            json={"resolution": "merge"},
            headers=field.headers | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 422, "validation_failed")


class TestPhotos:
    async def test_a_photo_not_uploaded_yet_is_rejected_then_accepted_once_uploaded(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        content = b"\xff\xd8\xff photo bytes"
        item = b.create(field.case) | {"photo_sha256": [b.sha(content)]}
        [result] = await push(client, field.headers, batch(item))
        assert (result["outcome"], result["code"]) == ("rejected", "photo_not_uploaded")
        assert await count(db_session, InspectionFinding) == 0
        assert await count(db_session, SyncMutation) == 0
        photo = b.make_photo(field.case, content)
        db_session.add(photo)
        await db_session.flush()
        [result] = await push(client, field.headers, batch(item))
        assert result["outcome"] == "applied"
        await db_session.refresh(photo)
        assert str(photo.finding_id) == result["entity_id"]

    async def test_a_photo_of_another_finding_is_rejected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        photo = b.make_photo(field.case, b"\x89PNG one")
        db_session.add(photo)
        await db_session.flush()
        await push(client, field.headers, batch(b.create(field.case) | {"photo_sha256": [photo.sha256]}))
        [result] = await push(
            client, field.headers, batch(b.create(field.case) | {"photo_sha256": [photo.sha256]})
        )
        assert (result["outcome"], result["code"]) == ("rejected", "photo_attached_elsewhere")
        assert await count(db_session, InspectionFinding) == 1
        assert await count(db_session, InspectionEvidence) == 1


class TestRejected:
    async def test_rejections_do_not_undo_the_others(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        no_base = b.update(field.case, str(uuid.uuid4()), 1)
        del no_base["base_version"]
        results = await push(
            client,
            field.headers,
            batch(
                b.create(field.case),
                b.create(field.case, outcome="excellent"),
                b.create(field.case, checklist_item_key="not.on.the.list"),
                no_base,
                b.update(field.case, str(uuid.uuid4()), 1, note="x"),
                b.create(field.case, outcome="compliant"),
            ),
        )
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("applied", None),
            ("rejected", "invalid_mutation_data"),
            ("rejected", "checklist_item_unknown"),
            ("rejected", "base_version_required"),
            ("rejected", "finding_reference_unknown"),
            ("applied", None),
        ]
        assert await count(db_session, InspectionFinding) == 2

    async def test_a_case_not_in_progress_rejects(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector: dict[str, str], b: Any
    ) -> None:
        case = b.make_case(status="closed")
        db_session.add(case)
        await db_session.flush()
        [result] = await push(client, inspector, batch(b.create(case)))
        assert result["outcome"] == "rejected"
        assert await count(db_session, InspectionFinding) == 0

    async def test_a_case_in_another_area_is_rejected_as_unknown(
        self, client: httpx.AsyncClient, db_session: AsyncSession, b: Any, auth: Auth
    ) -> None:
        case = b.make_case(commune=b.HAI_DUONG)
        db_session.add(case)
        await db_session.flush()
        headers = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject=b.INSPECTOR)
        [result] = await push(client, headers, batch(b.create(case)))
        assert (result["outcome"], result["code"]) == ("rejected", "inspection_case_not_found")

    async def test_a_case_assigned_to_someone_else_is_rejected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any, auth: Auth
    ) -> None:
        [created] = await push(client, field.headers, batch(b.create(field.case)))
        other = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject="inspector-b")
        results = await push(
            client,
            other,
            batch(b.create(field.case), b.update(field.case, created["entity_id"], 7, note="x")),
        )
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "case_not_assigned_to_you"),
            ("rejected", "case_not_assigned_to_you"),
        ]
        assert await count(db_session, SyncConflict) == 0


class TestBatchBounds:
    async def test_an_over_sized_batch_is_refused_whole(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        before = await state(db_session)
        body = batch(*[b.create(field.case) for _ in range(1001)])
        problem = assert_problem(
            await client.post(PUSH, json=body, headers=field.headers), 422, "validation_failed"
        )
        assert [e["pointer"] for e in problem["errors"]] == ["/body/mutations"]
        assert await state(db_session) == before

    async def test_a_full_batch_is_accepted(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any
    ) -> None:
        results = await push(client, field.headers, batch(*[b.create(field.case) for _ in range(1000)]))
        assert {r["outcome"] for r in results} == {"applied"}
        assert await count(db_session, InspectionFinding) == 1000

    @pytest.mark.parametrize(
        "body",
        [
            {"device_id": "a", "mutations": []},
            {"mutations": []},
            {
                "device_id": "a",
                "mutations": [
                    {
                        "client_id": "nope",
                        "action": "finding.create",
                        "case_id": str(uuid.uuid4()),
                        "data": {},
                    }
                ],
            },
            {
                "device_id": "a",
                "mutations": [
                    {
                        "client_id": str(uuid.uuid4()),
                        "action": "case.delete",
                        "case_id": str(uuid.uuid4()),
                        "data": {},
                    }
                ],
            },
            {
                "device_id": "a",
                "mutations": [
                    {
                        "client_id": str(uuid.uuid4()),
                        "action": "finding.create",
                        "case_id": str(uuid.uuid4()),
                        "data": {},
                        "photo_sha256": ["abc"],
                    }
                ],
            },
        ],
        ids=["empty", "no_device", "bad_client_id", "unknown_action", "bad_hash"],
    )
    async def test_a_malformed_batch_is_a_422(
        self, body: dict[str, Any], client: httpx.AsyncClient, db_session: AsyncSession, field: Any
    ) -> None:
        before = await state(db_session)
        assert_problem(await client.post(PUSH, json=body, headers=field.headers), 422, "validation_failed")
        assert await state(db_session) == before

    @pytest.mark.parametrize("role", ["province_officer", "commune_officer", "auditor"])
    async def test_only_inspectors_push(
        self, role: str, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, b: Any, auth: Auth
    ) -> None:
        headers = auth(roles=[role], area_codes=[b.HAI_PHONG], subject=b.INSPECTOR)
        assert_problem(
            await client.post(PUSH, json=batch(b.create(field.case)), headers=headers), 403, "forbidden"
        )
        assert await count(db_session, InspectionFinding) == 0

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post(PUSH, json=batch()), 401, "unauthorized")

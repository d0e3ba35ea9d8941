"""case.start and case.conclude pushed from the field app: applied through the case service, duplicate
on re-send, a conflict when the case moved on, rejected on an illegal step; a whole offline day in one
batch; roles and areas."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import (
    AuditRecord,
    InspectionCase,
    InspectionFinding,
    OutboxEvent,
    SyncConflict,
    SyncMutation,
)

Auth = Callable[..., dict[str, str]]
PUSH = "/v1/field-sync/batches"
CONFLICTS = "/v1/field-sync/conflicts"
# The conclusion date is a day in Vietnam (it may not precede the start, dated in Asia/Ho_Chi_Minh).
VN_TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
TODAY = VN_TODAY.isoformat()


def batch(*mutations: dict[str, Any], device: str = "android-a") -> dict[str, Any]:
    return {"device_id": device, "mutations": list(mutations)}


def start(
    case: InspectionCase, base_version: int | None, *, client_id: uuid.UUID | None = None, **data: Any
) -> dict[str, Any]:
    return {
        "client_id": str(client_id or uuid.uuid4()),
        "action": "case.start",
        "case_id": str(case.id),
        "base_version": base_version,
        "data": data,
    }


def conclude(
    case: InspectionCase,
    base_version: int | None = None,
    *,
    base_client_id: str | None = None,
    client_id: uuid.UUID | None = None,
    **data: Any,
) -> dict[str, Any]:
    mutation: dict[str, Any] = {
        "client_id": str(client_id or uuid.uuid4()),
        "action": "case.conclude",
        "case_id": str(case.id),
        "data": {"conclusion": "Chủ đầu tư chưa dành quỹ đất 20%.", "concluded_on": TODAY} | data,
    }
    if base_version is not None:
        mutation["base_version"] = base_version
    if base_client_id is not None:
        mutation["base_client_id"] = base_client_id
    return mutation


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
    return (
        await count(session, InspectionFinding),
        await count(session, SyncMutation),
        await count(session, SyncConflict),
        await count(session, OutboxEvent),
        await count(session, AuditRecord),
        int(await session.scalar(select(func.coalesce(func.sum(InspectionCase.version), 0))) or 0),
    )


@pytest.fixture
async def assigned(db_session: AsyncSession, b: Any) -> InspectionCase:
    case: InspectionCase = b.make_case(status="assigned")
    db_session.add(case)
    await db_session.flush()
    return case


async def reread(session: AsyncSession, case: InspectionCase) -> InspectionCase:
    await session.refresh(case)
    return case


class TestApplied:
    async def test_start_takes_the_case_into_progress(
        self, client: httpx.AsyncClient, db_session: AsyncSession, assigned: InspectionCase, inspector: Any
    ) -> None:
        version = assigned.version
        [result] = await push(client, inspector, batch(start(assigned, version)))
        assert result["outcome"] == "applied", result
        case = await reread(db_session, assigned)
        assert case.status == "in_progress"
        assert case.started_at is not None
        assert (result["entity_id"], result["entity_version"]) == (str(case.id), case.version)
        assert case.version == version + 1
        assert await count(db_session, OutboxEvent, OutboxEvent.type == "inspection_case.started") == 1
        assert await count(db_session, AuditRecord, AuditRecord.resource_id == str(case.id)) >= 1

    async def test_conclude_records_the_conclusion(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any
    ) -> None:
        version = field.case.version
        [result] = await push(client, field.headers, batch(conclude(field.case, version)))
        assert result["outcome"] == "applied", result
        case = await reread(db_session, field.case)
        assert (case.status, case.conclusion, case.concluded_on) == (
            "concluded",
            "Chủ đầu tư chưa dành quỹ đất 20%.",
            VN_TODAY,
        )
        assert result["entity_version"] == case.version
        assert await count(db_session, OutboxEvent, OutboxEvent.type == "inspection_case.concluded") == 1

    async def test_resent_steps_are_duplicates_and_change_nothing(
        self, client: httpx.AsyncClient, db_session: AsyncSession, assigned: InspectionCase, inspector: Any
    ) -> None:
        body = batch(
            start(assigned, assigned.version, client_id=uuid.uuid4()),
        )
        started = body["mutations"][0]["client_id"]
        body["mutations"].append(conclude(assigned, base_client_id=started))
        first = await push(client, inspector, body)
        assert [r["outcome"] for r in first] == ["applied", "applied"]
        before = await state(db_session)
        for _ in range(3):
            again = await push(client, inspector, body)
            assert [r["outcome"] for r in again] == ["duplicate", "duplicate"]
            assert [r["entity_version"] for r in again] == [r["entity_version"] for r in first]
        assert await state(db_session) == before
        assert (await reread(db_session, assigned)).status == "concluded"


class TestMixedBatch:
    async def test_start_findings_and_conclusion_in_one_batch(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        assigned: InspectionCase,
        inspector: Any,
        b: Any,
    ) -> None:
        started = start(assigned, assigned.version)
        created = b.create(assigned)
        body = batch(
            started,
            created,
            {
                "client_id": str(uuid.uuid4()),
                "action": "finding.update",
                "case_id": str(assigned.id),
                "finding_client_id": created["client_id"],
                "base_version": 1,
                "data": {"note": "Đã đo lại: thiếu 1.200 m²"},
            },
            b.create(assigned, outcome="compliant", note=None),
            conclude(assigned, base_client_id=started["client_id"]),
        )
        results = await push(client, inspector, body)
        assert [r["outcome"] for r in results] == ["applied"] * 5, results
        case = await reread(db_session, assigned)
        assert case.status == "concluded"
        findings = (
            await db_session.scalars(select(InspectionFinding).where(InspectionFinding.case_id == case.id))
        ).all()
        assert sorted((f.outcome, f.note) for f in findings) == [
            ("compliant", None),
            ("non_compliant", "Đã đo lại: thiếu 1.200 m²"),
        ]
        types = (await db_session.scalars(select(OutboxEvent.type).order_by(OutboxEvent.id))).all()
        assert [t for t in types if t.startswith(("inspection_case.", "finding."))] == [
            "inspection_case.started",
            "finding.recorded",
            "finding.updated",
            "finding.recorded",
            "inspection_case.concluded",
        ]

    async def test_findings_before_the_start_are_rejected_in_order(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        assigned: InspectionCase,
        inspector: Any,
        b: Any,
    ) -> None:
        results = await push(client, inspector, batch(b.create(assigned), start(assigned, assigned.version)))
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "case_not_in_progress"),
            ("applied", None),
        ]

    async def test_a_conclusion_after_a_rejected_start_is_rejected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, assigned: InspectionCase, inspector: Any
    ) -> None:
        started = start(assigned, assigned.version, checklist_version_id=str(uuid.uuid4()))
        results = await push(
            client, inspector, batch(started, conclude(assigned, base_client_id=started["client_id"]))
        )
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "checklist_version_unknown"),
            ("rejected", "base_mutation_unknown"),
        ]
        assert (await reread(db_session, assigned)).status == "assigned"


class TestConflict:
    async def test_a_case_changed_meanwhile_is_kept_as_a_conflict(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        field: Any,
    ) -> None:
        stale = field.case.version
        # Meanwhile someone else concluded the case from another device.
        [other] = await push(
            client, field.headers, batch(conclude(field.case, stale, conclusion="Kết luận khác."), device="b")
        )
        assert other["outcome"] == "applied"
        before = await reread(db_session, field.case)
        server_version, server_text = before.version, before.conclusion
        [result] = await push(client, field.headers, batch(conclude(field.case, stale)))
        assert result["outcome"] == "conflict", result
        case = await reread(db_session, field.case)
        assert (case.version, case.conclusion) == (server_version, server_text)
        conflict = await db_session.get(SyncConflict, uuid.UUID(result["conflict_id"]))
        assert conflict is not None
        assert (conflict.entity_type, conflict.base_version, conflict.server_version) == (
            "inspection_case",
            stale,
            server_version,
        )
        assert conflict.client_changes["action"] == "case.conclude"
        assert conflict.client_changes["conclusion"] == "Chủ đầu tư chưa dành quỹ đất 20%."
        assert conflict.server_state["conclusion"] == "Kết luận khác."
        shown = await client.get(f"{CONFLICTS}/{conflict.id}", headers=field.headers)
        assert shown.status_code == 200
        assert shown.json()["entity_type"] == "inspection_case"
        # Re-sent: a duplicate pointing at the same conflict.
        [again] = await push(
            client,
            field.headers,
            batch(conclude(field.case, stale, client_id=uuid.UUID(result["client_id"]))),
        )
        assert (again["outcome"], again["conflict_id"]) == ("duplicate", result["conflict_id"])

    async def test_a_start_conflict_applied_by_the_inspector(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        assigned: InspectionCase,
        inspector: Any,
        auth: Auth,
        b: Any,
    ) -> None:
        stale = assigned.version
        officer = auth(roles=["province_officer"], area_codes=[b.HAI_PHONG])
        reassigned = await client.post(
            f"/v1/inspection-cases/{assigned.id}/assign",
            json={"inspector_subject": b.INSPECTOR},
            headers=officer | {"If-Match": f'W/"{stale}"'},
        )
        assert reassigned.status_code == 200, reassigned.text
        [result] = await push(client, inspector, batch(start(assigned, stale)))
        assert result["outcome"] == "conflict"
        assert (await reread(db_session, assigned)).status == "assigned"
        url = f"{CONFLICTS}/{result['conflict_id']}"
        etag = (await client.get(url, headers=inspector)).headers["etag"]
        resolved = await client.post(
            url + "/resolve", json={"resolution": "apply_client"}, headers=inspector | {"If-Match": etag}
        )
        assert resolved.status_code == 200, resolved.text
        assert (await reread(db_session, assigned)).status == "in_progress"


class TestRejected:
    async def test_an_illegal_transition_is_rejected_with_its_code(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        assigned: InspectionCase,
        inspector: Any,
        field: Any,
    ) -> None:
        before = await state(db_session)
        results = await push(
            client,
            inspector,
            batch(conclude(assigned, assigned.version), start(field.case, field.case.version)),
        )
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "case_transition_not_allowed"),
            ("rejected", "case_transition_not_allowed"),
        ]
        assert await state(db_session) == before

    async def test_a_closed_case_is_rejected(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector: Any, b: Any
    ) -> None:
        case = b.make_case(status="closed")
        db_session.add(case)
        await db_session.flush()
        [result] = await push(client, inspector, batch(start(case, case.version)))
        assert (result["outcome"], result["code"]) == ("rejected", "case_closed")

    @pytest.mark.parametrize(
        ("data", "code"),
        [
            ({"conclusion": ""}, "invalid_mutation_data"),
            ({"concluded_on": "not-a-date"}, "invalid_mutation_data"),
            ({"concluded_on": "2999-01-01"}, "date_invalid"),
        ],
    )
    async def test_bad_conclusion_data(
        self, client: httpx.AsyncClient, db_session: AsyncSession, field: Any, data: dict[str, Any], code: str
    ) -> None:
        before = await state(db_session)
        [result] = await push(client, field.headers, batch(conclude(field.case, field.case.version, **data)))
        assert (result["outcome"], result["code"]) == ("rejected", code)
        assert await state(db_session) == before

    async def test_base_version_is_required(
        self, client: httpx.AsyncClient, field: Any, assigned: InspectionCase, inspector: Any
    ) -> None:
        results = await push(client, inspector, batch(start(assigned, None), conclude(field.case)))
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "base_version_required"),
            ("rejected", "base_version_required"),
        ]


class TestRolesAndAreas:
    async def test_another_inspectors_case_is_refused(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth, b: Any
    ) -> None:
        case = b.make_case(status="assigned", inspector="inspector-b")
        db_session.add(case)
        await db_session.flush()
        headers = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject=b.INSPECTOR)
        before = await state(db_session)
        [result] = await push(client, headers, batch(start(case, case.version)))
        assert (result["outcome"], result["code"]) == ("rejected", "case_not_assigned_to_you")
        assert await state(db_session) == before

    async def test_a_case_in_another_area_is_unknown(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth, b: Any
    ) -> None:
        case = b.make_case(status="assigned", commune=b.HAI_DUONG)
        db_session.add(case)
        await db_session.flush()
        headers = auth(roles=["inspector"], area_codes=[b.THUY_NGUYEN], subject=b.INSPECTOR)
        before = await state(db_session)
        results = await push(client, headers, batch(start(case, case.version), conclude(case, case.version)))
        assert [(r["outcome"], r["code"]) for r in results] == [
            ("rejected", "inspection_case_not_found"),
            ("rejected", "inspection_case_not_found"),
        ]
        assert await state(db_session) == before

    @pytest.mark.parametrize("role", ["province_officer", "auditor", "citizen"])
    async def test_other_roles_may_not_push_case_steps(
        self,
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        auth: Auth,
        assigned: InspectionCase,
        b: Any,
        role: str,
    ) -> None:
        headers = auth(roles=[role], area_codes=[b.HAI_PHONG], subject=b.INSPECTOR)
        before = await state(db_session)
        response = await client.post(PUSH, json=batch(start(assigned, assigned.version)), headers=headers)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert await state(db_session) == before

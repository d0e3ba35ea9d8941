"""Every illegal transition is refused with a stable code and changes nothing; a closed case is
read-only; the guards on closing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from inspection_case_testing import INSPECTOR, JPEG, TODAY, Flow, assert_problem, etag
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case import states
from inspection_api.inspection_case.errors import CaseClosed, CaseTransitionNotAllowed
from inspection_api.models import AuditRecord, CaseStatus, InspectionEvidence, OutboxEvent

GPS_QUERY = {"latitude": 20.86, "longitude": 106.68, "captured_at": "2026-01-05T09:00:00+07:00"}


def bodies() -> dict[str, dict[str, Any]]:
    return {
        "assign": {"inspector_subject": INSPECTOR},
        "start": {},
        "conclude": {"conclusion": "Kết luận.", "concluded_on": TODAY.isoformat()},
        "sanctions": {
            "case_violation_id": str(uuid.uuid4()),
            "number": "1/QĐ-XPHC",
            "decided_on": TODAY.isoformat(),
            "fine_vnd": 270_000_000,
        },
        "rechecks": {"due_on": (TODAY + timedelta(days=30)).isoformat()},
        "close": {"note": "Huỷ."},
    }


# The endpoint of each step, and the states it may be taken from.
ALLOWED: dict[str, set[str]] = {
    "planned": {"assign", "close"},
    "assigned": {"assign", "start", "close"},
    "in_progress": {"conclude"},
    "concluded": {"sanctions", "rechecks", "close"},
    "sanctioned": {"sanctions", "rechecks", "close"},
    "follow_up": {"close"},
}
ENDPOINT_ACTION = {
    "assign": "assign",
    "start": "start",
    "conclude": "conclude",
    "sanctions": "sanction",
    "rechecks": "schedule_recheck",
    "close": "close",
}


def headers_for(flow: Flow, endpoint: str) -> dict[str, str]:
    return flow.inspector if endpoint in ("start", "conclude") else flow.officer


async def reach(flow: Flow, status: str) -> httpx.Response:
    makers: dict[str, Callable[[], Awaitable[Any]]] = {
        "planned": flow.open,
        "assigned": flow.assigned,
        "in_progress": flow.in_progress,
        "concluded": flow.concluded,
        "sanctioned": flow.sanctioned,
        "follow_up": flow.follow_up,
    }
    made = await makers[status]()
    case: httpx.Response = made[0] if isinstance(made, tuple) else made
    assert case.json()["status"] == status
    return case


def test_the_table_matches_the_state_machine() -> None:
    for status, endpoints in ALLOWED.items():
        assert states.allowed_actions(status) == sorted(ENDPOINT_ACTION[e] for e in endpoints)
    assert states.allowed_actions("closed") == []


def test_every_step_from_every_state_is_allowed_or_refused_with_a_code() -> None:
    for status in CaseStatus:
        for action in states.TRANSITIONS:
            if status == CaseStatus.CLOSED:
                with pytest.raises(CaseClosed):
                    states.target_of(status, action)
            elif action in states.allowed_actions(status):
                assert states.target_of(status, action) == states.TRANSITIONS[action].target
            else:
                with pytest.raises(CaseTransitionNotAllowed):
                    states.target_of(status, action)


@pytest.mark.parametrize("status", list(ALLOWED))
async def test_every_illegal_step_is_refused_and_changes_nothing(
    flow: Flow, db_session: AsyncSession, status: str
) -> None:
    case = await reach(flow, status)
    before = (await flow.get(case)).json()
    events_before = (await db_session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one()
    illegal = [e for e in ENDPOINT_ACTION if e not in ALLOWED[status]]
    assert illegal
    for endpoint in illegal:
        response = await flow.act(case, endpoint, bodies()[endpoint], headers_for(flow, endpoint))
        problem = assert_problem(response, 409, "case_transition_not_allowed")
        assert status in problem["detail"]
    after = (await flow.get(case)).json()
    assert (after["status"], after["version"]) == (before["status"], before["version"])
    events_after = (await db_session.execute(select(func.count()).select_from(OutboxEvent))).scalar_one()
    assert events_after == events_before


async def test_a_closed_case_refuses_every_write(
    flow: Flow, client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    case = await flow.in_progress()
    finding = await client.post(
        flow.url(case, "/findings"), json={"outcome": "observation", "note": "x"}, headers=flow.inspector
    )
    assert finding.status_code == 201
    case = await flow.act(case, "conclude", bodies()["conclude"], flow.inspector)
    case = await flow.act(case, "close", {}, flow.officer)
    assert case.status_code == 200, case.text
    assert case.json()["status"] == "closed"
    assert case.json()["allowed_actions"] == []
    before = case.json()
    audit_before = (await db_session.execute(select(func.count()).select_from(AuditRecord))).scalar_one()
    vtype = await flow.reference.violation_type("land_fund.not_reserved")

    for endpoint in ENDPOINT_ACTION:
        response = await flow.act(case, endpoint, bodies()[endpoint], headers_for(flow, endpoint))
        assert_problem(response, 409, "case_closed")
    writes = [
        client.post(flow.url(case, "/findings"), json={"outcome": "compliant"}, headers=flow.inspector),
        client.patch(
            flow.url(case, f"/findings/{finding.json()['id']}"),
            json={"note": "y"},
            headers=flow.inspector | etag(finding),
        ),
        client.post(
            flow.url(case, "/photos"),
            params=GPS_QUERY,
            content=JPEG,
            headers=flow.inspector | {"Content-Type": "image/jpeg"},
        ),
        client.post(
            flow.url(case, "/violations"),
            json={"violation_type_id": str(vtype.id), "observed_on": TODAY.isoformat(), "description": "x"},
            headers=flow.inspector,
        ),
    ]
    for write in writes:
        assert_problem(await write, 409, "case_closed")
    after = (await flow.get(case)).json()
    assert after == before
    audit_after = (await db_session.execute(select(func.count()).select_from(AuditRecord))).scalar_one()
    assert audit_after == audit_before
    assert (await db_session.execute(select(func.count()).select_from(InspectionEvidence))).scalar_one() == 0


class TestClosing:
    async def test_a_case_not_yet_worked_is_cancelled_with_a_note_by_an_officer(self, flow: Flow) -> None:
        case = await flow.assigned()
        assert_problem(await flow.act(case, "close", {}, flow.officer), 422, "closure_note_required")
        assert_problem(
            await flow.act(case, "close", {"note": "Trùng kế hoạch."}, flow.inspector),
            403,
            "case_not_assigned_to_you",
        )
        closed = await flow.act(case, "close", {"note": "Trùng kế hoạch."}, flow.officer)
        assert closed.status_code == 200
        assert closed.json()["closure_note"] == "Trùng kế hoạch."

    async def test_a_violation_without_sanction_keeps_the_case_open(self, flow: Flow) -> None:
        case, violation = await flow.concluded()
        assert violation is not None
        assert_problem(await flow.act(case, "close", {}, flow.officer), 409, "violations_unsanctioned")
        sanctioned = await flow.act(case, "sanctions", flow.sanction_body(violation), flow.officer)
        assert sanctioned.status_code == 201
        case = await flow.get(case)
        assert (await flow.act(case, "close", {}, flow.inspector)).status_code == 200

    async def test_a_clean_conclusion_closes_directly(self, flow: Flow) -> None:
        case, _ = await flow.concluded(with_violation=False)
        closed = await flow.act(case, "close", {}, flow.inspector)
        assert closed.status_code == 200
        assert closed.json()["status"] == "closed"

    async def test_follow_up_closes_once_the_recheck_is_closed(self, flow: Flow) -> None:
        parent, child = await flow.follow_up()
        assert child.json()["parent_case_id"] == parent.json()["id"]
        assert child.json()["status"] == "planned"
        assert_problem(await flow.act(parent, "close", {}, flow.officer), 409, "recheck_open")
        assert (await flow.act(child, "close", {"note": "Đã khắc phục."}, flow.officer)).status_code == 200
        assert (await flow.act(parent, "close", {}, flow.officer)).status_code == 200

    async def test_a_stale_etag_is_refused(self, flow: Flow) -> None:
        case = await flow.open()
        moved = await flow.act(case, "assign", {"inspector_subject": INSPECTOR}, flow.officer)
        assert moved.status_code == 200
        assert_problem(await flow.act(case, "close", {"note": "x"}, flow.officer), 412, "precondition_failed")
        response = await flow.client.post(flow.url(case, "/close"), json={"note": "x"}, headers=flow.officer)
        assert_problem(response, 428, "precondition_required")


async def test_two_racing_steps_give_one_success_and_one_412(
    committing_client: httpx.AsyncClient, auth: Any
) -> None:
    officer = auth(roles=["province_officer"], area_codes=["31"], subject="officer-hoa")
    case = await committing_client.post(
        "/v1/inspection-cases",
        json={"kind": "construction_check", "title": "x", "subject": "x", "province_code": "31"},
        headers=officer,
    )
    assert case.status_code == 201, case.text
    url = f"/v1/inspection-cases/{case.json()['id']}/assign"
    headers = officer | etag(case)
    first, second = await asyncio.gather(
        committing_client.post(url, json={"inspector_subject": "a"}, headers=headers),
        committing_client.post(url, json={"inspector_subject": "b"}, headers=headers),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 412]

"""The review queue and the run endpoint: roles, areas, If-Match, bad input, nothing changed on refusal."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.models import InspectionCase, Job, OutboxEvent, ProfiteeringFlag, ProfiteeringRun
from inspection_api.profiteering.detection import DETECTION_JOB

Auth = Callable[..., dict[str, str]]
FLAGS = "/v1/profiteering-flags"
RUNS = "/v1/profiteering-runs"
PROBLEM = "application/problem+json"
HAI_PHONG = "31"
HA_NOI = "01"
THUY_NGUYEN = "11560"
HAI_DUONG = "10525"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def add_flag(
    session: AsyncSession,
    *,
    province: str = HAI_PHONG,
    commune: str | None = THUY_NGUYEN,
    kind: str = "supported_twice",
    status: str = "open",
) -> ProfiteeringFlag:
    flag = ProfiteeringFlag(
        source="registry",
        key=f"{kind}:{uuid.uuid4()}",
        kind=kind,
        status=status,
        province_code=province,
        commune_code=commune,
        person_id=uuid.uuid4(),
        observed_at=datetime(2026, 11, 20, tzinfo=UTC),
        evidence={"rule": kind},
        dismissed_reason="seeded" if status == "dismissed" else None,
    )
    session.add(flag)
    await session.flush()
    return flag


@pytest.fixture
def officer(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


@pytest.fixture
def inspector_of_commune(auth: Auth) -> dict[str, str]:
    return auth(roles=["inspector"], area_codes=[THUY_NGUYEN])


class TestListFlags:
    async def test_lists_the_flags_in_the_area_with_filters(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        a = await add_flag(db_session)
        b = await add_flag(db_session, kind="resale_within_lock")
        c = await add_flag(db_session, status="dismissed")
        await add_flag(db_session, province=HA_NOI, commune="00004")
        response = await client.get(FLAGS, headers=officer)
        assert response.status_code == 200, response.text
        assert [i["id"] for i in response.json()["items"]] == [str(a.id), str(b.id), str(c.id)]
        response = await client.get(FLAGS, params={"status": "open"}, headers=officer)
        assert [i["id"] for i in response.json()["items"]] == [str(a.id), str(b.id)]
        response = await client.get(FLAGS, params={"kind": "resale_within_lock"}, headers=officer)
        assert [i["id"] for i in response.json()["items"]] == [str(b.id)]

    async def test_pages(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        ids = [str((await add_flag(db_session)).id) for _ in range(3)]
        first = (await client.get(FLAGS, params={"limit": 2}, headers=officer)).json()
        second = (
            await client.get(FLAGS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=officer)
        ).json()
        assert [i["id"] for i in first["items"] + second["items"]] == ids
        assert second["next_cursor"] is None

    async def test_a_commune_inspector_sees_only_the_commune(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector_of_commune: dict[str, str]
    ) -> None:
        mine = await add_flag(db_session)
        await add_flag(db_session, commune=HAI_DUONG)
        response = await client.get(FLAGS, headers=inspector_of_commune)
        assert [i["id"] for i in response.json()["items"]] == [str(mine.id)]

    async def test_an_auditor_reads(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        await add_flag(db_session)
        response = await client.get(FLAGS, headers=auth(roles=["auditor"], area_codes=[HAI_PHONG]))
        assert len(response.json()["items"]) == 1

    @pytest.mark.parametrize("role", ["commune_officer", "finance_officer", "partner"])
    async def test_refuses_other_roles(self, role: str, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(FLAGS, headers=auth(roles=[role], area_codes=[HAI_PHONG]))
        assert_problem(response, 403, "forbidden")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(FLAGS), 401, "unauthorized")

    @pytest.mark.parametrize("params", [{"status": "maybe"}, {"kind": "tax_evasion"}, {"limit": 0}])
    async def test_rejects_bad_filters(
        self, params: dict[str, Any], client: httpx.AsyncClient, officer: dict[str, str]
    ) -> None:
        problem = assert_problem(
            await client.get(FLAGS, params=params, headers=officer), 422, "validation_failed"
        )
        assert problem["errors"][0]["pointer"] == f"/query/{next(iter(params))}"

    async def test_rejects_a_tampered_cursor(
        self, client: httpx.AsyncClient, officer: dict[str, str]
    ) -> None:
        assert_problem(
            await client.get(FLAGS, params={"cursor": "x"}, headers=officer), 400, "invalid_cursor"
        )


class TestGetFlag:
    async def test_reads_one_with_its_etag(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.get(f"{FLAGS}/{flag.id}", headers=officer)
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"1"'
        data = response.json()
        assert (data["kind"], data["status"], data["evidence"]) == (
            "supported_twice",
            "open",
            {"rule": "supported_twice"},
        )

    async def test_a_flag_of_another_area_is_a_404(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector_of_commune: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session, commune=HAI_DUONG)
        response = await client.get(f"{FLAGS}/{flag.id}", headers=inspector_of_commune)
        assert_problem(response, 404, "profiteering_flag_not_found")

    async def test_a_bad_id_is_a_422(self, client: httpx.AsyncClient, officer: dict[str, str]) -> None:
        assert_problem(await client.get(f"{FLAGS}/not-a-uuid", headers=officer), 422, "validation_failed")


class TestDismiss:
    async def test_dismisses_with_a_reason(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss",
            json={"reason": "Hai hồ sơ là của hai người trùng tên, đã đối chiếu"},
            headers=officer | {"If-Match": 'W/"1"'},
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        data = response.json()
        assert data["status"] == "dismissed"
        assert data["dismissed_reason"].startswith("Hai hồ sơ")
        assert data["decided_by"] is not None
        events = (
            await db_session.scalars(
                select(OutboxEvent).where(OutboxEvent.type == "profiteering_flag.dismissed")
            )
        ).all()
        assert [e.data["flag_id"] for e in events] == [str(flag.id)]
        assert "reason" not in str(events[0].data)

    async def test_needs_if_match(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss", json={"reason": "không có căn cứ"}, headers=officer
        )
        assert_problem(response, 428, "precondition_required")
        await db_session.refresh(flag)
        assert flag.status == "open"

    async def test_a_stale_etag_is_a_412(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss",
            json={"reason": "không có căn cứ"},
            headers=officer | {"If-Match": 'W/"7"'},
        )
        assert_problem(response, 412, "precondition_failed")

    @pytest.mark.parametrize(
        "body", [{}, {"reason": "   "}, {"reason": "x" * 2001}, {"reason": "ok ok", "extra": 1}]
    )
    async def test_rejects_a_bad_reason(
        self,
        body: dict[str, Any],
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        officer: dict[str, str],
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss", json=body, headers=officer | {"If-Match": 'W/"1"'}
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"]
        await db_session.refresh(flag)
        assert flag.status == "open"

    async def test_a_decided_flag_is_a_409(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session, status="dismissed")
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss", json={"reason": "lần hai"}, headers=officer | {"If-Match": 'W/"1"'}
        )
        assert_problem(response, 409, "profiteering_flag_already_decided")

    async def test_an_auditor_may_not_decide(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss",
            json={"reason": "không có căn cứ"},
            headers=auth(roles=["auditor"], area_codes=[HAI_PHONG]) | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 403, "forbidden")

    async def test_a_flag_of_another_area_is_a_404(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector_of_commune: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session, commune=HAI_DUONG)
        response = await client.post(
            f"{FLAGS}/{flag.id}/dismiss",
            json={"reason": "không có căn cứ"},
            headers=inspector_of_commune | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 404, "profiteering_flag_not_found")
        await db_session.refresh(flag)
        assert flag.status == "open"


class TestRuns:
    async def test_queues_a_run_and_its_job(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        response = await client.post(RUNS, headers=officer)
        assert response.status_code == 202, response.text
        run = response.json()
        assert (run["status"], run["trigger"]) == ("queued", "manual")
        [job] = (await db_session.scalars(select(Job).where(Job.kind == DETECTION_JOB))).all()
        assert job.payload == {"run_id": run["id"]}
        # Asking again while it waits answers the same run, and queues nothing more.
        again = await client.post(RUNS, headers=officer)
        assert again.json()["id"] == run["id"]
        jobs = await db_session.scalar(select(func.count()).select_from(Job).where(Job.kind == DETECTION_JOB))
        assert jobs == 1
        got = await client.get(f"{RUNS}/{run['id']}", headers=officer)
        assert got.json()["id"] == run["id"]
        listed = await client.get(RUNS, headers=officer)
        assert [r["id"] for r in listed.json()["items"]] == [run["id"]]

    @pytest.mark.parametrize("role", ["auditor", "commune_officer", "finance_officer"])
    async def test_refuses_other_roles(
        self, role: str, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        response = await client.post(RUNS, headers=auth(roles=[role], area_codes=[HAI_PHONG]))
        assert_problem(response, 403, "forbidden")
        assert await db_session.scalar(select(func.count()).select_from(ProfiteeringRun)) == 0

    async def test_an_unknown_run_is_a_404(self, client: httpx.AsyncClient, officer: dict[str, str]) -> None:
        assert_problem(
            await client.get(f"{RUNS}/{uuid.uuid4()}", headers=officer), 404, "profiteering_run_not_found"
        )

    async def test_a_commune_officer_may_not_read_runs(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(RUNS, headers=auth(roles=["commune_officer"], area_codes=[THUY_NGUYEN]))
        assert_problem(response, 403, "forbidden")


class TestConfirm:
    async def test_confirming_opens_a_case_in_the_flags_area(
        self, client: httpx.AsyncClient, db_session: AsyncSession, inspector_of_commune: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session, kind="resale_within_lock")
        response = await client.post(
            f"{FLAGS}/{flag.id}/confirm",
            json={
                "case_kind": "inspectorate_inspection",
                "summary": "Bán lại sau 3 năm, giá cao hơn hợp đồng",
            },
            headers=inspector_of_commune | {"If-Match": 'W/"1"'},
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        data = response.json()
        assert data["status"] == "confirmed"
        case = await db_session.get(InspectionCase, uuid.UUID(data["case_id"]))
        assert case is not None
        assert (case.kind, case.status, case.flag_id) == ("inspectorate_inspection", "planned", flag.id)
        assert (case.province_code, case.commune_code) == (HAI_PHONG, THUY_NGUYEN)
        assert case.title == "Bán lại nhà ở xã hội trong thời hạn 5 năm"
        types = (await db_session.scalars(select(OutboxEvent.type).where(OutboxEvent.type.like("%.%")))).all()
        assert {"inspection_case.opened", "profiteering_flag.confirmed"} <= set(types)

    async def test_a_confirmed_flag_is_not_confirmed_twice(
        self, client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
    ) -> None:
        flag = await add_flag(db_session)
        body = {"case_kind": "construction_check", "title": "Kiểm tra hồ sơ hưởng hỗ trợ hai lần"}
        first = await client.post(
            f"{FLAGS}/{flag.id}/confirm", json=body, headers=officer | {"If-Match": 'W/"1"'}
        )
        assert first.status_code == 200, first.text
        second = await client.post(
            f"{FLAGS}/{flag.id}/confirm", json=body, headers=officer | {"If-Match": 'W/"2"'}
        )
        assert_problem(second, 409, "profiteering_flag_already_decided")
        cases = await db_session.scalar(select(func.count()).select_from(InspectionCase))
        assert cases == 1

    @pytest.mark.parametrize(
        "body",
        [{}, {"case_kind": "audit"}, {"case_kind": "construction_check", "title": ""}],
        ids=["none", "bad", "empty"],
    )
    async def test_rejects_bad_input_and_opens_nothing(
        self,
        body: dict[str, Any],
        client: httpx.AsyncClient,
        db_session: AsyncSession,
        officer: dict[str, str],
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/confirm", json=body, headers=officer | {"If-Match": 'W/"1"'}
        )
        assert_problem(response, 422, "validation_failed")
        assert await db_session.scalar(select(func.count()).select_from(InspectionCase)) == 0

    async def test_another_area_is_a_404_and_opens_nothing(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/confirm",
            json={"case_kind": "construction_check"},
            headers=auth(roles=["province_officer"], area_codes=[HA_NOI]) | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 404, "profiteering_flag_not_found")
        assert await db_session.scalar(select(func.count()).select_from(InspectionCase)) == 0

    async def test_an_auditor_may_not_confirm(
        self, client: httpx.AsyncClient, db_session: AsyncSession, auth: Auth
    ) -> None:
        flag = await add_flag(db_session)
        response = await client.post(
            f"{FLAGS}/{flag.id}/confirm",
            json={"case_kind": "construction_check"},
            headers=auth(roles=["auditor"], area_codes=[HAI_PHONG]) | {"If-Match": 'W/"1"'},
        )
        assert_problem(response, 403, "forbidden")


async def test_asking_for_a_run_while_one_is_delayed_retries_it_now(
    client: httpx.AsyncClient, db_session: AsyncSession, officer: dict[str, str]
) -> None:
    run = ProfiteeringRun(
        status="delayed",
        trigger="periodic",
        attempts=1,
        signals_seen=0,
        flags_raised=0,
        skipped_rules=[],
        delayed_reason="funding:unknown_borrower: funding-api did not answer in time.",
    )
    db_session.add(run)
    await db_session.flush()
    for _ in range(2):
        response = await client.post(RUNS, headers=officer)
        assert response.status_code == 202, response.text
        assert response.json()["id"] == str(run.id)
        assert response.json()["delayed_reason"].startswith("funding:")
    jobs = (await db_session.scalars(select(Job).where(Job.kind == DETECTION_JOB))).all()
    assert [j.payload for j in jobs] == [{"run_id": str(run.id)}]

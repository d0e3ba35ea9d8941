from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
from inspection_case_testing import TODAY, Flow, assert_problem
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.demo import seed_demo_cases
from inspection_api.inspection_case.reference import (
    VIOLATION_CATALOGUE,
    seed_checklist_templates,
    seed_violation_catalogue,
)
from inspection_api.models import InspectionCase, SanctionDecision


async def sanctions(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(SanctionDecision))).scalar_one())


class TestCatalogue:
    async def test_the_draft_ranges_are_listed_as_draft(self, flow: Flow, client: httpx.AsyncClient) -> None:
        response = await client.get(
            "/v1/violation-types",
            params={"in_force_on": TODAY.isoformat(), "limit": 100},
            headers=flow.inspector,
        )
        assert response.status_code == 200
        items = {i["code"]: i for i in response.json()["items"]}
        assert len(items) == len(VIOLATION_CATALOGUE)
        assert all(i["is_draft"] for i in items.values())
        assert (
            items["land_fund.not_reserved"]["fine_min_vnd"],
            items["land_fund.not_reserved"]["fine_max_vnd"],
        ) == (
            260_000_000,
            280_000_000,
        )
        assert (items["social_housing.sold_to_ineligible"]["fine_min_vnd"]) == 120_000_000
        before = await client.get(
            "/v1/violation-types", params={"in_force_on": "2025-01-01"}, headers=flow.inspector
        )
        assert before.json()["items"] == []

    async def test_seeding_twice_adds_nothing(self, db_session: AsyncSession, flow: Flow) -> None:
        assert await seed_violation_catalogue(db_session) == 0
        assert await seed_checklist_templates(db_session) == 0


class TestViolations:
    async def test_an_entry_not_in_force_or_unknown_is_refused(
        self, flow: Flow, client: httpx.AsyncClient
    ) -> None:
        case = await flow.in_progress()
        vtype = await flow.reference.violation_type("land_fund.not_reserved")
        body = {"violation_type_id": str(vtype.id), "observed_on": "2025-01-10", "description": "x"}
        response = await client.post(flow.url(case, "/violations"), json=body, headers=flow.inspector)
        assert_problem(response, 422, "violation_type_not_in_force")
        response = await client.post(
            flow.url(case, "/violations"),
            json=body | {"violation_type_id": str(uuid.uuid4()), "observed_on": TODAY.isoformat()},
            headers=flow.inspector,
        )
        assert_problem(response, 422, "violation_type_unknown")
        tomorrow = (TODAY + timedelta(days=1)).isoformat()
        response = await client.post(
            flow.url(case, "/violations"), json=body | {"observed_on": tomorrow}, headers=flow.inspector
        )
        assert_problem(response, 422, "date_invalid")
        listed = await client.get(flow.url(case, "/violations"), headers=flow.officer)
        assert listed.json()["items"] == []


class TestSanctions:
    async def test_the_fine_must_be_within_the_range(self, flow: Flow, db_session: AsyncSession) -> None:
        case, violation = await flow.concluded()
        assert violation is not None
        for fine in (259_999_999, 280_000_001):
            response = await flow.act(
                case, "sanctions", flow.sanction_body(violation, fine_vnd=fine), flow.officer
            )
            problem = assert_problem(response, 422, "fine_out_of_range")
            assert problem["errors"][0]["pointer"] == "/body/fine_vnd"
            assert "draft" in problem["detail"]
        assert await sanctions(db_session) == 0
        assert (await flow.get(case)).json()["status"] == "concluded"

    async def test_a_violation_is_sanctioned_once_and_numbers_are_unique(
        self, flow: Flow, client: httpx.AsyncClient, db_session: AsyncSession
    ) -> None:
        case, sanction = await flow.sanctioned()
        violation = {"id": sanction["case_violation_id"]}
        again = await flow.act(case, "sanctions", flow.sanction_body(violation), flow.officer)
        assert_problem(again, 409, "violation_already_sanctioned")
        decision = (await client.get(flow.url(case, "/sanctions"), headers=flow.officer)).json()["items"][0]
        assert decision["remedy"] == "Buộc bố trí quỹ đất hoặc nộp số tiền tương đương giá trị quỹ đất"
        assert decision["fine_vnd"] == 270_000_000

        other, second = await flow.concluded()
        assert second is not None
        taken = await flow.act(other, "sanctions", flow.sanction_body(second), flow.officer)
        assert_problem(taken, 409, "sanction_number_taken")
        stranger = await flow.act(
            other, "sanctions", flow.sanction_body(violation, number="2/QĐ"), flow.officer
        )
        assert_problem(stranger, 422, "case_violation_unknown")
        late = await flow.act(
            other,
            "sanctions",
            flow.sanction_body(
                second, number="3/QĐ", remedy_deadline=(TODAY - timedelta(days=1)).isoformat()
            ),
            flow.officer,
        )
        assert_problem(late, 422, "date_invalid")
        assert await sanctions(db_session) == 1

    async def test_a_recheck_is_a_child_case_due_on_its_date(
        self, flow: Flow, client: httpx.AsyncClient
    ) -> None:
        parent, child = await flow.follow_up()
        assert parent.json()["status"] == "follow_up"
        assert child.json()["kind"] == parent.json()["kind"]
        assert child.json()["due_on"] == (TODAY + timedelta(days=200)).isoformat()
        listed = await client.get(
            "/v1/inspection-cases", params={"parent_case_id": parent.json()["id"]}, headers=flow.officer
        )
        assert [c["id"] for c in listed.json()["items"]] == [child.json()["id"]]


async def test_the_demo_has_open_and_closed_cases_of_both_kinds(flow: Flow, db_session: AsyncSession) -> None:
    summary = await seed_demo_cases(db_session)
    assert "5 cases" in summary
    assert await seed_demo_cases(db_session) == "already there"
    rows = (await db_session.execute(select(InspectionCase.kind, InspectionCase.status))).all()
    kinds = {(kind, status == "closed") for kind, status in rows}
    assert kinds == {
        ("construction_check", True),
        ("construction_check", False),
        ("inspectorate_inspection", True),
        ("inspectorate_inspection", False),
    }
    assert await sanctions(db_session) == 2
    assert {c.commune_code for c in (await db_session.execute(select(InspectionCase))).scalars()} == {
        "10525",
        "11560",
    }

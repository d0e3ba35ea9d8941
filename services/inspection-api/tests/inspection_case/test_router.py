from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from inspection_case_testing import (
    GPS,
    HA_NOI,
    HAI_DUONG,
    HAI_PHONG,
    INSPECTOR,
    JPEG,
    OTHER_INSPECTOR,
    THUY_NGUYEN,
    TODAY,
    Auth,
    Flow,
    assert_problem,
    etag,
)
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.inspection_case.service import open_case_for_flag
from inspection_api.models import AuditRecord, InspectionCase, OutboxEvent
from servicekit.areas import AreaScope
from servicekit.principal import Principal


async def events(session: AsyncSession) -> list[OutboxEvent]:
    rows = (await session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars()
    return list(rows)


async def case_count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(InspectionCase))).scalar_one())


class TestTheWholeChain:
    async def test_plan_to_closure_is_audited_and_emits_events(
        self, flow: Flow, client: httpx.AsyncClient, db_session: AsyncSession
    ) -> None:
        case = await flow.in_progress()
        assert case.json()["assigned_inspector"] == INSPECTOR
        assert case.json()["checklist_version_id"] is not None
        finding = await client.post(
            flow.url(case, "/findings"),
            json={
                "checklist_item_key": "land_fund.infrastructure_built",
                "outcome": "non_compliant",
                "note": "Chưa có hạ tầng.",
            },
            headers=flow.inspector,
        )
        assert finding.status_code == 201, finding.text
        assert finding.headers["ETag"] == 'W/"1"'
        changed = await client.patch(
            flow.url(case, f"/findings/{finding.json()['id']}"),
            json={"note": "Mới san lấp, chưa có hạ tầng."},
            headers=flow.inspector | etag(finding),
        )
        assert changed.status_code == 200
        assert changed.json()["version"] == 2
        photo = await client.post(
            flow.url(case, "/photos"),
            params=GPS | {"finding_id": finding.json()["id"]},
            content=JPEG,
            headers=flow.inspector | {"Content-Type": "image/jpeg"},
        )
        assert photo.status_code == 201, photo.text
        violation = await flow.violation(case)
        case = await flow.act(
            case, "conclude", {"conclusion": "Vi phạm.", "concluded_on": TODAY.isoformat()}, flow.inspector
        )
        assert case.json()["status"] == "concluded"
        sanction = await flow.act(case, "sanctions", flow.sanction_body(violation), flow.officer)
        assert sanction.status_code == 201, sanction.text
        assert sanction.json()["fine_range_draft"] is True
        case = await flow.get(case)
        assert case.json()["status"] == "sanctioned"
        assert sanction.headers["ETag"] == case.headers["ETag"]
        closed = await flow.act(case, "close", {}, flow.officer)
        assert closed.json()["status"] == "closed"

        types = [e.type for e in await events(db_session)]
        assert types == [
            "inspection_case.opened",
            "inspection_case.assigned",
            "inspection_case.started",
            "finding.recorded",
            "finding.updated",
            "evidence.uploaded",
            "violation.recorded",
            "inspection_case.concluded",
            "sanction.decided",
            "inspection_case.closed",
        ]
        for event in await events(db_session):
            assert sorted(event.area_codes) == [THUY_NGUYEN, HAI_PHONG]
            assert event.data["case_id"] == case.json()["id"]
            assert INSPECTOR not in str(event.data)
        audited = {
            r.resource_type
            for r in (await db_session.execute(select(AuditRecord))).scalars()
            if r.actor_subject in (INSPECTOR, "officer-hoa")
        }
        assert {
            "inspection_case",
            "inspection_finding",
            "inspection_evidence",
            "case_violation",
            "sanction_decision",
        } <= audited

    async def test_lists_are_paged_and_filtered(self, flow: Flow, client: httpx.AsyncClient) -> None:
        first = await flow.open()
        await flow.open(kind="inspectorate_inspection", commune=HAI_DUONG)
        await flow.assigned()
        page = await client.get("/v1/inspection-cases", params={"limit": 2}, headers=flow.officer)
        assert page.status_code == 200
        assert len(page.json()["items"]) == 2
        assert page.json()["items"][0]["id"] == first.json()["id"]
        rest = await client.get(
            "/v1/inspection-cases", params={"cursor": page.json()["next_cursor"]}, headers=flow.officer
        )
        assert len(rest.json()["items"]) == 1
        assert rest.json()["next_cursor"] is None
        mine = await client.get("/v1/inspection-cases", params={"mine": True}, headers=flow.inspector)
        assert [c["status"] for c in mine.json()["items"]] == ["assigned"]
        kind = await client.get(
            "/v1/inspection-cases", params={"kind": "inspectorate_inspection"}, headers=flow.officer
        )
        assert len(kind.json()["items"]) == 1
        bad = await client.get("/v1/inspection-cases", params={"cursor": "nope"}, headers=flow.officer)
        assert bad.status_code == 400


class TestOpening:
    async def test_a_case_for_a_plan_item_takes_its_kind_and_area(
        self, flow: Flow, client: httpx.AsyncClient
    ) -> None:
        plan = await client.post(
            "/v1/inspection-plans",
            json={"province_code": HAI_PHONG, "year": 2026, "kind": "construction_check", "title": "KH 2026"},
            headers=flow.officer,
        )
        item = await client.post(
            f"/v1/inspection-plans/{plan.json()['id']}/items",
            json={"subject": "KĐT Bắc sông Cấm", "commune_code": THUY_NGUYEN, "planned_month": 3},
            headers=flow.officer,
        )
        case = await flow.open(plan_item_id=item.json()["id"])
        assert case.json()["plan_item_id"] == item.json()["id"]
        wrong = await client.post(
            "/v1/inspection-cases",
            json={
                "kind": "inspectorate_inspection",
                "title": "x",
                "subject": "x",
                "province_code": HAI_PHONG,
                "commune_code": HAI_DUONG,
                "plan_item_id": item.json()["id"],
            },
            headers=flow.officer,
        )
        problem = assert_problem(wrong, 422, "plan_item_mismatch")
        assert {e["pointer"] for e in problem["errors"]} == {"/body/kind", "/body/commune_code"}
        unknown = await client.post(
            "/v1/inspection-cases",
            json={
                "kind": "construction_check",
                "title": "x",
                "subject": "x",
                "province_code": HAI_PHONG,
                "plan_item_id": str(uuid.uuid4()),
            },
            headers=flow.officer,
        )
        assert_problem(unknown, 422, "plan_item_unknown")

    async def test_the_commune_must_lie_in_the_province(
        self, flow: Flow, client: httpx.AsyncClient, db_session: AsyncSession
    ) -> None:
        body = {"kind": "construction_check", "title": "x", "subject": "x", "province_code": HAI_PHONG}
        for commune in ("00004", "99999"):
            response = await client.post(
                "/v1/inspection-cases", json=body | {"commune_code": commune}, headers=flow.officer
            )
            problem = assert_problem(response, 422, "commune_not_in_province")
            assert problem["errors"][0]["pointer"] == "/body/commune_code"
        assert await case_count(db_session) == 0

    async def test_registry_down_delays_opening(
        self, app_with_registry: FastAPI, registry_stub: Any, auth: Auth, db_session: AsyncSession
    ) -> None:
        registry_stub.down = True
        officer = auth(roles=["province_officer"], area_codes=[HAI_PHONG])
        transport = httpx.ASGITransport(app=app_with_registry, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as other:
            response = await other.post(
                "/v1/inspection-cases",
                json={
                    "kind": "construction_check",
                    "title": "x",
                    "subject": "x",
                    "province_code": HAI_PHONG,
                    "commune_code": THUY_NGUYEN,
                },
                headers=officer,
            )
        assert_problem(response, 503, "upstream_unavailable")
        assert await case_count(db_session) == 0

    async def test_bad_input_is_a_problem_and_stores_nothing(
        self, flow: Flow, client: httpx.AsyncClient, db_session: AsyncSession
    ) -> None:
        response = await client.post(
            "/v1/inspection-cases",
            json={"kind": "audit", "title": "", "subject": "x", "province_code": "3", "extra": 1},
            headers=flow.officer,
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert {"/body/kind", "/body/title", "/body/province_code", "/body/extra"} <= {
            e["pointer"] for e in problem["errors"]
        }
        assert await case_count(db_session) == 0

    async def test_open_case_for_flag_starts_planned_with_the_flag(self, db_session: AsyncSession) -> None:
        officer = Principal(
            subject="officer-hoa",
            client_id="spa",
            roles=frozenset({"province_officer"}),
            scopes=frozenset(),
            area=AreaScope.from_codes([HAI_PHONG]),
        )
        flag_id = uuid.uuid4()
        case = await open_case_for_flag(
            db_session,
            officer,
            kind="inspectorate_inspection",
            title="Hộ được hỗ trợ hai lần",
            province_code=HAI_PHONG,
            commune_code=HAI_DUONG,
            flag_id=flag_id,
            summary="supported_twice",
        )
        assert (case.status, case.flag_id, case.version) == ("planned", flag_id, 1)
        (event,) = [e for e in await events(db_session) if e.type == "inspection_case.opened"]
        assert event.data["flag_id"] == str(flag_id)
        assert event.data["source"] == "flag"
        outsider = Principal(
            subject="x",
            client_id="spa",
            roles=frozenset({"province_officer"}),
            scopes=frozenset(),
            area=AreaScope.from_codes([HA_NOI]),
        )
        with pytest.raises(Exception, match="do not cover"):
            await open_case_for_flag(
                db_session,
                outsider,
                kind="construction_check",
                title="x",
                province_code=HAI_PHONG,
                commune_code=None,
                flag_id=flag_id,
                summary="x",
            )


class TestRolesAndAreas:
    """Every endpoint refuses the wrong role (403) and rows outside the caller's area (404)."""

    @staticmethod
    def writes(case_id: str, finding_id: str, vtype_id: str) -> list[tuple[str, str, dict[str, Any], str]]:
        base = f"/v1/inspection-cases/{case_id}"
        return [
            ("POST", base + "/assign", {"inspector_subject": INSPECTOR}, "plan"),
            ("POST", base + "/start", {}, "work"),
            ("POST", base + "/conclude", {"conclusion": "x", "concluded_on": TODAY.isoformat()}, "work"),
            (
                "POST",
                base + "/sanctions",
                {
                    "case_violation_id": str(uuid.uuid4()),
                    "number": "1",
                    "decided_on": TODAY.isoformat(),
                    "fine_vnd": 1,
                },
                "decide",
            ),
            ("POST", base + "/rechecks", {"due_on": TODAY.isoformat()}, "decide"),
            ("POST", base + "/close", {"note": "x"}, "decide"),
            ("POST", base + "/findings", {"outcome": "compliant"}, "work"),
            ("PATCH", base + f"/findings/{finding_id}", {"note": "x"}, "work"),
            (
                "POST",
                base + "/violations",
                {"violation_type_id": vtype_id, "observed_on": TODAY.isoformat(), "description": "x"},
                "work",
            ),
        ]

    @staticmethod
    def reads(case_id: str, evidence_id: str) -> list[str]:
        base = f"/v1/inspection-cases/{case_id}"
        return [
            base,
            base + "/findings",
            base + "/photos",
            base + f"/photos/{evidence_id}",
            base + f"/photos/{evidence_id}/content",
            base + "/violations",
            base + "/sanctions",
        ]

    async def prepared(self, flow: Flow, client: httpx.AsyncClient) -> tuple[httpx.Response, str, str, str]:
        case = await flow.in_progress()
        finding = await client.post(
            flow.url(case, "/findings"), json={"outcome": "compliant"}, headers=flow.inspector
        )
        photo = await client.post(flow.url(case, "/photos"), params=GPS, content=JPEG, headers=flow.inspector)
        assert photo.status_code == 201, photo.text
        vtype = await flow.reference.violation_type("land_fund.not_reserved")
        return await flow.get(case), finding.json()["id"], photo.json()["id"], str(vtype.id)

    async def test_wrong_roles_are_refused_on_every_write(
        self, flow: Flow, client: httpx.AsyncClient, auth: Auth, db_session: AsyncSession
    ) -> None:
        case, finding_id, evidence_id, vtype_id = await self.prepared(flow, client)
        commune = auth(roles=["commune_officer"], area_codes=[THUY_NGUYEN], subject=INSPECTOR)
        auditor = auth(roles=["auditor"], area_codes=[HAI_PHONG], subject=INSPECTOR)
        inspector = flow.inspector
        officer = flow.officer
        # Who is refused, per kind of write (the role check comes before anything else).
        refused = {
            "plan": [commune, auditor, inspector],
            "work": [commune, auditor, officer],
            "decide": [commune, auditor],
        }
        before = (await flow.get(case)).json()
        for method, url, body, kind in self.writes(case.json()["id"], finding_id, vtype_id):
            for headers in refused[kind]:
                response = await client.request(method, url, json=body, headers=headers | etag(case))
                assert_problem(response, 403, "forbidden")
        for headers in (commune, auditor, inspector):
            response = await client.post(
                "/v1/inspection-cases",
                json={"kind": "construction_check", "title": "x", "subject": "x", "province_code": HAI_PHONG},
                headers=headers,
            )
            assert_problem(response, 403, "forbidden")
        for headers in (commune, auditor, officer):
            response = await client.post(flow.url(case, "/photos"), params=GPS, content=JPEG, headers=headers)
            assert_problem(response, 403, "forbidden")
        assert (await flow.get(case)).json() == before
        partner = auth(roles=["partner"], area_codes=[HAI_PHONG])
        finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        reads = [*self.reads(case.json()["id"], evidence_id), "/v1/inspection-cases", "/v1/violation-types"]
        for url in reads:
            for headers in (partner, finance):
                assert_problem(await client.get(url, headers=headers), 403, "forbidden")
            assert (await client.get(url)).status_code == 401

    async def test_an_inspector_works_only_the_cases_assigned_to_them(
        self, flow: Flow, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        case, finding_id, _, vtype_id = await self.prepared(flow, client)
        other = auth(roles=["inspector"], area_codes=[HAI_PHONG], subject=OTHER_INSPECTOR)
        for method, url, body, kind in self.writes(case.json()["id"], finding_id, vtype_id):
            if kind == "plan":
                continue
            response = await client.request(method, url, json=body, headers=other | etag(case))
            # In progress: the steps it allows say "not yours"; the others are refused by the state.
            assert response.status_code in (403, 409), response.text
            if response.status_code == 403:
                assert response.json()["code"] == "case_not_assigned_to_you"
        upload = await client.post(flow.url(case, "/photos"), params=GPS, content=JPEG, headers=other)
        assert_problem(upload, 403, "case_not_assigned_to_you")
        # Reading is by area, not by assignment.
        assert (await client.get(flow.url(case), headers=other)).status_code == 200

    async def test_rows_outside_the_callers_area_are_missing(
        self, flow: Flow, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        case, finding_id, evidence_id, vtype_id = await self.prepared(flow, client)
        case_id = case.json()["id"]
        ha_noi = {
            "plan": auth(roles=["province_officer"], area_codes=[HA_NOI], subject="officer-hoa"),
            "work": auth(roles=["inspector"], area_codes=[HA_NOI], subject=INSPECTOR),
            "decide": auth(roles=["province_officer"], area_codes=[HA_NOI], subject="officer-hoa"),
        }
        other_commune = auth(roles=["commune_officer"], area_codes=[HAI_DUONG])
        for url in self.reads(case_id, evidence_id):
            for headers in (ha_noi["plan"], ha_noi["work"], other_commune):
                assert_problem(await client.get(url, headers=headers), 404, "inspection_case_not_found")
        for method, url, body, kind in self.writes(case_id, finding_id, vtype_id):
            response = await client.request(method, url, json=body, headers=ha_noi[kind] | etag(case))
            assert_problem(response, 404, "inspection_case_not_found")
        upload = await client.post(
            flow.url(case, "/photos"), params=GPS, content=JPEG, headers=ha_noi["work"]
        )
        assert_problem(upload, 404, "inspection_case_not_found")
        listed = await client.get("/v1/inspection-cases", headers=ha_noi["plan"])
        assert listed.json()["items"] == []
        # The commune officer of the case's commune reads it, but writes nothing.
        own_commune = auth(roles=["commune_officer"], area_codes=[THUY_NGUYEN])
        for url in self.reads(case_id, evidence_id):
            assert (await client.get(url, headers=own_commune)).status_code == 200, url
        # Opening a case in an area one does not cover is a 403.
        response = await client.post(
            "/v1/inspection-cases",
            json={"kind": "construction_check", "title": "x", "subject": "x", "province_code": HAI_PHONG},
            headers=ha_noi["plan"],
        )
        assert_problem(response, 403, "area_not_covered")

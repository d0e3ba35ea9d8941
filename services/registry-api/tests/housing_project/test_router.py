"""Social housing projects, milestones, the sale publication, targets and progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
from registry_people_testing import (
    HA_NOI,
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    assert_problem,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.housing_project.demo import seed_demo_projects
from registry_api.housing_target.reference import seed_housing_targets
from registry_api.models import AdminUnit, AuditRecord, HousingProject, HousingTarget, OutboxEvent

Officer = Callable[..., dict[str, str]]
URL = "/v1/housing-projects"


def project_body(commune_code: str = PHUONG_THUY_NGUYEN, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Nhà ở xã hội Thuỷ Nguyên 2",
        "investor": "Công ty CP Đầu tư Bạch Đằng",
        "address": "Đường Đà Nẵng, phường Thuỷ Nguyên",
        "province_code": HAI_PHONG,
        "commune_code": commune_code,
        "kind": "sale",
        "land_area_m2": 12_000,
        "planned_units": [
            {"unit_kind": "apartment", "floor_area_band": "45_to_60", "units": 300},
            {"unit_kind": "apartment", "floor_area_band": "60_to_70", "units": 100},
        ],
    }
    return body | overrides


async def create(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> httpx.Response:
    return await client.post(URL, json=project_body(**overrides), headers=headers)


async def milestone(
    client: httpx.AsyncClient, headers: dict[str, str], project: dict[str, Any], name: str, on: str
) -> httpx.Response:
    response = await client.get(f"{URL}/{project['id']}", headers=headers)
    return await client.post(
        f"{URL}/{project['id']}/milestones",
        json={"milestone": name, "on": on},
        headers=headers | {"If-Match": response.headers["etag"]},
    )


class TestCreateAndRead:
    async def test_creates_with_planned_units_audit_and_event(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await create(client, province, commercial_project_ref="cp-2025-017")
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        created = response.json()
        assert created["planned_units_total"] == 400
        assert [u["floor_area_band"] for u in created["planned_units"]] == ["45_to_60", "60_to_70"]
        assert (created["commercial_project_ref"], created["approved_on"]) == ("cp-2025-017", None)
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "housing_project.created"))
        ).scalar_one()
        assert event.data == {"housing_project_id": created["id"], "kind": "sale", "planned_units": 400}
        audited = (
            await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == created["id"]))
        ).scalar_one()
        assert audited.after is not None

    async def test_bad_input_is_a_problem_with_pointers(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        bad = project_body(land_area_m2=0, kind="hotel", planned_units=[], extra=1)
        problem = assert_problem(await client.post(URL, json=bad, headers=province), 422, "validation_failed")
        assert {"/body/land_area_m2", "/body/kind", "/body/planned_units", "/body/extra"} <= set(
            pointers(problem)
        )
        twice = project_body(
            planned_units=[{"unit_kind": "house", "floor_area_band": "over_70", "units": 5}] * 2
        )
        assert_problem(await client.post(URL, json=twice, headers=province), 422, "validation_failed")
        problem = assert_problem(
            await create(client, province, commune_code="00004"), 422, "commune_not_in_province"
        )
        assert pointers(problem) == ["/body/commune_code"]

    async def test_roles_and_areas(
        self, client: httpx.AsyncClient, province: dict[str, str], officer: Officer
    ) -> None:
        for role in ("commune_officer", "auditor", "inspector", "finance_officer", "partner"):
            assert_problem(await create(client, officer(HAI_PHONG, role=role)), 403, "forbidden")
        assert_problem(
            await create(client, officer(HA_NOI, role="province_officer")), 403, "area_not_covered"
        )
        project = (await create(client, province)).json()
        other = (await create(client, province, commune_code=PHUONG_HAI_DUONG, name="Khu B")).json()
        own = officer(PHUONG_THUY_NGUYEN)
        assert (await client.get(f"{URL}/{project['id']}", headers=own)).status_code == 200
        # Another commune's officer cannot read it, even by guessing the id.
        for guess in (project["id"], str(uuid.uuid4())):
            assert_problem(
                await client.get(f"{URL}/{guess}", headers=officer(PHUONG_LE_CHAN)),
                404,
                "housing_project_not_found",
            )
        listed = (await client.get(URL, headers=own)).json()["items"]
        assert [p["id"] for p in listed] == [project["id"]]
        for role in ("auditor", "inspector", "finance_officer"):
            items = (await client.get(URL, headers=officer(HAI_PHONG, role=role))).json()["items"]
            assert {p["id"] for p in items} == {project["id"], other["id"]}
        assert (await client.get(URL, headers=officer(HA_NOI, role="auditor"))).json()["items"] == []
        assert_problem(await client.get(URL, headers=officer(HAI_PHONG, role="partner")), 403, "forbidden")
        assert_problem(
            await client.get(f"{URL}/{project['id']}", headers=officer(HAI_PHONG, role="bank_integration")),
            403,
            "forbidden",
        )
        # Writing a milestone: the commune officer is refused; another province's officer gets a 404.
        assert_problem(await milestone(client, own, project, "approved", "2025-09-01"), 403, "forbidden")
        assert_problem(
            await client.post(
                f"{URL}/{project['id']}/milestones",
                json={"milestone": "approved", "on": "2025-09-01"},
                headers=officer(HA_NOI, role="province_officer") | {"If-Match": 'W/"1"'},
            ),
            404,
            "housing_project_not_found",
        )
        filtered = await client.get(URL, params={"commune_code": PHUONG_HAI_DUONG}, headers=province)
        assert [p["id"] for p in filtered.json()["items"]] == [other["id"]]


class TestMilestones:
    async def test_milestones_move_forward_only(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        project = (await create(client, province)).json()
        problem = assert_problem(
            await milestone(client, province, project, "started", "2025-10-01"), 409, "milestone_out_of_order"
        )
        assert "approved" in problem["detail"]
        ok = await milestone(client, province, project, "approved", "2025-08-01")
        assert ok.status_code == 200, ok.text
        assert (ok.json()["approved_on"], ok.headers["etag"]) == ("2025-08-01", 'W/"2"')
        problem = assert_problem(
            await milestone(client, province, project, "started", "2025-07-31"),
            422,
            "milestone_date_backwards",
        )
        assert pointers(problem) == ["/body/on"]
        assert_problem(
            await milestone(client, province, project, "approved", "2025-08-02"),
            409,
            "milestone_already_recorded",
        )
        problem = assert_problem(
            await milestone(client, province, project, "started", "2999-01-01"),
            422,
            "milestone_date_backwards",
        )
        assert pointers(problem) == ["/body/on"]
        assert (await milestone(client, province, project, "started", "2025-10-01")).status_code == 200
        assert_problem(
            await milestone(client, province, project, "handed_over", "2026-01-01"),
            409,
            "milestone_out_of_order",
        )
        done = await milestone(client, province, project, "completed", "2026-01-10")
        assert done.json()["completed_on"] == "2026-01-10"
        events = (
            (
                await db_session.execute(
                    select(OutboxEvent.data).where(OutboxEvent.type == "housing_project.milestone_recorded")
                )
            )
            .scalars()
            .all()
        )
        assert [e["milestone"] for e in events] == ["approved", "started", "completed"]

    async def test_if_match_is_required_and_checked(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        project = (await create(client, province)).json()
        path = f"{URL}/{project['id']}/milestones"
        body = {"milestone": "approved", "on": "2025-08-01"}
        assert_problem(await client.post(path, json=body, headers=province), 428, "precondition_required")
        assert_problem(
            await client.post(path, json=body, headers=province | {"If-Match": 'W/"7"'}),
            412,
            "precondition_failed",
        )
        assert_problem(
            await client.post(
                path, json={"milestone": "built", "on": "x"}, headers=province | {"If-Match": 'W/"1"'}
            ),
            422,
            "validation_failed",
        )


class TestSalePublication:
    async def test_published_after_the_start_with_ordered_dates(
        self, client: httpx.AsyncClient, province: dict[str, str], officer: Officer
    ) -> None:
        project = (await create(client, province)).json()
        path = f"{URL}/{project['id']}/sale-publication"
        body = {
            "published_on": "2025-10-20",
            "published_where": "Cổng thông tin điện tử Sở Xây dựng Hải Phòng",
            "opens_on": "2025-11-01",
            "closes_on": "2025-12-01",
        }
        assert_problem(
            await client.put(path, json=body, headers=province | {"If-Match": 'W/"1"'}),
            409,
            "sale_publication_before_start",
        )
        await milestone(client, province, project, "approved", "2025-08-01")
        await milestone(client, province, project, "started", "2025-10-01")
        bad = body | {"published_on": "2025-09-01", "closes_on": "2025-10-31"}
        problem = assert_problem(
            await client.put(path, json=bad, headers=province | {"If-Match": 'W/"3"'}),
            422,
            "sale_dates_invalid",
        )
        assert set(pointers(problem)) == {"/body/published_on", "/body/closes_on"}
        assert_problem(
            await client.put(path, json=body, headers=officer(PHUONG_THUY_NGUYEN) | {"If-Match": 'W/"3"'}),
            403,
            "forbidden",
        )
        ok = await client.put(path, json=body, headers=province | {"If-Match": 'W/"3"'})
        assert ok.status_code == 200, ok.text
        assert (ok.json()["sale_published_on"], ok.json()["sale_closes_on"]) == ("2025-10-20", "2025-12-01")


def target_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "code": "HD_PLAN_2026_2030_V2",
        "area_code": "30",
        "area_scheme": "legacy",
        "province_code": HAI_PHONG,
        "period_start_year": 2026,
        "period_end_year": 2030,
        "units": 10_500,
        "legal_basis": "Kế hoạch điều chỉnh (demo)",
        "issued_on": "2026-03-01",
        "certainty": "confirmed",
    }
    return body | overrides


class TestTargets:
    async def test_reference_targets_and_superseding(
        self, client: httpx.AsyncClient, province: dict[str, str], officer: Officer, db_session: AsyncSession
    ) -> None:
        assert await seed_housing_targets(db_session) == 4
        assert await seed_housing_targets(db_session) == 0
        items = (await client.get("/v1/housing-targets", headers=officer(PHUONG_LE_CHAN))).json()["items"]
        assert {(t["code"], t["units"], t["certainty"]) for t in items} == {
            ("HD_PLAN_2021_2025", 5_860, "uncertain"),
            ("HD_PLAN_2026_2030", 10_060, "uncertain"),
            ("QD444_HD_2021_2030", 15_900, "confirmed"),
            ("HD_2025", 530, "uncertain"),
        }
        old = next(t for t in items if t["code"] == "HD_PLAN_2026_2030")
        for role in ("commune_officer", "auditor"):
            assert_problem(
                await client.post(
                    "/v1/housing-targets", json=target_body(), headers=officer(HAI_PHONG, role=role)
                ),
                403,
                "forbidden",
            )
        assert_problem(
            await client.get("/v1/housing-targets", headers=officer(HAI_PHONG, role="partner")),
            403,
            "forbidden",
        )
        assert_problem(
            await client.post(
                "/v1/housing-targets", json=target_body(), headers=officer(HA_NOI, role="province_officer")
            ),
            403,
            "area_not_covered",
        )
        problem = assert_problem(
            await client.post(
                "/v1/housing-targets", json=target_body(supersedes_id=old["id"], year=2026), headers=province
            ),
            422,
            "housing_target_supersede_mismatch",
        )
        assert pointers(problem) == ["/body/year"]
        assert_problem(
            await client.post("/v1/housing-targets", json=target_body(code="HD_2025"), headers=province),
            409,
            "housing_target_exists",
        )
        created = await client.post(
            "/v1/housing-targets", json=target_body(supersedes_id=old["id"]), headers=province
        )
        assert created.status_code == 201, created.text
        assert_problem(
            await client.post(
                "/v1/housing-targets", json=target_body(code="V3", supersedes_id=old["id"]), headers=province
            ),
            409,
            "housing_target_already_superseded",
        )
        stored = await db_session.get(HousingTarget, uuid.UUID(old["id"]))
        assert stored is not None
        await db_session.refresh(stored)
        assert (stored.units, str(stored.superseded_by_id)) == (10_060, created.json()["id"])
        current = (
            await client.get("/v1/housing-targets", params={"period": "2026-2030"}, headers=province)
        ).json()["items"]
        assert [t["code"] for t in current] == ["HD_PLAN_2026_2030_V2"]
        every = (
            await client.get(
                "/v1/housing-targets",
                params={"period": "2026-2030", "current_only": "false"},
                headers=province,
            )
        ).json()["items"]
        assert len(every) == 2
        assert_problem(
            await client.post("/v1/housing-targets", json=target_body(year=2031), headers=province),
            422,
            "validation_failed",
        )


async def add_legacy_provinces(session: AsyncSession) -> None:
    for code, name in (("30", "Tỉnh Hải Dương"), ("31", "Thành phố Hải Phòng")):
        session.add(
            AdminUnit(
                scheme="legacy",
                level="province",
                code=code,
                name=name,
                division_type="tỉnh",
                codename=name,
                parent_code=None,
                province_code=code,
                valid_from=date(2004, 7, 8),
                valid_to=date(2025, 6, 30),
                source="test",
            )
        )
    await session.flush()


class TestProgress:
    async def test_progress_on_old_and_new_boundaries(
        self, client: httpx.AsyncClient, province: dict[str, str], officer: Officer, db_session: AsyncSession
    ) -> None:
        await seed_housing_targets(db_session)
        await add_legacy_provinces(db_session)
        assert await seed_demo_projects(db_session) == 7
        assert await seed_demo_projects(db_session) == 0
        # A project recorded in Thuỷ Nguyên under the old Hải Phòng province.
        await db_session.execute(
            HousingProject.__table__.update()
            .where(HousingProject.commune_code == PHUONG_THUY_NGUYEN)
            .values(legacy_area_code="31")
        )
        url = "/v1/housing-targets/progress"
        new = (await client.get(url, params={"period": "2021-2025"}, headers=province)).json()
        assert [(a["code"], a["started_units"], a["completed_units"]) for a in new["areas"]] == [
            (HAI_PHONG, 496 + 800 + 650, 496)
        ]
        assert [(y["year"], y["started_units"], y["completed_units"]) for y in new["areas"][0]["years"]] == [
            (2022, 496, 0),
            (2024, 800, 496),
            (2025, 650, 0),
        ]
        assert {t["code"] for t in new["targets"]} == {"HD_PLAN_2021_2025", "HD_2025"}
        old = (
            await client.get(url, params={"period": "2021-2025", "boundaries": "old"}, headers=province)
        ).json()
        assert [
            (a["code"], a["started_units"], a["completed_units"], a["target_units"]) for a in old["areas"]
        ] == [
            ("30", 1296, 496, 5_860),
            ("31", 650, 0, None),
        ]
        # A commune officer sees only the projects of the commune.
        own = (
            await client.get(url, params={"period": "2021-2025"}, headers=officer(PHUONG_THUY_NGUYEN))
        ).json()
        assert [(a["code"], a["started_units"]) for a in own["areas"]] == [(HAI_PHONG, 650)]
        later = (await client.get(url, params={"period": "2026-2030"}, headers=province)).json()
        # The three demo projects started in 2026 (taking applications until mid-2027).
        assert [(a["code"], a["started_units"], a["completed_units"]) for a in later["areas"]] == [
            (HAI_PHONG, 540 + 340 + 210, 0)
        ]
        later_old = (
            await client.get(url, params={"period": "2026-2030", "boundaries": "old"}, headers=province)
        ).json()
        assert [(a["code"], a["started_units"], a["target_units"]) for a in later_old["areas"]] == [
            ("30", 540, 10_060),
            ("31", 340 + 210, None),
        ]
        problem = assert_problem(
            await client.get(url, params={"period": "2025-2021"}, headers=province), 422, "period_invalid"
        )
        assert pointers(problem) == ["/query/period"]
        assert_problem(
            await client.get(url, params={"period": "2025"}, headers=province), 422, "validation_failed"
        )
        assert_problem(
            await client.get(url, params={"period": "2021-2025"}, headers=officer(HAI_PHONG, role="partner")),
            403,
            "forbidden",
        )

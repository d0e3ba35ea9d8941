"""The partner API: scopes and roles, area filtering, the allow-listed read models, small-cell
suppression of the statistics, and the published list (names and birth years, never an identifier)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from registry_housing_flows import application, contract, published_project, resell
from registry_people_testing import (
    HA_NOI,
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    person_body,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord
from registry_api.person.service import local_today

Auth = Callable[..., dict[str, str]]
YEAR = local_today().year
PROJECTS, TARGETS, STATISTICS = "registry:projects:read", "registry:targets:read", "registry:statistics:read"
ALL_SCOPES = [PROJECTS, TARGETS, STATISTICS]
OPERATIONS = [
    ("/v1/partner/projects", PROJECTS),
    ("/v1/partner/targets", TARGETS),
    ("/v1/partner/progress?period=2026-2030", TARGETS),
    (f"/v1/partner/statistics?period={YEAR}", STATISTICS),
    (f"/v1/partner/published-lists/{YEAR}", PROJECTS),
]
PROJECT_FIELDS = {
    "id",
    "name",
    "investor",
    "province_code",
    "commune_code",
    "legacy_area_code",
    "kind",
    "land_area_m2",
    "status",
    "planned_units_total",
    "planned_units",
    "milestones",
    "sale_publication",
    "updated_at",
}
ENTRY_FIELDS = {
    "project_id",
    "project_name",
    "investor",
    "project_commune_code",
    "kind",
    "full_name",
    "birth_year",
    "residence_commune_code",
    "on",
}


def partner(auth: Auth, scopes: list[str] = ALL_SCOPES, area: str = HAI_PHONG) -> dict[str, str]:
    return auth(roles=["partner"], area_codes=[area], scopes=scopes, client_id="partner-demo")


async def planned_project(client: httpx.AsyncClient, headers: dict[str, str], commune: str, kind: str) -> str:
    body = {
        "name": f"Nhà ở xã hội {kind} {commune}",
        "investor": "Công ty TNHH Xây dựng Đông Á",
        "address": "Đường 5 mới",
        "province_code": HAI_PHONG,
        "commune_code": commune,
        "kind": kind,
        "land_area_m2": 8_000,
        "commercial_project_ref": "cp-internal-42",
        "planned_units": [{"unit_kind": "apartment", "floor_area_band": "under_45", "units": 120}],
    }
    response = await client.post("/v1/housing-projects", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


class TestAccess:
    async def test_each_operation_needs_its_scope_and_a_partner_reader_role(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        for path, scope in OPERATIONS:
            others = [s for s in ALL_SCOPES if s != scope]
            refused = await client.get(path, headers=partner(auth, others))
            assert assert_problem(refused, 403, "scope_missing")["detail"] == f"This needs the scope {scope}."
            assert (await client.get(path, headers=partner(auth, [scope]))).status_code == 200, path
            # The province's administrators and auditors check what partners see (no scope needed).
            for role in ("administrator", "auditor"):
                allowed = await client.get(path, headers=auth(roles=[role], area_codes=[HAI_PHONG]))
                assert allowed.status_code == 200, (path, role, allowed.text)
            for role in ("province_officer", "commune_officer", "finance_officer", "inspector", "service"):
                wrong = await client.get(
                    path, headers=auth(roles=[role], area_codes=[HAI_PHONG], scopes=ALL_SCOPES)
                )
                assert_problem(wrong, 403, "forbidden")
            assert_problem(await client.get(path), 401, "unauthorized")

    async def test_partners_stay_refused_on_the_officers_api(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        for path in ("/v1/housing-projects", "/v1/households", "/v1/persons?citizen_id=031085100001"):
            assert_problem(await client.get(path, headers=partner(auth)), 403, "forbidden")


class TestProjects:
    async def test_public_facts_only_filtered_by_kind_status_and_area(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        started = await published_project(client, province, name="Nhà ở xã hội Bạch Đằng")
        planned = await planned_project(client, province, PHUONG_HAI_DUONG, "rent")
        response = await client.get("/v1/partner/projects", headers=partner(auth, [PROJECTS]))
        assert response.status_code == 200, response.text
        items = {i["id"]: i for i in response.json()["items"]}
        assert set(items) == {started, planned}
        assert all(set(i) == PROJECT_FIELDS for i in items.values())
        first = items[started]
        assert (first["status"], first["planned_units_total"], first["commune_code"]) == (
            "under_construction",
            300,
            PHUONG_THUY_NGUYEN,
        )
        assert first["milestones"] == {
            "approved_on": "2024-06-01",
            "started_on": "2024-09-01",
            "completed_on": None,
            "handed_over_on": None,
        }
        assert first["sale_publication"]["opens_on"] == "2024-10-01"
        assert items[planned]["status"] == "planned"
        assert items[planned]["sale_publication"] is None
        # Internal references never reach a partner.
        assert "cp-internal-42" not in response.text
        headers = partner(auth, [PROJECTS])
        for query, expected in (
            ("status=planned", [planned]),
            ("status=under_construction", [started]),
            ("kind=rent", [planned]),
            (f"area_code={PHUONG_HAI_DUONG}", [planned]),
            (f"area_code={HAI_PHONG}", [started, planned]),
            ("area_code=01", []),
        ):
            found = (await client.get(f"/v1/partner/projects?{query}", headers=headers)).json()["items"]
            assert sorted(i["id"] for i in found) == sorted(expected), query
        bad = await client.get("/v1/partner/projects?status=built", headers=headers)
        assert pointers(assert_problem(bad, 422, "validation_failed")) == ["/query/status"]
        # Keyset pages.
        one = (await client.get("/v1/partner/projects?limit=1", headers=headers)).json()
        two = (
            await client.get(f"/v1/partner/projects?limit=1&cursor={one['next_cursor']}", headers=headers)
        ).json()
        assert [i["id"] for i in one["items"] + two["items"]] == sorted([started, planned])
        detail = await client.get(f"/v1/partner/projects/{started}", headers=headers)
        assert detail.status_code == 200
        assert detail.json() == first

    async def test_another_areas_partner_sees_nothing(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        project = await planned_project(client, province, PHUONG_THUY_NGUYEN, "sale")
        other = partner(auth, [PROJECTS], area=HA_NOI)
        assert (await client.get("/v1/partner/projects", headers=other)).json()["items"] == []
        missing = await client.get(f"/v1/partner/projects/{project}", headers=other)
        assert_problem(missing, 404, "housing_project_not_found")
        # A commune-bound auditor sees its commune's projects only.
        auditor = auth(roles=["auditor"], area_codes=[PHUONG_HAI_DUONG])
        assert (await client.get("/v1/partner/projects", headers=auditor)).json()["items"] == []


class TestTargetsAndProgress:
    async def test_targets_without_the_officers_note_and_progress(
        self, client: httpx.AsyncClient, province: dict[str, str], auth: Auth
    ) -> None:
        body = {
            "code": "HP_2026_2030_TEST",
            "area_code": HAI_PHONG,
            "area_scheme": "2025",
            "province_code": HAI_PHONG,
            "period_start_year": 2026,
            "period_end_year": 2030,
            "units": 10_060,
            "legal_basis": "Quyết định 444/QĐ-TTg",
            "issued_on": "2025-02-27",
            "certainty": "confirmed",
            "note": "ghi chú nội bộ của cán bộ",
        }
        created = await client.post("/v1/housing-targets", json=body, headers=province)
        assert created.status_code == 201, created.text
        await published_project(client, province)
        headers = partner(auth, [TARGETS])
        targets = await client.get("/v1/partner/targets?period=2026-2030", headers=headers)
        assert targets.status_code == 200, targets.text
        (target,) = [t for t in targets.json()["items"] if t["code"] == "HP_2026_2030_TEST"]
        assert "note" not in target
        assert "nội bộ" not in targets.text
        assert target["units"] == 10_060
        far = partner(auth, [TARGETS], area=HA_NOI)
        assert (await client.get("/v1/partner/targets", headers=far)).json()["items"] == []
        progress = await client.get("/v1/partner/progress?period=2021-2025", headers=headers)
        assert progress.status_code == 200, progress.text
        (area,) = progress.json()["areas"]
        assert (area["code"], area["started_units"]) == (HAI_PHONG, 300)
        assert area["years"] == [{"year": 2024, "started_units": 300, "completed_units": 0}]
        current = (await client.get("/v1/partner/progress?period=2026-2030", headers=headers)).json()
        assert [t["code"] for t in current["targets"] if t["code"] == "HP_2026_2030_TEST"] == [
            "HP_2026_2030_TEST"
        ]
        assert all("note" not in t for t in current["targets"])
        wrong = await client.get("/v1/partner/progress?period=2030-2026", headers=headers)
        assert_problem(wrong, 422, "period_invalid")


async def propose_case(client: httpx.AsyncClient, headers: dict[str, str], household: dict[str, Any]) -> None:
    body = {
        "household_id": household["id"],
        "stream": "campaign",
        "kind": "new_build",
        "proposed_on": local_today().isoformat(),
    }
    response = await client.post("/v1/support-cases", json=body, headers=headers)
    assert response.status_code == 201, response.text


class TestStatistics:
    @pytest.fixture
    async def spread(self, client: httpx.AsyncClient, people: People, province: dict[str, str]) -> None:
        """Households: 6 in Thuỷ Nguyên, 3 in Lê Chân, 2 in Hải Dương; one support case."""
        for commune, count in ((PHUONG_THUY_NGUYEN, 6), (PHUONG_LE_CHAN, 3), (PHUONG_HAI_DUONG, 2)):
            for _ in range(count):
                household = await people.household(commune)
        await propose_case(client, province, household)

    async def test_small_cells_are_suppressed_and_so_is_what_would_reveal_them(
        self, client: httpx.AsyncClient, auth: Auth, spread: None
    ) -> None:
        response = await client.get(
            f"/v1/partner/statistics?period={YEAR}", headers=partner(auth, [STATISTICS])
        )
        assert response.status_code == 200, response.text
        answer = response.json()
        assert (answer["period"], answer["level"], answer["suppression_threshold"]) == (
            str(YEAR),
            "commune",
            5,
        )
        assert answer["period_start"] == f"{YEAR}-01-01"
        assert answer["as_of"] == min(f"{YEAR}-12-31", local_today().isoformat())
        everyone = {
            c["area_code"]: (c["count"], c["suppressed"])
            for c in answer["households_by_category"][0]["cells"]
        }
        assert answer["households_by_category"][0]["category"] == "all"
        # 3 and 2 are hidden; together 5 >= the threshold, so 6 can be shown.
        assert everyone == {
            PHUONG_THUY_NGUYEN: (6, False),
            PHUONG_LE_CHAN: (None, True),
            PHUONG_HAI_DUONG: (None, True),
        }
        (cases,) = answer["support_cases"]
        assert (cases["stream"], cases["status"]) == ("campaign", "proposed")
        assert [(c["area_code"], c["count"], c["suppressed"]) for c in cases["cells"]] == [
            (PHUONG_HAI_DUONG, None, True)
        ]
        province_level = await client.get(
            f"/v1/partner/statistics?period={YEAR}&level=province", headers=partner(auth, [STATISTICS])
        )
        totals = province_level.json()["households_by_category"][0]["cells"]
        assert [(c["area_code"], c["count"]) for c in totals] == [(HAI_PHONG, 11)]

    async def test_two_communes_one_small_both_hidden(
        self, client: httpx.AsyncClient, people: People, auth: Auth
    ) -> None:
        for commune, count in ((PHUONG_THUY_NGUYEN, 5), (PHUONG_HAI_DUONG, 1)):
            for _ in range(count):
                await people.household(commune)
        answer = (
            await client.get(f"/v1/partner/statistics?period={YEAR}", headers=partner(auth, [STATISTICS]))
        ).json()
        # The province total (6) minus a shown 5 would give the hidden 1 away.
        assert {c["area_code"]: c["count"] for c in answer["households_by_category"][0]["cells"]} == {
            PHUONG_THUY_NGUYEN: None,
            PHUONG_HAI_DUONG: None,
        }

    async def test_applications_by_project_and_status(
        self, client: httpx.AsyncClient, people: People, province: dict[str, str], auth: Auth
    ) -> None:
        project = await published_project(client, province, name="Dự án thống kê")
        await application(client, people, province, project, submitted_on=local_today().isoformat())
        answer = (
            await client.get(f"/v1/partner/statistics?period={YEAR}", headers=partner(auth, [STATISTICS]))
        ).json()
        assert [
            (a["project_name"], a["status"], a["count"], a["suppressed"]) for a in answer["applications"]
        ] == [("Dự án thống kê", "eligible", None, True)]

    async def test_periods(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = partner(auth, [STATISTICS])
        quarter = (await client.get(f"/v1/partner/statistics?period={YEAR}-Q1", headers=headers)).json()
        assert (quarter["period_start"], quarter["period_end"]) == (f"{YEAR}-01-01", f"{YEAR}-03-31")
        for bad, code in (
            ("1999", "statistics_period_invalid"),
            (str(YEAR + 1), "statistics_period_invalid"),
        ):
            refused = await client.get(f"/v1/partner/statistics?period={bad}", headers=headers)
            assert pointers(assert_problem(refused, 422, code)) == ["/query/period"]
        for bad in ("2026-Q5", "26", "2026Q1"):
            refused = await client.get(f"/v1/partner/statistics?period={bad}", headers=headers)
            assert_problem(refused, 422, "validation_failed")
        assert_problem(await client.get("/v1/partner/statistics", headers=headers), 422, "validation_failed")


class TestPublishedList:
    @pytest.fixture
    async def listed(
        self, client: httpx.AsyncClient, people: People, province: dict[str, str]
    ) -> dict[str, dict[str, Any]]:
        """Two contracts signed today (project A), one in project B resold to an eligible person."""
        heads = {
            "an": person_body("Nguyễn Văn An", 1985, phone="+84912345678"),
            "binh": person_body("Trần Thị Bình", 1990, "female"),
            "dung": person_body("Phạm Văn Dũng", 1980),
            "cuong": person_body("Lê Văn Cường", 1988),
        }
        a = await published_project(client, province, name="A - Nhà ở xã hội Bạch Đằng")
        b = await published_project(
            client, province, name="B - Nhà ở xã hội Tân Hưng", commune=PHUONG_HAI_DUONG
        )
        await contract(client, people, province, a, head=heads["an"])
        await contract(client, people, province, a, head=heads["binh"])
        b1 = await contract(client, people, province, b, commune=PHUONG_HAI_DUONG, head=heads["dung"])
        c = await published_project(client, province, name="C - Nhà ở xã hội khác")
        buyer = await application(client, people, province, c, head=heads["cuong"])
        await resell(
            client,
            province,
            b1["id"],
            buyer_kind="eligible_person",
            buyer_person_id=buyer["applicant_person_id"],
            price_vnd=1_150_000_000,
        )
        return heads

    async def test_names_and_birth_years_never_an_identifier(
        self,
        client: httpx.AsyncClient,
        auth: Auth,
        listed: dict[str, dict[str, Any]],
        db_session: AsyncSession,
    ) -> None:
        headers = partner(auth, [PROJECTS])
        response = await client.get(f"/v1/partner/published-lists/{YEAR}", headers=headers)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert all(set(i) == ENTRY_FIELDS for i in items)
        assert [(i["project_name"], i["kind"], i["full_name"], i["birth_year"]) for i in items] == [
            ("A - Nhà ở xã hội Bạch Đằng", "sale", "Nguyễn Văn An", 1985),
            ("A - Nhà ở xã hội Bạch Đằng", "sale", "Trần Thị Bình", 1990),
            ("B - Nhà ở xã hội Tân Hưng", "sale", "Phạm Văn Dũng", 1980),
            ("B - Nhà ở xã hội Tân Hưng", "resale_purchase", "Lê Văn Cường", 1988),
        ]
        assert items[2]["residence_commune_code"] == PHUONG_HAI_DUONG
        for head in listed.values():
            assert head["citizen_id"] not in response.text
            assert "*" + head["citizen_id"][-3:] not in response.text  # the masked form
            assert head["date_of_birth"] not in response.text
        assert "912345678" not in response.text
        assert "Số 12 đường Bạch Đằng" not in response.text  # the households' address
        # Keyset pages run from the contracts into the resales.
        seen, cursor = [], None
        while True:
            query = "limit=1" + (f"&cursor={cursor}" if cursor else "")
            page = (await client.get(f"/v1/partner/published-lists/{YEAR}?{query}", headers=headers)).json()
            seen += [i["full_name"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == [i["full_name"] for i in items]
        # Every page read names people: audited.
        reads = (
            (
                await db_session.execute(
                    select(AuditRecord.resource_id).where(AuditRecord.resource_type == "published_list")
                )
            )
            .scalars()
            .all()
        )
        assert reads == [str(YEAR)] * 5
        other = partner(auth, [PROJECTS], area=HA_NOI)
        assert (await client.get(f"/v1/partner/published-lists/{YEAR}", headers=other)).json()["items"] == []

    async def test_bad_years_and_cursors(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = partner(auth, [PROJECTS])
        refused = await client.get("/v1/partner/published-lists/2023", headers=headers)
        assert pointers(assert_problem(refused, 422, "report_period_invalid")) == ["/query/year"]
        assert_problem(
            await client.get("/v1/partner/published-lists/1999", headers=headers), 422, "validation_failed"
        )
        tampered = await client.get(f"/v1/partner/published-lists/{YEAR}?cursor=abc", headers=headers)
        assert_problem(tampered, 400, "invalid_cursor")

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    count,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, DwellingRuleSet, OutboxEvent

Officer = Callable[..., dict[str, str]]


def facts(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "assessed_on": "2025-09-15",
        "assessor": "Tổ khảo sát phường Thuỷ Nguyên",
        "floor_area_m2": "20",
        "residents": 3,
        "foundation": {"material": "durable", "state": "sound"},
        "frame_walls": {"material": "durable", "state": "sound"},
        "roof": {"material": "non_durable", "state": "unsafe"},
        "land_status": "residential_undisputed",
    }
    return body | overrides


async def dwelling(
    client: httpx.AsyncClient, household: dict[str, Any], headers: dict[str, str], since: str = "2025-08-01"
) -> dict[str, Any]:
    response = await client.post(
        f"/v1/households/{household['id']}/dwellings",
        json={"since": since, "built_year": 1988, "note": "Nhà cấp 4 lợp fibro xi măng"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


class TestDwellings:
    async def test_a_new_dwelling_ends_the_current_one_and_keeps_history(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        first = await dwelling(client, household, people.headers)
        assert (first["ended_on"], first["commune_code"]) == (None, PHUONG_THUY_NGUYEN)
        too_early = await client.post(
            f"/v1/households/{household['id']}/dwellings",
            json={"since": "2025-08-01"},
            headers=people.headers,
        )
        assert pointers(assert_problem(too_early, 422, "dwelling_date_invalid")) == ["/body/since"]
        future = await client.post(
            f"/v1/households/{household['id']}/dwellings",
            json={"since": "2999-01-01"},
            headers=people.headers,
        )
        assert_problem(future, 422, "dwelling_date_invalid")
        second = await dwelling(client, household, people.headers, since="2026-02-01")
        listed = await client.get(f"/v1/households/{household['id']}/dwellings", headers=people.headers)
        rows = listed.json()["items"]
        assert [(r["id"], r["ended_on"]) for r in rows] == [(first["id"], "2026-01-31"), (second["id"], None)]
        events = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "dwelling.created"))
        ).scalars()
        assert [e.data["previous_dwelling_id"] for e in events] == [None, first["id"]]
        audit = (
            (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == first["id"])))
            .scalars()
            .first()
        )
        assert audit is not None
        assert audit.after is not None
        assert audit.after["note"].startswith("*")
        assert "fibro" not in audit.after["note"]

    async def test_update_needs_if_match(self, client: httpx.AsyncClient, people: People) -> None:
        household = await people.household()
        d = await dwelling(client, household, people.headers)
        url = f"/v1/dwellings/{d['id']}"
        assert_problem(
            await client.patch(url, json={"built_year": 1990}, headers=people.headers),
            428,
            "precondition_required",
        )
        stale = await client.patch(
            url, json={"built_year": 1990}, headers=people.headers | {"If-Match": 'W/"9"'}
        )
        assert_problem(stale, 412, "precondition_failed")
        ok = await client.patch(
            url, json={"built_year": 1990}, headers=people.headers | {"If-Match": 'W/"1"'}
        )
        assert ok.status_code == 200, ok.text
        assert (ok.json()["built_year"], ok.headers["etag"]) == (1990, 'W/"2"')
        bad = await client.patch(
            url, json={"built_year": 1700}, headers=people.headers | {"If-Match": 'W/"2"'}
        )
        assert pointers(assert_problem(bad, 422, "validation_failed")) == ["/body/built_year"]

    async def test_a_closed_household_or_unknown_one(self, client: httpx.AsyncClient, people: People) -> None:
        missing = await client.post(
            "/v1/households/00000000-0000-7000-8000-000000000000/dwellings",
            json={"since": "2025-08-01"},
            headers=people.headers,
        )
        assert_problem(missing, 404, "household_not_found")


class TestAssessments:
    async def test_classifies_under_the_rule_set_and_keeps_every_assessment(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        d = await dwelling(client, household, people.headers)
        url = f"/v1/dwellings/{d['id']}/assessments"
        first = await client.post(url, json=facts(), headers=people.headers)
        assert first.status_code == 201, first.text
        a = first.json()
        assert (a["classification"], a["qualifies"], a["criteria"], a["rule_set_code"]) == (
            "temporary",
            True,
            ["area_family"],
            "QD55_BXD_2025",
        )
        rebuilt = facts(
            assessed_on="2026-03-20",
            floor_area_m2="45.5",
            roof={"material": "durable", "state": "sound"},
            land_status="residential_disputed",
        )
        second = (await client.post(url, json=rebuilt, headers=people.headers)).json()
        assert (second["classification"], second["qualifies"], second["criteria"]) == (
            "adequate",
            False,
            ["land_not_undisputed_residential"],
        )
        history = (await client.get(url, headers=people.headers)).json()["items"]
        assert [h["id"] for h in history] == [second["id"], a["id"]]  # newest first
        one = await client.get(f"/v1/dwelling-assessments/{a['id']}", headers=people.headers)
        assert (one.status_code, one.json()["floor_area_m2"]) == (200, "20.00")
        event = (
            (await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "dwelling.assessed")))
            .scalars()
            .first()
        )
        assert event is not None
        assert event.data["classification"] == "temporary"
        assert set(event.data) == {
            "dwelling_id", "household_id", "assessment_id", "assessed_on", "rule_set_code",
            "classification", "qualifies", "criteria",
        }  # fmt: skip

    async def test_the_rule_set_valid_on_the_assessment_date_is_used(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        old = (await db_session.execute(select(DwellingRuleSet))).scalar_one()
        old.valid_to = date(2025, 12, 31)
        db_session.add(
            DwellingRuleSet(
                code="TEST_2026",
                name="Stricter test rules",
                legal_basis="Quyết định thử nghiệm",
                valid_from=date(2026, 1, 1),
                single_person_min_area_m2=Decimal("18"),
                family_min_area_m2=Decimal("40"),
                family_min_area_per_person_m2=Decimal("10"),
                min_failing_structures=2,
                min_unsafe_structures_dilapidated=2,
            )
        )
        await db_session.commit()
        household = await people.household()
        d = await dwelling(client, household, people.headers)
        url = f"/v1/dwellings/{d['id']}/assessments"
        body = facts(floor_area_m2="27", roof={"material": "durable", "state": "sound"})  # 9 m2 each
        before = (await client.post(url, json=body, headers=people.headers)).json()
        after = (
            await client.post(url, json=body | {"assessed_on": "2026-01-05"}, headers=people.headers)
        ).json()
        assert (before["rule_set_code"], before["classification"]) == ("QD55_BXD_2025", "adequate")
        assert (after["rule_set_code"], after["classification"]) == ("TEST_2026", "temporary")
        rule_sets = (await client.get("/v1/dwelling-rule-sets", headers=people.headers)).json()["items"]
        assert [r["code"] for r in rule_sets] == ["QD55_BXD_2025", "TEST_2026"]
        assert rule_sets[0]["legal_basis"].startswith("Quyết định 55/QĐ-BXD")

    async def test_bad_facts_and_dates_are_refused_and_nothing_is_stored(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        d = await dwelling(client, household, people.headers, since="2024-06-01")
        url = f"/v1/dwellings/{d['id']}/assessments"
        bad = await client.post(
            url,
            json=facts(floor_area_m2="0", residents=0, roof={"material": "straw", "state": "unsafe"}),
            headers=people.headers,
        )
        assert set(pointers(assert_problem(bad, 422, "validation_failed"))) == {
            "/body/floor_area_m2",
            "/body/residents",
            "/body/roof/material",
        }
        no_rules = await client.post(url, json=facts(assessed_on="2024-12-01"), headers=people.headers)
        assert pointers(assert_problem(no_rules, 422, "dwelling_rule_set_not_applicable")) == [
            "/body/assessed_on"
        ]
        before = await client.post(url, json=facts(assessed_on="2024-05-01"), headers=people.headers)
        assert_problem(before, 422, "dwelling_date_invalid")
        future = await client.post(url, json=facts(assessed_on="2999-01-01"), headers=people.headers)
        assert_problem(future, 422, "dwelling_date_invalid")
        assert await count(db_session, "dwelling_assessment") == 0
        await dwelling(client, household, people.headers, since="2025-08-01")
        ended = await client.post(url, json=facts(), headers=people.headers)
        assert_problem(ended, 409, "dwelling_ended")


class TestAccess:
    async def test_another_communes_officer_sees_nothing_even_by_id(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household(PHUONG_THUY_NGUYEN)
        d = await dwelling(client, household, people.headers)
        a = (
            await client.post(f"/v1/dwellings/{d['id']}/assessments", json=facts(), headers=people.headers)
        ).json()
        own, other = officer(PHUONG_THUY_NGUYEN), officer(PHUONG_HAI_DUONG)
        assert (await client.get(f"/v1/dwellings/{d['id']}", headers=own)).status_code == 200
        for method, url, body in [
            ("GET", f"/v1/dwellings/{d['id']}", None),
            ("GET", f"/v1/dwellings/{d['id']}/assessments", None),
            ("POST", f"/v1/dwellings/{d['id']}/assessments", facts()),
            ("GET", f"/v1/dwelling-assessments/{a['id']}", None),
        ]:
            response = await client.request(method, url, json=body, headers=other)
            assert response.status_code == 404, (url, response.text)
        assert_problem(
            await client.patch(
                f"/v1/dwellings/{d['id']}", json={"note": "x"}, headers=other | {"If-Match": 'W/"1"'}
            ),
            404,
            "dwelling_not_found",
        )
        for method, url, body in [
            ("GET", f"/v1/households/{household['id']}/dwellings", None),
            ("POST", f"/v1/households/{household['id']}/dwellings", {"since": "2026-01-01"}),
        ]:
            assert_problem(
                await client.request(method, url, json=body, headers=other), 404, "household_not_found"
            )

    @pytest.mark.parametrize("role", ["partner", "finance_officer", "bank_integration", "administrator"])
    async def test_other_roles_are_refused(
        self, client: httpx.AsyncClient, people: People, officer: Officer, role: str
    ) -> None:
        household = await people.household()
        d = await dwelling(client, household, people.headers)
        headers = officer(PHUONG_THUY_NGUYEN, role=role) | {"If-Match": 'W/"1"'}
        for method, url, body in [
            ("POST", f"/v1/households/{household['id']}/dwellings", {"since": "2026-01-01"}),
            ("GET", f"/v1/households/{household['id']}/dwellings", None),
            ("GET", f"/v1/dwellings/{d['id']}", None),
            ("PATCH", f"/v1/dwellings/{d['id']}", {"note": "x"}),
            ("POST", f"/v1/dwellings/{d['id']}/assessments", facts()),
            ("GET", f"/v1/dwellings/{d['id']}/assessments", None),
            ("GET", f"/v1/dwelling-assessments/{d['id']}", None),
        ]:
            assert_problem(await client.request(method, url, json=body, headers=headers), 403, "forbidden")

    async def test_readers_read_but_do_not_write(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household()
        d = await dwelling(client, household, people.headers)
        for role in ("auditor", "inspector"):
            headers = officer(PHUONG_THUY_NGUYEN, role=role)
            assert (await client.get(f"/v1/dwellings/{d['id']}", headers=headers)).status_code == 200
            write = await client.post(f"/v1/dwellings/{d['id']}/assessments", json=facts(), headers=headers)
            assert_problem(write, 403, "forbidden")
        rules = await client.get("/v1/dwelling-rule-sets", headers=officer(role="partner"))
        assert rules.status_code == 200
        assert_problem(await client.get("/v1/dwelling-rule-sets"), 401, "unauthorized")

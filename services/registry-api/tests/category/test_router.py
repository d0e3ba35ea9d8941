from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, OutboxEvent

Officer = Callable[..., dict[str, str]]


def poverty(kind: str = "poor", year: int = 2026, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": kind,
        "year": year,
        "certificate_number": "125/GCN-UBND",
        "certificate_date": f"{year - 1}-12-20",
        "issuer": "Chủ tịch UBND phường Thuỷ Nguyên",
        "valid_from": f"{year}-01-01",
    }
    return body | overrides


def merit(person_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "merit",
        "person_id": person_id,
        "merit_type": "war_invalid",
        "certificate_number": "2031/QĐ-LĐTBXH",
        "certificate_date": "1998-07-27",
        "issuer": "Sở Lao động - Thương binh và Xã hội Hải Phòng",
        "valid_from": "1998-07-27",
    }
    return body | overrides


def url(household: dict[str, Any]) -> str:
    return f"/v1/households/{household['id']}/categories"


class TestPovertyStandards:
    async def test_lists_the_standards_with_their_legal_basis(
        self, client: httpx.AsyncClient, officer: Officer
    ) -> None:
        response = await client.get("/v1/poverty-standards", headers=officer(role="partner"))
        assert response.status_code == 200, response.text
        rows = response.json()["items"]
        assert [(r["code"], r["first_year"], r["last_year"]) for r in rows] == [
            ("ND07_2021", 2022, 2026),
            ("ND351_2025", 2027, 2030),
        ]
        assert rows[0]["legal_basis"].startswith("Nghị định 07/2021/NĐ-CP")
        assert (rows[0]["rural_income_threshold_vnd"], rows[0]["urban_income_threshold_vnd"]) == (
            1_500_000,
            2_000_000,
        )
        assert (rows[1]["rural_income_threshold_vnd"], rows[1]["urban_income_threshold_vnd"]) == (
            2_200_000,
            2_800_000,
        )
        assert_problem(await client.get("/v1/poverty-standards"), 401, "unauthorized")


class TestCreateCategory:
    async def test_a_poverty_status_takes_the_standard_of_its_year(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        standards = {
            s["code"]: s["id"]
            for s in (await client.get("/v1/poverty-standards", headers=people.headers)).json()["items"]
        }
        response = await client.post(url(household), json=poverty("poor", 2026), headers=people.headers)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        created = response.json()
        assert created["poverty_standard_id"] == standards["ND07_2021"]
        assert (created["valid_from"], created["valid_to"]) == ("2026-01-01", "2026-12-31")
        assert (created["person_id"], created["commune_code"]) == (None, PHUONG_THUY_NGUYEN)
        later = await client.post(url(household), json=poverty("near_poor", 2027), headers=people.headers)
        assert later.json()["poverty_standard_id"] == standards["ND351_2025"]
        event = (
            (
                await db_session.execute(
                    select(OutboxEvent)
                    .where(OutboxEvent.type == "beneficiary_category.created")
                    .order_by(OutboxEvent.seq)
                )
            )
            .scalars()
            .first()
        )
        assert event is not None
        assert event.data == {
            "category_id": created["id"],
            "household_id": household["id"],
            "person_id": None,
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        }
        audit = (
            await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == created["id"]))
        ).scalar_one()
        assert audit.after is not None
        assert audit.after["certificate_number"] == "*********BND"

    async def test_a_year_without_a_stored_standard_is_refused(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        problem = assert_problem(
            await client.post(url(household), json=poverty(year=2021), headers=people.headers),
            422,
            "poverty_standard_not_applicable",
        )
        assert pointers(problem) == ["/body/year"]
        body = poverty(year=2026, poverty_standard_code="ND351_2025")
        problem = assert_problem(
            await client.post(url(household), json=body, headers=people.headers),
            422,
            "poverty_standard_not_applicable",
        )
        assert pointers(problem) == ["/body/poverty_standard_code"]

    async def test_one_poverty_status_per_household_and_year(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        assert (
            await client.post(url(household), json=poverty("poor"), headers=people.headers)
        ).status_code == 201
        response = await client.post(url(household), json=poverty("near_poor"), headers=people.headers)
        assert_problem(response, 409, "poverty_status_exists")
        listed = await client.get(url(household), headers=people.headers)
        assert len(listed.json()["items"]) == 1

    async def test_merit_and_martyr_relatives_belong_to_a_member(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        head, spouse, _ = household["members"]
        response = await client.post(url(household), json=merit(head["id"]), headers=people.headers)
        assert response.status_code == 201, response.text
        assert (response.json()["merit_type"], response.json()["valid_to"]) == ("war_invalid", None)
        relative = merit(spouse["id"], kind="martyr_relative", merit_type=None)
        assert (await client.post(url(household), json=relative, headers=people.headers)).status_code == 201
        stranger = (await people.household(PHUONG_HAI_DUONG))["members"][0]
        problem = assert_problem(
            await client.post(url(household), json=merit(stranger["id"]), headers=people.headers),
            422,
            "person_not_in_household",
        )
        assert pointers(problem) == ["/body/person_id"]

    async def test_refuses_fields_that_do_not_fit_the_kind(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        head = household["members"][0]["id"]
        for body in (
            merit(head, merit_type=None),  # merit without its type
            merit(head) | {"person_id": None},  # merit without the person
            poverty() | {"person_id": head},  # a poverty status is the household's
            poverty() | {"year": None},
            merit(head, year=2026),
            poverty() | {"merit_type": "hero"},
            merit(head, merit_type="martyr"),  # martyrs' relatives are their own kind
            poverty() | {"income": 1_000_000},
        ):
            response = await client.post(url(household), json=body, headers=people.headers)
            assert_problem(response, 422, "validation_failed")
        problem = assert_problem(
            await client.post(url(household), json=poverty(valid_to="2025-12-31"), headers=people.headers),
            422,
            "validity_invalid",
        )
        assert pointers(problem) == ["/body/valid_to"]
        assert (await client.get(url(household), headers=people.headers)).json()["items"] == []

    async def test_only_the_areas_writers_record_categories(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household(PHUONG_HAI_DUONG)
        response = await client.post(url(household), json=poverty(), headers=officer(PHUONG_THUY_NGUYEN))
        assert_problem(response, 404, "household_not_found")
        for role in ("auditor", "inspector", "finance_officer"):
            response = await client.post(
                url(household), json=poverty(), headers=officer(HAI_PHONG, role=role)
            )
            assert_problem(response, 403, "forbidden")
        response = await client.post(url(household), json=poverty(), headers=officer(PHUONG_HAI_DUONG))
        assert response.status_code == 201, response.text


class TestListAndChangeCategories:
    async def test_lists_the_categories_valid_on_a_date(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        head = household["members"][0]["id"]
        for body in (poverty("poor", 2025), poverty("near_poor", 2026), merit(head)):
            assert (await client.post(url(household), json=body, headers=people.headers)).status_code == 201

        async def kinds(**params: Any) -> list[str]:
            response = await client.get(url(household), params=params, headers=people.headers)
            assert response.status_code == 200, response.text
            return [c["kind"] for c in response.json()["items"]]

        assert await kinds() == ["poor", "near_poor", "merit"]
        assert await kinds(on="2025-06-30") == ["poor", "merit"]
        assert await kinds(on="2026-06-30") == ["near_poor", "merit"]
        assert await kinds(on="2027-01-01") == ["merit"]
        assert await kinds(on="1990-01-01") == []
        assert await kinds(on="2026-06-30", kind="near_poor") == ["near_poor"]
        page = (await client.get(url(household), params={"limit": 2}, headers=people.headers)).json()
        rest = (
            await client.get(url(household), params={"cursor": page["next_cursor"]}, headers=people.headers)
        ).json()
        assert [c["kind"] for c in page["items"] + rest["items"]] == ["poor", "near_poor", "merit"]

    async def test_ends_a_status_with_if_match(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        created = (await client.post(url(household), json=poverty(), headers=people.headers)).json()
        item = f"/v1/beneficiary-categories/{created['id']}"
        change = {"valid_to": "2026-06-30", "note": "Thoát nghèo giữa năm"}
        assert_problem(
            await client.patch(item, json=change, headers=people.headers), 428, "precondition_required"
        )
        response = await client.patch(item, json=change, headers=people.headers | {"If-Match": 'W/"1"'})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        stale = await client.patch(
            item, json={"valid_to": None}, headers=people.headers | {"If-Match": 'W/"1"'}
        )
        assert_problem(stale, 412, "precondition_failed")
        got = await client.get(item, headers=people.headers)
        assert (got.headers["etag"], got.json()["valid_to"]) == ('W/"2"', "2026-06-30")
        assert (await client.get(url(household), params={"on": "2026-07-01"}, headers=people.headers)).json()[
            "items"
        ] == []
        event = (
            await db_session.execute(
                select(OutboxEvent).where(OutboxEvent.type == "beneficiary_category.updated")
            )
        ).scalar_one()
        assert event.data["changed"] == ["note", "valid_to"]
        assert "Thoát" not in str(event.data)

    async def test_refuses_bad_changes(self, client: httpx.AsyncClient, people: People) -> None:
        household = await people.household()
        created = (await client.post(url(household), json=poverty(), headers=people.headers)).json()
        item = f"/v1/beneficiary-categories/{created['id']}"
        headers = people.headers | {"If-Match": 'W/"1"'}
        problem = assert_problem(
            await client.patch(item, json={"valid_to": "2025-01-01"}, headers=headers),
            422,
            "validity_invalid",
        )
        assert pointers(problem) == ["/body/valid_to"]
        for change, pointer in (
            ({"kind": "near_poor"}, "/body/kind"),
            ({"year": 2027}, "/body/year"),
            ({"issuer": None}, "/body/issuer"),
        ):
            response = await client.patch(item, json=change, headers=headers)
            assert pointers(assert_problem(response, 422, "validation_failed")) == [pointer]

    async def test_another_communes_categories_are_not_found(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household(PHUONG_HAI_DUONG)
        created = (await client.post(url(household), json=poverty(), headers=people.headers)).json()
        item = f"/v1/beneficiary-categories/{created['id']}"
        mine = officer(PHUONG_THUY_NGUYEN)
        assert_problem(await client.get(url(household), headers=mine), 404, "household_not_found")
        assert_problem(await client.get(item, headers=mine), 404, "beneficiary_category_not_found")
        response = await client.patch(item, json={"note": "x"}, headers=mine | {"If-Match": 'W/"1"'})
        assert_problem(response, 404, "beneficiary_category_not_found")
        assert_problem(
            await client.get(f"/v1/beneficiary-categories/{uuid.uuid4()}", headers=people.headers),
            404,
            "beneficiary_category_not_found",
        )

    async def test_readers_read_and_others_are_refused(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household()
        created = (await client.post(url(household), json=poverty(), headers=people.headers)).json()
        item = f"/v1/beneficiary-categories/{created['id']}"
        for role in ("auditor", "inspector", "commune_officer"):
            headers = officer(PHUONG_THUY_NGUYEN, role=role)
            assert (await client.get(item, headers=headers)).json() == created
            assert len((await client.get(url(household), headers=headers)).json()["items"]) == 1
        finance = officer(HAI_PHONG, role="finance_officer")
        assert_problem(await client.get(item, headers=finance), 403, "forbidden")
        assert_problem(await client.get(url(household), headers=finance), 403, "forbidden")
        auditor = officer(HAI_PHONG, role="auditor") | {"If-Match": 'W/"1"'}
        assert_problem(await client.patch(item, json={"note": "x"}, headers=auditor), 403, "forbidden")
        assert_problem(await client.get(item), 401, "unauthorized")

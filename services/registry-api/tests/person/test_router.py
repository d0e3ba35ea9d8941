from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    citizen_id,
    count,
    error_codes,
    person_body,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, OutboxEvent

URL = "/v1/persons"
Officer = Callable[..., dict[str, str]]
READERS = ("commune_officer", "province_officer", "auditor", "inspector")


def if_match(headers: dict[str, str], version: int = 1) -> dict[str, str]:
    return headers | {"If-Match": f'W/"{version}"'}


class TestCreatePerson:
    async def test_adds_a_member_without_a_number(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        body = person_body("Nguyễn Thị Mai", 2015, "female", citizen_id=None, relationship="child")
        response = await client.post(
            URL, json=body | {"household_id": household["id"]}, headers=people.headers
        )
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        created = response.json()
        assert created["household_id"] == household["id"]
        assert (created["citizen_id_masked"], created["commune_code"]) == (None, PHUONG_THUY_NGUYEN)
        members = (await client.get(f"/v1/households/{household['id']}", headers=people.headers)).json()[
            "members"
        ]
        assert created["id"] in [m["id"] for m in members]
        event = (
            await db_session.execute(
                select(OutboxEvent).where(OutboxEvent.subject == f"urn:noxh:registry:person:{created['id']}")
            )
        ).scalar_one()
        assert event.type == "person.created"
        assert event.data == {"person_id": created["id"], "household_id": household["id"]}

    async def test_checks_the_citizen_id_when_given(self, client: httpx.AsyncClient, people: People) -> None:
        household = await people.household()
        taken = household["members"][0]
        base = {"household_id": household["id"], "relationship": "child"}
        cases = [
            (person_body(citizen_id="123"), 422, "citizen_id_malformed"),
            (person_body(citizen_id="031456789"), 422, "citizen_id_is_legacy_number"),
            (person_body(year=1990, citizen_id=citizen_id(1991)), 422, "citizen_id_inconsistent"),
            (person_body(year=1990, citizen_id=citizen_id(1990, "female")), 422, "citizen_id_inconsistent"),
        ]
        for body, status, code in cases:
            problem = assert_problem(
                await client.post(URL, json=body | base, headers=people.headers), status, code
            )
            assert pointers(problem) == ["/body/citizen_id"]
        # The head's number, recovered through the reveal, is taken.
        revealed = await client.post(
            f"{URL}/{taken['id']}/reveal", json={"purpose": "Kiểm tra trùng số"}, headers=people.headers
        )
        number = revealed.json()["citizen_id"]
        duplicate = person_body(citizen_id=number) | base
        assert_problem(
            await client.post(URL, json=duplicate, headers=people.headers), 409, "citizen_id_taken"
        )
        assert (
            len(
                (await client.get(f"/v1/households/{household['id']}", headers=people.headers)).json()[
                    "members"
                ]
            )
            == 3
        )

    async def test_refuses_head_as_relationship_and_unknown_fields(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        body = person_body(relationship="head") | {"household_id": household["id"]}
        response = await client.post(URL, json=body, headers=people.headers)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/relationship"]
        body = person_body(relationship="child", nickname="Tí") | {"household_id": household["id"]}
        response = await client.post(URL, json=body, headers=people.headers)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/nickname"]

    async def test_writing_into_another_area_is_403(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        elsewhere = await people.household(PHUONG_HAI_DUONG)
        before = await count(db_session, "person")
        body = person_body(relationship="child") | {"household_id": elsewhere["id"]}
        response = await client.post(URL, json=body, headers=officer(PHUONG_THUY_NGUYEN))
        problem = assert_problem(response, 403, "area_not_covered")
        assert pointers(problem) == ["/body/household_id"]
        body["household_id"] = str(uuid.uuid4())
        assert_problem(await client.post(URL, json=body, headers=people.headers), 404, "household_not_found")
        assert await count(db_session, "person") == before

    async def test_refuses_readers(self, client: httpx.AsyncClient, people: People, officer: Officer) -> None:
        household = await people.household()
        body = person_body(relationship="child") | {"household_id": household["id"]}
        for role in ("auditor", "inspector", "finance_officer"):
            assert_problem(
                await client.post(URL, json=body, headers=officer(HAI_PHONG, role=role)), 403, "forbidden"
            )
        assert_problem(await client.post(URL, json=body), 401, "unauthorized")


class TestReadPersons:
    async def test_readers_of_the_area_get_a_masked_person(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household()
        head = household["members"][0]
        for role in READERS:
            response = await client.get(f"{URL}/{head['id']}", headers=officer(PHUONG_THUY_NGUYEN, role=role))
            assert response.status_code == 200, response.text
            assert response.headers["etag"] == 'W/"1"'
            assert response.json() == head
            assert response.json()["citizen_id_masked"].startswith("*********")

    async def test_another_communes_person_is_not_found_for_every_route(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household(PHUONG_HAI_DUONG)
        person_id = household["members"][1]["id"]
        target = await people.household(PHUONG_THUY_NGUYEN)
        mine = officer(PHUONG_THUY_NGUYEN)
        for method, path, body in (
            ("GET", f"{URL}/{person_id}", None),
            ("GET", f"{URL}/{person_id}/memberships", None),
            ("PATCH", f"{URL}/{person_id}", {"full_name": "X"}),
            ("POST", f"{URL}/{person_id}/move", {"household_id": target["id"], "relationship": "other"}),
            ("POST", f"{URL}/{person_id}/reveal", {"purpose": "Tò mò thôi"}),
        ):
            response = await client.request(method, path, json=body, headers=if_match(mine))
            assert_problem(response, 404, "person_not_found")
        response = await client.get(URL, params={"household_id": household["id"]}, headers=mine)
        assert response.json()["items"] == []

    async def test_lists_by_household_commune_and_birth_year_in_pages(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        await people.household(PHUONG_LE_CHAN)
        listed: list[str] = []
        params: dict[str, Any] = {"household_id": household["id"], "limit": 2}
        while True:
            page = (await client.get(URL, params=params, headers=people.headers)).json()
            listed += [p["id"] for p in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert sorted(listed) == sorted(m["id"] for m in household["members"])
        by_commune = await client.get(URL, params={"commune_code": PHUONG_LE_CHAN}, headers=people.headers)
        assert len(by_commune.json()["items"]) == 3
        by_year = await client.get(URL, params={"birth_year": 2008}, headers=people.headers)
        assert [p["full_name"] for p in by_year.json()["items"]] == ["Nguyễn Minh Khang"] * 2

    async def test_refuses_a_finance_officer_and_strangers(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        household = await people.household()
        finance = officer(HAI_PHONG, role="finance_officer")
        person = household["head_person_id"]
        for path in (URL, f"{URL}/{person}", f"{URL}/{person}/memberships", f"{URL}/search?q=nguyen"):
            assert_problem(await client.get(path, headers=finance), 403, "forbidden")
            assert_problem(await client.get(path), 401, "unauthorized")


class TestUpdatePerson:
    async def test_corrects_particulars_with_if_match(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        child = household["members"][2]
        url = f"{URL}/{child['id']}"
        change = {"full_name": "Nguyễn Minh Khôi", "citizen_id": citizen_id(2008), "phone": "+84 981 234 567"}
        response = await client.patch(url, json=change, headers=if_match(people.headers))
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        updated = response.json()
        assert updated["full_name"] == "Nguyễn Minh Khôi"
        assert updated["citizen_id_masked"] == "*********" + change["citizen_id"][-3:]
        assert updated["phone_masked"] == "*********567"
        trail = (
            (
                await db_session.execute(
                    select(AuditRecord)
                    .where(AuditRecord.resource_id == child["id"])
                    .order_by(AuditRecord.occurred_at, AuditRecord.id)
                )
            )
            .scalars()
            .all()
        )
        assert [a.action for a in trail] == ["create", "update", "change_identifier"]
        assert trail[2].after == {"fields": ["citizen_id", "phone"]}
        assert change["citizen_id"] not in str([a.after for a in trail])
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "person.updated"))
        ).scalar_one()
        assert event.data["changed"] == ["citizen_id", "full_name", "phone"]

    async def test_a_stored_citizen_id_must_agree_with_corrected_birth_or_gender(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        head = household["members"][0]
        url = f"{URL}/{head['id']}"
        for change, pointer in (
            ({"date_of_birth": "1979-05-12"}, "/body/date_of_birth"),
            ({"gender": "female"}, "/body/gender"),
        ):
            response = await client.patch(url, json=change, headers=if_match(people.headers))
            problem = assert_problem(response, 422, "citizen_id_inconsistent")
            assert pointers(problem) == [pointer]
        response = await client.patch(
            url, json={"date_of_birth": "1978-12-30"}, headers=if_match(people.headers)
        )
        assert response.status_code == 200, response.text

    async def test_the_head_keeps_a_citizen_id_and_its_relationship(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        url = f"{URL}/{household['members'][0]['id']}"
        response = await client.patch(url, json={"citizen_id": None}, headers=if_match(people.headers))
        assert_problem(response, 422, "household_head_needs_citizen_id")
        response = await client.patch(url, json={"relationship": "child"}, headers=if_match(people.headers))
        assert_problem(response, 409, "household_head_relationship_fixed")
        response = await client.patch(url, json={"citizen_id": "031456789"}, headers=if_match(people.headers))
        assert_problem(response, 422, "citizen_id_is_legacy_number")
        assert (await client.get(url, headers=people.headers)).headers["etag"] == 'W/"1"'

    async def test_a_member_may_lose_a_wrong_number_and_keep_a_legacy_one(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        url = f"{URL}/{household['members'][1]['id']}"
        change = {"citizen_id": None, "legacy_id_number": "030 123 456"}
        response = await client.patch(url, json=change, headers=if_match(people.headers))
        assert response.status_code == 200, response.text
        assert (response.json()["citizen_id_masked"], response.json()["legacy_id_masked"]) == (
            None,
            "******456",
        )

    async def test_duplicate_number_missing_and_stale_if_match(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        household = await people.household()
        head, spouse, _ = household["members"]
        url = f"{URL}/{spouse['id']}"
        number = (
            await client.post(
                f"{URL}/{head['id']}/reveal", json={"purpose": "Đối chiếu"}, headers=people.headers
            )
        ).json()["citizen_id"]
        response = await client.patch(url, json={"citizen_id": number}, headers=if_match(people.headers))
        assert_problem(response, 422, "citizen_id_inconsistent")  # the head's number is a man's from 1978
        assert_problem(
            await client.patch(url, json={"full_name": "A"}, headers=people.headers),
            428,
            "precondition_required",
        )
        first = await client.patch(url, json={"full_name": "Trần Thị Hoà"}, headers=if_match(people.headers))
        assert first.status_code == 200
        stale = await client.patch(url, json={"full_name": "Trần Thị Hồng"}, headers=if_match(people.headers))
        assert_problem(stale, 412, "precondition_failed")
        assert (await client.get(url, headers=people.headers)).json()["full_name"] == "Trần Thị Hoà"

    async def test_rejects_unknown_fields_and_nulls(self, client: httpx.AsyncClient, people: People) -> None:
        household = await people.household()
        url = f"{URL}/{household['members'][1]['id']}"
        for change, pointer in (
            ({"household_id": str(uuid.uuid4())}, "/body/household_id"),
            ({"citizen_id_bidx": "x"}, "/body/citizen_id_bidx"),
            ({"full_name": None}, "/body/full_name"),
            ({"relationship": "head"}, "/body/relationship"),
        ):
            response = await client.patch(url, json=change, headers=if_match(people.headers))
            assert pointers(assert_problem(response, 422, "validation_failed")) == [pointer]

    async def test_refuses_readers(self, client: httpx.AsyncClient, people: People, officer: Officer) -> None:
        household = await people.household()
        url = f"{URL}/{household['members'][1]['id']}"
        for role in ("auditor", "inspector", "finance_officer"):
            response = await client.patch(
                url, json={"full_name": "X"}, headers=if_match(officer(HAI_PHONG, role=role))
            )
            assert_problem(response, 403, "forbidden")


class TestRevealAndLookup:
    async def test_an_officer_reveals_and_the_reveal_is_audited(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        number = citizen_id(1978)
        household = await people.household(head=person_body(citizen_id=number, phone="0912345678"))
        head = household["members"][0]
        url = f"{URL}/{head['id']}/reveal"
        body = {"fields": ["citizen_id", "phone", "legacy_id_number"], "purpose": "Đối chiếu hồ sơ vay VBSP"}
        response = await client.post(url, json=body, headers=officer(PHUONG_THUY_NGUYEN))
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        assert response.json() == {
            "person_id": head["id"],
            "citizen_id": number,
            "legacy_id_number": None,
            "phone": "+84912345678",
        }
        reveal = (
            await db_session.execute(select(AuditRecord).where(AuditRecord.action == "reveal"))
        ).scalar_one()
        assert (reveal.resource_type, reveal.resource_id) == ("person", head["id"])
        assert (reveal.province_code, reveal.commune_code) == (HAI_PHONG, PHUONG_THUY_NGUYEN)
        assert reveal.after == {
            "fields": ["citizen_id", "legacy_id_number", "phone"],
            "purpose": "Đối chiếu hồ sơ vay VBSP",
        }
        assert reveal.actor_subject != "system"

    async def test_only_the_areas_officers_may_reveal(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        url = f"{URL}/{household['members'][0]['id']}/reveal"
        body = {"purpose": "Kiểm tra hồ sơ"}
        for role in ("auditor", "inspector", "finance_officer", "administrator"):
            assert_problem(
                await client.post(url, json=body, headers=officer(HAI_PHONG, role=role)), 403, "forbidden"
            )
        assert_problem(
            await client.post(url, json=body, headers=officer(PHUONG_HAI_DUONG)), 404, "person_not_found"
        )
        response = await client.post(url, json={}, headers=people.headers)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/purpose"]
        assert_problem(await client.post(url, json=body), 401, "unauthorized")
        assert await count(db_session, "audit_record WHERE action = 'reveal'") == 0

    async def test_looks_up_by_citizen_id_through_the_blind_index(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        number = citizen_id(1978)
        household = await people.household(head=person_body(citizen_id=number))
        head = household["members"][0]
        spaced = f"{number[:4]} {number[4:8]} {number[8:]}"
        for role in READERS:
            response = await client.post(
                f"{URL}/lookup", json={"citizen_id": spaced}, headers=officer(PHUONG_THUY_NGUYEN, role=role)
            )
            assert response.status_code == 200, response.text
            assert response.json() == {"items": [head]}
        # Outside the caller's area: nothing, as for an unknown number.
        response = await client.post(
            f"{URL}/lookup", json={"citizen_id": number}, headers=officer(PHUONG_HAI_DUONG)
        )
        assert response.json() == {"items": []}
        lookups = (
            (await db_session.execute(select(AuditRecord).where(AuditRecord.action == "lookup")))
            .scalars()
            .all()
        )
        assert len(lookups) == 5
        assert lookups[0].after == {"by": "citizen_id", "found": 1, "person_ids": [head["id"]]}
        assert number not in str([a.after for a in lookups])

    async def test_looks_up_by_legacy_number(self, client: httpx.AsyncClient, people: People) -> None:
        household = await people.household(head=person_body(legacy_id_number="031456789"))
        response = await client.post(
            f"{URL}/lookup", json={"legacy_id_number": "031456789"}, headers=people.headers
        )
        assert [p["id"] for p in response.json()["items"]] == [household["head_person_id"]]

    async def test_refuses_bad_lookups(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        url = f"{URL}/lookup"
        h = people.headers
        assert_problem(
            await client.post(url, json={"citizen_id": "12345"}, headers=h), 422, "citizen_id_malformed"
        )
        problem = assert_problem(
            await client.post(url, json={"citizen_id": "031456789"}, headers=h),
            422,
            "citizen_id_is_legacy_number",
        )
        assert error_codes(problem) == ["citizen_id_is_legacy_number"]
        assert_problem(await client.post(url, json={}, headers=h), 422, "lookup_needs_one_identifier")
        both = {"citizen_id": citizen_id(1978), "legacy_id_number": "031456789"}
        assert_problem(await client.post(url, json=both, headers=h), 422, "lookup_needs_one_identifier")
        response = await client.post(url, json={"phone": "0912345678"}, headers=h)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/phone"]
        finance = officer(HAI_PHONG, role="finance_officer")
        assert_problem(
            await client.post(url, json={"citizen_id": citizen_id(1978)}, headers=finance), 403, "forbidden"
        )


class TestMovePerson:
    async def test_moves_a_member_and_records_the_history(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        source = await people.household()
        target = await people.household(head=person_body("Lê Văn Nam", 1950))
        spouse = source["members"][1]
        body = {"household_id": target["id"], "relationship": "child_in_law", "moved_on": "2026-03-01"}
        response = await client.post(
            f"{URL}/{spouse['id']}/move", json=body, headers=if_match(people.headers)
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        moved = response.json()
        assert (moved["household_id"], moved["relationship"]) == (target["id"], "child_in_law")
        history = (await client.get(f"{URL}/{spouse['id']}/memberships", headers=people.headers)).json()[
            "items"
        ]
        assert [(m["household_id"], m["joined_on"], m["left_on"], m["reason"]) for m in history] == [
            (source["id"], "2025-08-01", "2026-03-01", "registered"),
            (target["id"], "2026-03-01", None, "moved"),
        ]
        members = (await client.get(f"/v1/households/{source['id']}", headers=people.headers)).json()[
            "members"
        ]
        assert spouse["id"] not in [m["id"] for m in members]
        trail = (
            await db_session.execute(
                select(AuditRecord.resource_type, AuditRecord.action).where(AuditRecord.action != "create")
            )
        ).all()
        assert sorted(trail) == [("household_membership", "update"), ("person", "update")]
        created = await db_session.execute(
            select(AuditRecord).where(
                AuditRecord.resource_type == "household_membership", AuditRecord.action == "create"
            )
        )
        assert len(created.scalars().all()) == 7  # 3 + 3 registered, 1 moved in
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "person.moved"))
        ).scalar_one()
        assert event.data == {
            "person_id": spouse["id"],
            "household_id": target["id"],
            "from_household_id": source["id"],
            "to_household_id": target["id"],
            "moved_on": "2026-03-01",
        }

    async def test_a_province_officer_moves_across_communes_and_the_old_commune_loses_sight(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        source = await people.household(PHUONG_THUY_NGUYEN)
        target = await people.household(PHUONG_HAI_DUONG)
        child = source["members"][2]
        body = {"household_id": target["id"], "relationship": "grandchild"}
        response = await client.post(f"{URL}/{child['id']}/move", json=body, headers=if_match(people.headers))
        assert response.status_code == 200, response.text
        assert response.json()["commune_code"] == PHUONG_HAI_DUONG
        assert_problem(
            await client.get(f"{URL}/{child['id']}", headers=officer(PHUONG_THUY_NGUYEN)),
            404,
            "person_not_found",
        )
        assert (
            await client.get(f"{URL}/{child['id']}", headers=officer(PHUONG_HAI_DUONG))
        ).status_code == 200
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "person.moved"))
        ).scalar_one()
        assert event.area_codes == [PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN, HAI_PHONG]

    async def test_moving_into_another_area_is_refused_and_changes_nothing(
        self, client: httpx.AsyncClient, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        source = await people.household(PHUONG_THUY_NGUYEN)
        target = await people.household(PHUONG_HAI_DUONG)
        child = source["members"][2]
        body = {"household_id": target["id"], "relationship": "grandchild"}
        response = await client.post(
            f"{URL}/{child['id']}/move", json=body, headers=if_match(officer(PHUONG_THUY_NGUYEN))
        )
        problem = assert_problem(response, 403, "area_not_covered")
        assert pointers(problem) == ["/body/household_id"]
        again = await client.get(f"{URL}/{child['id']}", headers=people.headers)
        assert (again.json()["household_id"], again.headers["etag"]) == (source["id"], 'W/"1"')
        assert await count(db_session, "household_membership") == 6

    async def test_refuses_bad_moves(self, client: httpx.AsyncClient, people: People) -> None:
        source = await people.household()
        target = await people.household(PHUONG_LE_CHAN)
        head, spouse, _child = source["members"]
        h = if_match(people.headers)

        async def move(person_id: str, **body: Any) -> httpx.Response:
            return await client.post(
                f"{URL}/{person_id}/move", json={"relationship": "other", **body}, headers=h
            )

        assert_problem(await move(head["id"], household_id=target["id"]), 409, "household_head_cannot_move")
        assert_problem(await move(spouse["id"], household_id=source["id"]), 409, "already_in_household")
        assert_problem(await move(spouse["id"], household_id=str(uuid.uuid4())), 404, "household_not_found")
        for moved_on in ("2025-07-31", "2999-01-01"):
            problem = assert_problem(
                await move(spouse["id"], household_id=target["id"], moved_on=moved_on),
                422,
                "move_date_invalid",
            )
            assert pointers(problem) == ["/body/moved_on"]
        response = await move(spouse["id"], household_id=target["id"], relationship="head")
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/relationship"]
        response = await move(spouse["id"], household_id=target["id"], reason="x")
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/reason"]
        url = f"{URL}/{spouse['id']}/move"
        body = {"household_id": target["id"], "relationship": "other"}
        assert_problem(
            await client.post(url, json=body, headers=people.headers), 428, "precondition_required"
        )
        assert_problem(
            await client.post(url, json=body, headers=if_match(people.headers, 5)), 412, "precondition_failed"
        )
        assert (await client.get(f"{URL}/{spouse['id']}", headers=people.headers)).json()[
            "household_id"
        ] == source["id"]

    async def test_the_last_member_moving_out_closes_the_household(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        alone = await people.household(members=[])
        target = await people.household(PHUONG_LE_CHAN)
        head = alone["members"][0]
        body = {"household_id": target["id"], "relationship": "sibling", "moved_on": "2026-02-01"}
        response = await client.post(f"{URL}/{head['id']}/move", json=body, headers=if_match(people.headers))
        assert response.status_code == 200, response.text
        closed = (await client.get(f"/v1/households/{alone['id']}", headers=people.headers)).json()
        assert (closed["closed_on"], closed["head_person_id"], closed["members"]) == ("2026-02-01", None, [])
        listed = (await client.get("/v1/households", headers=people.headers)).json()["items"]
        assert alone["id"] not in [h["id"] for h in listed]
        # A closed household takes no one.
        other = target["members"][1]
        body = {"household_id": alone["id"], "relationship": "other"}
        response = await client.post(f"{URL}/{other['id']}/move", json=body, headers=if_match(people.headers))
        assert_problem(response, 409, "household_closed")
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "household.closed"))
        ).scalar_one()
        assert event.data == {"household_id": alone["id"], "closed_on": "2026-02-01"}

    async def test_refuses_readers(self, client: httpx.AsyncClient, people: People, officer: Officer) -> None:
        source = await people.household()
        target = await people.household()
        body = {"household_id": target["id"], "relationship": "other"}
        for role in ("auditor", "inspector"):
            response = await client.post(
                f"{URL}/{source['members'][1]['id']}/move",
                json=body,
                headers=if_match(officer(HAI_PHONG, role=role)),
            )
            assert_problem(response, 403, "forbidden")

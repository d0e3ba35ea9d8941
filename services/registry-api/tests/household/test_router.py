from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from registry_people_testing import (
    HA_NOI,
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    Auth,
    People,
    assert_problem,
    citizen_id,
    count,
    error_codes,
    household_body,
    nfd,
    person_body,
    pointers,
)
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, OutboxEvent, Person
from servicekit.pii import PiiCipher

URL = "/v1/households"
Officer = Callable[..., dict[str, str]]


async def nothing_stored(db_session: AsyncSession) -> None:
    for table in ("household", "person", "household_membership", "outbox_event"):
        assert await count(db_session, table) == 0, table


class TestCreateHousehold:
    async def test_records_the_head_and_members_with_masked_identifiers(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        head_id = citizen_id(1978)
        body = household_body(head=person_body(citizen_id=head_id, phone="0912 345 678"))
        response = await client.post(URL, json=body, headers=province)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        created = response.json()
        assert (created["province_code"], created["commune_code"]) == (HAI_PHONG, PHUONG_THUY_NGUYEN)
        head, _spouse, child = created["members"]
        assert created["head_person_id"] == head["id"]
        assert [m["relationship"] for m in created["members"]] == ["head", "spouse", "child"]
        assert head["citizen_id_masked"] == "*********" + head_id[-3:]
        assert head["phone_masked"] == "*********678"
        assert child["citizen_id_masked"] is None  # members without a known number are allowed
        assert {m["household_id"] for m in created["members"]} == {created["id"]}
        assert head_id not in response.text
        assert "912345678" not in response.text

    async def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        """Found by the fault tests (tests/faults): a create whose answer was lost in a crash, sent
        again, was refused as `citizen_id_taken` although it had been recorded."""
        body = household_body()
        headers = {**province, "Idempotency-Key": str(uuid.uuid4())}
        first = await client.post(URL, json=body, headers=headers)
        again = await client.post(URL, json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 201), again.text
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert await count(db_session, "household") == 1
        other = await client.post(URL, json=household_body(), headers=headers)
        assert_problem(other, 422, "idempotency_key_reused")

    async def test_keeps_identifiers_encrypted_and_out_of_the_trail_and_events(
        self,
        client: httpx.AsyncClient,
        province: dict[str, str],
        db_session: AsyncSession,
        cipher: PiiCipher,
    ) -> None:
        head_id = citizen_id(1978)
        created = await People(client, province).household(
            head=person_body(citizen_id=head_id, phone="0912345678")
        )
        row = (await db_session.execute(text("SELECT row_to_json(person)::text FROM person"))).scalars().all()
        assert all(head_id not in r and "912345678" not in r for r in row)
        head = (
            await db_session.execute(select(Person).where(Person.id == uuid.UUID(created["head_person_id"])))
        ).scalar_one()
        assert head.citizen_id_bidx == cipher.blind_index(head_id, purpose="citizen_id")
        # The blind index is for matching inside the platform: no answer carries it.
        for path in (f"/v1/households/{created['id']}", f"/v1/persons/{head.id}", "/v1/persons"):
            assert head.citizen_id_bidx not in (await client.get(path, headers=province)).text
        assert cipher.decrypt(head.citizen_id_ciphertext or b"", context="person.citizen_id") == head_id
        audit = (await db_session.execute(select(AuditRecord))).scalars().all()
        trail = " ".join(str(a.before) + str(a.after) for a in audit)
        assert head_id not in trail
        assert head.citizen_id_bidx not in trail
        assert "Nguyễn Văn Đức" not in trail  # names are masked in the trail
        person_rows = [a for a in audit if a.resource_type == "person"]
        assert len(person_rows) == 3
        assert person_rows[0].after is not None
        assert "citizen_id_ciphertext" not in person_rows[0].after
        events = (await db_session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars().all()
        assert [e.type for e in events] == ["household.created"] + ["person.created"] * 3
        assert events[0].area_codes == [PHUONG_THUY_NGUYEN, HAI_PHONG]
        payloads = " ".join(str(e.data) for e in events)
        assert "Đức" not in payloads
        assert "Bạch Đằng" not in payloads
        assert head_id not in payloads

    async def test_stores_nfd_text_as_nfc(self, people: People) -> None:
        created = await people.household(
            address=nfd("Số 5 ngõ Thuỷ Nguyên"), head=person_body(nfd("Phạm Thị Thuỷ"), 1990, "female")
        )
        assert created["address"] == "Số 5 ngõ Thuỷ Nguyên"
        assert created["members"][0]["full_name"] == "Phạm Thị Thuỷ"

    async def test_the_first_three_digits_are_the_birth_registration_not_the_residence(
        self, people: People
    ) -> None:
        # Born in Hà Nội (001), living in Hải Phòng: accepted.
        created = await people.household(head=person_body(citizen_id=citizen_id(1978, prefix="001")))
        assert created["members"][0]["citizen_id_masked"] is not None

    async def test_a_head_without_a_citizen_id_is_refused(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        body = household_body(head=person_body(citizen_id=None, legacy_id_number="031456789"))
        problem = assert_problem(
            await client.post(URL, json=body, headers=province), 422, "household_head_needs_citizen_id"
        )
        assert pointers(problem) == ["/body/head/citizen_id"]
        await nothing_stored(db_session)

    async def test_a_nine_digit_number_is_not_a_citizen_id(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        body = household_body(head=person_body(citizen_id="031456789"))
        problem = assert_problem(
            await client.post(URL, json=body, headers=province), 422, "citizen_id_is_legacy_number"
        )
        assert pointers(problem) == ["/body/head/citizen_id"]
        assert "031456789" not in str(problem)
        await nothing_stored(db_session)

    async def test_refuses_malformed_citizen_ids(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        for bad in ("03107800012", "0310780001234", "03107800012X"):
            body = household_body(head=person_body(citizen_id=bad))
            problem = assert_problem(
                await client.post(URL, json=body, headers=province), 422, "citizen_id_malformed"
            )
            assert bad not in str(problem)
        await nothing_stored(db_session)

    async def test_refuses_citizen_ids_disagreeing_with_birth_or_gender(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        wrong_gender = person_body(citizen_id=citizen_id(1978, "female"))
        problem = assert_problem(
            await client.post(URL, json=household_body(head=wrong_gender), headers=province),
            422,
            "citizen_id_inconsistent",
        )
        assert error_codes(problem) == ["citizen_id_century_gender_mismatch"]
        wrong_year = person_body("Trần Thị Hoa", 1980, "female", citizen_id=citizen_id(1981, "female"))
        body = household_body(members=[wrong_year | {"relationship": "spouse"}])
        problem = assert_problem(
            await client.post(URL, json=body, headers=province), 422, "citizen_id_inconsistent"
        )
        assert pointers(problem) == ["/body/members/0/citizen_id"]
        assert error_codes(problem) == ["citizen_id_birth_year_mismatch"]
        wrong_century = person_body(year=2001, citizen_id=citizen_id(1901))
        problem = assert_problem(
            await client.post(URL, json=household_body(head=wrong_century), headers=province),
            422,
            "citizen_id_inconsistent",
        )
        assert error_codes(problem) == ["citizen_id_century_gender_mismatch"]
        await nothing_stored(db_session)

    async def test_a_citizen_id_belongs_to_one_person(
        self, client: httpx.AsyncClient, province: dict[str, str], people: People, db_session: AsyncSession
    ) -> None:
        taken = citizen_id(1978)
        await people.household(head=person_body(citizen_id=taken))
        before = await count(db_session, "person")
        # Recorded for someone else, even in another commune, spaces or not.
        spaced = f"{taken[:3]} {taken[3:6]} {taken[6:]}"
        body = household_body(PHUONG_LE_CHAN, head=person_body("Lê Văn Nam", citizen_id=spaced))
        problem = assert_problem(await client.post(URL, json=body, headers=province), 409, "citizen_id_taken")
        assert pointers(problem) == ["/body/head/citizen_id"]
        # Twice in one request.
        twice = citizen_id(1980, "female")
        body = household_body(
            head=person_body(),
            members=[
                person_body("Trần Thị Hoa", 1980, "female", citizen_id=twice, relationship="spouse"),
                person_body("Trần Thị Hoà", 1980, "female", citizen_id=twice, relationship="sibling"),
            ],
        )
        problem = assert_problem(await client.post(URL, json=body, headers=province), 409, "citizen_id_taken")
        assert pointers(problem) == ["/body/members/1/citizen_id"]
        assert await count(db_session, "person") == before

    async def test_refuses_impossible_or_disagreeing_births(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        body = household_body(head=person_body(birth_year=1979))  # date of birth in 1978
        problem = assert_problem(
            await client.post(URL, json=body, headers=province), 422, "birth_date_invalid"
        )
        assert pointers(problem) == ["/body/head/birth_year"]
        future = household_body(head=person_body(date_of_birth="2999-01-01"))
        problem = assert_problem(
            await client.post(URL, json=future, headers=province), 422, "birth_date_invalid"
        )
        assert pointers(problem) == ["/body/head/date_of_birth"]
        neither = household_body(head=person_body(date_of_birth=None))
        problem = assert_problem(
            await client.post(URL, json=neither, headers=province), 422, "validation_failed"
        )
        assert pointers(problem) == ["/body/head"]

    async def test_accepts_a_birth_year_without_a_date(self, people: People) -> None:
        created = await people.household(head=person_body(date_of_birth=None, birth_year=1978))
        head = created["members"][0]
        assert (head["date_of_birth"], head["birth_year"]) == (None, 1978)

    async def test_refuses_a_malformed_phone_or_legacy_number(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        body = household_body(head=person_body(phone="0212345678"))
        problem = assert_problem(await client.post(URL, json=body, headers=province), 422, "phone_malformed")
        assert pointers(problem) == ["/body/head/phone"]
        body = household_body(head=person_body(legacy_id_number="03145678"))
        assert_problem(await client.post(URL, json=body, headers=province), 422, "legacy_id_malformed")

    async def test_rejects_unknown_fields_and_a_second_head(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=household_body(owner="x"), headers=province)
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/owner"]
        response = await client.post(
            URL, json=household_body(head=person_body(ethnicity="Kinh")), headers=province
        )
        assert pointers(assert_problem(response, 422, "validation_failed")) == ["/body/head/ethnicity"]
        second_head = household_body(
            members=[person_body("Trần Thị Hoa", 1980, "female", relationship="head")]
        )
        response = await client.post(URL, json=second_head, headers=province)
        assert pointers(assert_problem(response, 422, "validation_failed")) == [
            "/body/members/0/relationship"
        ]

    async def test_the_commune_must_lie_in_the_province(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["province_officer"], area_codes=[HA_NOI])
        body = household_body(PHUONG_HAI_DUONG, province_code=HA_NOI)
        problem = assert_problem(
            await client.post(URL, json=body, headers=headers), 422, "commune_not_in_province"
        )
        assert pointers(problem) == ["/body/commune_code"]

    async def test_a_commune_officer_records_in_their_commune_only(
        self, client: httpx.AsyncClient, officer: Officer, db_session: AsyncSession
    ) -> None:
        mine = officer(PHUONG_THUY_NGUYEN)
        assert (await client.post(URL, json=household_body(), headers=mine)).status_code == 201
        response = await client.post(URL, json=household_body(PHUONG_HAI_DUONG), headers=mine)
        assert_problem(response, 403, "area_not_covered")
        assert await count(db_session, "household") == 1

    async def test_refuses_readers_and_strangers(self, client: httpx.AsyncClient, officer: Officer) -> None:
        for role in ("auditor", "inspector", "finance_officer", "administrator", "partner"):
            response = await client.post(URL, json=household_body(), headers=officer(HAI_PHONG, role=role))
            assert_problem(response, 403, "forbidden")
        assert_problem(await client.post(URL, json=household_body()), 401, "unauthorized")

    async def test_membership_cannot_start_in_the_future(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        body = household_body(registered_on="2999-01-01")
        problem = assert_problem(
            await client.post(URL, json=body, headers=province), 422, "move_date_invalid"
        )
        assert pointers(problem) == ["/body/registered_on"]


class TestListHouseholds:
    async def test_pages_through_more_than_one_page(self, client: httpx.AsyncClient, people: People) -> None:
        created = [(await people.household(address=f"Số {i}"))["id"] for i in range(5)]
        seen: list[str] = []
        params: dict[str, Any] = {"limit": 2}
        pages = 0
        while True:
            response = await client.get(URL, params=params, headers=people.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            seen += [h["id"] for h in page["items"]]
            if not page.get("next_cursor"):
                break
            params["cursor"] = page["next_cursor"]
        assert pages == 3
        assert seen == created

    async def test_each_caller_sees_only_their_area(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        await people.household(PHUONG_THUY_NGUYEN, address="Thuỷ Nguyên")
        await people.household(PHUONG_HAI_DUONG, address="Hải Dương")

        async def addresses(headers: dict[str, str], **params: Any) -> list[str]:
            response = await client.get(URL, params=params, headers=headers)
            assert response.status_code == 200, response.text
            return [h["address"] for h in response.json()["items"]]

        assert await addresses(people.headers) == ["Thuỷ Nguyên", "Hải Dương"]
        assert await addresses(people.headers, commune_code=PHUONG_HAI_DUONG) == ["Hải Dương"]
        assert await addresses(officer(PHUONG_THUY_NGUYEN)) == ["Thuỷ Nguyên"]
        assert await addresses(officer(PHUONG_HAI_DUONG, role="inspector")) == ["Hải Dương"]
        assert await addresses(officer(HAI_PHONG, role="auditor")) == ["Thuỷ Nguyên", "Hải Dương"]
        assert await addresses(officer(PHUONG_LE_CHAN)) == []
        assert await addresses(officer(HA_NOI, role="province_officer")) == []
        # Asking for another commune does not widen the area.
        assert await addresses(officer(PHUONG_THUY_NGUYEN), commune_code=PHUONG_HAI_DUONG) == []

    async def test_rejects_a_tampered_cursor(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.get(URL, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=province)
        assert_problem(response, 400, "invalid_cursor")

    async def test_refuses_a_finance_officer(self, client: httpx.AsyncClient, officer: Officer) -> None:
        assert_problem(
            await client.get(URL, headers=officer(HAI_PHONG, role="finance_officer")), 403, "forbidden"
        )
        assert_problem(await client.get(URL), 401, "unauthorized")


class TestGetHousehold:
    async def test_gets_the_household_with_its_members_and_etag(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        created = await people.household()
        for role in ("commune_officer", "auditor", "inspector"):
            response = await client.get(
                f"{URL}/{created['id']}", headers=officer(PHUONG_THUY_NGUYEN, role=role)
            )
            assert response.status_code == 200, response.text
            assert response.headers["etag"] == 'W/"1"'
            assert response.json() == created

    async def test_another_communes_household_is_not_found_even_by_its_id(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        created = await people.household(PHUONG_HAI_DUONG)
        for headers in (officer(PHUONG_THUY_NGUYEN), officer(HA_NOI, role="auditor"), officer()):
            response = await client.get(f"{URL}/{created['id']}", headers=headers)
            assert_problem(response, 404, "household_not_found")
        response = await client.get(f"{URL}/{uuid.uuid4()}", headers=people.headers)
        assert_problem(response, 404, "household_not_found")

    async def test_refuses_a_finance_officer(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        created = await people.household()
        response = await client.get(
            f"{URL}/{created['id']}", headers=officer(HAI_PHONG, role="finance_officer")
        )
        assert_problem(response, 403, "forbidden")
        assert_problem(await client.get(f"{URL}/{created['id']}"), 401, "unauthorized")


class TestUpdateHousehold:
    async def test_changes_the_address_with_if_match(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        created = await people.household()
        url = f"{URL}/{created['id']}"
        response = await client.patch(
            url, json={"address": "Số 7 đường Tô Hiệu"}, headers=people.headers | {"If-Match": 'W/"1"'}
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        assert (await client.get(url, headers=people.headers)).json()["address"] == "Số 7 đường Tô Hiệu"
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "household.updated"))
        ).scalar_one()
        assert event.data == {"household_id": created["id"], "changed": ["address"]}
        audit = (
            await db_session.execute(
                select(AuditRecord).where(
                    AuditRecord.resource_type == "household", AuditRecord.action == "update"
                )
            )
        ).scalar_one()
        assert audit.after is not None
        assert "Tô Hiệu" not in str(audit.after)  # the address is personal: masked

    async def test_missing_if_match_is_428_and_stale_is_412(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        created = await people.household()
        url = f"{URL}/{created['id']}"
        assert_problem(
            await client.patch(url, json={"hamlet": "Thôn 2"}, headers=people.headers),
            428,
            "precondition_required",
        )
        first = await client.patch(
            url, json={"hamlet": "Thôn 2"}, headers=people.headers | {"If-Match": 'W/"1"'}
        )
        assert first.status_code == 200
        stale = await client.patch(
            url, json={"hamlet": "Thôn 3"}, headers=people.headers | {"If-Match": 'W/"1"'}
        )
        assert_problem(stale, 412, "precondition_failed")
        assert (await client.get(url, headers=people.headers)).json()["hamlet"] == "Thôn 2"

    async def test_rejects_unknown_fields_the_area_and_clearing_the_address(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        created = await people.household()
        url = f"{URL}/{created['id']}"
        headers = people.headers | {"If-Match": 'W/"1"'}
        for change, pointer in (
            ({"commune_code": PHUONG_HAI_DUONG}, "/body/commune_code"),
            ({"head_person_id": str(uuid.uuid4())}, "/body/head_person_id"),
            ({"address": None}, "/body/address"),
        ):
            response = await client.patch(url, json=change, headers=headers)
            assert pointers(assert_problem(response, 422, "validation_failed")) == [pointer]

    async def test_another_communes_household_is_not_found(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        created = await people.household(PHUONG_HAI_DUONG)
        headers = officer(PHUONG_THUY_NGUYEN) | {"If-Match": 'W/"1"'}
        response = await client.patch(f"{URL}/{created['id']}", json={"hamlet": "x"}, headers=headers)
        assert_problem(response, 404, "household_not_found")

    async def test_refuses_readers(self, client: httpx.AsyncClient, people: People, officer: Officer) -> None:
        created = await people.household()
        for role in ("auditor", "inspector", "finance_officer"):
            headers = officer(HAI_PHONG, role=role) | {"If-Match": 'W/"1"'}
            response = await client.patch(f"{URL}/{created['id']}", json={"hamlet": "x"}, headers=headers)
            assert_problem(response, 403, "forbidden")


class TestChangeHead:
    async def test_makes_another_member_head(
        self, client: httpx.AsyncClient, people: People, db_session: AsyncSession
    ) -> None:
        created = await people.household()
        old_head, spouse, _child = created["members"]
        response = await client.post(
            f"{URL}/{created['id']}/head",
            json={"person_id": spouse["id"], "previous_head_relationship": "spouse"},
            headers=people.headers | {"If-Match": 'W/"1"'},
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        changed = response.json()
        assert changed["head_person_id"] == spouse["id"]
        relationships = {m["id"]: m["relationship"] for m in changed["members"]}
        assert relationships[spouse["id"]] == "head"
        assert relationships[old_head["id"]] == "spouse"
        assert changed["members"][0]["id"] == spouse["id"]
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "household.head_changed"))
        ).scalar_one()
        assert event.data == {"household_id": created["id"], "head_person_id": spouse["id"]}

    async def test_the_new_head_needs_a_citizen_id_and_membership(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        created = await people.household()
        other = await people.household(PHUONG_LE_CHAN)
        head, _spouse, child = created["members"]
        url = f"{URL}/{created['id']}/head"
        headers = people.headers | {"If-Match": 'W/"1"'}

        async def change(person_id: str) -> httpx.Response:
            body = {"person_id": person_id, "previous_head_relationship": "parent"}
            return await client.post(url, json=body, headers=headers)

        problem = assert_problem(await change(child["id"]), 422, "household_head_needs_citizen_id")
        assert pointers(problem) == ["/body/person_id"]
        assert_problem(await change(other["members"][1]["id"]), 422, "not_a_household_member")
        assert_problem(await change(str(uuid.uuid4())), 422, "not_a_household_member")
        assert_problem(await change(head["id"]), 409, "already_household_head")
        again = await client.get(f"{URL}/{created['id']}", headers=people.headers)
        assert again.headers["etag"] == 'W/"1"'
        assert again.json()["head_person_id"] == head["id"]

    async def test_needs_if_match_and_refuses_head_as_previous_relationship(
        self, client: httpx.AsyncClient, people: People
    ) -> None:
        created = await people.household()
        url = f"{URL}/{created['id']}/head"
        body = {"person_id": created["members"][1]["id"], "previous_head_relationship": "spouse"}
        assert_problem(
            await client.post(url, json=body, headers=people.headers), 428, "precondition_required"
        )
        stale = people.headers | {"If-Match": 'W/"7"'}
        assert_problem(await client.post(url, json=body, headers=stale), 412, "precondition_failed")
        bad = body | {"previous_head_relationship": "head"}
        response = await client.post(url, json=bad, headers=people.headers | {"If-Match": 'W/"1"'})
        assert pointers(assert_problem(response, 422, "validation_failed")) == [
            "/body/previous_head_relationship"
        ]

    async def test_another_commune_and_readers_are_refused(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        created = await people.household(PHUONG_HAI_DUONG)
        url = f"{URL}/{created['id']}/head"
        body = {"person_id": created["members"][1]["id"], "previous_head_relationship": "spouse"}
        response = await client.post(
            url, json=body, headers=officer(PHUONG_THUY_NGUYEN) | {"If-Match": 'W/"1"'}
        )
        assert_problem(response, 404, "household_not_found")
        response = await client.post(
            url, json=body, headers=officer(HAI_PHONG, role="auditor") | {"If-Match": 'W/"1"'}
        )
        assert_problem(response, 403, "forbidden")

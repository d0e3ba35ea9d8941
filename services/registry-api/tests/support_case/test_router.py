from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_THUY_NGUYEN,
    People,
    assert_problem,
    count,
    pointers,
)
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import AuditRecord, OutboxEvent, SupportHistory

Officer = Callable[..., dict[str, str]]
JPEG = b"\xff\xd8\xff\xe0" + b"house" * 20 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"roof" * 20


def proposal(
    household_id: str, stream: str = "campaign", kind: str = "new_build", **extra: Any
) -> dict[str, Any]:
    return {"household_id": household_id, "stream": stream, "kind": kind, "proposed_on": "2025-03-10"} | extra


def if_match(response: httpx.Response, headers: dict[str, str]) -> dict[str, str]:
    return headers | {"If-Match": response.headers["ETag"]}


class Cases:
    def __init__(self, client: httpx.AsyncClient, people: People, officer: Officer) -> None:
        self.client = client
        self.people = people
        self.commune = officer(PHUONG_THUY_NGUYEN)
        self.province = officer(HAI_PHONG, role="province_officer")

    async def propose(self, commune: str = PHUONG_THUY_NGUYEN, **extra: Any) -> httpx.Response:
        household = await self.people.household(commune)
        headers = self.commune if commune == PHUONG_THUY_NGUYEN else self.province
        response = await self.client.post(
            "/v1/support-cases", json=proposal(household["id"], **extra), headers=headers
        )
        assert response.status_code == 201, response.text
        return response

    async def step(
        self, case: httpx.Response, action: str, headers: dict[str, str] | None = None, **body: Any
    ) -> httpx.Response:
        headers = headers or (self.province if action == "approve" else self.commune)
        return await self.client.post(
            f"/v1/support-cases/{case.json()['id']}/{action}", json=body, headers=if_match(case, headers)
        )

    async def photo(self, case: httpx.Response, stage: str, content: bytes = JPEG) -> dict[str, Any]:
        case_id = case.json()["id"]
        body = {
            "stage": stage,
            "file_reference": f"IMG_{stage}.jpg",
            "sha256": hashlib.sha256(content).hexdigest(),
            "taken_at": "2025-03-12T09:31:00+07:00",
            "latitude": 20.94,
            "longitude": 106.33,
        }
        response = await self.client.post(
            f"/v1/support-cases/{case_id}/photos", json=body, headers=self.commune
        )
        assert response.status_code == 201, response.text
        photo: dict[str, Any] = response.json()
        return photo

    async def upload(
        self, case: httpx.Response, photo: dict[str, Any], content: bytes = JPEG, ctype: str = "image/jpeg"
    ) -> httpx.Response:
        return await self.client.put(
            f"/v1/support-cases/{case.json()['id']}/photos/{photo['id']}",
            content=content,
            headers=self.commune | {"Content-Type": ctype},
        )


@pytest.fixture
def cases(client: httpx.AsyncClient, people: People, officer: Officer) -> Cases:
    return Cases(client, people, officer)


async def events(session: AsyncSession, prefix: str = "support_case.") -> list[OutboxEvent]:
    rows = (await session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars()
    return [e for e in rows if e.type.startswith(prefix)]


class TestPropose:
    async def test_a_commune_officer_proposes_with_the_dated_amount(
        self, cases: Cases, db_session: AsyncSession
    ) -> None:
        response = await cases.propose()
        case = response.json()
        assert response.headers["ETag"] == 'W/"1"'
        assert (case["status"], case["amount_vnd"], case["commune_code"]) == (
            "proposed",
            60_000_000,
            PHUONG_THUY_NGUYEN,
        )
        (event,) = await events(db_session)
        assert event.type == "support_case.proposed"
        assert sorted(event.area_codes) == sorted([HAI_PHONG, PHUONG_THUY_NGUYEN])
        assert event.data["support_case_id"] == case["id"]
        assert "stream" not in event.data  # would tell a merit household apart
        audited = (
            (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_type == "support_case")))
            .scalars()
            .all()
        )
        assert [a.action for a in audited] == ["create"]

    async def test_repair_and_merit_amounts_come_from_their_rows(self, cases: Cases) -> None:
        assert (await cases.propose(kind="repair")).json()["amount_vnd"] == 30_000_000
        merit = await cases.propose(stream="merit", proposed_on="2025-06-01")
        assert merit.json()["amount_vnd"] == 60_000_000

    @pytest.mark.parametrize(
        ("stream", "proposed_on"),
        [
            ("merit", "2026-02-01"),
            ("merit", "2024-11-21"),
            ("campaign", "2024-11-09"),
            ("target_programme", "2025-03-10"),
        ],
    )
    async def test_no_rate_for_the_stream_on_that_day_is_a_422(
        self, cases: Cases, people: People, stream: str, proposed_on: str
    ) -> None:
        household = await people.household()
        response = await cases.client.post(
            "/v1/support-cases",
            json=proposal(household["id"], stream=stream, proposed_on=proposed_on),
            headers=cases.commune,
        )
        problem = assert_problem(response, 422, "support_rate_not_applicable")
        assert pointers(problem) == ["/body/stream", "/body/proposed_on"]

    async def test_a_future_proposal_is_refused(self, cases: Cases, people: People) -> None:
        household = await people.household()
        response = await cases.client.post(
            "/v1/support-cases",
            json=proposal(household["id"], proposed_on="2999-01-01"),
            headers=cases.commune,
        )
        assert pointers(assert_problem(response, 422, "step_date_invalid")) == ["/body/proposed_on"]

    async def test_rejects_unknown_fields_and_streams(self, cases: Cases, people: People) -> None:
        household = await people.household()
        response = await cases.client.post(
            "/v1/support-cases",
            json=proposal(household["id"], amount_vnd=1, stream="lottery"),
            headers=cases.commune,
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert set(pointers(problem)) == {"/body/amount_vnd", "/body/stream"}

    @pytest.mark.parametrize("role", ["inspector", "auditor", "finance_officer", "partner", "administrator"])
    async def test_other_roles_cannot_propose(
        self, cases: Cases, people: People, officer: Officer, role: str
    ) -> None:
        household = await people.household()
        response = await cases.client.post(
            "/v1/support-cases", json=proposal(household["id"]), headers=officer(HAI_PHONG, role=role)
        )
        assert_problem(response, 403, "forbidden")

    async def test_another_communes_officer_cannot_propose_there(
        self, cases: Cases, people: People, officer: Officer, db_session: AsyncSession
    ) -> None:
        household = await people.household(PHUONG_HAI_DUONG)
        response = await cases.client.post(
            "/v1/support-cases", json=proposal(household["id"]), headers=officer(PHUONG_THUY_NGUYEN)
        )
        assert_problem(response, 403, "area_not_covered")
        assert await count(db_session, "support_case") == 0

    async def test_an_unknown_household_is_a_404(self, cases: Cases) -> None:
        response = await cases.client.post(
            "/v1/support-cases", json=proposal(str(uuid.uuid4())), headers=cases.commune
        )
        assert pointers(assert_problem(response, 404, "household_not_found")) == ["/body/household_id"]

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post("/v1/support-cases", json={}), 401, "unauthorized")

    async def test_a_closed_household_is_refused(
        self, cases: Cases, people: People, client: httpx.AsyncClient
    ) -> None:
        alone = await people.household(members=[])
        target = await people.household()
        head = alone["members"][0]
        person = await client.get(f"/v1/persons/{head['id']}", headers=cases.commune)
        moved = await client.post(
            f"/v1/persons/{head['id']}/move",
            json={"household_id": target["id"], "relationship": "sibling"},
            headers=if_match(person, cases.commune),
        )
        assert moved.status_code == 200, moved.text
        response = await client.post("/v1/support-cases", json=proposal(alone["id"]), headers=cases.commune)
        assert_problem(response, 409, "household_closed")


class TestOnlyOnce:
    async def test_a_second_support_of_the_kind_is_refused_with_the_first_named(
        self, cases: Cases, db_session: AsyncSession
    ) -> None:
        first = (await cases.propose(stream="merit", proposed_on="2025-05-02")).json()
        again = await cases.client.post(
            "/v1/support-cases",
            json=proposal(first["household_id"], stream="campaign"),
            headers=cases.commune,
        )
        problem = assert_problem(again, 409, "already_supported")
        assert first["id"] in problem["detail"]
        assert "merit stream" in problem["detail"]
        assert "2025-05-02" in problem["detail"]
        assert pointers(problem) == ["/body/household_id"]
        assert await count(db_session, "support_case") == 1

    async def test_another_kind_is_allowed(self, cases: Cases) -> None:
        first = (await cases.propose(kind="repair")).json()
        response = await cases.client.post(
            "/v1/support-cases", json=proposal(first["household_id"], kind="new_build"), headers=cases.commune
        )
        assert response.status_code == 201, response.text

    async def test_a_withdrawn_case_does_not_count(self, cases: Cases) -> None:
        case = await cases.propose()
        assert (await cases.step(case, "withdraw", reason="Hộ xin rút")).status_code == 200
        response = await cases.client.post(
            "/v1/support-cases", json=proposal(case.json()["household_id"]), headers=cases.commune
        )
        assert response.status_code == 201, response.text

    async def test_a_person_supported_in_a_former_household_counts(
        self, cases: Cases, people: People, client: httpx.AsyncClient
    ) -> None:
        case = (await cases.propose()).json()
        former = await client.get(f"/v1/households/{case['household_id']}", headers=cases.commune)
        child = next(m for m in former.json()["members"] if m["relationship"] == "child")
        target = await people.household()
        person = await client.get(f"/v1/persons/{child['id']}", headers=cases.commune)
        moved = await client.post(
            f"/v1/persons/{child['id']}/move",
            json={"household_id": target["id"], "relationship": "grandchild"},
            headers=if_match(person, cases.commune),
        )
        assert moved.status_code == 200, moved.text
        response = await client.post("/v1/support-cases", json=proposal(target["id"]), headers=cases.commune)
        problem = assert_problem(response, 409, "already_supported")
        assert "former household" in problem["detail"]
        assert case["id"] in problem["detail"]


class TestRead:
    async def test_the_detail_shows_funding_lines_asked_with_a_service_token(
        self, cases: Cases, funding_stub: Any
    ) -> None:
        case = await cases.propose()
        headers = cases.commune
        response = await cases.client.get(f"/v1/support-cases/{case.json()['id']}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["funding_status"] == "available"
        assert body["funding_lines"] == [
            {"source_kind": "central_budget", "amount_vnd": 60_000_000, "status": "disbursed"},
            {"source_kind": "family", "amount_vnd": 150_000_000, "status": "pledged"},
        ]
        assert response.headers["ETag"] == 'W/"1"'
        sent = funding_stub.requests[-1]
        assert sent.url.path == "/v1/funding-lines"
        assert sent.url.params["support_case_id"] == case.json()["id"]
        assert sent.headers["authorization"] == "Bearer registry-service-token"
        assert sent.headers["x-request-id"] == response.headers["x-request-id"]

    @pytest.mark.parametrize("mode", ["down", "error", "garbage", "missing"])
    async def test_the_case_is_answered_when_funding_cannot_answer(
        self, cases: Cases, funding_stub: Any, mode: str
    ) -> None:
        case = await cases.propose()
        funding_stub.mode = mode
        response = await cases.client.get(f"/v1/support-cases/{case.json()['id']}", headers=cases.commune)
        assert response.status_code == 200, response.text
        assert (response.json()["funding_status"], response.json()["funding_lines"]) == ("unavailable", [])

    @pytest.mark.parametrize("role", ["inspector", "auditor", "province_officer"])
    async def test_readers_of_the_area_read(self, cases: Cases, officer: Officer, role: str) -> None:
        case = await cases.propose()
        response = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}", headers=officer(HAI_PHONG, role=role)
        )
        assert response.status_code == 200

    async def test_another_communes_officer_gets_a_404_even_by_id(
        self, cases: Cases, officer: Officer
    ) -> None:
        case = await cases.propose()
        for path in ("", "/photos"):
            response = await cases.client.get(
                f"/v1/support-cases/{case.json()['id']}{path}", headers=officer(PHUONG_HAI_DUONG)
            )
            assert_problem(response, 404, "support_case_not_found")
        guessed = await cases.client.get(f"/v1/support-cases/{uuid.uuid4()}", headers=cases.commune)
        assert_problem(guessed, 404, "support_case_not_found")

    async def test_a_service_reads_the_case_but_not_its_photos(self, cases: Cases, officer: Officer) -> None:
        """funding-api checks the case an allocation names with its own token; photos stay with officers."""
        case = await cases.propose()
        service = officer(HAI_PHONG, role="service")
        read = await cases.client.get(f"/v1/support-cases/{case.json()['id']}", headers=service)
        assert read.status_code == 200, read.text
        listed = await cases.client.get("/v1/support-cases", headers=service)
        assert case.json()["id"] in [c["id"] for c in listed.json()["items"]]
        photos = await cases.client.get(f"/v1/support-cases/{case.json()['id']}/photos", headers=service)
        assert_problem(photos, 403, "forbidden")
        elsewhere = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}", headers=officer("01", role="service")
        )
        assert_problem(elsewhere, 404, "support_case_not_found")

    async def test_a_finance_officer_cannot_read(self, cases: Cases, officer: Officer) -> None:
        case = await cases.propose()
        response = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}", headers=officer(HAI_PHONG, role="finance_officer")
        )
        assert_problem(response, 403, "forbidden")
        listed = await cases.client.get(
            "/v1/support-cases", headers=officer(HAI_PHONG, role="finance_officer")
        )
        assert_problem(listed, 403, "forbidden")

    async def test_lists_by_area_with_filters_and_pages(self, cases: Cases, officer: Officer) -> None:
        ours = [(await cases.propose()).json()["id"] for _ in range(3)]
        theirs = (await cases.propose(PHUONG_HAI_DUONG, kind="repair")).json()["id"]
        listed = await cases.client.get("/v1/support-cases?limit=2", headers=cases.commune)
        page = listed.json()
        assert [c["id"] for c in page["items"]] == ours[:2]
        rest = await cases.client.get(
            f"/v1/support-cases?limit=2&cursor={page['next_cursor']}", headers=cases.commune
        )
        assert [c["id"] for c in rest.json()["items"]] == ours[2:]
        assert rest.json()["next_cursor"] is None
        province = await cases.client.get("/v1/support-cases?kind=repair", headers=cases.province)
        assert [c["id"] for c in province.json()["items"]] == [theirs]
        period = await cases.client.get(
            "/v1/support-cases?proposed_from=2025-04-01&status=proposed", headers=cases.province
        )
        assert period.json()["items"] == []
        assert_problem(
            await cases.client.get("/v1/support-cases?cursor=abc", headers=cases.commune),
            400,
            "invalid_cursor",
        )


class TestWorkflow:
    async def test_the_whole_path_with_photos_events_and_history(
        self, cases: Cases, db_session: AsyncSession
    ) -> None:
        case = await cases.propose()
        case = await cases.step(case, "approve", on="2025-03-20")
        assert (case.json()["status"], case.json()["approved_on"]) == ("approved", "2025-03-20")
        case = await cases.step(case, "start", on="2025-04-01")
        case = await cases.step(case, "complete", on="2025-06-01")
        for stage, content, ctype in (("before", JPEG, "image/jpeg"), ("after", PNG, "image/png")):
            photo = await cases.photo(case, stage, content)
            assert (await cases.upload(case, photo, content, ctype)).status_code == 200
        case = await cases.step(case, "accept", on="2025-06-05")
        assert case.status_code == 200, case.text
        assert (case.json()["status"], case.json()["accepted_on"], case.headers["ETag"]) == (
            "accepted",
            "2025-06-05",
            'W/"5"',
        )
        assert [e.type for e in await events(db_session)] == [
            "support_case.proposed",
            "support_case.approved",
            "support_case.started",
            "support_case.completed",
            "support_case.accepted",
        ]
        history = (await db_session.execute(select(SupportHistory))).scalar_one()
        assert (history.outcome, str(history.started_on), str(history.ended_on)) == (
            "accepted",
            "2025-04-01",
            "2025-06-05",
        )
        assert len(history.person_ids) == 3
        # Nothing more happens to an accepted case.
        again = await cases.step(case, "withdraw", reason="muộn")
        assert_problem(again, 409, "support_case_is_accepted")

    @pytest.mark.parametrize(
        ("path", "action", "code"),
        [
            ([], "start", "support_case_is_proposed"),
            ([], "accept", "support_case_is_proposed"),
            (["approve"], "approve", "support_case_is_approved"),
            (["approve", "start", "complete"], "withdraw", "support_case_is_completed"),
            (["withdraw"], "approve", "support_case_is_withdrawn"),
        ],
    )
    async def test_illegal_steps_are_409s_naming_the_state(
        self, cases: Cases, path: list[str], action: str, code: str
    ) -> None:
        case = await cases.propose()
        for done in path:
            case = (
                await cases.step(case, done, reason="Hộ xin rút")
                if done == "withdraw"
                else await cases.step(case, done)
            )
            assert case.status_code == 200, case.text
        body = {"reason": "Hộ xin rút"} if action == "withdraw" else {}
        problem = assert_problem(await cases.step(case, action, **body), 409, code)
        assert case.json()["status"] in problem["detail"]

    async def test_a_withdrawal_needs_its_reason_and_goes_to_history(
        self, cases: Cases, db_session: AsyncSession
    ) -> None:
        case = await cases.propose()
        assert pointers(assert_problem(await cases.step(case, "withdraw"), 422, "validation_failed")) == [
            "/body/reason"
        ]
        done = await cases.step(
            case, "withdraw", reason="Hộ gia đình xin rút khỏi danh sách", on="2025-03-15"
        )
        assert (done.json()["status"], done.json()["withdrawn_on"]) == ("withdrawn", "2025-03-15")
        history = (await db_session.execute(select(SupportHistory))).scalar_one()
        assert (history.outcome, str(history.ended_on)) == ("withdrawn", "2025-03-15")
        audit = (
            await db_session.execute(
                select(AuditRecord).where(
                    AuditRecord.resource_type == "support_case", AuditRecord.action == "update"
                )
            )
        ).scalar_one()
        assert audit.after is not None
        assert "Hộ" not in str(audit.after["withdrawal_reason"])  # masked

    async def test_acceptance_needs_uploaded_before_and_after_photos(self, cases: Cases) -> None:
        case = await cases.propose()
        for action in ("approve", "start", "complete"):
            case = await cases.step(case, action)
        assert_problem(await cases.step(case, "accept"), 409, "acceptance_needs_photos")
        await cases.upload(case, await cases.photo(case, "before"))
        await cases.photo(case, "after", PNG)  # recorded, not uploaded
        problem = assert_problem(await cases.step(case, "accept"), 409, "acceptance_needs_photos")
        assert "after" in problem["detail"]

    async def test_step_dates_are_neither_future_nor_before_the_previous_step(self, cases: Cases) -> None:
        case = await cases.propose()
        for on in ("2999-01-01", "2025-03-09"):
            problem = assert_problem(await cases.step(case, "approve", on=on), 422, "step_date_invalid")
            assert pointers(problem) == ["/body/on"]

    async def test_only_the_province_approves(self, cases: Cases) -> None:
        case = await cases.propose()
        assert_problem(await cases.step(case, "approve", headers=cases.commune), 403, "forbidden")

    @pytest.mark.parametrize("role", ["inspector", "auditor", "finance_officer"])
    async def test_readers_cannot_act(self, cases: Cases, officer: Officer, role: str) -> None:
        case = await cases.propose()
        assert_problem(
            await cases.step(case, "withdraw", officer(HAI_PHONG, role=role), reason="x y z"),
            403,
            "forbidden",
        )

    async def test_another_communes_officer_cannot_act_even_by_id(
        self, cases: Cases, officer: Officer
    ) -> None:
        case = await cases.propose()
        response = await cases.step(case, "withdraw", officer(PHUONG_HAI_DUONG), reason="Hộ xin rút")
        assert_problem(response, 404, "support_case_not_found")

    async def test_if_match_is_required_and_checked(self, cases: Cases) -> None:
        case = await cases.propose()
        url = f"/v1/support-cases/{case.json()['id']}/approve"
        assert_problem(
            await cases.client.post(url, json={}, headers=cases.province), 428, "precondition_required"
        )
        stale = cases.province | {"If-Match": 'W/"7"'}
        assert_problem(await cases.client.post(url, json={}, headers=stale), 412, "precondition_failed")

    async def test_the_note_is_updated_with_if_match(self, cases: Cases, officer: Officer) -> None:
        case = await cases.propose()
        url = f"/v1/support-cases/{case.json()['id']}"
        updated = await cases.client.patch(
            url, json={"note": "Nhà cấp 4, mái tôn"}, headers=if_match(case, cases.commune)
        )
        assert (updated.status_code, updated.json()["note"], updated.headers["ETag"]) == (
            200,
            "Nhà cấp 4, mái tôn",
            'W/"2"',
        )
        assert_problem(
            await cases.client.patch(url, json={"note": "x"}, headers=cases.commune),
            428,
            "precondition_required",
        )
        assert_problem(
            await cases.client.patch(url, json={"stream": "merit"}, headers=if_match(updated, cases.commune)),
            422,
            "validation_failed",
        )
        other = await cases.client.patch(
            url, json={"note": "x"}, headers=if_match(updated, officer(PHUONG_HAI_DUONG))
        )
        assert_problem(other, 404, "support_case_not_found")
        auditor = await cases.client.patch(
            url, json={"note": "x"}, headers=if_match(updated, officer(HAI_PHONG, role="auditor"))
        )
        assert_problem(auditor, 403, "forbidden")

    async def test_a_finished_case_takes_no_note_or_photo(self, cases: Cases) -> None:
        case = await cases.step(await cases.propose(), "withdraw", reason="Hộ xin rút")
        url = f"/v1/support-cases/{case.json()['id']}"
        note = await cases.client.patch(url, json={"note": "x"}, headers=if_match(case, cases.commune))
        assert_problem(note, 409, "support_case_is_withdrawn")
        body = {
            "stage": "before",
            "file_reference": "a.jpg",
            "sha256": "a" * 64,
            "taken_at": "2025-03-12T09:31:00Z",
        }
        photo = await cases.client.post(f"{url}/photos", json=body, headers=cases.commune)
        assert_problem(photo, 409, "support_case_is_withdrawn")


class TestPhotos:
    async def test_upload_checks_type_checksum_and_size_and_serves_the_bytes(self, cases: Cases) -> None:
        case = await cases.propose()
        photo = await cases.photo(case, "before")
        assert photo["uploaded_at"] is None
        assert pointers(
            assert_problem(
                await cases.upload(case, photo, ctype="application/pdf"), 422, "photo_content_invalid"
            )
        ) == ["/header/content-type"]
        assert_problem(
            await cases.upload(case, photo, content=b"not an image", ctype="image/jpeg"),
            422,
            "photo_content_invalid",
        )
        mismatch = await cases.upload(case, photo, content=PNG, ctype="image/png")
        assert pointers(assert_problem(mismatch, 422, "photo_content_invalid")) == ["/body"]
        big = JPEG + b"0" * 3_000
        assert_problem(await cases.upload(case, photo, content=big), 422, "photo_too_large")
        done = await cases.upload(case, photo)
        assert (done.status_code, done.json()["size_bytes"], done.json()["content_type"]) == (
            200,
            len(JPEG),
            "image/jpeg",
        )
        assert (await cases.upload(case, photo)).status_code == 200  # the same bytes again
        served = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}/photos/{photo['id']}/content", headers=cases.commune
        )
        assert (served.status_code, served.content, served.headers["content-type"]) == (
            200,
            JPEG,
            "image/jpeg",
        )
        listed = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}/photos", headers=cases.commune
        )
        assert [p["id"] for p in listed.json()] == [photo["id"]]

    async def test_a_photo_is_recorded_once_and_only_for_a_case_of_the_area(
        self, cases: Cases, officer: Officer
    ) -> None:
        case = await cases.propose()
        photo = await cases.photo(case, "before")
        again = await cases.client.post(
            f"/v1/support-cases/{case.json()['id']}/photos",
            json={k: photo[k] for k in ("stage", "file_reference", "sha256", "taken_at")},
            headers=cases.commune,
        )
        assert pointers(assert_problem(again, 409, "support_photo_exists")) == ["/body/sha256"]
        other = await cases.client.put(
            f"/v1/support-cases/{case.json()['id']}/photos/{photo['id']}",
            content=JPEG,
            headers=officer(PHUONG_HAI_DUONG) | {"Content-Type": "image/jpeg"},
        )
        assert_problem(other, 404, "support_case_not_found")
        unknown = await cases.client.put(
            f"/v1/support-cases/{case.json()['id']}/photos/{uuid.uuid4()}",
            content=JPEG,
            headers=cases.commune | {"Content-Type": "image/jpeg"},
        )
        assert_problem(unknown, 404, "support_photo_not_found")
        reader = await cases.client.post(
            f"/v1/support-cases/{case.json()['id']}/photos",
            json={},
            headers=officer(HAI_PHONG, role="inspector"),
        )
        assert_problem(reader, 403, "forbidden")
        no_content = await cases.client.get(
            f"/v1/support-cases/{case.json()['id']}/photos/{photo['id']}/content", headers=cases.commune
        )
        assert_problem(no_content, 404, "support_photo_not_found")

    async def test_gps_needs_both_coordinates_in_range(self, cases: Cases) -> None:
        case = await cases.propose()
        body = {
            "stage": "after",
            "file_reference": "a.jpg",
            "sha256": "A" * 64,
            "taken_at": "2025-03-12T09:31:00+07:00",
            "latitude": 91,
        }
        response = await cases.client.post(
            f"/v1/support-cases/{case.json()['id']}/photos", json=body, headers=cases.commune
        )
        assert "/body/latitude" in pointers(assert_problem(response, 422, "validation_failed"))


class TestHistoryAndRates:
    async def test_household_and_person_history(
        self, cases: Cases, client: httpx.AsyncClient, officer: Officer
    ) -> None:
        case = (await cases.propose()).json()
        household = await client.get(f"/v1/households/{case['household_id']}", headers=cases.commune)
        head = household.json()["members"][0]
        for url in (
            f"/v1/households/{case['household_id']}/support-history",
            f"/v1/persons/{head['id']}/support-history",
        ):
            rows = (await client.get(url, headers=cases.commune)).json()["items"]
            assert [(r["support_case_id"], r["outcome"], r["stream"]) for r in rows] == [
                (case["id"], "in_progress", "campaign")
            ]
            assert head["id"] in rows[0]["person_ids"]
            assert (await client.get(url, headers=officer(PHUONG_HAI_DUONG))).status_code == 404
            assert_problem(
                await client.get(url, headers=officer(HAI_PHONG, role="partner")), 403, "forbidden"
            )

    async def test_rates_are_listed_with_their_legal_basis(
        self, client: httpx.AsyncClient, officer: Officer
    ) -> None:
        response = await client.get("/v1/support-rates", headers=officer(HAI_PHONG, role="partner"))
        rows = response.json()["items"]
        assert {(r["stream"], r["kind"], r["amount_vnd"]) for r in rows} == {
            ("campaign", "new_build", 60_000_000),
            ("campaign", "repair", 30_000_000),
            ("merit", "new_build", 60_000_000),
            ("merit", "repair", 30_000_000),
        }
        assert all("21/2024/QĐ-TTg" in r["legal_basis"] for r in rows if r["stream"] == "merit")
        assert_problem(await client.get("/v1/support-rates"), 401, "unauthorized")

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from registry_people_testing import (
    HA_NOI,
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

from registry_api.models import AuditRecord, OutboxEvent
from registry_api.person.service import local_today

Officer = Callable[..., dict[str, str]]
THIS_YEAR = local_today().year


def result(household: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "household_id": household["id"],
        "kind": "new_case",
        "status_before": "none",
        "status_after": "poor",
        "meeting_held_on": local_today().isoformat(),
        "meeting_agreement_pct": "72.5",
        "note": "Hộ có chủ hộ bị tai nạn lao động",
    }
    return body | overrides


def if_match(headers: dict[str, str], version: int) -> dict[str, str]:
    return headers | {"If-Match": f'W/"{version}"'}


@dataclass
class Review:
    client: httpx.AsyncClient
    province: dict[str, str]
    commune: dict[str, str]  # an officer of Phường Thuỷ Nguyên
    campaign: dict[str, Any]

    @property
    def base(self) -> str:
        return f"/v1/review-campaigns/{self.campaign['id']}"

    async def record(self, household: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(
            f"{self.base}/records", json=result(household, **overrides), headers=self.commune
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def set_state(self, commune: str = PHUONG_THUY_NGUYEN) -> dict[str, Any]:
        response = await self.client.get(f"{self.base}/communes/{commune}", headers=self.province)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    async def act(
        self, action: str, headers: dict[str, str], commune: str = PHUONG_THUY_NGUYEN, **body: Any
    ) -> httpx.Response:
        version = (await self.set_state(commune))["version"]
        return await self.client.post(
            f"{self.base}/communes/{commune}/{action}", json=body or None, headers=if_match(headers, version)
        )


@pytest.fixture
async def review(client: httpx.AsyncClient, province: dict[str, str], officer: Officer) -> Review:
    response = await client.post(
        "/v1/review-campaigns",
        json={
            "province_code": HAI_PHONG,
            "year": THIS_YEAR,
            "window_opens_on": f"{THIS_YEAR}-01-01",
            "window_closes_on": f"{THIS_YEAR}-12-31",
        },
        headers=province,
    )
    assert response.status_code == 201, response.text
    return Review(client, province, officer(PHUONG_THUY_NGUYEN), response.json())


class TestCampaigns:
    async def test_the_window_defaults_to_the_rule_in_force(
        self, client: httpx.AsyncClient, province: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await client.post(
            "/v1/review-campaigns", json={"province_code": "31", "year": 2025}, headers=province
        )
        assert response.status_code == 201, response.text
        campaign = response.json()
        assert (campaign["window_opens_on"], campaign["window_closes_on"]) == ("2025-09-01", "2025-12-14")
        rules = (await client.get("/v1/review-rules", headers=province)).json()["items"]
        assert campaign["rule_id"] == rules[0]["id"]
        assert (rules[0]["min_agreement_pct"], rules[0]["code"]) == ("50.00", "QD24_2021_TTG")
        again = await client.post(
            "/v1/review-campaigns", json={"province_code": "31", "year": 2025}, headers=province
        )
        assert_problem(again, 409, "review_campaign_exists")
        event = (
            await db_session.execute(select(OutboxEvent).where(OutboxEvent.type == "review_campaign.opened"))
        ).scalar_one()
        assert event.data["rule_code"] == "QD24_2021_TTG"

    async def test_bad_windows_and_years_without_rules(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        backwards = await client.post(
            "/v1/review-campaigns",
            json={
                "province_code": "31",
                "year": 2025,
                "window_opens_on": "2025-10-01",
                "window_closes_on": "2025-09-01",
            },
            headers=province,
        )
        assert pointers(assert_problem(backwards, 422, "review_window_invalid")) == ["/body/window_closes_on"]
        other_year = await client.post(
            "/v1/review-campaigns",
            json={"province_code": "31", "year": 2021, "window_opens_on": "2021-08-01"},
            headers=province,
        )
        assert_problem(other_year, 422, "review_rule_not_applicable")
        early = await client.post(
            "/v1/review-campaigns", json={"province_code": "31", "year": 2021}, headers=province
        )
        assert early.status_code == 201  # the rule took effect on 1/9/2021
        malformed = await client.post(
            "/v1/review-campaigns", json={"province_code": "3", "year": 1999}, headers=province
        )
        assert set(pointers(assert_problem(malformed, 422, "validation_failed"))) == {
            "/body/province_code",
            "/body/year",
        }

    async def test_a_province_officer_opens_only_their_province(
        self, client: httpx.AsyncClient, officer: Officer
    ) -> None:
        hanoi = officer(HA_NOI, role="province_officer")
        response = await client.post(
            "/v1/review-campaigns", json={"province_code": "31", "year": 2025}, headers=hanoi
        )
        assert_problem(response, 403, "area_not_covered")

    async def test_moving_the_window_needs_if_match(self, review: Review) -> None:
        url = review.base
        body = {"window_closes_on": f"{THIS_YEAR}-12-14"}
        assert_problem(
            await review.client.patch(url, json=body, headers=review.province), 428, "precondition_required"
        )
        assert_problem(
            await review.client.patch(url, json=body, headers=if_match(review.province, 5)),
            412,
            "precondition_failed",
        )
        ok = await review.client.patch(url, json=body, headers=if_match(review.province, 1))
        assert (ok.status_code, ok.json()["window_closes_on"]) == (200, f"{THIS_YEAR}-12-14")
        bad = await review.client.patch(
            url, json={"window_opens_on": f"{THIS_YEAR + 1}-01-01"}, headers=if_match(review.province, 2)
        )
        assert_problem(bad, 422, "review_window_invalid")

    async def test_commune_officers_see_their_provinces_campaigns_only(
        self, review: Review, officer: Officer
    ) -> None:
        listed = await review.client.get("/v1/review-campaigns", headers=review.commune)
        assert [c["id"] for c in listed.json()["items"]] == [review.campaign["id"]]
        hanoi = officer("00004")  # Phường Ba Đình, Hà Nội
        assert (await review.client.get("/v1/review-campaigns", headers=hanoi)).json()["items"] == []
        assert_problem(await review.client.get(review.base, headers=hanoi), 404, "review_campaign_not_found")
        assert_problem(
            await review.client.get(f"{review.base}/progress", headers=hanoi),
            404,
            "review_campaign_not_found",
        )


class TestRecords:
    async def test_record_edit_submit_approve_lock_and_correct(
        self, review: Review, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        record = await review.record(household)
        assert (record["state"], record["corrects_record_id"]) == ("draft", None)
        url = f"/v1/review-records/{record['id']}"
        edited = await review.client.patch(
            url, json={"meeting_agreement_pct": "80"}, headers=if_match(review.commune, record["version"])
        )
        assert (edited.status_code, edited.json()["meeting_agreement_pct"]) == (200, "80.00")
        submitted = await review.act("submit", review.commune)
        assert (submitted.status_code, submitted.json()["state"]) == (200, "submitted")
        assert (await review.client.get(url, headers=review.commune)).json()["state"] == "submitted"
        locked = await review.client.patch(url, json={"note": "x"}, headers=if_match(review.commune, 3))
        assert "submitted" in assert_problem(locked, 409, "review_record_locked")["detail"]
        another = await people.household()
        blocked = await review.client.post(
            f"{review.base}/records", json=result(another), headers=review.commune
        )
        assert_problem(blocked, 409, "review_set_submitted")
        approved = await review.act("approve", review.province)
        assert (approved.status_code, approved.json()["state"]) == (200, "approved")
        assert (await review.client.get(url, headers=review.commune)).json()["state"] == "approved"
        still_locked = await review.client.patch(url, json={"note": "x"}, headers=if_match(review.commune, 4))
        assert "approved" in assert_problem(still_locked, 409, "review_record_locked")["detail"]
        correction_body = {k: v for k, v in result(household).items() if k != "household_id"}
        correction = await review.client.post(
            f"{url}/corrections",
            json=correction_body | {"status_after": "near_poor", "reason": "Nhầm mức thu nhập bình quân"},
            headers=review.commune,
        )
        assert correction.status_code == 201, correction.text
        c = correction.json()
        assert (c["corrects_record_id"], c["state"], c["status_after"]) == (
            record["id"],
            "draft",
            "near_poor",
        )
        assert (await review.client.get(url, headers=review.commune)).json()["status_after"] == "poor"
        resubmitted = await review.act("submit", review.commune)
        assert resubmitted.json()["state"] == "submitted"
        progress = (await review.client.get(f"{review.base}/progress", headers=review.province)).json()
        assert progress["communes"] == [
            {
                "commune_code": PHUONG_THUY_NGUYEN,
                "submission_state": "submitted",
                "households_reviewed": 1,
                "draft": 0,
                "submitted": 1,
                "approved": 1,
                "returned": 0,
                "corrections": 1,
            }
        ]
        audit = (
            (await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == c["id"])))
            .scalars()
            .first()
        )
        assert audit is not None
        assert audit.after is not None
        assert "thu nhập" not in audit.after["correction_reason"]
        types = [
            e.type
            for e in (await db_session.execute(select(OutboxEvent).order_by(OutboxEvent.seq))).scalars()
        ]
        assert "review_submission.approved" in types
        assert "review_record.corrected" in types

    async def test_return_with_reason_reopens_the_records(self, review: Review, people: People) -> None:
        household = await people.household()
        record = await review.record(household)
        assert (await review.act("submit", review.commune)).status_code == 200
        no_reason = await review.act("return", review.province)
        assert_problem(no_reason, 422, "validation_failed")
        returned = await review.act("return", review.province, reason="Thiếu biên bản họp thôn")
        assert (returned.json()["state"], returned.json()["return_reason"]) == (
            "returned",
            "Thiếu biên bản họp thôn",
        )
        url = f"/v1/review-records/{record['id']}"
        current = (await review.client.get(url, headers=review.commune)).json()
        assert current["state"] == "returned"
        fixed = await review.client.patch(
            url, json={"meeting_agreement_pct": "90"}, headers=if_match(review.commune, current["version"])
        )
        assert fixed.status_code == 200, fixed.text
        assert (await review.act("submit", review.commune)).json()["state"] == "submitted"

    async def test_illegal_transitions_are_409s_naming_the_state(
        self, review: Review, people: People
    ) -> None:
        await review.record(await people.household())
        approve_draft = await review.act("approve", review.province)
        assert "draft" in assert_problem(approve_draft, 409, "review_transition_not_allowed")["detail"]
        await review.act("submit", review.commune)
        twice = await review.act("submit", review.commune)
        assert "submitted" in assert_problem(twice, 409, "review_transition_not_allowed")["detail"]
        await review.act("approve", review.province)
        nothing = await review.act("submit", review.commune)
        assert_problem(nothing, 409, "review_nothing_to_submit")
        ret = await review.act("return", review.province, reason="x")
        assert "approved" in assert_problem(ret, 409, "review_transition_not_allowed")["detail"]
        stale = await review.client.post(
            f"{review.base}/communes/{PHUONG_THUY_NGUYEN}/submit", headers=if_match(review.commune, 1)
        )
        assert_problem(stale, 412, "precondition_failed")
        missing = await review.client.post(
            f"{review.base}/communes/{PHUONG_THUY_NGUYEN}/submit", headers=review.commune
        )
        assert_problem(missing, 428, "precondition_required")

    async def test_a_draft_record_is_not_corrected(self, review: Review, people: People) -> None:
        record = await review.record(await people.household())
        body = {k: v for k, v in result(await people.household()).items() if k != "household_id"}
        response = await review.client.post(
            f"/v1/review-records/{record['id']}/corrections",
            json=body | {"reason": "x"},
            headers=review.commune,
        )
        assert "draft" in assert_problem(response, 409, "review_transition_not_allowed")["detail"]

    async def test_bad_results_are_refused_and_nothing_is_stored(
        self, review: Review, people: People, db_session: AsyncSession
    ) -> None:
        household = await people.household()
        url = f"{review.base}/records"
        below = await review.client.post(
            url, json=result(household, meeting_agreement_pct="49.99"), headers=review.commune
        )
        problem = assert_problem(below, 422, "meeting_agreement_below_threshold")
        assert pointers(problem) == ["/body/meeting_agreement_pct"]
        assert "50" in problem["detail"]
        mismatch = await review.client.post(
            url,
            json=result(household, kind="no_change", meeting_held_on="2999-01-01"),
            headers=review.commune,
        )
        assert pointers(assert_problem(mismatch, 422, "review_status_change_invalid")) == [
            "/body/status_after",
            "/body/meeting_held_on",
        ]
        invalid = await review.client.post(
            url,
            json=result(household, kind="moved", meeting_agreement_pct="101", extra=1),
            headers=review.commune,
        )
        assert set(pointers(assert_problem(invalid, 422, "validation_failed"))) == {
            "/body/kind",
            "/body/meeting_agreement_pct",
            "/body/extra",
        }
        assert await count(db_session, "review_record") == 0
        await review.record(household, meeting_agreement_pct="50")
        dup = await review.client.post(url, json=result(household), headers=review.commune)
        assert_problem(dup, 409, "review_record_exists")

    async def test_results_only_during_the_window(
        self, client: httpx.AsyncClient, people: People, officer: Officer
    ) -> None:
        province = officer(HAI_PHONG, role="province_officer")
        closed = (
            await client.post(
                "/v1/review-campaigns", json={"province_code": "31", "year": 2025}, headers=province
            )
        ).json()
        if (
            date.fromisoformat(closed["window_opens_on"])
            <= local_today()
            <= date.fromisoformat(closed["window_closes_on"])
        ):
            pytest.skip("today lies in the 2025 window")
        household = await people.household()
        response = await client.post(
            f"/v1/review-campaigns/{closed['id']}/records",
            json=result(household, meeting_held_on="2025-10-01"),
            headers=officer(PHUONG_THUY_NGUYEN),
        )
        assert "2025-09-01" in assert_problem(response, 409, "review_window_closed")["detail"]


class TestAccess:
    async def test_another_communes_officer_cannot_reach_a_communes_records(
        self, review: Review, people: People, officer: Officer
    ) -> None:
        household = await people.household(PHUONG_THUY_NGUYEN)
        record = await review.record(household)
        other = officer(PHUONG_HAI_DUONG)
        assert_problem(
            await review.client.get(f"/v1/review-records/{record['id']}", headers=other),
            404,
            "review_record_not_found",
        )
        assert_problem(
            await review.client.patch(
                f"/v1/review-records/{record['id']}", json={"note": "x"}, headers=if_match(other, 1)
            ),
            404,
            "review_record_not_found",
        )
        assert_problem(
            await review.client.post(
                f"/v1/review-records/{record['id']}/corrections",
                json={k: v for k, v in result(household).items() if k != "household_id"} | {"reason": "x"},
                headers=other,
            ),
            404,
            "review_record_not_found",
        )
        guessed = await review.client.post(f"{review.base}/records", json=result(household), headers=other)
        assert_problem(guessed, 404, "household_not_found")
        for path in ("", "/submit"):
            method = "POST" if path else "GET"
            response = await review.client.request(
                method, f"{review.base}/communes/{PHUONG_THUY_NGUYEN}{path}", headers=if_match(other, 1)
            )
            assert_problem(response, 404, "review_submission_not_found")
        listed = await review.client.get(f"{review.base}/records", headers=other)
        assert listed.json()["items"] == []
        progress = await review.client.get(f"{review.base}/progress", headers=other)
        assert progress.json()["communes"] == []
        own = await review.client.get(
            f"{review.base}/records?commune_code={PHUONG_THUY_NGUYEN}", headers=review.commune
        )
        assert [r["id"] for r in own.json()["items"]] == [record["id"]]

    async def test_a_household_of_another_province_is_refused(
        self, review: Review, people: People, officer: Officer, client: httpx.AsyncClient
    ) -> None:
        hanoi_campaign = await client.post(
            "/v1/review-campaigns",
            json={
                "province_code": HA_NOI,
                "year": THIS_YEAR,
                "window_opens_on": f"{THIS_YEAR}-01-01",
                "window_closes_on": f"{THIS_YEAR}-12-31",
            },
            headers=officer(HA_NOI, HAI_PHONG, role="province_officer"),
        )
        assert hanoi_campaign.status_code == 201, hanoi_campaign.text
        household = await people.household()
        response = await client.post(
            f"/v1/review-campaigns/{hanoi_campaign.json()['id']}/records",
            json=result(household),
            headers=officer(HA_NOI, PHUONG_THUY_NGUYEN),
        )
        assert pointers(assert_problem(response, 422, "household_not_in_campaign_province")) == [
            "/body/household_id"
        ]

    async def test_roles(self, review: Review, people: People, officer: Officer) -> None:
        household = await people.household()
        record = await review.record(household)
        correction = {k: v for k, v in result(household).items() if k != "household_id"} | {"reason": "x"}
        requests: list[tuple[str, str, Any, set[str]]] = [
            # (method, url, body, roles allowed)
            ("POST", "/v1/review-campaigns", {"province_code": "31", "year": 2030}, {"province_officer"}),
            ("GET", "/v1/review-campaigns", None, {"province_officer", "commune_officer", "auditor"}),
            ("GET", review.base, None, {"province_officer", "commune_officer", "auditor"}),
            ("PATCH", review.base, {"window_closes_on": f"{THIS_YEAR}-12-30"}, {"province_officer"}),
            ("GET", f"{review.base}/progress", None, {"province_officer", "commune_officer", "auditor"}),
            ("POST", f"{review.base}/records", result(await people.household()), {"commune_officer"}),
            ("GET", f"{review.base}/records", None, {"province_officer", "commune_officer", "auditor"}),
            (
                "GET",
                f"/v1/review-records/{record['id']}",
                None,
                {"province_officer", "commune_officer", "auditor"},
            ),
            ("PATCH", f"/v1/review-records/{record['id']}", {"note": "y"}, {"commune_officer"}),
            ("POST", f"/v1/review-records/{record['id']}/corrections", correction, {"commune_officer"}),
            (
                "GET",
                f"{review.base}/communes/{PHUONG_THUY_NGUYEN}",
                None,
                {"province_officer", "commune_officer", "auditor"},
            ),
            ("POST", f"{review.base}/communes/{PHUONG_THUY_NGUYEN}/submit", None, {"commune_officer"}),
            ("POST", f"{review.base}/communes/{PHUONG_THUY_NGUYEN}/approve", None, {"province_officer"}),
            (
                "POST",
                f"{review.base}/communes/{PHUONG_THUY_NGUYEN}/return",
                {"reason": "x"},
                {"province_officer"},
            ),
        ]
        roles = [
            "province_officer",
            "commune_officer",
            "auditor",
            "inspector",
            "finance_officer",
            "partner",
            "administrator",
        ]
        for method, url, body, allowed in requests:
            for role in roles:
                if role in allowed:
                    continue
                headers = if_match(officer(HAI_PHONG, role=role), 1)
                response = await review.client.request(method, url, json=body, headers=headers)
                assert_problem(response, 403, "forbidden")
        for role in ("province_officer", "commune_officer", "auditor"):
            headers = officer(HAI_PHONG, role=role)
            assert (
                await review.client.get(f"/v1/review-records/{record['id']}", headers=headers)
            ).status_code == 200
        assert (
            await review.client.get("/v1/review-rules", headers=officer(role="partner"))
        ).status_code == 200

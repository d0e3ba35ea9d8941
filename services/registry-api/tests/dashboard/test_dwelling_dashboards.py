"""Dwelling-condition dashboards: households by the class of their dwelling on a day, and qualifying
houses not yet resolved by an accepted support case at each period end (one SQL statement)."""

from __future__ import annotations

import hashlib
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
    pointers,
)

Officer = Callable[..., dict[str, str]]
JPEG = b"\xff\xd8\xff\xe0" + b"house" * 20 + b"\xff\xd9"

SOUND = {"material": "durable", "state": "sound"}
# 20 m2 for 3 people: the family area criterion of QĐ 55 fires -> temporary.
TEMPORARY = {"floor_area_m2": "20", "residents": 3, "foundation": SOUND, "frame_walls": SOUND, "roof": SOUND}
# Durable but two main structures unsafe -> dilapidated.
DILAPIDATED = {
    "floor_area_m2": "60",
    "residents": 3,
    "foundation": {"material": "durable", "state": "unsafe"},
    "frame_walls": {"material": "durable", "state": "unsafe"},
    "roof": SOUND,
}
ADEQUATE = {"floor_area_m2": "60", "residents": 3, "foundation": SOUND, "frame_walls": SOUND, "roof": SOUND}


def by_key(answer: dict[str, Any]) -> dict[str, dict[str | None, int]]:
    return {g["key"]: {i["code"]: i["count"] for i in g["items"]} for g in answer["groups"]}


def by_period(answer: dict[str, Any]) -> dict[str, dict[str | None, int]]:
    return {p["period_end"]: {i["code"]: i["count"] for i in p["items"]} for p in answer["periods"]}


class Homes:
    """Builds households, dwellings, assessments and support cases through the API, as the province."""

    def __init__(self, client: httpx.AsyncClient, people: People, province: dict[str, str]) -> None:
        self.client = client
        self.people = people
        self.province = province

    async def household(self, commune: str) -> dict[str, Any]:
        return await self.people.household(commune)

    async def dwelling(self, household: dict[str, Any], since: str = "2025-08-01") -> dict[str, Any]:
        response = await self.client.post(
            f"/v1/households/{household['id']}/dwellings", json={"since": since}, headers=self.province
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def assess(
        self,
        dwelling: dict[str, Any],
        facts: dict[str, Any],
        on: str,
        land_status: str = "residential_undisputed",
    ) -> dict[str, Any]:
        body = facts | {"assessed_on": on, "assessor": "Tổ khảo sát", "land_status": land_status}
        response = await self.client.post(
            f"/v1/dwellings/{dwelling['id']}/assessments", json=body, headers=self.province
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def _act(self, case: httpx.Response, action: str, **body: Any) -> httpx.Response:
        headers = self.province | {"If-Match": case.headers["ETag"]}
        response = await self.client.post(
            f"/v1/support-cases/{case.json()['id']}/{action}", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
        return response

    async def support(
        self, household: dict[str, Any], proposed_on: str, steps: dict[str, str]
    ) -> httpx.Response:
        """Propose a campaign new build and take it through `steps` ({action: date}, in order)."""
        case = await self.client.post(
            "/v1/support-cases",
            json={
                "household_id": household["id"],
                "stream": "campaign",
                "kind": "new_build",
                "proposed_on": proposed_on,
            },
            headers=self.province,
        )
        assert case.status_code == 201, case.text
        for action, on in steps.items():
            if action == "accept":
                await self._photos(case)
            case = await self._act(case, action, on=on)
        return case

    async def _photos(self, case: httpx.Response) -> None:
        case_id = case.json()["id"]
        for stage in ("before", "after"):
            content = JPEG + stage.encode()
            body = {
                "stage": stage,
                "file_reference": f"IMG_{stage}.jpg",
                "sha256": hashlib.sha256(content).hexdigest(),
                "taken_at": "2025-10-01T09:00:00+07:00",
            }
            photo = await self.client.post(
                f"/v1/support-cases/{case_id}/photos", json=body, headers=self.province
            )
            assert photo.status_code == 201, photo.text
            uploaded = await self.client.put(
                f"/v1/support-cases/{case_id}/photos/{photo.json()['id']}",
                content=content,
                headers=self.province | {"Content-Type": "image/jpeg"},
            )
            assert uploaded.status_code == 200, uploaded.text


@pytest.fixture
def homes(client: httpx.AsyncClient, people: People, province: dict[str, str]) -> Homes:
    return Homes(client, people, province)


CONDITION = "/v1/dashboard/households-by-dwelling-condition"
REMAINING = "/v1/dashboard/temporary-houses-remaining"


class TestHouseholdsByDwellingCondition:
    @pytest.fixture
    async def spread(self, homes: Homes) -> None:
        """Thuỷ Nguyên: one temporary house rebuilt (adequate from 1/12/2025) whose family then moved
        (16/1/2026, not assessed since), one dilapidated, one dwelling never assessed; Hải Dương: one
        household without a dwelling."""
        moved = await homes.household(PHUONG_THUY_NGUYEN)
        first = await homes.dwelling(moved)
        await homes.assess(first, TEMPORARY, "2025-09-15")
        await homes.assess(first, ADEQUATE, "2025-12-01")
        await homes.dwelling(moved, since="2026-01-16")
        await homes.assess(
            await homes.dwelling(await homes.household(PHUONG_THUY_NGUYEN)), DILAPIDATED, "2025-09-15"
        )
        await homes.dwelling(await homes.household(PHUONG_THUY_NGUYEN))
        await homes.household(PHUONG_HAI_DUONG)

    async def test_counts_each_household_by_its_dwelling_on_the_day(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        answer = (await client.get(f"{CONDITION}?on=2025-10-01", headers=province)).json()
        assert (answer["on"], answer["boundaries"], answer["level"]) == ("2025-10-01", "new", "commune")
        assert by_key(answer) == {
            "all": {PHUONG_THUY_NGUYEN: 3, PHUONG_HAI_DUONG: 1},
            "temporary": {PHUONG_THUY_NGUYEN: 1},
            "dilapidated": {PHUONG_THUY_NGUYEN: 1},
            "adequate": {},
            "not_assessed": {PHUONG_THUY_NGUYEN: 1, PHUONG_HAI_DUONG: 1},
        }
        assert [g["total"] for g in answer["groups"]] == [4, 1, 1, 0, 2]
        # The latest assessment on the day counts: rebuilt by December.
        december = (await client.get(f"{CONDITION}?on=2025-12-31", headers=province)).json()
        assert (by_key(december)["temporary"], by_key(december)["adequate"]) == ({}, {PHUONG_THUY_NGUYEN: 1})
        # Before any assessment every household is not assessed.
        august = (await client.get(f"{CONDITION}?on=2025-08-15", headers=province)).json()
        assert by_key(august)["not_assessed"] == {PHUONG_THUY_NGUYEN: 3, PHUONG_HAI_DUONG: 1}
        # The family moved: its current dwelling is not assessed; the old one's assessment no longer counts.
        moved = (await client.get(f"{CONDITION}?on=2026-02-01&level=province", headers=province)).json()
        assert by_key(moved) == {
            "all": {HAI_PHONG: 4},
            "temporary": {},
            "dilapidated": {HAI_PHONG: 1},
            "adequate": {},
            "not_assessed": {HAI_PHONG: 3},
        }

    async def test_today_is_the_default_and_old_boundaries_count_everyone(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        today = await client.get(CONDITION, headers=province)
        assert today.status_code == 200, today.text
        assert by_key(today.json())["dilapidated"] == {PHUONG_THUY_NGUYEN: 1}
        old = (await client.get(f"{CONDITION}?boundaries=old&level=province", headers=province)).json()
        assert (old["boundaries"], [g["total"] for g in old["groups"]]) == ("old", [4, 0, 1, 0, 3])

    async def test_a_commune_officer_counts_only_their_commune(
        self, client: httpx.AsyncClient, officer: Officer, spread: None
    ) -> None:
        mine = (await client.get(f"{CONDITION}?on=2025-10-01", headers=officer(PHUONG_HAI_DUONG))).json()
        assert by_key(mine) == {
            "all": {PHUONG_HAI_DUONG: 1},
            "temporary": {},
            "dilapidated": {},
            "adequate": {},
            "not_assessed": {PHUONG_HAI_DUONG: 1},
        }

    async def test_a_bad_date_or_boundary_is_a_422_with_its_pointer(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        bad = await client.get(f"{CONDITION}?on=2025-13-01&boundaries=older", headers=province)
        assert sorted(pointers(assert_problem(bad, 422, "validation_failed"))) == [
            "/query/boundaries",
            "/query/on",
        ]


class TestTemporaryHousesRemaining:
    @pytest.fixture
    async def spread(self, homes: Homes) -> None:
        """Thuỷ Nguyên: a temporary house (15/9/2025) rebuilt with a case accepted on 20/11/2025; a
        dilapidated one on disputed land (does not qualify); one withdrawn case (does not resolve).
        Hải Dương: a temporary house from 5/10/2025, and an adequate one."""
        rebuilt = await homes.household(PHUONG_THUY_NGUYEN)
        await homes.assess(await homes.dwelling(rebuilt), TEMPORARY, "2025-09-15")
        await homes.support(
            rebuilt,
            "2025-09-20",
            {
                "approve": "2025-09-25",
                "start": "2025-10-01",
                "complete": "2025-11-10",
                "accept": "2025-11-20",
            },
        )
        disputed = await homes.household(PHUONG_THUY_NGUYEN)
        await homes.assess(await homes.dwelling(disputed), DILAPIDATED, "2025-09-15", "residential_disputed")
        withdrawn = await homes.household(PHUONG_THUY_NGUYEN)
        await homes.assess(await homes.dwelling(withdrawn), DILAPIDATED, "2025-12-05")
        case = await homes.support(withdrawn, "2025-12-06", {})
        await homes._act(case, "withdraw", on="2025-12-07", reason="Hộ chuyển đi nơi khác")
        waiting = await homes.household(PHUONG_HAI_DUONG)
        await homes.assess(await homes.dwelling(waiting), TEMPORARY, "2025-10-05")
        await homes.assess(
            await homes.dwelling(await homes.household(PHUONG_HAI_DUONG)), ADEQUATE, "2025-10-05"
        )

    async def test_counts_qualifying_houses_not_yet_resolved_at_each_month_end(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        answer = (await client.get(f"{REMAINING}?from=2025-08-10&to=2025-12-31", headers=province)).json()
        assert (answer["from"], answer["to"], answer["interval"]) == ("2025-08-10", "2025-12-31", "month")
        assert by_period(answer) == {
            "2025-08-31": {},
            "2025-09-30": {PHUONG_THUY_NGUYEN: 1},
            "2025-10-31": {PHUONG_THUY_NGUYEN: 1, PHUONG_HAI_DUONG: 1},
            "2025-11-30": {PHUONG_HAI_DUONG: 1},
            "2025-12-31": {PHUONG_THUY_NGUYEN: 1, PHUONG_HAI_DUONG: 1},
        }
        assert [p["total"] for p in answer["periods"]] == [0, 1, 2, 1, 2]

    async def test_quarters_and_years_end_on_their_last_day_or_on_to(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        quarters = (
            await client.get(
                f"{REMAINING}?from=2025-07-15&to=2025-11-25&interval=quarter&level=province", headers=province
            )
        ).json()
        assert by_period(quarters) == {"2025-09-30": {HAI_PHONG: 1}, "2025-11-25": {HAI_PHONG: 1}}
        years = (
            await client.get(f"{REMAINING}?from=2024-03-01&to=2026-06-30&interval=year", headers=province)
        ).json()
        assert [(p["period_end"], p["total"]) for p in years["periods"]] == [
            ("2024-12-31", 0),
            ("2025-12-31", 2),
            ("2026-06-30", 2),
        ]

    async def test_a_commune_officer_counts_only_their_commune(
        self, client: httpx.AsyncClient, officer: Officer, spread: None
    ) -> None:
        mine = (
            await client.get(f"{REMAINING}?from=2025-10-01&to=2025-11-30", headers=officer(PHUONG_HAI_DUONG))
        ).json()
        assert by_period(mine) == {"2025-10-31": {PHUONG_HAI_DUONG: 1}, "2025-11-30": {PHUONG_HAI_DUONG: 1}}
        elsewhere = (
            await client.get(f"{REMAINING}?from=2025-10-01&to=2025-11-30", headers=officer("10526"))
        ).json()
        assert [p["total"] for p in elsewhere["periods"]] == [0, 0]

    async def test_old_boundaries_count_everyone(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        old = await client.get(f"{REMAINING}?from=2025-10-01&to=2025-10-31&boundaries=old", headers=province)
        assert old.status_code == 200, old.text
        assert [p["total"] for p in old.json()["periods"]] == [2]

    async def test_to_defaults_to_today(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        answer = await client.get(f"{REMAINING}?from=2026-01-01&interval=year", headers=province)
        assert answer.status_code == 200, answer.text
        assert [p["period_end"] for p in answer.json()["periods"]] == [answer.json()["to"]]

    @pytest.mark.parametrize(
        ("query", "code", "pointer"),
        [
            ("from=2025-06-01&to=2025-05-01", "period_invalid", "/query/to"),
            ("from=2015-01-01&to=2025-01-31", "period_too_long", "/query/to"),
            ("to=2025-05-01", "validation_failed", "/query/from"),
            ("from=2025-01-01&interval=week", "validation_failed", "/query/interval"),
        ],
    )
    async def test_a_bad_period_is_a_422_with_its_pointer(
        self, client: httpx.AsyncClient, province: dict[str, str], query: str, code: str, pointer: str
    ) -> None:
        problem = assert_problem(await client.get(f"{REMAINING}?{query}", headers=province), 422, code)
        assert pointers(problem) == [pointer]

    async def test_ten_years_by_month_is_the_limit(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        answer = await client.get(f"{REMAINING}?from=2016-01-01&to=2025-12-31", headers=province)
        assert answer.status_code == 200, answer.text
        assert len(answer.json()["periods"]) == 120


@pytest.mark.parametrize("role", ["finance_officer", "partner", "bank_integration", "administrator"])
@pytest.mark.parametrize("path", [f"{CONDITION}?on=2025-10-01", f"{REMAINING}?from=2025-01-01&to=2025-03-31"])
async def test_other_roles_are_refused(
    client: httpx.AsyncClient, officer: Officer, role: str, path: str
) -> None:
    assert_problem(await client.get(path, headers=officer(HAI_PHONG, role=role)), 403, "forbidden")


@pytest.mark.parametrize("role", ["commune_officer", "inspector", "auditor"])
async def test_readers_of_the_area_read(client: httpx.AsyncClient, officer: Officer, role: str) -> None:
    for path in (f"{CONDITION}?on=2025-10-01", f"{REMAINING}?from=2025-01-01&to=2025-03-31"):
        response = await client.get(path, headers=officer(PHUONG_THUY_NGUYEN, role=role))
        assert response.status_code == 200, response.text


async def test_requires_a_token(client: httpx.AsyncClient) -> None:
    for path in (CONDITION, f"{REMAINING}?from=2025-01-01"):
        assert (await client.get(path)).status_code == 401

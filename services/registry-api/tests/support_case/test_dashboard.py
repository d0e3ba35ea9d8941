"""Dashboards: counted in SQL per unit, within the caller's area, by new or old boundaries."""

from __future__ import annotations

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


async def propose(
    client: httpx.AsyncClient, headers: dict[str, str], household: dict[str, Any], **extra: Any
) -> None:
    body = {
        "household_id": household["id"],
        "stream": "campaign",
        "kind": "new_build",
        "proposed_on": "2025-03-10",
    }
    response = await client.post("/v1/support-cases", json=body | extra, headers=headers)
    assert response.status_code == 201, response.text


def by_key(answer: dict[str, Any]) -> dict[str, dict[str | None, int]]:
    return {g["key"]: {i["code"]: i["count"] for i in g["items"]} for g in answer["groups"]}


@pytest.fixture
async def spread(client: httpx.AsyncClient, people: People, province: dict[str, str]) -> None:
    """Two cases in Thuỷ Nguyên (one merit repair), one in Hải Dương proposed later."""
    for extra in ({}, {"stream": "merit", "kind": "repair"}):
        await propose(client, province, await people.household(PHUONG_THUY_NGUYEN), **extra)
    await propose(client, province, await people.household(PHUONG_HAI_DUONG), proposed_on="2025-07-01")


class TestSupportCaseCounts:
    async def test_counts_per_commune_by_stream_kind_and_status(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        stream = (await client.get("/v1/dashboard/support-cases?by=stream", headers=province)).json()
        assert by_key(stream) == {
            "campaign": {PHUONG_THUY_NGUYEN: 1, PHUONG_HAI_DUONG: 1},
            "merit": {PHUONG_THUY_NGUYEN: 1},
        }
        assert [g["total"] for g in stream["groups"]] == [2, 1]
        kind = (
            await client.get("/v1/dashboard/support-cases?by=kind&level=province", headers=province)
        ).json()
        assert by_key(kind) == {"new_build": {HAI_PHONG: 2}, "repair": {HAI_PHONG: 1}}
        status = (await client.get("/v1/dashboard/support-cases", headers=province)).json()
        assert (status["by"], by_key(status)) == (
            "status",
            {"proposed": {PHUONG_THUY_NGUYEN: 2, PHUONG_HAI_DUONG: 1}},
        )

    async def test_a_period_narrows_by_proposal_date(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        answer = (
            await client.get("/v1/dashboard/support-cases?proposed_from=2025-06-01", headers=province)
        ).json()
        assert by_key(answer) == {"proposed": {PHUONG_HAI_DUONG: 1}}
        wrong = await client.get(
            "/v1/dashboard/support-cases?proposed_from=2025-06-01&proposed_to=2025-05-01", headers=province
        )
        assert pointers(assert_problem(wrong, 422, "period_invalid")) == ["/query/proposed_to"]

    async def test_old_boundaries_count_under_the_old_provinces(
        self, client: httpx.AsyncClient, province: dict[str, str], spread: None
    ) -> None:
        # The legacy units and the mapping are not loaded here: every case is counted, unplaced ones
        # under a null code (the roll-up itself is tested in tests/admin_unit/test_roll_up.py).
        answer = await client.get(
            "/v1/dashboard/support-cases?boundaries=old&level=province", headers=province
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["boundaries"] == "old"
        assert sum(g["total"] for g in answer.json()["groups"]) == 3

    async def test_a_commune_officer_counts_only_their_commune(
        self, client: httpx.AsyncClient, officer: Officer, spread: None
    ) -> None:
        answer = (
            await client.get("/v1/dashboard/support-cases?by=stream", headers=officer(PHUONG_HAI_DUONG))
        ).json()
        assert by_key(answer) == {"campaign": {PHUONG_HAI_DUONG: 1}}

    @pytest.mark.parametrize("role", ["finance_officer", "partner", "bank_integration", "administrator"])
    async def test_other_roles_are_refused(
        self, client: httpx.AsyncClient, officer: Officer, role: str
    ) -> None:
        for path in ("support-cases", "households-by-category"):
            assert_problem(
                await client.get(f"/v1/dashboard/{path}", headers=officer(HAI_PHONG, role=role)),
                403,
                "forbidden",
            )


class TestHouseholdsByCategory:
    async def test_counts_open_households_and_each_category_valid_that_day(
        self, client: httpx.AsyncClient, people: People, province: dict[str, str], officer: Officer
    ) -> None:
        poor = await people.household(PHUONG_THUY_NGUYEN)
        await people.household(PHUONG_THUY_NGUYEN)
        await people.household(PHUONG_HAI_DUONG)
        status = {
            "kind": "poor",
            "year": 2026,
            "certificate_number": "1/GCN",
            "certificate_date": "2025-12-20",
            "issuer": "Chủ tịch UBND phường",
            "valid_from": "2026-01-01",
        }
        created = await client.post(f"/v1/households/{poor['id']}/categories", json=status, headers=province)
        assert created.status_code == 201, created.text
        answer = (
            await client.get("/v1/dashboard/households-by-category?on=2026-03-01", headers=province)
        ).json()
        assert by_key(answer) == {
            "all": {PHUONG_THUY_NGUYEN: 2, PHUONG_HAI_DUONG: 1},
            "poor": {PHUONG_THUY_NGUYEN: 1},
        }
        before = (
            await client.get("/v1/dashboard/households-by-category?on=2025-12-31", headers=province)
        ).json()
        assert list(by_key(before)) == ["all"]
        mine = (
            await client.get(
                "/v1/dashboard/households-by-category?on=2026-03-01", headers=officer(PHUONG_HAI_DUONG)
            )
        ).json()
        assert by_key(mine) == {"all": {PHUONG_HAI_DUONG: 1}}

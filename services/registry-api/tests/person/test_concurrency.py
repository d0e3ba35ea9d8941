"""Races between requests, on real commits (the tables are emptied afterwards)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from registry_people_testing import (
    HAI_PHONG,
    PHUONG_HAI_DUONG,
    PHUONG_LE_CHAN,
    PHUONG_THUY_NGUYEN,
    People,
    citizen_id,
    household_body,
    person_body,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.admin_unit.service import admin_unit_service
from registry_api.category.reference import seed_poverty_standards

URL = "/v1/persons"


def if_match(headers: dict[str, str], version: int = 1) -> dict[str, str]:
    return headers | {"If-Match": f'W/"{version}"'}


@pytest.fixture(autouse=True)
async def reference_data(committing_sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Committed, unlike the other tests' (a rolled-back copy would block these inserts)."""
    async with committing_sessionmaker() as session, session.begin():
        await admin_unit_service.seed_current_province(session, int(HAI_PHONG))
        await seed_poverty_standards(session)


class TestConcurrency:
    async def test_two_moves_from_one_version_let_exactly_one_win(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        province: dict[str, str],
    ) -> None:
        people = People(committing_client, province)
        source = await people.household()
        targets = [await people.household(PHUONG_LE_CHAN), await people.household(PHUONG_HAI_DUONG)]
        url = f"{URL}/{source['members'][1]['id']}/move"
        responses = await asyncio.gather(
            *(
                committing_client.post(
                    url, json={"household_id": t["id"], "relationship": "other"}, headers=if_match(province)
                )
                for t in targets
            )
        )
        assert sorted(r.status_code for r in responses) == [200, 412]
        history = (
            await committing_client.get(url.replace("/move", "/memberships"), headers=province)
        ).json()["items"]
        assert [m["left_on"] is None for m in history] == [False, True]

    async def test_two_records_of_one_number_at_once_store_one(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        province: dict[str, str],
    ) -> None:
        number = citizen_id(1978)
        bodies = [
            household_body(PHUONG_THUY_NGUYEN, head=person_body(citizen_id=number), members=[]),
            household_body(PHUONG_HAI_DUONG, head=person_body("Lê Văn Đức", citizen_id=number), members=[]),
        ]
        responses = await asyncio.gather(
            *(committing_client.post("/v1/households", json=b, headers=province) for b in bodies)
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        loser = next(r for r in responses if r.status_code == 409)
        assert loser.json()["code"] == "citizen_id_taken"
        listed = (await committing_client.get("/v1/households", headers=province)).json()["items"]
        assert len(listed) == 1

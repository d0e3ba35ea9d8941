"""Helpers and fixtures shared by the household, person and category tests.

Test directories are not importable packages (--import-mode=importlib), so each of the three
conftest.py files loads this file as the module `registry_people_testing`; the tests import their
helpers from that name, and the conftests re-export the fixtures.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.service import admin_unit_service
from registry_api.category.reference import seed_poverty_standards
from registry_api.person.identifiers import Gender, century_gender_digit
from servicekit.pii import PiiCipher

Auth = Callable[..., dict[str, str]]
HAI_PHONG = "31"
HA_NOI = "01"
PHUONG_HAI_DUONG = "10525"
PHUONG_THUY_NGUYEN = "11560"
PHUONG_LE_CHAN = "11383"
PROBLEM = "application/problem+json"

_tails = itertools.count(100_001)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def citizen_id(year: int, gender: str = "male", *, prefix: str = "031") -> str:
    """A fresh, well-formed citizen ID for someone born in `year` (unique within the test run)."""
    return f"{prefix}{century_gender_digit(year, Gender(gender))}{year % 100:02d}{next(_tails):06d}"


def person_body(
    full_name: str = "Nguyễn Văn Đức", year: int = 1978, gender: str = "male", **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "full_name": full_name,
        "date_of_birth": f"{year}-05-12",
        "gender": gender,
        "citizen_id": citizen_id(year, gender),
    }
    return body | overrides


def household_body(
    commune_code: str = PHUONG_THUY_NGUYEN,
    *,
    head: dict[str, Any] | None = None,
    members: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "commune_code": commune_code,
        "address": "Số 12 đường Bạch Đằng",
        "hamlet": "Tổ dân phố số 3",
        "residence_area": "urban",
        "registered_on": "2025-08-01",
        "head": head or person_body(),
        "members": members
        if members is not None
        else [
            person_body("Trần Thị Hoa", 1980, "female", relationship="spouse"),
            person_body("Nguyễn Minh Khang", 2008, "male", citizen_id=None, relationship="child"),
        ],
    }
    return body | overrides


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    assert problem["status"] == status
    return problem


def pointers(problem: dict[str, Any]) -> list[str]:
    return [e["pointer"] for e in problem.get("errors") or []]


def error_codes(problem: dict[str, Any]) -> list[str]:
    return [e["code"] for e in problem.get("errors") or []]


@pytest.fixture(autouse=True)
async def reference_data(db_session: AsyncSession) -> None:
    """Hải Phòng's 2025 units and the poverty standards, in the test's rolled-back transaction."""
    await admin_unit_service.seed_current_province(db_session, int(HAI_PHONG))
    await seed_poverty_standards(db_session)
    await db_session.commit()


@pytest.fixture
def province(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


@pytest.fixture
def officer(auth: Auth) -> Callable[..., dict[str, str]]:
    """`officer("11560")`: a commune officer's headers (any role with `role=`)."""

    def make(*area_codes: str, role: str = "commune_officer") -> dict[str, str]:
        return auth(roles=[role], area_codes=list(area_codes))

    return make


@pytest.fixture
def cipher(app: FastAPI) -> PiiCipher:
    value: PiiCipher = app.state.pii_cipher
    return value


@dataclass
class People:
    """Shortcuts for the tests: create through the API and return the JSON."""

    client: httpx.AsyncClient
    headers: dict[str, str]

    async def household(
        self, commune_code: str = PHUONG_THUY_NGUYEN, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        response = await self.client.post(
            "/v1/households", json=household_body(commune_code, **kwargs), headers=headers or self.headers
        )
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data

    async def person(
        self, household_id: str, headers: dict[str, str] | None = None, **overrides: Any
    ) -> dict[str, Any]:
        body = person_body(**{"relationship": "child", **overrides}) | {"household_id": household_id}
        response = await self.client.post("/v1/persons", json=body, headers=headers or self.headers)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        return data


@pytest.fixture
def people(client: httpx.AsyncClient, province: dict[str, str]) -> People:
    return People(client, province)


async def count(session: AsyncSession, table: str) -> int:
    return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())  # noqa: S608

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

Auth = Callable[..., dict[str, str]]
URL = "/v1/admin-units"
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.usefixtures("units")


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def all_pages(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": 100, **params} | ({"cursor": cursor} if cursor else {})
        response = await client.get(URL, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body.get("next_cursor")
        if not cursor:
            return items


@pytest.fixture
def reader(auth: Auth) -> dict[str, str]:
    return auth(roles=["commune_officer"], area_codes=["11560"])


class TestListAdminUnits:
    async def test_lists_hai_phong_communes_page_by_page(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        seen = [u["code"] for u in await all_pages(client, reader, parent_code="31")]
        assert len(seen) == 114  # 67 communes, 45 wards, 2 special zones
        assert seen == sorted(seen)
        assert len(set(seen)) == 114

    async def test_lists_all_34_provinces_and_3321_communes(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        provinces = await all_pages(client, reader, level="province")
        assert len(provinces) == 34
        assert {"01", "31", "79", "96"} <= {p["code"] for p in provinces}
        assert len(await all_pages(client, reader, level="commune")) == 3321

    async def test_lists_the_legacy_units_of_a_legacy_district(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        communes = await all_pages(client, reader, scheme="legacy", parent_code="288")
        assert {c["name"] for c in communes} >= {"Phường Cẩm Thượng", "Phường Trần Phú"}
        assert {(c["level"], c["province_code"], c["valid_to"]) for c in communes} == {
            ("commune", "30", "2025-06-30")
        }

    @pytest.mark.parametrize(
        ("scheme", "valid_on", "expected"),
        [
            ("legacy", "2025-06-30", 63),
            ("legacy", "2025-07-01", 0),
            ("legacy", "2004-07-08", 63),
            ("legacy", "2004-07-07", 0),
            ("2025", "2025-06-30", 0),
            ("2025", "2025-07-01", 34),
            ("2025", "2031-01-01", 34),
        ],
    )
    async def test_valid_on_keeps_the_units_that_existed_that_day(
        self, client: httpx.AsyncClient, reader: dict[str, str], scheme: str, valid_on: str, expected: int
    ) -> None:
        found = await all_pages(client, reader, scheme=scheme, level="province", valid_on=valid_on)
        assert len(found) == expected

    async def test_rejects_a_malformed_date(self, client: httpx.AsyncClient, reader: dict[str, str]) -> None:
        response = await client.get(URL, params={"valid_on": "30/06/2025"}, headers=reader)
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["pointer"] == "/query/valid_on"
        assert "30/06/2025" not in response.text

    async def test_rejects_a_limit_above_100(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(URL, params={"limit": 101}, headers=auth(roles=["auditor"]))
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["pointer"] == "/query/limit"

    async def test_rejects_a_tampered_cursor(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(
            URL, params={"cursor": "bm90LWEtY3Vyc29y"}, headers=auth(roles=["auditor"])
        )
        assert_problem(response, 400, "invalid_cursor")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.get(URL), 401, "unauthorized")


class TestGetAdminUnit:
    async def test_gets_a_commune_by_code_as_inspection_api_reads_it(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        response = await client.get(f"{URL}/10525", headers=auth(roles=["service"]))
        assert response.status_code == 200
        unit = response.json()
        # inspection-api's client reads these four.
        assert {k: unit[k] for k in ("code", "level", "name", "parent_code")} == {
            "code": "10525",
            "level": "commune",
            "name": "Phường Hải Dương",
            "parent_code": "31",
        }
        assert (unit["scheme"], unit["valid_from"], unit["valid_to"]) == ("2025", "2025-07-01", None)
        assert unit["source"].startswith("vietnam-provinces 2025.10.1")

    async def test_gets_a_legacy_province(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(
            f"{URL}/30", params={"scheme": "legacy"}, headers=auth(roles=["inspector"])
        )
        assert response.status_code == 200
        unit = response.json()
        assert (unit["name"], unit["division_type"], unit["codename"]) == (
            "Tỉnh Hải Dương",
            "tỉnh",
            "tinh_hai_duong",
        )
        assert (unit["valid_from"], unit["valid_to"]) == ("2004-07-08", "2025-06-30")
        assert unit["source"].startswith("vietnamadminunits 1.0.4")

    async def test_a_closed_province_code_is_not_a_2025_unit(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        # Hải Dương's code 30 was closed when it merged into Hải Phòng.
        response = await client.get(f"{URL}/30", headers=auth(roles=["inspector"]))
        assert_problem(response, 404, "admin_unit_not_found")

    async def test_unknown_code_is_a_problem_404(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(f"{URL}/99999", headers=auth(roles=["inspector"]))
        assert_problem(response, 404, "admin_unit_not_found")

    async def test_a_malformed_code_is_a_422(self, client: httpx.AsyncClient, auth: Auth) -> None:
        response = await client.get(f"{URL}/1a", headers=auth(roles=["inspector"]))
        assert_problem(response, 422, "validation_failed")


class TestResolveLegacyUnit:
    async def test_a_commune_that_went_whole_resolves_to_its_new_commune(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "10507"}, headers=reader)
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["legacy_unit"]["name"], body["legacy_unit"]["province_code"]) == (
            "Phường Cẩm Thượng",
            "30",
        )
        assert (body["unit"]["code"], body["unit"]["name"]) == ("10510", "Phường Thành Đông")
        assert body["unit"]["scheme"] == "2025"
        assert (body["kind"], body["merged"]) == ("whole", True)

    async def test_uses_the_official_2025_code_not_the_packages_draft_one(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        # vietnamadminunits numbers Phường Thành Đông 10507; Decision 19/2025 (vietnam-provinces) 10510.
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "10510"}, headers=reader)
        assert response.json()["unit"]["code"] == "10510"

    async def test_a_legacy_province_resolves_to_the_province_it_merged_into(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        params = {"legacy_code": "30", "level": "province"}
        body = (await client.get(f"{URL}/resolve", params=params, headers=reader)).json()
        assert (body["unit"]["code"], body["unit"]["level"], body["merged"]) == ("31", "province", True)

    async def test_a_province_that_was_not_merged_is_not_merged(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        body = (await client.get(f"{URL}/resolve", params={"legacy_code": "01"}, headers=reader)).json()
        assert (body["unit"]["code"], body["merged"]) == ("01", False)

    async def test_an_island_district_resolves_to_its_special_zone(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        body = (await client.get(f"{URL}/resolve", params={"legacy_code": "318"}, headers=reader)).json()
        assert (body["legacy_unit"]["level"], body["unit"]["code"]) == ("district", "11948")
        assert body["unit"]["name"] == "Đặc khu Bạch Long Vĩ"

    async def test_a_split_commune_is_a_409_listing_the_candidates(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "10528"}, headers=reader)
        problem = assert_problem(response, 409, "unit_split_needs_officer")
        assert [(e["code"], e["message"]) for e in problem["errors"]] == [
            ("split_candidate", "10532 Phường Lê Thanh Nghị"),
            ("split_candidate", "10537 Phường Tân Hưng"),
        ]
        assert "/v1/unit-resolutions" in problem["detail"]

    async def test_never_takes_the_packages_default_guess(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        # Xã Hòa Bình (Hải Dương) went in parts to three communes; the package flags one as default.
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "10798"}, headers=reader)
        problem = assert_problem(response, 409, "unit_split_needs_officer")
        assert len(problem["errors"]) == 3

    async def test_an_unknown_legacy_code_is_a_404(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "99999"}, headers=reader)
        assert_problem(response, 404, "admin_unit_not_found")

    async def test_a_level_that_does_not_match_the_code_is_a_404(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        params = {"legacy_code": "10507", "level": "province"}
        assert_problem(
            await client.get(f"{URL}/resolve", params=params, headers=reader), 404, "admin_unit_not_found"
        )

    async def test_a_mainland_district_has_no_successor(
        self, client: httpx.AsyncClient, reader: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/resolve", params={"legacy_code": "288"}, headers=reader)
        assert_problem(response, 422, "unit_has_no_successor")

    @pytest.mark.parametrize(
        "params",
        [{}, {"legacy_code": "1050"}, {"legacy_code": "abcde"}, {"legacy_code": "10507", "level": "ward"}],
    )
    async def test_bad_input_is_a_422(
        self, client: httpx.AsyncClient, reader: dict[str, str], params: dict[str, str]
    ) -> None:
        assert_problem(
            await client.get(f"{URL}/resolve", params=params, headers=reader), 422, "validation_failed"
        )

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(
            await client.get(f"{URL}/resolve", params={"legacy_code": "10507"}), 401, "unauthorized"
        )

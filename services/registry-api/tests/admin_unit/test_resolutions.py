"""The officers' queue for records recorded under an old unit that was split."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api.models import AuditRecord, OutboxEvent

Auth = Callable[..., dict[str, str]]
URL = "/v1/unit-resolutions"
PROBLEM = "application/problem+json"
HAI_PHONG, HA_NOI = "31", "01"
TRAN_PHU = "10528"  # Phường Trần Phú (Hải Dương), split between the two below
LE_THANH_NGHI, TAN_HUNG = "10532", "10537"
PHUONG_HAI_DUONG = "10525"  # not a candidate
TRUONG_SON = "11656"  # Thị trấn Trường Sơn (Hải Phòng), split between Phù Liễn and An Lão
CAM_THUONG = "10507"  # went whole to Phường Thành Đông

pytestmark = pytest.mark.usefixtures("units")


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source_service": "registry-api",
        "resource_type": "household",
        "resource_id": str(uuid.uuid4()),
        "legacy_area_code": TRAN_PHU,
        "note": "Số nhà 12 phố Trần Phú",
    }
    return data | overrides


@pytest.fixture
def service(auth: Auth) -> dict[str, str]:
    return auth(roles=["service"], area_codes=[HAI_PHONG], client_id="inspection-api")


@pytest.fixture
def province(auth: Auth) -> dict[str, str]:
    return auth(roles=["province_officer"], area_codes=[HAI_PHONG])


@pytest.fixture
def candidate_officer(auth: Auth) -> dict[str, str]:
    """A commune officer of one of the candidates."""
    return auth(roles=["commune_officer"], area_codes=[LE_THANH_NGHI])


@pytest.fixture
def other_commune(auth: Auth) -> dict[str, str]:
    """A commune officer of a commune the old one was not split into."""
    return auth(roles=["commune_officer"], area_codes=[PHUONG_HAI_DUONG])


async def queue(client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def if_match(headers: dict[str, str], version: int) -> dict[str, str]:
    return {**headers, "If-Match": f'W/"{version}"'}


OTHER_ROLES = ["finance_officer", "inspector", "partner", "bank_integration", "administrator"]


class TestQueue:
    async def test_a_service_queues_a_record_with_the_candidates_from_the_mapping(
        self, client: httpx.AsyncClient, service: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await client.post(URL, json=body(), headers=service)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        item = response.json()
        assert item["candidate_codes"] == [LE_THANH_NGHI, TAN_HUNG]
        assert (item["province_code"], item["commune_code"], item["legacy_area_code"]) == (
            HAI_PHONG,
            None,
            TRAN_PHU,
        )
        assert (item["status"], item["version"], item["resolved_at"]) == ("pending", 1, None)
        audit = (
            await db_session.execute(select(AuditRecord).where(AuditRecord.resource_id == item["id"]))
        ).scalar_one()
        assert (audit.action, audit.resource_type, audit.province_code) == ("create", "unit_resolution", "31")
        assert audit.after is not None
        assert audit.after["note"] != body()["note"]  # free text is masked in the trail

    async def test_an_officer_of_a_candidate_commune_queues_a_record(
        self, client: httpx.AsyncClient, candidate_officer: dict[str, str]
    ) -> None:
        await queue(client, candidate_officer)

    async def test_a_record_is_queued_once(self, client: httpx.AsyncClient, service: dict[str, str]) -> None:
        first = await queue(client, service)
        again = body(resource_id=first["resource_id"])
        assert_problem(await client.post(URL, json=again, headers=service), 409, "unit_resolution_exists")

    async def test_a_retry_with_the_same_idempotency_key_replays_the_answer(
        self, client: httpx.AsyncClient, service: dict[str, str]
    ) -> None:
        headers = {**service, "Idempotency-Key": str(uuid.uuid4())}
        data = body()
        first = await client.post(URL, json=data, headers=headers)
        second = await client.post(URL, json=data, headers=headers)
        assert (first.status_code, second.status_code) == (201, 201)
        assert second.headers["idempotent-replayed"] == "true"
        assert second.json()["id"] == first.json()["id"]

    async def test_a_commune_that_went_whole_is_not_queued(
        self, client: httpx.AsyncClient, service: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(legacy_area_code=CAM_THUONG), headers=service)
        problem = assert_problem(response, 422, "unit_not_split")
        assert problem["errors"][0]["pointer"] == "/body/legacy_area_code"

    async def test_an_unknown_legacy_commune_is_a_422(
        self, client: httpx.AsyncClient, service: dict[str, str]
    ) -> None:
        response = await client.post(URL, json=body(legacy_area_code="99999"), headers=service)
        assert_problem(response, 422, "legacy_unit_unknown")

    @pytest.mark.parametrize(
        "bad",
        [
            {"legacy_area_code": "288"},
            {"legacy_area_code": None},
            {"resource_id": "has a space"},
            {"source_service": "Registry API"},
            {"candidate_codes": [LE_THANH_NGHI]},  # candidates come from the mapping, not the caller
        ],
    )
    async def test_bad_bodies_are_422(
        self, client: httpx.AsyncClient, service: dict[str, str], bad: dict[str, Any]
    ) -> None:
        response = await client.post(URL, json=body(**bad), headers=service)
        assert_problem(response, 422, "validation_failed")
        assert "has a space" not in response.text

    async def test_an_officer_of_another_commune_may_not_queue(
        self, client: httpx.AsyncClient, other_commune: dict[str, str]
    ) -> None:
        assert_problem(await client.post(URL, json=body(), headers=other_commune), 403, "area_not_covered")

    async def test_an_officer_of_another_province_may_not_queue(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        headers = auth(roles=["province_officer"], area_codes=[HA_NOI])
        assert_problem(await client.post(URL, json=body(), headers=headers), 403, "area_not_covered")

    @pytest.mark.parametrize("role", [*OTHER_ROLES, "auditor"])
    async def test_other_roles_may_not_queue(self, client: httpx.AsyncClient, auth: Auth, role: str) -> None:
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(await client.post(URL, json=body(), headers=headers), 403, "forbidden")

    async def test_requires_a_token(self, client: httpx.AsyncClient) -> None:
        assert_problem(await client.post(URL, json=body()), 401, "unauthorized")


class TestList:
    async def test_the_province_sees_its_items_oldest_first_page_by_page(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        created = [
            (await queue(client, service, legacy_area_code=code))["id"] for code in (TRAN_PHU, TRUONG_SON)
        ]
        created.append((await queue(client, service))["id"])
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = (await client.get(URL, params=params, headers=province)).json()
            seen += [i["id"] for i in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        assert seen == created

    async def test_a_commune_officer_sees_only_items_offering_their_commune(
        self,
        client: httpx.AsyncClient,
        service: dict[str, str],
        candidate_officer: dict[str, str],
        other_commune: dict[str, str],
    ) -> None:
        mine = await queue(client, service)
        await queue(client, service, legacy_area_code=TRUONG_SON)
        seen = (await client.get(URL, headers=candidate_officer)).json()["items"]
        assert [i["id"] for i in seen] == [mine["id"]]
        assert (await client.get(URL, headers=other_commune)).json()["items"] == []

    async def test_filters_by_status(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        await queue(client, service, legacy_area_code=TRUONG_SON)
        await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=if_match(province, 1)
        )
        resolved = (await client.get(URL, params={"status": "resolved"}, headers=province)).json()["items"]
        pending = (await client.get(URL, params={"status": "pending"}, headers=province)).json()["items"]
        assert [i["id"] for i in resolved] == [item["id"]]
        assert [i["legacy_area_code"] for i in pending] == [TRUONG_SON]

    async def test_an_auditor_reads_within_their_area(
        self, client: httpx.AsyncClient, service: dict[str, str], auth: Auth
    ) -> None:
        await queue(client, service)
        auditor = auth(roles=["auditor"], area_codes=[HAI_PHONG])
        assert len((await client.get(URL, headers=auditor)).json()["items"]) == 1
        elsewhere = auth(roles=["auditor"], area_codes=[HA_NOI])
        assert (await client.get(URL, headers=elsewhere)).json()["items"] == []

    async def test_a_caller_without_areas_sees_nothing(
        self, client: httpx.AsyncClient, service: dict[str, str], auth: Auth
    ) -> None:
        await queue(client, service)
        assert (await client.get(URL, headers=auth(roles=["province_officer"]))).json()["items"] == []

    @pytest.mark.parametrize("role", OTHER_ROLES)
    async def test_other_roles_may_not_read(self, client: httpx.AsyncClient, auth: Auth, role: str) -> None:
        assert_problem(
            await client.get(URL, headers=auth(roles=[role], area_codes=[HAI_PHONG])), 403, "forbidden"
        )

    async def test_rejects_an_unknown_status_and_a_tampered_cursor(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        assert_problem(
            await client.get(URL, params={"status": "done"}, headers=province), 422, "validation_failed"
        )
        assert_problem(
            await client.get(URL, params={"cursor": "eyJrIjoxfQ"}, headers=province), 400, "invalid_cursor"
        )


class TestGet:
    async def test_returns_the_item_with_its_etag(
        self, client: httpx.AsyncClient, service: dict[str, str], candidate_officer: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.get(f"{URL}/{item['id']}", headers=candidate_officer)
        assert response.status_code == 200
        assert response.headers["etag"] == 'W/"1"'
        assert response.json() == item

    async def test_an_item_outside_the_area_is_a_404(
        self, client: httpx.AsyncClient, service: dict[str, str], other_commune: dict[str, str], auth: Auth
    ) -> None:
        item = await queue(client, service)
        assert_problem(
            await client.get(f"{URL}/{item['id']}", headers=other_commune), 404, "unit_resolution_not_found"
        )
        hanoi = auth(roles=["province_officer"], area_codes=[HA_NOI])
        assert_problem(
            await client.get(f"{URL}/{item['id']}", headers=hanoi), 404, "unit_resolution_not_found"
        )

    async def test_guessing_an_id_is_a_404(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        response = await client.get(f"{URL}/{uuid.uuid4()}", headers=province)
        assert_problem(response, 404, "unit_resolution_not_found")

    async def test_a_malformed_id_is_a_422(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        assert_problem(await client.get(f"{URL}/42", headers=province), 422, "validation_failed")

    @pytest.mark.parametrize("role", OTHER_ROLES)
    async def test_other_roles_may_not_read(
        self, client: httpx.AsyncClient, service: dict[str, str], auth: Auth, role: str
    ) -> None:
        item = await queue(client, service)
        headers = auth(roles=[role], area_codes=[HAI_PHONG])
        assert_problem(await client.get(f"{URL}/{item['id']}", headers=headers), 403, "forbidden")


class TestResolve:
    async def test_the_province_resolves_to_a_candidate(
        self,
        client: httpx.AsyncClient,
        service: dict[str, str],
        province: dict[str, str],
        db_session: AsyncSession,
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve",
            json={"commune_code": TAN_HUNG, "note": "Thuộc khu dân cư phía nam"},
            headers=if_match(province, 1),
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        resolved = response.json()
        assert (resolved["status"], resolved["commune_code"], resolved["version"]) == (
            "resolved",
            TAN_HUNG,
            2,
        )
        assert resolved["resolved_at"] is not None
        assert resolved["resolved_by"]

        event = (
            await db_session.execute(
                select(OutboxEvent).where(OutboxEvent.type == "unit_resolution.resolved")
            )
        ).scalar_one()
        assert event.subject == f"urn:noxh:registry:unit-resolution:{item['id']}"
        assert sorted(event.area_codes) == [TAN_HUNG, HAI_PHONG]
        assert event.data == {
            "unit_resolution_id": item["id"],
            "source_service": "registry-api",
            "resource_type": "household",
            "resource_id": item["resource_id"],
            "legacy_area_code": TRAN_PHU,
            "province_code": HAI_PHONG,
            "commune_code": TAN_HUNG,
        }
        audit = (
            await db_session.execute(
                select(AuditRecord).where(
                    AuditRecord.resource_id == item["id"], AuditRecord.action == "update"
                )
            )
        ).scalar_one()
        assert audit.before is not None
        assert audit.after is not None
        assert (audit.before["status"], audit.after["status"], audit.after["commune_code"]) == (
            "pending",
            "resolved",
            TAN_HUNG,
        )
        assert audit.commune_code == TAN_HUNG

    async def test_a_commune_officer_claims_a_record_for_their_commune(
        self, client: httpx.AsyncClient, service: dict[str, str], candidate_officer: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve",
            json={"commune_code": LE_THANH_NGHI},
            headers=if_match(candidate_officer, 1),
        )
        assert response.status_code == 200, response.text
        assert response.json()["commune_code"] == LE_THANH_NGHI

    async def test_a_commune_officer_may_not_assign_it_to_another_candidate(
        self, client: httpx.AsyncClient, service: dict[str, str], candidate_officer: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve",
            json={"commune_code": TAN_HUNG},
            headers=if_match(candidate_officer, 1),
        )
        assert_problem(response, 403, "area_not_covered")

    async def test_a_commune_that_is_not_a_candidate_is_a_422(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve",
            json={"commune_code": PHUONG_HAI_DUONG},
            headers=if_match(province, 1),
        )
        problem = assert_problem(response, 422, "not_a_candidate")
        assert problem["errors"][0]["pointer"] == "/body/commune_code"

    async def test_a_stale_if_match_is_a_412(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=if_match(province, 7)
        )
        assert_problem(response, 412, "precondition_failed")

    async def test_a_missing_if_match_is_a_428(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=province
        )
        assert_problem(response, 428, "precondition_required")

    async def test_a_resolved_item_is_not_resolved_again(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        url = f"{URL}/{item['id']}/resolve"
        await client.post(url, json={"commune_code": TAN_HUNG}, headers=if_match(province, 1))
        again = await client.post(url, json={"commune_code": LE_THANH_NGHI}, headers=if_match(province, 2))
        assert_problem(again, 409, "unit_resolution_already_resolved")

    async def test_an_officer_of_another_commune_gets_a_404(
        self, client: httpx.AsyncClient, service: dict[str, str], other_commune: dict[str, str]
    ) -> None:
        item = await queue(client, service)
        response = await client.post(
            f"{URL}/{item['id']}/resolve",
            json={"commune_code": LE_THANH_NGHI},
            headers=if_match(other_commune, 1),
        )
        assert_problem(response, 404, "unit_resolution_not_found")

    async def test_an_officer_of_another_province_gets_a_404(
        self, client: httpx.AsyncClient, service: dict[str, str], auth: Auth
    ) -> None:
        item = await queue(client, service)
        hanoi = auth(roles=["province_officer"], area_codes=[HA_NOI])
        response = await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=if_match(hanoi, 1)
        )
        assert_problem(response, 404, "unit_resolution_not_found")

    async def test_guessing_an_id_is_a_404(self, client: httpx.AsyncClient, province: dict[str, str]) -> None:
        response = await client.post(
            f"{URL}/{uuid.uuid4()}/resolve", json={"commune_code": TAN_HUNG}, headers=if_match(province, 1)
        )
        assert_problem(response, 404, "unit_resolution_not_found")

    @pytest.mark.parametrize("role", [*OTHER_ROLES, "auditor", "service"])
    async def test_other_roles_may_not_resolve(
        self, client: httpx.AsyncClient, service: dict[str, str], auth: Auth, role: str
    ) -> None:
        item = await queue(client, service)
        headers = if_match(auth(roles=[role], area_codes=[HAI_PHONG]), 1)
        response = await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=headers
        )
        assert_problem(response, 403, "forbidden")

    @pytest.mark.parametrize(
        "bad", [{}, {"commune_code": "1053"}, {"commune_code": TAN_HUNG, "status": "resolved"}]
    )
    async def test_bad_bodies_are_422(
        self,
        client: httpx.AsyncClient,
        service: dict[str, str],
        province: dict[str, str],
        bad: dict[str, Any],
    ) -> None:
        item = await queue(client, service)
        response = await client.post(f"{URL}/{item['id']}/resolve", json=bad, headers=if_match(province, 1))
        assert_problem(response, 422, "validation_failed")


class TestRace:
    async def test_two_officers_resolving_at_once_get_one_200_and_one_412(
        self,
        committing_client: httpx.AsyncClient,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
        service: dict[str, str],
        auth: Auth,
    ) -> None:
        item = await queue(committing_client, service)
        url = f"{URL}/{item['id']}/resolve"
        first = if_match(auth(roles=["province_officer"], area_codes=[HAI_PHONG]), 1)
        second = if_match(auth(roles=["commune_officer"], area_codes=[LE_THANH_NGHI]), 1)
        answers = await asyncio.gather(
            committing_client.post(url, json={"commune_code": TAN_HUNG}, headers=first),
            committing_client.post(url, json={"commune_code": LE_THANH_NGHI}, headers=second),
        )
        assert sorted(a.status_code for a in answers) == [200, 412]
        async with committing_sessionmaker() as session:
            events = (
                await session.execute(
                    select(OutboxEvent).where(OutboxEvent.type == "unit_resolution.resolved")
                )
            ).all()
        assert len(events) == 1


class TestCounts:
    async def test_counts_the_queue_by_old_and_new_boundaries(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        item = await queue(client, service)  # Trần Phú, Hải Dương
        await queue(client, service)
        await queue(client, service, legacy_area_code=TRUONG_SON)  # Hải Phòng
        await client.post(
            f"{URL}/{item['id']}/resolve", json={"commune_code": TAN_HUNG}, headers=if_match(province, 1)
        )

        async def counts(**params: str) -> dict[str | None, int]:
            response = await client.get(f"{URL}/counts", params=params, headers=province)
            assert response.status_code == 200, response.text
            return {c["code"]: c["count"] for c in response.json()["items"]}

        assert await counts(boundaries="old", level="province") == {"30": 2, "31": 1}
        assert await counts(boundaries="old", level="commune") == {TRAN_PHU: 2, TRUONG_SON: 1}
        assert await counts(boundaries="new", level="province") == {HAI_PHONG: 3}
        assert await counts(boundaries="new", level="commune") == {TAN_HUNG: 1, None: 2}
        assert await counts(boundaries="old", level="province", status="pending") == {"30": 1, "31": 1}

    async def test_names_the_units(
        self, client: httpx.AsyncClient, service: dict[str, str], province: dict[str, str]
    ) -> None:
        await queue(client, service)
        response = await client.get(f"{URL}/counts", params={"boundaries": "old"}, headers=province)
        assert response.json() == {
            "boundaries": "old",
            "level": "province",
            "items": [{"code": "30", "name": "Tỉnh Hải Dương", "count": 1}],
        }

    async def test_counts_only_the_callers_area(
        self, client: httpx.AsyncClient, service: dict[str, str], other_commune: dict[str, str]
    ) -> None:
        await queue(client, service)
        response = await client.get(f"{URL}/counts", headers=other_commune)
        assert response.json()["items"] == []

    async def test_other_roles_may_not_count(self, client: httpx.AsyncClient, auth: Auth) -> None:
        headers = auth(roles=["inspector"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(f"{URL}/counts", headers=headers), 403, "forbidden")

    async def test_rejects_unknown_boundaries(
        self, client: httpx.AsyncClient, province: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/counts", params={"boundaries": "both"}, headers=province)
        assert_problem(response, 422, "validation_failed")


class TestOpenApi:
    def test_documents_the_routes_and_their_problems(self, app: Any) -> None:
        paths = app.openapi()["paths"]
        assert paths["/v1/admin-units/resolve"]["get"]["operationId"] == "admin-units-resolve_legacy_unit"
        assert {"404", "409"} <= set(paths["/v1/admin-units/resolve"]["get"]["responses"])
        resolve = paths["/v1/unit-resolutions/{resolution_id}/resolve"]["post"]
        assert {"403", "404", "409", "412", "422", "428"} <= set(resolve["responses"])
        assert any(p["name"] == "If-Match" for p in resolve["parameters"])
        create = paths["/v1/unit-resolutions"]["post"]
        assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])

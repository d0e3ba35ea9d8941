from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.models import (
    AuditRecord,
    EntrustmentContract,
    EntrustmentTransfer,
    EntrustmentUtilisationReport,
    OutboxEvent,
)

Auth = Callable[..., dict[str, str]]
URL = "/v1/vbsp-entrustments"
HAI_PHONG = "31"
HA_NOI = "01"
COMMUNE = "11560"
PROBLEM = "application/problem+json"
BILLION = 1_000_000_000


def contract_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "contract_number": "01/2024/HĐUT-NHCSXH",
        "signed_on": "2024-01-10",
        "entrusting_party": "Sở Tài chính thành phố Hải Phòng",
        "bank_branch": "Chi nhánh NHCSXH thành phố Hải Phòng",
        "amount_vnd": 60 * BILLION,
        "period_start": "2024-01-01",
        "period_end": "2026-12-31",
    }
    return data | overrides


def transfer_body(year: int = 2024, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "fiscal_year": year,
        "amount_vnd": 20 * BILLION,
        "decision_number": f"{year}/QĐ-UBND",
        "decision_date": f"{year}-02-01",
        "transferred_on": f"{year}-03-01",
    }
    return data | overrides


def report_body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "lent_vnd": 18 * BILLION,
        "borrowers": 36,
        "outstanding_vnd": 17 * BILLION,
        "repaid_vnd": 1 * BILLION,
        "returned_vnd": 0,
    }
    return data | overrides


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


@pytest.fixture
def bank(auth: Auth) -> dict[str, str]:
    return auth(roles=["bank_integration"], area_codes=[HAI_PHONG])


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def create_contract(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post(URL, json=contract_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def count(session: AsyncSession, model: Any) -> int:
    return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


class TestContracts:
    async def test_creates_a_contract_audited_with_an_event(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await client.post(URL, json=contract_body(), headers=finance)
        assert response.status_code == 201, response.text
        assert response.headers["etag"] == 'W/"1"'
        contract = response.json()
        assert contract["amount_vnd"] == 60 * BILLION
        assert "84/2025/TT-BTC" in contract["legal_basis"]
        events = (
            await db_session.execute(
                select(OutboxEvent.type).where(OutboxEvent.subject.endswith(contract["id"]))
            )
        ).scalars()
        assert list(events) == ["vbsp_entrustment.contract_recorded"]
        audits = await db_session.execute(
            select(func.count()).where(AuditRecord.resource_id == contract["id"])
        )
        assert audits.scalar_one() == 1

    async def test_lists_and_reads_for_readers_of_the_province(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        contract = await create_contract(client, finance)
        for role in ("province_officer", "auditor", "finance_officer"):
            headers = auth(roles=[role], area_codes=[HAI_PHONG])
            listed = await client.get(URL, headers=headers)
            assert listed.status_code == 200, listed.text
            assert [c["id"] for c in listed.json()["items"]] == [contract["id"]]
            one = await client.get(f"{URL}/{contract['id']}", headers=headers)
            assert one.status_code == 200
            assert one.headers["etag"] == 'W/"1"'

    @pytest.mark.parametrize("role", ["commune_officer", "bank_integration", "province_officer", "auditor"])
    async def test_only_finance_officers_create(
        self, client: httpx.AsyncClient, auth: Auth, role: str, db_session: AsyncSession
    ) -> None:
        area = [COMMUNE] if role == "commune_officer" else [HAI_PHONG]
        response = await client.post(URL, json=contract_body(), headers=auth(roles=[role], area_codes=area))
        assert_problem(response, 403, "forbidden")
        assert await count(db_session, EntrustmentContract) == 0

    @pytest.mark.parametrize("role", ["commune_officer", "bank_integration", "partner", "inspector"])
    async def test_other_roles_cannot_read(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, role: str
    ) -> None:
        contract = await create_contract(client, finance)
        headers = auth(roles=[role], area_codes=[HAI_PHONG, COMMUNE])
        assert_problem(await client.get(URL, headers=headers), 403, "forbidden")
        for suffix in ("", "/transfers", "/utilisation-reports", "/summary"):
            assert_problem(
                await client.get(f"{URL}/{contract['id']}{suffix}", headers=headers), 403, "forbidden"
            )

    async def test_another_province_is_refused_and_hidden(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, db_session: AsyncSession
    ) -> None:
        contract = await create_contract(client, finance)
        assert_problem(
            await client.post(URL, json=contract_body(province_code=HA_NOI), headers=finance),
            403,
            "area_not_covered",
        )
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        assert (await client.get(URL, headers=ha_noi)).json()["items"] == []
        for suffix in ("", "/transfers", "/utilisation-reports", "/summary"):
            assert_problem(
                await client.get(f"{URL}/{contract['id']}{suffix}", headers=ha_noi),
                404,
                "entrustment_contract_not_found",
            )
        assert_problem(
            await client.post(f"{URL}/{contract['id']}/transfers", json=transfer_body(), headers=ha_noi),
            404,
            "entrustment_contract_not_found",
        )
        assert await count(db_session, EntrustmentContract) == 1

    @pytest.mark.parametrize(
        ("overrides", "pointer"),
        [
            ({"amount_vnd": 0}, "/body/amount_vnd"),
            ({"amount_vnd": -5}, "/body/amount_vnd"),
            ({"province_code": "3"}, "/body/province_code"),
            ({"signed_on": "not a date"}, "/body/signed_on"),
            ({"contract_number": ""}, "/body/contract_number"),
            ({"surprise": 1}, "/body/surprise"),
        ],
    )
    async def test_bad_input_is_a_422_and_nothing_is_stored(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        db_session: AsyncSession,
        overrides: dict[str, Any],
        pointer: str,
    ) -> None:
        problem = assert_problem(
            await client.post(URL, json=contract_body(**overrides), headers=finance), 422, "validation_failed"
        )
        assert pointer in [e["pointer"] for e in problem["errors"]]
        assert await count(db_session, EntrustmentContract) == 0

    async def test_a_reversed_period_is_refused(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await client.post(
            URL, json=contract_body(period_start="2026-01-01", period_end="2025-12-31"), headers=finance
        )
        problem = assert_problem(response, 422, "entrustment_invalid")
        assert problem["errors"][0]["pointer"] == "/body/period_end"
        assert await count(db_session, EntrustmentContract) == 0

    async def test_a_taken_number_is_a_409(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        await create_contract(client, finance)
        response = await client.post(URL, json=contract_body(), headers=finance)
        assert_problem(response, 409, "entrustment_contract_number_taken")

    async def test_amend_needs_if_match_and_keeps_the_amount_above_transfers(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}"
        await client.post(f"{url}/transfers", json=transfer_body(), headers=finance)
        assert_problem(
            await client.patch(url, json={"amount_vnd": 80 * BILLION}, headers=finance),
            428,
            "precondition_required",
        )
        stale = finance | {"If-Match": 'W/"7"'}
        assert_problem(
            await client.patch(url, json={"amount_vnd": 80 * BILLION}, headers=stale),
            412,
            "precondition_failed",
        )
        current = finance | {"If-Match": 'W/"1"'}
        problem = assert_problem(
            await client.patch(url, json={"amount_vnd": 10 * BILLION}, headers=current),
            422,
            "entrustment_invalid",
        )
        assert problem["errors"][0]["pointer"] == "/body/amount_vnd"
        assert_problem(
            await client.patch(url, json={"amount_vnd": None}, headers=current), 422, "validation_failed"
        )
        province = auth(roles=["province_officer"], area_codes=[HAI_PHONG]) | {"If-Match": 'W/"1"'}
        assert_problem(await client.patch(url, json={"note": "x"}, headers=province), 403, "forbidden")
        response = await client.patch(
            url, json={"amount_vnd": 80 * BILLION, "note": "Phụ lục 01"}, headers=current
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == 'W/"2"'
        assert response.json()["amount_vnd"] == 80 * BILLION


class TestTransfers:
    async def test_yearly_transfers_up_to_the_entrusted_amount(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}/transfers"
        for year in (2024, 2025, 2026):
            response = await client.post(url, json=transfer_body(year), headers=finance)
            assert response.status_code == 201, response.text
        assert_problem(
            await client.post(
                url, json=transfer_body(2026, decision_number="extra", amount_vnd=1), headers=finance
            ),
            409,
            "entrusted_amount_exceeded",
        )
        listed = (await client.get(url, headers=finance)).json()["items"]
        assert [t["fiscal_year"] for t in listed] == [2024, 2025, 2026]
        assert await count(db_session, EntrustmentTransfer) == 3
        types = (
            await db_session.execute(
                select(OutboxEvent.type).where(OutboxEvent.type == "vbsp_entrustment.transfer_recorded")
            )
        ).scalars()
        assert len(list(types)) == 3

    async def test_bad_transfers_change_nothing(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, db_session: AsyncSession
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}/transfers"
        await client.post(url, json=transfer_body(), headers=finance)
        problem = assert_problem(
            await client.post(url, json=transfer_body(2023), headers=finance), 422, "entrustment_invalid"
        )
        assert problem["errors"][0]["pointer"] == "/body/fiscal_year"
        assert_problem(
            await client.post(url, json=transfer_body(amount_vnd=0), headers=finance),
            422,
            "validation_failed",
        )
        assert_problem(
            await client.post(url, json=transfer_body(fiscal_year=1999), headers=finance),
            422,
            "validation_failed",
        )
        assert_problem(
            await client.post(url, json=transfer_body(), headers=finance),
            409,
            "entrustment_transfer_decision_taken",
        )
        for role in ("province_officer", "auditor", "bank_integration", "commune_officer"):
            headers = auth(roles=[role], area_codes=[HAI_PHONG])
            assert_problem(
                await client.post(url, json=transfer_body(2025), headers=headers), 403, "forbidden"
            )
        assert_problem(
            await client.post(f"{URL}/{uuid.uuid4()}/transfers", json=transfer_body(2025), headers=finance),
            404,
            "entrustment_contract_not_found",
        )
        assert await count(db_session, EntrustmentTransfer) == 1


class TestUtilisationReports:
    async def test_the_bank_reports_with_an_idempotency_key(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        bank: dict[str, str],
        db_session: AsyncSession,
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}/utilisation-reports"
        keyed = bank | {"Idempotency-Key": str(uuid.uuid4())}
        first = await client.post(url, json=report_body(), headers=keyed)
        assert first.status_code == 201, first.text
        again = await client.post(url, json=report_body(), headers=keyed)
        assert again.status_code == 201
        assert again.json()["id"] == first.json()["id"]
        assert again.headers.get("idempotent-replayed") == "true"
        assert_problem(
            await client.post(url, json=report_body(borrowers=1), headers=keyed),
            422,
            "idempotency_key_reused",
        )
        assert await count(db_session, EntrustmentUtilisationReport) == 1
        reported = (await client.get(url, headers=finance)).json()["items"]
        assert reported[0]["lent_vnd"] == 18 * BILLION

    async def test_the_bank_must_send_a_key_but_an_officer_need_not(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        bank: dict[str, str],
        db_session: AsyncSession,
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}/utilisation-reports"
        assert_problem(
            await client.post(url, json=report_body(), headers=bank), 400, "idempotency_key_missing"
        )
        assert await count(db_session, EntrustmentUtilisationReport) == 0
        response = await client.post(url, json=report_body(), headers=finance)
        assert response.status_code == 201, response.text

    async def test_bad_reports_change_nothing(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, db_session: AsyncSession
    ) -> None:
        contract = await create_contract(client, finance)
        url = f"{URL}/{contract['id']}/utilisation-reports"
        await client.post(url, json=report_body(), headers=finance)
        assert_problem(
            await client.post(url, json=report_body(), headers=finance),
            409,
            "utilisation_period_already_reported",
        )
        problem = assert_problem(
            await client.post(url, json=report_body(period_start="2023-01-01"), headers=finance),
            422,
            "entrustment_invalid",
        )
        assert problem["errors"][0]["code"] == "outside_contract_period"
        assert_problem(
            await client.post(
                url, json=report_body(period_start="2025-01-01", period_end="2024-12-31"), headers=finance
            ),
            422,
            "entrustment_invalid",
        )
        assert_problem(
            await client.post(url, json=report_body(lent_vnd=-1), headers=finance), 422, "validation_failed"
        )
        for role in ("province_officer", "auditor", "commune_officer"):
            headers = auth(roles=[role], area_codes=[HAI_PHONG]) | {"Idempotency-Key": str(uuid.uuid4())}
            assert_problem(
                await client.post(
                    url, json=report_body(period_start="2025-01-01", period_end="2025-06-30"), headers=headers
                ),
                403,
                "forbidden",
            )
        other_bank = auth(roles=["bank_integration"], area_codes=[HA_NOI]) | {
            "Idempotency-Key": str(uuid.uuid4())
        }
        assert_problem(
            await client.post(url, json=report_body(period_start="2025-01-01"), headers=other_bank),
            404,
            "entrustment_contract_not_found",
        )
        assert await count(db_session, EntrustmentUtilisationReport) == 1


class TestSummary:
    async def test_entrusted_vs_transferred_vs_lent_per_year(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        contract = await create_contract(client, finance)
        base = f"{URL}/{contract['id']}"
        for year in (2024, 2025):
            await client.post(f"{base}/transfers", json=transfer_body(year), headers=finance)
        await client.post(
            f"{base}/utilisation-reports",
            json=report_body(period_end="2024-06-30", lent_vnd=10 * BILLION, outstanding_vnd=10 * BILLION),
            headers=finance,
        )
        await client.post(
            f"{base}/utilisation-reports",
            json=report_body(period_start="2024-07-01", lent_vnd=8 * BILLION, outstanding_vnd=17 * BILLION),
            headers=finance,
        )
        await client.post(
            f"{base}/utilisation-reports",
            json=report_body(
                period_start="2025-01-01",
                period_end="2025-12-31",
                lent_vnd=20 * BILLION,
                borrowers=70,
                outstanding_vnd=35 * BILLION,
                returned_vnd=1 * BILLION,
            ),
            headers=finance,
        )
        response = await client.get(
            f"{base}/summary", headers=auth(roles=["auditor"], area_codes=[HAI_PHONG])
        )
        assert response.status_code == 200, response.text
        summary = response.json()
        assert summary["entrusted_vnd"] == 60 * BILLION
        assert summary["transferred_vnd"] == 40 * BILLION
        assert summary["not_yet_transferred_vnd"] == 20 * BILLION
        assert summary["lent_vnd"] == 38 * BILLION
        assert summary["outstanding_vnd"] == 35 * BILLION
        assert summary["borrowers"] == 70
        assert summary["outstanding_above_transferred"] is False
        years = {y["fiscal_year"]: y for y in summary["years"]}
        assert years[2024]["transferred_vnd"] == 20 * BILLION
        assert years[2024]["lent_vnd"] == 18 * BILLION
        assert years[2024]["outstanding_vnd"] == 17 * BILLION  # the year's last report
        assert years[2025]["returned_vnd"] == 1 * BILLION

    async def test_an_empty_contract_has_a_summary(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        contract = await create_contract(client, finance)
        summary = (await client.get(f"{URL}/{contract['id']}/summary", headers=finance)).json()
        assert summary["transferred_vnd"] == 0
        assert summary["outstanding_vnd"] is None
        assert summary["years"] == []


async def test_racing_transfers_cannot_exceed_the_entrusted_amount(
    committing_client: httpx.AsyncClient, finance: dict[str, str]
) -> None:
    contract = await create_contract(committing_client, finance, amount_vnd=30 * BILLION)
    url = f"{URL}/{contract['id']}/transfers"
    responses = await asyncio.gather(
        *(
            committing_client.post(
                url, json=transfer_body(2024 + i, amount_vnd=20 * BILLION), headers=finance
            )
            for i in range(2)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    summary = (await committing_client.get(f"{URL}/{contract['id']}/summary", headers=finance)).json()
    assert summary["transferred_vnd"] == 20 * BILLION

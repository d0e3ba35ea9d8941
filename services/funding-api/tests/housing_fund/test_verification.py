"""The periodic job that confirms in-lieu references with inspection-api (stubbed at HTTP)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.clients.inspection import InspectionClient
from funding_api.housing_fund.jobs import housing_fund_periodic, register_housing_fund_jobs
from funding_api.housing_fund.service import VERIFY_JOB, housing_fund_service
from funding_api.models import HousingFundMovement, OutboxEvent
from funding_api.worker import periodic, registry
from servicekit.jobs import JobContext, JobRegistry

Auth = Callable[..., dict[str, str]]
MOVEMENTS = "/v1/housing-fund/movements"
HAI_PHONG = "31"


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


async def pay_in_lieu(client: httpx.AsyncClient, headers: dict[str, str], obligation_id: uuid.UUID) -> str:
    body = {
        "province_code": HAI_PHONG,
        "direction": "inflow",
        "category": "in_lieu_land_fund",
        "amount_vnd": 12_500_000_000,
        "occurred_on": "2025-06-01",
        "document_number": "GNT-2025-001",
        "obligation_id": str(obligation_id),
    }
    response = await client.post(MOVEMENTS, json=body, headers=headers)
    assert response.status_code == 201, response.text
    movement_id: str = response.json()["id"]
    return movement_id


def obligation(obligation_id: uuid.UUID, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(obligation_id),
        "commercial_project_id": str(uuid.uuid4()),
        "method": "pay_money",
        "status": "fulfilled",
        "province_code": HAI_PHONG,
        "commune_code": None,
        "required_area_m2": 4200.5,
        "money_due_vnd": 12_500_000_000,
        "something_new": {"ignored": True},
    }
    return data | overrides


async def reference(session: AsyncSession, movement_id: str) -> HousingFundMovement:
    stmt = select(HousingFundMovement).where(HousingFundMovement.id == uuid.UUID(movement_id))
    return (await session.execute(stmt.execution_options(populate_existing=True))).scalar_one()


def test_the_job_is_registered_and_scheduled() -> None:
    assert VERIFY_JOB in registry().kinds
    assert {p.kind for p in housing_fund_periodic()} <= {p.kind for p in periodic()}


async def test_a_known_obligation_is_verified(
    client: httpx.AsyncClient,
    finance: dict[str, str],
    db_session: AsyncSession,
    inspection_stub: Any,  # conftest.RegistryStub
    inspection_client: InspectionClient,
) -> None:
    known = uuid.uuid4()
    movement_id = await pay_in_lieu(client, finance, known)
    inspection_stub.on("GET", f"/v1/land-reserve-obligations/{known}", obligation(known))

    result = await housing_fund_service.verify_references(db_session, inspection_client)

    assert result.as_dict() == {"verified": 1, "not_found": 0, "pending": 0, "upstream_down": False}
    row = await reference(db_session, movement_id)
    assert row.reference_status == "verified"
    assert row.reference_attempts == 1
    assert row.reference_detail is not None
    assert row.reference_detail["method"] == "pay_money"
    assert row.reference_detail["warnings"] == []
    assert inspection_stub.requests[0].headers["Authorization"] == "Bearer funding-service-token"
    events = await db_session.execute(
        select(OutboxEvent.type).where(OutboxEvent.type.like("housing_fund.reference%"))
    )
    assert list(events.scalars()) == ["housing_fund.reference_verified"]
    unverified = await client.get(MOVEMENTS, params={"reference_status": "unverified"}, headers=finance)
    assert unverified.json()["items"] == []
    # A second run has nothing left to ask.
    again = await housing_fund_service.verify_references(db_session, inspection_client)
    assert again.verified == 0
    assert len(inspection_stub.requests) == 1


async def test_a_mismatching_obligation_is_verified_with_warnings(
    client: httpx.AsyncClient,
    finance: dict[str, str],
    db_session: AsyncSession,
    inspection_stub: Any,  # conftest.RegistryStub
    inspection_client: InspectionClient,
) -> None:
    known = uuid.uuid4()
    movement_id = await pay_in_lieu(client, finance, known)
    inspection_stub.on(
        "GET",
        f"/v1/land-reserve-obligations/{known}",
        obligation(known, method="reserve_land", province_code="01"),
    )
    await housing_fund_service.verify_references(db_session, inspection_client)
    row = await reference(db_session, movement_id)
    assert row.reference_detail is not None
    assert row.reference_detail["warnings"] == ["method_not_pay_money", "other_province"]


async def test_an_unknown_obligation_is_not_found(
    client: httpx.AsyncClient,
    finance: dict[str, str],
    db_session: AsyncSession,
    inspection_client: InspectionClient,
) -> None:
    movement_id = await pay_in_lieu(client, finance, uuid.uuid4())  # the stub answers 404 for it

    result = await housing_fund_service.verify_references(db_session, inspection_client)

    assert result.as_dict() == {"verified": 0, "not_found": 1, "pending": 0, "upstream_down": False}
    row = await reference(db_session, movement_id)
    assert row.reference_status == "not_found"
    listed = await client.get(MOVEMENTS, params={"reference_status": "not_found"}, headers=finance)
    assert [m["id"] for m in listed.json()["items"]] == [movement_id]
    # The money arrived all the same: the balance counts it.
    balance = await client.get(
        "/v1/housing-fund/balance", params={"province_code": HAI_PHONG}, headers=finance
    )
    assert balance.json()["balance_vnd"] == 12_500_000_000


@pytest.mark.parametrize("failure", ["down", "500", "403"])
async def test_references_stay_unverified_while_inspection_cannot_answer(
    client: httpx.AsyncClient,
    finance: dict[str, str],
    db_session: AsyncSession,
    inspection_stub: Any,  # conftest.RegistryStub
    inspection_client: InspectionClient,
    failure: str,
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    ids = [await pay_in_lieu(client, finance, first), await pay_in_lieu(client, finance, second)]
    if failure == "down":
        inspection_stub.down = True
    else:
        status = int(failure)
        for obligation_id in (first, second):
            inspection_stub.on(
                "GET",
                f"/v1/land-reserve-obligations/{obligation_id}",
                httpx.Response(status, json={"status": status}),
            )

    result = await housing_fund_service.verify_references(db_session, inspection_client)

    assert result.as_dict() == {"verified": 0, "not_found": 0, "pending": 2, "upstream_down": True}
    assert len(inspection_stub.requests) == 1  # it stops at the first failure
    rows = [await reference(db_session, i) for i in ids]
    assert [r.reference_status for r in rows] == ["unverified", "unverified"]
    assert rows[0].reference_attempts == 1
    listed = await client.get(MOVEMENTS, params={"reference_status": "unverified"}, headers=finance)
    assert [m["id"] for m in listed.json()["items"]] == ids

    # Once inspection-api answers, the next run verifies them.
    inspection_stub.down = False
    for obligation_id in (first, second):
        inspection_stub.on("GET", f"/v1/land-reserve-obligations/{obligation_id}", obligation(obligation_id))
    inspection_client.breaker.record_success()
    later = await housing_fund_service.verify_references(db_session, inspection_client)
    assert later.as_dict() == {"verified": 2, "not_found": 0, "pending": 0, "upstream_down": False}


async def test_the_job_handler_runs_the_verification_and_closes_its_client(
    client: httpx.AsyncClient,
    finance: dict[str, str],
    db_session: AsyncSession,
    inspection_stub: Any,  # conftest.RegistryStub
    inspection_client: InspectionClient,
) -> None:
    known = uuid.uuid4()
    await pay_in_lieu(client, finance, known)
    inspection_stub.on("GET", f"/v1/land-reserve-obligations/{known}", obligation(known))
    jobs = JobRegistry()
    register_housing_fund_jobs(jobs, lambda: inspection_client)
    spec = jobs.get(VERIFY_JOB)
    assert spec is not None
    context = cast(JobContext, SimpleNamespace(session=db_session))
    result = await spec.handler(context, {})
    assert result == {"verified": 1, "not_found": 0, "pending": 0, "upstream_down": False}
    assert inspection_client.http.is_closed

from __future__ import annotations

import asyncio
import csv
import io
import uuid
import zipfile
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.models import AuditRecord, HousingFundMovement, OutboxEvent

Auth = Callable[..., dict[str, str]]
URL = "/v1/housing-fund"
MOVEMENTS = URL + "/movements"
HAI_PHONG = "31"
HA_NOI = "01"
COMMUNE = "11560"
PROBLEM = "application/problem+json"
BILLION = 1_000_000_000
# An outflow written straight in SQL, bypassing the service (and its lock and check).
DIRECT_OUTFLOW = text(
    "INSERT INTO housing_fund_movement (id, province_code, direction, category, amount_vnd, "
    "occurred_on, document_number, recorded_by, reference_attempts) VALUES (:id, '31', 'outflow', "
    "'build_rental_housing', :amount, '2025-05-01', 'x', 'sql', 0)"
)


def movement(
    direction: str = "inflow", category: str = "budget_allocation", **overrides: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "province_code": HAI_PHONG,
        "direction": direction,
        "category": category,
        "amount_vnd": 10 * BILLION,
        "occurred_on": "2025-03-01",
        "document_number": "245/QĐ-UBND",
        "description": "Cấp vốn ngân sách cho Quỹ nhà ở",
    }
    return data | overrides


def reversal(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "occurred_on": "2025-04-01",
        "document_number": "300/QĐ-UBND",
        "description": "Ghi sai số tiền",
    }
    return data | overrides


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG])


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def record(client: httpx.AsyncClient, headers: dict[str, str], **kwargs: Any) -> dict[str, Any]:
    response = await client.post(MOVEMENTS, json=movement(**kwargs), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def balance(client: httpx.AsyncClient, headers: dict[str, str], province: str = HAI_PHONG) -> int:
    response = await client.get(f"{URL}/balance", params={"province_code": province}, headers=headers)
    assert response.status_code == 200, response.text
    value: int = response.json()["balance_vnd"]
    return value


async def count(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(HousingFundMovement))).scalar_one())


class TestMovements:
    async def test_inflows_and_an_outflow_make_the_balance_audited_with_events(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        inflow = await record(client, finance)
        await record(client, finance, category="proceeds", amount_vnd=3 * BILLION)
        outflow = await record(
            client, finance, direction="outflow", category="build_rental_housing", amount_vnd=4 * BILLION
        )
        assert outflow["reference_status"] is None
        assert await balance(client, finance) == 9 * BILLION
        events = await db_session.execute(
            select(OutboxEvent.type).where(OutboxEvent.type.like("housing_fund.%"))
        )
        assert list(events.scalars()) == ["housing_fund.movement_recorded"] * 3
        audits = await db_session.execute(select(func.count()).where(AuditRecord.resource_id == inflow["id"]))
        assert audits.scalar_one() == 1

    async def test_an_in_lieu_payment_is_stored_unverified_and_listed(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        await record(client, finance)
        obligation = str(uuid.uuid4())
        paid = await record(client, finance, category="in_lieu_land_fund", obligation_id=obligation)
        assert paid["reference_status"] == "unverified"
        assert paid["obligation_id"] == obligation
        auditor = auth(roles=["auditor"], area_codes=[HAI_PHONG])
        listed = await client.get(MOVEMENTS, params={"reference_status": "unverified"}, headers=auditor)
        assert listed.status_code == 200, listed.text
        assert [m["id"] for m in listed.json()["items"]] == [paid["id"]]
        by_category = await client.get(MOVEMENTS, params={"category": "budget_allocation"}, headers=auditor)
        assert len(by_category.json()["items"]) == 1
        one = await client.get(f"{MOVEMENTS}/{paid['id']}", headers=auditor)
        assert one.json()["reference_status"] == "unverified"

    async def test_an_outflow_above_the_balance_is_refused(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        await record(client, finance, amount_vnd=5 * BILLION)
        response = await client.post(
            MOVEMENTS,
            json=movement("outflow", "buy_social_housing_units", amount_vnd=5 * BILLION + 1),
            headers=finance,
        )
        assert_problem(response, 409, "housing_fund_balance_insufficient")
        assert await count(db_session) == 1
        assert await balance(client, finance) == 5 * BILLION

    @pytest.mark.parametrize(
        ("body", "pointer", "code"),
        [
            (movement(amount_vnd=0), "/body/amount_vnd", "validation_failed"),
            (movement(amount_vnd=-1), "/body/amount_vnd", "validation_failed"),
            (movement(direction="sideways"), "/body/direction", "validation_failed"),
            (movement(occurred_on="2025-02-30"), "/body/occurred_on", "validation_failed"),
            (movement(document_number=""), "/body/document_number", "validation_failed"),
            (movement(extra=1), "/body/extra", "validation_failed"),
            (movement("outflow", "budget_allocation"), "/body/category", "housing_fund_movement_invalid"),
            (movement("inflow", "build_rental_housing"), "/body/category", "housing_fund_movement_invalid"),
            (movement(category="in_lieu_land_fund"), "/body/obligation_id", "housing_fund_movement_invalid"),
            (
                movement(obligation_id=str(uuid.uuid4())),
                "/body/obligation_id",
                "housing_fund_movement_invalid",
            ),
            (movement(obligation_id="not-a-uuid"), "/body/obligation_id", "validation_failed"),
        ],
    )
    async def test_bad_input_is_a_422_and_nothing_is_stored(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        db_session: AsyncSession,
        body: dict[str, Any],
        pointer: str,
        code: str,
    ) -> None:
        problem = assert_problem(await client.post(MOVEMENTS, json=body, headers=finance), 422, code)
        assert pointer in [e["pointer"] for e in problem["errors"]]
        assert await count(db_session) == 0

    async def test_an_unknown_category_is_a_422(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        response = await client.post(MOVEMENTS, json=movement(category="lottery"), headers=finance)
        problem = assert_problem(response, 422, "validation_failed")
        assert any(e["pointer"].startswith("/body/category") for e in problem["errors"])
        assert await count(db_session) == 0

    @pytest.mark.parametrize("role", ["province_officer", "auditor", "commune_officer", "bank_integration"])
    async def test_only_finance_officers_write(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        auth: Auth,
        role: str,
        db_session: AsyncSession,
    ) -> None:
        inflow = await record(client, finance)
        headers = auth(roles=[role], area_codes=[COMMUNE] if role == "commune_officer" else [HAI_PHONG])
        assert_problem(await client.post(MOVEMENTS, json=movement(), headers=headers), 403, "forbidden")
        assert_problem(
            await client.post(f"{MOVEMENTS}/{inflow['id']}/reversal", json=reversal(), headers=headers),
            403,
            "forbidden",
        )
        assert await count(db_session) == 1

    @pytest.mark.parametrize("role", ["commune_officer", "bank_integration", "partner", "inspector"])
    async def test_other_roles_cannot_read(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, role: str
    ) -> None:
        inflow = await record(client, finance)
        headers = auth(roles=[role], area_codes=[HAI_PHONG, COMMUNE])
        params = {"province_code": HAI_PHONG}
        assert_problem(await client.get(MOVEMENTS, headers=headers), 403, "forbidden")
        assert_problem(await client.get(f"{MOVEMENTS}/{inflow['id']}", headers=headers), 403, "forbidden")
        assert_problem(await client.get(f"{URL}/balance", params=params, headers=headers), 403, "forbidden")
        assert_problem(
            await client.get(f"{URL}/projection", params=params, headers=headers), 403, "forbidden"
        )

    async def test_another_province_is_refused_and_hidden(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth, db_session: AsyncSession
    ) -> None:
        inflow = await record(client, finance)
        assert_problem(
            await client.post(MOVEMENTS, json=movement(province_code=HA_NOI), headers=finance),
            403,
            "area_not_covered",
        )
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        assert (await client.get(MOVEMENTS, headers=ha_noi)).json()["items"] == []
        assert_problem(
            await client.get(f"{MOVEMENTS}/{inflow['id']}", headers=ha_noi),
            404,
            "housing_fund_movement_not_found",
        )
        assert_problem(
            await client.post(f"{MOVEMENTS}/{inflow['id']}/reversal", json=reversal(), headers=ha_noi),
            404,
            "housing_fund_movement_not_found",
        )
        for path in ("balance", "projection"):
            response = await client.get(f"{URL}/{path}", params={"province_code": HAI_PHONG}, headers=ha_noi)
            assert_problem(response, 403, "area_not_covered")
        assert await count(db_session) == 1

    async def test_bad_queries_are_422s(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        for params in (
            {"reference_status": "maybe"},
            {"direction": "up"},
            {"category": "DROP TABLE"},
            {"province_code": "311"},
        ):
            assert_problem(
                await client.get(MOVEMENTS, params=params, headers=finance), 422, "validation_failed"
            )
        assert_problem(await client.get(f"{URL}/balance", headers=finance), 422, "validation_failed")
        for params in ({"years": 0}, {"years": 11}, {"basis_years": 9}, {"format": "pdf"}):
            response = await client.get(
                f"{URL}/projection", params={"province_code": HAI_PHONG, **params}, headers=finance
            )
            assert_problem(response, 422, "validation_failed")
        assert_problem(
            await client.get(MOVEMENTS, params={"cursor": "garbage"}, headers=finance), 400, "invalid_cursor"
        )


class TestReversals:
    async def test_a_reversal_corrects_once(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        inflow = await record(client, finance)
        response = await client.post(f"{MOVEMENTS}/{inflow['id']}/reversal", json=reversal(), headers=finance)
        assert response.status_code == 201, response.text
        reversed_ = response.json()
        assert reversed_["direction"] == "outflow"
        assert reversed_["category"] == "budget_allocation"
        assert reversed_["reverses_id"] == inflow["id"]
        assert await balance(client, finance) == 0
        assert_problem(
            await client.post(f"{MOVEMENTS}/{inflow['id']}/reversal", json=reversal(), headers=finance),
            409,
            "housing_fund_movement_already_reversed",
        )
        assert_problem(
            await client.post(f"{MOVEMENTS}/{reversed_['id']}/reversal", json=reversal(), headers=finance),
            409,
            "housing_fund_reversal_not_reversible",
        )
        assert await count(db_session) == 2
        events = await db_session.execute(
            select(OutboxEvent.type).where(OutboxEvent.type == "housing_fund.movement_reversed")
        )
        assert len(list(events.scalars())) == 1

    async def test_reversing_spent_money_or_backdating_is_refused(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        inflow = await record(client, finance)
        await record(
            client, finance, direction="outflow", category="build_rental_housing", amount_vnd=6 * BILLION
        )
        url = f"{MOVEMENTS}/{inflow['id']}/reversal"
        assert_problem(
            await client.post(url, json=reversal(), headers=finance), 409, "housing_fund_balance_insufficient"
        )
        problem = assert_problem(
            await client.post(url, json=reversal(occurred_on="2025-01-01"), headers=finance),
            422,
            "housing_fund_movement_invalid",
        )
        assert problem["errors"][0]["pointer"] == "/body/occurred_on"
        assert_problem(
            await client.post(url, json=reversal(description=""), headers=finance), 422, "validation_failed"
        )
        assert_problem(
            await client.post(f"{MOVEMENTS}/{uuid.uuid4()}/reversal", json=reversal(), headers=finance),
            404,
            "housing_fund_movement_not_found",
        )
        assert await count(db_session) == 2

    async def test_the_balance_nets_reversals_per_category(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        first = await record(client, finance)
        await record(client, finance, amount_vnd=2 * BILLION)
        await client.post(f"{MOVEMENTS}/{first['id']}/reversal", json=reversal(), headers=finance)
        out = await record(
            client, finance, direction="outflow", category="management_and_operation", amount_vnd=BILLION
        )
        assert out["amount_vnd"] == BILLION
        response = await client.get(
            f"{URL}/balance", params={"province_code": HAI_PHONG, "as_of": "2025-12-31"}, headers=finance
        )
        summary = response.json()
        assert summary["balance_vnd"] == BILLION
        assert summary["inflow_vnd"] == 12 * BILLION
        assert summary["outflow_vnd"] == 11 * BILLION
        nets = {c["category"]: (c["direction"], c["net_vnd"]) for c in summary["by_category"]}
        assert nets == {
            "budget_allocation": ("inflow", 2 * BILLION),
            "management_and_operation": ("outflow", BILLION),
        }
        before = await client.get(
            f"{URL}/balance", params={"province_code": HAI_PHONG, "as_of": "2025-01-01"}, headers=finance
        )
        assert before.json()["balance_vnd"] == 0


class TestDatabaseGuards:
    async def test_a_movement_cannot_be_changed_or_deleted_in_sql(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        inflow = await record(client, finance)
        for statement in (
            "UPDATE housing_fund_movement SET amount_vnd = 1 WHERE id = :id",
            "UPDATE housing_fund_movement SET category = 'proceeds' WHERE id = :id",
            "DELETE FROM housing_fund_movement WHERE id = :id",
        ):
            with pytest.raises(DBAPIError, match="housing_fund_movement_immutable"):
                async with db_session.begin_nested():
                    await db_session.execute(text(statement), {"id": inflow["id"]})
        amount = await db_session.execute(
            select(HousingFundMovement.amount_vnd).where(HousingFundMovement.id == uuid.UUID(inflow["id"]))
        )
        assert amount.scalar_one() == 10 * BILLION

    async def test_a_direct_insert_cannot_overdraw(
        self, client: httpx.AsyncClient, finance: dict[str, str], db_session: AsyncSession
    ) -> None:
        await record(client, finance, amount_vnd=BILLION)
        insert = DIRECT_OUTFLOW
        with pytest.raises(DBAPIError, match="housing_fund_balance_negative"):
            async with db_session.begin_nested():
                await db_session.execute(insert, {"id": uuid.uuid4(), "amount": BILLION + 1})
        async with db_session.begin_nested():
            await db_session.execute(insert, {"id": uuid.uuid4(), "amount": BILLION})
        assert await balance(client, finance) == 0


async def test_racing_outflows_cannot_overdraw(
    committing_client: httpx.AsyncClient, finance: dict[str, str]
) -> None:
    await record(committing_client, finance, amount_vnd=10 * BILLION)
    responses = await asyncio.gather(
        *(
            committing_client.post(
                MOVEMENTS,
                json=movement(
                    "outflow", "buy_social_housing_units", amount_vnd=4 * BILLION, document_number=f"c{i}"
                ),
                headers=finance,
            )
            for i in range(4)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 201, 409, 409]
    assert await balance(committing_client, finance) == 2 * BILLION


async def test_racing_direct_inserts_cannot_overdraw(
    committing_client: httpx.AsyncClient,
    committing_sessionmaker: async_sessionmaker[AsyncSession],
    finance: dict[str, str],
) -> None:
    """Without the service's lock: the trigger alone serialises the writers of one province."""
    await record(committing_client, finance, amount_vnd=10 * BILLION)
    insert = DIRECT_OUTFLOW
    first_inserted = asyncio.Event()

    async def first() -> None:
        async with committing_sessionmaker() as session, session.begin():
            await session.execute(insert, {"id": uuid.uuid4(), "amount": 6 * BILLION})
            first_inserted.set()
            await asyncio.sleep(0.3)  # the second writer waits on the lock meanwhile

    async def second() -> str:
        await first_inserted.wait()
        try:
            async with committing_sessionmaker() as session, session.begin():
                await session.execute(insert, {"id": uuid.uuid4(), "amount": 6 * BILLION})
        except DBAPIError as exc:
            return str(exc.orig)
        return "inserted"

    _, outcome = await asyncio.gather(first(), second())
    assert "housing_fund_balance_negative" in outcome
    assert await balance(committing_client, finance) == 4 * BILLION


class TestProjection:
    async def seed_history(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        for year, inflow, outflow in ((2023, 9, 3), (2024, 12, 6), (2025, 6, 0)):
            await record(client, headers, amount_vnd=inflow * BILLION, occurred_on=f"{year}-02-01")
            if outflow:
                await record(
                    client,
                    headers,
                    direction="outflow",
                    category="build_rental_housing",
                    amount_vnd=outflow * BILLION,
                    occurred_on=f"{year}-09-01",
                )
        await record(client, headers, amount_vnd=BILLION, occurred_on="2026-01-15")

    async def test_the_recent_year_average_projects_each_year_ahead(
        self, client: httpx.AsyncClient, finance: dict[str, str], auth: Auth
    ) -> None:
        await self.seed_history(client, finance)
        response = await client.get(
            f"{URL}/projection",
            params={"province_code": HAI_PHONG, "as_of": "2026-06-30", "years": 3},
            headers=auth(roles=["province_officer"], area_codes=[HAI_PHONG]),
        )
        assert response.status_code == 200, response.text
        projection = response.json()
        assert projection["method"] == "recent_year_average"
        assert projection["basis_years"] == [2023, 2024, 2025]
        assert projection["opening_balance_vnd"] == 19 * BILLION
        first = projection["years"][0]
        assert first["year"] == 2027
        assert first["expected_inflow_vnd"] == 9 * BILLION
        assert first["expected_outflow_vnd"] == 3 * BILLION
        assert first["inflows_by_kind"] == {"budget_allocation": 9 * BILLION}
        assert first["outflows_by_purpose"] == {"build_rental_housing": 3 * BILLION}
        assert [y["projected_closing_balance_vnd"] for y in projection["years"]] == [
            25 * BILLION,
            31 * BILLION,
            37 * BILLION,
        ]
        assert not any(y["shortfall"] for y in projection["years"])

    async def test_csv_and_xlsx_downloads(self, client: httpx.AsyncClient, finance: dict[str, str]) -> None:
        await self.seed_history(client, finance)
        params = {"province_code": HAI_PHONG, "as_of": "2026-06-30", "years": 2}
        as_csv = await client.get(f"{URL}/projection", params={**params, "format": "csv"}, headers=finance)
        assert as_csv.status_code == 200
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert "attachment" in as_csv.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
        assert rows[0][:4] == [
            "year",
            "expected_inflow_vnd",
            "expected_outflow_vnd",
            "projected_closing_balance_vnd",
        ]
        assert rows[1][0] == "2027"
        assert rows[1][3] == str(25 * BILLION)
        as_xlsx = await client.get(f"{URL}/projection", params={**params, "format": "xlsx"}, headers=finance)
        assert as_xlsx.status_code == 200
        assert as_xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        with zipfile.ZipFile(io.BytesIO(as_xlsx.content)) as workbook:
            assert "xl/worksheets/sheet1.xml" in workbook.namelist()

    async def test_an_empty_fund_projects_zeros(
        self, client: httpx.AsyncClient, finance: dict[str, str]
    ) -> None:
        response = await client.get(f"{URL}/projection", params={"province_code": HAI_PHONG}, headers=finance)
        assert response.status_code == 200, response.text
        years = response.json()["years"]
        assert len(years) == 5
        assert all(y["projected_closing_balance_vnd"] == 0 for y in years)

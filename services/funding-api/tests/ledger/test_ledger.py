from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api.models import JournalEntry, JournalLine, LedgerAccount, OutboxEvent

Auth = Callable[..., dict[str, str]]
Funded = Callable[..., Awaitable[dict[str, Any]]]
PROBLEM = "application/problem+json"
HAI_PHONG = "31"
HA_NOI = "01"


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code
    return problem


async def accounts(
    client: httpx.AsyncClient, headers: dict[str, str], **params: str
) -> dict[str, dict[str, Any]]:
    response = await client.get("/v1/ledger/accounts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {a["kind"]: a for a in response.json()["items"]}


async def allocate_programme(
    client: httpx.AsyncClient, headers: dict[str, str], source_id: str, amount: int
) -> httpx.Response:
    return await client.post(
        "/v1/allocations",
        json={
            "source_id": source_id,
            "target_kind": "programme",
            "programme": "xoa_nha_tam_2024_2025",
            "amount_vnd": amount,
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2025-03-10",
        },
        headers=headers,
    )


class TestReceipts:
    async def test_a_receipt_is_a_balanced_entry_and_the_balances_follow(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        funded_source: Funded,
        db_session: AsyncSession,
    ) -> None:
        source = await funded_source(500_000_000)
        found = await accounts(client, finance, source_id=source["id"])
        assert found["source_cash"]["balance_vnd"] == 500_000_000
        assert found["source_inflow"]["balance_vnd"] == 500_000_000
        entries = (
            await client.get("/v1/ledger/entries", params={"source_id": source["id"]}, headers=finance)
        ).json()
        (entry,) = entries["items"]
        assert entry["kind"] == "receipt"
        assert entry["amount_vnd"] == 500_000_000
        assert sorted((line["account_kind"], line["side"]) for line in entry["lines"]) == [
            ("source_cash", "debit"),
            ("source_inflow", "credit"),
        ]
        event_types = (await db_session.execute(select(OutboxEvent.type))).scalars().all()
        assert "funding_receipt.recorded" in event_types

    async def test_receipt_into_another_province_is_403_and_unknown_source_422(
        self, client: httpx.AsyncClient, auth: Auth, funded_source: Funded, db_session: AsyncSession
    ) -> None:
        source = await funded_source()
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        body = {"source_id": source["id"], "amount_vnd": 1, "received_on": "2025-01-01"}
        assert_problem(
            await client.post("/v1/ledger/receipts", json=body, headers=ha_noi), 403, "area_not_covered"
        )
        body["source_id"] = str(uuid.uuid4())
        finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        problem = assert_problem(
            await client.post("/v1/ledger/receipts", json=body, headers=finance),
            422,
            "funding_source_unknown",
        )
        assert problem["errors"][0]["pointer"] == "/source_id"
        assert (await db_session.execute(select(func.count()).select_from(JournalEntry))).scalar_one() == 1

    @pytest.mark.parametrize(
        "change",
        [
            {"amount_vnd": 0},
            {"amount_vnd": -5},
            {"amount_vnd": "lots"},
            {"received_on": "yesterday"},
            {"extra": 1},
        ],
    )
    async def test_bad_receipts_are_422_and_book_nothing(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        funded_source: Funded,
        db_session: AsyncSession,
        change: dict[str, Any],
    ) -> None:
        source = await funded_source()
        body = {"source_id": source["id"], "amount_vnd": 10, "received_on": "2025-01-01"} | change
        response = await client.post("/v1/ledger/receipts", json=body, headers=finance)
        assert_problem(response, 422, "validation_failed")
        assert response.json()["errors"]
        assert (await db_session.execute(select(func.count()).select_from(JournalEntry))).scalar_one() == 1

    @pytest.mark.parametrize("roles", [["bank_integration"], ["partner"], ["commune_officer"], ["inspector"]])
    async def test_bank_clients_and_others_cannot_read_the_ledger(
        self, client: httpx.AsyncClient, auth: Auth, roles: list[str]
    ) -> None:
        headers = auth(roles=roles, area_codes=[HAI_PHONG])
        for path in ("/v1/ledger/entries", "/v1/ledger/accounts"):
            assert_problem(await client.get(path, headers=headers), 403, "forbidden")

    @pytest.mark.parametrize(
        "roles", [["province_officer"], ["auditor"], ["bank_integration"], ["commune_officer"]]
    )
    async def test_only_finance_officers_book(
        self, client: httpx.AsyncClient, auth: Auth, funded_source: Funded, roles: list[str]
    ) -> None:
        source = await funded_source()
        headers = auth(roles=roles, area_codes=[HAI_PHONG])
        body = {"source_id": source["id"], "amount_vnd": 10, "received_on": "2025-01-01"}
        assert_problem(await client.post("/v1/ledger/receipts", json=body, headers=headers), 403, "forbidden")

    async def test_another_provinces_ledger_is_invisible(
        self, client: httpx.AsyncClient, auth: Auth, funded_source: Funded
    ) -> None:
        await funded_source()
        ha_noi = auth(roles=["auditor"], area_codes=[HA_NOI])
        page = (await client.get("/v1/ledger/entries", headers=ha_noi)).json()
        assert page["items"] == []
        hai_phong = auth(roles=["auditor"], area_codes=[HAI_PHONG])
        (entry,) = (await client.get("/v1/ledger/entries", headers=hai_phong)).json()["items"]
        assert_problem(
            await client.get(f"/v1/ledger/entries/{entry['id']}", headers=ha_noi),
            404,
            "journal_entry_not_found",
        )


class TestReversals:
    async def test_an_allocation_is_corrected_by_a_reversing_entry(
        self, client: httpx.AsyncClient, finance: dict[str, str], funded_source: Funded
    ) -> None:
        source = await funded_source(100_000_000)
        allocation = (await allocate_programme(client, finance, source["id"], 30_000_000)).json()
        (entry,) = (
            await client.get(
                "/v1/ledger/entries", params={"allocation_id": allocation["id"]}, headers=finance
            )
        ).json()["items"]
        response = await client.post(
            f"/v1/ledger/entries/{entry['id']}/reversal", json={"reason": "Sai nguồn"}, headers=finance
        )
        assert response.status_code == 201, response.text
        assert response.json()["reverses_id"] == entry["id"]
        assert (await accounts(client, finance, source_id=source["id"]))["source_cash"][
            "balance_vnd"
        ] == 100_000_000
        line = (await client.get(f"/v1/allocations/{allocation['id']}", headers=finance)).json()
        assert (line["amount_vnd"], line["status"]) == (0, "cancelled")
        again = await client.post(
            f"/v1/ledger/entries/{entry['id']}/reversal", json={"reason": "again"}, headers=finance
        )
        assert_problem(again, 409, "entry_already_reversed")
        reversal = response.json()["id"]
        assert_problem(
            await client.post(
                f"/v1/ledger/entries/{reversal}/reversal", json={"reason": "x"}, headers=finance
            ),
            422,
            "entry_is_reversal",
        )

    async def test_reversing_a_receipt_whose_money_is_allocated_is_refused(
        self, client: httpx.AsyncClient, finance: dict[str, str], funded_source: Funded
    ) -> None:
        source = await funded_source(100_000_000)
        assert (await allocate_programme(client, finance, source["id"], 80_000_000)).status_code == 201
        receipts = await client.get(
            "/v1/ledger/entries", params={"source_id": source["id"], "kind": "receipt"}, headers=finance
        )
        (receipt,) = receipts.json()["items"]
        response = await client.post(
            f"/v1/ledger/entries/{receipt['id']}/reversal", json={"reason": "Nhầm"}, headers=finance
        )
        assert_problem(response, 422, "reversal_would_overdraw")
        assert (await accounts(client, finance, source_id=source["id"]))["source_cash"][
            "balance_vnd"
        ] == 20_000_000


ENTRY_SQL = (
    "INSERT INTO journal_entry (id, kind, booked_on, description, source_id, province_code, created_by)"
    " VALUES (:entry, 'allocation', '2025-01-01', 'by hand', :source, '31', 'psql')"
)
TWO_LINES_SQL = (
    "INSERT INTO journal_line (id, entry_id, account_id, side, amount_vnd) VALUES"
    " (gen_random_uuid(), :entry, :debit, 'debit', :amount),"
    " (gen_random_uuid(), :entry, :credit, 'credit', :amount)"
)
ONE_LINE_SQL = (
    "INSERT INTO journal_line (id, entry_id, account_id, side, amount_vnd)"
    " VALUES (gen_random_uuid(), :entry, :debit, 'debit', :amount)"
)


async def in_savepoint(session: AsyncSession, *statements: str, **params: Any) -> None:
    """Run SQL by hand, then check the deferred constraints at once (as a commit would)."""
    async with session.begin_nested():
        for statement in statements:
            await session.execute(text(statement), params)
        await session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))


async def account_ids(session: AsyncSession, **where: uuid.UUID) -> dict[str, uuid.UUID]:
    clauses = [getattr(LedgerAccount, column) == value for column, value in where.items()]
    rows = await session.execute(select(LedgerAccount.kind, LedgerAccount.id).where(*clauses))
    return {row[0]: row[1] for row in rows}


class TestDatabaseRefusesBrokenInvariants:
    """SQL typed by hand (or a bug in the service) cannot break the ledger: the database refuses."""

    async def test_journal_rows_cannot_be_updated_or_deleted(
        self, funded_source: Funded, db_session: AsyncSession
    ) -> None:
        await funded_source(10_000)
        for statement in (
            "UPDATE journal_line SET amount_vnd = amount_vnd + 1",
            "UPDATE journal_entry SET booked_on = '2020-01-01'",
            "DELETE FROM journal_line",
            "DELETE FROM journal_entry",
        ):
            with pytest.raises(DBAPIError, match="ledger_immutable"):
                await in_savepoint(db_session, statement)
        assert (await db_session.execute(select(func.sum(JournalLine.amount_vnd)))).scalar_one() == 20_000

    async def test_an_unbalanced_entry_or_one_without_lines_is_refused_at_commit(
        self, funded_source: Funded, db_session: AsyncSession
    ) -> None:
        source = uuid.UUID((await funded_source(10_000))["id"])
        ids = await account_ids(db_session, source_id=source)
        with pytest.raises(DBAPIError, match="ledger_unbalanced"):
            await in_savepoint(
                db_session, ENTRY_SQL, ONE_LINE_SQL,
                entry=uuid.uuid4(), source=source, debit=ids["source_cash"], amount=500,
            )  # fmt: skip
        with pytest.raises(DBAPIError, match="ledger_unbalanced"):
            await in_savepoint(db_session, ENTRY_SQL, entry=uuid.uuid4(), source=source)

    async def test_a_source_cannot_go_below_zero_nor_allocate_more_than_it_has(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        funded_source: Funded,
        db_session: AsyncSession,
    ) -> None:
        source = uuid.UUID((await funded_source(10_000))["id"])
        allocation = (await allocate_programme(client, finance, str(source), 4_000)).json()
        cash = (await account_ids(db_session, source_id=source))["source_cash"]
        line = (await account_ids(db_session, allocation_id=uuid.UUID(allocation["id"])))["allocation"]
        with pytest.raises(DBAPIError, match="ledger_overdrawn"):
            await in_savepoint(
                db_session, ENTRY_SQL, TWO_LINES_SQL,
                entry=uuid.uuid4(), source=source, debit=line, credit=cash, amount=6_001,
            )  # fmt: skip
        await in_savepoint(  # what is left can still be allocated
            db_session, ENTRY_SQL, TWO_LINES_SQL,
            entry=uuid.uuid4(), source=source, debit=line, credit=cash, amount=6_000,
        )  # fmt: skip

    async def test_a_disbursement_cannot_exceed_the_allocation(
        self,
        client: httpx.AsyncClient,
        finance: dict[str, str],
        funded_source: Funded,
        db_session: AsyncSession,
    ) -> None:
        source = uuid.UUID((await funded_source(10_000))["id"])
        allocation = (await allocate_programme(client, finance, str(source), 4_000)).json()
        ids = await account_ids(db_session, allocation_id=uuid.UUID(allocation["id"]))
        with pytest.raises(DBAPIError, match="ledger_overdrawn"):
            await in_savepoint(
                db_session, ENTRY_SQL, TWO_LINES_SQL,
                entry=uuid.uuid4(), source=source, amount=4_001,
                debit=ids["disbursed"], credit=ids["allocation"],
            )  # fmt: skip


class TestConcurrency:
    async def test_concurrent_allocations_never_overspend_a_source(
        self,
        committing_client: httpx.AsyncClient,
        auth: Auth,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
    ) -> None:
        finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        created = await committing_client.post(
            "/v1/funding-sources",
            json={"province_code": HAI_PHONG, "kind": "provincial_budget", "name": "Ngân sách đua"},
            headers=finance,
        )
        source_id = created.json()["id"]
        receipt = await committing_client.post(
            "/v1/ledger/receipts",
            json={"source_id": source_id, "amount_vnd": 100_000_000, "received_on": "2025-01-02"},
            headers=finance,
        )
        assert receipt.status_code == 201, receipt.text
        responses = await asyncio.gather(
            *[allocate_programme(committing_client, finance, source_id, 30_000_000) for _ in range(6)]
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 201, 201, 422, 422, 422], [r.text for r in responses]
        for refused in (r for r in responses if r.status_code == 422):
            assert refused.json()["code"] == "amount_exceeds_available"
        found = await accounts(committing_client, finance, source_id=source_id)
        assert found["source_cash"]["balance_vnd"] == 10_000_000
        async with committing_sessionmaker() as session:
            allocated = (
                await session.execute(
                    select(func.sum(JournalLine.amount_vnd))
                    .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
                    .where(LedgerAccount.kind == "allocation")
                )
            ).scalar_one()
        assert allocated == 90_000_000

    async def test_concurrent_disbursements_never_exceed_the_allocation(
        self, committing_client: httpx.AsyncClient, auth: Auth
    ) -> None:
        finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        source_id = (
            await committing_client.post(
                "/v1/funding-sources",
                json={"province_code": HAI_PHONG, "kind": "gratitude_fund", "name": "Quỹ đua"},
                headers=finance,
            )
        ).json()["id"]
        await committing_client.post(
            "/v1/ledger/receipts",
            json={"source_id": source_id, "amount_vnd": 1_000, "received_on": "2025-01-02"},
            headers=finance,
        )
        line = (await allocate_programme(committing_client, finance, source_id, 100)).json()
        body = {"amount_vnd": 40, "disbursed_on": "2025-02-01", "reference": "UNC"}
        responses = await asyncio.gather(
            *[
                committing_client.post(
                    f"/v1/allocations/{line['id']}/disbursements", json=body, headers=finance
                )
                for _ in range(4)
            ]
        )
        assert sorted(r.status_code for r in responses) == [201, 201, 422, 422]
        line = (await committing_client.get(f"/v1/allocations/{line['id']}", headers=finance)).json()
        assert (line["disbursed_vnd"], line["undisbursed_vnd"]) == (80, 20)

    async def test_concurrent_sql_writers_are_stopped_by_the_database_too(
        self,
        committing_client: httpx.AsyncClient,
        auth: Auth,
        committing_sessionmaker: async_sessionmaker[AsyncSession],
    ) -> None:
        """Two transactions drawing on one source by hand, bypassing the service: one must fail."""
        finance = auth(roles=["finance_officer"], area_codes=[HAI_PHONG])
        source_id = (
            await committing_client.post(
                "/v1/funding-sources",
                json={"province_code": HAI_PHONG, "kind": "provincial_budget", "name": "Ngân sách tay"},
                headers=finance,
            )
        ).json()["id"]
        await committing_client.post(
            "/v1/ledger/receipts",
            json={"source_id": source_id, "amount_vnd": 100, "received_on": "2025-01-02"},
            headers=finance,
        )
        lines = [
            (await allocate_programme(committing_client, finance, source_id, 1)).json()["id"]
            for _ in range(2)
        ]
        async with committing_sessionmaker() as session:
            cash = (
                await session.execute(
                    select(LedgerAccount.id).where(
                        LedgerAccount.source_id == uuid.UUID(source_id), LedgerAccount.kind == "source_cash"
                    )
                )
            ).scalar_one()
            open_accounts = [
                (
                    await session.execute(
                        select(LedgerAccount.id).where(
                            LedgerAccount.allocation_id == uuid.UUID(line), LedgerAccount.kind == "allocation"
                        )
                    )
                ).scalar_one()
                for line in lines
            ]

        async def draw(account: uuid.UUID) -> str:
            async with committing_sessionmaker() as session:
                try:
                    async with session.begin():
                        entry = uuid.uuid4()
                        await session.execute(
                            text(
                                "INSERT INTO journal_entry"
                                " (id, kind, booked_on, description, source_id, province_code, created_by)"
                                " VALUES (:id, 'allocation', '2025-01-01', 'by hand', :source, '31', 'psql')"
                            ),
                            {"id": entry, "source": uuid.UUID(source_id)},
                        )
                        await session.execute(
                            text(
                                "INSERT INTO journal_line (id, entry_id, account_id, side, amount_vnd) VALUES"
                                " (gen_random_uuid(), :entry, :line, 'debit', 60),"
                                " (gen_random_uuid(), :entry, :cash, 'credit', 60)"
                            ),
                            {"entry": entry, "line": account, "cash": cash},
                        )
                        await asyncio.sleep(0.05)  # hold the lock while the other one tries
                except DBAPIError as exc:
                    return f"refused: {'ledger_overdrawn' in str(exc)}"
                return "booked"

        outcomes = await asyncio.gather(*[draw(a) for a in open_accounts])
        assert sorted(outcomes) == ["booked", "refused: True"]
        assert (await accounts(committing_client, finance, source_id=source_id))["source_cash"][
            "balance_vnd"
        ] == 38


class TestReversalAndAccountEdges:
    async def test_reversal_roles_areas_and_input(
        self, client: httpx.AsyncClient, auth: Auth, finance: dict[str, str], funded_source: Funded
    ) -> None:
        source = await funded_source(1_000)
        (entry,) = (await client.get("/v1/ledger/entries", headers=finance)).json()["items"]
        url = f"/v1/ledger/entries/{entry['id']}/reversal"
        province = auth(roles=["province_officer"], area_codes=[HAI_PHONG])
        assert_problem(await client.post(url, json={"reason": "x"}, headers=province), 403, "forbidden")
        ha_noi = auth(roles=["finance_officer"], area_codes=[HA_NOI])
        assert_problem(
            await client.post(url, json={"reason": "x"}, headers=ha_noi), 404, "journal_entry_not_found"
        )
        for bad in ({}, {"reason": ""}, {"reason": "x", "booked_on": "soon"}):
            assert_problem(await client.post(url, json=bad, headers=finance), 422, "validation_failed")
        found = await accounts(client, finance, source_id=source["id"])
        assert found["source_cash"]["balance_vnd"] == 1_000
        cash = found["source_cash"]["id"]
        one = await client.get(f"/v1/ledger/accounts/{cash}", headers=finance)
        assert (one.status_code, one.json()["balance_vnd"]) == (200, 1_000)
        other = auth(roles=["auditor"], area_codes=[HA_NOI])
        assert_problem(
            await client.get(f"/v1/ledger/accounts/{cash}", headers=other), 404, "ledger_account_not_found"
        )
        bank = auth(roles=["bank_integration"], area_codes=[HAI_PHONG])
        assert_problem(await client.get(f"/v1/ledger/accounts/{cash}", headers=bank), 403, "forbidden")
        assert_problem(
            await client.get("/v1/ledger/entries?cursor=bogus", headers=finance), 400, "invalid_cursor"
        )

"""Issue 10 item 4, races and repeats, on real PostgreSQL with committed, concurrent transactions.

- Duplicate VBSP loan events delivered concurrently are applied once.
- Every create that reads `Idempotency-Key` (from the OpenAPI): the same key and payload replays the
  first answer and changes nothing; the same key with another payload is a 422 and changes nothing.
- Every PATCH/PUT/DELETE, and every workflow action, that reads `If-Match` (from the OpenAPI): racing
  updates with one ETag give exactly one 2xx and 412s, the winner's change alone is stored; without
  `If-Match` a 428.

The operations come from each service's live OpenAPI, so a new one is swept the moment it is mounted;
the records they act on are seeded rows found through the service's own list endpoints (as the
authorization matrix does). An operation the generic sweep cannot drive gets an explicit body below
(`EXPLICIT_*`) or is listed, with the reason, in `LEFT_OUT` (and in docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from committed import FUNDING, SERVICES, Committed, committed_app, write_figure
from reliability_matrix import (
    COMMUNES,
    PROVINCE,
    ROLES,
    Operation,
    Service,
    example,
    openapi,
    operations,
    resolve,
)
from sqlalchemy import text

from servicekit.testing.tokens import TestIssuer

RACERS = 4  # concurrent updates with one ETag
LOAN_DELIVERIES = 20  # concurrent deliveries of one bank event
# Reads rows and drives operations: every role but `partner` (whose calls also need granted scopes).
DRIVER = {"roles": [r for r in ROLES if r != "partner"], "area_codes": [PROVINCE]}


# Operations the generic sweep cannot drive, with the reason (docs/reliability.md lists them too).
LEFT_OUT: dict[str, str] = {
    "support-cases-accept_support_case": "acceptance needs the works' before and after photos uploaded "
    "(multipart) on a completed case; no demo case is in that state",
    "housing-contracts-record_resale": "a resale is allowed only five years after full payment, and a "
    "unit is resold once; no demo contract qualifies",
    "inspection-cases-decide_sanction": "needs a violation recorded (a violation type, while in progress) "
    "on a concluded case; no demo case has one",
    "field-sync-resolve_sync_conflict": "conflicts arise only from an offline edit synced against a changed "
    "case; none are seeded",
    "allocation-rounds-draw_round": "a draw needs eligible, unallocated applications for the round's project "
    "and tenure: the demo's round has drawn them, and a new round for another project has none",
    "webhooks-replay_webhook_delivery": "needs a webhook delivery, which only the worker's dispatch of an "
    "event to a subscriber creates; the replay's key handling is servicekit's IdempotentRoute, swept on "
    "the other creates",
}


def _figure(line: str) -> None:
    write_figure(line)


@pytest.fixture(scope="module")
async def apps(pg_admin_url: str, test_issuer: TestIssuer) -> AsyncIterator[dict[str, Committed]]:
    found = {s.name: await committed_app(pg_admin_url, s, test_issuer) for s in SERVICES}
    yield found
    for committed in found.values():
        await committed.engine.dispose()


# ------------------------------------------------------------------------------ (a) VBSP loan events


def _loan_event(loan_ref: str, sequence: int, kind: str, amount: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": f"{loan_ref}-{sequence}",
        "loan_ref": loan_ref,
        "sequence": sequence,
        "occurred_at": "2025-11-20T10:00:00+07:00",
        "type": kind,
        "borrower_citizen_id": "031190004217",
        "purpose": "buy",
        "province_code": PROVINCE,
        "commune_code": COMMUNES[0],
        "contract_value_vnd": 1_000_000_000,
    }
    if amount is not None:
        body["amount_vnd"] = amount
    return body


async def test_duplicate_loan_events_delivered_concurrently_are_applied_once(
    apps: dict[str, Committed],
) -> None:
    funding = apps[FUNDING.name]
    bank = funding.auth(["bank_integration"], [PROVINCE], subject="vbsp-hai-phong", client_id="vbsp")
    loan_ref = f"REL-RACE-{uuid.uuid4().hex[:8]}"
    async for http in funding.client():
        # 1. The event that creates the loan, 20 deliveries at once under one Idempotency-Key (a client
        #    retrying a lost answer): one is processed, the others wait (409) and then get the replay.
        created = _loan_event(loan_ref, 1, "approved", 600_000_000)
        key = str(uuid.uuid4())

        async def retry_while_in_flight(
            body: dict[str, Any], key: str, http: httpx.AsyncClient = http
        ) -> httpx.Response:
            for _ in range(200):
                response = await http.post(
                    "/v1/loan-events", json=body, headers={**bank, "Idempotency-Key": key}
                )
                if response.status_code != 409:
                    return response
                await asyncio.sleep(0.02)
            raise AssertionError("still in flight after 4 s")

        first = await asyncio.gather(
            *(
                http.post("/v1/loan-events", json=created, headers={**bank, "Idempotency-Key": key})
                for _ in range(LOAN_DELIVERIES)
            )
        )
        assert {r.status_code for r in first} <= {201, 409}, [
            r.text for r in first if r.status_code not in (201, 409)
        ]
        fresh = [r for r in first if r.status_code == 201 and "idempotent-replayed" not in r.headers]
        assert len(fresh) == 1, [(r.status_code, dict(r.headers)) for r in first]
        settled = await asyncio.gather(*(retry_while_in_flight(created, key) for _ in range(LOAN_DELIVERIES)))
        assert {r.status_code for r in settled} == {201}
        assert {r.json()["id"] for r in settled} == {fresh[0].json()["id"]}
        assert all(r.headers.get("idempotent-replayed") == "true" for r in settled)

        # 2. A disbursement redelivered by the bank's queue 20 times at once, each under a new key: the
        #    event id decides; one delivery applies it, the other 19 answer 200 `applied: false`.
        disbursed = _loan_event(loan_ref, 2, "disbursed", 250_000_000)
        second = await asyncio.gather(
            *(retry_while_in_flight(disbursed, str(uuid.uuid4())) for _ in range(LOAN_DELIVERIES))
        )
        assert sorted(r.status_code for r in second) == [200] * (LOAN_DELIVERIES - 1) + [201], [
            r.text for r in second if r.status_code not in (200, 201)
        ]
        assert sum(r.json()["applied"] for r in second) == 1
        assert len({r.json()["id"] for r in second}) == 1

    async with funding.sessionmaker() as session:
        loan = (
            await session.execute(
                text(
                    "SELECT id, status, approved_amount_vnd, disbursed_vnd, outstanding_vnd, events_applied"
                    " FROM loan WHERE bank_loan_ref = :ref"
                ),
                {"ref": loan_ref},
            )
        ).one()
        events = (
            await session.execute(
                text("SELECT count(*) FROM loan_event WHERE loan_id = :id"), {"id": loan.id}
            )
        ).scalar_one()
        published = (
            await session.execute(
                text(
                    "SELECT count(*) FROM outbox_event WHERE type = 'loan.event_applied' AND subject LIKE :s"
                ),
                {"s": f"%{loan.id}"},
            )
        ).scalar_one()
        keys = (
            await session.execute(
                text(
                    "SELECT count(*), count(*) FILTER (WHERE status = 'completed') FROM idempotency_record"
                    " WHERE path = '/v1/loan-events' AND owner LIKE 'vbsp:%'"
                    " AND created_at > now() - interval '1 hour'"
                )
            )
        ).one()
    # One loan state: each event counted once, the balance moved once.
    assert (loan.status, loan.approved_amount_vnd, loan.disbursed_vnd, loan.outstanding_vnd) == (
        "active",
        600_000_000,
        250_000_000,
        250_000_000,
    )
    assert (loan.events_applied, events, published) == (2, 2, 2)
    assert keys[0] == keys[1]  # every stored answer completed, none left in flight
    _figure(f"races loan-events deliveries={2 * LOAN_DELIVERIES} applied=2")


# ------------------------------------------------------------------------------ (b) Idempotency-Key


def _header_params(op: Operation) -> dict[str, bool]:
    return {
        str(p["name"]).lower(): bool(p.get("required"))
        for p in op.op.get("parameters", [])
        if p.get("in") == "header"
    }


def idempotent_creates(service: Service) -> list[Operation]:
    return [o for o in operations(service) if o.method == "post" and "idempotency-key" in _header_params(o)]


def if_match_operations(service: Service) -> list[Operation]:
    return [o for o in operations(service) if "if-match" in _header_params(o)]


async def table_fingerprint(committed: Committed) -> dict[str, str]:
    """A digest of every table's rows (platform tables included, quota counters aside): any insert,
    update or delete shows."""
    async with committed.sessionmaker() as session:
        names = (
            await session.execute(
                text(
                    # Quota windows count every request, a replay and a refusal included (by design).
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    " AND tablename <> 'alembic_version' AND tablename NOT LIKE '%quota%'"
                )
            )
        ).scalars()
        digests = {}
        for name in sorted(names):
            # A table name read from pg_tables, quoted: not user input.
            digest = f"SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM \"{name}\" t"  # noqa: S608, E501
            digests[name] = (await session.execute(text(digest))).scalar_one()
    return digests


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


# ------------------------------------------------------------------------------ driving an operation

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Text fields to vary first: free text is the least likely to trip a business rule.
PREFERRED_TEXT = ("note", "description", "summary", "title", "name", "address", "hamlet", "issuer", "reason")
# Rows found per collection (all roles, the demo province): candidates for each operation.
CANDIDATES = 6
# Workflow actions need a row in the right state: more rows are tried.
ACTION_CANDIDATES = 20


@dataclass
class Context:
    committed: Committed
    http: httpx.AsyncClient
    headers: dict[str, str]
    rows: dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module")
async def contexts(apps: dict[str, Committed]) -> AsyncIterator[dict[str, Context]]:
    """A client per service on its committed app, with the rows found so far (kept across tests)."""
    async with contextlib.AsyncExitStack() as stack:
        found = {}
        for name, committed in apps.items():
            transport = httpx.ASGITransport(app=committed.app, raise_app_exceptions=False)  # type: ignore[arg-type]
            http = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60)
            )
            found[name] = Context(committed, http, committed.auth(**DRIVER), {})
        yield found


async def headers_for(context: Context, op: Operation, path: str | None = None) -> dict[str, str]:
    """A caller the operation admits (partners left out: they need scopes the drivers do not model),
    acting as the inspector a case is assigned to where the record names one."""
    roles = sorted((op.roles or frozenset(ROLES)) - {"partner"}) or ["partner"]
    claims: dict[str, Any] = {}
    if path is not None and op.path_params:
        first = "/".join(path.split("/")[: op.path.split("/").index("{" + op.path_params[0] + "}") + 1])
        row = (await context.http.get(first, headers=context.headers)).json()
        if isinstance(row, dict) and row.get("assigned_inspector"):
            claims["subject"] = row["assigned_inspector"]
    return context.committed.auth(roles, [PROVINCE], **claims)


def _words(n: int, length: int = 6) -> str:
    return "".join(LETTERS[(n * 7 + i * 3) % 26] for i in range(length))


async def list_rows(ctx: Context, collection: str) -> list[dict[str, Any]]:
    """Rows of a collection, preferring the demo communes' and province's (as the matrix picks)."""
    if collection not in ctx.rows:
        response = await ctx.http.get(collection, params={"limit": 100}, headers=ctx.headers)
        items: list[Any] = []
        if response.status_code == 200:
            body = response.json()
            items = body.get("items", []) if isinstance(body, dict) else body
        rows = [i for i in items if isinstance(i, dict)]
        rows.sort(key=lambda r: (r.get("commune_code") not in COMMUNES, r.get("province_code") != PROVINCE))
        ctx.rows[collection] = rows
    return ctx.rows[collection]


def _id(row: dict[str, Any], param: str) -> str | None:
    for key in (param, "id", "code", param.removesuffix("_id")):
        value = row.get(key)
        if isinstance(value, str | int):
            return str(value)
    return None


def _response_ref(op: Operation) -> str | None:
    """The schema name of the operation's 2xx JSON answer (the type of the record it acts on)."""
    for status, answer in op.op.get("responses", {}).items():
        if status.startswith("2"):
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                return str(schema["$ref"]).rsplit("/", 1)[-1]
    return None


async def rows_of_type(ctx: Context, service: Service, name: str, depth: int = 0) -> list[dict[str, Any]]:
    """Rows of schema `name` from any list that serves them (e.g. a household's dwellings, when there
    is no `/v1/dwellings` list), its own path ids filled from seeded rows in turn."""
    found: list[dict[str, Any]] = []
    for lister in operations(service):
        answer = lister.op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        items = resolve(answer.get("schema", {}), service).get("properties", {}).get("items", {})
        if lister.method != "get" or items.get("items", {}).get("$ref", "").rsplit("/", 1)[-1] != name:
            continue
        paths = (
            [lister.path]
            if not lister.path_params
            else await candidate_paths(ctx, service, lister, depth + 1)
        )
        for path in paths[:3]:
            found += await list_rows(ctx, path)
        if found:
            break
    return found


async def candidate_paths(ctx: Context, service: Service, op: Operation, depth: int = 0) -> list[str]:
    """Real paths for the operation: each path id taken from seeded rows of its collection (or, where
    the collection has no list, rows of the record type the operation answers with)."""
    limit = CANDIDATES if op.method != "post" else ACTION_CANDIDATES
    paths = [op.path]
    for param in op.path_params:
        marker = "{" + param + "}"
        expanded = []
        for path in paths:
            if param == "commune_code":  # a commune of a campaign: the demo communes
                expanded += [path.replace(marker, code, 1) for code in COMMUNES]
                continue
            collection = path.split(marker)[0].rstrip("/")
            template = op.path.split(marker)[0].rstrip("/")
            rows = (
                await list_rows(ctx, collection)
                if "get" in openapi(service)["paths"].get(template, {})
                else []
            )
            if not rows and param == op.path_params[0] and depth < 2:
                ref = _response_ref(op)
                rows = await rows_of_type(ctx, service, ref, depth) if ref else []
            if not rows and "post" in openapi(service)["paths"].get(template, {}):
                created = await create_row(ctx, service, collection)
                rows = [created] if created else []
            ids = [i for i in (_id(r, param) for r in rows) if i]
            # The first path id varies most (its row's state decides); deeper ones take the first row.
            chosen = ids[:limit] if param == op.path_params[0] else ids[:1]
            expanded += [path.replace(marker, i, 1) for i in chosen]
        paths = expanded
    return paths[:limit]


async def create_row(ctx: Context, service: Service, collection: str) -> dict[str, Any] | None:
    """A row for a collection the seeds leave empty, made through its own create."""
    template = next(
        (
            p
            for p in openapi(service)["paths"]
            if re.sub(r"{[^}]+}", "x", p) == re.sub(r"[0-9a-f-]{36}", "x", collection)
        ),
        collection,
    )
    create = next((o for o in operations(service) if o.method == "post" and o.path == template), None)
    if create is None:
        return None
    body = await create_body(ctx, service, create, 0)
    response = await ctx.http.post(
        collection, json=body, headers={**ctx.headers, "Idempotency-Key": str(uuid.uuid4())}
    )
    if response.status_code != 201:
        return None
    ctx.rows.pop(collection, None)
    created: dict[str, Any] = response.json()
    return created


async def related_id(ctx: Context, service: Service, key: str) -> str | None:
    """A real id for a reference field (`project_id` -> a row of a top-level list named like it)."""
    stem = key.removesuffix("_id").split("_")[-1]
    for path, item in openapi(service)["paths"].items():
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if "get" in item and "{" not in path and stem in last.replace("-", "_"):
            rows = await list_rows(ctx, path)
            value = _id(rows[0], "id") if rows else None
            if value is not None:
                return value
    return None


def _text(schema: dict[str, Any], n: int) -> str:
    low, high = int(schema.get("minLength", 1)), int(schema.get("maxLength", 40))
    value = f"Rel {_words(n)} {_words(n + 1, 4)}"
    return (value + "x" * max(0, low - len(value)))[: max(high, 1)]


async def create_body(ctx: Context, service: Service, op: Operation, n: int) -> dict[str, Any] | None:
    """A valid-looking body: the schema's own example, ids of real rows, explicit overrides."""
    schema = op.json_body_schema
    if schema is None:
        return None
    body = example(schema, service)
    if not isinstance(body, dict):
        return body  # type: ignore[no-any-return]
    props = resolve(schema, service).get("properties", {})
    for key, sub in props.items():
        if key not in body:
            continue
        field_schema = _scalar(resolve(sub, service), service)
        if field_schema.get("format") == "uuid" and key.endswith("_id"):
            related = await related_id(ctx, service, key)
            if related is not None:
                body[key] = related
        elif field_schema.get("examples") and ({"pattern", "format"} & set(field_schema)):
            body[key] = field_schema["examples"][0]  # the schema's own example passes its pattern
        elif (
            isinstance(body[key], str)
            and field_schema.get("type") == "string"
            and not ({"format", "enum", "pattern"} & set(field_schema))
        ):
            body[key] = _text(field_schema, n)
    override = EXPLICIT_BODIES.get(op.operation_id)
    if override is not None:
        body.update(await override(ctx, n))
    return body


def _matches(path: str, template: str) -> bool:
    """Whether a concrete path is an instance of an OpenAPI path template (segment by segment)."""
    concrete, pattern = path.strip("/").split("/"), template.strip("/").split("/")
    return len(concrete) == len(pattern) and all(
        t == c or (t.startswith("{") and t.endswith("}")) for c, t in zip(concrete, pattern, strict=True)
    )


async def current_etag(ctx: Context, service: Service, path: str) -> str:
    """The ETag an update of `path` must carry: read from `path`, or from the nearest item above it."""
    gets = [p for p, item in openapi(service)["paths"].items() if "get" in item]
    if not any(_matches(path, g) for g in gets) and any(_matches(path, p) for p in openapi(service)["paths"]):
        found = await version_etag(ctx, path)
        if found is not None:
            return found
    parts = path.split("/")
    for end in range(len(parts), 2, -1):
        candidate = "/".join(parts[:end])
        if not any(_matches(candidate, g) for g in gets):
            continue
        response = await ctx.http.get(candidate, headers=ctx.headers)
        if response.status_code == 200 and "etag" in response.headers:
            return response.headers["etag"]
    raise AssertionError(f"no ETag found for {path}")


async def version_etag(ctx: Context, path: str) -> str | None:
    """For an item with no GET of its own (a case's finding): the version of its row in the list."""
    collection, _, item_id = path.rpartition("/")
    response = await ctx.http.get(collection, params={"limit": 100}, headers=ctx.headers)
    if response.status_code != 200:
        return None
    body = response.json()
    items = body.get("items", []) if isinstance(body, dict) else body
    row = next((r for r in items if isinstance(r, dict) and str(r.get("id")) == item_id), None)
    return f'W/"{row["version"]}"' if row and isinstance(row.get("version"), int) else None


def _scalar(schema: dict[str, Any], service: Service) -> dict[str, Any]:
    """The non-null branch of an optional field's schema."""
    for branch in schema.get("anyOf", []):
        resolved = resolve(branch, service)
        if resolved.get("type") != "null":
            return resolved
    return schema


async def _first_id(ctx: Context, collection: str) -> str:
    rows = await list_rows(ctx, collection)
    assert rows, f"no row in {collection} to refer to"
    value = _id(rows[0], "id")
    assert value is not None
    return value


async def _receipt(ctx: Context, n: int) -> dict[str, Any]:
    return {
        "source_id": await _first_id(ctx, "/v1/funding-sources"),
        "amount_vnd": 1_000_000 + n,
        "received_on": "2026-01-15",
    }


async def _allocation(ctx: Context, n: int) -> dict[str, Any]:
    return {
        "source_id": await _first_id(ctx, "/v1/funding-sources"),
        "target_kind": "programme",
        "programme": f"rel_programme_{_words(n)}",
        "amount_vnd": 1_000 + n,
        "decision_number": f"{n + 1}/QĐ-UBND",
        "decision_date": "2026-01-15",
    }


async def _loan(ctx: Context, n: int) -> dict[str, Any]:
    return _loan_event(f"REL-IDEM-{uuid.uuid4().hex[:8]}", 1, "approved", 500_000_000 + n)


async def _confirmation(ctx: Context, n: int) -> dict[str, Any]:
    return {"citizen_id": f"03119000{4217 + n:04d}", "purpose": "loan"}


async def _reconciliation(ctx: Context, n: int) -> dict[str, Any]:
    return {
        "province_code": PROVINCE,
        "as_of": f"2026-01-{15 + n % 10:02d}",
        "loan_count": n,
        "outstanding_vnd": 0,
        "disbursed_vnd": 0,
        "loans": [],
    }


async def _disbursement(ctx: Context, n: int) -> dict[str, Any]:
    return {"amount_vnd": 1 + n, "disbursed_on": "2026-01-16", "reference": f"REL-{_words(n)}"}


async def _report(ctx: Context, n: int) -> dict[str, Any]:
    return {
        "period_start": f"2025-{1 + n % 12:02d}-01",
        "period_end": f"2025-{1 + n % 12:02d}-28",
        "lent_vnd": 0,
        "borrowers": 0,
        "outstanding_vnd": 0,
        "repaid_vnd": 0,
        "returned_vnd": 0,
    }


async def _unit_resolution(ctx: Context, n: int) -> dict[str, Any]:
    """A record under a legacy commune that was split (only those are queued)."""
    async with ctx.committed.sessionmaker() as session:
        split = (
            await session.execute(
                text(
                    "SELECT m.legacy_code FROM admin_unit_mapping m JOIN admin_unit u"
                    " ON u.code = m.new_code AND u.level = 'commune' AND u.scheme = '2025'"
                    " WHERE m.legacy_level = 'commune' AND u.province_code = :province"
                    " GROUP BY m.legacy_code HAVING count(DISTINCT m.new_code) > 1 ORDER BY 1 LIMIT 1"
                ),
                {"province": PROVINCE},
            )
        ).scalar_one()
    return {"legacy_area_code": split, "resource_id": str(uuid.uuid4())}


async def _subscription(ctx: Context, n: int) -> dict[str, Any]:
    """A receiver on the loopback (plain http is allowed there by default) for the first event type."""
    admin = ctx.committed.auth(["administrator"], [PROVINCE])
    types = (await ctx.http.get("/v1/webhooks/event-types", headers=admin)).json()
    first = types["event_types"][0] if isinstance(types, dict) else types[0]
    name = first if isinstance(first, str) else first["type"]
    return {"url": f"http://127.0.0.1:9/rel-hook-{_words(n)}", "event_types": [name]}


def citizen_id(birth_year: int, female: bool) -> str:
    """A fresh, well-formed citizen ID (digit 4: century and gender; digits 5-6: the birth year)."""
    digit = (birth_year - 1900) // 100 * 2 + (1 if female else 0)
    return f"031{digit}{birth_year % 100:02d}{uuid.uuid4().int % 10**6:06d}"


async def _household(ctx: Context, n: int) -> dict[str, Any]:
    head = {
        "full_name": "Nguyễn Văn Rel",
        "date_of_birth": "1978-03-04",
        "gender": "male",
        "citizen_id": citizen_id(1978, female=False),
    }
    return {"commune_code": COMMUNES[0], "address": f"Số {n + 1} đường Rel", "head": head, "members": []}


async def _reversal(ctx: Context, n: int) -> dict[str, Any]:
    return {"reason": f"Rel reversal {_words(n)}"}


Factory = Any  # (Context, n) -> awaitable body overrides
# Creates whose generic body cannot pass the service's rules: the fields they need.
EXPLICIT_BODIES: dict[str, Factory] = {
    "unit-resolutions-queue_unit_resolution": _unit_resolution,
    "eligibility-confirmations-create_eligibility_confirmation": _confirmation,
    "ledger-record_receipt": _receipt,
    "ledger-reverse_journal_entry": _reversal,
    "allocations-create_allocation": _allocation,
    "allocations-record_disbursement": _disbursement,
    "vbsp-entrustments-submit_utilisation_report": _report,
    "loan-events-post_loan_event": _loan,
    "loan-reconciliations-post_loan_reconciliation": _reconciliation,
    "webhooks-create_webhook_subscription": _subscription,
    "households-create_household": _household,
}


def _other_payload(body: Any) -> Any:
    """The same request with one value changed (another payload under the same key)."""
    if isinstance(body, dict) and body:
        for key, value in body.items():
            if isinstance(value, int) and not isinstance(value, bool):
                return {**body, key: value + 1}
        for key, value in body.items():
            if isinstance(value, str):
                return {**body, key: value[:-1] + ("b" if value[-1:] != "b" else "c")}
        return {**body, next(iter(body)): None}
    return {"zz": 1} if body is None else body


def sweep_ids(pick: Any) -> tuple[list[tuple[Service, Operation]], list[str]]:
    cases = [(s, o) for s in SERVICES for o in pick(s)]
    return cases, [f"{s.name}:{o.operation_id}" for s, o in cases]


IDEMPOTENT, IDEMPOTENT_IDS = sweep_ids(idempotent_creates)


@pytest.mark.parametrize(("service", "op"), IDEMPOTENT, ids=IDEMPOTENT_IDS)
async def test_idempotency_key_replays_or_refuses_and_changes_nothing(
    service: Service, op: Operation, contexts: dict[str, Context]
) -> None:
    if op.operation_id in LEFT_OUT:
        pytest.skip(LEFT_OUT[op.operation_id])
    context = contexts[service.name]
    http, headers = context.http, await headers_for(context, op)
    paths = await candidate_paths(context, service, op) if op.path_params else [op.path]
    if not paths:
        pytest.fail(f"{op.operation_id}: no record to act on (no seeded row, no create): list it in LEFT_OUT")
    attempts = []
    for n, path in enumerate(paths):
        body = await create_body(context, service, op, n)
        keyed = {**headers, "Idempotency-Key": str(uuid.uuid4())}
        if "if-match" in _header_params(op):
            keyed["If-Match"] = await current_etag(context, service, path)
        first = (
            await http.post(path, json=body, headers=keyed)
            if body is not None
            else await http.post(path, headers=keyed)
        )
        attempts.append(f"{path}: {first.status_code} {first.text[:300]}")
        if 200 <= first.status_code < 300:
            break
    else:
        pytest.fail(
            f"{op.operation_id}: no request succeeded, add an EXPLICIT_BODIES entry:\n" + "\n".join(attempts)
        )
    stored = await table_fingerprint(context.committed)
    # The same key and payload: the first answer again, nothing done twice.
    again = await (
        http.post(path, json=body, headers=keyed) if body is not None else http.post(path, headers=keyed)
    )
    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers.get("idempotent-replayed") == "true"
    assert _changed(stored, await table_fingerprint(context.committed)) == []
    # The same key with another payload: refused, nothing done.
    if body is not None:
        other = await http.post(path, json=_other_payload(body), headers=keyed)
        assert other.status_code == 422, other.text
        assert other.headers["content-type"].startswith("application/problem+json")
        assert other.json()["code"] == "idempotency_key_reused"
        assert _changed(stored, await table_fingerprint(context.committed)) == []
    _figure(f"races idempotency {service.name} {op.operation_id} {'body' if body is not None else 'no-body'}")


# ------------------------------------------------------------------------------ (c) If-Match races

MAX_TRIES = 24  # (row, body) combinations tried per operation before giving up


def _variants(key: str, schema: dict[str, Any], current: Any, n: int) -> list[Any] | None:
    """RACERS distinct values for one field, each different from the current one (None: not varied)."""
    kind, fmt = schema.get("type"), schema.get("format")
    if "enum" in schema:
        others = [v for v in schema["enum"] if v != current]
        return [others[i % len(others)] for i in range(RACERS)] if len(others) >= RACERS else None
    if kind == "string" and fmt == "date":
        base = (
            datetime.fromisoformat(current).date()
            if isinstance(current, str)
            else datetime(2026, 1, 15, tzinfo=UTC).date()
        )
        return [(base.replace(day=1 + (base.day + i) % 27)).isoformat() for i in range(RACERS)]
    if kind == "string" and not ({"format", "pattern"} & set(schema)):
        return [_text(schema, n * RACERS + i + uuid.uuid4().int % 1000) for i in range(RACERS)]
    if kind == "integer":
        low = int(schema.get("minimum", 0))
        high = int(schema.get("maximum", 2**31))
        start = (current if isinstance(current, int) else low) + 1
        values = [start + i for i in range(RACERS)]
        return values if values[-1] <= high else [high - i - 1 for i in range(RACERS)]
    return None


def _rank(key: str, schema: dict[str, Any]) -> int:
    if (
        any(word in key for word in PREFERRED_TEXT)
        and schema.get("type") == "string"
        and "format" not in schema
    ):
        return 0
    if schema.get("type") == "string" and not ({"format", "pattern", "enum"} & set(schema)):
        return 1
    if schema.get("type") == "integer":
        return 2
    if schema.get("format") == "date":
        return 3
    return 4


async def race_bodies(
    ctx: Context, service: Service, op: Operation, path: str, n: int
) -> list[tuple[str | None, list[Any]]]:
    """Candidate groups of RACERS bodies: (the varied field, the bodies). Updates vary one field to a
    different value per racer (the lost update); actions and deletes send the same request."""
    schema = op.json_body_schema
    if op.method == "delete" or schema is None:
        return [(None, [None] * RACERS)]
    base = await create_body(ctx, service, op, n)
    if op.method == "post":
        explicit = ACTION_BODIES.get(op.operation_id)
        overrides = await explicit(ctx, path) if explicit is not None else [{}]
        return [(None, [{**(base or {}), **extra}] * RACERS) for extra in overrides]
    current: dict[str, Any] = {}
    response = await ctx.http.get(path, headers=ctx.headers)
    if response.status_code == 200 and isinstance(response.json(), dict):
        current = response.json()
    explicit_update = EXPLICIT_UPDATES.get(op.operation_id)
    if explicit_update is not None:
        return await explicit_update(ctx, path, n)  # type: ignore[no-any-return]
    props = {
        k: _scalar(resolve(v, service), service)
        for k, v in resolve(schema, service).get("properties", {}).items()
    }
    if op.method == "put":
        # A replacement: today's values where the representation has them, the example's otherwise.
        base = {**(base or {}), **{k: current[k] for k in props if current.get(k) is not None}}
    groups = []
    for key in sorted(props, key=lambda k: (_rank(k, props[k]), k)):
        values = _variants(key, props[key], current.get(key), n)
        if values is not None:
            groups.append((key, [{**(base or {}), key: value} for value in values]))
    return groups[:3]


async def _send(ctx: Context, op: Operation, path: str, body: Any, headers: dict[str, str]) -> httpx.Response:
    if body is None:
        return await ctx.http.request(op.method.upper(), path, headers=headers)
    return await ctx.http.request(op.method.upper(), path, json=body, headers=headers)


async def _get(ctx: Context, path: str) -> dict[str, Any]:
    response = await ctx.http.get(path, headers=ctx.headers)
    return response.json() if response.status_code == 200 else {}  # type: ignore[no-any-return]


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0]


async def _resolve_unit(ctx: Context, path: str) -> list[dict[str, Any]]:
    codes = (await _get(ctx, _parent(path))).get("candidate_codes") or []
    return [{"commune_code": code} for code in codes[:1]]


async def _change_head(ctx: Context, path: str) -> list[dict[str, Any]]:
    members = (await _get(ctx, _parent(path))).get("members") or []
    others = [m for m in members if m.get("relationship") != "head"]
    return [
        {"person_id": m.get("person_id") or m.get("id"), "previous_head_relationship": "spouse"}
        for m in others[:1]
    ]


async def _move(ctx: Context, path: str) -> list[dict[str, Any]]:
    person = await _get(ctx, _parent(path))
    households = await list_rows(ctx, "/v1/households")
    target = next(
        (
            h
            for h in households
            if h.get("commune_code") == person.get("commune_code") and h["id"] != person.get("household_id")
        ),
        None,
    )
    return [{"household_id": target["id"], "relationship": "child"}] if target else []


async def _milestone(ctx: Context, path: str) -> list[dict[str, Any]]:
    project = await _get(ctx, _parent(path))
    order = ("approved", "started", "completed", "handed_over")
    missing = [m for m in order if not project.get(f"{m}_on")]
    return [{"milestone": m, "on": datetime.now(UTC).date().isoformat()} for m in missing[:1]]


async def _duplicate(ctx: Context, path: str) -> list[dict[str, Any]]:
    return [{"decision": "keep_separate", "reason": "Rel: checked, two people"}]


async def _full_payment(ctx: Context, path: str) -> list[dict[str, Any]]:
    return [{"on": datetime.now(UTC).date().isoformat()}]


NEXT_STAGE = {
    "reserved_in_plan": "infrastructure_built",
    "infrastructure_built": "cleared",
    "cleared": "investor_assigned",
    "investor_assigned": "started",
    "awaiting_payment": "paid",
}


async def _next_stage(ctx: Context, path: str) -> list[dict[str, Any]]:
    status = (await _get(ctx, _parent(path))).get("status")
    stage = NEXT_STAGE.get(str(status))
    return [{"status": stage, "on": datetime.now(UTC).date().isoformat()}] if stage else []


async def _conclude(ctx: Context, path: str) -> list[dict[str, Any]]:
    return [{"conclusion": "Rel: no violation found", "concluded_on": datetime.now(UTC).date().isoformat()}]


async def _recheck(ctx: Context, path: str) -> list[dict[str, Any]]:
    due = datetime.now(UTC).date().replace(year=datetime.now(UTC).year + 1)
    return [{"due_on": due.isoformat(), "title": "Rel: re-check"}]


async def _close(ctx: Context, path: str) -> list[dict[str, Any]]:
    return [{"note": "Rel: closed by the reliability suite"}]


async def _today(ctx: Context, path: str) -> list[dict[str, Any]]:
    return [{"on": datetime.now(UTC).date().isoformat()}]


async def _checklist_items(ctx: Context, path: str, n: int) -> list[tuple[str | None, list[Any]]]:
    """A checklist version's items with the first item's text changed (a different text per racer)."""
    items = (await _get(ctx, path)).get("items") or []
    if not items:
        return []
    keep = [{k: item.get(k) for k in ("key", "text", "legal_basis")} for item in items]
    bodies = [
        {"items": [{**keep[0], "text": f"Rel {_words(n * RACERS + i)}"}, *keep[1:]]} for i in range(RACERS)
    ]
    return [("items", bodies)]


# Updates whose body the schema alone cannot give (a whole list replaced): the racers' bodies.
EXPLICIT_UPDATES: dict[str, Any] = {
    "checklists-replace_checklist_template_version_items": _checklist_items,
}


# Workflow actions whose body depends on the record: candidate bodies (each tried in turn).
ACTION_BODIES: dict[str, Any] = {
    "unit-resolutions-resolve_unit_resolution": _resolve_unit,
    "households-change_household_head": _change_head,
    "persons-move_person": _move,
    "housing-projects-record_housing_project_milestone": _milestone,
    "duplicate-persons-decide_duplicate_candidate": _duplicate,
    "housing-contracts-record_full_payment": _full_payment,
    "support-cases-approve_support_case": _today,
    "support-cases-start_support_case": _today,
    "support-cases-complete_support_case": _today,
    "support-cases-accept_support_case": _today,
    "applications-submit_application": _today,
    "applications-assess_application": _today,
    "applications-allocate_application": _today,
    "allocation-rounds-draw_round": _today,
    "land-reserves-advance_land_reserve_obligation": _next_stage,
    "inspection-cases-conclude_inspection_case": _conclude,
    "inspection-cases-close_inspection_case": _close,
    "inspection-cases-schedule_recheck": _recheck,
}


async def _with_fresh(ctx: Context, service: Service, op: Operation, paths: list[str]) -> AsyncIterator[str]:
    """The seeded rows' paths, then (when none of them could take the operation) a fresh record's."""
    for path in paths:
        yield path
    maker = FRESH.get(op.operation_id)
    fresh = await maker(ctx) if maker is not None else await fresh_record(ctx, service, op)
    if fresh is not None and len(op.path_params) == 1:
        yield op.path.replace("{" + op.path_params[0] + "}", fresh)


async def fresh_record(ctx: Context, service: Service, op: Operation) -> str | None:
    """A new record of the type the operation answers with, made by its create (in its first state)."""
    ref = _response_ref(op)
    for creator in operations(service):
        answer = creator.op.get("responses", {}).get("201", {}).get("content", {}).get("application/json", {})
        if creator.method != "post" or answer.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1] != ref:
            continue
        targets = await candidate_paths(ctx, service, creator) if creator.path_params else [creator.path]
        for target in targets[:2]:
            body = await create_body(ctx, service, creator, 99)
            headers = {**(await headers_for(ctx, creator)), "Idempotency-Key": str(uuid.uuid4())}
            created = await ctx.http.post(target, json=body, headers=headers)
            if created.status_code == 201 and isinstance(created.json().get("id"), str):
                return str(created.json()["id"])
    return None


async def _open_loan_exception(ctx: Context) -> str | None:
    """A loan exception opened by a bank event whose rate differs from the table's (rate_mismatch)."""
    bank = ctx.committed.auth(["bank_integration"], [PROVINCE], client_id="vbsp")
    event = {**_loan_event(f"REL-EXC-{uuid.uuid4().hex[:8]}", 1, "disbursed", 100_000_000), "rate_bp": 1}
    response = await ctx.http.post(
        "/v1/loan-events", json=event, headers={**bank, "Idempotency-Key": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.text
    listed = await ctx.http.get(
        "/v1/loan-exceptions", params={"status": "open", "limit": 100}, headers=ctx.headers
    )
    rows = [r for r in listed.json().get("items", []) if r.get("loan_id") == response.json()["loan_id"]]
    return str(rows[0]["id"]) if rows else None


# Records the seeds leave in no usable state and no create makes: how to make one.
FRESH: dict[str, Any] = {
    "loan-exceptions-resolve_loan_exception": _open_loan_exception,
    "loan-exceptions-dismiss_loan_exception": _open_loan_exception,
}


def _updates_first(service: Service) -> list[Operation]:
    """PATCH/PUT/DELETE before workflow actions: an action may close the record an update needs open."""
    return sorted(if_match_operations(service), key=lambda o: o.method == "post")


IF_MATCH, IF_MATCH_IDS = sweep_ids(_updates_first)


@pytest.mark.parametrize(("service", "op"), IF_MATCH, ids=IF_MATCH_IDS)
async def test_racing_updates_with_one_etag_give_one_success(
    service: Service, op: Operation, contexts: dict[str, Context]
) -> None:
    if op.operation_id in LEFT_OUT:
        pytest.skip(LEFT_OUT[op.operation_id])
    context = contexts[service.name]
    paths = await candidate_paths(context, service, op)
    if not paths:
        pytest.fail(f"{op.operation_id}: no record to act on (no seeded row, no create): list it in LEFT_OUT")
    tried: list[str] = []
    n = -1
    async for path in _with_fresh(context, service, op, paths):
        n += 1
        headers = await headers_for(context, op, path)
        for field_name, bodies in await race_bodies(context, service, op, path, n):
            if len(tried) >= MAX_TRIES:
                break
            extra = {"Idempotency-Key": str(uuid.uuid4())} if "idempotency-key" in _header_params(op) else {}
            # Without If-Match: 428, whatever the body, before anything is read or written.
            missing = await _send(context, op, path, bodies[0], {**headers, **extra})
            assert missing.status_code == 428, (
                f"{op.method.upper()} {path} without If-Match: {missing.status_code} {missing.text}"
            )
            assert missing.json()["code"] == "precondition_required"
            etag = await current_etag(context, service, path)
            responses = await asyncio.gather(
                *(
                    _send(
                        context,
                        op,
                        path,
                        body,
                        {
                            **headers,
                            "If-Match": etag,
                            **({"Idempotency-Key": str(uuid.uuid4())} if extra else {}),
                        },
                    )
                    for body in bodies
                )
            )
            statuses = [r.status_code for r in responses]
            winners = [i for i, r in enumerate(responses) if 200 <= r.status_code < 300]
            if not winners:
                refusal = next((r for r in responses if r.status_code != 412), responses[0])
                assert any(s != 412 for s in statuses), f"{path}: every racer got 412 with the ETag just read"
                tried.append(f"{path} [{field_name}] {statuses}: {refusal.text[:700]}")
                continue
            where = f"{op.method.upper()} {path} [{field_name}] x{RACERS} with {etag}: {statuses}"
            assert len(winners) == 1, f"{where}: more than one racer succeeded (a lost update)"
            losers = [r for i, r in enumerate(responses) if i not in winners]
            # A deleted record has no representation left: its other deleters get 412 or 404. Workflow
            # actions check the ETag before the step, so a stale racer learns it acted on an old version.
            refused = (412, 404) if op.method == "delete" else (412,)
            assert all(r.status_code in refused for r in losers), f"{where}: " + " | ".join(
                r.text[:200] for r in losers
            )
            assert all(r.status_code != 412 or r.json()["code"] == "precondition_failed" for r in losers)
            if op.method == "delete":
                context.rows.clear()  # the deleted row must not be offered to later operations
            # The ETag moved on, the stale one is refused, and the winner's value alone is stored.
            if op.method != "delete":
                assert await current_etag(context, service, path) != etag, f"{where}: the ETag did not change"
            stale = await _send(context, op, path, bodies[0], {**headers, "If-Match": etag, **extra})
            assert stale.status_code in ((412, 404) if op.method == "delete" else refused), stale.text
            if field_name is not None:
                stored = await context.http.get(path, headers=context.headers)
                if stored.status_code == 200 and field_name in stored.json():
                    expected = bodies[winners[0]][field_name]
                    assert str(stored.json()[field_name]) == str(expected), (
                        f"{where}: stored {stored.json()[field_name]!r}"
                    )
            # Losers stopped by the row's own version at write time overlapped the winner's transaction.
            at_write = sum("same moment" in r.text for r in losers)
            _figure(
                f"races if-match {service.name} {op.operation_id} racers={RACERS} tries={len(tried) + 1}"
                f" refused_at_write={at_write} refused_at_check={len(losers) - at_write}"
            )
            return
    pytest.fail(
        f"{op.operation_id}: no race could run (every attempt was refused): add an EXPLICIT_BODIES entry or"
        " list it in LEFT_OUT with the reason:\n" + "\n".join(tried)
    )


@pytest.mark.parametrize(("service", "op"), IF_MATCH, ids=IF_MATCH_IDS)
async def test_an_update_without_if_match_is_428(
    service: Service, op: Operation, contexts: dict[str, Context]
) -> None:
    """Every operation that reads If-Match refuses a request without it (left-out ones included),
    before it reads or writes anything: on an id that does not even exist."""
    context = contexts[service.name]
    path = re.sub(r"{([^}]+)}", lambda m: COMMUNES[0] if "code" in m.group(1) else str(uuid.uuid4()), op.path)
    headers = {**(await headers_for(context, op)), "Idempotency-Key": str(uuid.uuid4())}
    body = await create_body(context, service, op, 0)
    response = await _send(context, op, path, body, headers)
    assert response.status_code == 428, f"{op.method.upper()} {path}: {response.status_code} {response.text}"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "precondition_required"

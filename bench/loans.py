"""VBSP loan event ingestion: funding-api's `POST /v1/loan-events` (idempotent, derived, checked) vs a
bare insert of the same rows.

funding-api runs as its own uvicorn process on a migrated and seeded database (`bench_loans_funding`);
the bank's client posts loan events over a few thousand loans (application, approval, tranches,
repayments, some overdue) at a fixed concurrency, with a token as the dev issuer's `vbsp-loan-system`
client gets one (role `bank_integration`, scopes `loans:events:write eligibility:request`, the
province). A tenth of the events is delivered again: half as a retry of the same delivery (same
`Idempotency-Key`: the stored answer is replayed), half as the bank sending the event again (a new key:
the event id is known, `applied: false`). The first event of a loan makes funding-api ask registry-api
to confirm the borrower's eligibility, so registry-api runs too, on the registry bench database, and
the borrowers are persons of that province (plus a few unknown ones, as in life).

The reference is the rows funding-api stored (`loan`, `loan_event`) inserted again by bare asyncpg
(`executemany` in one transaction) into a twin database migrated the same way: what storing the
events costs without the service (HTTP, token, idempotency, derivation, checks, outbox, audit,
registry-api). The figure is events/s of the service over events/s of the bare insert.

    .venv/bin/python -m bench.loans --pg-url postgresql://postgres@127.0.0.1:55436/postgres \
        --database bench_registry --events 2000

`python -m bench.loans serve funding|inspection --port N` is the server process (bench/sync.py uses
the inspection one).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from bench.common import (
    PII_BLIND_INDEX_KEY,
    PII_ENCRYPTION_KEY,
    ROOT,
    drop_database,
    migrated_database,
    out,
    service_env,
    table,
    with_database,
    write_result,
)
from bench.loadgen import percentile
from bench.procs import SERVER_PIDS, app_process, cpu_seconds, free_port, server_process
from bench.serve import bench_verifier, mint_token, serve_app
from devstack.paths import data_dir

PROVINCE = "31"  # the synthetic province (bench/province.py)
FUNDING_DB = "bench_loans_funding"
FUNDING_BARE_DB = "bench_loans_funding_bare"
BANK_SCOPES = "loans:events:write eligibility:request"
# The dev issuer gives vbsp-loan-system a quota of 6,000 requests a minute; the claim is kept so its
# counting is paid for, but set high so it does not cap the figure being measured.
BENCH_QUOTA_PER_MINUTE = 10_000_000
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


# ------------------------------------------------------------------------------------- tokens


def mint(audience: str, *, subject: str, client_id: str, roles: list[str], **claims: Any) -> str:
    """A bench issuer's token for `audience`, for the whole province."""
    return mint_token(
        roles=roles, area_codes=[PROVINCE], audience=audience, subject=subject, client_id=client_id, **claims
    )


def token_endpoint(service: str) -> httpx.MockTransport:
    """The issuer's client-credentials endpoint for `service`'s own client, in-process: a service token
    (role `service`, the province) for the audience asked."""

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(part.split("=", 1) for part in request.content.decode().split("&") if "=" in part)
        token = mint(
            form.get("audience", ""),
            subject=f"service-account-{service}",
            client_id=service,
            roles=["service"],
        )
        return httpx.Response(200, json={"access_token": token, "token_type": "Bearer", "expires_in": 3600})

    return httpx.MockTransport(answer)


# ------------------------------------------------------------------------------------- the services


@dataclass(frozen=True)
class Service:
    name: str  # funding-api
    prefix: str  # FUNDING_
    package: str  # funding_api

    @property
    def root(self) -> Path:
        return ROOT / "services" / self.name

    def env(self, database_url: str, **extra: str) -> dict[str, str]:
        """The settings the service reads, for this database, with its own service client."""
        return service_env(
            self.name,
            database_url,
            SERVICE_CLIENT_ID=self.name,
            SERVICE_CLIENT_SECRET="dev-only-bench-client-secret",  # noqa: S106 (the bench issuer takes any)
            **extra,
        )


FUNDING = Service("funding-api", "FUNDING_", "funding_api")
INSPECTION = Service("inspection-api", "INSPECTION_", "inspection_api")
SERVICES = {"funding": FUNDING, "inspection": INSPECTION}


async def create_service_database(admin_url: str, database: str, service: Service) -> str:
    """(Re)create the database at the service's migration head with its reference seed steps."""
    return await migrated_database(admin_url, database, service.name)


@contextlib.contextmanager
def service_process(kind: str, database_url: str, *, pool_size: int = 10, **settings: str) -> Iterator[str]:
    """Run `python -m bench.loans serve <kind>` (the real app, bench tokens) on the database; yields
    its base URL."""
    service = SERVICES[kind]
    port = free_port()
    env = {
        **os.environ,
        **service.env(database_url, DB_POOL_SIZE=str(pool_size), LOG_LEVEL="INFO", **settings),
        "PYTHONPATH": str(ROOT),
    }
    argv = [sys.executable, "-m", "bench.loans", "serve", kind, "--port", str(port)]
    log = data_dir() / "bench-logs" / f"loans-{kind}.log"
    with server_process(argv, env, port=port, log=log, cwd=service.root) as base:
        yield base


def serve(kind: str, port: int) -> None:
    from servicekit.http import build_service_client

    app: Any
    if kind == "funding":
        from funding_api.clients.registry import RegistryClient
        from funding_api.config import get_settings as funding_settings
        from funding_api.main import create_app as create_funding_app

        settings = funding_settings()
        registry = build_service_client(
            RegistryClient,
            settings,
            name="registry-api",
            base_url=settings.REGISTRY_URL,
            token_transport=token_endpoint(FUNDING.name),
        )
        app = create_funding_app(token_verifier=bench_verifier(FUNDING.name), registry_client=registry)
    else:
        from inspection_api.main import create_app as create_inspection_app

        app = create_inspection_app(token_verifier=bench_verifier(INSPECTION.name))
    serve_app(app, port)


# ------------------------------------------------------------------------------------- POST load


@dataclass
class Posted:
    latency_s: float
    status: int
    kind: str  # "first", "retry" (same Idempotency-Key), "resent" (the event again, a new key)


def latency_summary(rows: list[Posted], seconds: float | None = None) -> dict[str, Any]:
    ms = sorted(r.latency_s * 1000 for r in rows)
    statuses: dict[int, int] = {}
    for r in rows:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    summary: dict[str, Any] = {
        "requests": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "p99_ms": round(percentile(ms, 0.99), 1),
        "statuses": statuses,
    }
    if seconds is not None:
        summary["seconds"] = round(seconds, 2)
        summary["per_second"] = round(len(ms) / seconds, 1) if seconds > 0 else 0.0
    return summary


async def post_all(
    base_url: str,
    path: str,
    requests: list[tuple[dict[str, Any], dict[str, str], str]],
    *,
    concurrency: int,
    timeout_s: float = 60.0,
) -> tuple[list[Posted], float, float, list[str]]:
    """POST each (body, headers, kind) in order with `concurrency` workers (keep-alive); returns the
    results, the wall time, the server's CPU seconds and the first failures' answers."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    results: list[Posted] = []
    problems: list[str] = []  # the first answers that were not a success, for the result file
    pending = iter(requests)
    server_pid = SERVER_PIDS.get(base_url)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout_s) as client:

        async def worker() -> None:
            for body, headers, kind in pending:
                t0 = time.perf_counter()
                try:
                    response = await client.post(path, json=body, headers=headers)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    status, response = 0, None
                    problems.append(f"{kind}: {exc!r}")
                results.append(Posted(time.perf_counter() - t0, status, kind))
                if response is not None and status >= 300 and len(problems) < 20:
                    problems.append(f"{kind} {status}: {response.text[:300]}")

        cpu_at = cpu_seconds(server_pid) if server_pid else 0.0
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(server_pid) - cpu_at if server_pid else 0.0
    return results, seconds, cpu, problems


# ------------------------------------------------------------------------------------- the events


async def borrowers(registry_url: str, count: int) -> list[tuple[str, str]]:
    """(citizen ID, commune) of household heads of the registry province, decrypted with the bench key."""
    from registry_api.person.service import CITIZEN_ID_COLUMN
    from servicekit.pii import PiiCipher

    cipher = PiiCipher(encryption_secret=PII_ENCRYPTION_KEY, blind_index_secret=PII_BLIND_INDEX_KEY)
    conn = await asyncpg.connect(registry_url)
    try:
        rows = await conn.fetch(
            "SELECT citizen_id_ciphertext, commune_code FROM person"
            " WHERE relationship = 'head' AND citizen_id_ciphertext IS NOT NULL"
            " ORDER BY id LIMIT $1",
            count,
        )
    finally:
        await conn.close()
    return [
        (cipher.decrypt(r["citizen_id_ciphertext"], context=CITIZEN_ID_COLUMN), r["commune_code"])
        for r in rows
    ]


def rate_on(rates: list[asyncpg.Record], day: date) -> int | None:
    for row in rates:
        if row["valid_from"] <= day and (row["valid_to"] is None or day <= row["valid_to"]):
            return int(row["rate_bp"])
    return None


def loan_events(
    count: int, people: list[tuple[str, str]], rates: list[asyncpg.Record], rng: random.Random
) -> list[dict[str, Any]]:
    """About `count` events as VBSP's system sends them, over loans of about six events each, in the
    order they happened (a loan's events spread among the others'). About 3% of loans exceed the cap,
    2% carry a rate other than the table's, 3% of borrowers are unknown to the registry."""
    events: list[dict[str, Any]] = []
    start = datetime(2025, 10, 15, 9, tzinfo=VIETNAM)
    loan_number = 0
    while len(events) < count:
        loan_number += 1
        ref = f"HP-NOXH-BENCH-{loan_number:06d}"
        if rng.random() < 0.03:
            citizen_id, commune = f"031{rng.randrange(10**9):09d}", rng.choice(people)[1]
        else:
            citizen_id, commune = people[loan_number % len(people)]
        purpose = rng.choices(["buy", "lease_purchase", "build_or_repair"], weights=[6, 2, 2])[0]
        basis = rng.randrange(400, 1500) * 1_000_000
        share = 0.9 if rng.random() < 0.03 else rng.uniform(0.5, 0.8)
        approved = int(basis * share) // 1_000_000 * 1_000_000
        day = start + timedelta(days=rng.randrange(120), minutes=rng.randrange(600))
        steps: list[tuple[str, datetime, int | None]] = [("application_received", day, None)]
        day += timedelta(days=rng.randrange(5, 20))
        steps.append(("approved", day, approved))
        tranches = 1 if purpose != "build_or_repair" else 2
        for n in range(tranches):
            day += timedelta(days=rng.randrange(5, 30))
            steps.append(
                (
                    "disbursed",
                    day,
                    approved // tranches if n < tranches - 1 else approved - n * (approved // tranches),
                )
            )
        monthly = approved // 180
        for _ in range(rng.randrange(1, 6)):
            day += timedelta(days=30)
            if rng.random() < 0.05:
                steps.append(("overdue", day, monthly))
            else:
                steps.append(("repayment", day, monthly))
        for sequence, (kind, moment, amount) in enumerate(steps, start=1):
            body: dict[str, Any] = {
                "event_id": f"{ref}-E{sequence}",
                "loan_ref": ref,
                "sequence": sequence,
                "occurred_at": moment.isoformat(),
                "type": kind,
                "borrower_citizen_id": citizen_id,
                "purpose": purpose,
                "province_code": PROVINCE,
                "commune_code": commune,
                "amount_vnd": amount,
            }
            body["estimate_vnd" if purpose == "build_or_repair" else "contract_value_vnd"] = basis
            if kind == "disbursed":
                rate = rate_on(rates, moment.date())
                if rate is not None:
                    body["rate_bp"] = rate + 30 if rng.random() < 0.02 else rate
            events.append(body)
    events.sort(key=lambda e: (e["occurred_at"], e["event_id"]))
    return events[:count]


def deliveries(
    events: list[dict[str, Any]], token: str, duplicates: float, rng: random.Random
) -> list[tuple[dict[str, Any], dict[str, str], str]]:
    """Each event once with its own Idempotency-Key, and `duplicates` of them again a little later:
    half a retry of the same delivery (the same key), half the bank sending the event again (a new key)."""
    auth = {"Authorization": f"Bearer {token}"}
    plan = [(e, {**auth, "Idempotency-Key": str(uuid.uuid4())}, "first") for e in events]
    repeats = rng.sample(range(len(plan)), int(len(plan) * duplicates))
    for n, index in enumerate(sorted(repeats, reverse=True)):
        body, headers, _ = plan[index]
        again = (
            (body, headers, "retry")
            if n % 2 == 0
            else (body, {**auth, "Idempotency-Key": str(uuid.uuid4())}, "resent")
        )
        plan.insert(min(len(plan), index + rng.randrange(20, 200)), again)
    return plan


# ------------------------------------------------------------------------------------- the reference


async def copy_rows(source_url: str, target_url: str, tables: list[str]) -> tuple[dict[str, int], float]:
    """Insert the rows of `tables` read from the source into the target with executemany, in one
    transaction; returns the row counts and the seconds the insert took."""
    source = await asyncpg.connect(source_url)
    try:
        rows = {t: await source.fetch(f"SELECT * FROM {t} ORDER BY id") for t in tables}  # noqa: S608
    finally:
        await source.close()
    target = await asyncpg.connect(target_url)
    try:
        started = time.perf_counter()
        async with target.transaction():
            for name, records in rows.items():
                if not records:
                    continue
                columns = list(records[0].keys())
                placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
                await target.executemany(
                    f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
                    [tuple(r.values()) for r in records],
                )
        seconds = time.perf_counter() - started
    finally:
        await target.close()
    return {t: len(r) for t, r in rows.items()}, seconds


# ------------------------------------------------------------------------------------- the run


async def run(
    db_url: str,
    *,
    events: int = 20_000,
    concurrency: int = 10,
    duplicates: float = 0.1,
    pool_size: int = 10,
    seed: int = 12,
    keep: bool = False,
) -> dict[str, Any]:
    """`db_url`: the registry bench database (its persons are the borrowers; registry-api runs on it)."""
    admin_url = with_database(db_url, "postgres")
    rng = random.Random(seed)  # noqa: S311  (synthetic events, not secrets)
    out(f"\nloans: creating {FUNDING_DB} and {FUNDING_BARE_DB} (migrated, reference seed) ...")
    funding_url = await create_service_database(admin_url, FUNDING_DB, FUNDING)
    bare_url = await create_service_database(admin_url, FUNDING_BARE_DB, FUNDING)
    try:
        conn = await asyncpg.connect(funding_url)
        try:
            rates = await conn.fetch(
                "SELECT valid_from, valid_to, rate_bp FROM loan_rate ORDER BY valid_from"
            )
        finally:
            await conn.close()
        people = await borrowers(db_url, max(100, events // 5))
        plan_events = loan_events(events, people, rates, rng)
        loans_count = len({e["loan_ref"] for e in plan_events})
        token = mint(
            FUNDING.name,
            subject="service-account-vbsp-loan-system",
            client_id="vbsp-loan-system",
            roles=["bank_integration"],
            scope=BANK_SCOPES,
            quota_per_minute=BENCH_QUOTA_PER_MINUTE,
        )
        plan = deliveries(plan_events, token, duplicates, rng)
        out(
            f"  {len(plan_events):,} events over {loans_count:,} loans, {len(plan) - len(plan_events):,} "
            f"delivered twice; concurrency {concurrency}; registry-api answers eligibility"
        )
        with (
            app_process("registry", db_url, pool_size=4) as registry_base,
            service_process("funding", funding_url, pool_size=pool_size, REGISTRY_URL=registry_base) as base,
        ):
            posted, seconds, server_cpu, problems = await post_all(
                base, "/v1/loan-events", plan, concurrency=concurrency
            )
        tables = ["loan", "loan_event"]
        counts, bare_seconds = await copy_rows(funding_url, bare_url, tables)
        stored = await table_counts(funding_url)
    finally:
        if not keep:
            await drop_database(admin_url, FUNDING_DB)
            await drop_database(admin_url, FUNDING_BARE_DB)
    first = [p for p in posted if p.kind == "first"]
    again = [p for p in posted if p.kind != "first"]
    # A retry that arrives while its first delivery is still being processed is answered 409
    # `idempotency_key_in_flight` ("retry in a few seconds"): the right answer, not a failure.
    in_flight = [p for p in posted if p.kind == "retry" and p.status == 409]
    bad = [p for p in posted if p.status not in (200, 201) and p not in in_flight]
    service_eps = len(plan_events) / seconds
    bare_eps = counts["loan_event"] / bare_seconds if bare_seconds > 0 else 0.0
    result: dict[str, Any] = {
        "params": {
            "events": events,
            "concurrency": concurrency,
            "duplicates": duplicates,
            "pool_size": pool_size,
        },
        "loans": loans_count,
        "deliveries": len(plan),
        "errors": len(bad),
        "retries_answered_in_flight": len(in_flight),
        "error_statuses": sorted({p.status for p in bad}),
        "error_answers": problems,
        "service": {
            "events_per_second": round(service_eps, 1),
            "deliveries_per_second": round(len(plan) / seconds, 1),
            "seconds": round(seconds, 2),
            "server_cpu_ms_per_delivery": round(server_cpu * 1000 / len(plan), 2),
            "first_deliveries": latency_summary(first),
            "repeated_deliveries": latency_summary(again),
            "retries_same_key": latency_summary([p for p in posted if p.kind == "retry"]),
            "resent_new_key": latency_summary([p for p in posted if p.kind == "resent"]),
        },
        "bare_insert": {
            "rows": counts,
            "seconds": round(bare_seconds, 3),
            "events_per_second": round(bare_eps, 1),
            "how": "asyncpg executemany of the stored loan and loan_event rows, one transaction, twin db",
        },
        "ratio_service_vs_bare": round(service_eps / bare_eps, 4) if bare_eps else None,
        "rows_stored_by_service": stored,
        "vbsp_client_quota_events_per_second": 6000 / 60,
    }
    out(
        table(
            ["path", "events/s", "p50 ms", "p95 ms", "p99 ms", "requests"],
            [
                [
                    "funding-api, first delivery",
                    round(service_eps, 1),
                    *_lat(result["service"]["first_deliveries"]),
                ],
                ["funding-api, repeated delivery", "", *_lat(result["service"]["repeated_deliveries"])],
                ["bare executemany (reference)", round(bare_eps, 1), "", "", "", counts["loan_event"]],
            ],
        )
    )
    out(
        f"  service / bare = {result['ratio_service_vs_bare']}x; {len(bad)} errors; "
        f"server CPU {result['service']['server_cpu_ms_per_delivery']} ms per delivery; rows {stored}"
    )
    return result


def _lat(summary: dict[str, Any]) -> list[Any]:
    return [summary["p50_ms"], summary["p95_ms"], summary["p99_ms"], summary["requests"]]


async def table_counts(url: str) -> dict[str, int]:
    """What the service stored beside the events: the loan mirror, exceptions, outbox, jobs, audit."""
    conn = await asyncpg.connect(url)
    try:
        names = [
            r["relname"]
            for r in await conn.fetch(
                "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public' ORDER BY relname"
            )
        ]
        counts = {n: int(await conn.fetchval(f'SELECT count(*) FROM "{n}"')) for n in names}  # noqa: S608
    finally:
        await conn.close()
    return {n: c for n, c in counts.items() if c and not n.startswith(("alembic", "loan_rate", "loan_cap"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    serve_cmd = sub.add_parser("serve")
    serve_cmd.add_argument("kind", choices=sorted(SERVICES))
    serve_cmd.add_argument("--port", type=int, required=True)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:55436/postgres")
    parser.add_argument("--database", default="bench_registry", help="the registry bench database")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the funding databases")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.kind, args.port)
        return
    result = asyncio.run(
        run(
            with_database(args.pg_url, args.database),
            events=args.events,
            concurrency=args.concurrency,
            keep=args.keep,
        )
    )
    path = write_result("loans", result)
    out(f"  -> {path}")


if __name__ == "__main__":
    main()

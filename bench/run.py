"""Run the benchmarks end to end: build (or reuse) the synthetic province, then each benchmark; print
its table and write `bench/results/<name>.json` with the machine described.

    .venv/bin/python -m bench.run                 # make bench: 1,000,000 households, every benchmark
    .venv/bin/python -m bench.run --smoke         # make bench-smoke: tiny, asserts nothing on speed
    .venv/bin/python -m bench.run --households 20000 --only stack,search

The database (`bench_registry`, or `bench_smoke`) lives on a dedicated PostgreSQL under
`.data/bench-pg` (port 55436), started when needed and stopped again if this run started it. A
database holding the same scale and seed is reused; `--drop` drops it at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import asyncpg

from bench import dashboards, export, gateway, imports, loans, memory, pagination, search, stack, sync
from bench.common import (
    RESULTS,
    bench_server,
    database_exists,
    describe_machine,
    drop_database,
    out,
    start_bench_server,
    with_database,
    write_result,
)
from bench.province import build_province
from bench.province_more import build_more, drop_more

BENCHMARKS = [
    "stack",
    "gateway",
    "pagination",
    "search",
    "dashboards",
    "imports",
    "export",
    "loans",
    "sync",
    "memory",
]


async def province_ready(admin_url: str, database: str, households: int, seed: int) -> bool:
    # The registry's province and the funding and inspection databases build_more adds beside it.
    for name in (database, f"{database}_funding", f"{database}_inspection"):
        if not await database_exists(admin_url, name):
            return False
    conn = await asyncpg.connect(with_database(admin_url, database))
    try:
        meta = (
            await conn.fetchrow("SELECT households, seed FROM bench_meta")
            if await conn.fetchval("SELECT to_regclass('bench_meta') IS NOT NULL")
            else None
        )
    finally:
        await conn.close()
    return meta is not None and (meta["households"], meta["seed"]) == (households, seed)


async def main_async(args: argparse.Namespace) -> int:  # noqa: PLR0915 (the run, in order)
    started = time.perf_counter()
    server = None
    admin = args.pg_url
    if admin is None:
        server = start_bench_server()
        admin = server.admin_url
    database = args.database or ("bench_smoke" if args.smoke else "bench_registry")
    db_url = with_database(admin, database)
    summary: list[str] = []
    failures = 0
    try:
        if args.smoke or not await province_ready(admin, database, args.households, args.seed):
            out(f"Building the synthetic province: {args.households:,} households (seed {args.seed}) ...")
            _, report = await build_province(admin, database, households=args.households, seed=args.seed)
            out("  adding applications, loans and inspection cases ...")
            more = await build_more(admin, database, households=args.households, seed=args.seed)
            out(f"  {more}")
            conn = await asyncpg.connect(db_url)
            try:
                await conn.execute("CREATE TABLE bench_meta (households int, seed int)")
                await conn.execute("INSERT INTO bench_meta VALUES ($1, $2)", args.households, args.seed)
            finally:
                await conn.close()
            out(f"  {report}")
            machine = await describe_machine(db_url)
            write_result(f"{args.prefix}province", {"machine": machine, "load": asdict(report)})
            write_result(f"{args.prefix}province_more", {"machine": machine, "load": asdict(more)})
            total_rows = sum(report.rows.values())
            load_s = (
                report.seconds_generate_and_copy
                + report.seconds_indexes
                + report.seconds_vacuum
                + report.seconds_dashboards
            )
            summary.append(
                f"province: {total_rows:,} rows generated and loaded by COPY in {load_s:.0f} s "
                f"({report.seconds_generate_and_copy:.0f} s generate + COPY, {report.seconds_indexes:.0f} s "
                f"indexes and keys, {report.seconds_vacuum:.0f} s vacuum, {report.seconds_dashboards:.0f} s "
                f"dashboard counts)"
            )
            more_s = more.seconds_generate_and_copy + more.seconds_indexes + more.seconds_vacuum
            summary.append(
                f"province, applications / loans / cases: {sum(more.rows.values()):,} rows in {more_s:.0f} s "
                f"({more.rows.get('application', 0):,} applications, {more.rows.get('loan', 0):,} loans with "
                f"{more.rows.get('loan_event', 0):,} events, {more.rows.get('inspection_case', 0):,} cases; "
                f"+{more.seconds_migrate:.0f} s to create funding-api's and inspection-api's databases)"
            )
        else:
            out(f"Reusing {database} ({args.households:,} households, seed {args.seed})")
        machine = await describe_machine(db_url)
        out(
            f"Machine: {machine['cpu_count']} x {machine['cpu_model']}, {machine['memory_gb']} GB, "
            f"PostgreSQL {machine['postgresql']}, load {machine['load_average']}"
        )
        p = PARAMETERS["smoke" if args.smoke else "full"]
        only = args.only.split(",") if args.only else BENCHMARKS
        for name in only:
            t0 = time.perf_counter()
            result: dict[str, Any]
            try:
                result = await run_one(name, db_url, p, summary, args.prefix)
            except Exception as exc:  # one broken benchmark must not hide the others' figures
                out(f"\n{name} FAILED: {exc!r}")
                summary.append(f"{name}: FAILED ({exc!r})"[:300])
                failures += 1
                continue
            result["seconds"] = round(time.perf_counter() - t0, 1)
            result["machine"] = await describe_machine(db_url)
            result["scale"] = {"households": args.households, "seed": args.seed}
            path = write_result(f"{args.prefix}{name}", result)
            out(f"  -> {path.relative_to(RESULTS.parent.parent)} ({result['seconds']} s)")
    finally:
        if args.drop or args.smoke:
            await drop_database(admin, database)
            await drop_more(admin, database)
            for suffix in ("_memory_funding", "_memory_inspection"):
                await drop_database(admin, f"{database}{suffix}")
        if server is not None:
            server.stop()
    out("\nSummary (ratios measured in this run, on this machine)")
    for line in summary:
        out("  " + line)
    out(f"done in {time.perf_counter() - started:.0f} s")
    return 1 if failures else 0


async def run_one(  # noqa: PLR0912 (one branch per benchmark, each with its summary line)
    name: str, db_url: str, p: dict[str, dict[str, Any]], summary: list[str], prefix: str
) -> dict[str, Any]:
    """Run one benchmark; append its one-line summary."""
    result: dict[str, Any]
    if name == "stack":
        result = await stack.run(db_url, **p["stack"])
        r = result["service_ratio_vs_raw"]
        b = result["service_before_fixes_ratio_vs_raw"]
        summary.append(
            f"stack: service/raw get-by-id {r['get']:.2f}x (before the fixes {b['get']:.2f}x), "
            f"list {r['list']:.2f}x (before {b['list']:.2f}x) (goal >= 0.5x)"
        )
    elif name == "pagination":
        result = await pagination.run(db_url, **p["pagination"])
        for item in result["lists"]:
            summary.append(
                f"pagination: {item['list']} page {item['deep_page']:,} p95 = "
                f"{item['ratio_p95_deep_vs_first']:.2f}x page 1 (goal <= 1.5x)"
            )
    elif name == "search":
        result = await search.run(db_url, **p["search"])
        lat = result["latency"][0]
        rec = result["recall"]
        worst = min([*rec["person_recall"].values(), *rec["name_recall_province_wide"].values()])
        summary.append(
            f"search: p95 {lat['p95_ms']} ms at {lat['concurrency']} concurrent (goal <= 150 ms); "
            f"lowest recall over {rec['names']} names x {len(search.VARIANTS)} spellings {worst:.2%}"
        )
    elif name == "dashboards":
        result = await dashboards.run(
            db_url,
            pg_log=bench_server().log_file,
            plans_name=f"{prefix}dashboards-plans.txt",
            **p["dashboards"],
        )
        worst_dash = max(result["dashboards"], key=lambda d: d["p95_ms"])
        summary.append(
            f"dashboards: worst p95 {worst_dash['p95_ms']} ms ({worst_dash['dashboard']}; goal <= 100 ms), "
            f"{worst_dash.get('ratio_p95_vs_reference')}x the p95 of reading one household in the same run"
        )
    elif name == "imports":
        result = await imports.run(db_url, **p["imports"])
        summary.append(
            f"imports: {result['files']['households']:,} households / {result['files']['persons']:,} persons "
            f"in {result['files']['count']} commune files through the import job "
            f"{result['job_persons_per_s']:,} persons/s vs bare COPY {result['copy_persons_per_s']:,}/s = "
            f"{result['ratio_job_vs_copy']:.4f}x (goal >= 0.25x)"
        )
    elif name == "export":
        result = await export.run(db_url, **p["export"])
        for e in result["exports"]:
            s = e["service"]
            summary.append(
                f"export: {e['format']} ({e['scope']}) {s['rows']:,} rows at {s['rows_per_s']:,} rows/s = "
                f"{e['ratio_vs_copy']:.2f}x COPY TO STDOUT; first byte {s['first_byte_s']} s; server RSS "
                f"{s['rss_mb']['start']:.0f} -> peak {s['rss_mb']['peak']:.0f} MB"
                + ("" if e["complete"] else f"; INCOMPLETE: {e['expected_rows']:,} expected")
            )
    elif name == "loans":
        result = await loans.run(db_url, **p["loans"])
        served = result["service"]
        first = served["first_deliveries"]
        summary.append(
            f"loans: funding-api ingests {served['events_per_second']} events/s "
            f"(p50 {first['p50_ms']} ms, p95 {first['p95_ms']} ms at "
            f"{result['params']['concurrency']} concurrent), {result['ratio_service_vs_bare']}x a bare "
            f"executemany of the same rows; {result['errors']} errors"
        )
    elif name == "sync":
        result = await sync.run(db_url, **p["sync"])
        push = result["push"]
        summary.append(
            f"sync: batch of {result['params']['batch_size']} p95 {push['p95_ms']} ms "
            f"(goal <= {result['goal_p95_ms']:.0f} ms: {'met' if result['goal_met'] else 'NOT met'}), "
            f"{result['ratio_p50_service_vs_bare']}x a bare one-transaction insert; pull "
            f"{result['pull']['items']} items in {result['pull']['seconds']} s"
        )
    elif name == "gateway":
        result = await gateway.run(db_url, **p["gateway"])
        get, page = result["summary"]["get:gateway"], result["summary"]["list:gateway"]
        summary.append(
            f"gateway: Caddy / direct throughput get-by-id {get['ratio_throughput']:.2f}x "
            f"(by CPU {get['ratio_by_cpu']:.2f}x), list {page['ratio_throughput']:.2f}x "
            f"(by CPU {page['ratio_by_cpu']:.2f}x) (goal >= 0.9x); p50 one request at a time "
            f"{get['p50_delta_ms_one_at_a_time']:+.2f} / {page['p50_delta_ms_one_at_a_time']:+.2f} ms "
            f"(goal <= +2 ms)"
        )
    elif name == "memory":
        result = await memory.run(db_url, **p["memory"])
        services = [r for r in result["processes"] if r["process"].endswith("-api")]
        reference = next(r for r in result["processes"] if not r["process"].endswith("-api"))
        peaks = ", ".join(
            f"{r['process']} {r['rss_peak_mb']:.0f} MB ({r['ratio_peak_vs_reference']:.2f}x)"
            for r in services
        )
        growth = max(r["growth_mb_per_1000_requests_second_half"] for r in services)
        summary.append(
            f"memory: peak RSS {peaks} vs the raw ASGI reference's {reference['rss_peak_mb']:.0f} MB; growth "
            f"in the second half of the load at most {growth:.2f} MB per 1,000 requests"
        )
    else:
        raise ValueError(f"unknown benchmark {name}; choose from {', '.join(BENCHMARKS)}")
    return result


PARAMETERS: dict[str, dict[str, dict[str, Any]]] = {
    "full": {
        "stack": {"requests": 3000, "warmup": 300, "concurrency": 10, "pool_size": 10, "rounds": 2},
        "pagination": {"requests": 600, "warmup": 60, "concurrency": 4},
        "search": {"names": 1000, "requests": 2000, "warmup": 100, "concurrency": 20},
        "dashboards": {"requests": 40, "warmup": 1, "concurrency": 2, "max_seconds": 30.0},
        "imports": {"households": 100_000, "households_per_file": 877, "max_seconds": 900.0},
        "export": {"formats": ("csv", "xlsx"), "xlsx_whole_province": False},
        "loans": {"events": 5000, "concurrency": 10, "duplicates": 0.1, "pool_size": 10},
        "sync": {"batches": 5, "batch_size": 500, "concurrency": 2, "cases_each": 20, "pool_size": 10},
        "gateway": {
            "requests": 1500,
            "warmup": 150,
            "concurrency": 10,
            "pool_size": 10,
            "rounds": 4,
            "single_requests": 400,
        },
        "memory": {
            "requests": 6000,
            "warmup": 100,
            "concurrency": 4,
            "pool_size": 10,
            "chunks": 6,
            "sample_every_s": 0.5,
            "settle_s": 2.0,
        },
    },
    "smoke": {
        "stack": {"requests": 40, "warmup": 5, "concurrency": 4, "pool_size": 4, "rounds": 1},
        "pagination": {"requests": 20, "warmup": 2, "concurrency": 2},
        "search": {"names": 10, "requests": 30, "warmup": 2, "concurrency": 4},
        "dashboards": {"requests": 4, "warmup": 1, "concurrency": 2, "max_seconds": 10.0},
        "imports": {"households": 40, "households_per_file": 20, "max_seconds": 120.0},
        "export": {"formats": ("csv", "xlsx"), "xlsx_whole_province": False},
        "loans": {"events": 60, "concurrency": 4, "duplicates": 0.1, "pool_size": 4},
        "sync": {
            "batches": 1,
            "batch_size": 20,
            "concurrency": 1,
            "cases_each": 2,
            "pull_limit": 50,
            "pool_size": 4,
        },
        "gateway": {
            "requests": 40,
            "warmup": 5,
            "concurrency": 4,
            "pool_size": 4,
            "rounds": 1,
            "single_requests": 10,
        },
        "memory": {
            "requests": 40,
            "warmup": 4,
            "concurrency": 2,
            "pool_size": 4,
            "chunks": 2,
            "sample_every_s": 0.2,
            "settle_s": 0.2,
        },
    },
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NOXH benchmarks (bench/README.md)")
    parser.add_argument("--smoke", action="store_true", help="tiny province, few requests, then drop it")
    parser.add_argument("--households", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20251128)
    parser.add_argument("--only", default=None, help=f"comma-separated: {','.join(BENCHMARKS)}")
    parser.add_argument("--database", default=None)
    parser.add_argument("--pg-url", default=None, help="a superuser URL; default: the bench cluster")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args(argv)
    if args.households is None:
        args.households = 400 if args.smoke else 1_000_000
    args.prefix = "smoke/" if args.smoke else ""
    if args.smoke:
        (RESULTS / "smoke").mkdir(parents=True, exist_ok=True)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())

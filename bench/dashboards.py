"""Dashboards at full data, through the service, as a province officer (the widest area): p50/p95.

Goal: p95 <= 100 ms. Statements slower than `AUTO_EXPLAIN_MS` are logged with their plans by
PostgreSQL's auto_explain while this runs; the plans are copied to `results/dashboards-plans.txt`.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from bench.common import RESULTS, out, table
from bench.loadgen import run_load
from bench.procs import app_process
from bench.serve import mint_token

DASHBOARDS = [
    ("households-by-category", "/v1/dashboard/households-by-category"),
    ("support-cases by status", "/v1/dashboard/support-cases?by=status"),
    ("households-by-dwelling-condition", "/v1/dashboard/households-by-dwelling-condition"),
    ("temporary-houses-remaining, monthly 2025", "/v1/dashboard/temporary-houses-remaining?from=2025-01-01"),
    ("households-by-category, commune officer", "/v1/dashboard/households-by-category"),
]
AUTO_EXPLAIN_MS = 100


async def auto_explain(db_url: str, database: str, on: bool) -> None:
    conn = await asyncpg.connect(db_url)
    try:
        if on:
            await conn.execute(
                f"ALTER DATABASE \"{database}\" SET session_preload_libraries = 'auto_explain'"
            )
            await conn.execute(
                f'ALTER DATABASE "{database}" SET auto_explain.log_min_duration = {AUTO_EXPLAIN_MS}'
            )
            await conn.execute(f'ALTER DATABASE "{database}" SET auto_explain.log_analyze = on')
            await conn.execute(f'ALTER DATABASE "{database}" SET auto_explain.log_buffers = on')
            await conn.execute(f'ALTER DATABASE "{database}" SET auto_explain.log_timing = off')
        else:
            await conn.execute(f'ALTER DATABASE "{database}" RESET ALL')
    finally:
        await conn.close()


async def busiest_commune(db_url: str) -> str:
    conn = await asyncpg.connect(db_url)
    try:
        code: str = await conn.fetchval(
            "SELECT commune_code FROM household GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
    finally:
        await conn.close()
    return code


async def run(
    db_url: str,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    max_seconds: float,
    pg_log: Any = None,
    plans_name: str = "dashboards-plans.txt",
) -> dict[str, Any]:
    database = db_url.rsplit("/", 1)[1]
    province = {"Authorization": "Bearer " + mint_token(roles=["province_officer"], area_codes=["31"])}
    commune = await busiest_commune(db_url)
    commune_officer = {
        "Authorization": "Bearer " + mint_token(roles=["commune_officer"], area_codes=[commune])
    }
    log_start = pg_log.stat().st_size if pg_log is not None and pg_log.exists() else 0
    await auto_explain(db_url, database, on=True)
    rows = []
    results: dict[str, Any] = {"dashboards": []}
    try:
        with app_process("registry", db_url) as base:
            for name, path in DASHBOARDS:
                headers = commune_officer if "commune officer" in name else province
                s = await run_load(
                    name,
                    base,
                    lambda i, p=path, h=headers: (p, h),
                    requests=requests,
                    warmup=warmup,
                    concurrency=concurrency,
                    max_seconds=max_seconds,
                    timeout_s=120,
                )
                results["dashboards"].append({"dashboard": name, "path": path, **s.as_dict()})
                met = "yes" if s.p95_ms <= 100 and not s.errors else "NO"
                rows.append([name, s.requests, s.errors, s.p50_ms, s.p95_ms, met])
    finally:
        await auto_explain(db_url, database, on=False)
    if pg_log is not None and pg_log.exists():
        with pg_log.open("rb") as f:
            f.seek(log_start)
            plans = f.read().decode(errors="replace")
        (RESULTS / plans_name).write_text(plans)
        results["plans_file"] = f"bench/results/{plans_name}"
    out(f"\nDashboards (concurrency {concurrency}, commune officer of {commune}; goal p95 <= 100 ms)")
    out(table(["dashboard", "n", "errors", "p50 ms", "p95 ms", "goal met"], rows))
    results["parameters"] = {"concurrency": concurrency, "requests": requests, "max_seconds": max_seconds,
                             "commune": commune}  # fmt: skip
    return results

"""Dashboards at full data, through the service, as a province officer (the widest area): p50/p95.

Goal: p95 <= 100 ms. On a shared machine the absolute figure moves with everyone else's load, so each
dashboard is also reported as a ratio of a reference measured just before it in the same process, at
the same concurrency: `GET /v1/households/{id}` (a household and its members, two primary-key reads)
- "as cheap as reading one household" is what stored counts should give, whatever the data's size.
Statements slower than `AUTO_EXPLAIN_MS` are logged with their plans by PostgreSQL's auto_explain
while this runs; the plans are copied to `results/dashboards-plans.txt`.
"""

from __future__ import annotations

from datetime import date
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
    # As the SPA's dashboard asks it (queries.ts): province level, from the first day of 11 months back.
    (
        "temporary-houses-remaining, as the SPA asks",
        "/v1/dashboard/temporary-houses-remaining?level=province&from=",
    ),
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


def spa_from(today: date) -> str:
    """The SPA's first day for the monthly series: the first of the month 11 months back."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1).isoformat()


async def reference_household(db_url: str) -> str:
    conn = await asyncpg.connect(db_url)
    try:
        household_id = await conn.fetchval("SELECT id FROM household ORDER BY id LIMIT 1 OFFSET 500")
    finally:
        await conn.close()
    return str(household_id)


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
    reference_path = f"/v1/households/{await reference_household(db_url)}"
    log_start = pg_log.stat().st_size if pg_log is not None and pg_log.exists() else 0
    await auto_explain(db_url, database, on=True)
    rows = []
    results: dict[str, Any] = {"dashboards": [], "references": []}
    try:
        with app_process("registry", db_url) as base:
            for name, template in DASHBOARDS:
                headers = commune_officer if "commune officer" in name else province
                # The bench machine's day is fine for the SPA's "11 months back".
                path = template + spa_from(date.today()) if template.endswith("from=") else template  # noqa: DTZ011
                ref = await run_load(
                    "reference: GET /v1/households/{id}",
                    base,
                    lambda i, h=headers: (reference_path, h),
                    requests=requests,
                    warmup=warmup,
                    concurrency=concurrency,
                    max_seconds=max_seconds,
                )
                results["references"].append({"before": name, **ref.as_dict()})
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
                ratio = round(s.p95_ms / ref.p95_ms, 2) if ref.p95_ms else None
                results["dashboards"].append(
                    {"dashboard": name, "path": path, **s.as_dict(), "reference_p95_ms": ref.p95_ms,
                     "ratio_p95_vs_reference": ratio}
                )  # fmt: skip
                met = "yes" if s.p95_ms <= 100 and not s.errors else "NO"
                rows.append([name, s.requests, s.errors, s.p50_ms, s.p95_ms, ref.p95_ms, f"{ratio}x", met])
    finally:
        await auto_explain(db_url, database, on=False)
    if pg_log is not None and pg_log.exists():
        with pg_log.open("rb") as f:
            f.seek(log_start)
            plans = f.read().decode(errors="replace")
        (RESULTS / plans_name).write_text(plans)
        results["plans_file"] = f"bench/results/{plans_name}"
    out(f"\nDashboards (concurrency {concurrency}, commune officer of {commune}; goal p95 <= 100 ms)")
    out(table(["dashboard", "n", "errors", "p50 ms", "p95 ms", "ref p95 ms", "p95 / ref", "goal met"], rows))
    out("(ref: GET /v1/households/{id} measured just before each dashboard, same process and concurrency)")
    results["parameters"] = {"concurrency": concurrency, "requests": requests, "max_seconds": max_seconds,
                             "commune": commune}  # fmt: skip
    return results

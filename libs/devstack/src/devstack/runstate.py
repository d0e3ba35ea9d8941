"""What a running stack writes down (`.data/run/stack.json`), so `noxh stop` and `noxh status` can find it
from another terminal, and so a stack whose supervisor was killed can still be cleaned up."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from devstack import procs
from devstack.supervisor import ProcessInfo


@dataclass
class PostgresState:
    embedded: bool
    port: int | None = None
    data_dir: str | None = None
    # Did `noxh run` start it (then it stops it too)? A server that was already up is left running.
    started_by_run: bool = False


@dataclass
class ProcessRecord:
    name: str
    state: str
    pid: int | None
    start_ticks: int | None
    restarts: int
    last_exit: int | None
    log_file: str

    @classmethod
    def from_info(cls, info: ProcessInfo) -> ProcessRecord:
        return cls(
            name=info.name,
            state=str(info.state),
            pid=info.pid,
            start_ticks=info.start_ticks,
            restarts=info.restarts,
            last_exit=info.last_exit,
            log_file=str(info.log_file),
        )


@dataclass
class StackState:
    pid: int
    start_ticks: int | None
    status: str  # starting | ready | stopping
    gateway_url: str
    data_dir: str
    postgres: PostgresState
    processes: list[ProcessRecord] = field(default_factory=list)

    @property
    def supervisor_alive(self) -> bool:
        return procs.same_process(self.pid, self.start_ticks)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def from_json(cls, text: str) -> StackState:
        data: dict[str, Any] = json.loads(text)
        return cls(
            pid=int(data["pid"]),
            start_ticks=data.get("start_ticks"),
            status=str(data.get("status", "unknown")),
            gateway_url=str(data.get("gateway_url", "")),
            data_dir=str(data.get("data_dir", "")),
            postgres=PostgresState(**data.get("postgres", {"embedded": False})),
            processes=[ProcessRecord(**p) for p in data.get("processes", [])],
        )


class StateFile:
    """The state file, rewritten atomically; safe to update from the supervisor's monitor thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.current: StackState | None = None

    def read(self) -> StackState | None:
        try:
            return StackState.from_json(self.path.read_text())
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None

    def write(self, state: StackState) -> None:
        with self._lock:
            self.current = state
            self._write_locked(state)

    def update(self, **changes: Any) -> None:
        with self._lock:
            if self.current is None:
                return
            for key, value in changes.items():
                setattr(self.current, key, value)
            self._write_locked(self.current)

    def set_processes(self, infos: list[ProcessInfo]) -> None:
        self.update(processes=[ProcessRecord.from_info(i) for i in infos])

    def _write_locked(self, state: StackState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        tmp.write_text(state.to_json())
        os.replace(tmp, self.path)

    def remove(self) -> None:
        with self._lock:
            self.current = None
            self.path.unlink(missing_ok=True)


class AlreadyRunning(RuntimeError):
    pass


@contextlib.contextmanager
def run_lock(path: Path) -> Iterator[TextIO]:
    """Held by the one `noxh run` of a data folder for as long as it lives (released by the kernel if it
    dies, however it dies)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise AlreadyRunning(str(path)) from exc
        yield handle
    finally:
        handle.close()


def lock_held(path: Path) -> bool:
    if not path.exists():
        return False
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
    return False

"""Process-group helpers (Linux): signal a group, wait for it to empty, recognise a pid we started."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from pathlib import Path


def start_ticks(pid: int) -> int | None:
    """When `pid` started (clock ticks since boot), or None when no such process exists.

    Recorded next to every pid we write down, so a later `noxh stop` never signals a process that merely
    reused the number.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # The command name (field 2) may hold spaces and parentheses: split after its closing parenthesis.
    fields = stat[stat.rfind(")") + 2 :].split()
    # Field 22 (starttime) is the 20th after the command name and state.
    return int(fields[19]) if len(fields) > 19 else None


def is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False
    return stat[stat.rfind(")") + 2 :].startswith("Z")


def same_process(pid: int, ticks: int | None) -> bool:
    """Is `pid` alive and the very process that had start time `ticks`?"""
    if pid <= 1:
        return False
    current = start_ticks(pid)
    return current is not None and (ticks is None or current == ticks) and not is_zombie(pid)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # fields: state, ppid, pgrp, ...
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def signal_group(pgid: int, sig: int) -> bool:
    """Send `sig` to every process of the group; False when the group no longer exists."""
    if pgid <= 1:
        return False
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    return True


def wait_group_gone(pgid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while group_members(pgid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def terminate_group(pgid: int, grace_s: float) -> None:
    """SIGTERM the group, then SIGKILL whatever is left after `grace_s` seconds."""
    if not group_members(pgid):
        return
    signal_group(pgid, signal.SIGTERM)
    if wait_group_gone(pgid, grace_s):
        return
    signal_group(pgid, signal.SIGKILL)
    wait_group_gone(pgid, 5.0)


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not is_zombie(pid)


def port_free(host: str, port: int) -> bool:
    """Can we bind host:port? (Caddy binds with SO_REUSEPORT; a plain bind still detects it.)"""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As the servers do: connections in TIME_WAIT from a previous run do not block the port; a
        # listening socket still does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the kernel considers free right now (for tests and alternative stacks)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def kill_quietly(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, sig)

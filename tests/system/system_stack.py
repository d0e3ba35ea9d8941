"""The real stack as processes (`noxh run`), shared by every system test of a session (see conftest.py):
the dev issuer, the three services, their workers and the Caddy gateway, on free ports with a throwaway
data folder, against the tests' PostgreSQL (`pg_admin_url`, with databases of their own).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from devstack import procs
from devstack.stack import SERVICES, with_database

# Databases of this run's own: concurrent runs on one server set NOXH_TEST_DB_SUFFIX.
_SUFFIX = os.environ.get("NOXH_TEST_DB_SUFFIX")
DB_PREFIX = f"system_{_SUFFIX}_" if _SUFFIX else "system_"
# The SPA's registered redirect; the test reads the code from the redirect and never follows it.
SPA_REDIRECT = "http://127.0.0.1:8000/callback"


@dataclass
class Stack:
    base_url: str
    data_dir: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    output: Path

    def state(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.data_dir / "run" / "stack.json").read_text())
        return data

    def record(self, name: str) -> dict[str, Any]:
        for entry in self.state()["processes"]:
            if entry["name"] == name:
                return dict(entry)
        raise KeyError(name)

    def client(self) -> httpx.Client:
        # trust_env=False: loopback only, whatever proxy the environment names.
        return httpx.Client(base_url=self.base_url, timeout=10.0, trust_env=False)


def _drop_databases(admin_url: str) -> None:
    with psycopg.connect(with_database(admin_url, None, "postgresql"), autocommit=True) as conn:
        for service in SERVICES:
            conn.execute(f'DROP DATABASE IF EXISTS "{DB_PREFIX}{service.database}" WITH (FORCE)')


def _free_ports(count: int) -> list[int]:
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(procs.free_port())
    return sorted(ports)


def _wait_until_ready(stack: Stack, timeout_s: float) -> None:
    state_file = stack.data_dir / "run" / "stack.json"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stack.process.poll() is not None:
            pytest.fail(f"`noxh run` exited ({stack.process.returncode}):\n{stack.output.read_text()}")
        try:
            if json.loads(state_file.read_text()).get("status") == "ready":
                return
        except (FileNotFoundError, json.JSONDecodeError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the stack was not ready within {timeout_s:.0f} s:\n{stack.output.read_text()}")


def _pids(stack: Stack) -> set[tuple[str, int, int | None]]:
    return {(p["name"], p["pid"], p["start_ticks"]) for p in stack.state()["processes"] if p["pid"]}


@contextmanager
def running_stack(pg_admin_url: str, data_dir: Path) -> Iterator[Stack]:
    """`noxh run` on free ports into `data_dir`; stopped as `noxh stop` would, checked to leave nothing."""
    gateway, issuer, registry, funding, inspection = _free_ports(5)
    env = {
        **os.environ,
        "NOXH_DATA_DIR": str(data_dir),
        "NOXH_HOST": "127.0.0.1",
        "NOXH_GATEWAY_PORT": str(gateway),
        "NOXH_ISSUER_PORT": str(issuer),
        "NOXH_REGISTRY_PORT": str(registry),
        "NOXH_FUNDING_PORT": str(funding),
        "NOXH_INSPECTION_PORT": str(inspection),
        "NOXH_PG_URL": pg_admin_url,
        "NOXH_DB_PREFIX": DB_PREFIX,
        "NOXH_READY_TIMEOUT": "120",
    }
    _drop_databases(pg_admin_url)  # migrations run from an empty database every time
    output = data_dir / "noxh-run.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "devstack.cli", "run"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Stack(f"http://127.0.0.1:{gateway}", data_dir, env, process, output)
    seen: set[tuple[str, int, int | None]] = set()  # every process the stack ran, restarts included
    try:
        _wait_until_ready(running, timeout_s=150)
        seen.update(_pids(running))
        yield running
        seen.update(_pids(running))
    finally:
        # `noxh stop` from "another terminal": the run stops everything and exits cleanly.
        stopped = subprocess.run(
            [sys.executable, "-m", "devstack.cli", "stop"],
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            procs.signal_group(process.pid, signal.SIGKILL)
            process.wait()
        _drop_databases(pg_admin_url)
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert process.returncode == 0, output.read_text()
    for name, pid, ticks in seen:
        assert not procs.same_process(pid, ticks), f"{name} (pid {pid}) outlived the stack"
    assert not (data_dir / "run" / "stack.json").exists()


def pkce_login(client: httpx.Client, username: str) -> str:
    """The SPA's flow through the gateway: authorize, log in on the issuer's page, exchange the code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": "noxh-spa",
        "redirect_uri": SPA_REDIRECT,
        "scope": "openid profile",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": secrets.token_urlsafe(8),
    }
    page = client.get("/auth/authorize", params=params)
    assert page.status_code == 200, page.text
    assert 'name="password"' in page.text
    login = client.post("/auth/authorize", data={**params, "username": username, "password": "noxh-demo"})
    assert login.status_code in (302, 303), login.text
    location = urlsplit(login.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == SPA_REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == [params["state"]]
    exchanged = client.post(
        "/auth/token",
        data={
            "grant_type": "authorization_code",
            "client_id": "noxh-spa",
            "code": query["code"][0],
            "redirect_uri": SPA_REDIRECT,
            "code_verifier": verifier,
        },
    )
    assert exchanged.status_code == 200, exchanged.text
    token: str = exchanged.json()["access_token"]
    return token

"""The real stack as processes (`noxh run`): the dev issuer, the three services and the Caddy gateway,
on free ports with a throwaway data folder, against the tests' PostgreSQL (`pg_admin_url`, with
databases of their own). Everything is reached through the gateway, as a browser or a partner would.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest

from dev_issuer.seed import client_secret
from devstack import dev_secrets, procs
from devstack.stack import SERVICES, with_database

pytestmark = [pytest.mark.system, pytest.mark.timeout(240)]

DB_PREFIX = "system_"
# Each service's first /v1 resource, readable by a province officer.
RESOURCES = {
    "registry-api": "/api/registry/v1/admin-units",
    "funding-api": "/api/funding/v1/funding-sources",
    "inspection-api": "/api/inspection/v1/land-use-plans",
}
PROBLEM_JSON = "application/problem+json"
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


@pytest.fixture(scope="module")
def stack(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    data_dir = tmp_path_factory.mktemp("noxh-system")
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


def _pkce_login(client: httpx.Client, username: str) -> str:
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


@pytest.fixture(scope="module")
def officer_token(stack: Stack) -> str:
    with stack.client() as client:
        return _pkce_login(client, "so.xaydung")  # a province officer: every first resource admits them


def _assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].startswith("https://noxh.haiphong.gov.vn/problems/")
    assert body["title"]
    return body


def test_discovery_names_the_public_issuer(stack: Stack) -> None:
    with stack.client() as client:
        response = client.get("/auth/.well-known/openid-configuration")
    assert response.status_code == 200
    document = response.json()
    assert document["issuer"] == stack.base_url + "/auth"
    assert document["token_endpoint"].startswith(stack.base_url + "/auth/")


def test_each_service_answers_with_a_person_token(stack: Stack, officer_token: str) -> None:
    with stack.client() as client:
        for service, path in RESOURCES.items():
            response = client.get(path, headers={"Authorization": f"Bearer {officer_token}"})
            assert response.status_code == 200, f"{service}: {response.text}"
            assert "items" in response.json()
            assert response.headers["x-request-id"]


def test_a_machine_token_by_client_credentials(stack: Stack) -> None:
    seed = dev_secrets.load_secrets(stack.data_dir / "secrets.env")[dev_secrets.ISSUER_SEED_SECRET]
    with stack.client() as client:
        issued = client.post(
            "/auth/token",
            data={"grant_type": "client_credentials", "audience": "registry-api"},
            auth=("partner-demo", client_secret(seed, "partner-demo")),
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        response = client.get(RESOURCES["registry-api"], headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


def test_without_a_token_every_service_answers_401_problem(stack: Stack) -> None:
    with stack.client() as client:
        for path in RESOURCES.values():
            response = client.get(path)
            _assert_problem(response, 401, "unauthorized")
            assert response.headers["www-authenticate"].lower().startswith("bearer")


def test_request_id_is_set_or_kept(stack: Stack, officer_token: str) -> None:
    auth = {"Authorization": f"Bearer {officer_token}"}
    mine = "system-test-" + uuid.uuid4().hex[:12]
    with stack.client() as client:
        generated = client.get(RESOURCES["funding-api"], headers=auth)
        kept = client.get(RESOURCES["funding-api"], headers={**auth, "X-Request-ID": mine})
        replaced = client.get(RESOURCES["funding-api"], headers={**auth, "X-Request-ID": "not ok <script>"})
    assert uuid.UUID(generated.headers["x-request-id"])
    assert kept.headers.get_list("x-request-id") == [mine]
    assert uuid.UUID(replaced.headers["x-request-id"])


def test_unknown_routes_are_problem_404(stack: Stack, officer_token: str) -> None:
    with stack.client() as client:
        in_service = client.get(
            "/api/registry/v1/no-such-thing", headers={"Authorization": f"Bearer {officer_token}"}
        )
        at_gateway = client.get("/api/no-such-service/v1/x")
        metrics = client.get("/api/registry/metrics")
    _assert_problem(in_service, 404, "not_found")
    _assert_problem(at_gateway, 404, "not_found")
    _assert_problem(metrics, 404, "not_found")  # scraped inside the network, not through the gateway


def test_gateway_headers(stack: Stack) -> None:
    with stack.client() as client:
        page = client.get("/")
        api = client.get("/api/registry/healthz")
    for response in (page, api):
        assert response.status_code == 200
        assert "server" not in response.headers
        assert "via" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert page.headers["content-type"].startswith("text/html")


def test_a_killed_service_is_isolated_and_restarted(stack: Stack, officer_token: str) -> None:
    auth = {"Authorization": f"Bearer {officer_token}"}
    before = stack.record("registry-api")
    assert before["pid"]
    os.kill(before["pid"], signal.SIGKILL)

    with stack.client() as client:
        # While it is down, its routes fail fast with a problem, never a hang ...
        started = time.monotonic()
        down = client.get(RESOURCES["registry-api"], headers=auth, timeout=5.0)
        assert time.monotonic() - started < 2.0
        body = _assert_problem(down, 503, "upstream_unavailable")
        assert body["type"] == "https://noxh.haiphong.gov.vn/problems/upstream-unavailable"
        assert down.headers["retry-after"].isdigit()
        assert down.headers["x-request-id"]
        # ... and the other services do not notice.
        for service in ("funding-api", "inspection-api"):
            assert client.get(RESOURCES[service], headers=auth).status_code == 200

        # The supervisor brings it back.
        deadline = time.monotonic() + 60
        while True:
            response = client.get(RESOURCES["registry-api"], headers=auth, timeout=5.0)
            if response.status_code == 200:
                break
            assert response.status_code == 503, response.text
            assert time.monotonic() < deadline, "registry-api did not come back within 60 s"
            time.sleep(0.25)

    after = stack.record("registry-api")
    assert after["restarts"] == before["restarts"] + 1
    assert after["pid"] != before["pid"]
    assert "registry-api: killed by SIGKILL" in stack.output.read_text()


def test_status_shows_the_running_stack(stack: Stack) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "devstack.cli", "status"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert f"stack: ready at {stack.base_url}/" in result.stdout
    names = ("issuer", "registry-api", "funding-api", "inspection-api", "gateway", "registry-api-worker")
    for name in names:
        assert re.search(rf"^\s+{name}\s+running", result.stdout, re.MULTILINE), result.stdout


# What each seeded demo account may read of each service's first resource (by role).
DEMO_RIGHTS = {
    "so.xaydung": {"registry-api": 200, "funding-api": 200, "inspection-api": 200},  # province officer
    "xa.haiduong": {"registry-api": 200, "funding-api": 403, "inspection-api": 200},  # commune officer
    "xa.thuynguyen": {"registry-api": 200, "funding-api": 403, "inspection-api": 200},  # commune officer
    "taichinh": {"registry-api": 200, "funding-api": 200, "inspection-api": 403},  # finance officer
    "thanhtra": {"registry-api": 200, "funding-api": 403, "inspection-api": 200},  # inspector
    "kiemtoan": {"registry-api": 200, "funding-api": 200, "inspection-api": 200},  # auditor
    "quantri": {"registry-api": 200, "funding-api": 403, "inspection-api": 403},  # administrator
}


@pytest.mark.parametrize("username", sorted(DEMO_RIGHTS))
def test_each_demo_account_signs_in_and_gets_what_its_role_allows(stack: Stack, username: str) -> None:
    with stack.client() as client:
        token = _pkce_login(client, username)
        headers = {"Authorization": f"Bearer {token}"}
        got = {name: client.get(path, headers=headers).status_code for name, path in RESOURCES.items()}
    assert got == DEMO_RIGHTS[username]


def test_a_service_calls_another_with_its_own_token(stack: Stack) -> None:
    """inspection-api confirms a plan's commune with registry-api, using its own client credentials."""
    with stack.client() as client:
        inspector = {"Authorization": f"Bearer {_pkce_login(client, 'thanhtra')}"}
        plan = {
            "name": "Quy hoạch phân khu phường Hải Dương",
            "level": "zoning",
            "status": "draft",
            "province_code": "31",
            "commune_code": "10525",
        }
        created = client.post("/api/inspection/v1/land-use-plans", json=plan, headers=inspector)
        assert created.status_code == 201, created.text
        # Ba Đình is a commune of Hà Nội, not of Hải Phòng: registry-api says so, the plan is refused.
        elsewhere = client.post(
            "/api/inspection/v1/land-use-plans", json={**plan, "commune_code": "00004"}, headers=inspector
        )
        _assert_problem(elsewhere, 422, "commune_not_in_province")
        auditor = {"Authorization": f"Bearer {_pkce_login(client, 'kiemtoan')}"}
        trail = client.get(
            "/api/inspection/v1/audit",
            params={"resource_type": "land_use_plan", "resource_id": created.json()["id"]},
            headers=auditor,
        )
        assert trail.status_code == 200, trail.text
        assert [r["action"] for r in trail.json()["items"]] == ["create"]
        # The worker seals the trail in the background; the chain verifies.
        verification = client.get("/api/inspection/v1/audit/verification", headers=auditor)
        assert verification.status_code == 200
        assert verification.json()["ok"] is True

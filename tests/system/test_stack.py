"""The real stack as processes (`noxh run`): the dev issuer, the three services and the Caddy gateway,
on free ports with a throwaway data folder, against the tests' PostgreSQL (`pg_admin_url`, with
databases of their own); one per session, started by conftest.py (`system_stack.py`). Everything is
reached through the gateway, as a browser or a partner would.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import uuid
from typing import Any

import httpx
import pytest
from system_stack import Stack
from system_stack import pkce_login as _pkce_login

from dev_issuer.seed import client_secret
from devstack import dev_secrets

pytestmark = [pytest.mark.system, pytest.mark.timeout(240)]

# Each service's first /v1 resource, readable by a province officer.
RESOURCES = {
    "registry-api": "/api/registry/v1/admin-units",
    "funding-api": "/api/funding/v1/funding-sources",
    "inspection-api": "/api/inspection/v1/land-use-plans",
}
PROBLEM_JSON = "application/problem+json"


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


# ======================================================================================================
# Reliability (issue 10, item 3): bad tokens through the gateway -> 401 problem at every service.
# Tokens are forged from a real officer token: its claims re-signed with the issuer's own key (so only
# the one property under test is wrong), with a key the issuer never published, with no signature
# (`alg: none`), or HS256 keyed with the published RSA public key (algorithm confusion).
# ======================================================================================================


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _issuer_key(stack: Stack) -> tuple[str, Any]:
    """The dev issuer's current signing key (kid, private key) from the stack's data folder."""
    from cryptography.hazmat.primitives import serialization

    index = next(stack.data_dir.rglob("keys.json"))
    entries = json.loads(index.read_text())
    entries = entries.get("keys", entries) if isinstance(entries, dict) else entries
    current = [e for e in entries if not e.get("retired_at")][-1]
    pem = (index.parent / f"{current['kid']}.pem").read_bytes()
    return current["kid"], serialization.load_pem_private_key(pem, None)


def _forged_tokens(stack: Stack, officer_token: str) -> dict[str, str]:
    import jwt
    from cryptography.hazmat.primitives import hashes, hmac, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    claims = jwt.decode(officer_token, options={"verify_signature": False})
    kid, key = _issuer_key(stack)
    now = int(time.time())

    def signed(**changes: Any) -> str:
        return jwt.encode({**claims, **changes}, key, algorithm="RS256", headers={"kid": kid})

    rogue = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = _b64url(json.dumps(claims).encode())
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mac = hmac.HMAC(public_pem, hashes.SHA256())
    mac.update(f"{header}.{payload}".encode())
    unsigned_header = _b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return {
        "expired": signed(iat=now - 7200, exp=now - 3600),
        "wrong audience": signed(aud="some-other-api"),
        "wrong issuer": signed(iss="https://evil.example/auth"),
        "alg none": f"{unsigned_header}.{payload}.",
        "key not in the JWKS": jwt.encode(claims, rogue, algorithm="RS256", headers={"kid": kid}),
        "unknown kid": jwt.encode(claims, rogue, algorithm="RS256", headers={"kid": "rogue-kid"}),
        "HS256 keyed with the public key": f"{header}.{payload}.{_b64url(mac.finalize())}",
    }


def test_reliability_a_resigned_twin_of_a_real_token_passes(stack: Stack, officer_token: str) -> None:
    # Guards the forgery itself: re-signing unchanged claims with the issuer's key must still pass.
    import jwt

    kid, key = _issuer_key(stack)
    claims = jwt.decode(officer_token, options={"verify_signature": False})
    twin = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
    with stack.client() as client:
        for path in RESOURCES.values():
            assert client.get(path, headers={"Authorization": f"Bearer {twin}"}).status_code == 200


def test_reliability_bad_tokens_are_401_problem_at_every_service(stack: Stack, officer_token: str) -> None:
    failures = []
    with stack.client() as client:
        for case, forged in _forged_tokens(stack, officer_token).items():
            for service, path in RESOURCES.items():
                response = client.get(path, headers={"Authorization": f"Bearer {forged}"})
                if response.status_code != 401 or not response.headers.get("content-type", "").startswith(
                    PROBLEM_JSON
                ):
                    failures.append(f"{case} at {service}: {response.status_code} {response.text[:200]}")
                elif response.json().get("code") != "unauthorized":
                    failures.append(f"{case} at {service}: code {response.json().get('code')}")
    assert not failures, "\n".join(failures)


def test_reliability_a_token_for_one_service_is_refused_by_another(stack: Stack) -> None:
    seed = dev_secrets.load_secrets(stack.data_dir / "secrets.env")[dev_secrets.ISSUER_SEED_SECRET]
    with stack.client() as client:
        issued = client.post(
            "/auth/token",
            data={"grant_type": "client_credentials", "audience": "registry-api"},
            auth=("partner-demo", client_secret(seed, "partner-demo")),
        )
        assert issued.status_code == 200, issued.text
        token = issued.json()["access_token"]
        response = client.get(RESOURCES["funding-api"], headers={"Authorization": f"Bearer {token}"})
    _assert_problem(response, 401, "unauthorized")


def _issuer_cli(stack: Stack, *args: str) -> None:
    """The operator's way to disable a client (the issuer's admin API is not exposed by the gateway)."""
    seed = dev_secrets.load_secrets(stack.data_dir / "secrets.env")[dev_secrets.ISSUER_SEED_SECRET]
    env = {
        **stack.env,
        "DEV_ISSUER_ENV": "dev",
        "DEV_ISSUER_DATA_DIR": str(stack.data_dir / "issuer"),
        "DEV_ISSUER_SEED_SECRET": seed,
        "DEV_ISSUER_ISSUER_URL": stack.base_url + "/auth",
    }
    done = subprocess.run(
        [sys.executable, "-m", "dev_issuer.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_reliability_a_disabled_client_gets_no_token(stack: Stack) -> None:
    seed = dev_secrets.load_secrets(stack.data_dir / "secrets.env")[dev_secrets.ISSUER_SEED_SECRET]
    credentials = ("partner-demo", client_secret(seed, "partner-demo"))
    grant = {"grant_type": "client_credentials", "audience": "registry-api"}
    with stack.client() as client:
        _issuer_cli(stack, "disable-client", "partner-demo")
        try:
            refused = client.post("/auth/token", data=grant, auth=credentials)
            assert refused.status_code == 401, refused.text
            assert "access_token" not in refused.text
        finally:
            _issuer_cli(stack, "enable-client", "partner-demo")
        assert client.post("/auth/token", data=grant, auth=credentials).status_code == 200


# ------------------------------------------------------------------ the services working together
# Each flow below crosses services for real (their own client-credentials tokens, no stubs), reached
# through the gateway as the people and the bank would reach them.


def _bank_token(stack: Stack) -> str:
    seed = dev_secrets.load_secrets(stack.data_dir / "secrets.env")[dev_secrets.ISSUER_SEED_SECRET]
    with stack.client() as client:
        issued = client.post(
            "/auth/token",
            data={"grant_type": "client_credentials", "audience": "funding-api"},
            auth=("vbsp-loan-system", client_secret(seed, "vbsp-loan-system")),
        )
    assert issued.status_code == 200, issued.text
    token: str = issued.json()["access_token"]
    return token


def _wait_for(fetch: Any, done: Any, timeout_s: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = fetch()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"not done within {timeout_s:.0f} s: {value}"
        time.sleep(0.5)


def test_funding_allocates_to_a_registry_case_and_registry_shows_the_line(stack: Stack) -> None:
    """funding-api checks the case with registry-api; registry-api shows the line funding-api owns."""
    with stack.client() as client:
        province = {"Authorization": f"Bearer {_pkce_login(client, 'so.xaydung')}"}
        finance = {"Authorization": f"Bearer {_pkce_login(client, 'taichinh')}"}
        cases = client.get("/api/registry/v1/support-cases", params={"status": "approved"}, headers=province)
        assert cases.status_code == 200, cases.text
        case = cases.json()["items"][0]
        sources = client.get("/api/funding/v1/funding-sources", headers=finance)
        assert sources.status_code == 200, sources.text
        source = next(s for s in sources.json()["items"] if s["province_code"] == "31")
        receipt = client.post(
            "/api/funding/v1/ledger/receipts",
            json={"source_id": source["id"], "amount_vnd": 500_000_000, "received_on": "2026-11-02"},
            headers=finance,
        )
        assert receipt.status_code == 201, receipt.text
        allocation = {
            "source_id": source["id"],
            "target_kind": "support_case",
            "support_case_id": case["id"],
            "amount_vnd": 12_345_000,
            "decision_number": "999/QĐ-UBND",
            "decision_date": "2026-11-03",
        }
        created = client.post("/api/funding/v1/allocations", json=allocation, headers=finance)
        assert created.status_code == 201, created.text

        detail = client.get(f"/api/registry/v1/support-cases/{case['id']}", headers=province)
        assert detail.status_code == 200, detail.text
        assert detail.json()["funding_status"] == "available"
        assert 12_345_000 in [line["amount_vnd"] for line in detail.json()["funding_lines"]]

        # A case registry-api does not know is refused, and nothing is allocated.
        unknown = client.post(
            "/api/funding/v1/allocations",
            json={**allocation, "support_case_id": str(uuid.uuid4())},
            headers=finance,
        )
        assert unknown.status_code == 422, unknown.text
        assert unknown.headers["content-type"].startswith(PROBLEM_JSON)


def test_a_bank_event_for_an_unknown_borrower_reaches_the_exception_queue_and_a_flag(stack: Stack) -> None:
    """The bank -> funding-api (registry-api confirms the borrower) -> inspection-api's profiteering job."""
    bank = {"Authorization": f"Bearer {_bank_token(stack)}"}
    loan_ref = "SYS-" + uuid.uuid4().hex[:10].upper()
    event = {
        "event_id": loan_ref + "-1",
        "loan_ref": loan_ref,
        "sequence": 1,
        "occurred_at": "2026-11-20T09:00:00+07:00",
        "type": "application_received",
        "borrower_citizen_id": "0" + str(secrets.randbelow(10**11)).zfill(11),
        "purpose": "buy",
        "province_code": "31",
        "commune_code": "10525",
        "contract_value_vnd": 900_000_000,
    }
    with stack.client() as client:
        key = {"Idempotency-Key": str(uuid.uuid4())}
        posted = client.post("/api/funding/v1/loan-events", json=event, headers={**bank, **key})
        assert posted.status_code in (200, 201), posted.text
        again = client.post("/api/funding/v1/loan-events", json=event, headers={**bank, **key})
        assert again.status_code == posted.status_code
        assert again.json() == posted.json()  # the same answer, replayed
        loan_id = posted.json()["loan_id"]
        # The bank cannot read the ledger nor the queue.
        assert client.get("/api/funding/v1/ledger/accounts", headers=bank).status_code == 403
        assert client.get("/api/funding/v1/loan-exceptions", headers=bank).status_code == 403

        finance = {"Authorization": f"Bearer {_pkce_login(client, 'taichinh')}"}

        def exceptions() -> list[dict[str, Any]]:
            page = client.get(
                "/api/funding/v1/loan-exceptions", params={"reason": "unknown_borrower"}, headers=finance
            )
            assert page.status_code == 200, page.text
            return [e for e in page.json()["items"] if e["loan_id"] == loan_id]

        _wait_for(exceptions, bool)

        inspector = {"Authorization": f"Bearer {_pkce_login(client, 'thanhtra')}"}
        run = client.post("/api/inspection/v1/profiteering-runs", headers=inspector)
        assert run.status_code == 202, run.text

        def finished() -> dict[str, Any]:
            got = client.get(f"/api/inspection/v1/profiteering-runs/{run.json()['id']}", headers=inspector)
            assert got.status_code == 200, got.text
            body: dict[str, Any] = got.json()
            return body

        done = _wait_for(finished, lambda r: r["status"] in ("succeeded", "delayed", "failed"), 120)
        assert done["status"] == "succeeded", done

        def flags() -> list[dict[str, Any]]:
            page = client.get(
                "/api/inspection/v1/profiteering-flags",
                params={"kind": "loan_unknown_borrower", "limit": 100},
                headers=inspector,
            )
            assert page.status_code == 200, page.text
            return [f for f in page.json()["items"] if loan_id in json.dumps(f)]

        assert flags(), "the unknown borrower's loan raised no flag"
        # Registry-api's signals came through too: the demo's resale inside the five-year lock.
        resale = client.get(
            "/api/inspection/v1/profiteering-flags", params={"kind": "resale_within_lock"}, headers=inspector
        )
        assert resale.status_code == 200, resale.text
        assert resale.json()["items"], "registry-api's resale inside the lock raised no flag"
        # Running again raises nothing twice.
        rerun = client.post("/api/inspection/v1/profiteering-runs", headers=inspector)
        again_done = _wait_for(
            lambda: client.get(
                f"/api/inspection/v1/profiteering-runs/{rerun.json()['id']}", headers=inspector
            ).json(),
            lambda r: r["status"] in ("succeeded", "delayed", "failed"),
            120,
        )
        assert again_done["status"] == "succeeded", again_done
        assert again_done["flags_raised"] == 0
        assert len(flags()) == 1

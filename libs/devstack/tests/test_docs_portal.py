"""The gateway (the real Caddy and Caddyfile) serves the API portal at `/docs` from the platform itself,
and publishes the identity provider's account administration, and only that, at `/api/identity/v1`.

Upstreams are one small stub HTTP server that answers with the path it received.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from devstack import docs, gateway
from devstack.stack import StackConfig, gateway_env

SERVICES = ("registry-api", "funding-api", "inspection-api")
VENDOR = docs.source_dir() / "vendor"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "authorization": self.headers.get("Authorization")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def gateway_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("portal")
    docs.build_portal(tmp / "docs")
    stub = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    upstream = f"127.0.0.1:{stub.server_address[1]}"
    port = free_port()
    env = {
        **os.environ,
        **gateway.caddy_base_env(tmp / "caddy"),
        "NOXH_GATEWAY_PORT": str(port),
        "DOCS_ROOT": str(tmp / "docs"),
        "SPA_ROOT": str(tmp / "no-spa"),
        "ISSUER_UPSTREAM": upstream,
        "REGISTRY_UPSTREAM": upstream,
        "FUNDING_UPSTREAM": upstream,
        "INSPECTION_UPSTREAM": upstream,
    }
    log = (tmp / "caddy.log").open("wb")
    proc = subprocess.Popen(gateway.caddy_argv(), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("caddy did not start: " + (tmp / "caddy.log").read_text())
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()
        stub.shutdown()


class Links(HTMLParser):
    """Every URL a page would load or lead to (src, href, action)."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in ("src", "href", "action") and v]


def assert_self_contained(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    for url in Links(response.text).urls:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE), url
    policy = response.headers["content-security-policy"]
    assert "http" not in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy


def test_docs_redirects_to_the_portal_index(gateway_url: str) -> None:
    response = httpx.get(gateway_url + "/docs")
    assert response.status_code == 308
    assert response.headers["location"] == "/docs/"
    index = httpx.get(gateway_url + "/docs/")
    assert_self_contained(index)
    for service in SERVICES:
        assert f'href="api.html?service={service}"' in index.text
        assert f'href="specs/{service}.json"' in index.text
    assert "/api/registry" in index.text


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_document_is_served_with_the_gateway_path_as_server(
    gateway_url: str, service: str
) -> None:
    response = httpx.get(f"{gateway_url}/docs/specs/{service}.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.1")
    assert spec["servers"] == [
        {"url": docs.GATEWAY_PATHS[service], "description": "through the NOXH gateway"}
    ]
    committed = json.loads(docs.spec_path(service).read_text())
    assert set(spec["paths"]) == set(committed["paths"])
    assert spec["paths"] == docs.with_examples(committed)["paths"]  # the committed one, with examples


def _json_bodies(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, media type object) of every JSON body the operation describes."""
    for media_type, media in ((operation.get("requestBody") or {}).get("content") or {}).items():
        if "json" in media_type:
            yield "request", media
    for status, response in (operation.get("responses") or {}).items():
        for media_type, media in (response.get("content") or {}).items():
            if "json" in media_type:
                yield str(status), media


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_has_examples_that_fit_its_schemas(gateway_url: str, service: str) -> None:
    spec = httpx.get(f"{gateway_url}/docs/specs/{service}.json").json()
    missing, invalid, without_problem = [], [], []
    for path, item in spec["paths"].items():
        for method in docs.METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            name = f"{method.upper()} {path}"
            problems = [m for w, m in _json_bodies(operation) if w != "request" and not w.startswith("2")]
            if problems and not any("examples" in m or "example" in m for m in problems):
                without_problem.append(name)
            for where, media in _json_bodies(operation):
                if not (where == "request" or where.startswith("2")):
                    continue
                if "example" not in media and "examples" not in media:
                    missing.append(f"{name} {where}")
                    continue
                values = (
                    [media["example"]]
                    if "example" in media
                    else [e.get("value") for e in media["examples"].values()]
                )
                validator = Draft202012Validator({**media["schema"], "components": spec["components"]})
                invalid += [f"{name} {where}: {e.message}" for v in values for e in validator.iter_errors(v)]
    assert not missing, missing
    assert not invalid, invalid
    # Every error answer documents its problems by example (one per `code`): at least one per operation.
    assert not without_problem, without_problem


def test_swagger_ui_is_served_from_the_platform(gateway_url: str) -> None:
    page = httpx.get(gateway_url + "/docs/api.html?service=funding-api")
    assert_self_contained(page)
    scripts = [u for u in Links(page.text).urls if u.endswith(".js")]
    assert scripts == ["vendor/swagger-ui-dist/swagger-ui-bundle.js", "portal.js"]
    assert "<script>" not in page.text  # no inline script: the policy forbids it
    notes = (VENDOR / "VENDOR.md").read_text()
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        served = httpx.get(f"{gateway_url}/docs/vendor/swagger-ui-dist/{name}")
        assert served.status_code == 200
        digest = hashlib.sha256(served.content).hexdigest()
        assert f"`{name}` `{digest}`" in notes, f"{name} differs from the pinned swagger-ui-dist 5.35.0"
    initializer = httpx.get(gateway_url + "/docs/portal.js").text
    assert "validatorUrl: null" in initializer


def test_the_guide_covers_the_conventions(gateway_url: str) -> None:
    guide = httpx.get(gateway_url + "/docs/guide.html")
    assert_self_contained(guide)
    sections = (
        "authentication",
        "pagination",
        "idempotency",
        "etags",
        "quotas",
        "versioning",
        "deprecation",
        "events",
        "webhooks",
        "errors",
        "examples",
    )
    for section in sections:
        assert f'id="{section}"' in guide.text, section
    for words in (
        "client_credentials",
        "registry:events:read",
        "RateLimit-Remaining",
        "Retry-After",
        "Deprecation",
        "Sunset",
        "webhook-signature",
        "whsec_",
        "openapi/released",
    ):
        assert words in guide.text, words
    assert 'href="examples.html"' in guide.text


def test_the_client_examples_are_published(gateway_url: str) -> None:
    page = httpx.get(gateway_url + "/docs/examples.html")
    assert_self_contained(page)
    for relative in docs.CLIENT_EXAMPLES.values():
        source = (docs.repo_root() / relative).read_text()
        assert html.escape(source) in page.text, relative
    assert 'id="python"' in page.text
    assert 'id="typescript"' in page.text


def test_problem_types_are_indexed_at_their_type_uris(gateway_url: str) -> None:
    page = httpx.get(gateway_url + "/docs/problems.html")
    assert_self_contained(page)
    for slug in ("not-found", "unauthorized", "invalid-cursor"):
        assert f'<tr id="{slug}">' in page.text
    moved = httpx.get(gateway_url + "/problems/not-found")
    assert moved.status_code == 302
    assert moved.headers["location"] == "/docs/problems.html#not-found"


def test_only_the_account_administration_of_the_identity_provider_is_published(gateway_url: str) -> None:
    reached = httpx.get(
        gateway_url + "/api/identity/v1/accounts?limit=5", headers={"Authorization": "Bearer t"}
    )
    assert reached.status_code == 200
    assert reached.json() == {"path": "/identity/v1/accounts?limit=5", "authorization": "Bearer t"}
    for path in (
        "/auth/admin/keys/rotate",
        "/auth/admin/clients/partner-demo/disable",
        "/api/identity/admin/keys/rotate",
        "/api/identity/v2/accounts",
        "/api/identity/",
    ):
        refused = httpx.post(gateway_url + path)
        assert refused.status_code == 404, path
        assert refused.headers["content-type"] == "application/problem+json"


def test_make_run_builds_the_portal_and_points_the_gateway_at_it(tmp_path: Path) -> None:
    cfg = StackConfig.from_env({"NOXH_DATA_DIR": str(tmp_path / "data"), "NOXH_ISSUER_PORT": "18100"})
    env = gateway_env(cfg)
    assert env["DOCS_ROOT"] == str(cfg.docs_dir)
    assert env["ISSUER_UPSTREAM"] == "127.0.0.1:18100"  # also serves /api/identity/v1
    docs.build_portal(cfg.docs_dir, cfg.root)
    docs.build_portal(cfg.docs_dir, cfg.root)  # rebuilt by every run, over the last one
    assert {p.name for p in (cfg.docs_dir / "specs").iterdir()} == {f"{s}.json" for s in SERVICES}
    ok, output = gateway.validate({k: v for k, v in env.items() if not k.startswith("XDG_")}, tmp_path)
    assert ok, output


def test_the_portal_builder_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.main([str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "index.html").is_file()
    assert "{{" not in (tmp_path / "out" / "index.html").read_text()
    assert docs.SERVICES_MARKER not in (tmp_path / "out" / "index.html").read_text()
    assert docs.main([]) == 2

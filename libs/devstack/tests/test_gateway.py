"""The one Caddyfile: valid for development and for production values, with the promised routes."""

from __future__ import annotations

from pathlib import Path

import pytest

from devstack import gateway

DEV: dict[str, str] = {}
PRODUCTION = {
    "NOXH_GATEWAY_BIND": "0.0.0.0",  # noqa: S104 (the container's listener, not ours)
    "NOXH_GATEWAY_PORT": "8080",
    "REGISTRY_UPSTREAM": "registry-api:8000",
    "FUNDING_UPSTREAM": "funding-api:8000",
    "INSPECTION_UPSTREAM": "inspection-api:8000",
    "ISSUER_UPSTREAM": "keycloak:8080",
    "SPA_ROOT": "/srv/spa",
}


@pytest.mark.parametrize("env", [DEV, PRODUCTION], ids=["dev-defaults", "production"])
def test_caddyfile_validates(env: dict[str, str], tmp_path: Path) -> None:
    ok, output = gateway.validate(env, tmp_path)
    assert ok, output
    assert "Valid configuration" in output


def test_caddyfile_keeps_its_promises() -> None:
    text = gateway.caddyfile().read_text()
    for needle in (
        "admin off",
        "auto_https off",
        "{$NOXH_GATEWAY_BIND:127.0.0.1}",
        "{$REGISTRY_UPSTREAM:127.0.0.1:8101}",
        "{$FUNDING_UPSTREAM:127.0.0.1:8102}",
        "{$INSPECTION_UPSTREAM:127.0.0.1:8103}",
        "{$ISSUER_UPSTREAM:127.0.0.1:8100}",
        "handle_path /api/registry/*",
        "handle_path /auth/*",
        "try_files {path} /index.html",
        "max_size {$NOXH_MAX_BODY:20MB}",
        "dial_timeout",
        "response_header_timeout",
        "application/problem+json",
        "upstream_unavailable",
        "Retry-After",
        "-Server",
        "X-Request-ID",
        "encode zstd gzip",
    ):
        assert needle in text, needle

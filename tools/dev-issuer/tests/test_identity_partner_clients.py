"""Partner clients registered by administrators: scopes, quota, secret rotation and revocation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from issuer_helpers import Env, claims_of

from dev_issuer.cli import mint_token

BASE = "/identity/v1/partner-clients"


def admin_headers(env: Env, **extra: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_token(env.settings, "administrator", "dev-issuer"), **extra}


async def register(env: Env, **overrides: Any) -> httpx.Response:
    body = {
        "client_id": "so-thong-ke",
        "name": "Cục Thống kê thành phố",
        "scopes": ["registry:projects:read", "registry:statistics:read"],
        "quota_per_minute": 120,
        **overrides,
    }
    return await env.client.post(BASE, json=body, headers=admin_headers(env))


async def token(env: Env, client_id: str, secret: str, **data: str) -> httpx.Response:
    return await env.client.post(
        "/token", data={"grant_type": "client_credentials", **data}, auth=(client_id, secret)
    )


async def actions(env: Env) -> list[str]:
    response = await env.client.get(
        "/identity/v1/audit-events", params={"limit": 100}, headers=admin_headers(env)
    )
    return [e["action"] for e in response.json()["items"] if e["target_type"] == "partner_client"]


async def test_a_registered_partner_gets_tokens_with_its_scopes_only(env: Env) -> None:
    created = await register(env)
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body.pop("client_secret")
    assert body["status"] == "active"
    assert body["quota_per_minute"] == 120
    assert created.headers["ETag"] == 'W/"1"'
    # The secret is shown once: neither the store, the log nor a read shows it.
    for name in ("partner-clients.json", "audit.jsonl"):
        assert secret not in (env.settings.DATA_DIR / name).read_text()
    read = await env.client.get(f"{BASE}/so-thong-ke", headers=admin_headers(env))
    assert read.json() == body

    issued = await token(env, "so-thong-ke", secret, audience="registry-api")
    assert issued.status_code == 200, issued.text
    claims = claims_of(issued.json()["access_token"])
    assert claims["scope"] == "registry:projects:read registry:statistics:read"
    assert claims["roles"] == ["partner"]
    assert claims["aud"] == "registry-api"
    assert claims["azp"] == "so-thong-ke"
    assert claims["exp"] - claims["iat"] <= 300
    # The services count its requests against this (servicekit.quota).
    assert claims["quota_per_minute"] == 120
    wider = await token(env, "so-thong-ke", secret, scope="funding:events:read")
    assert wider.status_code == 400
    assert wider.json()["error"] == "invalid_scope"
    assert (await token(env, "so-thong-ke", "wrong")).status_code == 401
    # Client credentials only.
    refresh = await env.client.post(
        "/token", data={"grant_type": "refresh_token", "refresh_token": "x"}, auth=("so-thong-ke", secret)
    )
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "unauthorized_client"


async def test_grant_scopes_and_quota_rotate_then_revoke(env: Env) -> None:
    created = await register(env)
    old_secret = created.json()["client_secret"]
    changed = await env.client.patch(
        f"{BASE}/so-thong-ke",
        json={"scopes": ["registry:projects:read", "funding:events:read"], "quota_per_minute": 30},
        headers=admin_headers(env, **{"If-Match": created.headers["ETag"]}),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["quota_per_minute"] == 30
    issued = await token(env, "so-thong-ke", old_secret)
    claims = claims_of(issued.json()["access_token"])
    assert claims["scope"] == "registry:projects:read funding:events:read"
    assert claims["quota_per_minute"] == 30  # the next token carries the new quota

    rotated = await env.client.post(
        f"{BASE}/so-thong-ke/rotate-secret",
        headers=admin_headers(env, **{"If-Match": changed.headers["ETag"]}),
    )
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["client_secret"]
    assert new_secret != old_secret
    assert (await token(env, "so-thong-ke", old_secret)).status_code == 401
    assert (await token(env, "so-thong-ke", new_secret)).status_code == 200

    revoked = await env.client.post(
        f"{BASE}/so-thong-ke/revoke", headers=admin_headers(env, **{"If-Match": rotated.headers["ETag"]})
    )
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    refused = await token(env, "so-thong-ke", new_secret)
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    # A revoked client stays revoked: no more changes, no new secret.
    again = await env.client.post(
        f"{BASE}/so-thong-ke/rotate-secret",
        headers=admin_headers(env, **{"If-Match": revoked.headers["ETag"]}),
    )
    assert again.status_code == 409
    assert again.json()["code"] == "client_revoked"
    assert await actions(env) == [
        "partner_client.registered",
        "partner_client.updated",
        "partner_client.secret_rotated",
        "partner_client.revoked",
    ]


@pytest.mark.parametrize(
    ("overrides", "pointer"),
    [
        ({"client_id": "Bad Id"}, "/client_id"),
        ({"scopes": ["registry:write"]}, "/scopes"),
        ({"scopes": []}, "/scopes"),
        ({"quota_per_minute": 0}, "/quota_per_minute"),
        ({"quota_per_minute": "many"}, "/quota_per_minute"),
        ({"name": ""}, "/name"),
    ],
)
async def test_bad_registrations_are_refused_field_by_field(
    env: Env, overrides: dict[str, Any], pointer: str
) -> None:
    response = await register(env, **overrides)
    assert response.status_code == 422
    assert pointer in [e["pointer"] for e in response.json()["errors"]]
    assert await actions(env) == []


async def test_taken_ids_stale_versions_and_strangers(env: Env) -> None:
    assert (await register(env, client_id="partner-demo")).status_code == 409  # a seeded client
    created = await register(env)
    assert (await register(env)).status_code == 409
    stale = await env.client.patch(
        f"{BASE}/so-thong-ke",
        json={"quota_per_minute": 5},
        headers=admin_headers(env, **{"If-Match": 'W/"7"'}),
    )
    assert stale.status_code == 412
    no_match = await env.client.post(f"{BASE}/so-thong-ke/revoke", headers=admin_headers(env))
    assert no_match.status_code == 428
    assert (await env.client.get(f"{BASE}/nobody", headers=admin_headers(env))).status_code == 404
    partner = mint_token(env.settings, "partner", "registry-api")
    stranger = await env.client.post(
        f"{BASE}/so-thong-ke/rotate-secret",
        headers={"Authorization": "Bearer " + partner, "If-Match": created.headers["ETag"]},
    )
    assert stranger.status_code == 401
    listed = await env.client.get(BASE, params={"limit": 1}, headers=admin_headers(env))
    assert [c["client_id"] for c in listed.json()["items"]] == ["so-thong-ke"]
    assert listed.json()["next_cursor"] is None

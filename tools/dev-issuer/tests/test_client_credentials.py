from __future__ import annotations

import hashlib
import hmac

import pytest
from issuer_helpers import SEED, SPA, Env, secret_of

from dev_issuer.directory import PARTNER_SCOPES
from dev_issuer.seed import CLIENTS, client_secret


def test_client_secrets_are_derived_from_the_seed() -> None:
    expected = hmac.new(SEED.encode(), b"vbsp-loan-system", hashlib.sha256).hexdigest()[:40]
    assert client_secret(SEED, "vbsp-loan-system") == expected
    assert len(expected) == 40
    assert client_secret(SEED, "partner-demo") != expected
    assert client_secret("another-seed-value", "vbsp-loan-system") != expected


async def test_basic_auth_gets_a_token_for_all_allowed_audiences(env: Env) -> None:
    response = await env.machine_token("vbsp-loan-system")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert "refresh_token" not in body
    claims = await env.verify(body["access_token"], audience="funding-api")
    assert claims["aud"] == ["funding-api", "registry-api"]
    assert claims["azp"] == "vbsp-loan-system"
    assert claims["quota_per_minute"] == CLIENTS["vbsp-loan-system"].quota_per_minute
    assert claims["roles"] == ["bank_integration"]
    assert claims["scope"] == "loans:events:write eligibility:request"
    assert claims["area_codes"] == ["31"]
    assert claims["preferred_username"] == "service-account-vbsp-loan-system"
    assert {"sub", "iat", "nbf", "exp", "jti", "name"} <= set(claims)


async def test_form_fields_and_a_requested_audience(env: Env) -> None:
    response = await env.client.post(
        "/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "partner-demo",
            "client_secret": secret_of("partner-demo"),
            "audience": "inspection-api",
            "scope": "inspection:events:read",
        },
    )
    assert response.status_code == 200, response.text
    claims = await env.verify(response.json()["access_token"], audience="inspection-api")
    assert claims["aud"] == "inspection-api"
    assert claims["roles"] == ["partner"]
    assert claims["scope"] == "inspection:events:read"
    assert claims["quota_per_minute"] == CLIENTS["partner-demo"].quota_per_minute == 600


@pytest.mark.parametrize("service", ["registry-api", "funding-api", "inspection-api"])
async def test_each_service_may_call_the_other_two_but_not_itself(env: Env, service: str) -> None:
    others = [s for s in ("registry-api", "funding-api", "inspection-api") if s != service]
    for audience in others:
        response = await env.machine_token(service, audience=audience)
        assert response.status_code == 200
        claims = await env.verify(response.json()["access_token"], audience=audience)
        assert claims["roles"] == ["service"]
        assert claims["azp"] == service
    refused = await env.machine_token(service, audience=service)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_target"


async def test_an_audience_the_client_may_not_have_is_refused(env: Env) -> None:
    response = await env.machine_token("vbsp-loan-system", audience="inspection-api")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_target"
    assert body["error_description"]


async def test_a_scope_the_client_may_not_have_is_refused(env: Env) -> None:
    response = await env.machine_token("vbsp-loan-system", scope="registry:read")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


async def test_wrong_secret_is_401(env: Env) -> None:
    basic = await env.client.post(
        "/token", data={"grant_type": "client_credentials"}, auth=("vbsp-loan-system", "wrong")
    )
    assert basic.status_code == 401
    assert basic.json()["error"] == "invalid_client"
    assert basic.headers["www-authenticate"].startswith("Basic")
    form = await env.client.post(
        "/token",
        data={"grant_type": "client_credentials", "client_id": "vbsp-loan-system", "client_secret": "wrong"},
    )
    assert form.status_code == 401
    # Another client's secret is a wrong secret too.
    crossed = await env.client.post(
        "/token",
        data={"grant_type": "client_credentials"},
        auth=("vbsp-loan-system", secret_of("partner-demo")),
    )
    assert crossed.status_code == 401


async def test_missing_secret_and_unknown_client_are_401(env: Env) -> None:
    no_secret = await env.client.post(
        "/token", data={"grant_type": "client_credentials", "client_id": "partner-demo"}
    )
    assert no_secret.status_code == 401
    unknown = await env.client.post("/token", data={"grant_type": "client_credentials"}, auth=("ghost", "x"))
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_client"


async def test_public_clients_cannot_use_client_credentials(env: Env) -> None:
    response = await env.client.post("/token", data={"grant_type": "client_credentials", "client_id": SPA})
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


async def test_two_authentication_methods_at_once_are_refused(env: Env) -> None:
    response = await env.client.post(
        "/token",
        data={"grant_type": "client_credentials", "client_secret": secret_of("partner-demo")},
        auth=("partner-demo", secret_of("partner-demo")),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_malformed_requests_follow_the_oauth_error_format(env: Env) -> None:
    cases = [
        ({}, "invalid_request"),
        ({"grant_type": "password", "username": "quantri"}, "unsupported_grant_type"),
    ]
    for data, error in cases:
        response = await env.client.post("/token", data=data)
        assert response.status_code == 400
        assert response.json() == {"error": error, "error_description": response.json()["error_description"]}
    duplicated = await env.client.post(
        "/token",
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=("partner-demo", secret_of("partner-demo")),
    )
    assert duplicated.status_code == 400
    assert duplicated.json()["error"] == "invalid_request"


def test_seeded_clients_are_as_agreed() -> None:
    assert CLIENTS["noxh-spa"].public
    assert CLIENTS["noxh-inspector-app"].public
    assert CLIENTS["partner-demo"].audiences == ("registry-api", "funding-api", "inspection-api")
    assert CLIENTS["vbsp-loan-system"].audiences == ("funding-api", "registry-api")
    # The demo partner holds every scope an administrator may grant a partner, and a quota; the other
    # machines have none (their tokens carry no quota_per_minute).
    assert set(CLIENTS["partner-demo"].scopes) == set(PARTNER_SCOPES)
    # Machine clients from outside carry a quota (servicekit.quota); NOXH's own services and browsers none.
    limited = {n for n, c in CLIENTS.items() if c.quota_per_minute is not None}
    assert limited == {"partner-demo", "vbsp-loan-system"}
    for name in ("noxh-spa", "noxh-inspector-app"):
        client = CLIENTS[name]
        assert client.allows_redirect("http://localhost:8000/app/callback")
        assert client.allows_redirect("http://localhost:5173/")
        assert not client.allows_redirect("http://localhost:8001/")

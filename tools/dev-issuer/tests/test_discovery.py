from __future__ import annotations

from issuer_helpers import ISSUER_URL, Env


async def test_discovery_document_names_every_endpoint_under_the_issuer_url(env: Env) -> None:
    response = await env.client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    assert doc["issuer"] == ISSUER_URL
    assert doc["authorization_endpoint"] == ISSUER_URL + "/authorize"
    assert doc["token_endpoint"] == ISSUER_URL + "/token"
    assert doc["jwks_uri"] == ISSUER_URL + "/jwks"
    assert doc["userinfo_endpoint"] == ISSUER_URL + "/userinfo"
    assert doc["end_session_endpoint"] == ISSUER_URL + "/logout"
    assert set(doc["grant_types_supported"]) == {"authorization_code", "client_credentials", "refresh_token"}
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["response_types_supported"] == ["code"]
    assert {"roles", "area_codes", "scope", "azp"} <= set(doc["claims_supported"])


async def test_routes_are_served_at_the_root_as_the_gateway_forwards_them(env: Env) -> None:
    # The gateway strips `/auth`; reached directly, the issuer path works too (as above).
    response = await env.client.get("http://127.0.0.1:8000/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.json()["issuer"] == ISSUER_URL
    assert (await env.client.get("http://127.0.0.1:8000/healthz")).json() == {"status": "ok"}


async def test_jwks_publishes_one_rs256_signing_key_without_private_parts(env: Env) -> None:
    keys = (await env.jwks())["keys"]
    assert len(keys) == 1
    (key,) = keys
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"]
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


async def test_no_openapi_pages_that_would_load_assets_from_a_cdn(env: Env) -> None:
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert (await env.client.get(path)).status_code == 404


async def test_the_spa_origins_may_call_the_token_endpoint_from_the_browser(env: Env) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = await env.client.options("/token", headers={"Origin": "http://localhost:5173", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:5173"
    refused = await env.client.options("/token", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in refused.headers


async def test_the_issuer_url_itself_shows_a_page(env: Env) -> None:
    for url in (ISSUER_URL, ISSUER_URL + "/", "http://127.0.0.1:8000/"):
        response = await env.client.get(url)
        assert response.status_code == 200
        assert ISSUER_URL + "/.well-known/openid-configuration" in response.text

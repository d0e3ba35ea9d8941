from __future__ import annotations

from typing import Any

from issuer_helpers import SPA, Env, claims_of


async def refresh(env: Env, token: str, client_id: str = SPA, **extra: str) -> Any:
    return await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": client_id, "refresh_token": token, **extra},
    )


async def test_refresh_rotates_the_refresh_token(env: Env) -> None:
    tokens = await env.person_tokens(username="thanhtra")
    first = await refresh(env, tokens["refresh_token"])
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["refresh_token"] != tokens["refresh_token"]
    assert body["access_token"] != tokens["access_token"]
    assert claims_of(body["access_token"])["roles"] == ["inspector"]
    assert claims_of(body["id_token"])["sub"] == claims_of(tokens["id_token"])["sub"]
    # The new one works in turn.
    assert (await refresh(env, body["refresh_token"])).status_code == 200


async def test_reusing_a_spent_refresh_token_revokes_the_family(env: Env) -> None:
    tokens = await env.person_tokens()
    second = (await refresh(env, tokens["refresh_token"])).json()["refresh_token"]
    reuse = await refresh(env, tokens["refresh_token"])
    assert reuse.status_code == 400
    assert reuse.json()["error"] == "invalid_grant"
    # The attacker's replay also ends the legitimate holder's session.
    assert (await refresh(env, second)).status_code == 400
    # Another login is a new family and is unaffected.
    other = await env.person_tokens()
    assert (await refresh(env, other["refresh_token"])).status_code == 200


async def test_refresh_token_is_bound_to_its_client(env: Env) -> None:
    tokens = await env.person_tokens()
    response = await refresh(env, tokens["refresh_token"], client_id="noxh-inspector-app")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_refresh_may_narrow_but_not_widen_the_scope(env: Env) -> None:
    tokens = await env.person_tokens()
    wider = await refresh(env, tokens["refresh_token"], scope="openid profile loans:events:write")
    assert wider.status_code == 400
    assert wider.json()["error"] == "invalid_scope"
    # A refused widening spends nothing.
    narrower = await refresh(env, tokens["refresh_token"], scope="openid")
    assert narrower.status_code == 200
    assert claims_of(narrower.json()["access_token"])["scope"] == "openid"
    # The rotated refresh token keeps the login's scope.
    later = await refresh(env, narrower.json()["refresh_token"])
    assert claims_of(later.json()["access_token"])["scope"] == "openid profile"


async def test_refresh_tokens_end_with_the_refresh_lifetime(env: Env) -> None:
    tokens = await env.person_tokens()
    assert 0 < tokens["refresh_expires_in"] <= env.settings.REFRESH_TTL_S
    env.clock.offset = env.settings.REFRESH_TTL_S + 1
    response = await refresh(env, tokens["refresh_token"])
    assert response.status_code == 400


async def test_unknown_refresh_token_is_invalid_grant(env: Env) -> None:
    response = await refresh(env, "not-a-token")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from issuer_helpers import ISSUER_URL, PASSWORD, SPA, SPA_CALLBACK, Env, LoginForm, claims_of, pkce_pair

from dev_issuer.store import CODE_TTL_S, LOGIN_MAX_FAILURES

SERVICES = ["registry-api", "funding-api", "inspection-api"]


def authorize_params(**overrides: str) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": SPA,
        "redirect_uri": SPA_CALLBACK,
        "scope": "openid profile",
        "state": "st-1",
        "code_challenge": pkce_pair()[1],
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v != ""}


async def test_login_page_is_vietnamese_and_self_contained(env: Env) -> None:
    response = await env.client.get("/authorize", params=authorize_params())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="vi">' in page
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text in page
    # No external assets: no scripts, stylesheets or images from anywhere.
    assert not re.search(r"<(script|link|img)\b", page)
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert LoginForm(page).action == ISSUER_URL + "/authorize"


async def test_full_flow_like_a_browser(env: Env) -> None:
    verifier, challenge = pkce_pair()
    response = await env.login(username="xa.haiduong", challenge=challenge, state="abc", nonce="nonce-1")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == SPA_CALLBACK
    query = parse_qs(location.query)
    assert query["state"] == ["abc"]
    assert query["iss"] == [ISSUER_URL]

    tokens = await env.exchange(query["code"][0], verifier)
    assert tokens.status_code == 200, tokens.text
    assert tokens.headers["cache-control"] == "no-store"
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert body["refresh_token"]
    assert body["scope"] == "openid profile"

    access = await env.verify(body["access_token"], audience="registry-api")
    assert access["iss"] == ISSUER_URL
    assert access["aud"] == SERVICES
    assert access["azp"] == SPA
    assert access["roles"] == ["commune_officer"]
    assert access["area_codes"] == ["10525"]
    assert access["scope"] == "openid profile"
    assert access["name"] == "Trần Thị Bình — UBND phường Hải Dương"
    assert access["preferred_username"] == "xa.haiduong"
    assert access["nbf"] == access["iat"]
    assert {"sub", "exp", "jti"} <= set(access)

    id_token = await env.verify(body["id_token"], audience=SPA)
    assert id_token["sub"] == access["sub"]
    assert id_token["nonce"] == "nonce-1"
    assert id_token["azp"] == SPA
    assert "auth_time" in id_token


async def test_login_hint_prefills_the_username(env: Env) -> None:
    response = await env.client.get("/authorize", params=authorize_params(login_hint="thanhtra"))
    assert LoginForm(response.text).fields["username"] == "thanhtra"


async def test_wrong_verifier_is_refused_and_spends_the_code(env: Env) -> None:
    code, verifier = await env.code()
    wrong = await env.exchange(code, pkce_pair()[0])
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    # The code cannot then be tried again with the right verifier either.
    assert (await env.exchange(code, verifier)).status_code == 400


async def test_code_is_single_use_and_a_replay_revokes_what_it_obtained(env: Env) -> None:
    code, verifier = await env.code()
    first = await env.exchange(code, verifier)
    assert first.status_code == 200
    again = await env.exchange(code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    refresh = await env.client.post(
        "/token",
        data={
            "grant_type": "refresh_token",
            "client_id": SPA,
            "refresh_token": first.json()["refresh_token"],
        },
    )
    assert refresh.status_code == 400


async def test_code_expires_after_sixty_seconds(env: Env) -> None:
    code, verifier = await env.code()
    env.clock.offset = CODE_TTL_S + 1
    response = await env.exchange(code, verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_code_is_bound_to_its_redirect_uri_and_client(env: Env) -> None:
    code, verifier = await env.code()
    other_uri = await env.exchange(code, verifier, redirect_uri="http://127.0.0.1:5173/other")
    assert other_uri.status_code == 400
    code, verifier = await env.code()
    other_client = await env.exchange(code, verifier, client_id="noxh-inspector-app")
    assert other_client.status_code == 400
    assert other_client.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge_method": "plain"},
        {"code_challenge_method": ""},  # absent means plain (RFC 7636)
        {"code_challenge": ""},
    ],
    ids=["plain", "no-method", "no-challenge"],
)
async def test_pkce_s256_is_required(env: Env, overrides: dict[str, str]) -> None:
    response = await env.client.get("/authorize", params=authorize_params(state="s9", **overrides))
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"]
    assert query["state"] == ["s9"]
    assert "code" not in query


async def test_a_forged_form_post_with_plain_pkce_gets_no_code(env: Env) -> None:
    verifier = pkce_pair()[0]
    fields = authorize_params(code_challenge=verifier, code_challenge_method="plain")
    response = await env.client.post(
        "/authorize", data={**fields, "username": "quantri", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "code=" not in response.headers["location"]
    assert "error=invalid_request" in response.headers["location"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://evil.example/callback",
        "http://127.0.0.1:9999/callback",
        "https://127.0.0.1:5173/callback",
        "http://127.0.0.1:5173.evil.example/callback",
        "http://127.0.0.1:5173@evil.example/callback",
        "http://127.0.0.1:5173/callback#fragment",
        "",
    ],
)
async def test_a_bad_redirect_uri_shows_an_error_page_and_never_redirects(
    env: Env, redirect_uri: str
) -> None:
    response = await env.client.get("/authorize", params=authorize_params(redirect_uri=redirect_uri))
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "redirect_uri" in response.text
    posted = await env.client.post(
        "/authorize",
        data={**authorize_params(redirect_uri=redirect_uri), "username": "so.xaydung", "password": PASSWORD},
    )
    assert posted.status_code == 400
    assert "location" not in posted.headers


async def test_unknown_and_confidential_clients_cannot_start_a_login(env: Env) -> None:
    for client_id in ("nobody", "vbsp-loan-system"):
        response = await env.client.get("/authorize", params=authorize_params(client_id=client_id))
        assert response.status_code == 400
        assert "location" not in response.headers


async def test_unknown_scope_and_response_type_are_sent_back_as_errors(env: Env) -> None:
    scope = await env.client.get("/authorize", params=authorize_params(scope="openid admin:all"))
    assert "error=invalid_scope" in scope.headers["location"]
    implicit = await env.client.get("/authorize", params=authorize_params(response_type="token"))
    assert "error=unsupported_response_type" in implicit.headers["location"]


async def test_prompt_none_needs_a_login(env: Env) -> None:
    response = await env.client.get("/authorize", params=authorize_params(prompt="none"))
    assert response.status_code == 302
    assert "error=login_required" in response.headers["location"]


async def test_wrong_password_shows_a_generic_message(env: Env) -> None:
    for username in ("so.xaydung", "khong.ton.tai"):
        response = await env.login(username=username, password="sai")
        assert response.status_code == 200
        assert "location" not in response.headers
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text
        assert "sai" not in LoginForm(response.text).fields.values()


async def test_repeated_failures_lock_the_username_for_a_while(env: Env) -> None:
    for _ in range(LOGIN_MAX_FAILURES):
        await env.login(username="taichinh", password="sai")
    locked = await env.login(username="taichinh")
    assert "location" not in locked.headers
    assert "quá nhiều lần" in locked.text
    env.clock.offset = 61
    assert (await env.login(username="taichinh")).status_code == 303


async def test_duplicate_parameters_are_refused(env: Env) -> None:
    response = await env.client.get(
        "/authorize", params=[*authorize_params().items(), ("redirect_uri", "http://evil.example/")]
    )
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_userinfo_answers_with_the_access_token(env: Env) -> None:
    tokens = await env.person_tokens(username="kiemtoan")
    response = await env.client.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
    info = response.json()
    assert info["preferred_username"] == "kiemtoan"
    assert info["roles"] == ["auditor"]
    assert info["area_codes"] == ["31"]
    assert info["sub"] == claims_of(tokens["access_token"])["sub"]


async def test_userinfo_refuses_missing_forged_and_id_tokens(env: Env) -> None:
    tokens = await env.person_tokens()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Bearer {tokens['id_token']}"}):
        response = await env.client.get("/userinfo", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_logout_ends_the_session_and_returns_to_a_registered_uri(env: Env) -> None:
    tokens = await env.person_tokens()
    response = await env.client.get(
        "/logout",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:5173/",
            "state": "bye",
        },
    )
    assert response.status_code == 302
    assert response.headers["location"] == "http://127.0.0.1:5173/?state=bye"
    refresh = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 400


async def test_logout_never_redirects_to_an_unregistered_uri(env: Env) -> None:
    response = await env.client.get(
        "/logout", params={"client_id": SPA, "post_logout_redirect_uri": "http://evil.example/"}
    )
    assert response.status_code == 200
    assert "Đã đăng xuất" in response.text

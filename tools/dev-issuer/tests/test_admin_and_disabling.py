from __future__ import annotations

import pytest
from issuer_helpers import PASSWORD, SPA, Env

from dev_issuer import cli
from dev_issuer.cli import MintError, mint_token


def admin_headers(
    env: Env, role: str = "administrator", audience: str | None = "dev-issuer"
) -> dict[str, str]:
    return {"Authorization": "Bearer " + mint_token(env.settings, role, audience)}


async def test_a_disabled_client_gets_no_token_until_enabled(env: Env) -> None:
    headers = admin_headers(env)
    response = await env.client.post("/admin/clients/vbsp-loan-system/disable", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"client_id": "vbsp-loan-system", "enabled": False}
    refused = await env.machine_token("vbsp-loan-system")
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    # Others are unaffected.
    assert (await env.machine_token("partner-demo")).status_code == 200
    assert (
        await env.client.post("/admin/clients/vbsp-loan-system/enable", headers=headers)
    ).status_code == 200
    assert (await env.machine_token("vbsp-loan-system")).status_code == 200


async def test_disabling_is_persisted_and_shared_with_the_cli(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "IssuerSettings", lambda: env.settings)
    assert cli.main(["disable-client", "partner-demo"]) == 0
    assert "partner-demo" in (env.settings.DATA_DIR / "state.json").read_text()
    assert (await env.machine_token("partner-demo")).status_code == 401
    with pytest.raises(MintError, match="disabled"):
        mint_token(env.settings, "partner")
    assert cli.main(["enable-client", "partner-demo"]) == 0
    assert (await env.machine_token("partner-demo")).status_code == 200


async def test_a_disabled_public_client_cannot_log_anyone_in_or_refresh(env: Env) -> None:
    tokens = await env.person_tokens()
    env.issuer.state.set_client_enabled(SPA, enabled=False)
    page = await env.client.get(
        "/authorize",
        params={"response_type": "code", "client_id": SPA, "redirect_uri": "http://127.0.0.1:5173/"},
    )
    assert page.status_code == 400
    assert "location" not in page.headers
    refresh = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 401


async def test_a_disabled_account_cannot_log_in_refresh_or_use_userinfo(env: Env) -> None:
    tokens = await env.person_tokens(username="xa.thuynguyen")
    env.issuer.state.set_account_enabled("xa.thuynguyen", enabled=False)
    login = await env.login(username="xa.thuynguyen", password=PASSWORD)
    assert "location" not in login.headers
    refresh = await env.client.post(
        "/token",
        data={"grant_type": "refresh_token", "client_id": SPA, "refresh_token": tokens["refresh_token"]},
    )
    assert refresh.status_code == 400
    userinfo = await env.client.get(
        "/userinfo", headers={"Authorization": "Bearer " + tokens["access_token"]}
    )
    assert userinfo.status_code == 401
    with pytest.raises(MintError):
        mint_token(env.settings, "commune_officer", principal="xa.thuynguyen")


async def test_admin_calls_need_an_administrator_token_for_the_issuer(env: Env) -> None:
    url = "/admin/clients/partner-demo/disable"
    assert (await env.client.post(url)).status_code == 401
    # A person's ordinary token is meant for the services, not for the issuer.
    services_token = admin_headers(env, audience=None)
    assert (await env.client.post(url, headers=services_token)).status_code == 401
    assert (await env.client.post(url, headers={"Authorization": "Bearer forged"})).status_code == 401
    with pytest.raises(MintError):
        admin_headers(env, role="inspector")  # only administrators may get the issuer as audience
    assert (await env.machine_token("partner-demo")).status_code == 200


async def test_admin_client_names_are_checked(env: Env) -> None:
    response = await env.client.post("/admin/clients/ghost/disable", headers=admin_headers(env))
    assert response.status_code == 404

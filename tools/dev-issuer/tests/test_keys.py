from __future__ import annotations

import stat

import jwt
import pytest
from issuer_helpers import Env

from dev_issuer import cli
from dev_issuer.cli import mint_token


async def test_private_keys_are_only_readable_by_their_owner(env: Env) -> None:
    keys_dir = env.settings.DATA_DIR / "keys"
    pems = list(keys_dir.glob("*.pem"))
    assert len(pems) == 1
    assert stat.S_IMODE(pems[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(keys_dir.stat().st_mode) == 0o700


async def test_rotation_keeps_old_tokens_verifiable_and_signs_with_the_new_key(env: Env) -> None:
    old_token = (await env.machine_token("partner-demo")).json()["access_token"]
    old_kid = jwt.get_unverified_header(old_token)["kid"]

    response = await env.client.post(
        "/admin/keys/rotate",
        headers={"Authorization": "Bearer " + mint_token(env.settings, "administrator", "dev-issuer")},
    )
    assert response.status_code == 200
    new_kid = response.json()["kid"]
    assert new_kid != old_kid

    kids = [k["kid"] for k in (await env.jwks())["keys"]]
    assert set(kids) == {old_kid, new_kid}
    assert (await env.verify(old_token, audience="registry-api"))["azp"] == "partner-demo"

    new_token = (await env.machine_token("partner-demo")).json()["access_token"]
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert jwt.get_unverified_header(new_token)["alg"] == "RS256"
    await env.verify(new_token, audience="registry-api")


async def test_the_cli_rotates_under_a_running_server(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "IssuerSettings", lambda: env.settings)
    before = {k["kid"] for k in (await env.jwks())["keys"]}
    assert cli.main(["rotate-keys"]) == 0
    after = {k["kid"] for k in (await env.jwks())["keys"]}
    assert before < after
    token = (await env.machine_token("registry-api", audience="funding-api")).json()["access_token"]
    assert jwt.get_unverified_header(token)["kid"] in after - before


async def test_retired_keys_are_dropped_after_the_retention(env: Env) -> None:
    first = env.issuer.keys.current().kid
    old_token = (await env.machine_token("partner-demo")).json()["access_token"]
    second = env.issuer.keys.rotate().kid
    env.clock.offset = env.settings.KEY_RETENTION_S + 1
    assert [k["kid"] for k in (await env.jwks())["keys"]] == [second]
    with pytest.raises(KeyError):
        await env.verify(old_token)
    third = env.issuer.keys.rotate().kid
    assert {k["kid"] for k in (await env.jwks())["keys"]} == {second, third}
    assert not (env.settings.DATA_DIR / "keys" / f"{first}.pem").exists()

from __future__ import annotations

import asyncio
import os
import sys

import pytest
from issuer_helpers import ISSUER_URL, PASSWORD, SEED, Env, claims_of, secret_of

from dev_issuer import cli
from dev_issuer.cli import MintError, mint_token


def run_cli(env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    monkeypatch.setattr(cli, "IssuerSettings", lambda: env.settings)
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out.strip()


async def test_token_command_prints_a_token_that_verifies_against_the_jwks(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = run_cli(env, monkeypatch, capsys, "token", "--role", "inspector")
    claims = await env.verify(token, audience="inspection-api")
    assert claims["preferred_username"] == "thanhtra"
    assert claims["roles"] == ["inspector"]
    assert claims["aud"] == ["registry-api", "funding-api", "inspection-api"]
    assert claims["exp"] - claims["iat"] <= 900

    narrowed = run_cli(
        env, monkeypatch, capsys, "token", "--role", "commune_officer", "--audience", "registry-api"
    )
    claims = await env.verify(narrowed, audience="registry-api")
    assert claims["aud"] == "registry-api"
    assert claims["area_codes"] == ["10525"]


@pytest.mark.parametrize(
    ("role", "audience", "azp"),
    [
        ("bank_integration", "funding-api", "vbsp-loan-system"),
        ("partner", "inspection-api", "partner-demo"),
        ("service", "registry-api", "funding-api"),
        ("service", "inspection-api", "registry-api"),
    ],
)
async def test_machine_roles_get_a_client_token(env: Env, role: str, audience: str, azp: str) -> None:
    token = mint_token(env.settings, role, audience)
    claims = await env.verify(token, audience=audience)
    assert claims["azp"] == azp
    assert claims["aud"] == audience
    assert claims["roles"] == [role]
    assert claims["exp"] - claims["iat"] <= 300


async def test_a_particular_holder_can_be_chosen(env: Env) -> None:
    token = mint_token(env.settings, "commune_officer", principal="xa.thuynguyen")
    assert claims_of(token)["area_codes"] == ["11560"]
    token = mint_token(env.settings, "service", "funding-api", principal="inspection-api")
    assert claims_of(token)["azp"] == "inspection-api"


def test_impossible_requests_are_refused(env: Env) -> None:
    with pytest.raises(MintError):
        mint_token(env.settings, "emperor")
    with pytest.raises(MintError):
        mint_token(env.settings, "bank_integration", "inspection-api")
    with pytest.raises(MintError):
        mint_token(env.settings, "inspector", "dev-issuer")
    with pytest.raises(MintError):
        mint_token(env.settings, "inspector", principal="so.xaydung")


async def test_client_secret_command(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(env, monkeypatch, capsys, "client-secret", "partner-demo") == secret_of("partner-demo")


async def test_the_module_runs_as_a_command_without_the_server(env: Env) -> None:
    environment = {
        **os.environ,
        "DEV_ISSUER_SEED_SECRET": SEED,
        "DEV_ISSUER_DATA_DIR": str(env.settings.DATA_DIR),
        "DEV_ISSUER_ISSUER_URL": ISSUER_URL,
        "DEV_ISSUER_DEMO_PASSWORD": PASSWORD,
        "DEV_ISSUER_ENV": "test",
    }

    async def run(*args: str, environ: dict[str, str]) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "dev_issuer.cli", *args, env=environ, stdout=-1, stderr=-1
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
        return process.returncode or 0, out.decode(), err.decode()

    code, out, _ = await run("token", "--role", "auditor", "--audience", "registry-api", environ=environment)
    assert code == 0
    claims = await env.verify(out.strip(), audience="registry-api")
    assert claims["roles"] == ["auditor"]
    without_seed = {k: v for k, v in environment.items() if k != "DEV_ISSUER_SEED_SECRET"}
    code, _, err = await run("rotate-keys", environ=without_seed)
    assert code == 2
    assert "DEV_ISSUER_SEED_SECRET" in err

from __future__ import annotations

from pathlib import Path

import pytest
from issuer_helpers import SEED, Env, build_env, claims_of, make_settings
from pydantic import ValidationError

from dev_issuer.main import create_app
from dev_issuer.seed import ACCOUNTS, CLIENTS
from dev_issuer.settings import Environment, IssuerSettings


async def test_people_tokens_live_at_most_fifteen_minutes(env: Env) -> None:
    tokens = await env.person_tokens()
    for token in (tokens["access_token"], tokens["id_token"]):
        claims = claims_of(token)
        assert 0 < claims["exp"] - claims["iat"] <= 900


async def test_machine_tokens_live_at_most_five_minutes(env: Env) -> None:
    for client_id in ("vbsp-loan-system", "partner-demo", "registry-api"):
        claims = claims_of((await env.machine_token(client_id)).json()["access_token"])
        assert 0 < claims["exp"] - claims["iat"] <= 300


async def test_lifetimes_follow_shorter_settings(tmp_path: Path) -> None:
    app, _, _ = build_env(tmp_path, ACCESS_TTL_PEOPLE_S=600, ACCESS_TTL_MACHINE_S=60)
    issuer = app.state.issuer
    person, ttl = issuer.minter.person_access_token(
        ACCOUNTS["so.xaydung"], client_id="noxh-spa", scope="openid"
    )
    assert ttl == 600
    assert claims_of(person)["exp"] - claims_of(person)["iat"] == 600
    machine, ttl = issuer.minter.machine_access_token(
        CLIENTS["partner-demo"], scope="", audience="registry-api"
    )
    assert ttl == 60
    assert claims_of(machine)["exp"] - claims_of(machine)["iat"] == 60


@pytest.mark.parametrize(
    "overrides",
    [
        {"ACCESS_TTL_PEOPLE_S": 901},
        {"ACCESS_TTL_MACHINE_S": 301},
        {"ACCESS_TTL_MACHINE_S": 0},
        {"KEY_RETENTION_S": 100},  # shorter than a token's life: rotation would break live tokens
        {"ISSUER_URL": "ftp://issuer"},
        {"SEED_SECRET": "short"},
    ],
)
def test_settings_refuse_unsafe_values(tmp_path: Path, overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        make_settings(tmp_path, **overrides)


def test_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEV_ISSUER_SEED_SECRET", SEED)
    monkeypatch.setenv("DEV_ISSUER_ISSUER_URL", "http://localhost:9000/auth/")
    monkeypatch.setenv("DEV_ISSUER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEV_ISSUER_ACCESS_TTL_MACHINE_S", "120")
    settings = IssuerSettings()
    assert settings.ISSUER_URL == "http://localhost:9000/auth"
    assert settings.issuer_path == "/auth"
    assert tmp_path == settings.DATA_DIR
    assert settings.ACCESS_TTL_MACHINE_S == 120
    assert settings.DEMO_PASSWORD.get_secret_value() == "noxh-demo"


def test_seed_secret_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEV_ISSUER_SEED_SECRET", raising=False)
    with pytest.raises(ValidationError, match="SEED_SECRET"):
        IssuerSettings()


def test_production_is_refused_by_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="refuses to run in production"):
        make_settings(tmp_path, ENV="production")
    monkeypatch.setenv("DEV_ISSUER_ENV", "production")
    monkeypatch.setenv("DEV_ISSUER_SEED_SECRET", SEED)
    with pytest.raises(ValidationError, match="refuses to run in production"):
        IssuerSettings()
    with pytest.raises(ValidationError):
        create_app()


def test_production_is_refused_by_the_app_factory(tmp_path: Path) -> None:
    # Settings built without validation still cannot start the issuer.
    settings = make_settings(tmp_path).model_copy(update={"ENV": Environment.PRODUCTION})
    with pytest.raises(RuntimeError, match="refuses to run in production"):
        create_app(settings)
    assert not (tmp_path / "keys").exists()

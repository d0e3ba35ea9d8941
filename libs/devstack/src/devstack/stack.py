"""The whole platform on one machine: PostgreSQL, the dev issuer, the services and the gateway.

`run_stack` prepares the databases (create, migrate, seed), starts the processes under the supervisor,
waits until every `/readyz` answers through the gateway, prints where to go, and stops it all on Ctrl-C
or SIGTERM. `stop_stack` does the same from another terminal, by the state file in `.data/run/`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

import psycopg

from devstack import dev_secrets, docs, gateway, procs
from devstack.paths import repo_root
from devstack.postgres import EmbeddedPostgres, PostgresError, ensure_database
from devstack.runstate import AlreadyRunning, PostgresState, StackState, StateFile, lock_held, run_lock
from devstack.supervisor import ProcessSpec, Supervisor

Printer = Callable[[str], None]

ISSUER = "issuer"
GATEWAY = "gateway"
DEMO_PASSWORD = "noxh-demo"  # noqa: S105 - the dev issuer's default (DEV_ISSUER_DEMO_PASSWORD)
LOOPBACK_NAMES = ("localhost",)
# A folder `reset-data` may empty: the default `.data`, or one that holds this marker.
DATA_MARKER = ".noxh-data"


@dataclass(frozen=True)
class ServiceDef:
    name: str  # the process name, the token audience and the issuer's client id
    package: str  # the import package
    env_prefix: str  # of its settings
    database: str  # its own database (decision 2)
    route: str  # its prefix at the gateway
    port_env: str
    default_port: int
    upstream_env: str  # the Caddyfile's placeholder for its address

    @property
    def alembic_ini(self) -> Path:
        return repo_root() / "services" / self.name / "alembic.ini"

    @property
    def app_factory(self) -> str:
        return f"{self.package}.main:create_app"


SERVICES: tuple[ServiceDef, ...] = (
    ServiceDef(
        "registry-api", "registry_api", "REGISTRY_", "registry", "/api/registry", "NOXH_REGISTRY_PORT", 8101,
        "REGISTRY_UPSTREAM",
    ),
    ServiceDef(
        "funding-api", "funding_api", "FUNDING_", "funding", "/api/funding", "NOXH_FUNDING_PORT", 8102,
        "FUNDING_UPSTREAM",
    ),
    ServiceDef(
        "inspection-api", "inspection_api", "INSPECTION_", "inspection", "/api/inspection",
        "NOXH_INSPECTION_PORT", 8103, "INSPECTION_UPSTREAM",
    ),
)  # fmt: skip


class StackError(RuntimeError):
    """Something the user can fix; the message says what."""


class Interrupted(Exception):
    """A stop signal arrived while the stack was still being prepared."""


# ---------------------------------------------------------------------- configuration


def _port(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if not raw:
        return default
    try:
        port = int(raw)
    except ValueError:
        raise StackError(f"{name}={raw!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise StackError(f"{name}={raw!r} is not a port number")
    return port


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host == "::1" or re.fullmatch(r"127(\.\d{1,3}){3}", host) is not None


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass(frozen=True)
class StackConfig:
    root: Path
    data_dir: Path
    host: str
    gateway_port: int
    issuer_port: int
    service_ports: Mapping[str, int]
    pg_port: int
    pg_url: str | None  # an external superuser URL (NOXH_PG_URL): nothing embedded is started
    db_prefix: str
    spa_root: Path
    log_level: str
    ready_timeout_s: float
    services: tuple[ServiceDef, ...] = field(default=SERVICES)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> StackConfig:
        env = os.environ if environ is None else environ
        root = Path(env["NOXH_ROOT"]).resolve() if env.get("NOXH_ROOT") else repo_root()
        host = env.get("NOXH_HOST") or "127.0.0.1"
        if not is_loopback(host):
            raise StackError(
                f"NOXH_HOST={host!r} is not a loopback address: the dev stack (demo passwords, dev "
                "issuer) listens on this machine only. Use the deploy/ manifests to serve a network."
            )
        prefix = env.get("NOXH_DB_PREFIX", "")
        if not re.fullmatch(r"[a-z0-9_]{0,30}", prefix):
            raise StackError("NOXH_DB_PREFIX may hold only lowercase letters, digits and underscores")
        try:
            ready_timeout = float(env.get("NOXH_READY_TIMEOUT", "180"))
        except ValueError:
            raise StackError("NOXH_READY_TIMEOUT must be a number of seconds") from None
        return cls(
            root=root,
            data_dir=Path(env.get("NOXH_DATA_DIR") or root / ".data").resolve(),
            host=host,
            gateway_port=_port(env, "NOXH_GATEWAY_PORT", 8000),
            issuer_port=_port(env, "NOXH_ISSUER_PORT", 8100),
            service_ports={s.name: _port(env, s.port_env, s.default_port) for s in SERVICES},
            pg_port=_port(env, "NOXH_PG_PORT", 55432),
            pg_url=env.get("NOXH_PG_URL") or None,
            db_prefix=prefix,
            spa_root=Path(env.get("NOXH_SPA_ROOT") or root / "frontend" / "dist").resolve(),
            log_level=(env.get("NOXH_LOG_LEVEL") or "INFO").upper(),
            ready_timeout_s=ready_timeout,
        )

    # paths under the data folder
    @property
    def run_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def state_file(self) -> Path:
        return self.run_dir / "stack.json"

    @property
    def lock_file(self) -> Path:
        return self.run_dir / "stack.lock"

    @property
    def secrets_file(self) -> Path:
        return self.data_dir / "secrets.env"

    @property
    def issuer_dir(self) -> Path:
        return self.data_dir / "issuer"

    @property
    def caddy_dir(self) -> Path:
        return self.data_dir / "caddy"

    @property
    def docs_dir(self) -> Path:
        """The API portal the gateway serves at `/docs`, rebuilt by every run."""
        return self.data_dir / "docs"

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pg"

    # addresses
    @property
    def gateway_url(self) -> str:
        return f"http://{url_host(self.host)}:{self.gateway_port}"

    @property
    def issuer_url(self) -> str:
        """The public issuer URL: what tokens carry in `iss`."""
        return self.gateway_url + "/auth"

    @property
    def issuer_direct_url(self) -> str:
        return f"http://{url_host(self.host)}:{self.issuer_port}"

    def service_direct_url(self, service: ServiceDef) -> str:
        return f"http://{url_host(self.host)}:{self.service_ports[service.name]}"

    def database_name(self, service: ServiceDef) -> str:
        return self.db_prefix + service.database

    def embedded_postgres(self) -> EmbeddedPostgres:
        return EmbeddedPostgres(self.pg_dir, self.pg_port)

    @property
    def admin_url(self) -> str:
        if self.pg_url:
            return with_database(self.pg_url, None, "postgresql")
        return self.embedded_postgres().admin_url

    def database_url(self, service: ServiceDef, driver: str = "postgresql+asyncpg") -> str:
        return with_database(self.admin_url, self.database_name(service), driver)

    def listening_ports(self) -> dict[str, int]:
        ports = {GATEWAY: self.gateway_port, ISSUER: self.issuer_port}
        ports.update({s.name: self.service_ports[s.name] for s in self.services})
        return ports


def with_database(url: str, database: str | None, driver: str) -> str:
    """`url` with another database (None keeps it) and driver (`postgresql`, `postgresql+asyncpg`)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise StackError("NOXH_PG_URL must be a postgresql:// URL")
    path = parts.path if database is None else "/" + database
    return urlunsplit((driver, parts.netloc, path, parts.query, parts.fragment))


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


# ---------------------------------------------------------------------- environments


def _client_secret(seed_secret: str, client_id: str) -> str:
    # The dev issuer derives confidential clients' secrets from its seed; the services get theirs here.
    from dev_issuer.seed import client_secret

    return client_secret(seed_secret, client_id)


def issuer_env(cfg: StackConfig, secrets: Mapping[str, str]) -> dict[str, str]:
    return {
        "DEV_ISSUER_ENV": "dev",
        "DEV_ISSUER_ISSUER_URL": cfg.issuer_url,
        "DEV_ISSUER_DATA_DIR": str(cfg.issuer_dir),
        "DEV_ISSUER_SEED_SECRET": secrets[dev_secrets.ISSUER_SEED_SECRET],
        "DEV_ISSUER_LOG_LEVEL": cfg.log_level,
    }


def service_env(cfg: StackConfig, service: ServiceDef, secrets: Mapping[str, str]) -> dict[str, str]:
    p = service.env_prefix
    return {
        f"{p}ENV": "dev",
        f"{p}LOG_LEVEL": cfg.log_level,
        f"{p}DATABASE_URL": cfg.database_url(service),
        f"{p}OIDC_ISSUER": cfg.issuer_url,
        # Keys are fetched from the issuer directly: the services do not depend on the gateway.
        f"{p}OIDC_JWKS_URL": cfg.issuer_direct_url + "/jwks",
        f"{p}OIDC_TOKEN_URL": cfg.issuer_direct_url + "/token",
        # Services call each other directly, with their own tokens, not through the gateway.
        **{
            f"{p}{other.env_prefix}URL": f"http://{url_host(cfg.host)}:{cfg.service_ports[other.name]}"
            for other in SERVICES
            if other is not service
        },
        # Files a service keeps (inspection-api's evidence photos) live under the stack's data folder.
        f"{p}DATA_DIR": str(cfg.data_dir / service.name),
        # The audit chain's external anchor: a file the database cannot rewrite (docs/reliability.md).
        f"{p}AUDIT_ANCHOR_PATH": str(cfg.data_dir / service.name / "audit-anchor.jsonl"),
        f"{p}PII_ENCRYPTION_KEY": secrets[dev_secrets.encryption_key_name(p)],
        f"{p}PII_BLIND_INDEX_KEY": secrets[dev_secrets.PII_BLIND_INDEX_KEY],
        f"{p}SERVICE_CLIENT_ID": service.name,
        f"{p}SERVICE_CLIENT_SECRET": _client_secret(secrets[dev_secrets.ISSUER_SEED_SECRET], service.name),
    }


def gateway_env(cfg: StackConfig) -> dict[str, str]:
    env = {
        "NOXH_GATEWAY_BIND": cfg.host,
        "NOXH_GATEWAY_PORT": str(cfg.gateway_port),
        "ISSUER_UPSTREAM": f"{url_host(cfg.host)}:{cfg.issuer_port}",
        "SPA_ROOT": str(cfg.spa_root),
        "DOCS_ROOT": str(cfg.docs_dir),
        **gateway.caddy_base_env(cfg.caddy_dir),
    }
    for service in SERVICES:
        env[service.upstream_env] = f"{url_host(cfg.host)}:{cfg.service_ports[service.name]}"
    return env


def uvicorn_argv(factory: str, host: str, port: int, log_level: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        host,
        "--port",
        str(port),
        "--no-server-header",
        "--no-access-log",
        "--log-level",
        log_level.lower(),
        "--timeout-graceful-shutdown",
        "5",
    ]


def process_specs(cfg: StackConfig, secrets: Mapping[str, str]) -> list[ProcessSpec]:
    """The process table, in start order (the supervisor stops them in reverse)."""
    specs = [
        ProcessSpec(
            name=ISSUER,
            argv=uvicorn_argv("dev_issuer.main:create_app", cfg.host, cfg.issuer_port, cfg.log_level),
            env=issuer_env(cfg, secrets),
            ready_url=cfg.issuer_url + "/.well-known/openid-configuration",
            cwd=cfg.root,
            grace_s=8,
        )
    ]
    for service in cfg.services:
        specs.append(
            ProcessSpec(
                name=service.name,
                argv=uvicorn_argv(
                    service.app_factory, cfg.host, cfg.service_ports[service.name], cfg.log_level
                ),
                env=service_env(cfg, service, secrets),
                ready_url=cfg.gateway_url + service.route + "/readyz",
                cwd=cfg.root,
                grace_s=8,
            )
        )
    for service in cfg.services:
        # Each service's job worker (audit sealing, housekeeping, imports ...): no port, ready once running.
        specs.append(
            ProcessSpec(
                name=f"{service.name}-worker",
                argv=[sys.executable, "-m", f"{service.package}.worker"],
                env=service_env(cfg, service, secrets),
                cwd=cfg.root,
                grace_s=15,
            )
        )
    specs.append(
        ProcessSpec(
            name=GATEWAY,
            argv=gateway.caddy_argv(),
            env=gateway_env(cfg),
            ready_url=cfg.gateway_url + "/healthz",
            cwd=cfg.root,
            grace_s=8,
        )
    )
    return specs


# ---------------------------------------------------------------------- preparing the databases


class _Steps:
    """Runs the preparation commands (migrations, seeds) and can kill them all when noxh is interrupted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self._cancelled = False

    def run(self, argv: list[str], env: Mapping[str, str], log_file: Path, cwd: Path) -> str:
        with log_file.open("a") as log:
            stamp = datetime.now(UTC).isoformat(timespec="seconds")
            log.write(f"\n=== {stamp} noxh: {shlex.join(argv)}\n")
        with self._lock:
            if self._cancelled:
                raise StackError("cancelled")
            popen = subprocess.Popen(
                argv,
                env={**os.environ, **env},
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,  # noxh handles Ctrl-C and kills this step itself
            )
            self._running.add(popen)
        try:
            stdout, stderr = popen.communicate(timeout=600)
        except subprocess.TimeoutExpired:
            procs.signal_group(popen.pid, signal.SIGKILL)
            stdout, stderr = popen.communicate()
        finally:
            with self._lock:
                self._running.discard(popen)
        with log_file.open("a") as log:
            log.write(stdout + stderr)
        if popen.returncode != 0:
            tail = "\n".join((stdout + stderr).strip().splitlines()[-25:])
            raise StackError(f"`{' '.join(argv[1:])}` failed (exit {popen.returncode}):\n{tail}")
        return stdout

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            for popen in self._running:
                procs.signal_group(popen.pid, signal.SIGKILL)


def prepare_service(
    cfg: StackConfig, service: ServiceDef, secrets: Mapping[str, str], steps: _Steps
) -> list[str]:
    """Migrate to head, then run the ordered idempotent seed steps (`devstack.prepare`); returns the
    seed's summary lines."""
    env = service_env(cfg, service, secrets)
    log_file = cfg.logs_dir / f"{service.name}.log"
    if not service.alembic_ini.exists():
        raise StackError(f"{service.alembic_ini} is missing")
    argv = [sys.executable, "-m", "devstack.prepare", str(service.alembic_ini), service.package]
    output = steps.run(argv, env, log_file, cfg.root)
    return [line for line in output.splitlines() if line.strip()]


def prepare_databases(cfg: StackConfig, secrets: Mapping[str, str], out: Printer) -> None:
    admin = cfg.admin_url
    for service in cfg.services:
        ensure_database(admin, cfg.database_name(service))
    # The services are independent: migrate and seed them side by side.
    steps = _Steps()
    errors = []
    with ThreadPoolExecutor(max_workers=len(cfg.services)) as pool:
        futures = [(s, pool.submit(prepare_service, cfg, s, secrets, steps)) for s in cfg.services]
        try:
            for service, future in futures:
                try:
                    for line in future.result():
                        out(f"  {line}")
                except StackError as exc:
                    errors.append(f"{service.name}: {exc}")
        except BaseException:
            steps.cancel()
            raise
    if errors:
        raise StackError("preparing the databases failed:\n" + "\n".join(errors))


def check_postgres(url: str) -> None:
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        raise StackError(f"cannot reach PostgreSQL at {redact(url)}: {exc}") from exc


# ---------------------------------------------------------------------- run


def _mark_data_dir(cfg: StackConfig) -> None:
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    (cfg.data_dir / DATA_MARKER).touch()
    for folder in (cfg.run_dir, cfg.logs_dir, cfg.issuer_dir, cfg.caddy_dir):
        folder.mkdir(parents=True, exist_ok=True)


def _rotate_logs(cfg: StackConfig, names: list[str], max_bytes: int = 5_000_000) -> None:
    for name in names:
        log = cfg.logs_dir / f"{name}.log"
        if log.exists() and log.stat().st_size > max_bytes:
            log.replace(log.with_suffix(".log.1"))


def _raise_on_stop_signals() -> None:
    """Until the supervisor takes over, SIGTERM and SIGHUP interrupt preparation as Ctrl-C does."""

    def raise_interrupted(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signal.Signals(signum).name)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, raise_interrupted)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


def banner(cfg: StackConfig) -> str:
    try:
        from dev_issuer.seed import ACCOUNTS

        logins = [(a.username, f"{a.name} ({', '.join(a.roles)})") for a in ACCOUNTS.values()]
    except ImportError:  # pragma: no cover - the issuer is part of the workspace
        logins = []
    width = max((len(u) for u, _ in logins), default=10)
    rows = "\n".join(f"    {user.ljust(width)}  {who}" for user, who in logins)
    return (
        f"\nNOXH is running at {cfg.gateway_url}/\n"
        f"  APIs:    {cfg.gateway_url}/api/registry/  /api/funding/  /api/inspection/\n"
        f"  Sign-in: {cfg.issuer_url}/ (OIDC discovery at /auth/.well-known/openid-configuration)\n"
        f"  Demo logins (password {DEMO_PASSWORD}):\n{rows}\n"
        f"  Logs:    {cfg.logs_dir}/<name>.log   (`noxh logs -f` follows them)\n"
        "  Token:   `make token ROLE=province_officer [AUD=registry-api]`\n"
        "  Stop:    Ctrl-C here, or `make stop` (`noxh stop`) from another terminal.\n"
    )


def run_stack(cfg: StackConfig, out: Printer = print) -> int:
    """`noxh run`: returns the exit code."""
    _mark_data_dir(cfg)
    try:
        with run_lock(cfg.lock_file):
            return StackRun(cfg, out).run()
    except AlreadyRunning:
        state = StateFile(cfg.state_file).read()
        pid = f" (pid {state.pid})" if state else ""
        out(f"noxh: a stack is already running from {cfg.data_dir}{pid}; `noxh stop` stops it.")
        return 1


class StackRun:
    """One `noxh run`, from the checks to the stop. Holds the run lock's folder for its lifetime."""

    def __init__(self, cfg: StackConfig, out: Printer) -> None:
        self.cfg = cfg
        self.out = out
        self.state_file = StateFile(cfg.state_file)
        self.pg_state = PostgresState(embedded=cfg.pg_url is None)
        self.server: EmbeddedPostgres | None = None
        self.supervisor: Supervisor | None = None
        self.names = [ISSUER, *(s.name for s in cfg.services), GATEWAY]

    def run(self) -> int:
        cfg, out = self.cfg, self.out
        adopted_pg = cleanup_stale(cfg, out)
        busy = [f"{n} port {p}" for n, p in cfg.listening_ports().items() if not procs.port_free(cfg.host, p)]
        if busy:
            out(
                f"noxh: in use on {cfg.host}: {', '.join(busy)}. Another program (or another NOXH stack) "
                "holds them; stop it or choose other ports (NOXH_GATEWAY_PORT, NOXH_ISSUER_PORT, "
                "NOXH_REGISTRY_PORT, NOXH_FUNDING_PORT, NOXH_INSPECTION_PORT)."
            )
            return 1
        _rotate_logs(cfg, self.names)
        secrets = dev_secrets.ensure_secrets(cfg.secrets_file, [s.env_prefix for s in SERVICES])
        self.state_file.write(
            StackState(
                pid=os.getpid(),
                start_ticks=procs.start_ticks(os.getpid()),
                status="starting",
                gateway_url=cfg.gateway_url,
                data_dir=str(cfg.data_dir),
                postgres=self.pg_state,
            )
        )
        started = time.monotonic()
        try:
            _raise_on_stop_signals()
            self.start_postgres(adopted_pg)
            out("noxh: creating, migrating and seeding the databases "
                + ", ".join(cfg.database_name(s) for s in cfg.services))  # fmt: skip
            prepare_databases(cfg, secrets, out)
            docs.build_portal(cfg.docs_dir, cfg.root)
            supervisor = self.start_processes(secrets)
            not_ready = supervisor.wait_ready(cfg.ready_timeout_s)
            if supervisor.stop_requested:
                return self.shutdown(0, supervisor.stop_signal)
            if not_ready:
                out("noxh: these did not become ready:")
                for name, why in not_ready.items():
                    log = cfg.logs_dir / f"{name}.log"
                    out(f"  {name}: {why}\n  last lines of {log}:\n{_log_tail(log)}")
                return self.shutdown(1)
            self.state_file.update(status="ready")
            out(f"noxh: ready in {time.monotonic() - started:.1f} s")
            out(banner(cfg))
            supervisor.wait()
            return self.shutdown(0, supervisor.stop_signal)
        except (Interrupted, KeyboardInterrupt):
            out("\nnoxh: interrupted")
            return self.shutdown(130)
        except (StackError, PostgresError) as exc:
            out(f"noxh: {exc}")
            return self.shutdown(1)
        except BaseException:
            self.shutdown(1)
            raise

    def start_postgres(self, adopted: bool) -> None:
        cfg, out = self.cfg, self.out
        if cfg.pg_url is not None:
            out(f"noxh: using PostgreSQL at {redact(cfg.admin_url)} (NOXH_PG_URL)")
            check_postgres(cfg.admin_url)
            return
        server = self.server = cfg.embedded_postgres()
        self.pg_state.port = cfg.pg_port
        self.pg_state.data_dir = str(server.data_dir)
        if server.is_running():
            # Left by a run that died (then ours to stop), or started by `noxh pg start` (then not).
            self.pg_state.started_by_run = adopted
            out(f"noxh: PostgreSQL already runs on 127.0.0.1:{cfg.pg_port} ({server.data_dir})")
        else:
            if not procs.port_free("127.0.0.1", cfg.pg_port):
                raise StackError(f"port {cfg.pg_port} is in use; choose another with NOXH_PG_PORT.")
            out(f"noxh: starting PostgreSQL 18 on 127.0.0.1:{cfg.pg_port} ({server.data_dir})")
            self.pg_state.started_by_run = True
            self.state_file.update(postgres=self.pg_state)
            server.start()
        self.state_file.update(postgres=self.pg_state)

    def start_processes(self, secrets: Mapping[str, str]) -> Supervisor:
        supervisor = self.supervisor = Supervisor(
            process_specs(self.cfg, secrets),
            log_dir=self.cfg.logs_dir,
            on_event=lambda name, msg: self.out(f"noxh: {name}: {msg}"),
            on_change=self.state_file.set_processes,
        )
        self.out("noxh: starting " + ", ".join(self.names))
        supervisor.start()
        supervisor.install_signal_handlers()
        return supervisor

    def shutdown(self, code: int, received: int | None = None) -> int:
        # Further signals must not interrupt the stop itself (it is bounded by the grace periods).
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        if received is not None:
            self.out(f"\nnoxh: {signal.Signals(received).name} received")
        self.state_file.update(status="stopping")
        if self.supervisor is not None:
            self.out("noxh: stopping the processes")
            self.supervisor.stop()
        if self.server is not None and self.pg_state.started_by_run:
            self.out("noxh: stopping PostgreSQL")
            try:
                self.server.stop()
            except PostgresError as exc:
                self.out(f"noxh: could not stop PostgreSQL: {exc}")
        self.state_file.remove()
        self.out("noxh: stopped")
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        return code


# ---------------------------------------------------------------------- stop, status, cleanup


def _kill_recorded(state: StackState, out: Printer) -> None:
    for record in reversed(state.processes):
        if record.pid is not None and procs.same_process(record.pid, record.start_ticks):
            out(f"noxh: stopping {record.name} (pid {record.pid})")
            procs.terminate_group(record.pid, 8.0)


def cleanup_stale(cfg: StackConfig, out: Printer) -> bool:
    """A previous run that died without stopping left a state file: stop what it recorded.
    Returns whether it had started the embedded PostgreSQL (this run then owns it)."""
    state_file = StateFile(cfg.state_file)
    state = state_file.read()
    if state is None:
        return False
    # The run lock is ours, so no live stack owns these records.
    _kill_recorded(state, out)
    state_file.remove()
    return state.postgres.embedded and state.postgres.started_by_run


def stop_stack(cfg: StackConfig, out: Printer = print, *, timeout_s: float = 60.0) -> int:
    """`noxh stop`: stop a running stack and whatever it left, the embedded PostgreSQL included."""
    state_file = StateFile(cfg.state_file)
    state = state_file.read()
    stopped_any = False
    if state is not None and state.supervisor_alive and lock_held(cfg.lock_file):
        out(f"noxh: asking the stack (pid {state.pid}) to stop")
        procs.kill_quietly(state.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while procs.same_process(state.pid, state.start_ticks) and time.monotonic() < deadline:
            time.sleep(0.1)
        if procs.same_process(state.pid, state.start_ticks):
            out(f"noxh: the stack did not stop within {timeout_s:.0f} s; killing it")
            procs.kill_quietly(state.pid, signal.SIGKILL)
        stopped_any = True
        state = state_file.read() or state
    if state is not None:
        _kill_recorded(state, out)
        state_file.remove()
        stopped_any = True
    if cfg.pg_url is None:
        server = cfg.embedded_postgres()
        if server.is_running():
            out(f"noxh: stopping PostgreSQL ({server.data_dir})")
            server.stop()
            stopped_any = True
    out("noxh: stopped" if stopped_any else "noxh: nothing was running")
    return 0


def status_lines(cfg: StackConfig) -> list[str]:
    lines: list[str] = []
    state = StateFile(cfg.state_file).read()
    if state is None:
        lines.append(f"stack: not running (data in {cfg.data_dir})")
    elif not state.supervisor_alive:
        lines.append("stack: a previous run died without stopping; `noxh stop` cleans up what it left")
    else:
        lines.append(f"stack: {state.status} at {state.gateway_url}/ (supervisor pid {state.pid})")
    if state is not None:
        for record in state.processes:
            alive = record.pid is not None and procs.same_process(record.pid, record.start_ticks)
            pid = f"pid {record.pid}" if record.pid else "no pid"
            health = "" if alive or record.state != "running" else " (gone)"
            restarts = f", {record.restarts} restarts" if record.restarts else ""
            lines.append(f"  {record.name:<15} {record.state}{health}, {pid}{restarts}")
    if cfg.pg_url:
        lines.append(f"postgres: external, {redact(cfg.admin_url)}")
    else:
        server = cfg.embedded_postgres()
        running = "running" if server.is_running() else "stopped"
        lines.append(f"postgres: embedded, {running}, 127.0.0.1:{cfg.pg_port} ({server.data_dir})")
    return lines


def reset_data(cfg: StackConfig, out: Printer = print) -> int:
    """`noxh reset-data`: stop everything, then empty the data folder (and nothing outside it)."""
    from devstack.pytest_plugin import test_server

    stop_stack(cfg, out)
    test_pg = test_server()
    if test_pg.data_dir.is_relative_to(cfg.data_dir) and test_pg.is_running():
        out(f"noxh: stopping the test PostgreSQL ({test_pg.data_dir})")
        test_pg.stop()
    data = cfg.data_dir
    if not data.exists():
        out(f"noxh: {data} does not exist; nothing to delete")
        return 0
    default = (cfg.root / ".data").resolve()
    if data != default and not (data / DATA_MARKER).exists():
        out(f"noxh: {data} does not look like a NOXH data folder (no {DATA_MARKER}); not deleting it")
        return 1
    for entry in data.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    out(f"noxh: emptied {data}")
    return 0

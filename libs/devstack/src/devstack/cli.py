"""`noxh`: run NOXH on one machine (the Makefile's run, stop, reset-data and token targets call it)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence

from devstack import dev_secrets
from devstack.postgres import EmbeddedPostgres, PostgresError
from devstack.stack import (
    GATEWAY,
    ISSUER,
    SERVICES,
    StackConfig,
    StackError,
    issuer_env,
    redact,
    reset_data,
    run_stack,
    service_env,
    status_lines,
    stop_stack,
)

ENV_HELP = """environment:
  NOXH_DATA_DIR         data folder (default <repo>/.data)
  NOXH_HOST             loopback address every process listens on (default 127.0.0.1)
  NOXH_GATEWAY_PORT     gateway (default 8000)
  NOXH_ISSUER_PORT      dev OIDC issuer (default 8100)
  NOXH_REGISTRY_PORT    registry-api (default 8101)
  NOXH_FUNDING_PORT     funding-api (default 8102)
  NOXH_INSPECTION_PORT  inspection-api (default 8103)
  NOXH_PG_PORT          embedded PostgreSQL (default 55432)
  NOXH_PG_URL           a superuser URL of another PostgreSQL (then nothing embedded is started)
  NOXH_DB_PREFIX        prefix of the database names (default none: registry, funding, inspection)
  NOXH_SPA_ROOT         the built SPA (default <repo>/frontend/dist)
  NOXH_LOG_LEVEL        services' log level (default INFO)
  NOXH_READY_TIMEOUT    seconds `run` waits for every /readyz (default 180)
"""


def _out(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _err(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _pg_command(cfg: StackConfig, action: str, test: bool) -> int:
    if test:
        from devstack.pytest_plugin import test_server

        server: EmbeddedPostgres = test_server()
        label = "test PostgreSQL"
    else:
        if cfg.pg_url:
            _out(f"noxh: NOXH_PG_URL names an external server ({redact(cfg.admin_url)}); nothing embedded")
            return 0
        server = cfg.embedded_postgres()
        label = "PostgreSQL"
    if action == "start":
        server.start()
        _out(f"noxh: {label} runs on 127.0.0.1:{server.port} ({server.data_dir}): {server.admin_url}")
    elif action == "stop":
        running = server.is_running()
        server.stop()
        _out(f"noxh: {label} stopped" if running else f"noxh: {label} was not running")
    else:
        state = "running" if server.is_running() else "stopped"
        _out(f"{label}: {state}, 127.0.0.1:{server.port} ({server.data_dir})")
    return 0


def _stack_env(cfg: StackConfig, name: str) -> dict[str, str]:
    if not cfg.secrets_file.exists():
        raise StackError(f"no dev secrets yet ({cfg.secrets_file}): start the stack once with `noxh run`")
    secrets = dev_secrets.load_secrets(cfg.secrets_file)
    if name == ISSUER:
        return issuer_env(cfg, secrets)
    for service in SERVICES:
        if service.name == name:
            return service_env(cfg, service, secrets)
    names = ", ".join([ISSUER, *(s.name for s in SERVICES)])
    raise StackError(f"unknown process {name!r}; one of: {names}")


def _token(cfg: StackConfig, role: str, audience: str | None) -> int:
    argv = [sys.executable, "-m", "dev_issuer.cli", "token", "--role", role]
    if audience:
        argv += ["--audience", audience]
    env = {**os.environ, **_stack_env(cfg, ISSUER)}
    return subprocess.run(argv, env=env, cwd=cfg.root, check=False).returncode


def _logs(cfg: StackConfig, names: Sequence[str], lines: int, follow: bool) -> int:
    known = [ISSUER, *(s.name for s in SERVICES), GATEWAY]
    chosen = list(names) or known
    files = [str(cfg.logs_dir / f"{n}.log") for n in chosen if (cfg.logs_dir / f"{n}.log").exists()]
    if not files:
        _out(f"noxh: no logs yet in {cfg.logs_dir}")
        return 1
    argv = ["tail", "-n", str(lines), *(["-F"] if follow else []), *files]
    try:
        return subprocess.run(argv, check=False).returncode
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noxh",
        description="Run NOXH on this machine: PostgreSQL, the dev issuer, the services and the gateway.",
        epilog=ENV_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start everything and wait (Ctrl-C stops it all)")
    sub.add_parser("stop", help="stop a running stack, the embedded PostgreSQL included")
    sub.add_parser("status", help="show what runs")
    sub.add_parser("reset-data", help="stop everything and empty the data folder (database, secrets, logs)")
    pg = sub.add_parser("pg", help="the embedded PostgreSQL alone")
    pg.add_argument("action", choices=["start", "stop", "status"])
    pg.add_argument(
        "--test", action="store_true", help="the tests' server (NOXH_TEST_PG_PORT, default 55433)"
    )
    token = sub.add_parser("token", help="print an access token from the dev issuer")
    token.add_argument("--role", required=True)
    token.add_argument("--audience", default=None, help="a service name, e.g. registry-api")
    logs = sub.add_parser("logs", help="show the processes' logs")
    logs.add_argument("names", nargs="*", help="issuer, registry-api, funding-api, inspection-api, gateway")
    logs.add_argument("-n", "--lines", type=int, default=40)
    logs.add_argument("-f", "--follow", action="store_true")
    env = sub.add_parser("env", help="print a process's environment as shell exports (to run it by hand)")
    env.add_argument("name", help="issuer, registry-api, funding-api or inspection-api")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = StackConfig.from_env()
        command: str = args.command
        if command == "run":
            return run_stack(cfg, _out)
        if command == "stop":
            return stop_stack(cfg, _out)
        if command == "status":
            for line in status_lines(cfg):
                _out(line)
            return 0
        if command == "reset-data":
            return reset_data(cfg, _out)
        if command == "pg":
            return _pg_command(cfg, args.action, args.test)
        if command == "token":
            return _token(cfg, args.role, args.audience)
        if command == "logs":
            return _logs(cfg, args.names, args.lines, args.follow)
        if command == "env":
            for key, value in sorted(_stack_env(cfg, args.name).items()):
                _out(f"export {key}='{value}'")
            return 0
    except (StackError, PostgresError) as exc:
        _err(f"noxh: {exc}")
        return 1
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())

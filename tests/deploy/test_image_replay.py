"""A service image, replayed without Docker: the build stage's COPY instructions are carried out from
the build context (honouring .dockerignore) into a folder standing for /app, its `uv sync` commands
are run there (offline, from uv's cache), and the result must then migrate a database with the init
container's command and serve /healthz and /readyz with the image's command. This catches a file the
image forgets to copy, which the static checks cannot see.
"""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import psycopg
import pytest
from deploy_helpers import DEPLOY, REPO, env_of, excluded, exec_form, parse_dockerfile, run_database_name
from psycopg import sql
from sqlalchemy import make_url

pytestmark = pytest.mark.timeout(240)

SERVICE = "registry-api"
PREFIX = "REGISTRY_"


def _copy(source: str, destination: Path) -> None:
    path = REPO / source
    if path.is_file():
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        return
    for file in path.rglob("*"):
        relative = str(file.relative_to(REPO))
        if file.is_file() and not excluded(relative):
            target = destination / file.relative_to(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


def _uv() -> list[str]:
    """uv as the Makefile finds it: the `uv` command, or the module under the system's python3."""
    if found := shutil.which("uv"):
        return [found]
    python3 = shutil.which("python3")
    if (
        python3
        and subprocess.run([python3, "-m", "uv", "--version"], capture_output=True, check=False).returncode
        == 0
    ):
        return [python3, "-m", "uv"]
    pytest.skip("uv is not installed: the image build cannot be replayed")


def _replay_build(app: Path) -> None:
    uv = _uv()
    _, stages = parse_dockerfile(DEPLOY / "docker" / f"{SERVICE}.Dockerfile")
    build = next(s for s in stages if s.name == "build")
    env = {
        **os.environ,
        **env_of(build),
        "UV_PROJECT_ENVIRONMENT": str(app / ".venv"),
        "UV_PYTHON": "python3.11",
        "UV_OFFLINE": "1",
        "UV_LINK_MODE": "hardlink",
    }
    env.pop("VIRTUAL_ENV", None)
    for keyword, args in build.instructions:
        if keyword == "COPY" and "--from=" not in args:
            *sources, destination = shlex.split(args)
            for source in sources:
                target = app / destination.removeprefix("./")
                if destination.endswith("/"):
                    target = target / Path(source).name
                _copy(source, target)
        elif keyword == "RUN" and "uv sync" in args:
            command = args[args.index("uv sync") :].split("&&")[0]
            result = subprocess.run(
                [*uv, *shlex.split(command)[1:]],
                cwd=app,
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )
            if result.returncode != 0 and "network connectivity is disabled" in result.stderr.lower():
                pytest.skip(
                    f"uv's cache lacks a package, and the network is not used: {result.stderr[-300:]}"
                )
            assert result.returncode == 0, f"{command}:\n{result.stderr}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fresh_database(admin_url: str, name: str) -> str:
    """Drop and create `name`; its asyncpg URL, as the services take it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


def test_the_registry_image_migrates_and_serves_from_what_it_copies(
    pg_admin_url: str, tmp_path: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    _replay_build(app)
    assert not (app / "tests").exists()
    assert not (app / "services" / SERVICE / "tests").exists()
    python = app / ".venv" / "bin" / "python"

    url = _fresh_database(pg_admin_url, run_database_name("image_replay"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX) and k != "VIRTUAL_ENV"}
    env.update(
        {
            "PATH": f"{app / '.venv' / 'bin'}:{os.environ['PATH']}",
            "PYTHONDONTWRITEBYTECODE": "1",
            f"{PREFIX}DATABASE_URL": url,
            f"{PREFIX}OIDC_ISSUER": "https://sso.example.invalid/realms/noxh",
            f"{PREFIX}PII_ENCRYPTION_KEY": "replay-test-encryption-key-0123456789",
            f"{PREFIX}PII_BLIND_INDEX_KEY": "replay-test-blind-index-key-0123456789",
        }
    )
    # The init container's command, with /app standing in for the folder.
    migrated = subprocess.run(
        [str(python), str(app / "migrate.py"), f"services/{SERVICE}/alembic.ini", f"{PREFIX}DATABASE_URL"],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert migrated.returncode == 0, migrated.stderr

    # The image's command, on a free loopback port instead of 0.0.0.0:8000.
    _, stages = parse_dockerfile(DEPLOY / "docker" / f"{SERVICE}.Dockerfile")
    command = exec_form(stages[-1].last("CMD"))
    port = _free_port()
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    command[0] = str(app / ".venv" / "bin" / command[0])
    process = subprocess.Popen(command, cwd=app, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False) as client:
            while True:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                try:
                    ready = client.get("/readyz", timeout=2)
                    if ready.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the service did not become ready"
                time.sleep(0.3)
            assert client.get("/healthz").json() == {"status": "ok"}
            assert ready.json() == {"status": "ok"}  # the migrations' head, read from the copied files
            metrics = client.get("/metrics")
            assert "http_requests_total" in metrics.text
    finally:
        process.terminate()
        process.wait(timeout=30)

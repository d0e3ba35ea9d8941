"""Where the dev stack keeps things. Everything lives under the git-ignored `.data/` folder."""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    env = os.environ.get("NOXH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "uv.lock").exists() and (parent / "services").is_dir():
            return parent
    return Path.cwd()


def data_dir() -> Path:
    return Path(os.environ.get("NOXH_DATA_DIR", repo_root() / ".data")).resolve()

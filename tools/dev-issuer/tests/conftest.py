from __future__ import annotations

import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from issuer_helpers import ISSUER_URL, Env, build_env


@pytest.fixture(scope="session")
def signing_keys(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One generated key folder, copied into each test's DATA_DIR (RSA key generation is slow)."""
    data_dir = tmp_path_factory.mktemp("issuer-keys")
    build_env(data_dir)
    return data_dir / "keys"


@pytest.fixture
async def env(tmp_path: Path, signing_keys: Path) -> AsyncIterator[Env]:
    shutil.copytree(signing_keys, tmp_path / "issuer" / "keys")
    app, clock, settings = build_env(tmp_path / "issuer")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=ISSUER_URL) as client:
        yield Env(app, client, settings, clock)

"""One real stack per test session, shared by every system test (`system_stack.py` starts it)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from system_stack import Stack, running_stack


@pytest.fixture(scope="session")
def stack(pg_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(pg_admin_url, tmp_path_factory.mktemp("noxh-system")) as running:
        yield running

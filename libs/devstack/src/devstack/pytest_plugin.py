"""pytest plugin: the PostgreSQL server the tests use (`NOXH_TEST_PG_URL`, or an embedded one)."""

from __future__ import annotations

import os

import pytest

from devstack.paths import data_dir
from devstack.postgres import EmbeddedPostgres

TEST_PG_PORT = int(os.environ.get("NOXH_TEST_PG_PORT", "55433"))


def test_server() -> EmbeddedPostgres:
    return EmbeddedPostgres(data_dir() / "test-pg", TEST_PG_PORT, throwaway=True)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """A superuser URL. Set NOXH_TEST_PG_URL to use any server (PostgreSQL 15 or newer)."""
    url = os.environ.get("NOXH_TEST_PG_URL")
    if url:
        return url
    server = test_server()
    server.start()
    return server.admin_url

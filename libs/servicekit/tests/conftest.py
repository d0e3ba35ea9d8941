from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from sample_service.app import HERE, make_app
from sample_service.models import SampleBase
from servicekit.testing.plugin import ServiceTestConfig


@pytest.fixture(scope="session")
def service_config() -> ServiceTestConfig:
    return ServiceTestConfig(
        name="sample-api",
        db_prefix="servicekit_sample",
        alembic_ini=HERE / "alembic.ini",
        metadata=SampleBase.metadata,
        app_factory=make_app,
    )

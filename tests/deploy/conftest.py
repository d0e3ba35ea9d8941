"""Fixtures of the deployment checks: every overlay rendered once per run.

Rendering needs `kubectl` (with its built-in Kustomize); on a machine without it the tests that need
the rendered manifests say so and skip, and the others (Dockerfiles, Keycloak realm, backup and
restore, the migration lock) still run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from deploy_helpers import OVERLAYS, Rendered, kubectl_path, render


@pytest.fixture(scope="session")
def rendered() -> dict[str, Rendered]:
    if kubectl_path() is None:
        pytest.skip("kubectl (with its built-in Kustomize) is not installed: the overlays were not rendered")
    return {overlay: render(overlay) for overlay in OVERLAYS}


@pytest.fixture(params=OVERLAYS)
def overlay(request: pytest.FixtureRequest, rendered: dict[str, Rendered]) -> Rendered:
    return rendered[request.param]

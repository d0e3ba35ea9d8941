"""Contract checks of the published API. The breaking-change checker lives in `scripts/`; it is loaded
by its path (putting `scripts/` on sys.path would also expose `scripts/openapi.py` as `openapi`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "openapi_compat.py"
_SPEC = importlib.util.spec_from_file_location("openapi_compat", _PATH)
assert _SPEC is not None
assert _SPEC.loader is not None
_MODULE = importlib.util.module_from_spec(_SPEC)
sys.modules["openapi_compat"] = _MODULE  # dataclasses look their module up while the file runs
_SPEC.loader.exec_module(_MODULE)

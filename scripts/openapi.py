"""Write or check each service's committed openapi.json: `python scripts/openapi.py write|check`."""

from __future__ import annotations

import difflib
import importlib
import json
import sys
from pathlib import Path

from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {
    "registry-api": ("registry_api", "REGISTRY"),
    "funding-api": ("funding_api", "FUNDING"),
    "inspection-api": ("inspection_api", "INSPECTION"),
}


def render(package: str) -> str:
    main = importlib.import_module(f"{package}.main")
    config = importlib.import_module(f"{package}.config")
    # Placeholder values: building the document connects to nothing.
    settings = config.Settings(
        DATABASE_URL=SecretStr("postgresql+asyncpg://openapi@localhost/openapi"),
        OIDC_ISSUER="http://127.0.0.1:8000/auth",
        PII_ENCRYPTION_KEY=SecretStr("openapi-placeholder"),
        PII_BLIND_INDEX_KEY=SecretStr("openapi-placeholder"),
    )
    app = main.create_app(settings)
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(mode: str) -> int:
    stale = []
    for name, (package, _prefix) in SERVICES.items():
        path = ROOT / "services" / name / "openapi.json"
        if not (ROOT / "services" / name / "src" / package / "main.py").exists():
            continue
        fresh = render(package)
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if mode == "write":
            if fresh != current:
                path.write_text(fresh, encoding="utf-8")
                print(f"wrote {path.relative_to(ROOT)}")  # noqa: T201
        elif fresh != current:
            stale.append(name)
            diff = difflib.unified_diff(
                current.splitlines(), fresh.splitlines(), "committed", "generated", lineterm=""
            )
            print("\n".join(list(diff)[:40]))  # noqa: T201
    if stale:
        print(f"stale openapi.json: {', '.join(stale)} — run `make openapi` and commit", file=sys.stderr)  # noqa: T201
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))

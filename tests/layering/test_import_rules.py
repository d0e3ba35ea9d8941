"""The import rules in the root pyproject fail when broken: run them over a small tree that breaks each."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# A miniature workspace with the real package names, each file breaking (or keeping) one rule.
CLEAN_TREE = {
    "servicekit/__init__.py": "",
    "servicekit/errors.py": "",
    "devstack/__init__.py": "",
    "dev_issuer/__init__.py": "",
    "funding_api/__init__.py": "",
    "inspection_api/__init__.py": "",
    "registry_api/__init__.py": "",
    "registry_api/household/__init__.py": "",
    "registry_api/household/router.py": "import registry_api.household.service\n",
    "registry_api/household/service.py": (
        "import registry_api.household.repository\nimport servicekit.errors\n"
    ),
    "registry_api/household/repository.py": "import sqlalchemy\n",
}
VIOLATIONS = {
    "Services are independent of each other": {"registry_api/household/service.py": "import funding_api\n"},
    "servicekit imports no service": {"servicekit/errors.py": "import registry_api\n"},
    "Services do not import the dev tooling": {"registry_api/household/service.py": "import devstack\n"},
    "free of FastAPI and Starlette": {"registry_api/household/service.py": "import fastapi\n"},
    "Routers run no SQL": {"registry_api/household/router.py": "import sqlalchemy\n"},
    "Repositories neither call services nor speak HTTP": {
        "registry_api/household/repository.py": "import httpx\n"
    },
}


def _run(tmp_path: Path, tree: dict[str, str]) -> subprocess.CompletedProcess[str]:
    for relative, text in tree.items():
        path = tmp_path / "src" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    lines = [
        f"root_packages = {config['root_packages']!r}".replace("'", '"'),
        "include_external_packages = true",
    ]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        for key, value in contract.items():
            rendered = repr(value).replace("'", '"').replace("True", "true").replace("False", "false")
            lines.append(f"{key} = {rendered}")
    (tmp_path / "pyproject.toml").write_text("[tool.importlinter]\n" + "\n".join(lines) + "\n")
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tmp_path / "pyproject.toml"), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_a_clean_tree_keeps_every_contract(tmp_path: Path) -> None:
    result = _run(tmp_path, CLEAN_TREE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
@pytest.mark.parametrize("contract", sorted(VIOLATIONS))
def test_each_broken_rule_fails_the_check(tmp_path: Path, contract: str) -> None:
    result = _run(tmp_path, {**CLEAN_TREE, **VIOLATIONS[contract]})
    assert result.returncode != 0, result.stdout
    broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
    assert any(contract in line for line in broken), result.stdout
    shutil.rmtree(tmp_path / "src")

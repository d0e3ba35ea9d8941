"""Faults under a steady write load, through the gateway (issue 10, item 5).

One campaign per run: the stack is started with its own PostgreSQL, proxy and small disk
(`faults_stack.py`), the load runs while each fault is made and cleared in turn (`faults_load.py`),
and the tests in `test_faults.py` each check one property of the recorded result. The figures are
written as JSON to `FAULTS_REPORT` (default: the run's temporary folder) and summed up at the end of
the pytest output.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from faults_load import CampaignResult, LoadSettings, run_campaign
from faults_stack import running_stack

_SUMMARIES: list[str] = []


def _keep_only_logs(root: Path) -> None:
    """The run's logs (and the report) stay for a post-mortem; its data, secrets and keys go."""
    for entry in root.iterdir():
        if entry.name == "stack":
            for inner in entry.iterdir():
                if inner.name == "logs":
                    continue
                if inner.is_dir():
                    shutil.rmtree(inner, ignore_errors=True)
                else:
                    inner.unlink()
        elif entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _prune_old_runs(keep_for_s: float = 6 * 3600) -> None:
    """Earlier runs' folders (their logs and reports) go after a while, as pytest's own do."""
    for old in Path(tempfile.gettempdir()).glob("noxh-faults-*"):
        if old.is_dir() and time.time() - old.stat().st_mtime > keep_for_s:
            shutil.rmtree(old, ignore_errors=True)


@pytest.fixture(scope="module")
def campaign() -> CampaignResult:
    settings = LoadSettings.from_env()
    _prune_old_runs()
    # Not under pytest's temporary folder: PostgreSQL runs as another user there (we are root) and
    # needs to traverse the path, and a concurrent pytest session may prune those folders.
    root = Path(tempfile.mkdtemp(prefix="noxh-faults-"))
    root.chmod(0o711)  # PostgreSQL's user runs with root's group here: group and others may traverse
    result: CampaignResult | None = None
    logs = root / "stack" / "logs"
    try:
        # The campaign runs on its own thread and event loop: nothing of pytest-asyncio's is touched.
        with running_stack(root) as stack, ThreadPoolExecutor(max_workers=1) as pool:
            result, _, _ = pool.submit(asyncio.run, run_campaign(stack, settings)).result()
    except RuntimeError as exc:
        if result is None:
            raise
        result.teardown_problem = str(exc)  # the stack did not stop cleanly: its own test says so
    finally:
        _keep_only_logs(root)
    assert result is not None
    report = Path(os.environ.get("FAULTS_REPORT") or root / "faults-report.json")
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(result.to_json())
    _SUMMARIES.append(result.summary() + f"\n  report: {report}\n  stack logs: {logs}")
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for summary in _SUMMARIES:
        terminalreporter.write_sep("-", "faults under load")
        terminalreporter.write_line(summary)

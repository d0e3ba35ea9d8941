"""Operator commands for the stored dashboard counts (run through `python -m registry_api.manage`):

- `rebuild-dashboards`: recompute every count from the base tables and commit (repair; after a bulk
  load with the triggers disabled);
- `check-dashboards`: rebuild in a transaction that is rolled back and report how many stored counts
  differ from the rebuild's (exit 2 when some do).
"""

from __future__ import annotations

import asyncio
import json
import time

from registry_api.dashboard.service import dashboard_service
from servicekit.db.engine import make_engine, make_sessionmaker

COMMANDS = ("rebuild-dashboards", "check-dashboards")


async def _run(database_url: str, command: str) -> int:
    engine = make_engine(database_url, pool_size=1, statement_timeout_ms=0)
    started = time.perf_counter()
    try:
        async with make_sessionmaker(engine)() as session:
            if command == "rebuild-dashboards":
                async with session.begin():
                    spans = await dashboard_service.rebuild(session)
                report: dict[str, object] = {"household_spans": spans}
            else:
                differing = await dashboard_service.drift(session)
                await session.rollback()
                report = {"differing_counts": differing}
    finally:
        await engine.dispose()
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))  # noqa: T201  (a command's output)
    return 2 if report.get("differing_counts") else 0


def run_dashboard_command(database_url: str, command: str) -> int:
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command}; choose from {', '.join(COMMANDS)}")
    return asyncio.run(_run(database_url, command))

"""Operator commands every service exposes: `python -m <service>.manage verify-audit | seal-audit`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import asdict
from pathlib import Path

from servicekit.audit import seal, seal_anchored, verify_chain
from servicekit.audit_anchor import FileAnchorStore, anchor_store_at
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.db.platform import AuditRecordMixin


async def _verify(url: str, model: type[AuditRecordMixin], anchor: FileAnchorStore | None) -> int:
    engine = make_engine(url, pool_size=1, statement_timeout_ms=0)
    try:
        async with make_sessionmaker(engine)() as session:
            report = await verify_chain(session, model, anchor_store=anchor)
    finally:
        await engine.dispose()
    print(json.dumps(asdict(report), default=str))  # noqa: T201  (a command's output)
    return 0 if report.ok else 2


async def _seal(url: str, model: type[AuditRecordMixin], anchor: FileAnchorStore | None) -> int:
    engine = make_engine(url, pool_size=1, statement_timeout_ms=0)
    total = 0
    try:
        sessionmaker = make_sessionmaker(engine)
        while True:
            if anchor is not None:
                # Sealing past the anchor without writing to it would look like appended rows.
                sealed = await seal_anchored(sessionmaker, model, anchor)
            else:
                async with sessionmaker() as session, session.begin():
                    sealed = await seal(session, model)
            total += sealed
            if sealed == 0:
                break
    finally:
        await engine.dispose()
    print(json.dumps({"sealed": total}))  # noqa: T201
    return 0


def run_manage(
    database_url: str,
    audit_model: type[AuditRecordMixin],
    argv: list[str] | None = None,
    *,
    anchor_path: Path | None = None,
) -> int:
    """`anchor_path`: the service's AUDIT_ANCHOR_PATH (the audit chain's external anchor), if it keeps one."""
    parser = argparse.ArgumentParser(prog="manage")
    parser.add_argument("command", choices=["verify-audit", "seal-audit"])
    args = parser.parse_args(argv)
    command = _verify if args.command == "verify-audit" else _seal
    return asyncio.run(command(database_url, audit_model, anchor_store_at(anchor_path)))


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run it through a service: python -m registry_api.manage verify-audit")

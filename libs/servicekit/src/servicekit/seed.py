"""Seeds: ordered, idempotent steps a service runs after migrating (`make run` calls them)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.settings import BaseServiceSettings, Environment

logger = logging.getLogger("servicekit.seed")


@dataclass(frozen=True)
class SeedStep:
    name: str
    run: Callable[[AsyncSession], Awaitable[str]]  # returns a one-line summary
    # Demo data (invented households, cases ...): never loaded in production.
    demo: bool = False


def wants_demo(settings: BaseServiceSettings, argv: Sequence[str]) -> bool:
    """Demo steps run outside production unless `--reference-only` is given."""
    return settings.ENV is not Environment.PRODUCTION and "--reference-only" not in argv


async def run_seed_steps(
    database_url: str, steps: Sequence[SeedStep], *, service: str, include_demo: bool = False
) -> list[str]:
    """Run the steps in order, each in its own transaction; each must be safe to run again."""
    engine = make_engine(database_url, pool_size=1)
    summaries = []
    try:
        sessionmaker = make_sessionmaker(engine)
        for step in steps:
            if step.demo and not include_demo:
                continue
            async with sessionmaker() as session, session.begin():
                summary = await step.run(session)
            line = f"{service} seed {step.name}: {summary}"
            print(line, flush=True)  # noqa: T201  (the run script shows seed progress)
            summaries.append(line)
    finally:
        await engine.dispose()
    return summaries

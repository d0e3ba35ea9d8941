"""Reference and demo data as ordered, idempotent steps: `python -m funding_api.seed`.

Demo steps never run in production (ENV=production) nor with `--reference-only`.
"""

from __future__ import annotations

import asyncio
import sys

from funding_api.config import get_settings
from servicekit.seed import SeedStep, run_seed_steps, wants_demo

# No reference data yet: funding sources are created by officers from their province's decisions.
STEPS: list[SeedStep] = []


def main() -> None:
    settings = get_settings()
    asyncio.run(
        run_seed_steps(
            settings.DATABASE_URL.get_secret_value(),
            STEPS,
            service=settings.SERVICE_NAME,
            include_demo=wants_demo(settings, sys.argv[1:]),
        )
    )


if __name__ == "__main__":
    main()

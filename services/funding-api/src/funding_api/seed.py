"""Demo and reference data, as ordered idempotent steps: `python -m funding_api.seed`."""

from __future__ import annotations

import asyncio

from funding_api.config import get_settings
from servicekit.seed import SeedStep, run_seed_steps

# No reference data yet: funding sources are created by officers from their province's decisions.
STEPS: list[SeedStep] = []


def main() -> None:
    settings = get_settings()
    asyncio.run(
        run_seed_steps(settings.DATABASE_URL.get_secret_value(), STEPS, service=settings.SERVICE_NAME)
    )


if __name__ == "__main__":
    main()

"""Demo and reference data, as ordered idempotent steps: `python -m inspection_api.seed`."""

from __future__ import annotations

import asyncio

from inspection_api.config import get_settings
from servicekit.seed import SeedStep, run_seed_steps

# No reference data yet: land-use plans are recorded by officers from the approving decisions.
STEPS: list[SeedStep] = []


def main() -> None:
    settings = get_settings()
    asyncio.run(
        run_seed_steps(settings.DATABASE_URL.get_secret_value(), STEPS, service=settings.SERVICE_NAME)
    )


if __name__ == "__main__":
    main()

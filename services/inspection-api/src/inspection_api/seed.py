"""Reference and demo data as ordered, idempotent steps: `python -m inspection_api.seed`.

Demo steps never run in production (ENV=production) nor with `--reference-only`.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.config import get_settings
from inspection_api.inspection_case.demo import seed_demo_cases
from inspection_api.inspection_case.reference import seed_checklist_templates, seed_violation_catalogue
from inspection_api.land_reserve.demo import seed_demo_land_reserves
from inspection_api.land_reserve.reference import seed_land_reserve_rules
from inspection_api.profiteering.demo import seed_demo_flags
from servicekit.seed import SeedStep, run_seed_steps, wants_demo


async def seed_land_reserve_rules_step(session: AsyncSession) -> str:
    return f"{await seed_land_reserve_rules(session)} land-reserve rules added"


async def seed_demo_land_reserves_step(session: AsyncSession) -> str:
    return f"{await seed_demo_land_reserves(session)} commercial projects with obligations and parcels added"


# No reference data yet: land-use plans are recorded by officers from the approving decisions.
STEPS: list[SeedStep] = [
    SeedStep("land_reserve_rules", seed_land_reserve_rules_step),
    SeedStep("demo_land_reserves", seed_demo_land_reserves_step, demo=True),
]
STEPS.append(SeedStep("demo_profiteering_flags", seed_demo_flags, demo=True))


async def seed_violation_catalogue_step(session: AsyncSession) -> str:
    return f"{await seed_violation_catalogue(session)} violation catalogue entries added (draft values)"


async def seed_checklist_templates_step(session: AsyncSession) -> str:
    return f"{await seed_checklist_templates(session)} checklist template versions added"


STEPS += [
    SeedStep("violation_catalogue", seed_violation_catalogue_step),
    SeedStep("checklist_templates", seed_checklist_templates_step),
    SeedStep("demo_inspection_cases", seed_demo_cases, demo=True),
]


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

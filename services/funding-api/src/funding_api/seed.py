"""Reference and demo data as ordered, idempotent steps: `python -m funding_api.seed`.

Demo steps never run in production (ENV=production) nor with `--reference-only`.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.allocation.demo import enqueue_demo_allocations, seed_demo_funding
from funding_api.config import get_settings
from funding_api.housing_fund.demo import seed_demo_housing_fund
from funding_api.loan.demo import seed_demo_loans
from funding_api.loan.pii import build_cipher
from funding_api.loan.reference import seed_demo_lending_plans, seed_loan_reference
from funding_api.vbsp_entrustment.demo import seed_demo_entrustment
from servicekit.seed import SeedStep, run_seed_steps, wants_demo

# No reference data yet: funding sources are created by officers from their province's decisions.
STEPS: list[SeedStep] = []


async def seed_demo_loans_step(session: AsyncSession) -> str:
    return await seed_demo_loans(session, build_cipher(get_settings()))


STEPS += [
    SeedStep("vbsp-loan-rates-and-caps", seed_loan_reference),
    SeedStep("demo-vbsp-lending-plans", seed_demo_lending_plans, demo=True),
    SeedStep("demo-vbsp-loans-hai-phong", seed_demo_loans_step, demo=True),
]

STEPS += [
    SeedStep("demo-vbsp-entrustment-hai-phong", seed_demo_entrustment, demo=True),
    SeedStep("demo-housing-fund-hai-phong", seed_demo_housing_fund, demo=True),
]


async def seed_demo_funding_step(session: AsyncSession) -> str:
    return f"{await seed_demo_funding(session)} demo funding sources added"


async def enqueue_demo_allocations_step(session: AsyncSession) -> str:
    await enqueue_demo_allocations(session)
    return "job queued: it funds registry-api's demo support cases once registry-api answers"


STEPS += [
    SeedStep("demo-funding-sources-hai-duong-campaign", seed_demo_funding_step, demo=True),
    SeedStep("demo-funding-allocations-job", enqueue_demo_allocations_step, demo=True),
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

"""Demo and reference data, as ordered idempotent steps: `python -m registry_api.seed`."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.service import admin_unit_service
from registry_api.config import get_settings
from servicekit.seed import SeedStep, run_seed_steps

HAI_PHONG_PROVINCE_CODE = 31  # Hai Duong (legacy code 30) merged into Hai Phong on 1/7/2025.


async def seed_hai_phong_units(session: AsyncSession) -> str:
    added = await admin_unit_service.seed_current_province(session, HAI_PHONG_PROVINCE_CODE)
    return f"{added} units added"


STEPS: list[SeedStep] = [
    SeedStep("admin-units-hai-phong-2025", seed_hai_phong_units),
]


def main() -> None:
    settings = get_settings()
    asyncio.run(
        run_seed_steps(settings.DATABASE_URL.get_secret_value(), STEPS, service=settings.SERVICE_NAME)
    )


if __name__ == "__main__":
    main()

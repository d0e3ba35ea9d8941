"""Reference and demo data as ordered, idempotent steps: `python -m registry_api.seed`.

Demo steps never run in production (ENV=production) nor with `--reference-only`.
"""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.service import admin_unit_service
from registry_api.allocation.demo import seed_demo_allocation, seed_demo_contracts
from registry_api.allocation.reference import seed_allocation_rules
from registry_api.application.demo import seed_demo_applications
from registry_api.application.reference import seed_beneficiary_groups, seed_eligibility_rules
from registry_api.category.reference import seed_poverty_standards
from registry_api.config import get_settings
from registry_api.duplicate.demo import seed_demo_duplicates
from registry_api.duplicate.reference import seed_duplicate_match_rules
from registry_api.dwelling.demo import seed_demo_dwellings
from registry_api.dwelling.reference import seed_dwelling_rule_sets
from registry_api.household.demo import seed_demo_households
from registry_api.household_import.demo import seed_demo_imports
from registry_api.housing_project.demo import seed_demo_projects
from registry_api.housing_target.reference import seed_housing_targets
from registry_api.person.pii import build_cipher
from registry_api.review.demo import seed_demo_reviews
from registry_api.review.reference import seed_review_rules
from registry_api.support_case.demo import seed_demo_support_cases
from registry_api.support_case.reference import seed_support_rates
from servicekit.seed import SeedStep, run_seed_steps, wants_demo

HAI_PHONG_PROVINCE_CODE = 31  # Hai Duong (legacy code 30) merged into Hai Phong on 1/7/2025.


async def seed_current_units(session: AsyncSession) -> str:
    return f"{await admin_unit_service.seed_current_units(session)} units"


async def seed_legacy_units(session: AsyncSession) -> str:
    return f"{await admin_unit_service.seed_legacy_units(session)} units"


async def seed_admin_unit_mapping(session: AsyncSession) -> str:
    return f"{await admin_unit_service.seed_mapping(session)} old -> new pairs"


async def seed_poverty_standards_step(session: AsyncSession) -> str:
    return f"{await seed_poverty_standards(session)} standards added"


async def seed_demo_households_step(session: AsyncSession) -> str:
    cipher = build_cipher(get_settings())
    return f"{await seed_demo_households(session, cipher)} households added"


async def seed_support_rates_step(session: AsyncSession) -> str:
    return f"{await seed_support_rates(session)} support rates added"


async def seed_demo_support_cases_step(session: AsyncSession) -> str:
    cipher = build_cipher(get_settings())
    return f"{await seed_demo_support_cases(session, cipher)} support cases added"


async def seed_dwelling_rule_sets_step(session: AsyncSession) -> str:
    return f"{await seed_dwelling_rule_sets(session)} dwelling rule sets added"


async def seed_review_rules_step(session: AsyncSession) -> str:
    return f"{await seed_review_rules(session)} review rules added"


async def seed_demo_dwellings_step(session: AsyncSession) -> str:
    return f"{await seed_demo_dwellings(session)} dwellings added"


async def seed_demo_reviews_step(session: AsyncSession) -> str:
    return f"{await seed_demo_reviews(session)} review records added"


async def seed_demo_imports_step(session: AsyncSession) -> str:
    cipher = build_cipher(get_settings())
    return f"{await seed_demo_imports(session, cipher)} commune lists queued for import"


async def seed_housing_targets_step(session: AsyncSession) -> str:
    return f"{await seed_housing_targets(session)} housing targets added"


async def seed_demo_projects_step(session: AsyncSession) -> str:
    return f"{await seed_demo_projects(session)} housing projects added"


async def seed_eligibility_reference_step(session: AsyncSession) -> str:
    groups = await seed_beneficiary_groups(session)
    return f"{groups} beneficiary groups, {await seed_eligibility_rules(session)} eligibility rules added"


async def seed_demo_applications_step(session: AsyncSession) -> str:
    cipher = build_cipher(get_settings())
    return f"{await seed_demo_applications(session, cipher)} applications added"


async def seed_duplicate_match_rules_step(session: AsyncSession) -> str:
    return f"{await seed_duplicate_match_rules(session)} duplicate match rules added"


async def seed_demo_duplicates_step(session: AsyncSession) -> str:
    cipher = build_cipher(get_settings())
    return f"{await seed_demo_duplicates(session, cipher)} duplicate candidates queued"


async def seed_allocation_rules_step(session: AsyncSession) -> str:
    return f"{await seed_allocation_rules(session)} allocation rules added"


async def seed_demo_allocation_step(session: AsyncSession) -> str:
    return f"{await seed_demo_allocation(session)} allocation rounds drawn"


async def seed_demo_contracts_step(session: AsyncSession) -> str:
    return f"{await seed_demo_contracts(session)} housing contracts signed"


STEPS: list[SeedStep] = [
    # All units of both schemes and the mapping between them, from the packages' static tables.
    SeedStep("admin-units-2025", seed_current_units),
    SeedStep("admin-units-legacy", seed_legacy_units),
    SeedStep("admin-unit-mapping-2025", seed_admin_unit_mapping),
    # Reference rows with their legal basis, then demo households (they need the units and standards).
    SeedStep("poverty-standards", seed_poverty_standards_step),
    SeedStep("demo-households-hai-phong", seed_demo_households_step, demo=True),
    # Communes' review lists built on those households, queued for the worker to import.
    SeedStep("demo-household-imports-hai-phong", seed_demo_imports_step, demo=True),
    # Dated dwelling and review rules, then demo dwellings and the 2025 review on the demo households.
    SeedStep("dwelling-rule-sets", seed_dwelling_rule_sets_step),
    SeedStep("review-rules", seed_review_rules_step),
    SeedStep("demo-dwellings-hai-phong", seed_demo_dwellings_step, demo=True),
    SeedStep("demo-reviews-hai-phong", seed_demo_reviews_step, demo=True),
    # State support amounts (dated, with their legal basis), then demo cases on the demo households.
    SeedStep("support-rates", seed_support_rates_step),
    SeedStep("demo-support-cases-hai-phong", seed_demo_support_cases_step, demo=True),
    # Social housing targets (dated, with their legal basis), then demo projects with milestones.
    SeedStep("housing-targets", seed_housing_targets_step),
    SeedStep("demo-housing-projects-hai-phong", seed_demo_projects_step, demo=True),
    # The duplicate match rule (dated), then demo re-entered persons and the detection run over them.
    SeedStep("duplicate-match-rules", seed_duplicate_match_rules_step),
    SeedStep("demo-duplicates-hai-phong", seed_demo_duplicates_step, demo=True),
    # Beneficiary groups and eligibility rules (dated, with their legal basis), then demo applications.
    SeedStep("eligibility-rules", seed_eligibility_reference_step),
    SeedStep("demo-applications-hai-phong", seed_demo_applications_step, demo=True),
    # The priority order (dated, with its legal basis), then one drawn demo round.
    SeedStep("allocation-rules", seed_allocation_rules_step),
    SeedStep("demo-allocation-hai-phong", seed_demo_allocation_step, demo=True),
    # Contracts for the allocated demo applications and one resale (reports, integrity signals).
    SeedStep("demo-contracts-hai-phong", seed_demo_contracts_step, demo=True),
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

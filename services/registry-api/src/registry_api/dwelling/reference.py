"""The dwelling rule sets, loaded as dated reference rows by a seed step (see
docs/rules/dwellings-and-reviews.md for how to change one)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.repository import DwellingRuleSetRepository
from registry_api.models import DwellingRuleSet

DWELLING_RULE_SETS: list[dict[str, object]] = [
    {
        "code": "QD55_BXD_2025",
        "name": "Tiêu chí xác định nhà tạm, nhà dột nát",
        "legal_basis": "Quyết định 55/QĐ-BXD ngày 20/01/2025 của Bộ Xây dựng",
        "valid_from": date(2025, 1, 20),
        "valid_to": None,
        "single_person_min_area_m2": Decimal("18"),
        "family_min_area_m2": Decimal("30"),
        "family_min_area_per_person_m2": Decimal("8"),
        "min_failing_structures": 2,
        "min_unsafe_structures_dilapidated": 2,
        "note": "Area: one person < 18 m2; a family < 30 m2 and < 8 m2 per person. Structure: at least 2 "
        "of foundation, frame-walls, roof of non-durable materials and unsafe. The house must stand on "
        "undisputed residential land. Telling 'dilapidated' (2 unsafe structures of durable materials) "
        "from 'temporary' is this project's reading; the exclusions of Art. 2 and the service-life "
        "criterion are not modelled.",
    },
]


async def seed_dwelling_rule_sets(session: AsyncSession) -> int:
    """Add the rule sets not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = DwellingRuleSetRepository(session)
    known = await repo.codes()
    missing = [DwellingRuleSet(**row) for row in DWELLING_RULE_SETS if row["code"] not in known]
    if missing:
        session.add_all(missing)
        await session.flush()
    return len(missing)

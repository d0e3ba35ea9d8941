"""The national multidimensional poverty standards, loaded as dated reference rows by a seed step.

Sources: Decree 07/2021/NĐ-CP (27/1/2021, in force 15/3/2021) for the 2022-2025 reviews, still used to
identify households in 2026; Decree 351/2025/NĐ-CP (30/12/2025) from the 2027 review on. See
docs/rules/households-and-persons.md for what is uncertain.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.category.repository import PovertyStandardRepository
from registry_api.models import PovertyStandard

POVERTY_STANDARDS: list[dict[str, object]] = [
    {
        "code": "ND07_2021",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022-2025",
        "legal_basis": "Nghị định 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ",
        "issued_on": date(2021, 1, 27),
        "in_force_on": date(2021, 3, 15),
        "first_year": 2022,
        "last_year": 2026,
        "rural_income_threshold_vnd": 1_500_000,
        "urban_income_threshold_vnd": 2_000_000,
        "poor_min_deprivations": 3,
        "note": "6 dimensions, 12 indicators. Poor: income at or below the threshold and lacking 3 or more "
        "indicators; near-poor: at or below the threshold and lacking fewer than 3. Households are still "
        "identified under it in 2026; the 2026-2030 standard applies from the 2027 review.",
    },
    {
        "code": "ND351_2025",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2026-2030",
        "legal_basis": "Nghị định 351/2025/NĐ-CP ngày 30/12/2025 của Chính phủ",
        "issued_on": date(2025, 12, 30),
        "in_force_on": None,
        "first_year": 2027,
        "last_year": 2030,
        "rural_income_threshold_vnd": 2_200_000,
        "urban_income_threshold_vnd": 2_800_000,
        "poor_min_deprivations": 3,
        "note": "Indicators changed (means of information removed; digital services, internet access and "
        "domestic waste added). In-force date and whether the draft's two income bands were kept are "
        "to be confirmed against the official text.",
    },
]


async def seed_poverty_standards(session: AsyncSession) -> int:
    """Add the standards not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = PovertyStandardRepository(session)
    known = await repo.codes()
    missing = [PovertyStandard(**row) for row in POVERTY_STANDARDS if row["code"] not in known]
    if missing:
        await repo.add_all(missing)
    return len(missing)

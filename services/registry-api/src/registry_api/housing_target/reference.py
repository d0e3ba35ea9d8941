"""Social housing unit targets, loaded as dated reference rows by a seed step (never constants).

Sources are in docs/rules/housing-projects-and-targets.md; rows marked `uncertain` were not
confirmed against the official text.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.housing_target.repository import HousingTargetRepository
from registry_api.models import HousingTarget

HD_PLAN = "Kế hoạch phát triển nhà ở xã hội tỉnh Hải Dương thực hiện Chỉ thị 34-CT/TW (số hiệu chưa xác minh)"

HOUSING_TARGETS: list[dict[str, object]] = [
    {
        "code": "HD_PLAN_2021_2025",
        "area_code": "30",
        "area_scheme": "legacy",
        "province_code": "31",
        "period_start_year": 2021,
        "period_end_year": 2025,
        "year": None,
        "units": 5_860,
        "legal_basis": HD_PLAN,
        "issued_on": date(2024, 5, 24),
        "certainty": "uncertain",
        "note": "Figure from press reports of Hải Dương's plan; plan number and date not verified "
        "(issued_on is Directive 34-CT/TW's date).",
    },
    {
        "code": "HD_PLAN_2026_2030",
        "area_code": "30",
        "area_scheme": "legacy",
        "province_code": "31",
        "period_start_year": 2026,
        "period_end_year": 2030,
        "year": None,
        "units": 10_060,
        "legal_basis": HD_PLAN,
        "issued_on": date(2024, 5, 24),
        "certainty": "uncertain",
        "note": "As above. Together 15,920 units, slightly above Decision 444/QĐ-TTg's 15,900.",
    },
    {
        "code": "QD444_HD_2021_2030",
        "area_code": "30",
        "area_scheme": "legacy",
        "province_code": "31",
        "period_start_year": 2021,
        "period_end_year": 2030,
        "year": None,
        "units": 15_900,
        "legal_basis": "Quyết định 444/QĐ-TTg ngày 27/02/2025 của Thủ tướng Chính phủ",
        "issued_on": date(2025, 2, 27),
        "certainty": "confirmed",
        "note": "Hải Dương's share of the 1 million units by 2030: 619 completed in 2021-2024, 15,281 due "
        "in 2025-2030 (secondary source, news.laodong.vn). Hải Phòng's own share is not loaded.",
    },
    {
        "code": "HD_2025",
        "area_code": "30",
        "area_scheme": "legacy",
        "province_code": "31",
        "period_start_year": 2021,
        "period_end_year": 2025,
        "year": 2025,
        "units": 530,
        "legal_basis": "Derived: Hải Dương planned 576 units for 2025, reported as 46 above its target",
        "issued_on": date(2025, 2, 27),
        "certainty": "uncertain",
        "note": "Derived from a press report, not read in a legal text.",
    },
]


async def seed_housing_targets(session: AsyncSession) -> int:
    """Add the targets not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = HousingTargetRepository(session)
    known = await repo.codes()
    missing = [HousingTarget(**row) for row in HOUSING_TARGETS if row["code"] not in known]
    if missing:
        await repo.save(*missing)
    return len(missing)

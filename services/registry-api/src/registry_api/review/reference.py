"""The annual review's dated rules (window and meeting threshold), loaded by a seed step."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import ReviewRule
from registry_api.review.repository import ReviewRuleRepository

REVIEW_RULES: list[dict[str, object]] = [
    {
        "code": "QD24_2021_TTG",
        "legal_basis": "Quyết định 24/2021/QĐ-TTg ngày 16/7/2021 của Thủ tướng Chính phủ",
        "valid_from": date(2021, 9, 1),
        "valid_to": None,
        "window_start_month": 9,
        "window_start_day": 1,
        "window_end_month": 12,
        "window_end_day": 14,
        "min_agreement_pct": Decimal("50"),
        "note": "Periodic annual review 1 September - 14 December; at the village meeting at least 50% of "
        "attendees must agree, otherwise the household is scored again. Written for the 2022-2025 "
        "reviews; the process decision for 2026-2030 was not found, so this row stays open-ended "
        "until it is (end it with valid_to and add the new one).",
    },
]


async def seed_review_rules(session: AsyncSession) -> int:
    """Add the rules not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = ReviewRuleRepository(session)
    known = await repo.codes()
    missing = [ReviewRule(**row) for row in REVIEW_RULES if row["code"] not in known]
    if missing:
        await repo.add_all(missing)
    return len(missing)

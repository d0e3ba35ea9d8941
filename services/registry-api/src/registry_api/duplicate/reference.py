"""The dated duplicate match rule, loaded by a seed step (never a constant in a code path)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.duplicate.repository import DuplicateRepository
from registry_api.models import DuplicateMatchRule

MATCH_RULES: list[dict[str, object]] = [
    {
        "code": "NAME_TRGM_60_2025",
        "min_name_similarity_pct": 60,
        "basis": "Data-quality rule of the registry (not a legal text); to be confirmed by the "
        "Department of Construction. 60% trigram similarity of folded names catches a dropped or "
        "changed last letter and missing diacritics.",
        "valid_from": date(2025, 7, 1),
        "valid_to": None,
    },
]


async def seed_duplicate_match_rules(session: AsyncSession) -> int:
    repo = DuplicateRepository(session)
    known = await repo.rule_codes()
    missing = [DuplicateMatchRule(**row) for row in MATCH_RULES if row["code"] not in known]
    if missing:
        await repo.add_rules(missing)
    return len(missing)

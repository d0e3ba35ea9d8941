"""The land-reserve rules (the share of residential land and the money formula), as dated reference rows.

Sources (secondary, see /work/shared/design/domain.md §4.1; to be confirmed against the official texts):
HL2023 Art. 83(2); Decree 100/2024/NĐ-CP (in force 1/8/2024) Art. 16-19; Decree 261/2025/NĐ-CP
(10/10/2025) amending Art. 19(2)-(4) and adding (2a): the money is the land-use fee for 20% of the
residential land plus 20% of the technical-infrastructure investment (excluding land reclamation and
sea encroachment).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.land_reserve.repository import LandReserveRuleRepository
from inspection_api.models import LandReserveRule

D100_BASIS = "Luật Nhà ở 2023 Điều 83 khoản 2; Nghị định 100/2024/NĐ-CP Điều 16-19 (hiệu lực 01/8/2024)"
D261_BASIS = (
    "Nghị định 100/2024/NĐ-CP Điều 19 khoản 2-4 và khoản 2a, sửa đổi, bổ sung bởi Nghị định 261/2025/NĐ-CP"
)

LAND_RESERVE_RULES: list[dict[str, object]] = [
    {
        "code": "D100_2024_RESERVE_20",
        "reserve_rate": Decimal("0.2000"),
        "infrastructure_cost_rate": Decimal("0.0000"),
        "valid_from": date(2024, 8, 1),
        "valid_to": date(2025, 10, 9),
        "legal_basis": D100_BASIS,
        "note": "20% of the residential land; the PPC chooses the method. The money alternative is taken as "
        "the land-use fee on that 20% only (UNCERTAIN: verify the original D100 Art. 19 text for an "
        "infrastructure component). Earlier regimes (2015-2024 size thresholds) are not stored.",
    },
    {
        "code": "D261_2025_RESERVE_20",
        "reserve_rate": Decimal("0.2000"),
        "infrastructure_cost_rate": Decimal("0.2000"),
        "valid_from": date(2025, 10, 10),
        "valid_to": None,
        "legal_basis": D261_BASIS,
        "note": "Money = land-use fee on 20% of the residential land + 20% of the technical-infrastructure "
        "investment excluding land reclamation and sea encroachment; paid to the local budget, which "
        "fulfils the obligation. In-force date taken as the signing date 10/10/2025 (to be confirmed).",
    },
]


async def seed_land_reserve_rules(session: AsyncSession) -> int:
    """Add the rules not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = LandReserveRuleRepository(session)
    known = await repo.codes()
    missing = [LandReserveRule(**row) for row in LAND_RESERVE_RULES if row["code"] not in known]
    for rule in missing:
        await repo.add(rule)
    return len(missing)

"""The dated allocation rules (domain.md §1.7; secondary sources, to be confirmed against the texts).

Changing the order: close the row in force (`valid_to`) and add a new row with its own code and legal
basis - never edit a row a round was drawn by.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.repository import RuleRepository
from registry_api.models import AllocationRule

PRIORITY_ORDER = ["merit", "martyr_relative", "disabled", "resettled", "women"]

ALLOCATION_RULES: list[dict[str, Any]] = [
    {
        "code": "PRIORITY_HL2023_ART79",
        "kind": "priority_order",
        "legal_basis": "Luật Nhà ở số 27/2023/QH15 Điều 79(1)(d); Nghị định 100/2024/NĐ-CP Điều 38(2)",
        "valid_from": date(2024, 8, 1),
        "valid_to": None,
        "params": {"order": PRIORITY_ORDER},
        "note": "Người có công; thân nhân liệt sĩ; người khuyết tật; người thuộc diện tái định cư; nữ giới.",
    },
    {
        "code": "RESALE_LOCK_HL2023_ART89",
        "kind": "resale_lock",
        "legal_basis": "Luật Nhà ở số 27/2023/QH15 Điều 89",
        "valid_from": date(2024, 8, 1),
        "valid_to": None,
        "params": {
            "years": 5,
            "contract_kinds": ["sale", "lease_purchase"],
            "allowed_buyers_within": ["housing_authority", "investor", "eligible_person"],
            "price_cap_within": "contract_price",
        },
        "note": "Không bán lại trong 5 năm kể từ ngày thanh toán hết tiền; trong thời hạn chỉ bán lại cho "
        "chủ đầu tư, cơ quan quản lý nhà ở hoặc người đủ điều kiện, giá không cao hơn giá hợp đồng.",
    },
]


async def seed_allocation_rules(session: AsyncSession) -> int:
    """Add the rules not stored yet (by code), audited. Idempotent."""
    repo = RuleRepository(session)
    known = await repo.codes()
    missing = [AllocationRule(**row) for row in ALLOCATION_RULES if row["code"] not in known]
    for row in missing:
        await repo.add(row)
    return len(missing)

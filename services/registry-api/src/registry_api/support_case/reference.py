"""The state support amounts per stream and kind, loaded as dated reference rows by a seed step.

Sources (secondary, see /work/shared/design/domain.md §3; to be confirmed against the official texts):
the campaign's levels, raised from 50/25 million VND, were approved by the Prime Minister at the first
meeting of the Central Steering Committee on 10/11/2024; Decision 21/2024/QĐ-TTg (22/11/2024) sets the
same levels for merit families for 2023-2025. No amounts are stored for the national target programmes
or socialization yet: a case of those streams is refused (422) until a row with its legal basis is added.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import SupportKind, SupportRate, SupportStream
from registry_api.support_case.repository import SupportRateRepository

CAMPAIGN_BASIS = (
    "Mức hỗ trợ của Ban Chỉ đạo Trung ương xóa nhà tạm, nhà dột nát, Thủ tướng Chính phủ phê duyệt "
    "tại phiên họp thứ nhất ngày 10/11/2024"
)
MERIT_BASIS = "Quyết định 21/2024/QĐ-TTg ngày 22/11/2024 của Thủ tướng Chính phủ"

SUPPORT_RATES: list[dict[str, object]] = [
    {
        "code": "CAMPAIGN_2024_NEW_BUILD",
        "stream": SupportStream.CAMPAIGN.value,
        "kind": SupportKind.NEW_BUILD.value,
        "amount_vnd": 60_000_000,
        "valid_from": date(2024, 11, 10),
        "valid_to": None,
        "legal_basis": CAMPAIGN_BASIS,
        "issued_on": date(2024, 11, 10),
        "note": "Poor and near-poor households under the campaign; up from 50,000,000 VND. No end date "
        "found (the campaign's goal was 31/10/2025): close the row when the programme ends.",
    },
    {
        "code": "CAMPAIGN_2024_REPAIR",
        "stream": SupportStream.CAMPAIGN.value,
        "kind": SupportKind.REPAIR.value,
        "amount_vnd": 30_000_000,
        "valid_from": date(2024, 11, 10),
        "valid_to": None,
        "legal_basis": CAMPAIGN_BASIS,
        "issued_on": date(2024, 11, 10),
        "note": "Poor and near-poor households under the campaign; up from 25,000,000 VND.",
    },
    {
        "code": "QD21_2024_NEW_BUILD",
        "stream": SupportStream.MERIT.value,
        "kind": SupportKind.NEW_BUILD.value,
        "amount_vnd": 60_000_000,
        "valid_from": date(2024, 11, 22),
        "valid_to": date(2025, 12, 31),
        "legal_basis": MERIT_BASIS,
        "issued_on": date(2024, 11, 22),
        "note": "Households of persons in Decree 131/2021/NĐ-CP Art. 99(1) living in a temporary or badly "
        "damaged house, for the period 2023-2025. The in-force date is taken as the signing date "
        "(to be confirmed); households supported under Decision 22/2013/QĐ-TTg are excluded.",
    },
    {
        "code": "QD21_2024_REPAIR",
        "stream": SupportStream.MERIT.value,
        "kind": SupportKind.REPAIR.value,
        "amount_vnd": 30_000_000,
        "valid_from": date(2024, 11, 22),
        "valid_to": date(2025, 12, 31),
        "legal_basis": MERIT_BASIS,
        "issued_on": date(2024, 11, 22),
        "note": "As for new builds under the same decision.",
    },
]


async def seed_support_rates(session: AsyncSession) -> int:
    """Add the rates not stored yet (by code), through the ORM so each is audited. Idempotent."""
    repo = SupportRateRepository(session)
    known = await repo.codes()
    missing = [SupportRate(**row) for row in SUPPORT_RATES if row["code"] not in known]
    if missing:
        await repo.add_all(missing)
    return len(missing)

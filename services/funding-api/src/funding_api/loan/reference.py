"""Reference data for VBSP social-housing loans: dated rates and caps (D100 Art. 48 as amended).

Seeded idempotently by `funding_api.seed` (rows are matched on their natural key and left alone when
present). Values and uncertainties are documented in docs/rules/vbsp-loans.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.repository import ReferenceRepository
from funding_api.models import CapBasis, LendingPlan, LoanCap, LoanPurpose, LoanRate

D261_IN_FORCE = date(2025, 10, 10)
D100_IN_FORCE = date(2024, 8, 1)


@dataclass(frozen=True)
class RateRow:
    valid_from: date
    valid_to: date | None
    rate_bp: int
    legal_basis: str
    uncertain: bool
    note: str | None = None


RATES = [
    RateRow(
        date(2021, 1, 1),
        date(2022, 12, 31),
        480,
        "Quyết định 532/QĐ-TTg (2021-2022)",
        True,
        "Exact start and end dates of Decision 532's period not verified.",
    ),
    RateRow(
        date(2023, 5, 10), date(2024, 12, 31), 480, "Quyết định 486/QĐ-TTg (10/5/2023 - 31/12/2024)", False
    ),
    RateRow(
        date(2025, 1, 1),
        date(2025, 10, 9),
        660,
        "Nghị định 100/2024/NĐ-CP Điều 48 (6.6%, applied to existing and new loans)",
        True,
        "Sources say '6.6% from 2024' while 4.8% ran to 31/12/2024: taken to apply from 1/1/2025.",
    ),
    RateRow(
        D261_IN_FORCE, None, 540, "Nghị định 261/2025/NĐ-CP sửa đổi Điều 48 Nghị định 100/2024/NĐ-CP", False
    ),
]


@dataclass(frozen=True)
class CapRow:
    purpose: LoanPurpose
    basis: CapBasis
    percent: int
    max_amount_vnd: int | None
    valid_from: date
    valid_to: date | None
    legal_basis: str
    uncertain: bool
    note: str | None = None


_BEFORE = date(2025, 10, 9)
_D261 = "Nghị định 261/2025/NĐ-CP sửa đổi Điều 48 Nghị định 100/2024/NĐ-CP"
_D100 = "Nghị định 100/2024/NĐ-CP Điều 48 (bản gốc)"
_ASSUMED = "Carried over from the earlier regime: assumed, not read in the original text."
CAPS = [
    *(
        CapRow(p, CapBasis.CONTRACT_VALUE, 80, None, D100_IN_FORCE, _BEFORE, _D100, True, _ASSUMED)
        for p in (LoanPurpose.BUY, LoanPurpose.LEASE_PURCHASE)
    ),
    *(
        CapRow(p, CapBasis.CONTRACT_VALUE, 80, None, D261_IN_FORCE, None, _D261, False)
        for p in (LoanPurpose.BUY, LoanPurpose.LEASE_PURCHASE)
    ),
    CapRow(
        LoanPurpose.BUILD_OR_REPAIR,
        CapBasis.ESTIMATE,
        70,
        500_000_000,
        D100_IN_FORCE,
        _BEFORE,
        _D100,
        True,
        "500M VND is confirmed for the 2015 regime; its continuation in the original D100 is assumed.",
    ),
    CapRow(
        LoanPurpose.BUILD_OR_REPAIR,
        CapBasis.ESTIMATE,
        70,
        1_000_000_000,
        D261_IN_FORCE,
        None,
        _D261,
        False,
        "Also at most 70% of the collateral value: not checked (events carry no collateral value).",
    ),
]

OVERDUE_RATE_PCT = 130


async def seed_loan_reference(session: AsyncSession) -> str:
    reference = ReferenceRepository(session)
    added = 0
    for rate in RATES:
        if await reference.rate_on(rate.valid_from) is not None:
            continue
        session.add(
            LoanRate(
                valid_from=rate.valid_from,
                valid_to=rate.valid_to,
                rate_bp=rate.rate_bp,
                overdue_rate_pct=OVERDUE_RATE_PCT,
                legal_basis=rate.legal_basis,
                uncertain=rate.uncertain,
                note=rate.note,
            )
        )
        added += 1
    for cap in CAPS:
        if await reference.cap_on(cap.purpose.value, cap.valid_from) is not None:
            continue
        session.add(
            LoanCap(
                purpose=cap.purpose.value,
                basis=cap.basis.value,
                percent_of_basis=cap.percent,
                max_amount_vnd=cap.max_amount_vnd,
                valid_from=cap.valid_from,
                valid_to=cap.valid_to,
                legal_basis=cap.legal_basis,
                uncertain=cap.uncertain,
                note=cap.note,
            )
        )
        added += 1
    await session.flush()
    return f"{added} loan rates and caps added"


# Invented for the demo (a province's real plan comes from the PPC's decision each year).
DEMO_PLANS = [
    ("31", 2025, 480_000_000_000, 1200, "Kế hoạch tín dụng NOXH 2025 (số liệu minh hoạ)"),
    ("31", 2026, 550_000_000_000, 1350, "Kế hoạch tín dụng NOXH 2026 (số liệu minh hoạ)"),
]


async def seed_demo_lending_plans(session: AsyncSession) -> str:
    reference = ReferenceRepository(session)
    added = 0
    for province, year, amount, borrowers, basis in DEMO_PLANS:
        if await reference.plan_for(province, year) is not None:
            continue
        session.add(
            LendingPlan(
                province_code=province,
                year=year,
                planned_disbursement_vnd=amount,
                planned_borrowers=borrowers,
                legal_basis=basis,
                valid_from=date(year, 1, 1),
                valid_to=date(year, 12, 31),
            )
        )
        added += 1
    await session.flush()
    return f"{added} demo lending plans added"

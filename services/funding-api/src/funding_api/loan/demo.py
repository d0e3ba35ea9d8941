"""Demo VBSP loans for `make run`: a few of registry-api's demo household heads borrow, one borrower is
unknown to the registry, one approval exceeds the cap — so the exception queue has rows to work.

The events go through the same service as the bank's (idempotent: a re-run adds nothing). The
borrowers' eligibility is queued as jobs: the worker asks registry-api once it is up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.derive import VIETNAM
from funding_api.loan.schemas import LoanEventCreate
from funding_api.loan.service import loan_service
from servicekit.areas import AreaScope
from servicekit.pii import PiiCipher
from servicekit.principal import Principal, Role

HAI_PHONG = "31"

# Heads of registry-api's demo households (registry_api/household/demo.py, seed 20250701), copied as
# fixtures: services never import each other. The last number is nobody's in the registry.
DEMO_BORROWERS = {
    "head-0": ("030053863393", "10525"),
    "head-1": ("031049604280", "11560"),
    "head-2": ("031181061195", "11383"),
    "head-3": ("030069603601", "10546"),
    "unknown": ("031085000123", "11629"),
}

SEED_BANK = Principal(
    subject="vbsp-hai-phong-demo",
    client_id="funding-api-seed",
    roles=frozenset({Role.BANK_INTEGRATION.value}),
    scopes=frozenset(),
    area=AreaScope.from_codes([HAI_PHONG]),
)

# (loan ref, borrower, purpose, contract value or estimate, [(type, local date, amount)])
DemoEvent = tuple[str, str, int | None]
DEMO_LOANS: list[tuple[str, str, str, int, list[DemoEvent]]] = [
    (
        "HP-NOXH-2025-0001",
        "head-0",
        "buy",
        1_200_000_000,
        [
            ("application_received", "2025-10-20", None),
            ("approved", "2025-11-05", 900_000_000),
            ("disbursed", "2025-11-20", 900_000_000),
            ("repayment", "2025-12-20", 15_000_000),
            ("repayment", "2026-01-20", 15_000_000),
        ],
    ),
    (
        "HP-NOXH-2025-0002",
        "head-1",
        "lease_purchase",
        800_000_000,
        [
            ("application_received", "2025-10-25", None),
            ("approved", "2025-11-10", 640_000_000),
            ("disbursed", "2025-11-25", 640_000_000),
            ("overdue", "2026-02-28", 12_000_000),
        ],
    ),
    (
        "HP-NOXH-2025-0003",
        "head-2",
        "build_or_repair",
        600_000_000,
        [
            ("application_received", "2025-11-01", None),
            ("approved", "2025-11-15", 420_000_000),
            ("disbursed", "2025-12-01", 200_000_000),
            ("disbursed", "2026-02-01", 220_000_000),
        ],
    ),
    (
        "HP-NOXH-2026-0004",
        "head-3",
        "buy",
        1_000_000_000,
        [
            ("application_received", "2026-01-05", None),
            ("approved", "2026-01-20", 850_000_000),  # above 80% of the contract value
        ],
    ),
    (
        "HP-NOXH-2026-0005",
        "unknown",
        "buy",
        700_000_000,
        [("application_received", "2026-02-10", None), ("approved", "2026-02-25", 500_000_000)],
    ),
]


def demo_events() -> list[LoanEventCreate]:
    out: list[LoanEventCreate] = []
    for ref, borrower, purpose, value, events in DEMO_LOANS:
        citizen_id, commune = DEMO_BORROWERS[borrower]
        for sequence, (kind, day, amount) in enumerate(events, start=1):
            body: dict[str, Any] = {
                "event_id": f"{ref}-E{sequence}",
                "loan_ref": ref,
                "sequence": sequence,
                "occurred_at": datetime.fromisoformat(day).replace(hour=10, tzinfo=VIETNAM),
                "type": kind,
                "borrower_citizen_id": citizen_id,
                "purpose": purpose,
                "province_code": HAI_PHONG,
                "commune_code": commune,
                "amount_vnd": amount,
            }
            body["estimate_vnd" if purpose == "build_or_repair" else "contract_value_vnd"] = value
            out.append(LoanEventCreate.model_validate(body))
    return out


async def seed_demo_loans(session: AsyncSession, cipher: PiiCipher) -> str:
    applied = 0
    for event in demo_events():
        outcome = await loan_service.apply_event(session, SEED_BANK, cipher, None, event)
        applied += outcome.applied
    return f"{applied} demo loan events applied ({len(DEMO_LOANS)} loans; eligibility queued)"

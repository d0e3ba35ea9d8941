"""Demo housing fund movements in Hải Phòng (invented documents): a budget allocation, an in-lieu
payment for a commercial project's 20% land fund (its obligation reference stays unverified until
inspection-api confirms it), land-auction proceeds and an outflow to build rental housing. Written
through the service (audited, with events); idempotent by document number."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.housing_fund.repository import HousingFundRepository
from funding_api.housing_fund.schemas import MovementCreate
from funding_api.housing_fund.service import housing_fund_service
from funding_api.models.housing_fund import InflowKind, MovementDirection, OutflowPurpose
from servicekit.areas import AreaScope
from servicekit.principal import Principal, Role

HAI_PHONG = "31"
BILLION = 1_000_000_000
SEED_CALLER = Principal(
    subject="funding-api-seed",
    client_id="funding-api-seed",
    roles=frozenset({Role.FINANCE_OFFICER.value}),
    scopes=frozenset(),
    area=AreaScope.from_codes([HAI_PHONG]),
)
# inspection-api's demo obligations have random ids: this one will be reported not found (or stay
# unverified while inspection-api is down), which is what the unverified list is for.
DEMO_OBLIGATION = uuid.uuid5(uuid.NAMESPACE_URL, "urn:noxh:inspection:land-reserve-obligation:demo-1")

DEMO_MOVEMENTS = [
    MovementCreate(
        province_code=HAI_PHONG,
        direction=MovementDirection.INFLOW,
        category=InflowKind.BUDGET_ALLOCATION,
        amount_vnd=200 * BILLION,
        occurred_on=date(2025, 12, 15),
        document_number="3120/QĐ-UBND (demo)",
        document_date=date(2025, 12, 10),
        description="Cấp vốn điều lệ ban đầu cho Quỹ phát triển nhà ở thành phố (demo).",
    ),
    MovementCreate(
        province_code=HAI_PHONG,
        direction=MovementDirection.INFLOW,
        category=InflowKind.IN_LIEU_LAND_FUND,
        amount_vnd=35 * BILLION,
        occurred_on=date(2026, 2, 10),
        document_number="GNT-2026-0042 (demo)",
        description="Nộp tiền thay cho quỹ đất 20% nhà ở xã hội, dự án khu đô thị (demo).",
        obligation_id=DEMO_OBLIGATION,
    ),
    MovementCreate(
        province_code=HAI_PHONG,
        direction=MovementDirection.INFLOW,
        category=InflowKind.PROCEEDS,
        amount_vnd=12 * BILLION,
        occurred_on=date(2026, 3, 20),
        document_number="KBNN-2026-118 (demo)",
        description="Tiền đấu giá quyền sử dụng đất trích cho Quỹ (demo).",
    ),
    MovementCreate(
        province_code=HAI_PHONG,
        direction=MovementDirection.OUTFLOW,
        category=OutflowPurpose.BUILD_RENTAL_HOUSING,
        amount_vnd=60 * BILLION,
        occurred_on=date(2026, 4, 15),
        document_number="UNC-2026-007 (demo)",
        description="Tạm ứng đầu tư xây dựng nhà ở xã hội cho thuê (demo).",
    ),
]


async def seed_demo_housing_fund(session: AsyncSession) -> str:
    present = await HousingFundRepository(session).document_numbers(
        HAI_PHONG, [m.document_number for m in DEMO_MOVEMENTS]
    )
    added = 0
    for movement in DEMO_MOVEMENTS:  # in order: the outflow needs the inflows before it
        if movement.document_number in present:
            continue
        await housing_fund_service.record(session, SEED_CALLER, movement)
        added += 1
    return f"{added} movements added ({len(present)} already present)"

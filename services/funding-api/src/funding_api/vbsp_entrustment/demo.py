"""Demo VBSP entrustment in Hải Phòng (invented numbers): a 2024-2026 contract, its yearly transfers
and the bank's utilisation reports. Written through the service (audited, with events); idempotent
by contract number."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.vbsp_entrustment.repository import EntrustmentContractRepository
from funding_api.vbsp_entrustment.schemas import ContractCreate, TransferCreate, UtilisationReportCreate
from funding_api.vbsp_entrustment.service import entrustment_service
from servicekit.areas import AreaScope
from servicekit.principal import Principal, Role

HAI_PHONG = "31"
BILLION = 1_000_000_000
CONTRACT_NUMBER = "01/2024/HĐUT-STC-NHCSXH (demo)"
SEED_CALLER = Principal(
    subject="funding-api-seed",
    client_id="funding-api-seed",
    roles=frozenset({Role.FINANCE_OFFICER.value}),
    scopes=frozenset(),
    area=AreaScope.from_codes([HAI_PHONG]),
)


async def seed_demo_entrustment(session: AsyncSession) -> str:
    if await EntrustmentContractRepository(session).find_by_number(HAI_PHONG, CONTRACT_NUMBER) is not None:
        return "already present"
    contract = await entrustment_service.create_contract(
        session,
        SEED_CALLER,
        ContractCreate(
            province_code=HAI_PHONG,
            contract_number=CONTRACT_NUMBER,
            signed_on=date(2024, 1, 5),
            entrusting_party="Sở Tài chính thành phố Hải Phòng (demo)",
            bank_branch="Chi nhánh Ngân hàng Chính sách xã hội thành phố Hải Phòng",
            amount_vnd=150 * BILLION,
            period_start=date(2024, 1, 1),
            period_end=date(2026, 12, 31),
            note="Cho vay nhà ở xã hội theo Nghị quyết của HĐND thành phố (demo).",
        ),
    )
    for year, amount in ((2024, 40), (2025, 55), (2026, 45)):
        await entrustment_service.add_transfer(
            session,
            SEED_CALLER,
            contract.id,
            TransferCreate(
                fiscal_year=year,
                amount_vnd=amount * BILLION,
                decision_number=f"{100 + year % 100}/QĐ-UBND-{year} (demo)",
                decision_date=date(year, 2, 10),
                transferred_on=date(year, 3, 1),
            ),
        )
    for start, end, lent, borrowers, outstanding, repaid in (
        (date(2024, 1, 1), date(2024, 12, 31), 38, 74, 37, 1),
        (date(2025, 1, 1), date(2025, 12, 31), 50, 166, 84, 3),
    ):
        await entrustment_service.add_utilisation_report(
            session,
            SEED_CALLER,
            contract.id,
            UtilisationReportCreate(
                period_start=start,
                period_end=end,
                lent_vnd=lent * BILLION,
                borrowers=borrowers,
                outstanding_vnd=outstanding * BILLION,
                repaid_vnd=repaid * BILLION,
                returned_vnd=0,
            ),
            idempotency_key=None,
        )
    return "1 contract, 3 transfers (2024-2026), 2 utilisation reports"

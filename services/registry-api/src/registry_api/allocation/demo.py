"""A demo allocation round (seed step `demo-allocation-hai-phong`), built on the demo applications
(seed step `demo-applications-hai-phong`, itself on `demo-households-hai-phong`) and demo projects.

The project and tenure with the most eligible demo applications (ties: project name, tenure) gets one
round of all but one of their count in units, opened with a fixed published value and drawn a week
after the last assessment (never after today). Deterministic, and idempotent: once any round exists,
nothing is added. Goes through the service as the province (validated, audited, announced).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.contracts import contract_service
from registry_api.allocation.schemas import ContractCreate, ResaleCreate, RoundCreate
from registry_api.allocation.service import allocation_service
from registry_api.household.demo import SEED_CALLER
from registry_api.models import AllocationRound, Application, HousingContract, HousingProject, Tenure
from registry_api.person.service import local_today

DEMO_PUBLISHED_SEED = "Xổ số kiến thiết miền Bắc, giải đặc biệt ngày 20/04/2026 (bản demo)"


async def seed_demo_allocation(session: AsyncSession) -> int:
    if (await session.execute(select(AllocationRound.id).limit(1))).first() is not None:
        return 0
    count = func.count(Application.id)
    stmt = (
        select(Application.project_id, Application.tenure, count, func.max(Application.assessed_on))
        .join(HousingProject, HousingProject.id == Application.project_id)
        .where(Application.status == "eligible")
        .group_by(Application.project_id, Application.tenure, HousingProject.name)
        .order_by(count.desc(), HousingProject.name, Application.tenure)
        .limit(1)
    )
    best = (await session.execute(stmt)).first()
    if best is None:
        return 0
    project_id, tenure, eligible, last_assessed = best
    assert last_assessed is None or isinstance(last_assessed, date)
    row = await allocation_service.open_round(
        session,
        SEED_CALLER,
        RoundCreate(
            project_id=project_id,
            tenure=Tenure(tenure),
            units=max(1, eligible - 1),
            published_seed=DEMO_PUBLISHED_SEED,
        ),
    )
    today = local_today()
    drawn_on = min(last_assessed + timedelta(days=7), today) if last_assessed is not None else today
    await allocation_service.draw(session, SEED_CALLER, row.id, row.version, drawn_on)
    return 1


# Demo prices by tenure (VND): a 55 m² unit at about 21 million/m², its lease-purchase, a month's rent.
DEMO_PRICES = {"buy": 1_155_000_000, "lease_purchase": 1_260_000_000, "rent": 3_300_000}


async def seed_demo_contracts(session: AsyncSession) -> int:
    """Contracts for the allocated demo applications (signed two weeks after allocation, never after
    today), and one resale to the investor inside the five-year lock (so the reports and the
    `resale_within_lock` signal have rows). Deterministic (allocation date, id); idempotent: once any
    contract exists, nothing is added. Through the service as the province (audited, announced)."""
    if (await session.execute(select(HousingContract.id).limit(1))).first() is not None:
        return 0
    stmt = (
        select(Application)
        .where(Application.status == "allocated")
        .order_by(Application.allocated_on, Application.id)
    )
    apps = list((await session.execute(stmt)).scalars())
    today = local_today()
    added = 0
    resold = False
    for n, app in enumerate(apps, start=1):
        assert app.allocated_on is not None
        signed_on = min(app.allocated_on + timedelta(days=14), today)
        row = await contract_service.create(
            session,
            SEED_CALLER,
            ContractCreate(
                application_id=app.id,
                contract_number=f"{n:03d}/{signed_on.year}/HĐ-NOXH (demo)",
                signed_on=signed_on,
                unit_ref=f"Tòa A, căn {n + 100:04d}",
                price_vnd=DEMO_PRICES[app.tenure],
            ),
        )
        added += 1
        if not resold and row.kind != "rent":
            await contract_service.resell(
                session,
                SEED_CALLER,
                row.id,
                row.version,
                ResaleCreate(
                    sold_on=min(signed_on + timedelta(days=60), today),
                    buyer_kind="investor",
                    price_vnd=row.price_vnd,
                ),
            )
            resold = True
    return added

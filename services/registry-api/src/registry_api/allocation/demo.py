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

from registry_api.allocation.schemas import RoundCreate
from registry_api.allocation.service import allocation_service
from registry_api.household.demo import SEED_CALLER
from registry_api.models import AllocationRound, Application, HousingProject, Tenure
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

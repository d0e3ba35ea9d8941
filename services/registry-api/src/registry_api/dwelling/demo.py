"""Demo dwellings for `make run`: one per demo household of Hải Phòng, assessed in the 2025 review,
some re-assessed after repair. Deterministic (derived from each household's place in creation order)
and idempotent: a household that already has a dwelling is skipped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.repository import DwellingRepository
from registry_api.dwelling.schemas import AssessmentCreate, DwellingCreate, StructureFacts
from registry_api.dwelling.service import dwelling_service
from registry_api.household.demo import PROVINCE_HAI_PHONG, SEED_CALLER
from registry_api.models import Household, LandStatus, Material, StructureState
from registry_api.person.repository import PersonRepository

SINCE = date(2025, 8, 1)
ASSESSED_ON = date(2025, 9, 15)
REASSESSED_ON = date(2026, 3, 20)  # after the house was rebuilt with support

D, N = Material.DURABLE, Material.NON_DURABLE
SOUND, DAMAGED, UNSAFE = StructureState.SOUND, StructureState.DAMAGED, StructureState.UNSAFE
SOUND_HOUSE = ((D, SOUND), (D, SOUND), (D, SOUND))

# (floor area per resident, (foundation, frame-walls, roof), land status): five kinds of houses.
PROFILES: list[tuple[Decimal, tuple[tuple[Material, StructureState], ...], LandStatus]] = [
    (Decimal("12"), ((N, UNSAFE), (D, DAMAGED), (N, UNSAFE)), LandStatus.RESIDENTIAL_UNDISPUTED),  # temporary
    (
        Decimal("15"),
        ((D, UNSAFE), (D, UNSAFE), (D, DAMAGED)),
        LandStatus.RESIDENTIAL_UNDISPUTED,
    ),  # dilapidated
    (Decimal("22"), SOUND_HOUSE, LandStatus.RESIDENTIAL_UNDISPUTED),  # adequate
    (
        Decimal("6.5"),
        ((D, DAMAGED), (D, SOUND), (N, DAMAGED)),
        LandStatus.RESIDENTIAL_UNDISPUTED,
    ),  # too small
    (
        Decimal("10"),
        ((N, UNSAFE), (N, UNSAFE), (N, UNSAFE)),
        LandStatus.RESIDENTIAL_DISPUTED,
    ),  # disputed land
]


def _assessment(
    on: date,
    area: Decimal,
    residents: int,
    structures: tuple[tuple[Material, StructureState], ...],
    land: LandStatus,
) -> AssessmentCreate:
    (fm, fs), (wm, ws), (rm, rs) = structures
    return AssessmentCreate(
        assessed_on=on,
        assessor="Tổ rà soát nhà ở cấp xã",
        floor_area_m2=area,
        residents=residents,
        foundation=StructureFacts(material=fm, state=fs),
        frame_walls=StructureFacts(material=wm, state=ws),
        roof=StructureFacts(material=rm, state=rs),
        land_status=land,
    )


async def seed_demo_dwellings(session: AsyncSession) -> int:
    """A dwelling (and its assessments) for each demo household without one; returns how many."""
    households = (
        (
            await session.execute(
                select(Household)
                .where(Household.province_code == PROVINCE_HAI_PHONG, Household.closed_on.is_(None))
                .order_by(Household.id)
            )
        )
        .scalars()
        .all()
    )
    dwellings = DwellingRepository(session)
    persons = PersonRepository(session)
    added = 0
    for i, household in enumerate(households):
        if await dwellings.current_for(household.id) is not None:
            continue
        residents = max(1, len(await persons.current_members(household.id)))
        per_person, structures, land = PROFILES[i % len(PROFILES)]
        dwelling = await dwelling_service.create(
            session, SEED_CALLER, household.id, DwellingCreate(since=SINCE, built_year=1975 + (i * 7) % 45)
        )
        area = (per_person * residents).quantize(Decimal("0.01"))
        await dwelling_service.assess(
            session, SEED_CALLER, dwelling.id, _assessment(ASSESSED_ON, area, residents, structures, land)
        )
        if i % len(PROFILES) == 0 and i % 2 == 0:  # rebuilt: assessed again, now adequate
            rebuilt = max(area, Decimal("36"))
            await dwelling_service.assess(
                session,
                SEED_CALLER,
                dwelling.id,
                _assessment(
                    REASSESSED_ON, rebuilt, residents, SOUND_HOUSE, LandStatus.RESIDENTIAL_UNDISPUTED
                ),
            )
        added += 1
    return added

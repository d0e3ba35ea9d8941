"""Demo support cases for `make run`, built on the demo households (seed step
`demo-households-hai-phong`): merit and campaign cases in the seven demo communes, in every state.

Deterministic (the households' own order and a fixed random seed) and idempotent: a household that
already has a support case is skipped, so a re-run adds nothing. Cases go through the service as the
province (validated, audited as `system`, announced as events); accepted cases have before and after
photos with small stand-in JPEG bytes.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.demo import SEED_CALLER, demo_households
from registry_api.models import CategoryKind, PhotoStage, SupportKind, SupportStream
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.repository import PersonRepository
from registry_api.support_case.repository import SupportHistoryRepository
from registry_api.support_case.schemas import PhotoCreate, SupportCaseCreate
from registry_api.support_case.service import support_case_service
from servicekit.pagination import PageParams
from servicekit.pii import PiiCipher

SEED = 20241110
FIRST_PROPOSAL = date(2025, 8, 11)
# How far each demo case goes, cycling: most are finished, as in Hải Dương's 2024-2025 campaign.
PATHS: list[list[str]] = [
    ["approve", "start", "complete", "accept"],
    ["approve", "start", "complete", "accept"],
    ["approve", "start", "complete"],
    ["approve", "start"],
    ["approve"],
    [],
    ["withdraw"],
    ["approve", "start", "withdraw"],
]
WITHDRAWAL_REASONS = ["Hộ gia đình xin rút khỏi danh sách", "Hộ đã tự xây nhà bằng nguồn vốn của gia đình"]


def stream_for(categories: list[CategoryKind]) -> SupportStream | None:
    """Merit families go through the merit stream, poor and near-poor ones through the campaign."""
    if CategoryKind.MERIT in categories or CategoryKind.MARTYR_RELATIVE in categories:
        return SupportStream.MERIT
    if CategoryKind.POOR in categories or CategoryKind.NEAR_POOR in categories:
        return SupportStream.CAMPAIGN
    return None


def stand_in_jpeg(label: str) -> bytes:
    """A few bytes with the JPEG signature: enough for the demo, not a real image."""
    return b"\xff\xd8\xff\xe0" + label.encode() + b"\xff\xd9"


async def seed_demo_support_cases(session: AsyncSession, cipher: PiiCipher) -> int:
    """Propose (and move along) a case for each demo household with a merit or poverty category."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    persons = PersonRepository(session)
    history = SupportHistoryRepository(session)
    added = 0
    n = 0
    for demo in demo_households():
        stream = stream_for([kind for kind, _, _ in demo.categories])
        if stream is None:
            continue
        n += 1
        kind = SupportKind.NEW_BUILD if rng.random() < 0.5 else SupportKind.REPAIR
        proposed_on = FIRST_PROPOSAL + timedelta(days=rng.randrange(0, 45))
        path = PATHS[n % len(PATHS)]
        head = await persons.by_citizen_bidx(
            cipher.blind_index(demo.head_citizen_id, purpose=CITIZEN_ID_PURPOSE)
        )
        if head is None or head.household_id is None:
            continue  # the household step did not run
        rows, _ = await history.for_household(head.household_id, PageParams(limit=1))
        if rows:
            continue
        case = await support_case_service.propose(
            session,
            SEED_CALLER,
            SupportCaseCreate(
                household_id=head.household_id, stream=stream, kind=kind, proposed_on=proposed_on
            ),
        )
        day = proposed_on
        for action in path:
            day += timedelta(
                days={"approve": 10, "start": 15, "complete": 60, "accept": 5, "withdraw": 7}[action]
            )
            if action == "accept":
                await _photos(session, case.id, proposed_on, day)
            case = await support_case_service.act(
                session,
                SEED_CALLER,
                case.id,
                case.version,
                action,
                on=day,
                reason=rng.choice(WITHDRAWAL_REASONS) if action == "withdraw" else None,
            )
        added += 1
    return added


async def _photos(session: AsyncSession, case_id: uuid.UUID, before: date, after: date) -> None:
    for stage, day in ((PhotoStage.BEFORE, before), (PhotoStage.AFTER, after)):
        content = stand_in_jpeg(f"{case_id}-{stage.value}")
        photo = await support_case_service.add_photo(
            session,
            SEED_CALLER,
            case_id,
            PhotoCreate(
                stage=stage,
                file_reference=f"demo/{case_id}/{stage.value}.jpg",
                sha256=hashlib.sha256(content).hexdigest(),
                taken_at=datetime.combine(day, time(2, 30), tzinfo=UTC),
            ),
        )
        await support_case_service.upload_photo(
            session,
            SEED_CALLER,
            case_id,
            photo.id,
            content_type="image/jpeg",
            content=content,
            max_bytes=len(content),
        )

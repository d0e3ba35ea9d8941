"""The demo dwellings and the demo 2025 review: built on the demo households, deterministic, and a
re-run adds nothing."""

from __future__ import annotations

from registry_people_testing import PHUONG_HAI_DUONG, PHUONG_THUY_NGUYEN, count
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.demo import seed_demo_dwellings
from registry_api.household.demo import seed_demo_households
from registry_api.models import DwellingAssessment, ReviewRecord, ReviewSubmission
from registry_api.review.demo import seed_demo_reviews
from servicekit.pii import PiiCipher


async def test_demo_dwellings_and_reviews(db_session: AsyncSession, cipher: PiiCipher) -> None:
    assert await seed_demo_dwellings(db_session) == 0  # nothing to build on yet
    assert await seed_demo_households(db_session, cipher) == 30
    assert await seed_demo_dwellings(db_session) == 30
    assessments = await count(db_session, "dwelling_assessment")
    assert assessments > 30  # some houses were assessed again after rebuilding
    assert await seed_demo_dwellings(db_session) == 0
    assert await count(db_session, "dwelling_assessment") == assessments
    classes = dict(
        (
            await db_session.execute(
                select(DwellingAssessment.classification, func.count()).group_by(
                    DwellingAssessment.classification
                )
            )
        ).all()
    )
    assert set(classes) == {"temporary", "dilapidated", "adequate"}
    assert (
        await db_session.execute(select(func.count()).where(DwellingAssessment.qualifies.is_(False)))
    ).scalar_one() > 0

    records = await seed_demo_reviews(db_session)
    assert records == 16  # 15 households and one correction
    assert await seed_demo_reviews(db_session) == 0
    assert await count(db_session, "review_record") == records
    states = dict(
        (await db_session.execute(select(ReviewSubmission.commune_code, ReviewSubmission.state))).all()
    )
    assert states[PHUONG_HAI_DUONG] == "approved"
    assert states[PHUONG_THUY_NGUYEN] == "submitted"
    assert set(states.values()) == {"draft", "submitted", "approved", "returned"}
    correction = (
        await db_session.execute(select(ReviewRecord).where(ReviewRecord.corrects_record_id.is_not(None)))
    ).scalar_one()
    locked = await db_session.get(ReviewRecord, correction.corrects_record_id)
    assert locked is not None
    assert locked.state == "approved"
    assert all(
        r.meeting_agreement_pct >= 50 for r in (await db_session.execute(select(ReviewRecord))).scalars()
    )

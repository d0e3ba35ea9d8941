"""The demo 2025 review of Hải Phòng for `make run`: a campaign, records for half of the demo
households, and commune record sets in every state (approved, submitted, returned, draft) with one
correction of an approved record.

The 2025 window is long closed, so the rows are written as the history they stand for (through the
ORM, so they are audited) rather than through the window-checked service. Deterministic (derived from
the households' creation order and a fixed seed) and idempotent: nothing is added once the province
has a 2025 campaign.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.demo import PROVINCE_HAI_PHONG
from registry_api.models import (
    Household,
    ReviewCampaign,
    ReviewRecord,
    ReviewRecordKind,
    ReviewState,
    ReviewStatus,
    ReviewSubmission,
)
from registry_api.review.repository import (
    CampaignRepository,
    RecordRepository,
    ReviewRuleRepository,
    SubmissionRepository,
)
from servicekit.db.base import new_id

YEAR = 2025
SEED = 20250901
# The state each commune's record set is left in; communes not listed stay draft.
SET_STATES = {
    "10525": ReviewState.APPROVED,  # Phường Hải Dương
    "11560": ReviewState.SUBMITTED,  # Phường Thuỷ Nguyên
    "11383": ReviewState.RETURNED,  # Phường Lê Chân
    "11629": ReviewState.APPROVED,  # Xã An Lão
}
RETURN_REASON = "Biên bản họp thôn thiếu chữ ký của đại diện Mặt trận Tổ quốc; đề nghị bổ sung."
ACTOR_COMMUNE = "demo-commune-officer"
ACTOR_PROVINCE = "demo-province-officer"


def _statuses(i: int) -> tuple[ReviewRecordKind, ReviewStatus, ReviewStatus]:
    if i % 6 == 0:
        return ReviewRecordKind.NEW_CASE, ReviewStatus.NONE, ReviewStatus.POOR
    if i % 6 == 2:
        return ReviewRecordKind.STATUS_CHANGE, ReviewStatus.POOR, ReviewStatus.NEAR_POOR
    if i % 6 == 4:
        return ReviewRecordKind.STATUS_CHANGE, ReviewStatus.NEAR_POOR, ReviewStatus.NONE
    return ReviewRecordKind.NO_CHANGE, ReviewStatus.NONE, ReviewStatus.NONE


async def seed_demo_reviews(session: AsyncSession) -> int:
    """The 2025 campaign and its records, unless the province has one; returns the records added."""
    campaigns = CampaignRepository(session)
    if await campaigns.for_year(PROVINCE_HAI_PHONG, YEAR) is not None:
        return 0
    rule = await ReviewRuleRepository(session).valid_on(date(YEAR, 12, 31))
    if rule is None:
        return 0
    rng = random.Random(SEED)  # noqa: S311  (demo data)
    campaign = ReviewCampaign(
        id=new_id(),
        province_code=PROVINCE_HAI_PHONG,
        commune_code=None,
        year=YEAR,
        window_opens_on=date(YEAR, rule.window_start_month, rule.window_start_day),
        window_closes_on=date(YEAR, rule.window_end_month, rule.window_end_day),
        rule_id=rule.id,
        opened_by=ACTOR_PROVINCE,
    )
    await campaigns.save(campaign)
    households = (
        (
            await session.execute(
                select(Household).where(Household.province_code == PROVINCE_HAI_PHONG).order_by(Household.id)
            )
        )
        .scalars()
        .all()
    )
    submissions: dict[str, ReviewSubmission] = {}
    records = RecordRepository(session)
    sets = SubmissionRepository(session)
    added: list[ReviewRecord] = []
    for i, household in enumerate(households):
        if i % 2 == 1 or household.commune_code is None:
            continue
        commune = household.commune_code
        state = SET_STATES.get(commune, ReviewState.DRAFT)
        if commune not in submissions:
            submitted = state is not ReviewState.DRAFT
            decided = state in (ReviewState.APPROVED, ReviewState.RETURNED)
            submissions[commune] = ReviewSubmission(
                id=new_id(),
                campaign_id=campaign.id,
                state=state.value,
                province_code=household.province_code,
                commune_code=commune,
                submitted_at=datetime(YEAR, 12, 5, 2, 0, tzinfo=UTC) if submitted else None,
                submitted_by=ACTOR_COMMUNE if submitted else None,
                decided_at=datetime(YEAR, 12, 12, 3, 0, tzinfo=UTC) if decided else None,
                decided_by=ACTOR_PROVINCE if decided else None,
                return_reason=RETURN_REASON if state is ReviewState.RETURNED else None,
            )
            await sets.save(submissions[commune])
        kind, before, after = _statuses(i)
        record = ReviewRecord(
            id=new_id(),
            campaign_id=campaign.id,
            submission_id=submissions[commune].id,
            household_id=household.id,
            kind=kind.value,
            status_before=before.value,
            status_after=after.value,
            meeting_held_on=date(YEAR, 10, 10 + i % 15),
            meeting_agreement_pct=Decimal(rng.randrange(5500, 9800)) / 100,
            rule_id=rule.id,
            state=state.value,
            province_code=household.province_code,
            commune_code=commune,
            legacy_area_code=household.legacy_area_code,
        )
        added.append(record)
    await records.save(*added)
    approved = next((r for r in added if r.commune_code == "10525"), None)
    if approved is not None:  # a locked record changed the only way it can be: by a correction
        correction = ReviewRecord(
            id=new_id(),
            campaign_id=campaign.id,
            submission_id=approved.submission_id,
            household_id=approved.household_id,
            kind=ReviewRecordKind.STATUS_CHANGE.value,
            status_before=ReviewStatus.NEAR_POOR.value,
            status_after=ReviewStatus.POOR.value,
            meeting_held_on=date(YEAR + 1, 1, 8),
            meeting_agreement_pct=Decimal("81.25"),
            rule_id=rule.id,
            state=ReviewState.DRAFT.value,
            corrects_record_id=approved.id,
            correction_reason="Ghi nhầm tình trạng trước rà soát: hộ đang là hộ cận nghèo.",
            province_code=approved.province_code,
            commune_code=approved.commune_code,
            legacy_area_code=approved.legacy_area_code,
        )
        await records.save(correction)
        added.append(correction)
    return len(added)

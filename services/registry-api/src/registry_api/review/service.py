"""The annual review: campaigns per year and province, commune record sets and their workflow.

A commune's record set (`review_submission`) moves draft -> submitted -> approved | returned, and
returned -> submitted; an approved set is submitted again only with new draft records (corrections or
late results). Each record follows its set: submitting takes the draft and returned records along,
approving locks them. A locked record changes only through a correction record.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.service import household_service
from registry_api.models import (
    OutboxEvent,
    ReviewCampaign,
    ReviewRecord,
    ReviewRecordKind,
    ReviewRule,
    ReviewState,
    ReviewStatus,
    ReviewSubmission,
)
from registry_api.person.service import local_today
from registry_api.review.errors import (
    AgreementBelowThreshold,
    AreaNotCovered,
    CampaignNotFound,
    HouseholdNotInProvince,
    NothingToSubmit,
    RecordLocked,
    RecordNotFound,
    ReviewRuleNotApplicable,
    SetSubmitted,
    StatusChangeInvalid,
    SubmissionNotFound,
    TransitionNotAllowed,
    WindowClosed,
    WindowInvalid,
)
from registry_api.review.repository import (
    CampaignRepository,
    CommuneProgress,
    RecordRepository,
    ReviewRuleRepository,
    SubmissionRepository,
)
from registry_api.review.schemas import (
    CampaignCreate,
    CampaignUpdate,
    CorrectionCreate,
    RecordCreate,
    RecordUpdate,
)
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

DRAFT, SUBMITTED, APPROVED, RETURNED = (s.value for s in ReviewState)
EDITABLE = (DRAFT, RETURNED)
# The states each action on a commune's record set may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submit": (DRAFT, RETURNED, APPROVED),
    "approve": (SUBMITTED,),
    "return": (SUBMITTED,),
}


def _field(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


def _check_window(opens: date, closes: date, year: int) -> None:
    if closes < opens:
        raise WindowInvalid(
            "The window closes before it opens.",
            errors=_field("/body/window_closes_on", "before_window_opens", "before window_opens_on"),
        )
    for name, value in (("window_opens_on", opens), ("window_closes_on", closes)):
        if value.year != year:
            raise WindowInvalid(
                f"The window of the {year} review lies in {year}.",
                errors=_field(f"/body/{name}", "outside_campaign_year", "outside the campaign's year"),
            )


def _check_fields(
    kind: str, before: str, after: str, held_on: date, pct: Decimal, rule: ReviewRule, prefix: str
) -> None:
    """Every field error at once; nothing is stored when one is found."""
    errors: list[FieldError] = []
    if kind == ReviewRecordKind.NEW_CASE and (before != ReviewStatus.NONE or after == ReviewStatus.NONE):
        errors += _field(
            f"{prefix}/status_after", "new_case_statuses", "a new case goes from none to a status"
        )
    elif kind == ReviewRecordKind.STATUS_CHANGE and before == after:
        errors += _field(f"{prefix}/status_after", "status_unchanged", "a status change needs another status")
    elif kind == ReviewRecordKind.NO_CHANGE and before != after:
        errors += _field(f"{prefix}/status_after", "status_changed", "no_change keeps the status")
    if held_on > local_today():
        errors += _field(f"{prefix}/meeting_held_on", "in_the_future", "in the future")
    if errors:
        raise StatusChangeInvalid("The record's fields do not fit together.", errors=errors)
    if pct < rule.min_agreement_pct:
        raise AgreementBelowThreshold(
            f"At least {rule.min_agreement_pct}% of the meeting must agree ({rule.legal_basis}); "
            "score the household again and hold a new meeting.",
            errors=_field(f"{prefix}/meeting_agreement_pct", "below_threshold", "below the threshold"),
        )


def _in_window(campaign: ReviewCampaign) -> None:
    today = local_today()
    if not campaign.window_opens_on <= today <= campaign.window_closes_on:
        raise WindowClosed(
            f"The {campaign.year} review takes results from {campaign.window_opens_on} to "
            f"{campaign.window_closes_on}; today is {today}."
        )


async def _emit_record(session: AsyncSession, type_: str, record: ReviewRecord, **data: object) -> None:
    # Ids, kinds and states: a household's poverty status is personal, consumers ask the API.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "review-record", record.id),
        area_codes=[record.province_code, record.commune_code],
        data={
            "review_record_id": record.id,
            "campaign_id": record.campaign_id,
            "household_id": record.household_id,
            "state": record.state,
            **data,
        },
    )


class ReviewService:
    # Campaigns -----------------------------------------------------------------------------------

    async def open_campaign(
        self, session: AsyncSession, caller: Principal, data: CampaignCreate
    ) -> ReviewCampaign:
        if not caller.covers(data.province_code, None):
            raise AreaNotCovered(f"You do not cover province {data.province_code}.")
        rules = ReviewRuleRepository(session)
        rule = await rules.valid_on(data.window_opens_on or date(data.year, 12, 31))
        if rule is None:
            raise ReviewRuleNotApplicable(
                f"No review rule is in force for the {data.year} review.",
                errors=_field("/body/year", "review_rule_not_applicable", "no rule"),
            )
        opens = data.window_opens_on or date(data.year, rule.window_start_month, rule.window_start_day)
        closes = data.window_closes_on or date(data.year, rule.window_end_month, rule.window_end_day)
        _check_window(opens, closes, data.year)
        campaign = ReviewCampaign(
            id=new_id(),
            province_code=data.province_code,
            commune_code=None,
            year=data.year,
            window_opens_on=opens,
            window_closes_on=closes,
            rule_id=rule.id,
            opened_by=caller.subject,
        )
        await CampaignRepository(session).save(campaign)
        await emit(
            session,
            OutboxEvent,
            type="review_campaign.opened",
            subject=urn("registry", "review-campaign", campaign.id),
            area_codes=[campaign.province_code],
            data={
                "campaign_id": campaign.id,
                "year": campaign.year,
                "window_opens_on": opens,
                "window_closes_on": closes,
                "rule_code": rule.code,
            },
        )
        return campaign

    async def get_campaign(
        self, session: AsyncSession, caller: Principal, campaign_id: uuid.UUID
    ) -> ReviewCampaign:
        campaign = await CampaignRepository(session).get_visible(campaign_id, caller.area)
        if campaign is None:
            raise CampaignNotFound(f"No review campaign {campaign_id} in your area.")
        return campaign

    async def list_campaigns(
        self, session: AsyncSession, caller: Principal, params: PageParams, *, year: int | None
    ) -> tuple[list[ReviewCampaign], str | None]:
        return await CampaignRepository(session).list_visible(caller.area, params, year=year)

    async def update_campaign(
        self,
        session: AsyncSession,
        caller: Principal,
        campaign_id: uuid.UUID,
        expected_version: int,
        data: CampaignUpdate,
    ) -> ReviewCampaign:
        campaign = await self.get_campaign(session, caller, campaign_id)
        if not caller.covers(campaign.province_code, None):
            raise AreaNotCovered(f"You do not cover province {campaign.province_code}.")
        check_version(campaign.version, expected_version)
        opens = data.window_opens_on or campaign.window_opens_on
        closes = data.window_closes_on or campaign.window_closes_on
        _check_window(opens, closes, campaign.year)
        campaign.window_opens_on, campaign.window_closes_on = opens, closes
        await CampaignRepository(session).save(campaign)
        await emit(
            session,
            OutboxEvent,
            type="review_campaign.window_changed",
            subject=urn("registry", "review-campaign", campaign.id),
            area_codes=[campaign.province_code],
            data={"campaign_id": campaign.id, "window_opens_on": opens, "window_closes_on": closes},
        )
        return campaign

    async def progress(
        self, session: AsyncSession, caller: Principal, campaign_id: uuid.UUID
    ) -> tuple[ReviewCampaign, list[CommuneProgress]]:
        campaign = await self.get_campaign(session, caller, campaign_id)
        return campaign, await CampaignRepository(session).progress(campaign.id, caller.area)

    # Records -------------------------------------------------------------------------------------

    async def _rule(self, session: AsyncSession, rule_id: uuid.UUID) -> ReviewRule:
        rule = await ReviewRuleRepository(session).get(rule_id)
        assert rule is not None  # a foreign key
        return rule

    async def record(
        self, session: AsyncSession, caller: Principal, campaign_id: uuid.UUID, data: RecordCreate
    ) -> ReviewRecord:
        campaign = await self.get_campaign(session, caller, campaign_id)
        household = await household_service.get(session, caller, data.household_id)
        if household.province_code != campaign.province_code:
            raise HouseholdNotInProvince(
                "The household lies outside the campaign's province.",
                errors=_field("/body/household_id", "household_not_in_campaign_province", "another province"),
            )
        assert household.commune_code is not None  # households always lie in a commune
        _in_window(campaign)
        rule = await self._rule(session, campaign.rule_id)
        _check_fields(
            data.kind,
            data.status_before,
            data.status_after,
            data.meeting_held_on,
            data.meeting_agreement_pct,
            rule,
            "/body",
        )
        submission = await self._open_submission(
            session, campaign, household.commune_code, household.legacy_area_code
        )
        record = ReviewRecord(
            id=new_id(),
            campaign_id=campaign.id,
            submission_id=submission.id,
            household_id=household.id,
            kind=data.kind.value,
            status_before=data.status_before.value,
            status_after=data.status_after.value,
            meeting_held_on=data.meeting_held_on,
            meeting_agreement_pct=data.meeting_agreement_pct,
            rule_id=rule.id,
            state=DRAFT,
            note=data.note,
            province_code=household.province_code,
            commune_code=household.commune_code,
            legacy_area_code=household.legacy_area_code,
        )
        await RecordRepository(session).save(record)
        await _emit_record(session, "review_record.created", record, kind=record.kind)
        return record

    async def _open_submission(
        self, session: AsyncSession, campaign: ReviewCampaign, commune_code: str, legacy_code: str | None
    ) -> ReviewSubmission:
        repo = SubmissionRepository(session)
        submission = await repo.for_commune(campaign.id, commune_code)
        if submission is None:
            submission = ReviewSubmission(
                id=new_id(),
                campaign_id=campaign.id,
                state=DRAFT,
                province_code=campaign.province_code,
                commune_code=commune_code,
                legacy_area_code=None,
            )
            await repo.save(submission)
        elif submission.state == SUBMITTED:
            raise SetSubmitted(
                f"Commune {commune_code}'s record set is submitted; "
                "wait for the province to approve or return it."
            )
        return submission

    async def get_record(
        self, session: AsyncSession, caller: Principal, record_id: uuid.UUID
    ) -> ReviewRecord:
        record = await RecordRepository(session).get_in_area(record_id, caller.area)
        if record is None:
            raise RecordNotFound(f"No review record {record_id} in your area.")
        return record

    async def list_records(
        self,
        session: AsyncSession,
        caller: Principal,
        campaign_id: uuid.UUID,
        params: PageParams,
        *,
        commune_code: str | None,
        state: ReviewState | None,
    ) -> tuple[list[ReviewRecord], str | None]:
        campaign = await self.get_campaign(session, caller, campaign_id)
        return await RecordRepository(session).list_in_campaign(
            campaign.id, caller.area, params, commune_code=commune_code, state=state.value if state else None
        )

    async def update_record(
        self,
        session: AsyncSession,
        caller: Principal,
        record_id: uuid.UUID,
        expected_version: int,
        data: RecordUpdate,
    ) -> ReviewRecord:
        record = await self.get_record(session, caller, record_id)
        check_version(record.version, expected_version)
        if record.state not in EDITABLE:
            raise RecordLocked(
                f"The record is {record.state}: only draft and returned records change"
                + (
                    " (correct an approved one with a correction record)."
                    if record.state == APPROVED
                    else "."
                )
            )
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return record
        if record.corrects_record_id is None:
            campaign = await CampaignRepository(session).get(record.campaign_id)
            assert campaign is not None
            _in_window(campaign)
        for name in ("kind", "status_before", "status_after", "meeting_held_on", "meeting_agreement_pct"):
            if name in changes and changes[name] is None:
                raise StatusChangeInvalid(
                    f"{name} cannot be cleared.", errors=_field(f"/body/{name}", "required", "cannot be null")
                )
        rule = await self._rule(session, record.rule_id)
        _check_fields(
            str(changes.get("kind", record.kind)),
            str(changes.get("status_before", record.status_before)),
            str(changes.get("status_after", record.status_after)),
            changes.get("meeting_held_on", record.meeting_held_on),
            changes.get("meeting_agreement_pct", record.meeting_agreement_pct),
            rule,
            "/body",
        )
        for field, value in changes.items():
            setattr(record, field, getattr(value, "value", value))
        await RecordRepository(session).save(record)
        await _emit_record(session, "review_record.updated", record, changed=sorted(changes))
        return record

    async def correct(
        self, session: AsyncSession, caller: Principal, record_id: uuid.UUID, data: CorrectionCreate
    ) -> ReviewRecord:
        locked = await self.get_record(session, caller, record_id)
        if locked.state != APPROVED:
            raise TransitionNotAllowed(
                f"Only approved records are corrected; this record is {locked.state}: edit it instead."
            )
        submission = await SubmissionRepository(session).get(locked.submission_id)
        assert submission is not None
        if submission.state == SUBMITTED:
            raise SetSubmitted("The commune's record set is submitted; wait for the province's decision.")
        rule = await self._rule(session, locked.rule_id)
        _check_fields(
            data.kind,
            data.status_before,
            data.status_after,
            data.meeting_held_on,
            data.meeting_agreement_pct,
            rule,
            "/body",
        )
        correction = ReviewRecord(
            id=new_id(),
            campaign_id=locked.campaign_id,
            submission_id=locked.submission_id,
            household_id=locked.household_id,
            kind=data.kind.value,
            status_before=data.status_before.value,
            status_after=data.status_after.value,
            meeting_held_on=data.meeting_held_on,
            meeting_agreement_pct=data.meeting_agreement_pct,
            rule_id=rule.id,
            state=DRAFT,
            corrects_record_id=locked.id,
            correction_reason=data.reason,
            note=data.note,
            province_code=locked.province_code,
            commune_code=locked.commune_code,
            legacy_area_code=locked.legacy_area_code,
        )
        await RecordRepository(session).save(correction)
        await _emit_record(session, "review_record.corrected", correction, corrects_record_id=locked.id)
        return correction

    # Commune record sets -------------------------------------------------------------------------

    async def get_submission(
        self, session: AsyncSession, caller: Principal, campaign_id: uuid.UUID, commune_code: str
    ) -> ReviewSubmission:
        campaign = await self.get_campaign(session, caller, campaign_id)
        submission = await SubmissionRepository(session).for_commune(campaign.id, commune_code, caller.area)
        if submission is None:
            raise SubmissionNotFound(
                f"Commune {commune_code} has no record set in this campaign in your area."
            )
        return submission

    async def transition(
        self,
        session: AsyncSession,
        caller: Principal,
        campaign_id: uuid.UUID,
        commune_code: str,
        action: str,
        expected_version: int,
        *,
        reason: str | None = None,
    ) -> ReviewSubmission:
        submission = await self.get_submission(session, caller, campaign_id, commune_code)
        check_version(submission.version, expected_version)
        if submission.state not in TRANSITIONS[action]:
            raise TransitionNotAllowed(
                f"Cannot {action} commune {commune_code}'s record set: it is {submission.state}."
            )
        records = RecordRepository(session)
        now = datetime.now(UTC)
        if action == "submit":
            moving = await records.in_submission(submission.id, EDITABLE)
            if not moving:
                raise NothingToSubmit(f"Commune {commune_code} has no draft or returned records to submit.")
            new_state = SUBMITTED
            submission.submitted_at, submission.submitted_by = now, caller.subject
        else:
            moving = await records.in_submission(submission.id, (SUBMITTED,))
            new_state = APPROVED if action == "approve" else RETURNED
            submission.decided_at, submission.decided_by = now, caller.subject
            submission.return_reason = reason
        for record in moving:
            record.state = new_state
        submission.state = new_state
        await records.save(*moving)
        await SubmissionRepository(session).save(submission)
        await emit(
            session,
            OutboxEvent,
            type=f"review_submission.{new_state}",
            subject=urn("registry", "review-submission", submission.id),
            area_codes=[submission.province_code, submission.commune_code],
            data={
                "submission_id": submission.id,
                "campaign_id": submission.campaign_id,
                "commune_code": submission.commune_code,
                "state": new_state,
                "records": len(moving),
            },
        )
        return submission

    async def list_rules(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[ReviewRule], str | None]:
        return await ReviewRuleRepository(session).list_all(params)


review_service = ReviewService()

"""Review results from a commune's review list: each row's result as the household's review record of
a campaign, and the house it describes as a dwelling assessment.

Called by the household import (kind `review_results`) once a row's household is matched or created,
inside the row's savepoint: an error here becomes the row's error and nothing of the row is kept.
Everything is written through the review and dwelling services, so the campaign window, the locking
of submitted and approved records, the meeting-share threshold, the dated dwelling classifier, audit
and events apply exactly as for a record entered by hand. Rules: docs/rules/import-export.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.repository import DwellingRepository
from registry_api.dwelling.schemas import AssessmentCreate, DwellingCreate, StructureFacts
from registry_api.dwelling.service import dwelling_service
from registry_api.household_import.parsing import DISPLAY, ParsedRow
from registry_api.models import (
    Household,
    ImportKind,
    LandStatus,
    Material,
    ReviewCampaign,
    ReviewRecordKind,
    ReviewStatus,
    StructureState,
)
from registry_api.review.errors import RecordLocked
from registry_api.review.schemas import RecordCreate, RecordUpdate
from registry_api.review.service import review_service
from registry_api.reviewimport.errors import ReviewImportOptionsInvalid, ReviewResultsCommuneOfficersOnly
from registry_api.reviewimport.repository import ReviewResultsRepository
from servicekit.errors import AppError, FieldError
from servicekit.principal import Principal, Role

# The list's words (parsing.py's codes) -> the review's and the dwelling's values. These are the
# spelling of the form, not rules that change with the law (those are the dated review and dwelling
# rules the services apply).
STATUS_OF_CATEGORY = {"poor": ReviewStatus.POOR, "near_poor": ReviewStatus.NEAR_POOR}  # merit: no status
MATERIAL = {"solid": Material.DURABLE, "not_solid": Material.NON_DURABLE}
# The lists give one condition for the house, not a state per structure: "nhà tạm" and "nhà dột nát"
# are houses whose main structures are not safe, "nhà xuống cấp" one that is deteriorated. The
# classifier then tells temporary from dilapidated by the materials (docs/rules/import-export.md).
STATE_OF_CONDITION = {
    "temporary": StructureState.UNSAFE,
    "dilapidated": StructureState.UNSAFE,
    "degraded": StructureState.DAMAGED,
}
WORDS = {
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "merit": "Người có công",
    "martyr_relative": "Thân nhân liệt sĩ",
    "temporary": "Nhà tạm",
    "dilapidated": "Nhà dột nát",
    "degraded": "Nhà xuống cấp",
    "new": "xây mới",
    "repair": "sửa chữa",
}
FACTS = ("floor_area", "member_count", "foundation", "frame", "roof", "housing_condition")
COMPARED = ("kind", "status_before", "status_after", "meeting_held_on", "meeting_agreement_pct", "note")


@dataclass(frozen=True)
class ResultsTarget:
    """What a review-results import records, fixed at upload."""

    campaign_id: uuid.UUID
    meeting_held_on: date
    meeting_agreement_pct: Decimal
    assessor: str


@dataclass
class ResultCounts:
    review_records_created: int = 0
    review_records_updated: int = 0
    review_records_matched: int = 0
    assessments_created: int = 0
    assessments_matched: int = 0


def _options_error(pointer: str, code: str, message: str) -> ReviewImportOptionsInvalid:
    return ReviewImportOptionsInvalid(
        message, errors=[FieldError(pointer=pointer, code=code, message=message)]
    )


def _row_error(row: ParsedRow, exc: AppError) -> None:
    if exc.errors:
        for err in exc.errors:
            name = err.pointer.rsplit("/", 1)[-1]
            row.error(name if name in DISPLAY else None, exc.code, exc.detail or err.message)
    else:
        row.error(None, exc.code, exc.detail or exc.title)


def _note(values: dict[str, Any]) -> str:
    """What the list says beyond the status, kept on the record (audited as personal free text)."""
    parts = [f"Danh sách rà soát: {WORDS[values['category']]}"]
    if values.get("housing_condition"):
        parts.append(WORDS[values["housing_condition"]])
    if values.get("proposal"):
        parts.append("đề xuất " + WORDS[values["proposal"]])
    text = ", ".join(parts) + "."
    if values.get("note"):
        text += f" Ghi chú: {values['note']}"
    return text[:2000]


class ReviewImportService:
    async def check_upload(
        self,
        session: AsyncSession,
        caller: Principal,
        *,
        kind: ImportKind,
        province_code: str,
        campaign_id: uuid.UUID | None,
        meeting_held_on: date | None,
        meeting_agreement_pct: Decimal | None,
        today: date,
    ) -> None:
        """The upload's review options: required with `review_results`, refused without it; the
        campaign must be visible to the caller and lie in the commune's province."""
        given = {
            "campaign_id": campaign_id,
            "meeting_held_on": meeting_held_on,
            "meeting_agreement_pct": meeting_agreement_pct,
        }
        if kind is ImportKind.HOUSEHOLDS:
            for name, value in given.items():
                if value is not None:
                    raise _options_error(f"/query/{name}", "unexpected", "only with kind=review_results")
            return
        if Role.COMMUNE_OFFICER not in caller.roles:
            raise ReviewResultsCommuneOfficersOnly("Review results are recorded by the commune's officers.")
        for name, value in given.items():
            if value is None:
                raise _options_error(f"/query/{name}", "required", "required with kind=review_results")
        assert campaign_id is not None
        assert meeting_held_on is not None
        if meeting_held_on > today:
            raise _options_error("/query/meeting_held_on", "in_the_future", "in the future")
        campaign = await review_service.get_campaign(session, caller, campaign_id)
        if campaign.province_code != province_code:
            raise _options_error(
                "/query/campaign_id", "campaign_not_in_commune_province", "another province's campaign"
            )

    async def campaign(self, session: AsyncSession, campaign_id: uuid.UUID) -> ReviewCampaign:
        campaign = await session.get(ReviewCampaign, campaign_id)
        assert campaign is not None  # a foreign key of the import
        return campaign

    async def apply(
        self,
        session: AsyncSession,
        caller: Principal,
        target: ResultsTarget,
        row: ParsedRow,
        household: Household,
    ) -> ResultCounts:
        """The row's review record and dwelling assessment. Errors go to the row (the caller rolls
        back what the row wrote)."""
        counts = ResultCounts()
        values = row.values
        if not values.get("category"):
            row.error("category", "required", "the review result (Diện hộ) is empty")
            return counts
        present = [name for name in FACTS if values.get(name) is not None]
        if present and len(present) < len(FACTS):
            missing = ", ".join(DISPLAY[name] for name in FACTS if values.get(name) is None)
            row.error(None, "dwelling_facts_incomplete", f"the house is described without: {missing}")
            return counts
        try:
            await self._record(session, caller, target, row, household, counts)
            if present:
                await self._assess(session, caller, target, row, household, counts)
        except AppError as exc:
            _row_error(row, exc)
        except ValidationError:
            row.error(None, "invalid", "the row's review values are not accepted")
        return counts

    async def _record(
        self,
        session: AsyncSession,
        caller: Principal,
        target: ResultsTarget,
        row: ParsedRow,
        household: Household,
        counts: ResultCounts,
    ) -> None:
        campaign = await self.campaign(session, target.campaign_id)
        repo = ReviewResultsRepository(session)
        before = ReviewStatus(
            await repo.previous_status(household.id, campaign.province_code, campaign.year)
            or ReviewStatus.NONE
        )
        after = STATUS_OF_CATEGORY.get(row.values["category"], before)
        if before is ReviewStatus.NONE and after is not ReviewStatus.NONE:
            kind = ReviewRecordKind.NEW_CASE
        else:
            kind = ReviewRecordKind.STATUS_CHANGE if before is not after else ReviewRecordKind.NO_CHANGE
        wanted: dict[str, Any] = {
            "kind": kind,
            "status_before": before,
            "status_after": after,
            "meeting_held_on": target.meeting_held_on,
            "meeting_agreement_pct": target.meeting_agreement_pct,
            "note": _note(row.values),
        }
        existing = await repo.original_record(campaign.id, household.id)
        if existing is None:
            await review_service.record(
                session, caller, campaign.id, RecordCreate(household_id=household.id, **wanted)
            )
            counts.review_records_created += 1
            return
        changes = {
            name: value
            for name, value in wanted.items()
            if getattr(value, "value", value) != getattr(existing, name)
        }
        if not changes:
            counts.review_records_matched += 1  # the same file again, or the same result by hand
            return
        try:
            await review_service.update_record(
                session, caller, existing.id, existing.version, RecordUpdate(**changes)
            )
        except RecordLocked as exc:
            raise RecordLocked(
                f"The household's record in this campaign is {existing.state} and differs from this "
                "row; an approved record is changed only by a correction record."
            ) from exc
        counts.review_records_updated += 1

    async def _assess(
        self,
        session: AsyncSession,
        caller: Principal,
        target: ResultsTarget,
        row: ParsedRow,
        household: Household,
        counts: ResultCounts,
    ) -> None:
        v = row.values
        state = STATE_OF_CONDITION[v["housing_condition"]]
        materials = (MATERIAL[v["foundation"]], MATERIAL[v["frame"]], MATERIAL[v["roof"]])
        area = Decimal(str(v["floor_area"])).quantize(Decimal("0.01"))
        assessed_on = target.meeting_held_on
        dwelling = await DwellingRepository(session).current_for(household.id)
        if dwelling is None:
            dwelling = await dwelling_service.create(
                session, caller, household.id, DwellingCreate(since=assessed_on)
            )
        elif await ReviewResultsRepository(session).same_assessment(
            dwelling.id,
            assessed_on,
            area,
            v["member_count"],
            (materials[0].value, materials[1].value, materials[2].value),
            (state.value, state.value, state.value),
        ):
            counts.assessments_matched += 1
            return
        await dwelling_service.assess(
            session,
            caller,
            dwelling.id,
            AssessmentCreate(
                assessed_on=assessed_on,
                assessor=target.assessor,
                floor_area_m2=area,
                residents=v["member_count"],
                foundation=StructureFacts(material=materials[0], state=state),
                frame_walls=StructureFacts(material=materials[1], state=state),
                roof=StructureFacts(material=materials[2], state=state),
                land_status=LandStatus.UNKNOWN,  # the lists do not say; an officer assesses the land
            ),
        )
        counts.assessments_created += 1


review_import_service = ReviewImportService()

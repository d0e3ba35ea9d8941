from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from registry_api.models import ReviewRecordKind, ReviewState, ReviewStatus
from servicekit.schemas import ReadModel, WriteModel

Year = Annotated[int, Field(ge=2021, le=2100, examples=[2026])]
Pct = Annotated[
    Decimal,
    Field(ge=0, le=100, max_digits=5, decimal_places=2, examples=["72.50"]),
    AfterValidator(lambda v: v.quantize(Decimal("0.01"))),  # answered as stored: two decimals
]
Note = Annotated[str, Field(max_length=2000)]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class CampaignCreate(WriteModel):
    """Open a province's review for a year. The window defaults to the one of the review rule valid
    on its first day (1 September - 14 December under Decision 24/2021/QĐ-TTg)."""

    province_code: str = Field(pattern=r"^\d{2}$", examples=["31"])
    year: Year
    window_opens_on: date | None = None
    window_closes_on: date | None = None


class CampaignUpdate(WriteModel):
    """Move the window (local dates, inclusive)."""

    window_opens_on: date | None = None
    window_closes_on: date | None = None


class CampaignRead(ReadModel):
    id: uuid.UUID
    province_code: str
    year: int
    window_opens_on: date
    window_closes_on: date
    rule_id: uuid.UUID
    opened_by: str
    version: int
    created_at: datetime
    updated_at: datetime


class RecordFields(WriteModel):
    kind: ReviewRecordKind
    status_before: ReviewStatus
    status_after: ReviewStatus
    meeting_held_on: date = Field(description="The village meeting's date (local).")
    meeting_agreement_pct: Pct = Field(description="The share of attendees who agreed, in percent.")
    note: Note | None = None


class RecordCreate(RecordFields):
    """One household's result. `new_case`: from `none` to poor or near-poor; `status_change`: the
    statuses differ; `no_change`: they are equal."""

    household_id: uuid.UUID


class RecordUpdate(WriteModel):
    """Change a draft or returned record. Send the `ETag` as `If-Match`."""

    kind: ReviewRecordKind | None = None
    status_before: ReviewStatus | None = None
    status_after: ReviewStatus | None = None
    meeting_held_on: date | None = None
    meeting_agreement_pct: Pct | None = None
    note: Note | None = None


class CorrectionCreate(RecordFields):
    """A correction of an approved (locked) record: the corrected values and the reason."""

    reason: Reason


class RecordRead(ReadModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    submission_id: uuid.UUID
    household_id: uuid.UUID
    kind: ReviewRecordKind
    status_before: ReviewStatus
    status_after: ReviewStatus
    meeting_held_on: date
    meeting_agreement_pct: Decimal
    rule_id: uuid.UUID
    state: ReviewState
    corrects_record_id: uuid.UUID | None
    correction_reason: str | None
    note: str | None
    province_code: str
    commune_code: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ReturnBody(WriteModel):
    reason: Reason


class SubmissionRead(ReadModel):
    id: uuid.UUID
    campaign_id: uuid.UUID
    province_code: str
    commune_code: str | None
    state: ReviewState
    submitted_at: datetime | None
    submitted_by: str | None
    decided_at: datetime | None
    decided_by: str | None
    return_reason: str | None
    version: int


class CommuneProgressRead(ReadModel):
    commune_code: str
    submission_state: ReviewState | None
    households_reviewed: int
    draft: int
    submitted: int
    approved: int
    returned: int
    corrections: int


class ProgressRead(ReadModel):
    campaign_id: uuid.UUID
    communes: list[CommuneProgressRead] = Field(
        description="The communes of your area with records, by code."
    )


class ReviewRuleRead(ReadModel):
    id: uuid.UUID
    code: str
    legal_basis: str
    valid_from: date
    valid_to: date | None
    window_start_month: int
    window_start_day: int
    window_end_month: int
    window_end_day: int
    min_agreement_pct: Decimal
    note: str | None

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from registry_api.models import (
    HistoryKind,
    HistoryOutcome,
    HistorySource,
    HistoryStream,
    PhotoStage,
    SupportCaseStatus,
    SupportKind,
    SupportStream,
)
from servicekit.schemas import ReadModel, WriteModel

Note = Annotated[str, Field(max_length=2000)]
StepDate = Annotated[
    date | None, Field(description="The local date of the step; today when left out. Not in the future.")
]


class SupportCaseCreate(WriteModel):
    """Propose support for a household of your commune. The state amount is the stored rate for the
    stream and kind valid on `proposed_on`."""

    household_id: uuid.UUID
    stream: SupportStream
    kind: SupportKind
    proposed_on: StepDate = None
    note: Note | None = None


class SupportCaseUpdate(WriteModel):
    """Only the note changes; stream, kind and household are the proposal (withdraw and propose again)."""

    note: Note | None = None


class StepBody(WriteModel):
    """approve, start, complete, accept: the date of the step."""

    on: StepDate = None


class WithdrawBody(WriteModel):
    on: StepDate = None
    reason: Annotated[
        str, Field(min_length=3, max_length=1000, examples=["Hộ gia đình xin rút khỏi danh sách"])
    ]


class SupportCaseRead(ReadModel):
    id: uuid.UUID
    household_id: uuid.UUID
    stream: SupportStream
    kind: SupportKind
    status: SupportCaseStatus
    support_rate_id: uuid.UUID
    amount_vnd: int = Field(description="The state support amount (integer VND) of the rate applied.")
    proposed_on: date
    approved_on: date | None
    started_on: date | None
    completed_on: date | None
    accepted_on: date | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    note: str | None
    province_code: str
    commune_code: str
    version: int = Field(description="The version in the ETag; send the ETag back as If-Match to act.")
    created_at: datetime
    updated_at: datetime


class FundingLineRead(ReadModel):
    source_kind: str = Field(examples=["central_budget"])
    amount_vnd: int
    status: str = Field(examples=["disbursed"])


class SupportCaseDetail(SupportCaseRead):
    funding_status: Literal["available", "unavailable"] = Field(
        description="`unavailable` when funding-api could not be asked; the case is still answered."
    )
    funding_lines: list[FundingLineRead] = Field(
        description="The case's funding lines, owned by funding-api (empty when unavailable)."
    )


class PhotoCreate(WriteModel):
    """The metadata of a photo of the house before or after the works; upload the bytes with PUT."""

    stage: PhotoStage
    file_reference: Annotated[str, Field(min_length=1, max_length=300, examples=["IMG_20250312_0931.jpg"])]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-fA-F]{64}$", description="Of the image file, hex.")]
    taken_at: datetime = Field(description="When the photo was taken, with its offset.")
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None


class PhotoRead(ReadModel):
    id: uuid.UUID
    support_case_id: uuid.UUID
    stage: PhotoStage
    file_reference: str
    sha256: str
    taken_at: datetime
    latitude: float | None
    longitude: float | None
    content_type: str | None
    size_bytes: int | None
    uploaded_at: datetime | None = Field(description="When the bytes were uploaded; null until then.")
    created_at: datetime


class SupportRateRead(ReadModel):
    id: uuid.UUID
    code: str = Field(examples=["QD21_2024_NEW_BUILD"])
    stream: SupportStream
    kind: SupportKind
    amount_vnd: int
    valid_from: date
    valid_to: date | None = Field(description="The last day (inclusive); null while current.")
    legal_basis: str
    issued_on: date
    note: str | None


class SupportHistoryRead(ReadModel):
    """One support, contract or resale purchase; exactly one of the three references is set."""

    id: uuid.UUID
    household_id: uuid.UUID
    source: HistorySource = Field(description="support_case, contract or resale.")
    support_case_id: uuid.UUID | None
    contract_id: uuid.UUID | None = Field(description="The social housing contract (source contract).")
    resale_event_id: uuid.UUID | None = Field(description="The resale bought (source resale).")
    person_ids: list[uuid.UUID] = Field(
        description="The household's members when the case was proposed; the persons on the contract's "
        "application; the buyer of a resale."
    )
    stream: HistoryStream
    kind: HistoryKind
    amount_vnd: int = Field(description="The support amount, or the contract or resale price.")
    proposed_on: date = Field(description="Proposed on (case), signed on (contract), bought on (resale).")
    started_on: date | None
    completed_on: date | None
    ended_on: date | None = Field(description="When the case was accepted or withdrawn, or the unit resold.")
    outcome: HistoryOutcome
    province_code: str
    commune_code: str

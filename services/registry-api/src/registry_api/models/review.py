"""Annual review campaigns: per year and province, a window, commune record sets and their workflow.

Decision 24/2021/QĐ-TTg: the periodic review runs 1 September - 14 December; the village meeting must
agree with at least 50% of attendees. Both are stored as dated `review_rule` rows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class ReviewState(StrEnum):
    """The state of a commune's record set, and of each record in it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class ReviewRecordKind(StrEnum):
    NEW_CASE = "new_case"  # a household newly found poor or near-poor
    STATUS_CHANGE = "status_change"  # e.g. poor -> near-poor, or leaving poverty
    NO_CHANGE = "no_change"  # reviewed, status confirmed


class ReviewStatus(StrEnum):
    POOR = "poor"
    NEAR_POOR = "near_poor"
    NONE = "none"


class ReviewRule(Audited, IdMixin, TimestampMixin, RegistryBase):
    """The dated rules of the annual review: the default window and the meeting agreement threshold."""

    __tablename__ = "review_rule"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
        CheckConstraint("min_agreement_pct > 0 AND min_agreement_pct <= 100", name="pct_in_range"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    window_start_month: Mapped[int] = mapped_column(SmallInteger)
    window_start_day: Mapped[int] = mapped_column(SmallInteger)
    window_end_month: Mapped[int] = mapped_column(SmallInteger)
    window_end_day: Mapped[int] = mapped_column(SmallInteger)
    min_agreement_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    note: Mapped[str | None] = mapped_column(Text)


class ReviewCampaign(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """One year's review in one province (commune_code NULL), with its window as local dates."""

    __tablename__ = "review_campaign"
    __table_args__ = (
        UniqueConstraint("province_code", "year"),
        CheckConstraint("window_closes_on >= window_opens_on", name="window_ordered"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    year: Mapped[int] = mapped_column(SmallInteger)
    window_opens_on: Mapped[date] = mapped_column(Date)
    window_closes_on: Mapped[date] = mapped_column(Date)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_rule.id"))
    opened_by: Mapped[str] = mapped_column(String(200))


class ReviewSubmission(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A commune's record set in a campaign: submitted by the commune, approved or returned by the
    province. Created with the commune's first record."""

    __tablename__ = "review_submission"
    __table_args__ = (
        UniqueConstraint("campaign_id", "commune_code"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name="state_known"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_campaign.id"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    return_reason: Mapped[str | None] = mapped_column(Text)


class ReviewRecord(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """One household's review result. Approved records are locked; a correction record references
    the locked one and carries the reason."""

    __tablename__ = "review_record"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("state IN ('draft', 'submitted', 'approved', 'returned')", name="state_known"),
        CheckConstraint("kind IN ('new_case', 'status_change', 'no_change')", name="kind_known"),
        CheckConstraint(
            "(corrects_record_id IS NULL) = (correction_reason IS NULL)", name="correction_has_reason"
        ),
        CheckConstraint("meeting_agreement_pct >= 0 AND meeting_agreement_pct <= 100", name="pct_in_range"),
        # One original record per household and campaign; corrections reference it.
        Index(
            "uq_review_record_household_per_campaign",
            "campaign_id",
            "household_id",
            unique=True,
            postgresql_where=text("corrects_record_id IS NULL"),
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"note", "correction_reason"})

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_campaign.id"), index=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_submission.id"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status_before: Mapped[str] = mapped_column(String(12))
    status_after: Mapped[str] = mapped_column(String(12))
    meeting_held_on: Mapped[date] = mapped_column(Date)
    meeting_agreement_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_rule.id"))
    state: Mapped[str] = mapped_column(String(12))
    corrects_record_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("review_record.id"), index=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

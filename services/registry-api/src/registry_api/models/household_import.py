"""Bulk imports of households from the lists communes keep (xlsx, csv), and their per-row errors."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import (
    ARRAY,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin


class ImportMode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"  # any bad row: nothing is stored
    ACCEPT_VALID_ROWS = "accept_valid_rows"  # the good rows are stored, the bad ones reported


class ImportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"  # every row stored (or, accepting valid rows, every good one)
    REJECTED = "rejected"  # all-or-nothing with at least one bad row: nothing stored
    FAILED = "failed"  # the file itself could not be read (no heading row, not a spreadsheet)


class ImportKind(StrEnum):
    HOUSEHOLDS = "households"  # households and their persons only
    REVIEW_RESULTS = "review_results"  # also each row's review record and dwelling assessment


MODE_VALUES = ", ".join(f"'{m.value}'" for m in ImportMode)
STATUS_VALUES = ", ".join(f"'{s.value}'" for s in ImportStatus)
COUNTERS = frozenset(
    {
        "total_rows",
        "processed_rows",
        "error_rows",
        "households_created",
        "households_matched",
        "persons_created",
        "persons_matched",
        "review_records_created",
        "review_records_updated",
        "review_records_matched",
        "assessments_created",
        "assessments_matched",
    }
)


class HouseholdImport(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """One uploaded file for one commune, with the job that imports it and what it did.

    The same file (same SHA-256) for the same commune and mode is one import: uploading it again
    answers with this row.
    """

    __tablename__ = "household_import"
    __table_args__ = (
        UniqueConstraint(
            "commune_code", "sha256", "mode", "kind", "campaign_id", postgresql_nulls_not_distinct=True
        ),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"mode IN ({MODE_VALUES})", name="mode_known"),
        CheckConstraint(f"status IN ({STATUS_VALUES})", name="status_known"),
        CheckConstraint("file_format IN ('csv', 'xlsx', 'xls', 'ods')", name="file_format_known"),
        CheckConstraint("kind IN ('households', 'review_results')", name="kind_known"),
        CheckConstraint(
            "(kind = 'review_results') = (campaign_id IS NOT NULL AND meeting_held_on IS NOT NULL"
            " AND meeting_agreement_pct IS NOT NULL)",
            name="review_results_have_campaign",
        ),
    )
    # The bytes are kept out of the trail (their hash is in it); progress counters change often and
    # say nothing about who did what.
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"content"} | COUNTERS)
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"filename"})

    filename: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(8))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    mode: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(16), default=ImportKind.HOUSEHOLDS.value)
    # Review results (kind = review_results): the campaign, and the village meeting the list went
    # through (the lists carry no meeting columns); see docs/rules/import-export.md.
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("review_campaign.id"))
    meeting_held_on: Mapped[date | None] = mapped_column(Date)
    meeting_agreement_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    status: Mapped[str] = mapped_column(String(12))
    residence_area: Mapped[str] = mapped_column(String(8))
    job_id: Mapped[uuid.UUID | None] = mapped_column()
    # Who uploaded it: the job acts with these rights (and the audit trail names this subject).
    created_by: Mapped[str] = mapped_column(String(200))
    caller_roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)))
    caller_area_codes: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    error_rows: Mapped[int] = mapped_column(Integer, default=0)
    households_created: Mapped[int] = mapped_column(Integer, default=0)
    households_matched: Mapped[int] = mapped_column(Integer, default=0)
    persons_created: Mapped[int] = mapped_column(Integer, default=0)
    persons_matched: Mapped[int] = mapped_column(Integer, default=0)
    review_records_created: Mapped[int] = mapped_column(Integer, default=0)
    review_records_updated: Mapped[int] = mapped_column(Integer, default=0)
    review_records_matched: Mapped[int] = mapped_column(Integer, default=0)
    assessments_created: Mapped[int] = mapped_column(Integer, default=0)
    assessments_matched: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HouseholdImportError(IdMixin, RegistryBase):
    """One reason a row (or, with no row number, the file) was not imported. The message never
    quotes the value. Derived from the stored file, so not audited."""

    __tablename__ = "household_import_error"
    __table_args__ = (Index("ix_household_import_error_import_row", "import_id", "row_number", "id"),)

    import_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household_import.id", ondelete="CASCADE"))
    row_number: Mapped[int | None] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(80))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(String(300))

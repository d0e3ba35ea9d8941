"""Profiteering flags (trục lợi chính sách): suspicions raised by the detection job, reviewed by people."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from inspection_api.models.base import InspectionBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class FlagKind(StrEnum):
    SUPPORTED_TWICE = "supported_twice"
    INELIGIBLE_APPLICATION = "ineligible_application"
    RESALE_WITHIN_LOCK = "resale_within_lock"
    MULTIPLE_OPEN_APPLICATIONS = "multiple_open_applications"
    LOAN_UNKNOWN_BORROWER = "loan_unknown_borrower"
    LOAN_INELIGIBLE_BORROWER = "loan_ineligible_borrower"
    LAND_RESERVE_OVERDUE = "land_reserve_overdue"


class FlagSource(StrEnum):
    REGISTRY = "registry"
    FUNDING = "funding"
    INSPECTION = "inspection"


class FlagStatus(StrEnum):
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    # A source could not answer: nothing was applied, the run is retried later.
    DELAYED = "delayed"


class RunTrigger(StrEnum):
    PERIODIC = "periodic"
    MANUAL = "manual"


def _one_of(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class ProfiteeringRun(Audited, IdMixin, TimestampMixin, InspectionBase):
    """One pass of the detection job over every source; a delayed run is retried until it succeeds."""

    __tablename__ = "profiteering_run"
    __table_args__ = (
        CheckConstraint(_one_of("status", RunStatus), name="status_known"),
        CheckConstraint(_one_of("trigger", RunTrigger), name="trigger_known"),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    status: Mapped[str] = mapped_column(String(10), index=True)
    trigger: Mapped[str] = mapped_column(String(10))
    requested_by: Mapped[str | None] = mapped_column(String(200))
    job_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    signals_seen: Mapped[int] = mapped_column(Integer, default=0)
    flags_raised: Mapped[int] = mapped_column(Integer, default=0)
    # Which source could not answer, and why: shown to the people waiting for the run.
    delayed_reason: Mapped[str | None] = mapped_column(String(500))
    # Rules that could not run (e.g. a source not built yet), with why: a skipped rule raises nothing.
    skipped_rules: Mapped[list[str]] = mapped_column(JSONB, default=list)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProfiteeringFlag(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A suspicion with its evidence, waiting for a person: confirmed (a case opens) or dismissed."""

    __tablename__ = "profiteering_flag"
    __table_args__ = (
        # The upstream's stable key: re-running the job never raises the same finding twice.
        UniqueConstraint("source", "key"),
        CheckConstraint(_one_of("kind", FlagKind), name="kind_known"),
        CheckConstraint(_one_of("source", FlagSource), name="source_known"),
        CheckConstraint(_one_of("status", FlagStatus), name="status_known"),
        CheckConstraint(
            "status <> 'dismissed' OR dismissed_reason IS NOT NULL", name="dismissed_with_reason"
        ),
        CheckConstraint("status <> 'confirmed' OR case_id IS NOT NULL", name="confirmed_with_case"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    source: Mapped[str] = mapped_column(String(12))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    person_id: Mapped[uuid.UUID | None]
    household_id: Mapped[uuid.UUID | None]
    application_id: Mapped[uuid.UUID | None]
    contract_id: Mapped[uuid.UUID | None]
    project_id: Mapped[uuid.UUID | None]
    loan_id: Mapped[uuid.UUID | None]
    obligation_id: Mapped[uuid.UUID | None]
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Ids, dates and rule codes as the source gave them; sources send no citizen IDs and no names.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)
    run_id: Mapped[uuid.UUID | None]
    case_id: Mapped[uuid.UUID | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)

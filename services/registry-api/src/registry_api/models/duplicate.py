"""Likely duplicate persons found by detection runs, queued for an officer's decision."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class DuplicateStatus(StrEnum):
    PENDING = "pending"
    MERGED = "merged"
    KEPT_SEPARATE = "kept_separate"


class DuplicateMatchRule(Audited, IdMixin, TimestampMixin, RegistryBase):
    """The dated parameters of a detection run (a data-quality rule, not law: its basis says who set it)."""

    __tablename__ = "duplicate_match_rule"
    __table_args__ = (
        CheckConstraint("min_name_similarity_pct BETWEEN 1 AND 100", name="similarity_range"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )
    __audit_personal__: ClassVar[frozenset[str]] = frozenset()

    code: Mapped[str] = mapped_column(String(40), unique=True)
    # pg_trgm similarity() of the folded names, in percent, at or above which a pair is a candidate.
    min_name_similarity_pct: Mapped[int] = mapped_column(SmallInteger)
    basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class DuplicateCandidate(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A pair of persons of one commune that may be the same citizen (`person_a_id` < `person_b_id`)."""

    __tablename__ = "duplicate_candidate"
    __table_args__ = (
        UniqueConstraint("person_a_id", "person_b_id"),
        CheckConstraint("person_a_id < person_b_id", name="pair_ordered"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("status IN ('pending', 'merged', 'kept_separate')", name="status_known"),
        CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name="decided_when_not_pending",
        ),
        CheckConstraint(
            "(status = 'merged') = (kept_person_id IS NOT NULL)",
            name="kept_person_for_merge",
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"reason"})

    person_a_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    person_b_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("duplicate_match_rule.id"))
    name_similarity_pct: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(16), index=True)
    kept_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

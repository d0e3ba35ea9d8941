"""The officers' queue of records recorded under an old unit that was split among several new ones."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Index, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class UnitResolutionStatus(StrEnum):
    PENDING = "pending"
    RESOLVED = "resolved"


class UnitResolution(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A record of some service (`source_service`, `resource_type`, `resource_id`) recorded under
    `legacy_area_code`, an old commune split among `candidate_codes` (2025 communes of `province_code`).
    `commune_code` is NULL while pending and the commune an officer chose once resolved."""

    __tablename__ = "unit_resolution"
    __table_args__ = (
        UniqueConstraint("source_service", "resource_type", "resource_id"),
        CheckConstraint("status IN ('pending', 'resolved')", name="status_known"),
        CheckConstraint("cardinality(candidate_codes) >= 2", name="several_candidates"),
        CheckConstraint(
            "(status = 'pending' AND commune_code IS NULL AND resolved_at IS NULL)"
            " OR (status = 'resolved' AND commune_code = ANY (candidate_codes) AND resolved_at IS NOT NULL)",
            name="resolved_to_a_candidate",
        ),
        Index("ix_unit_resolution_candidate_codes", "candidate_codes", postgresql_using="gin"),
    )
    # eager_defaults: an UPDATE returns the new updated_at, so responses never lazy-load after a flush.
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_type__ = "unit_resolution"
    # Free text may name people or addresses.
    __audit_personal__ = frozenset({"note"})

    source_service: Mapped[str] = mapped_column(String(40))
    resource_type: Mapped[str] = mapped_column(String(80))
    resource_id: Mapped[str] = mapped_column(String(80))
    candidate_codes: Mapped[list[str]] = mapped_column(ARRAY(String(5)))
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(String(1000))
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

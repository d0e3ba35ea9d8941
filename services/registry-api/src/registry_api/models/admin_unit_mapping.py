"""Which new units each old unit went to: whole transfers, and the pieces of an old unit that was split."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.db.base import new_id


class AdminUnitMappingKind(StrEnum):
    """WHOLE: all of the old unit went into this one new unit (which may also have taken others: a
    merge). PARTIAL: the old unit was split, and this new unit took a part of it."""

    WHOLE = "whole"
    PARTIAL = "partial"


class AdminUnitMapping(RegistryBase):
    """One row per (old unit, new unit) pair. An old unit has one WHOLE row or two or more PARTIAL rows."""

    __tablename__ = "admin_unit_mapping"
    __table_args__ = (
        UniqueConstraint("legacy_level", "legacy_code", "new_code"),
        CheckConstraint("kind IN ('whole', 'partial')", name="kind_known"),
        CheckConstraint("legacy_level IN ('province', 'district', 'commune')", name="legacy_level_known"),
        CheckConstraint("new_level IN ('province', 'commune')", name="new_level_known"),
        # The package's suggested piece of a split is kept for information only; it never decides.
        CheckConstraint("kind = 'partial' OR NOT package_default", name="default_only_for_partial"),
        Index("ix_admin_unit_mapping_new", "new_level", "new_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    legacy_level: Mapped[str] = mapped_column(String(10))
    legacy_code: Mapped[str] = mapped_column(String(5))
    new_level: Mapped[str] = mapped_column(String(10))
    new_code: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(8))
    package_default: Mapped[bool] = mapped_column(Boolean)
    effective_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(80))

"""Dwellings of households, their condition assessments, and the dated rules that classify them.

Decision 55/QĐ-BXD (20/1/2025) defines temporary and dilapidated houses; its thresholds live in
`dwelling_rule_set` rows (never constants in code), and each assessment records the rule set used.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class Material(StrEnum):
    """Whether a main structure is of durable materials (Decision 55/QĐ-BXD lists them per structure)."""

    DURABLE = "durable"
    NON_DURABLE = "non_durable"


class StructureState(StrEnum):
    SOUND = "sound"
    DAMAGED = "damaged"  # deteriorated but not (yet) unsafe
    UNSAFE = "unsafe"


class LandStatus(StrEnum):
    RESIDENTIAL_UNDISPUTED = "residential_undisputed"
    RESIDENTIAL_DISPUTED = "residential_disputed"
    NOT_RESIDENTIAL = "not_residential"
    UNKNOWN = "unknown"


class DwellingClass(StrEnum):
    TEMPORARY = "temporary"  # nhà tạm
    DILAPIDATED = "dilapidated"  # nhà dột nát
    ADEQUATE = "adequate"


class DwellingRuleSet(Audited, IdMixin, TimestampMixin, RegistryBase):
    """The thresholds that classify a dwelling, valid from one local date to another (inclusive)."""

    __tablename__ = "dwelling_rule_set"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
        CheckConstraint("min_failing_structures BETWEEN 1 AND 3", name="structures_in_range"),
    )

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    # Area criterion: a one-person household below this floor area (m2) ...
    single_person_min_area_m2: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    # ... a larger household below this total AND below the per-person area.
    family_min_area_m2: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    family_min_area_per_person_m2: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    # Structure criterion: at least this many of foundation, frame-walls, roof non-durable and unsafe.
    min_failing_structures: Mapped[int] = mapped_column(SmallInteger)
    # The project's reading of "dilapidated": at least this many main structures unsafe though durable.
    min_unsafe_structures_dilapidated: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)


class Dwelling(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """The house a household lives in. One current dwelling per household (`ended_on` NULL); a
    household that moves gets a new dwelling and the old one is kept with its assessments."""

    __tablename__ = "dwelling"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("ended_on IS NULL OR ended_on >= since", name="period_ordered"),
        Index(
            "uq_dwelling_current_per_household",
            "household_id",
            unique=True,
            postgresql_where=text("ended_on IS NULL"),
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"note"})

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    since: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    built_year: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)


class DwellingAssessment(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """One assessment of a dwelling: the facts as found on `assessed_on`, the classification computed
    under the rule set valid that day, and which criteria fired. Never changed: a new assessment
    supersedes it."""

    __tablename__ = "dwelling_assessment"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("floor_area_m2 > 0", name="area_positive"),
        CheckConstraint("residents >= 1", name="residents_positive"),
        CheckConstraint("classification IN ('temporary', 'dilapidated', 'adequate')", name="class_known"),
    )
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"note"})

    dwelling_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dwelling.id"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    rule_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dwelling_rule_set.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200))
    floor_area_m2: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    residents: Mapped[int] = mapped_column(SmallInteger)
    foundation_material: Mapped[str] = mapped_column(String(12))
    foundation_state: Mapped[str] = mapped_column(String(8))
    frame_walls_material: Mapped[str] = mapped_column(String(12))
    frame_walls_state: Mapped[str] = mapped_column(String(8))
    roof_material: Mapped[str] = mapped_column(String(12))
    roof_state: Mapped[str] = mapped_column(String(8))
    land_status: Mapped[str] = mapped_column(String(24))
    classification: Mapped[str] = mapped_column(String(12))
    # Whether the house qualifies for support: not adequate, and on undisputed residential land.
    qualifies: Mapped[bool]
    criteria: Mapped[list[str]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)

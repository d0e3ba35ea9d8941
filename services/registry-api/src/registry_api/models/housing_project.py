"""Social housing projects (with their planned units and milestones) and the dated unit targets."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class ProjectKind(StrEnum):
    """What the units are offered as (HL2023 Art. 77-78)."""

    SALE = "sale"
    LEASE_PURCHASE = "lease_purchase"
    RENT = "rent"
    WORKER_ACCOMMODATION = "worker_accommodation"


class UnitKind(StrEnum):
    APARTMENT = "apartment"  # căn hộ chung cư
    HOUSE = "house"  # nhà ở riêng lẻ (thấp tầng)
    DORMITORY_ROOM = "dormitory_room"  # phòng lưu trú công nhân


class FloorAreaBand(StrEnum):
    """Usable floor area of one unit, m²."""

    UNDER_45 = "under_45"
    FROM_45_TO_60 = "45_to_60"
    FROM_60_TO_70 = "60_to_70"
    OVER_70 = "over_70"


class Milestone(StrEnum):
    """In the order they happen; each needs the one before it."""

    APPROVED = "approved"  # investment policy / investor approved
    STARTED = "started"  # construction started
    COMPLETED = "completed"  # construction completed (accepted)
    HANDED_OVER = "handed_over"  # units handed over to buyers / tenants


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{m.value}'" for m in enum)


class HousingProject(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A social housing project in one commune; the milestone dates are set by workflow actions."""

    __tablename__ = "housing_project"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"kind IN ({_values(ProjectKind)})", name="kind_known"),
        CheckConstraint("land_area_m2 > 0", name="land_area_positive"),
        CheckConstraint(
            "started_on IS NULL OR (approved_on IS NOT NULL AND started_on >= approved_on)",
            name="started_after_approved",
        ),
        CheckConstraint(
            "completed_on IS NULL OR (started_on IS NOT NULL AND completed_on >= started_on)",
            name="completed_after_started",
        ),
        CheckConstraint(
            "handed_over_on IS NULL OR (completed_on IS NOT NULL AND handed_over_on >= completed_on)",
            name="handed_over_after_completed",
        ),
        CheckConstraint(
            "sale_published_on IS NULL OR (sale_published_where IS NOT NULL AND sale_opens_on IS NOT NULL "
            "AND sale_closes_on IS NOT NULL AND sale_closes_on >= sale_opens_on)",
            name="sale_publication_complete",
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    # Nothing personal: a project is public information (D100 Art. 38 requires publishing it).
    __audit_personal__: ClassVar[frozenset[str]] = frozenset()

    name: Mapped[str] = mapped_column(String(300))
    investor: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(24))
    land_area_m2: Mapped[int] = mapped_column(Integer)
    # The commercial project whose 20% land fund this uses: an opaque id held by inspection-api.
    commercial_project_ref: Mapped[str | None] = mapped_column(String(64))
    approved_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    handed_over_on: Mapped[date | None] = mapped_column(Date)
    # D100 Art. 38: the investor's publication of the sale (date, where, registration window).
    sale_published_on: Mapped[date | None] = mapped_column(Date)
    sale_published_where: Mapped[str | None] = mapped_column(String(300))
    sale_opens_on: Mapped[date | None] = mapped_column(Date)
    sale_closes_on: Mapped[date | None] = mapped_column(Date)


class HousingProjectUnits(Audited, IdMixin, RegistryBase):
    """Planned units of a project of one kind and floor-area band."""

    __tablename__ = "housing_project_units"
    __table_args__ = (
        UniqueConstraint("project_id", "unit_kind", "floor_area_band"),
        CheckConstraint(f"unit_kind IN ({_values(UnitKind)})", name="unit_kind_known"),
        CheckConstraint(f"floor_area_band IN ({_values(FloorAreaBand)})", name="floor_area_band_known"),
        CheckConstraint("units > 0", name="units_positive"),
    )
    __audit_personal__: ClassVar[frozenset[str]] = frozenset()

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("housing_project.id"), index=True)
    unit_kind: Mapped[str] = mapped_column(String(20))
    floor_area_band: Mapped[str] = mapped_column(String(12))
    units: Mapped[int] = mapped_column(Integer)


class HousingTarget(Audited, IdMixin, TimestampMixin, RegistryBase):
    """A unit target for a province (or city) and a period, optionally one year of it.

    Never edited: a new version supersedes it (`superseded_by_id` is the only column ever set later).
    """

    __tablename__ = "housing_target"
    __table_args__ = (
        UniqueConstraint("code"),
        CheckConstraint("period_end_year >= period_start_year", name="period_ordered"),
        CheckConstraint(
            "year IS NULL OR (year >= period_start_year AND year <= period_end_year)", name="year_in_period"
        ),
        CheckConstraint("units > 0", name="units_positive"),
        CheckConstraint("area_scheme IN ('2025', 'legacy')", name="area_scheme_known"),
        CheckConstraint("certainty IN ('confirmed', 'uncertain')", name="certainty_known"),
    )
    __audit_personal__: ClassVar[frozenset[str]] = frozenset()

    code: Mapped[str] = mapped_column(String(60))
    # The province (or centrally-run city) code in its scheme: 30 Hải Dương (legacy), 31 Hải Phòng.
    area_code: Mapped[str] = mapped_column(String(2), index=True)
    area_scheme: Mapped[str] = mapped_column(String(8))
    # The 2025 province now responsible for it (31 for Hải Dương's targets): who may supersede it.
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    period_start_year: Mapped[int] = mapped_column(SmallInteger)
    period_end_year: Mapped[int] = mapped_column(SmallInteger)
    year: Mapped[int | None] = mapped_column(SmallInteger)
    units: Mapped[int] = mapped_column(Integer)
    legal_basis: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[date] = mapped_column(Date)
    certainty: Mapped[str] = mapped_column(String(12))  # confirmed | uncertain
    note: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("housing_target.id"))
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("housing_target.id"))

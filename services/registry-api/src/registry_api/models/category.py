"""Beneficiary categories with validity, and the poverty standards they are assessed under."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class PovertyStandard(Audited, IdMixin, TimestampMixin, RegistryBase):
    """A national multidimensional poverty standard, applied to the status years it covers.

    Reference data with its legal basis, loaded by a seed step (never constants in code).
    """

    __tablename__ = "poverty_standard"
    __table_args__ = (CheckConstraint("last_year IS NULL OR last_year >= first_year", name="years_ordered"),)

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    legal_basis: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    in_force_on: Mapped[date | None] = mapped_column(Date)
    # The years whose poor / near-poor statuses are assessed under this standard (inclusive).
    first_year: Mapped[int] = mapped_column(SmallInteger)
    last_year: Mapped[int | None] = mapped_column(SmallInteger)
    # Income per person per month, VND: at or below it (and short of enough indicators) is poor.
    rural_income_threshold_vnd: Mapped[int] = mapped_column(BigInteger)
    urban_income_threshold_vnd: Mapped[int] = mapped_column(BigInteger)
    # Lacking at least this many indicators makes a household under the threshold poor, not near-poor.
    poor_min_deprivations: Mapped[int] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)


class CategoryKind(StrEnum):
    MERIT = "merit"  # a person with meritorious service to the revolution
    MARTYR_RELATIVE = "martyr_relative"  # a relative of a martyr
    POOR = "poor"  # a poor household, per status year and standard
    NEAR_POOR = "near_poor"  # a near-poor household, per year and standard


class MeritType(StrEnum):
    """Ordinance 02/2020/UBTVQH14 on preferential treatment, Art. 3(1) (martyrs themselves excluded:
    their relatives are `martyr_relative`)."""

    PRE_1945_REVOLUTIONARY = "pre_1945_revolutionary"  # hoạt động cách mạng trước 01/01/1945
    PRE_UPRISING_REVOLUTIONARY = "pre_uprising_revolutionary"  # 01/01/1945 đến khởi nghĩa tháng Tám
    HEROIC_MOTHER = "heroic_mother"  # Bà mẹ Việt Nam anh hùng
    HERO = "hero"  # Anh hùng LLVTND, Anh hùng Lao động trong kháng chiến
    WAR_INVALID = "war_invalid"  # thương binh, incl. loại B and those treated as war invalids
    SICK_SOLDIER = "sick_soldier"  # bệnh binh
    TOXIC_CHEMICAL_VICTIM = "toxic_chemical_victim"  # hoạt động kháng chiến bị nhiễm chất độc hóa học
    IMPRISONED_ACTIVIST = "imprisoned_activist"  # bị địch bắt tù, đày
    RESISTANCE_PARTICIPANT = "resistance_participant"  # hoạt động kháng chiến giải phóng dân tộc...
    REVOLUTION_HELPER = "revolution_helper"  # người có công giúp đỡ cách mạng


KIND_VALUES = ", ".join(f"'{k.value}'" for k in CategoryKind)
MERIT_TYPE_VALUES = ", ".join(f"'{m.value}'" for m in MeritType)


class BeneficiaryCategory(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A household's (and for merit and martyr relatives, one member's) category, valid for a period.

    `valid_to` is the last day of validity (inclusive); NULL while it lasts.
    """

    __tablename__ = "beneficiary_category"
    __table_args__ = (
        CheckConstraint(f"kind IN ({KIND_VALUES})", name="kind_known"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(
            f"(kind = 'merit') = (merit_type IS NOT NULL) AND "
            f"(merit_type IS NULL OR merit_type IN ({MERIT_TYPE_VALUES}))",
            name="merit_type_for_merit",
        ),
        CheckConstraint(
            "kind NOT IN ('merit', 'martyr_relative') OR person_id IS NOT NULL",
            name="person_for_person_kinds",
        ),
        CheckConstraint(
            "(kind IN ('poor', 'near_poor')) = (year IS NOT NULL AND poverty_standard_id IS NOT NULL)",
            name="year_and_standard_for_poverty",
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
        # One poverty status per household and review year.
        Index(
            "uq_beneficiary_category_poverty_year",
            "household_id",
            "year",
            unique=True,
            postgresql_where=text("kind IN ('poor', 'near_poor')"),
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"certificate_number", "note"})

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    merit_type: Mapped[str | None] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    poverty_standard_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("poverty_standard.id"))
    certificate_number: Mapped[str] = mapped_column(String(60))
    certificate_date: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

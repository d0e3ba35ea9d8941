"""Households: the unit the registry supports, with one head and its current members (see person.py)."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class ResidenceArea(StrEnum):
    """Urban or rural: poverty thresholds and the Housing Law's beneficiary groups differ by it."""

    URBAN = "urban"
    RURAL = "rural"


class Household(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A household of one commune. Its head is a member with a 12-digit citizen ID (the person table
    checks that); the head is NULL only once the household is closed."""

    __tablename__ = "household"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("residence_area IN ('urban', 'rural')", name="residence_area_known"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"address"})

    address: Mapped[str] = mapped_column(String(300))
    hamlet: Mapped[str | None] = mapped_column(String(120))  # thôn, tổ dân phố
    residence_area: Mapped[str] = mapped_column(String(8))
    # person <-> household reference each other: this side is added after both tables exist, and
    # checked at commit, so a household is inserted with its head in one statement.
    head_person_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("person.id", use_alter=True, deferrable=True, initially="DEFERRED"), index=True
    )
    # Set when the last member moved out; a closed household takes no members.
    closed_on: Mapped[date | None] = mapped_column(Date)

"""Administrative units with validity dates: the 2025 two-level units and the legacy three-level ones."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.db.base import new_id


class AdminUnitScheme(StrEnum):
    """Which coding the unit belongs to: Decision 19/2025 (from 1/7/2025) or the legacy 63-province one."""

    CURRENT = "2025"
    LEGACY = "legacy"


class AdminUnitLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class AdminUnit(RegistryBase):
    __tablename__ = "admin_unit"
    __table_args__ = (
        UniqueConstraint("scheme", "level", "code"),
        CheckConstraint("scheme IN ('2025', 'legacy')", name="scheme_known"),
        CheckConstraint("level IN ('province', 'district', 'commune')", name="level_known"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity_ordered"),
        Index("ix_admin_unit_parent", "scheme", "parent_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    scheme: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(120))
    division_type: Mapped[str] = mapped_column(String(40))
    codename: Mapped[str] = mapped_column(String(120))
    parent_code: Mapped[str | None] = mapped_column(String(5))
    # The province the unit lies in (itself for a province), in the unit's own scheme: one hop from a
    # legacy commune to its legacy province, which reports by old boundaries need.
    province_code: Mapped[str] = mapped_column(String(2))
    valid_from: Mapped[date] = mapped_column(Date)
    # The last day the unit existed (inclusive); NULL while it exists.
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(80))

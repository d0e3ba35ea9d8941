"""Land-use plans (quy hoạch): city-wide or per commune, with the land they set aside for social housing."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from inspection_api.models.base import InspectionBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class LandUsePlanLevel(StrEnum):
    """Quy hoạch chung / phân khu / chi tiết."""

    GENERAL = "general"
    ZONING = "zoning"
    DETAILED = "detailed"


class LandUsePlanStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


def _one_of(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class LandUsePlan(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A plan of a whole province or city (`commune_code` NULL) or of one commune."""

    __tablename__ = "land_use_plan"
    __table_args__ = (
        CheckConstraint(_one_of("level", LandUsePlanLevel), name="level_known"),
        CheckConstraint(_one_of("status", LandUsePlanStatus), name="status_known"),
        CheckConstraint(
            "social_housing_land_m2 IS NULL OR social_housing_land_m2 >= 0",
            name="social_housing_land_m2_not_negative",
        ),
        # A plan stops being a draft only through a decision, whose number and date are then known.
        CheckConstraint(
            "status = 'draft' OR (decision_number IS NOT NULL AND decision_date IS NOT NULL)",
            name="decided_unless_draft",
        ),
    )
    # eager_defaults: an UPDATE returns the new updated_at, so responses never lazy-load after a flush.
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    social_housing_land_m2: Mapped[int | None] = mapped_column(BigInteger)

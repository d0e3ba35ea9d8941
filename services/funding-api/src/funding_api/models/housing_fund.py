"""The province's housing fund (Resolution 201/2025/QH15, Decree 302/2025/NĐ-CP): immutable movements.

The balance is derived from the movements and never stored. Two database triggers (migration 1702)
back the service: movements cannot be changed or deleted (except their reference-verification
columns), and no outflow may take a province's balance below zero.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin


class MovementDirection(StrEnum):
    INFLOW = "inflow"
    OUTFLOW = "outflow"


class InflowKind(StrEnum):
    """Capital of a local housing fund (Decree 302/2025)."""

    BUDGET_ALLOCATION = "budget_allocation"
    IN_LIEU_LAND_FUND = "in_lieu_land_fund"  # money paid instead of the 20% social-housing land fund
    PROCEEDS = "proceeds"  # sale of public housing assets, land auctions
    DONATION = "donation"
    OTHER_INFLOW = "other_inflow"


class OutflowPurpose(StrEnum):
    """Uses of a local housing fund (Decree 302/2025)."""

    BUILD_RENTAL_HOUSING = "build_rental_housing"
    TAKE_OVER_PUBLIC_HOUSING = "take_over_public_housing"
    BUY_SOCIAL_HOUSING_UNITS = "buy_social_housing_units"
    BUY_COMMERCIAL_HOUSING_FOR_RENT = "buy_commercial_housing_for_rent"
    MANAGEMENT_AND_OPERATION = "management_and_operation"
    OTHER_OUTFLOW = "other_outflow"


class ReferenceStatus(StrEnum):
    UNVERIFIED = "unverified"  # not yet confirmed by inspection-api (pending)
    VERIFIED = "verified"
    NOT_FOUND = "not_found"


def _in(values: type[StrEnum]) -> str:
    return ", ".join(f"'{v.value}'" for v in values)


class HousingFundMovement(Audited, IdMixin, TimestampMixin, FundingBase):
    """One inflow or outflow of a province's housing fund; a correction is a reversing movement."""

    __tablename__ = "housing_fund_movement"
    __table_args__ = (
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint(f"direction IN ({_in(MovementDirection)})", name="direction_known"),
        # A reversal keeps its original's category and runs the other way.
        CheckConstraint(
            f"reverses_id IS NOT NULL OR (direction = 'inflow' AND category IN ({_in(InflowKind)})) "
            f"OR (direction = 'outflow' AND category IN ({_in(OutflowPurpose)}))",
            name="category_matches_direction",
        ),
        CheckConstraint(
            "(obligation_id IS NOT NULL) = (category = 'in_lieu_land_fund' AND reverses_id IS NULL)",
            name="in_lieu_names_obligation",
        ),
        CheckConstraint(
            f"(reference_status IS NULL) = (obligation_id IS NULL) "
            f"AND (reference_status IS NULL OR reference_status IN ({_in(ReferenceStatus)}))",
            name="reference_status_known",
        ),
        Index("ix_housing_fund_movement_province_code_occurred_on", "province_code", "occurred_on"),
        Index(
            "ix_housing_fund_movement_unverified",
            "id",
            postgresql_where=text("reference_status = 'unverified'"),
        ),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    province_code: Mapped[str] = mapped_column(String(2))
    direction: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(40))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    occurred_on: Mapped[date] = mapped_column(Date)
    document_number: Mapped[str] = mapped_column(String(50))
    document_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    # At most one reversal per movement (a unique foreign key).
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("housing_fund_movement.id", ondelete="RESTRICT"), unique=True
    )
    # inspection-api's land-reserve obligation this in-lieu payment settles (verified later).
    obligation_id: Mapped[uuid.UUID | None] = mapped_column()
    reference_status: Mapped[str | None] = mapped_column(String(20))
    reference_checked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reference_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What inspection-api said (method, status, money due, project id): no personal data.
    reference_detail: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    recorded_by: Mapped[str] = mapped_column(String(200))

"""Funding sources: where the money for social housing support comes from, per province."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Date, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin, VersionedMixin


class FundingSourceKind(StrEnum):
    """The kinds of money the housing-support programmes draw on (state, VBSP, socialised, community)."""

    CENTRAL_BUDGET = "central_budget"
    PROVINCIAL_BUDGET = "provincial_budget"
    VBSP_ENTRUSTED_BUDGET = "vbsp_entrusted_budget"  # local budget entrusted to the VBSP for lending
    SOCIALIZED_DOMESTIC = "socialized_domestic"
    SOCIALIZED_FOREIGN = "socialized_foreign"
    HOUSING_FUND = "housing_fund"
    COMMERCIAL_CREDIT_PACKAGE = "commercial_credit_package"
    GRATITUDE_FUND = "gratitude_fund"  # quỹ đền ơn đáp nghĩa
    FUND_FOR_THE_POOR = "fund_for_the_poor"  # quỹ vì người nghèo
    FAMILIES_AND_COMMUNITY = "families_and_community"


KIND_VALUES = ", ".join(f"'{k.value}'" for k in FundingSourceKind)


class FundingSource(Audited, IdMixin, TimestampMixin, VersionedMixin, FundingBase):
    """A province-level source (no commune code): a commune-only caller covers none of them."""

    __tablename__ = "funding_source"
    __table_args__ = (
        UniqueConstraint("province_code", "name"),
        CheckConstraint(f"kind IN ({KIND_VALUES})", name="kind_known"),
    )
    # eager_defaults: an UPDATE returns the new updated_at, so responses never lazy-load after a flush.
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    # Indexed by the unique (province_code, name) constraint, which leads with it.
    province_code: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    decision_number: Mapped[str | None] = mapped_column(String(50))
    decision_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

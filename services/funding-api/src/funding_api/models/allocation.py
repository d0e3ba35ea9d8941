"""Allocations: money of one source earmarked for a support case, a housing project or a programme."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin


class AllocationTarget(StrEnum):
    SUPPORT_CASE = "support_case"  # registry-api's support case (xóa nhà tạm, merit houses ...)
    HOUSING_PROJECT = "housing_project"  # registry-api's social housing project
    PROGRAMME = "programme"  # a programme as a whole (e.g. the campaign's management costs)


class FundingAllocation(Audited, IdMixin, TimestampMixin, FundingBase):
    """A funding line. Its amounts (allocated, disbursed) live only in the ledger: see `ledger/`."""

    __tablename__ = "funding_allocation"
    __table_args__ = (
        CheckConstraint(
            "target_kind IN ('support_case', 'housing_project', 'programme')", name="target_kind_known"
        ),
        CheckConstraint(
            "(target_kind = 'support_case') = (support_case_id IS NOT NULL)"
            " AND (target_kind = 'housing_project') = (project_id IS NOT NULL)"
            " AND (target_kind = 'programme') = (programme IS NOT NULL)",
            name="one_target",
        ),
        Index("ix_funding_allocation_area", "province_code", "commune_code"),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_source.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(20))
    support_case_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    project_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    programme: Mapped[str | None] = mapped_column(String(100))
    # Copied from registry-api's case or project when allocated (the source's province for a programme).
    province_code: Mapped[str] = mapped_column(String(2))
    commune_code: Mapped[str | None] = mapped_column(String(5))
    decision_number: Mapped[str] = mapped_column(String(50))
    decision_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

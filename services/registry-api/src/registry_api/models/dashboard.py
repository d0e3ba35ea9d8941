"""Stored dashboard counts, kept exact by PostgreSQL triggers on the counted tables (migration
`2026-11-28-2002_commune_dashboard_aggregates`, docs/performance.md §4).

Counts are stored as changes dated by the day they take effect, so a count on any day is the sum of
the changes up to that day. Each change is kept three times: in the unit's running total, in its
month and on its day; a count on a day is then the total minus the months and days after it, which
for today is the total and the few changes dated in the future.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Date, Index, String, Table, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase


class DashboardMetric(StrEnum):
    """What a stored count counts (its keys in parentheses)."""

    # Households open on the day, by the class of the dwelling they lived in by its latest assessment
    # (temporary, dilapidated, adequate, not_assessed). Their sum at the total is every open household.
    HOUSEHOLD_CONDITION = "household_condition"
    # Open households holding a category of the kind valid on the day (the kind).
    HOUSEHOLD_CATEGORY = "household_category"
    # Households open on the day whose dwelling qualifies and no accepted case resolved yet (remaining).
    TEMPORARY_HOUSE_REMAINING = "temporary_house_remaining"
    # Support cases by the day they were proposed (the stream, the kind, the status).
    SUPPORT_CASE_STREAM = "support_case_stream"
    SUPPORT_CASE_KIND = "support_case_kind"
    SUPPORT_CASE_STATUS = "support_case_status"


class CountGrain(StrEnum):
    TOTAL = "total"  # every change, whatever its day (bucket 'infinity')
    MONTH = "month"  # the changes of a calendar month (bucket: its first day)
    DAY = "day"  # the changes of one day (bucket: the day)


class CommuneDashboardCount(RegistryBase):
    """The net change of one count for one unit (2025 commune and the legacy code recorded under, ''
    for none) in one bucket of time. Written only by the triggers and the rebuild (`manage
    rebuild-dashboards`), each change as `n = n + delta` so concurrent writers lose nothing."""

    __tablename__ = "commune_dashboard_counts"

    metric: Mapped[str] = mapped_column(String(40), primary_key=True)
    grain: Mapped[str] = mapped_column(String(5), primary_key=True)
    bucket: Mapped[date] = mapped_column(Date, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    commune_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    legacy_area_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)


# What each household contributes to the household counts: it counts under (metric, key) on the days
# starts <= day < ends ('-infinity' / 'infinity' when unbounded). The triggers replace a household's
# spans whenever a fact they derive from changes and apply the difference to the counts. No primary
# key: one statement deletes a household's old spans and inserts its new ones (docs/performance.md).
dashboard_household_span = Table(
    "dashboard_household_span",
    RegistryBase.metadata,
    Column("household_id", Uuid, nullable=False),
    Column("metric", String(40), nullable=False),
    Column("key", String(40), nullable=False),
    Column("starts", Date, nullable=False),
    Column("ends", Date, nullable=False),
    Column("province_code", String(2), nullable=False),
    Column("commune_code", String(5), nullable=False),
    Column("legacy_area_code", String(16), nullable=False),
    Index("ix_dashboard_household_span_household_id", "household_id"),
)

"""Commercial housing and urban-area projects and their 20% social-housing land obligation.

HL2023 Art. 83(2), Decree 100/2024/NĐ-CP, amended by Decree 261/2025/NĐ-CP: the investor reserves 20%
of the residential land with infrastructure built, provides serviced land elsewhere, or pays money.
The rate and the money formula are dated rules (`LandReserveRule`), never constants.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inspection_api.models.base import InspectionBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{m.value}'" for m in enum)


class CommercialProjectKind(StrEnum):
    COMMERCIAL_HOUSING = "commercial_housing"  # dự án nhà ở thương mại
    URBAN_AREA = "urban_area"  # dự án đầu tư xây dựng khu đô thị


class LandReserveMethod(StrEnum):
    """The method the Provincial People's Committee chose (from 1/8/2024 it decides)."""

    RESERVE_LAND = "reserve_land"  # dành 20% quỹ đất ở đã đầu tư hạ tầng kỹ thuật trong dự án
    LAND_ELSEWHERE = "land_elsewhere"  # bố trí quỹ đất ở tương đương ở vị trí khác
    PAY_MONEY = "pay_money"  # nộp tiền tương đương giá trị quỹ đất


class LandReserveStatus(StrEnum):
    """Land methods go reserved_in_plan -> infrastructure_built -> cleared -> investor_assigned ->
    started; the money method goes awaiting_payment -> paid. `started` and `paid` are final."""

    RESERVED_IN_PLAN = "reserved_in_plan"
    INFRASTRUCTURE_BUILT = "infrastructure_built"
    CLEARED = "cleared"
    INVESTOR_ASSIGNED = "investor_assigned"
    STARTED = "started"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"


class LandReserveRule(Audited, IdMixin, TimestampMixin, InspectionBase):
    """The share of residential land to reserve and the money formula over a period, with legal basis.

    Reference data from a seed step. `valid_to` is the last day (inclusive), NULL while in force. An
    obligation takes the rule valid on the day the province decided its method (`decided_on`).
    Money = round(required_area_m2 x land price) + round(infrastructure cost x infrastructure_cost_rate).
    """

    __tablename__ = "land_reserve_rule"
    __table_args__ = (
        CheckConstraint("reserve_rate > 0 AND reserve_rate <= 1", name="reserve_rate_range"),
        CheckConstraint(
            "infrastructure_cost_rate >= 0 AND infrastructure_cost_rate <= 1", name="infra_rate_range"
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )

    code: Mapped[str] = mapped_column(String(60), unique=True)
    reserve_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    infrastructure_cost_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(400))
    note: Mapped[str | None] = mapped_column(Text)


class CommercialProject(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A commercial housing or urban-area project, located in one commune, with its residential land."""

    __tablename__ = "commercial_project"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"kind IN ({_values(CommercialProjectKind)})", name="kind_known"),
        CheckConstraint("residential_land_m2 > 0", name="residential_land_positive"),
        CheckConstraint(
            "total_land_m2 IS NULL OR total_land_m2 >= residential_land_m2", name="total_covers_residential"
        ),
        CheckConstraint(
            "technical_infrastructure_cost_vnd IS NULL OR technical_infrastructure_cost_vnd >= 0",
            name="infra_cost_not_negative",
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(300))
    investor_name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    residential_land_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    total_land_m2: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # The project's technical-infrastructure investment, excluding land reclamation and sea encroachment.
    technical_infrastructure_cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    approval_decision: Mapped[str | None] = mapped_column(String(100))
    approved_on: Mapped[date | None] = mapped_column(Date)
    land_use_plan_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("land_use_plan.id"), index=True)
    site_parcel_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parcel.id"), index=True)


# The stage each land status leads to next, with the columns holding its date and its deadline.
STAGE_DATE = {
    LandReserveStatus.RESERVED_IN_PLAN: "reserved_in_plan_on",
    LandReserveStatus.INFRASTRUCTURE_BUILT: "infrastructure_built_on",
    LandReserveStatus.CLEARED: "cleared_on",
    LandReserveStatus.INVESTOR_ASSIGNED: "investor_assigned_on",
    LandReserveStatus.STARTED: "started_on",
    LandReserveStatus.AWAITING_PAYMENT: "decided_on",
    LandReserveStatus.PAID: "paid_on",
}
STAGE_DEADLINE = {
    LandReserveStatus.INFRASTRUCTURE_BUILT: "infrastructure_built_due",
    LandReserveStatus.CLEARED: "cleared_due",
    LandReserveStatus.INVESTOR_ASSIGNED: "investor_assigned_due",
    LandReserveStatus.STARTED: "started_due",
    LandReserveStatus.PAID: "payment_due",
}
NEXT_STAGE = {
    LandReserveStatus.RESERVED_IN_PLAN: LandReserveStatus.INFRASTRUCTURE_BUILT,
    LandReserveStatus.INFRASTRUCTURE_BUILT: LandReserveStatus.CLEARED,
    LandReserveStatus.CLEARED: LandReserveStatus.INVESTOR_ASSIGNED,
    LandReserveStatus.INVESTOR_ASSIGNED: LandReserveStatus.STARTED,
    LandReserveStatus.AWAITING_PAYMENT: LandReserveStatus.PAID,
}


class LandReserveObligation(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, InspectionBase):
    """A project's 20% obligation: the method, the required area and (pay_money) the money due, and
    the timeline with a date and a deadline per stage.

    Overdue notion (read by the profiteering job): `due_on` is the deadline of the NEXT stage not yet
    reached (NULL when the obligation is fulfilled, `started` or `paid`, or when no deadline is set).
    An obligation is overdue on day D when `due_on < D`: `overdue_as_of(D)` in
    `inspection_api.land_reserve.repository` is that clause.
    """

    __tablename__ = "land_reserve_obligation"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"method IN ({_values(LandReserveMethod)})", name="method_known"),
        CheckConstraint(f"status IN ({_values(LandReserveStatus)})", name="status_known"),
        CheckConstraint("required_area_m2 > 0", name="required_area_positive"),
        # The money is computed exactly when (and only when) the province chose to take money.
        CheckConstraint(
            "(method = 'pay_money') = (money_due_vnd IS NOT NULL)", name="money_only_for_pay_money"
        ),
        CheckConstraint(
            "(method = 'pay_money') = (status IN ('awaiting_payment', 'paid'))", name="status_fits_method"
        ),
        Index("ix_land_reserve_obligation_due_on", "due_on"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    commercial_project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commercial_project.id"), unique=True)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("land_reserve_rule.id"), index=True)
    method: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(24), index=True)
    decided_on: Mapped[date] = mapped_column(Date)
    decision_number: Mapped[str | None] = mapped_column(String(50))
    # Snapshot of the inputs and the rule's rates, so a later rule or project change does not move it.
    residential_land_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    reserve_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    required_area_m2: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    land_price_vnd_per_m2: Mapped[int | None] = mapped_column(BigInteger)
    technical_infrastructure_cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    infrastructure_cost_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    money_land_fee_vnd: Mapped[int | None] = mapped_column(BigInteger)
    money_infrastructure_vnd: Mapped[int | None] = mapped_column(BigInteger)
    money_due_vnd: Mapped[int | None] = mapped_column(BigInteger)
    reserved_parcel_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parcel.id"), index=True)
    # The date each stage was reached.
    reserved_in_plan_on: Mapped[date | None] = mapped_column(Date)
    infrastructure_built_on: Mapped[date | None] = mapped_column(Date)
    cleared_on: Mapped[date | None] = mapped_column(Date)
    investor_assigned_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)
    # The deadline of each stage (local dates), as the province set them.
    infrastructure_built_due: Mapped[date | None] = mapped_column(Date)
    cleared_due: Mapped[date | None] = mapped_column(Date)
    investor_assigned_due: Mapped[date | None] = mapped_column(Date)
    started_due: Mapped[date | None] = mapped_column(Date)
    payment_due: Mapped[date | None] = mapped_column(Date)
    # The deadline of the next stage (see the class docstring); kept in step by the service.
    due_on: Mapped[date | None] = mapped_column(Date)

    def next_stage(self) -> LandReserveStatus | None:
        return NEXT_STAGE.get(LandReserveStatus(self.status))

    def refresh_due_on(self) -> None:
        nxt = self.next_stage()
        self.due_on = getattr(self, STAGE_DEADLINE[nxt]) if nxt is not None else None

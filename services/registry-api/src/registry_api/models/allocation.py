"""Allocation rounds of a social housing project: the priority quota, the seeded lottery, the result;
and the dated rules (priority order) they are run by."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class AllocationRule(Audited, IdMixin, TimestampMixin, RegistryBase):
    """A dated allocation rule (inclusive dates) with its legal basis; `params` are data.

    kind `priority_order`: `{"order": ["merit", "martyr_relative", ...]}`;
    kind `resale_lock`: `{"years": 5, "contract_kinds": [...], "allowed_buyers_within": [...]}`.
    """

    __tablename__ = "allocation_rule"
    __table_args__ = (
        CheckConstraint("kind IN ('priority_order', 'resale_lock')", name="kind_known"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )

    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    legal_basis: Mapped[str] = mapped_column(String(400))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    note: Mapped[str | None] = mapped_column(Text)


class AllocationRound(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """One allocation round for a project and a tenure; the area is the project's.

    The seed (SHA-256 of the published value) is stored when the round is opened, before the draw;
    the draw stores the full ordered result, so the round can be replayed and checked.
    """

    __tablename__ = "allocation_round"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("tenure IN ('buy', 'lease_purchase', 'rent')", name="tenure_known"),
        CheckConstraint("status IN ('open', 'drawn')", name="status_known"),
        CheckConstraint("units > 0", name="units_positive"),
        CheckConstraint(
            "status = 'open' OR (drawn_on IS NOT NULL AND result IS NOT NULL)", name="drawn_has_result"
        ),
        # One open round per project and tenure, also under races.
        Index(
            "uq_allocation_round_open",
            "project_id",
            "tenure",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("housing_project.id"), index=True)
    tenure: Mapped[str] = mapped_column(String(16))
    units: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8))
    published_seed: Mapped[str] = mapped_column(String(200))
    seed_sha256: Mapped[str] = mapped_column(String(64))
    priority_rule_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("allocation_rule.id"))
    drawn_on: Mapped[date | None] = mapped_column(Date)
    dossiers: Mapped[int | None] = mapped_column(Integer)
    priority_dossiers: Mapped[int | None] = mapped_column(Integer)
    priority_quota: Mapped[int | None] = mapped_column(Integer)
    # [{place, application_id, via: priority|lottery, priority, lottery_key, won}], in order.
    result: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)


class HousingContract(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A sale, lease-purchase or rent contract for an allocated application; the area is the
    application's. `fully_paid_on` starts the resale lock of sale and lease-purchase contracts."""

    __tablename__ = "housing_contract"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint("kind IN ('sale', 'lease_purchase', 'rent')", name="kind_known"),
        CheckConstraint("status IN ('active', 'resold')", name="status_known"),
        CheckConstraint("price_vnd > 0", name="price_positive"),
        CheckConstraint("fully_paid_on IS NULL OR fully_paid_on >= signed_on", name="paid_after_signing"),
        CheckConstraint("kind <> 'rent' OR fully_paid_on IS NULL", name="rent_never_paid_off"),
        UniqueConstraint("project_id", "contract_number"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("application.id"), unique=True)
    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("housing_project.id"), index=True)
    applicant_person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(8))
    contract_number: Mapped[str] = mapped_column(String(60))
    signed_on: Mapped[date] = mapped_column(Date)
    unit_ref: Mapped[str] = mapped_column(String(60))
    price_vnd: Mapped[int] = mapped_column(BigInteger)
    fully_paid_on: Mapped[date | None] = mapped_column(Date)


class ResaleEvent(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """A recorded resale of a contract's unit, with the lock rule it was checked against."""

    __tablename__ = "resale_event"
    __table_args__ = (
        CheckConstraint(
            "buyer_kind IN ('housing_authority', 'investor', 'eligible_person', 'market')",
            name="buyer_kind_known",
        ),
        CheckConstraint("price_vnd > 0", name="price_positive"),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("housing_contract.id"), unique=True)
    sold_on: Mapped[date] = mapped_column(Date)
    buyer_kind: Mapped[str] = mapped_column(String(20))
    buyer_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id"))
    price_vnd: Mapped[int] = mapped_column(BigInteger)
    lock_rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("allocation_rule.id"))
    lock_ends_on: Mapped[date | None] = mapped_column(Date)  # NULL: not fully paid, so still locked
    within_lock: Mapped[bool] = mapped_column(Boolean)

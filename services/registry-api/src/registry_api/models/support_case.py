"""Support to build or repair a household's house: the dated state amounts, the cases and their
workflow, the photo evidence of acceptance, and the support history other rules read."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, deferred, mapped_column
from sqlalchemy.types import Uuid

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class SupportStream(StrEnum):
    """The reporting streams of the national statistics (domain.md §3)."""

    MERIT = "merit"  # merit families and martyrs' relatives (Decision 21/2024/QĐ-TTg)
    TARGET_PROGRAMME = "target_programme"  # the two national target programmes
    CAMPAIGN = "campaign"  # "Cả nước chung tay xóa nhà tạm, nhà dột nát" (from 5/10/2024)
    SOCIALIZATION = "socialization"  # donors, businesses, clans (xã hội hóa)


class SupportKind(StrEnum):
    NEW_BUILD = "new_build"
    REPAIR = "repair"


class SupportCaseStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    STARTED = "started"
    COMPLETED = "completed"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


class PhotoStage(StrEnum):
    BEFORE = "before"
    AFTER = "after"


class SupportOutcome(StrEnum):
    IN_PROGRESS = "in_progress"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"


class HistorySource(StrEnum):
    """What a support history row records."""

    SUPPORT_CASE = "support_case"  # a support to build or repair one's house
    CONTRACT = "contract"  # a social housing sale, lease-purchase or rent contract
    RESALE = "resale"  # a person bought a resold social housing unit


class HistoryStream(StrEnum):
    """The support streams, plus `social_housing` for contracts and resales."""

    MERIT = "merit"
    TARGET_PROGRAMME = "target_programme"
    CAMPAIGN = "campaign"
    SOCIALIZATION = "socialization"
    SOCIAL_HOUSING = "social_housing"


class HistoryKind(StrEnum):
    """The support kinds, plus the contract kinds and `resale_purchase`."""

    NEW_BUILD = "new_build"
    REPAIR = "repair"
    SALE = "sale"
    LEASE_PURCHASE = "lease_purchase"
    RENT = "rent"
    RESALE_PURCHASE = "resale_purchase"


class HistoryOutcome(StrEnum):
    """Support case outcomes, plus `contracted` (a contract or resale in force) and `resold`."""

    IN_PROGRESS = "in_progress"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    CONTRACTED = "contracted"
    RESOLD = "resold"


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{m.value}'" for m in enum)


class SupportRate(Audited, IdMixin, TimestampMixin, RegistryBase):
    """The state support amount for one stream and kind over a period, with its legal basis.

    Reference data loaded by a seed step, never constants in code. `valid_to` is the last day
    (inclusive), NULL while it lasts; a case takes the rate valid on the day it is proposed.
    """

    __tablename__ = "support_rate"
    __table_args__ = (
        CheckConstraint(f"stream IN ({_values(SupportStream)})", name="stream_known"),
        CheckConstraint(f"kind IN ({_values(SupportKind)})", name="kind_known"),
        CheckConstraint("amount_vnd >= 0", name="amount_not_negative"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity_ordered"),
    )

    code: Mapped[str] = mapped_column(String(60), unique=True)
    stream: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    legal_basis: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class SupportCase(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """One household's support to build or repair its house, from proposal to acceptance or withdrawal.

    Each step's local date is kept; `amount_vnd` is the state amount of the rate valid when proposed.
    """

    __tablename__ = "support_case"
    __table_args__ = (
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"stream IN ({_values(SupportStream)})", name="stream_known"),
        CheckConstraint(f"kind IN ({_values(SupportKind)})", name="kind_known"),
        CheckConstraint(f"status IN ({_values(SupportCaseStatus)})", name="status_known"),
        CheckConstraint(
            "(status = 'withdrawn') = (withdrawn_on IS NOT NULL AND withdrawal_reason IS NOT NULL)",
            name="withdrawal_has_date_and_reason",
        ),
        # The only-once rule: one live (not withdrawn) support of a kind per household, also under races.
        Index(
            "uq_support_case_household_kind_live",
            "household_id",
            "kind",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
        ),
        Index("ix_support_case_proposed_on_id", "proposed_on", "id"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"note", "withdrawal_reason"})

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    stream: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(12), index=True)
    support_rate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_rate.id"))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    proposed_on: Mapped[date] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class SupportCasePhoto(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """Photo evidence of a case (before and after the works): its metadata, and its bytes once uploaded."""

    __tablename__ = "support_case_photo"
    __table_args__ = (
        CheckConstraint(f"stage IN ({_values(PhotoStage)})", name="stage_known"),
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="gps_both_or_none"),
        CheckConstraint("(content IS NULL) = (content_type IS NULL)", name="content_with_type"),
        UniqueConstraint("support_case_id", "sha256"),
    )
    # The GPS position of a house is as personal as its address; the bytes never go to the trail.
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"latitude", "longitude", "file_reference"})
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"content"})

    support_case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_case.id"), index=True)
    stage: Mapped[str] = mapped_column(String(8))
    file_reference: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    content_type: Mapped[str | None] = mapped_column(String(40))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Loaded only when asked for: lists and the case detail never read the bytes.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


class SupportHistory(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """Every support a household or person received (or was proposed for), with the persons concerned.

    One row per support case, per social housing contract and per resale bought by a person, kept in
    step with its source (exactly one of `support_case_id`, `contract_id`, `resale_event_id`). Other
    rules (the only-once rules, eligibility) read it by household or by person (`person_ids`, GIN).
    """

    __tablename__ = "support_history"
    __table_args__ = (
        CheckConstraint(f"source IN ({_values(HistorySource)})", name="source_known"),
        CheckConstraint(f"stream IN ({_values(HistoryStream)})", name="stream_known"),
        CheckConstraint(f"kind IN ({_values(HistoryKind)})", name="kind_known"),
        CheckConstraint(f"outcome IN ({_values(HistoryOutcome)})", name="outcome_known"),
        CheckConstraint(
            "num_nonnulls(support_case_id, contract_id, resale_event_id) = 1", name="one_reference"
        ),
        CheckConstraint(
            "(source = 'support_case') = (support_case_id IS NOT NULL) "
            "AND (source = 'contract') = (contract_id IS NOT NULL) "
            "AND (source = 'resale') = (resale_event_id IS NOT NULL)",
            name="source_matches_reference",
        ),
        Index("ix_support_history_person_ids", "person_ids", postgresql_using="gin"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    source: Mapped[str] = mapped_column(
        String(12), default=HistorySource.SUPPORT_CASE.value, server_default=HistorySource.SUPPORT_CASE.value
    )
    support_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("support_case.id"), unique=True)
    contract_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("housing_contract.id"), unique=True)
    resale_event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resale_event.id"), unique=True)
    person_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    stream: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(16))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    proposed_on: Mapped[date] = mapped_column(Date)  # proposed, signed or bought on
    started_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # accepted, withdrawn or resold on
    outcome: Mapped[str] = mapped_column(String(12))

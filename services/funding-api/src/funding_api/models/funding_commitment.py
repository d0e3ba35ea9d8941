"""Contributors (enterprises, organisations) and what is promised or appropriated per fiscal year."""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from funding_api.models.base import FundingBase
from servicekit.audit import Audited
from servicekit.db.base import IdMixin, TimestampMixin, VersionedMixin


def _values(enum: type[StrEnum]) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class ContributorKind(StrEnum):
    """Who gives socialised money (xã hội hóa): enterprises at home or abroad, organisations, communities."""

    ENTERPRISE_DOMESTIC = "enterprise_domestic"
    ENTERPRISE_FOREIGN = "enterprise_foreign"
    ORGANISATION = "organisation"  # mass organisations, associations, charities, foreign NGOs
    COMMUNITY = "community"  # clans, parishes, residents' groups (never a named private person)


class CommitmentKind(StrEnum):
    PLEDGE = "pledge"  # a contributor's promise (a letter or agreement)
    APPROPRIATION = "appropriation"  # a budget decision (People's Committee, Council, ministry)


class FundingContributor(Audited, IdMixin, TimestampMixin, VersionedMixin, FundingBase):
    """An enterprise or organisation that pledges money to a province's sources."""

    __tablename__ = "funding_contributor"
    __table_args__ = (
        UniqueConstraint("province_code", "name"),
        CheckConstraint(f"kind IN ({_values(ContributorKind)})", name="kind_known"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012

    province_code: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str | None] = mapped_column(String(20))  # an enterprise's tax code (not personal)
    country_code: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2, for foreign givers
    note: Mapped[str | None] = mapped_column(Text)


class FundingCommitment(Audited, IdMixin, TimestampMixin, FundingBase):
    """A pledge or an appropriation of a source for one fiscal year, with its decision document.

    The plan against which money received, allocated and disbursed is reported. Immutable once
    recorded: a wrong one is corrected by recording the right one (and saying so in the note).
    """

    __tablename__ = "funding_commitment"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(CommitmentKind)})", name="kind_known"),
        CheckConstraint("amount_vnd > 0", name="amount_positive"),
        CheckConstraint("fiscal_year BETWEEN 2000 AND 2100", name="fiscal_year_plausible"),
        CheckConstraint("kind = 'pledge' OR contributor_id IS NULL", name="appropriation_has_no_contributor"),
    )
    __mapper_args__: dict[str, Any] = {"eager_defaults": True}  # noqa: RUF012

    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("funding_source.id"), index=True)
    contributor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("funding_contributor.id"), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    fiscal_year: Mapped[int] = mapped_column(SmallInteger)
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    decision_number: Mapped[str] = mapped_column(String(50))
    decision_date: Mapped[date] = mapped_column(Date)
    decision_issuer: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

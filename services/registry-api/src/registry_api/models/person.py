"""Persons and their household memberships over time.

Identifiers are personal data (decision 11): the citizen ID, the old 9-digit ID card number and the
phone are stored AES-GCM encrypted, found through keyed blind indexes, and shown masked; only the
masked form is kept in clear.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from registry_api.models.base import RegistryBase
from servicekit.audit import Audited
from servicekit.db.base import AreaMixin, IdMixin, TimestampMixin, VersionedMixin


class Relationship(StrEnum):
    """A member's relationship to the household head (the head is 'head')."""

    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    CHILD_IN_LAW = "child_in_law"
    GRANDCHILD = "grandchild"
    PARENT = "parent"
    PARENT_IN_LAW = "parent_in_law"
    GRANDPARENT = "grandparent"
    SIBLING = "sibling"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


RELATIONSHIP_VALUES = ", ".join(f"'{r.value}'" for r in Relationship)

# The words of the folded name and every prefix of each, marked `~` (`duc`, `d~`, `du~`, `duc~`), for
# `'w1' & 'w2' & 'last~'` searches where every term is one GIN entry (docs/rules/households-and-persons.md;
# the function is the migration's d0a1b2c3d504). Stored, not just indexed: a plan that walks rows in id
# order then tests the stored vector instead of recomputing it for every name.
NAME_TERMS_EXPRESSION = "person_name_terms((name_folded)::text)"
# What the search used before name_terms (to_tsquery 'w1 & w2 & last:*'): no longer read, kept for the
# previous release's pods during a rollout; a later release's migration drops it and its index.
NAME_WORDS_EXPRESSION = "to_tsvector('simple'::regconfig, name_folded)"


class Person(Audited, IdMixin, TimestampMixin, VersionedMixin, AreaMixin, RegistryBase):
    """A person, member of one household at a time; area codes are the household's."""

    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("citizen_id_bidx"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        CheckConstraint(f"relationship IN ({RELATIONSHIP_VALUES})", name="relationship_known"),
        CheckConstraint("gender IN ('male', 'female')", name="gender_known"),
        CheckConstraint("birth_year BETWEEN 1900 AND 2399", name="birth_year_range"),
        CheckConstraint(
            "date_of_birth IS NULL OR extract(year FROM date_of_birth) = birth_year",
            name="birth_year_matches_date",
        ),
        CheckConstraint("relationship <> 'head' OR citizen_id_bidx IS NOT NULL", name="head_has_citizen_id"),
        Index(
            "uq_person_one_head_per_household",
            "household_id",
            unique=True,
            postgresql_where=text("relationship = 'head'"),
        ),
        Index("ix_person_name_folded", "name_folded", "id"),
        Index("ix_person_name_words", "name_words", postgresql_using="gin"),
        Index("ix_person_name_terms", "name_terms", postgresql_using="gin"),
    )
    __mapper_args__: dict[str, Any] = {**VersionedMixin.__mapper_args__, "eager_defaults": True}  # noqa: RUF012
    __audit_personal__: ClassVar[frozenset[str]] = frozenset(
        {
            "full_name",
            "date_of_birth",
            "birth_year",
            "gender",
            "relationship",
            "citizen_id_masked",
            "legacy_id_masked",
            "phone_masked",
        }
    )
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset(
        {
            "name_folded",
            "name_words",
            "name_terms",
            "citizen_id_ciphertext",
            "citizen_id_bidx",
            "legacy_id_ciphertext",
            "legacy_id_bidx",
            "phone_ciphertext",
            "phone_bidx",
        }
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200))
    # fold_name(full_name), written with it: what the search indexes cover.
    name_folded: Mapped[str] = mapped_column(String(200))
    # Computed by PostgreSQL from name_folded; never loaded by the ORM.
    name_words: Mapped[str] = mapped_column(
        TSVECTOR, Computed(NAME_WORDS_EXPRESSION, persisted=True), deferred=True
    )
    name_terms: Mapped[str] = mapped_column(
        TSVECTOR, Computed(NAME_TERMS_EXPRESSION, persisted=True), deferred=True
    )
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    birth_year: Mapped[int] = mapped_column(SmallInteger, index=True)
    gender: Mapped[str] = mapped_column(String(6))
    citizen_id_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    citizen_id_bidx: Mapped[str | None] = mapped_column(String(64))
    citizen_id_masked: Mapped[str | None] = mapped_column(String(12))
    legacy_id_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    legacy_id_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    legacy_id_masked: Mapped[str | None] = mapped_column(String(9))
    phone_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_bidx: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(12))


class MembershipReason(StrEnum):
    REGISTERED = "registered"  # recorded with the household or added to it
    MOVED = "moved"  # moved in from another household


class HouseholdMembership(Audited, IdMixin, TimestampMixin, AreaMixin, RegistryBase):
    """Who belonged to which household, from when to when (the area is the household's)."""

    __tablename__ = "household_membership"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="dates_ordered"),
        CheckConstraint(f"relationship IN ({RELATIONSHIP_VALUES})", name="relationship_known"),
        CheckConstraint("reason IN ('registered', 'moved')", name="reason_known"),
        CheckConstraint("commune_code IS NOT NULL", name="commune_required"),
        Index(
            "uq_household_membership_one_current",
            "person_id",
            unique=True,
            postgresql_where=text("left_on IS NULL"),
        ),
        Index("ix_household_membership_person", "person_id", "joined_on"),
    )
    __audit_personal__: ClassVar[frozenset[str]] = frozenset({"relationship"})

    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(20))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(12))

"""Declarative base with deterministic constraint names and the mixins every table uses."""

from __future__ import annotations

import uuid
from datetime import datetime

import uuid_utils
from sqlalchemy import BigInteger, DateTime, MetaData, String, func
from sqlalchemy.orm import Mapped, mapped_column

# Deterministic names make downgrades and autogenerate diffs reliable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7, so keyset pages by id follow creation order and indexes stay compact."""
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)


def service_metadata() -> MetaData:
    """A fresh MetaData with the naming convention: one per service, never shared."""
    return MetaData(naming_convention=NAMING_CONVENTION)


# A service declares its own base, so its tables and class registry are its own:
#
#     class RegistryBase(DeclarativeBase):
#         metadata = service_metadata()


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class VersionedMixin:
    """An integer version bumped on every update: the ETag, and SQLAlchemy's optimistic lock."""

    version: Mapped[int] = mapped_column(BigInteger, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads a plain dict)


class AreaMixin:
    """Decision 7: the current (2025) province and commune codes, and the legacy code recorded under."""

    province_code: Mapped[str] = mapped_column(String(2), index=True)
    commune_code: Mapped[str | None] = mapped_column(String(5), index=True)
    legacy_area_code: Mapped[str | None] = mapped_column(String(16))

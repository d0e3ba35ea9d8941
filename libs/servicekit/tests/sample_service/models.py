from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from servicekit.db.base import AreaMixin, Base, IdMixin, TimestampMixin, VersionedMixin


class SampleBase(Base):
    __abstract__ = True


class Widget(IdMixin, TimestampMixin, VersionedMixin, AreaMixin, SampleBase):
    __tablename__ = "widget"
    # Deferred: a duplicate only fails at COMMIT, which is what the commit-failure test needs.
    __table_args__ = (UniqueConstraint("name", deferrable=True, initially="DEFERRED"),)

    name: Mapped[str] = mapped_column(String(100))
    colour: Mapped[str | None] = mapped_column(String(20))

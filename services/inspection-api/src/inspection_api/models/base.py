from sqlalchemy.orm import DeclarativeBase

from servicekit.db.base import service_metadata


class InspectionBase(DeclarativeBase):
    """The service's own declarative base: its own metadata (constraint naming convention) and registry."""

    metadata = service_metadata()

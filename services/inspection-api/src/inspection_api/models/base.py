from servicekit.db.base import Base


class InspectionBase(Base):
    __abstract__ = True

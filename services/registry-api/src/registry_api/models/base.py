from servicekit.db.base import Base


class RegistryBase(Base):
    __abstract__ = True

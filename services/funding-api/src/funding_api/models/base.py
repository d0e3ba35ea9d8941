from servicekit.db.base import Base


class FundingBase(Base):
    __abstract__ = True

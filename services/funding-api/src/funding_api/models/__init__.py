"""Every ORM model of funding-api (Alembic sees one metadata)."""

from funding_api.models.base import FundingBase
from funding_api.models.funding_source import FundingSource, FundingSourceKind

__all__ = ["FundingBase", "FundingSource", "FundingSourceKind"]

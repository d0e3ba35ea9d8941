"""Every ORM model of inspection-api (Alembic sees one metadata)."""

from inspection_api.models.base import InspectionBase
from inspection_api.models.land_use_plan import LandUsePlan, LandUsePlanLevel, LandUsePlanStatus

__all__ = ["InspectionBase", "LandUsePlan", "LandUsePlanLevel", "LandUsePlanStatus"]

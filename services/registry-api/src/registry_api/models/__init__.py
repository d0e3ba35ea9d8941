"""Every ORM model of registry-api (Alembic sees one metadata)."""

from registry_api.models.admin_unit import AdminUnit, AdminUnitLevel, AdminUnitScheme
from registry_api.models.base import RegistryBase

__all__ = ["AdminUnit", "AdminUnitLevel", "AdminUnitScheme", "RegistryBase"]

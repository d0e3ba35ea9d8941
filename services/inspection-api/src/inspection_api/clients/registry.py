"""What inspection-api asks registry-api: only the fields it reads (a tolerant reader)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from servicekit.http import ServiceClient


class AdminUnitInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    level: str
    name: str
    parent_code: str | None


class RegistryClient(ServiceClient):
    async def admin_unit(self, code: str) -> AdminUnitInfo | None:
        """The current (2025) unit with this code, or None when registry-api knows no such unit."""
        response = await self.request("GET", f"/v1/admin-units/{code}")
        if response.status_code == 404:
            return None
        return AdminUnitInfo.model_validate(response.json())

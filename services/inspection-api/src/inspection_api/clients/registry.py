"""What inspection-api asks registry-api: only the fields it reads (a tolerant reader)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from servicekit.errors import UpstreamUnavailable
from servicekit.http import ServiceClient


class AdminUnitInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    code: str
    level: str
    name: str
    parent_code: str | None


class IntegritySignal(BaseModel):
    """One finding of registry-api's integrity checks (contracts.md); evidence has no citizen IDs."""

    model_config = ConfigDict(extra="ignore")

    key: str = Field(min_length=1, max_length=200)
    kind: str
    person_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None
    project_id: uuid.UUID | None = None
    province_code: str = Field(pattern=r"^\d{2}$")
    commune_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    observed_at: datetime
    evidence: dict[str, Any] = Field(default_factory=dict)


class IntegritySignalPage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[IntegritySignal]
    next_cursor: str | None = None


class RegistryClient(ServiceClient):
    async def admin_unit(self, code: str) -> AdminUnitInfo | None:
        """The current (2025) unit with this code, or None when registry-api knows no such unit."""
        response = await self.request("GET", f"/v1/admin-units/{code}")
        if response.status_code == 404:
            return None
        return AdminUnitInfo.model_validate(response.json())

    async def integrity_signals(
        self, kind: str, *, cursor: str | None = None, limit: int = 100
    ) -> IntegritySignalPage:
        """One page of registry-api's integrity signals of one kind (`UpstreamUnavailable` when down)."""
        params: dict[str, Any] = {"kind": kind, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self.request("GET", "/v1/integrity-signals", params=params)
        if response.status_code == 404:
            # The route is not there (an older registry-api): it cannot answer yet, which is not "none".
            raise UpstreamUnavailable(f"{self.name} does not serve integrity signals yet.")
        return IntegritySignalPage.model_validate(response.json())

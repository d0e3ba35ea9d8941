"""What inspection-api asks funding-api: only the fields it reads (a tolerant reader).

The profiteering job reads the loans funding-api could not match to an eligible registry person.
Methods raise `UpstreamUnavailable` when funding-api cannot answer: the job then waits and says so.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from servicekit.errors import UpstreamUnavailable
from servicekit.http import ServiceClient


class LoanException(BaseModel):
    """A loan funding-api could not square with the registry (contracts.md); evidence has no citizen IDs."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    loan_id: uuid.UUID | None = None
    reason: str
    status: str
    province_code: str = Field(pattern=r"^\d{2}$")
    commune_code: str | None = Field(default=None, pattern=r"^\d{5}$")
    created_at: datetime
    evidence: dict[str, Any] = Field(default_factory=dict)


class LoanExceptionPage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[LoanException]
    next_cursor: str | None = None


class FundingClient(ServiceClient):
    """funding-api, called with inspection-api's own token (audience funding-api)."""

    async def loan_exceptions(
        self, reason: str, *, status: str = "open", cursor: str | None = None, limit: int = 100
    ) -> LoanExceptionPage:
        """One page of funding-api's loan exceptions with this reason and status."""
        params: dict[str, Any] = {"reason": reason, "status": status, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        response = await self.request("GET", "/v1/loan-exceptions", params=params)
        if response.status_code == 404:
            raise UpstreamUnavailable(f"{self.name} does not serve loan exceptions yet.")
        return LoanExceptionPage.model_validate(response.json())

"""What funding-api asks inspection-api: only the fields it reads (a tolerant reader).

The housing fund's in-lieu inflows name a land-reserve obligation held by inspection-api; a periodic
job confirms each one. `land_reserve_obligation` returns None for a 404 and raises
`UpstreamUnavailable` when inspection-api cannot answer (the reference then stays unverified).
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict

from servicekit.errors import UpstreamUnavailable
from servicekit.http import ServiceClient


class LandReserveObligationRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    commercial_project_id: uuid.UUID | None = None
    method: str | None = None  # reserve_land | land_elsewhere | pay_money
    status: str | None = None
    province_code: str | None = None
    commune_code: str | None = None
    money_due_vnd: int | None = None


class InspectionClient(ServiceClient):
    async def land_reserve_obligation(self, obligation_id: uuid.UUID) -> LandReserveObligationRef | None:
        """The obligation, or None when inspection-api has no such obligation."""
        response = await self.request("GET", f"/v1/land-reserve-obligations/{obligation_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise UpstreamUnavailable(f"inspection-api answered {response.status_code}.")
        return LandReserveObligationRef.model_validate_json(response.content)

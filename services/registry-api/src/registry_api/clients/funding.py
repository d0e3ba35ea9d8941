"""What registry-api asks funding-api: only the fields it reads (a tolerant reader).

funding-api owns the money; a support case shows its funding lines from
`GET /v1/funding-lines?support_case_id=...`, answered as `{items: [{source_kind, amount_vnd, status}]}`.
"""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, ValidationError

from servicekit.errors import UpstreamUnavailable
from servicekit.http import ServiceClient, UpstreamRequestError


class FundingLine(BaseModel):
    model_config = ConfigDict(extra="ignore")

    source_kind: str
    amount_vnd: int
    status: str


class FundingLinePage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[FundingLine]


class FundingClient(ServiceClient):
    async def funding_lines(self, support_case_id: uuid.UUID) -> list[FundingLine] | None:
        """The case's funding lines, or None when funding-api cannot answer (down, refusing, no such
        endpoint yet, or an answer we cannot read): the caller shows the case without them."""
        try:
            response = await self.request(
                "GET", "/v1/funding-lines", params={"support_case_id": str(support_case_id), "limit": 100}
            )
        except (UpstreamUnavailable, UpstreamRequestError):
            return None
        if response.status_code != 200:
            return None
        try:
            return FundingLinePage.model_validate_json(response.content).items
        except ValidationError:
            return None

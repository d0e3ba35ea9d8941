"""What funding-api asks registry-api: only the fields it reads (a tolerant reader).

Allocations name a support case or a social housing project by registry-api's id; loans ask
registry-api to confirm the borrower's eligibility. Each method raises `UpstreamUnavailable` when
registry-api cannot answer, so a caller refuses (503) or queues, never accepts blind.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from servicekit.errors import UpstreamUnavailable
from servicekit.http import ServiceClient


class SupportCaseRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    stream: str
    kind: str
    status: str
    amount_vnd: int | None = None
    province_code: str
    commune_code: str | None = None


class SupportCasePage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[SupportCaseRef]
    next_cursor: str | None = None


class HousingProjectRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID
    name: str
    kind: str
    province_code: str
    commune_code: str | None = None


class EligibilityConfirmation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    confirmation_id: uuid.UUID
    eligible: bool
    purpose: str
    as_of: date
    reasons: list[dict[str, Any]]


class RegistryClient(ServiceClient):
    async def support_case(self, case_id: uuid.UUID) -> SupportCaseRef | None:
        """The support case, or None when registry-api has no such case (or it is outside our reach)."""
        response = await self.request("GET", f"/v1/support-cases/{case_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise UpstreamUnavailable(f"registry-api answered {response.status_code}.")
        return SupportCaseRef.model_validate_json(response.content)

    async def support_cases(self, *, cursor: str | None = None, limit: int = 100) -> SupportCasePage:
        """One page of the support cases our service token may see (the demo job walks them)."""
        params: dict[str, Any] = {"limit": limit}
        if cursor is not None:
            params["cursor"] = cursor
        response = await self.request("GET", "/v1/support-cases", params=params)
        if response.status_code != 200:
            raise UpstreamUnavailable(f"registry-api answered {response.status_code}.")
        return SupportCasePage.model_validate_json(response.content)

    async def housing_project(self, project_id: uuid.UUID) -> HousingProjectRef | None:
        """The social housing project, or None when registry-api has no such project."""
        response = await self.request("GET", f"/v1/housing-projects/{project_id}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise UpstreamUnavailable(f"registry-api answered {response.status_code}.")
        return HousingProjectRef.model_validate_json(response.content)

    async def confirm_eligibility(
        self, *, citizen_id: str, purpose: str, as_of: date | None, idempotency_key: str
    ) -> EligibilityConfirmation:
        """registry-api's answer for this citizen ID and purpose (the number travels only in the body)."""
        body: dict[str, Any] = {"citizen_id": citizen_id, "purpose": purpose}
        if as_of is not None:
            body["as_of"] = as_of.isoformat()
        response = await self.request(
            "POST",
            "/v1/eligibility-confirmations",
            json=body,
            headers={"Idempotency-Key": idempotency_key},
        )
        if response.status_code not in (200, 201):
            raise UpstreamUnavailable(f"registry-api answered {response.status_code}.")
        return EligibilityConfirmation.model_validate_json(response.content)

"""Helpers shared by the loan tests, loaded by conftest.py as the module `funding_loan_testing`
(test folders are not packages here)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import httpx

Auth = Callable[..., dict[str, str]]
HAI_PHONG = "31"
HA_NOI = "01"
COMMUNE = "10525"
PROBLEM = "application/problem+json"
EVENTS = "/v1/loan-events"
EXCEPTIONS = "/v1/loan-exceptions"

# Made-up borrowers: registry-api (the stub) knows ELIGIBLE as eligible, INELIGIBLE as failing a rule.
ELIGIBLE = "031090123456"
ELIGIBLE_2 = "030185654321"
INELIGIBLE = "031077111222"
UNKNOWN = "001099000111"


def registry_answer(request: httpx.Request) -> httpx.Response:
    """registry-api's POST /v1/eligibility-confirmations, as it answers (unknown person: person_unknown)."""
    body = json.loads(request.content)
    citizen_id = body["citizen_id"]
    base: dict[str, Any] = {
        "confirmation_id": str(uuid.uuid4()),
        "purpose": body["purpose"],
        "as_of": "2026-01-15",
        "inputs_fingerprint": "x",
    }
    if citizen_id == INELIGIBLE:
        reasons = [
            {"rule_code": "income_cap", "kind": "income", "legal_basis": "D100 Art. 30", "outcome": "fail"}
        ]
        return httpx.Response(201, json={**base, "eligible": False, "reasons": reasons})
    if citizen_id == UNKNOWN:
        return httpx.Response(
            201,
            json={**base, "eligible": False, "reasons": [{"reason": "person_unknown", "outcome": "fail"}]},
        )
    reasons = [
        {"rule_code": "income_cap", "kind": "income", "legal_basis": "D100 Art. 30", "outcome": "pass"}
    ]
    return httpx.Response(201, json={**base, "eligible": True, "reasons": reasons})


def keyed(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    return {**headers, "Idempotency-Key": key or str(uuid.uuid4())}


def event(
    loan_ref: str,
    sequence: int,
    kind: str,
    *,
    amount: int | None = None,
    citizen_id: str = ELIGIBLE,
    purpose: str = "buy",
    value: int = 1_000_000_000,
    day: str = "2025-11-20",
    event_id: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": event_id or f"{loan_ref}-{sequence}",
        "loan_ref": loan_ref,
        "sequence": sequence,
        "occurred_at": f"{day}T10:00:00+07:00",
        "type": kind,
        "borrower_citizen_id": citizen_id,
        "purpose": purpose,
        "province_code": HAI_PHONG,
        "commune_code": COMMUNE,
    }
    if amount is not None:
        body["amount_vnd"] = amount
    body["estimate_vnd" if purpose == "build_or_repair" else "contract_value_vnd"] = value
    return body | overrides


async def post(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], status: int = 201
) -> dict[str, Any]:
    response = await client.post(EVENTS, json=body, headers=keyed(headers))
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    return problem

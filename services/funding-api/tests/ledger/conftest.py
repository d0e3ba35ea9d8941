from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

Auth = Callable[..., dict[str, str]]
HAI_PHONG = "31"


@pytest.fixture
def finance(auth: Auth) -> dict[str, str]:
    return auth(roles=["finance_officer"], area_codes=[HAI_PHONG], subject="finance-1")


async def make_source(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    *,
    name: str = "Ngân sách tỉnh 2025",
    kind: str = "provincial_budget",
) -> dict[str, Any]:
    response = await client.post(
        "/v1/funding-sources", json={"province_code": HAI_PHONG, "kind": kind, "name": name}, headers=headers
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def receive(
    client: httpx.AsyncClient, headers: dict[str, str], source_id: str, amount: int, **extra: Any
) -> dict[str, Any]:
    body = {"source_id": source_id, "amount_vnd": amount, "received_on": "2025-03-01"} | extra
    response = await client.post("/v1/ledger/receipts", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
def funded_source(
    client: httpx.AsyncClient, finance: dict[str, str]
) -> Callable[..., Awaitable[dict[str, Any]]]:
    async def make(amount: int = 1_000_000_000, **kwargs: Any) -> dict[str, Any]:
        source = await make_source(client, finance, **kwargs)
        await receive(client, finance, source["id"], amount)
        return source

    return make

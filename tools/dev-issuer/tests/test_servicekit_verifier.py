"""Tokens from the dev issuer pass the platform's own verifier, as every service runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from issuer_helpers import ISSUER_URL, Env

from servicekit.errors import Unauthorized
from servicekit.tokens import JwksCache, TokenVerifier


@pytest.fixture
async def jwks_client(env: Env) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=env.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        yield client


def verifier(client: httpx.AsyncClient, audience: str) -> TokenVerifier:
    return TokenVerifier(
        issuer=ISSUER_URL,
        audience=audience,
        jwks=JwksCache(ISSUER_URL + "/jwks", client=client),
        algorithms=["RS256"],
    )


async def test_a_commune_officer_token_passes_the_service_verifier(
    env: Env, jwks_client: httpx.AsyncClient
) -> None:
    tokens = await env.person_tokens(username="xa.haiduong")
    principal = await verifier(jwks_client, "registry-api").verify(tokens["access_token"])
    assert principal.roles == {"commune_officer"}
    assert principal.area.communes == {"10525"}
    assert principal.area.provinces == frozenset()
    assert principal.scopes == {"openid", "profile"}
    assert principal.client_id == "noxh-spa"
    assert principal.name == "Trần Thị Bình — UBND phường Hải Dương"
    assert principal.covers("31", "10525")
    assert not principal.covers("01", "11560")


async def test_a_bank_token_passes_for_its_audience_only(env: Env, jwks_client: httpx.AsyncClient) -> None:
    token = (await env.machine_token("vbsp-loan-system", audience="funding-api")).json()["access_token"]
    principal = await verifier(jwks_client, "funding-api").verify(token)
    assert principal.roles == {"bank_integration"}
    assert principal.area.provinces == {"31"}
    assert principal.scopes == {"loans:events:write", "eligibility:request"}
    with pytest.raises(Unauthorized):
        await verifier(jwks_client, "registry-api").verify(token)


async def test_a_service_token_may_name_the_acting_person(env: Env, jwks_client: httpx.AsyncClient) -> None:
    token = (await env.machine_token("funding-api", audience="registry-api")).json()["access_token"]
    principal = await verifier(jwks_client, "registry-api").verify(token, acting_subject="user-1")
    assert principal.is_service
    assert principal.acting_subject == "user-1"

"""The verifier remembers tokens it verified until they expire, by their exact text."""

from __future__ import annotations

import time

import httpx
import pytest

from servicekit.errors import Unauthorized
from servicekit.principal import Role
from servicekit.testing.tokens import TestIssuer
from servicekit.tokens import JwksCache

AUDIENCE = "sample-api"


def no_keys() -> JwksCache:
    """A JWKS that publishes nothing: only a remembered token can still pass."""
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"keys": []}))
    return JwksCache("http://issuer.test/jwks", client=httpx.AsyncClient(transport=transport))


@pytest.fixture
def issuer() -> TestIssuer:
    return TestIssuer()


async def test_a_verified_token_is_not_checked_again(issuer: TestIssuer) -> None:
    verifier = issuer.verifier(AUDIENCE)
    token = issuer.token(audience=AUDIENCE, roles=[Role.PROVINCE_OFFICER], area_codes=["31"])
    first = await verifier.verify(token)
    verifier.jwks = no_keys()
    again = await verifier.verify(token)
    assert again.subject == first.subject
    assert again.area.provinces == frozenset({"31"})
    assert issuer.jwks_requests == 1
    with pytest.raises(Unauthorized):  # a token never seen is checked, and fails without the key
        await verifier.verify(issuer.token(audience=AUDIENCE))


async def test_only_the_exact_text_is_remembered(issuer: TestIssuer) -> None:
    verifier = issuer.verifier(AUDIENCE)
    token = issuer.token(audience=AUDIENCE)
    await verifier.verify(token)
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-4]}{'AAAA' if signature[-4:] != 'AAAA' else 'BBBB'}"
    with pytest.raises(Unauthorized):
        await verifier.verify(tampered)


async def test_a_remembered_token_is_checked_again_once_expired(
    issuer: TestIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    verifier = issuer.verifier(AUDIENCE)
    token = issuer.token(audience=AUDIENCE, expires_in=60)
    await verifier.verify(token)
    verifier.jwks = no_keys()
    later = time.time() + 120
    monkeypatch.setattr("servicekit.tokens.time.time", lambda: later)
    with pytest.raises(Unauthorized):
        await verifier.verify(token)


async def test_acting_subject_is_taken_per_request(issuer: TestIssuer) -> None:
    verifier = issuer.verifier(AUDIENCE)
    token = issuer.token(audience=AUDIENCE, roles=[Role.SERVICE])
    assert (await verifier.verify(token, acting_subject="officer-1")).acting_subject == "officer-1"
    assert (await verifier.verify(token, acting_subject="officer-2")).acting_subject == "officer-2"
    assert (await verifier.verify(token)).acting_subject is None


async def test_the_memory_is_bounded_and_can_be_turned_off(issuer: TestIssuer) -> None:
    verifier = issuer.verifier(AUDIENCE)
    verifier.cache_size = 2
    tokens = [issuer.token(audience=AUDIENCE) for _ in range(3)]
    for token in tokens:
        await verifier.verify(token)
    verifier.jwks = no_keys()
    with pytest.raises(Unauthorized):  # the oldest was forgotten
        await verifier.verify(tokens[0])
    await verifier.verify(tokens[2])

    uncached = issuer.verifier(AUDIENCE)
    uncached.cache_size = 0
    token = issuer.token(audience=AUDIENCE)
    await uncached.verify(token)
    uncached.jwks = no_keys()
    with pytest.raises(Unauthorized):
        await uncached.verify(token)

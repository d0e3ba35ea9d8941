"""Bearer tokens, verified by every service itself: issuer, audience, expiry, algorithm, JWKS key."""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import httpx
import jwt

from servicekit.errors import Unauthorized
from servicekit.principal import Principal, principal_from_claims

# Never accept these, whatever the configuration says.
FORBIDDEN_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})
JWKS_MIN_REFRESH_INTERVAL_S = 10.0
# Tokens verified recently, kept until they expire: an officer's SPA sends the same token with every
# request, and an RS256 check (PyJWT + OpenSSL) costs a few hundred microseconds, more than a
# household read by id takes in PostgreSQL (docs/performance.md).
VERIFIED_CACHE_SIZE = 4096


class JwksCache:
    """The issuer's signing keys, cached; refreshed when a token names a key id we have not seen."""

    def __init__(self, url: str, *, client: httpx.AsyncClient | None = None) -> None:
        self.url = url
        self._client = client
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self) -> None:
        client = self._client or httpx.AsyncClient(timeout=5.0)
        try:
            response = await client.get(self.url)
            response.raise_for_status()
            keys: dict[str, jwt.PyJWK] = {}
            for data in response.json().get("keys", []):
                if data.get("use", "sig") != "sig" or "kid" not in data:
                    continue
                try:
                    keys[data["kid"]] = jwt.PyJWK(data)
                except jwt.PyJWKError:
                    continue
            self._keys = keys
            self._fetched_at = time.monotonic()
        finally:
            if self._client is None:
                await client.aclose()

    async def key(self, kid: str) -> jwt.PyJWK | None:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            # Unknown kid: the issuer may have rotated. Refetch, but not more often than every few seconds,
            # so a stream of forged key ids cannot turn us into a load generator against the issuer.
            if kid not in self._keys and time.monotonic() - self._fetched_at >= JWKS_MIN_REFRESH_INTERVAL_S:
                try:
                    await self._fetch()
                except (httpx.HTTPError, json.JSONDecodeError, ValueError):
                    return None
        return self._keys.get(kid)


class TokenVerifier:
    """Verifies bearer tokens. A token that passed is remembered, by its exact text (signature
    included), until its `exp`: the same token sent again is not checked again. The cost of that:
    a signing key the issuer withdraws keeps its already-verified tokens valid until they expire
    (they are short-lived). `cache_size=0` verifies every time."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks: JwksCache,
        algorithms: Iterable[str],
        cache_size: int = VERIFIED_CACHE_SIZE,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.algorithms = [a for a in algorithms if a not in FORBIDDEN_ALGORITHMS]
        self.cache_size = cache_size
        self._verified: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    async def verify(self, token: str, *, acting_subject: str | None = None) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            expires_at, claims = cached
            if time.time() < expires_at:
                self._verified.move_to_end(token)
                return principal_from_claims(dict(claims), acting_subject=acting_subject)
            del self._verified[token]
        claims = await self._verify_claims(token)
        self._remember(token, claims)
        return principal_from_claims(claims, acting_subject=acting_subject)

    def _remember(self, token: str, claims: dict[str, Any]) -> None:
        if self.cache_size <= 0:
            return
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            return
        self._verified[token] = (float(exp), dict(claims))
        while len(self._verified) > self.cache_size:
            self._verified.popitem(last=False)

    async def _verify_claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized("The bearer token is malformed.") from exc
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise Unauthorized("The token's signing algorithm is not accepted.")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise Unauthorized("The token names no signing key.")
        key = await self.jwks.key(kid)
        if key is None:
            raise Unauthorized("The token was signed by a key the issuer does not publish.")
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=10,
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except jwt.InvalidAudienceError as exc:
            raise Unauthorized("The token is not meant for this service.") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized("The token comes from an issuer this service does not trust.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized("The token is not valid.") from exc
        verified: dict[str, Any] = claims
        return verified

"""Bearer tokens: verified by every service itself (issuer, audience, expiry, algorithm, JWKS key)."""

from __future__ import annotations

import asyncio
import contextvars
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.areas import AreaScope
from servicekit.errors import Forbidden, Unauthorized

# Never accept these, whatever the configuration says.
FORBIDDEN_ALGORITHMS = frozenset({"none", "HS256", "HS384", "HS512"})
ACTING_SUBJECT_HEADER = "X-Acting-Subject"
JWKS_MIN_REFRESH_INTERVAL_S = 10.0

current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar("principal", default=None)


class Role(StrEnum):
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_OFFICER = "commune_officer"
    FINANCE_OFFICER = "finance_officer"
    INSPECTOR = "inspector"
    BANK_INTEGRATION = "bank_integration"
    PARTNER = "partner"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a person, a partner or bank system, or another NOXH service."""

    subject: str
    client_id: str
    roles: frozenset[str]
    scopes: frozenset[str]
    area: AreaScope
    name: str | None = None
    # Set when a service calls on behalf of a person; the audit trail records both.
    acting_subject: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_service(self) -> bool:
        return Role.SERVICE in self.roles

    def has_any_role(self, roles: Iterable[str]) -> bool:
        return not self.roles.isdisjoint(roles)

    def covers(self, province_code: str | None, commune_code: str | None) -> bool:
        return self.area.covers(province_code, commune_code)


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
    def __init__(self, *, issuer: str, audience: str, jwks: JwksCache, algorithms: Iterable[str]) -> None:
        self.issuer = issuer
        self.audience = audience
        self.jwks = jwks
        self.algorithms = [a for a in algorithms if a not in FORBIDDEN_ALGORITHMS]

    async def verify(self, token: str, *, acting_subject: str | None = None) -> Principal:
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
        return principal_from_claims(claims, acting_subject=acting_subject)


def _str_set(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(str(v) for v in value)
    return frozenset()


def principal_from_claims(claims: dict[str, Any], *, acting_subject: str | None = None) -> Principal:
    roles = _str_set(claims.get("roles"))
    return Principal(
        subject=str(claims["sub"]),
        client_id=str(claims.get("azp") or claims.get("client_id") or ""),
        roles=roles,
        scopes=_str_set(claims.get("scope")),
        area=AreaScope.from_codes(_str_set(claims.get("area_codes"))),
        name=claims.get("name"),
        # Only another NOXH service may say on whose behalf it acts.
        acting_subject=acting_subject if Role.SERVICE in roles else None,
        claims=claims,
    )


_bearer = HTTPBearer(auto_error=False, description="A JWT from the NOXH identity provider.")


async def get_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send a bearer token in the Authorization header.")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(
        credentials.credentials, acting_subject=request.headers.get(ACTING_SUBJECT_HEADER)
    )
    request.state.principal = principal
    current_principal.set(principal)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[..., Any]:
    """A dependency that lets through only callers holding one of `roles` (name `Role.SERVICE` for services)."""
    allowed = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.has_any_role(allowed):
            return principal
        raise Forbidden("Your role does not allow this action.")

    dependency.__name__ = "require_" + "_or_".join(sorted(allowed))
    return dependency


def require_scopes(*scopes: str) -> Callable[..., Any]:
    """A dependency for machine clients: every scope in `scopes` must have been granted."""
    needed = frozenset(scopes)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if needed <= principal.scopes:
            return principal
        raise Forbidden(f"This needs the scope(s): {' '.join(sorted(needed))}.")

    return dependency

"""Minting and checking the issuer's own JWTs (access and ID tokens)."""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import jwt

from dev_issuer.keys import ALGORITHM, KeyStore
from dev_issuer.seed import SERVICES, Account, Client
from dev_issuer.settings import IssuerSettings

LEEWAY_S = 10


class InvalidToken(Exception):
    pass


def _audience(value: Sequence[str] | str) -> str | list[str]:
    """One audience asked for stays a string; a set of audiences stays a list."""
    return value if isinstance(value, str) else list(value)


class Minter:
    def __init__(self, settings: IssuerSettings, keys: KeyStore, clock: Callable[[], float]) -> None:
        self.settings = settings
        self.keys = keys
        self.clock = clock

    def sign(self, claims: dict[str, Any]) -> str:
        key = self.keys.current()
        return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid})

    def _base(self, *, subject: str, audience: Sequence[str] | str, ttl_s: int) -> dict[str, Any]:
        now = int(self.clock())
        return {
            "iss": self.settings.ISSUER_URL,
            "sub": subject,
            "aud": _audience(audience),
            "exp": now + ttl_s,
            "iat": now,
            "nbf": now,
            "jti": str(uuid.uuid4()),
        }

    def person_access_token(
        self,
        account: Account,
        *,
        client_id: str,
        scope: str,
        audience: Sequence[str] | str = SERVICES,
    ) -> tuple[str, int]:
        ttl = self.settings.ACCESS_TTL_PEOPLE_S
        claims = self._base(subject=account.subject, audience=audience, ttl_s=ttl)
        claims.update(
            {
                "typ": "Bearer",
                "azp": client_id,
                "roles": list(account.roles),
                "scope": scope,
                "area_codes": list(account.area_codes),
                "name": account.name,
                "preferred_username": account.username,
            }
        )
        return self.sign(claims), ttl

    def machine_access_token(
        self, client: Client, *, scope: str, audience: Sequence[str] | str
    ) -> tuple[str, int]:
        ttl = self.settings.ACCESS_TTL_MACHINE_S
        claims = self._base(subject=client.subject, audience=audience, ttl_s=ttl)
        claims.update(
            {
                "typ": "Bearer",
                "azp": client.client_id,
                "roles": list(client.roles),
                "scope": scope,
                "area_codes": list(client.area_codes),
                "name": client.name,
                "preferred_username": "service-account-" + client.client_id,
            }
        )
        if client.quota_per_minute is not None:
            # Services count this client's requests per minute against it (servicekit.quota).
            claims["quota_per_minute"] = client.quota_per_minute
        return self.sign(claims), ttl

    def id_token(
        self, account: Account, *, client_id: str, nonce: str | None, auth_time: int, access_token: str
    ) -> str:
        claims = self._base(
            subject=account.subject, audience=client_id, ttl_s=self.settings.ACCESS_TTL_PEOPLE_S
        )
        digest = hashlib.sha256(access_token.encode()).digest()
        claims.update(
            {
                "typ": "ID",
                "azp": client_id,
                "auth_time": auth_time,
                "at_hash": base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode(),
                "name": account.name,
                "preferred_username": account.username,
                "roles": list(account.roles),
                "area_codes": list(account.area_codes),
            }
        )
        if nonce:
            claims["nonce"] = nonce
        return self.sign(claims)

    def verify(
        self, token: str, *, audience: str | None = None, typ: str = "Bearer", verify_exp: bool = True
    ) -> dict[str, Any]:
        """The claims of a token this issuer signed with a key it still publishes."""
        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            key = self.keys.public_key(kid) if isinstance(kid, str) else None
            if key is None or header.get("alg") != ALGORITHM:
                raise InvalidToken("The token was not signed by this issuer.")
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                issuer=self.settings.ISSUER_URL,
                audience=audience,
                options={
                    "require": ["exp", "iat", "iss", "sub"],
                    "verify_aud": audience is not None,
                    "verify_exp": verify_exp,
                },
                leeway=LEEWAY_S,
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken("The token is not valid.") from exc
        if claims.get("typ") != typ:
            raise InvalidToken("The token is not of the expected kind.")
        return claims

"""A test issuer: an RSA key, its JWKS behind an httpx MockTransport, and tokens minted on demand."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from servicekit.tokens import JwksCache, TokenVerifier

TEST_ISSUER = "http://issuer.test"


class TestIssuer:
    __test__ = False  # not a pytest test class

    def __init__(self, issuer: str = TEST_ISSUER) -> None:
        self.issuer = issuer
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-" + uuid.uuid4().hex[:8]
        # A key the issuer never publishes: tokens it signs must be refused.
        self.rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwks_requests = 0

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def transport(self) -> httpx.MockTransport:
        def handler(request: httpx.Request) -> httpx.Response:
            self.jwks_requests += 1
            return httpx.Response(200, json=self.jwks())

        return httpx.MockTransport(handler)

    def verifier(self, audience: str) -> TokenVerifier:
        client = httpx.AsyncClient(transport=self.transport())
        return TokenVerifier(
            issuer=self.issuer,
            audience=audience,
            jwks=JwksCache(self.issuer + "/jwks", client=client),
            algorithms=["RS256"],
        )

    def token(
        self,
        *,
        audience: str,
        roles: Iterable[str] = (),
        area_codes: Iterable[str] = (),
        scopes: Iterable[str] = (),
        subject: str | None = None,
        expires_in: int = 300,
        issuer: str | None = None,
        client_id: str = "test-client",
        rogue: bool = False,
        **extra: Any,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer or self.issuer,
            "aud": audience,
            "sub": subject or "user-" + uuid.uuid4().hex[:8],
            "iat": now,
            "exp": now + expires_in,
            "azp": client_id,
            "roles": list(roles),
            "area_codes": list(area_codes),
            "scope": " ".join(scopes),
            **extra,
        }
        key = self.rogue_key if rogue else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.kid})

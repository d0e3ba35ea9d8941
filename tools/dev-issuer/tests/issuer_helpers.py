"""Helpers for the dev issuer's tests: settings, PKCE, a browser-like login, token checks."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
from fastapi import FastAPI

from dev_issuer.grants import Issuer
from dev_issuer.main import create_app
from dev_issuer.seed import client_secret
from dev_issuer.settings import IssuerSettings

ISSUER_URL = "http://127.0.0.1:8000/auth"
SEED = "test-seed-secret-0123456789"
PASSWORD = "mat-khau-thu"
SPA = "noxh-spa"
SPA_CALLBACK = "http://127.0.0.1:5173/callback"


class Clock:
    """Real time plus an offset the test can move forward."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def make_settings(data_dir: Path, **overrides: Any) -> IssuerSettings:
    values: dict[str, Any] = {
        "ENV": "test",
        "ISSUER_URL": ISSUER_URL,
        "DATA_DIR": data_dir,
        "SEED_SECRET": SEED,
        "DEMO_PASSWORD": PASSWORD,
        **overrides,
    }
    return IssuerSettings(**values)


def secret_of(client_id: str) -> str:
    return client_secret(SEED, client_id)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


class LoginForm(HTMLParser):
    """What a browser sees of the login page: the form's action and its fields."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action")
        elif tag == "input" and a.get("name"):
            self.fields[str(a["name"])] = a.get("value") or ""


@dataclass
class Env:
    app: FastAPI
    client: httpx.AsyncClient
    settings: IssuerSettings
    clock: Clock

    @property
    def issuer(self) -> Issuer:
        issuer: Issuer = self.app.state.issuer
        return issuer

    async def login(
        self,
        *,
        username: str = "so.xaydung",
        password: str = PASSWORD,
        client_id: str = SPA,
        redirect_uri: str = SPA_CALLBACK,
        scope: str = "openid profile",
        challenge: str | None = None,
        state: str = "st-123",
        nonce: str | None = "n-456",
    ) -> httpx.Response:
        """GET the login page like a browser, fill in the form and submit it (no redirect followed)."""
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge or pkce_pair()[1],
            "code_challenge_method": "S256",
        }
        if nonce:
            params["nonce"] = nonce
        page = await self.client.get("/authorize", params=params)
        assert page.status_code == 200, page.text
        form = LoginForm(page.text)
        assert form.action is not None
        fields = {**form.fields, "username": username, "password": password}
        return await self.client.post(urljoin(str(page.url), form.action), data=fields)

    async def code(self, **kwargs: Any) -> tuple[str, str]:
        """Log in; returns (code, verifier)."""
        verifier, challenge = pkce_pair()
        response = await self.login(challenge=challenge, **kwargs)
        assert response.status_code == 303, response.text
        query = parse_qs(urlsplit(response.headers["location"]).query)
        return query["code"][0], verifier

    async def exchange(self, code: str, verifier: str, **overrides: str) -> httpx.Response:
        data = {
            "grant_type": "authorization_code",
            "client_id": SPA,
            "code": code,
            "redirect_uri": SPA_CALLBACK,
            "code_verifier": verifier,
            **overrides,
        }
        return await self.client.post("/token", data=data)

    async def person_tokens(self, **kwargs: Any) -> dict[str, Any]:
        code, verifier = await self.code(**kwargs)
        response = await self.exchange(code, verifier)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def machine_token(self, client_id: str, **data: str) -> httpx.Response:
        return await self.client.post(
            "/token",
            data={"grant_type": "client_credentials", **data},
            auth=(client_id, secret_of(client_id)),
        )

    async def jwks(self) -> dict[str, Any]:
        response = await self.client.get("/jwks")
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    async def verify(self, token: str, audience: str | None = None) -> dict[str, Any]:
        """Check a token the way a relying party does: against the published JWKS."""
        jwks = jwt.PyJWKSet.from_dict(await self.jwks())
        key = jwks[jwt.get_unverified_header(token)["kid"]]
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],
            issuer=ISSUER_URL,
            audience=audience,
            options={"verify_aud": audience is not None},
        )
        return claims


def build_env(data_dir: Path, **overrides: Any) -> tuple[FastAPI, Clock, IssuerSettings]:
    settings = make_settings(data_dir, **overrides)
    clock = Clock()
    app = create_app(settings, clock=clock)
    app.state.issuer.login_failure_delay_s = 0.0
    return app, clock, settings

"""The small admin API: rotate the signing key, disable and enable clients. Administrators only."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from dev_issuer.grants import Issuer
from dev_issuer.routes import NO_STORE, bearer_token
from dev_issuer.seed import CLIENTS, ISSUER_AUDIENCE, Role
from dev_issuer.tokens import InvalidToken

logger = logging.getLogger("dev_issuer.admin")


class AdminRefused(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description


def _refusal(exc: AdminRefused) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = f'Bearer error="{exc.error}"'
    return JSONResponse(
        {"error": exc.error, "error_description": exc.description}, status_code=exc.status, headers=headers
    )


def administrator(issuer: Issuer, request: Request) -> str:
    """The calling administrator's username, from a token meant for the issuer itself."""
    raw = bearer_token(request)
    if raw is None:
        raise AdminRefused(401, "invalid_token", "An administrator's bearer token is required.")
    try:
        claims = issuer.minter.verify(raw, audience=ISSUER_AUDIENCE)
    except InvalidToken as exc:
        raise AdminRefused(401, "invalid_token", str(exc)) from exc
    username = str(claims.get("preferred_username", ""))
    roles = claims.get("roles")
    account = issuer.directory.account(username)
    # The token's roles and the account as administered now: a demoted administrator is refused
    # at once, without waiting for the token to expire.
    if (
        not isinstance(roles, list)
        or Role.ADMINISTRATOR not in roles
        or account is None
        or Role.ADMINISTRATOR not in account.roles
        or not issuer.state.account_enabled(username)
    ):
        raise AdminRefused(403, "insufficient_scope", "Only an administrator may do this.")
    return username


def router(issuer: Issuer) -> APIRouter:
    api = APIRouter(prefix="/admin")

    @api.post("/keys/rotate")
    async def rotate_keys(request: Request) -> JSONResponse:
        try:
            admin = administrator(issuer, request)
        except AdminRefused as exc:
            return _refusal(exc)
        key = issuer.keys.rotate()
        issuer.directory.audit(admin, "signing_key.rotated", "signing_key", key.kid, {})
        logger.info("signing key rotated by %s: new kid %s", admin, key.kid)
        return JSONResponse({"kid": key.kid, "published": [k.kid for k in issuer.keys.published()]})

    async def set_client(request: Request, client_id: str, *, enabled: bool) -> JSONResponse:
        try:
            admin = administrator(issuer, request)
            if client_id not in CLIENTS:
                raise AdminRefused(404, "not_found", f"No client {client_id!r}.")
        except AdminRefused as exc:
            return _refusal(exc)
        issuer.state.set_client_enabled(client_id, enabled=enabled)
        action = "client.enabled" if enabled else "client.disabled"
        issuer.directory.audit(admin, action, "client", client_id, {})
        logger.info("client %s %s by %s", client_id, "enabled" if enabled else "disabled", admin)
        body: dict[str, Any] = {"client_id": client_id, "enabled": enabled}
        return JSONResponse(body)

    @api.post("/clients/{client_id}/disable")
    async def disable_client(request: Request, client_id: str) -> JSONResponse:
        return await set_client(request, client_id, enabled=False)

    @api.post("/clients/{client_id}/enable")
    async def enable_client(request: Request, client_id: str) -> JSONResponse:
        return await set_client(request, client_id, enabled=True)

    return api

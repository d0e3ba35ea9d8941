"""FastAPI dependencies for authentication and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.context import current_principal
from servicekit.errors import Forbidden, Unauthorized
from servicekit.principal import ACTING_SUBJECT_HEADER, Principal
from servicekit.tokens import TokenVerifier

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
    """A dependency that admits only callers with one of `roles` (services need `Role.SERVICE`)."""
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

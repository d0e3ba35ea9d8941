"""FastAPI dependencies for authentication and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from servicekit.context import current_principal
from servicekit.errors import PROBLEM_JSON, Forbidden, Unauthorized
from servicekit.principal import ACTING_SUBJECT_HEADER, Principal
from servicekit.quota import QuotaExceeded, count_request
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
    await _count_quota(request, principal)
    return principal


async def _count_quota(request: Request, principal: Principal) -> None:
    """Clients whose token carries a quota are counted before any work (servicekit.quota); the
    request-context middleware puts the RateLimit headers on the answer."""
    platform = getattr(request.app.state, "platform", None)
    if platform is None or platform.quota is None:
        return
    clock = getattr(request.app.state, "quota_clock", None)
    state = await count_request(
        request.app.state.sessionmaker, platform.quota, principal, now=clock() if clock else None
    )
    if state is not None:
        request.state.quota = state
        if state.exceeded:
            raise QuotaExceeded(state)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[..., Any]:
    """A dependency that admits only callers with one of `roles` (services need `Role.SERVICE`)."""
    allowed = frozenset(roles)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if principal.has_any_role(allowed):
            return principal
        raise Forbidden("Your role does not allow this action.")

    dependency.__name__ = "require_" + "_or_".join(sorted(allowed))
    # Read by `declared_roles` to publish the operation's roles in the OpenAPI (`x-roles`).
    setattr(dependency, ALLOWED_ROLES_ATTR, allowed)
    return dependency


ALLOWED_ROLES_ATTR = "noxh_allowed_roles"
ROLES_EXTENSION = "x-roles"


def declared_roles(dependant: Dependant) -> frozenset[str] | None:
    """The roles a route admits, from every `require_roles` in its dependency tree (their intersection,
    as a caller must pass each); None when the route declares no role check."""
    found: frozenset[str] | None = None
    stack = [dependant]
    while stack:
        current = stack.pop()
        roles = getattr(current.call, ALLOWED_ROLES_ATTR, None)
        if isinstance(roles, frozenset):
            found = roles if found is None else found & roles
        stack.extend(current.dependencies)
    return found


_COMMON_ANSWERS = {
    "401": "Authentication required: no bearer token, or one that is expired, forged or not for us",
    "403": "Your role does not allow this action",
    "400": "The Idempotency-Key header is not valid",
    "429": "Your client's quota of requests per minute is used up (clients with a quota: partners)",
}
_QUOTA_HEADERS = {
    "Retry-After": "Seconds until the quota's window resets.",
    "RateLimit-Limit": "Your quota: requests per minute to this service.",
    "RateLimit-Remaining": "Requests left in the current minute.",
    "RateLimit-Reset": "Seconds until the current minute's window resets.",
}


def document_common_answers(
    schema: dict[str, Any], operation: dict[str, Any], *, roles: frozenset[str] | None, quota: bool = False
) -> None:
    """Answers the platform gives on any route, whether or not the route lists them: 401 where a token
    is needed, 403 where roles are checked, 400 where an Idempotency-Key is read, 429 where a client
    with a quota is counted."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    headers = {p.get("name", "").lower() for p in operation.get("parameters", []) if p.get("in") == "header"}
    wanted = []
    if operation.get("security"):
        wanted.append("401")
    if roles is not None:
        wanted.append("403")
    if "idempotency-key" in headers:
        wanted.append("400")
    if quota and operation.get("security"):
        wanted.append("429")
    has_problem = "Problem" in schema.get("components", {}).get("schemas", {})
    default_422 = responses.get("422", {}).get("content", {}).get("application/json", {})
    if has_problem and default_422.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
        # FastAPI's own 422 entry says application/json; the platform answers problem+json.
        responses["422"]["content"] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for status in wanted:
        if status in responses:
            continue
        answer: dict[str, Any] = {"description": _COMMON_ANSWERS[status]}
        if has_problem:
            answer["content"] = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        if status == "429":
            if has_problem:
                answer["content"][PROBLEM_JSON]["example"] = {
                    "type": QuotaExceeded.type_uri(),
                    "title": QuotaExceeded.title,
                    "status": 429,
                    "code": QuotaExceeded.code,
                }
            answer["headers"] = {
                name: {"description": text, "schema": {"type": "integer"}}
                for name, text in _QUOTA_HEADERS.items()
            }
        responses[status] = answer


def publish_roles(app: FastAPI) -> None:
    """Make the app's OpenAPI list, per operation, the roles it admits (`x-roles`, sorted names)."""
    generate = app.openapi
    platform = getattr(app.state, "platform", None)
    counts_quota = platform is not None and getattr(platform, "quota", None) is not None

    def openapi() -> dict[str, Any]:
        schema = generate()
        paths: dict[str, Any] = schema.get("paths", {})
        for context in iter_route_contexts(app.routes):
            dependant = getattr(context, "dependant", None)
            operations = paths.get(getattr(context, "path_format", None) or "")
            if not isinstance(dependant, Dependant) or operations is None:
                continue
            roles = declared_roles(dependant)
            for method in getattr(context, "methods", None) or ():
                operation = operations.get(method.lower())
                if operation is None:
                    continue
                if roles is not None:
                    operation[ROLES_EXTENSION] = sorted(roles)
                document_common_answers(schema, operation, roles=roles, quota=counts_quota)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def require_scopes(*scopes: str) -> Callable[..., Any]:
    """A dependency for machine clients: every scope in `scopes` must have been granted."""
    needed = frozenset(scopes)

    async def dependency(principal: CurrentPrincipal) -> Principal:
        if needed <= principal.scopes:
            return principal
        raise Forbidden(f"This needs the scope(s): {' '.join(sorted(needed))}.")

    return dependency

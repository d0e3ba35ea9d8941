"""The account-administration API: `/identity/v1/...`, for administrators only.

This is the one part of the issuer's administration the gateway publishes (as `/api/identity/v1/...`,
for the SPA's administration page); the rest (`/admin/...`: signing keys, seeded clients) stays
reachable only from inside. Callers need an access token from this issuer with its own audience
(`dev-issuer`) and the `administrator` role, for an account that is still an enabled administrator.

Errors are RFC 9457 problems like the services' (`type`, `title`, `status`, `detail`, `code`, and
`errors: [{pointer, code, message}]` for invalid input). Single records carry `ETag: W/"<version>"`;
every change needs `If-Match` (428 without it, 412 when stale). Lists are keyset-paginated
(`limit` ≤ 100, opaque `cursor`, `{items, next_cursor}`). Every change is written to the audit log,
readable at `/identity/v1/audit-events`. Secrets and passwords are shown once, in the response that
creates them, and never stored or logged in clear.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Self, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from starlette.routing import compile_path

from dev_issuer.admin import AdminRefused, administrator
from dev_issuer.directory import (
    AREA_CODE_RE,
    CLIENT_ID_RE,
    PARTNER_SCOPES,
    PEOPLE_ROLES,
    USERNAME_RE,
    AccountRecord,
    DirectoryError,
    PartnerRecord,
)
from dev_issuer.grants import Issuer
from dev_issuer.routes import NO_STORE
from dev_issuer.seed import Role

logger = logging.getLogger("dev_issuer.identity")

PROBLEM_BASE_URI = "https://noxh.haiphong.gov.vn/problems/"
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
M = TypeVar("M", bound=BaseModel)
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


# ---------------------------------------------------------------------- problems


class Problem(Exception):
    def __init__(
        self, status: int, code: str, title: str, detail: str, errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors or []


def problem_response(exc: Problem, request: Request) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE_URI + exc.code.replace("_", "-"),
        "title": exc.title,
        "status": exc.status,
        "detail": exc.detail,
        "code": exc.code,
        "instance": request.url.path,
    }
    if exc.errors:
        body["errors"] = exc.errors
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return JSONResponse(body, status_code=exc.status, headers=headers, media_type="application/problem+json")


def _invalid(errors: list[dict[str, str]]) -> Problem:
    return Problem(422, "validation_failed", "Invalid input", "Some fields are invalid.", errors)


def _from_validation(exc: ValidationError) -> Problem:
    errors = [
        {
            "pointer": "/" + "/".join(str(p) for p in err["loc"]),
            "code": str(err["type"]),
            "message": str(err["msg"]),
        }
        for err in exc.errors()
    ]
    return _invalid(errors)


def _refused(exc: AdminRefused) -> Problem:
    if exc.status == 401:
        return Problem(401, "unauthenticated", "Authentication required", exc.description)
    return Problem(403, "forbidden", "Forbidden", exc.description)


# ---------------------------------------------------------------------- input


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Change(_Input):
    """A PATCH body: every field optional, but at least one given (an empty change is a mistake)."""

    @model_validator(mode="after")
    def _something(self) -> Self:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise ValueError("give at least one field to change")
        return self


def _check_roles(value: list[str]) -> list[str]:
    unknown = [r for r in value if r not in PEOPLE_ROLES]
    if unknown:
        raise ValueError(f"unknown or machine-only roles: {', '.join(unknown)}")
    if len(set(value)) != len(value):
        raise ValueError("roles must not repeat")
    return value


def _check_areas(value: list[str]) -> list[str]:
    bad = [c for c in value if not AREA_CODE_RE.match(c)]
    if bad:
        raise ValueError(f"area codes are 2-digit provinces or 5-digit communes: {', '.join(bad)}")
    if len(set(value)) != len(value):
        raise ValueError("area codes must not repeat")
    return value


def _check_scopes(value: list[str]) -> list[str]:
    unknown = [s for s in value if s not in PARTNER_SCOPES]
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(unknown)}")
    if len(set(value)) != len(value):
        raise ValueError("scopes must not repeat")
    return value


class AccountCreate(_Input):
    username: str = Field(pattern=USERNAME_RE.pattern)
    name: Name
    roles: list[str] = Field(min_length=1, max_length=len(PEOPLE_ROLES))
    area_codes: list[str] = Field(min_length=1, max_length=50)

    _roles = field_validator("roles")(_check_roles)
    _areas = field_validator("area_codes")(_check_areas)


class AccountChange(_Change):
    name: Name | None = None
    roles: list[str] | None = Field(default=None, min_length=1, max_length=len(PEOPLE_ROLES))
    area_codes: list[str] | None = Field(default=None, min_length=1, max_length=50)

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_roles(value)

    @field_validator("area_codes")
    @classmethod
    def _areas(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_areas(value)


class PartnerCreate(_Input):
    client_id: str = Field(pattern=CLIENT_ID_RE.pattern)
    name: Name
    scopes: list[str] = Field(min_length=1, max_length=len(PARTNER_SCOPES))
    quota_per_minute: int = Field(ge=1, le=100_000)

    _scopes = field_validator("scopes")(_check_scopes)


class PartnerChange(_Change):
    name: Name | None = None
    scopes: list[str] | None = Field(default=None, min_length=1, max_length=len(PARTNER_SCOPES))
    quota_per_minute: int | None = Field(default=None, ge=1, le=100_000)

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_scopes(value)


async def _body(request: Request, model: type[M]) -> M:
    try:
        raw = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise _invalid([{"pointer": "", "code": "json_invalid", "message": "The body is not JSON."}]) from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise _from_validation(exc) from exc


def _bad_cursor() -> Problem:
    return Problem(400, "invalid_cursor", "Invalid cursor", "The cursor is not one this list gave.")


def _if_match(request: Request) -> int:
    raw = request.headers.get("If-Match")
    if raw is None:
        raise Problem(
            428, "precondition_required", "Precondition required", "Send If-Match with the ETag read."
        )
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise Problem(412, "precondition_failed", "Precondition failed", "The If-Match value is not an ETag.")
    return int(value)


def _page_params(request: Request) -> tuple[int, str | None]:
    raw_limit = request.query_params.get("limit", str(DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise _invalid(
            [{"pointer": "/limit", "code": "out_of_range", "message": f"limit is 1 to {MAX_LIMIT}."}]
        )
    raw_cursor = request.query_params.get("cursor")
    if raw_cursor is None:
        return int(raw_limit), None
    try:
        padded = raw_cursor + "=" * (-len(raw_cursor) % 4)
        cursor = base64.b64decode(padded, altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise _bad_cursor() from exc
    return int(raw_limit), cursor


def _cursor(value: str | None) -> str | None:
    return None if value is None else base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


# ---------------------------------------------------------------------- output


def account_json(issuer: Issuer, record: AccountRecord) -> dict[str, Any]:
    return {
        "username": record.username,
        "subject": record.account.subject,
        "name": record.name,
        "roles": list(record.roles),
        "area_codes": list(record.area_codes),
        "enabled": issuer.state.account_enabled(record.username),
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def partner_json(record: PartnerRecord) -> dict[str, Any]:
    return {
        "client_id": record.client_id,
        "name": record.name,
        "scopes": list(record.scopes),
        "quota_per_minute": record.quota_per_minute,
        "status": "revoked" if record.revoked else "active",
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
        "secret_rotated_at": record.secret_rotated_at,
    }


def _json(body: dict[str, Any], version: int | None = None, status: int = 200) -> JSONResponse:
    headers = dict(NO_STORE)
    if version is not None:
        headers["ETag"] = f'W/"{version}"'
    return JSONResponse(body, status_code=status, headers=headers)


# ---------------------------------------------------------------------- the router

Handler = Callable[[Request, str], Awaitable[Response]]


def router(issuer: Issuer) -> APIRouter:  # noqa: PLR0915 (one closure per endpoint, kept together)
    api = APIRouter(prefix="/identity/v1")
    directory = issuer.directory

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """Authorise the administrator, run the handler, turn refusals into problems."""

        async def run(request: Request) -> Response:
            try:
                try:
                    admin = administrator(issuer, request)
                except AdminRefused as exc:
                    raise _refused(exc) from exc
                try:
                    return await handler(request, admin)
                except DirectoryError as exc:
                    title = {404: "Not found", 409: "Conflict", 412: "Precondition failed"}.get(
                        exc.status, "Refused"
                    )
                    raise Problem(exc.status, exc.code, title, exc.detail) from exc
            except Problem as exc:
                return problem_response(exc, request)

        return run

    def _account(username: str) -> AccountRecord:
        record = directory.account_record(username)
        if record is None:
            raise Problem(404, "not_found", "Not found", f"No account {username!r}.")
        return record

    def _not_self(admin: str, username: str, what: str) -> None:
        if admin == username:
            raise Problem(
                409, "self_lockout", "Conflict", f"An administrator cannot {what} their own account."
            )

    # ------------------------------------------------------------------ accounts

    async def list_accounts(request: Request, admin: str) -> Response:
        """Accounts by username, keyset-paginated."""
        limit, cursor = _page_params(request)
        records, after = directory.list_accounts(cursor=cursor, limit=limit)
        return _json({"items": [account_json(issuer, r) for r in records], "next_cursor": _cursor(after)})

    async def create_account(request: Request, admin: str) -> Response:
        """A new officer account; its first password is in the answer, once."""
        body = await _body(request, AccountCreate)
        record, password = directory.create_account(
            admin, username=body.username, name=body.name, roles=body.roles, area_codes=body.area_codes
        )
        logger.info("account %s created by %s", record.username, admin)
        out = account_json(issuer, record) | {"initial_password": password}
        response = _json(out, record.version, status=201)
        # Relative, so it holds behind the gateway's `/api` prefix too.
        response.headers["Location"] = "accounts/" + record.username
        return response

    async def read_account(request: Request, admin: str) -> Response:
        record = _account(request.path_params["username"])
        return _json(account_json(issuer, record), record.version)

    async def change_account(request: Request, admin: str) -> Response:
        """Change the display name, the roles or the area codes (each optional; If-Match required).

        The officer's next token (a new login or a refresh) carries the new roles and area codes."""
        username = request.path_params["username"]
        _account(username)
        version = _if_match(request)
        body = await _body(request, AccountChange)
        if admin == username and body.roles is not None and Role.ADMINISTRATOR not in body.roles:
            _not_self(admin, username, "remove the administrator role from")
        record = directory.update_account(
            admin, username, version, name=body.name, roles=body.roles, area_codes=body.area_codes
        )
        logger.info("account %s changed by %s", username, admin)
        return _json(account_json(issuer, record), record.version)

    def _set_enabled(enabled: bool) -> Handler:
        async def handler(request: Request, admin: str) -> Response:
            username = request.path_params["username"]
            _account(username)
            version = _if_match(request)
            if not enabled:
                _not_self(admin, username, "disable")
            record = directory.touch_account(
                admin, username, version, "account.enabled" if enabled else "account.disabled"
            )
            issuer.state.set_account_enabled(username, enabled=enabled)
            if not enabled:
                # Its refresh tokens stop working at once (they are refused on use anyway).
                issuer.refresh.revoke_sessions(username=username)
            logger.info("account %s %s by %s", username, "enabled" if enabled else "disabled", admin)
            return _json(account_json(issuer, record), record.version)

        return handler

    async def reset_password(request: Request, admin: str) -> Response:
        """A new random password, shown once; the account's sessions end."""
        username = request.path_params["username"]
        _account(username)
        version = _if_match(request)
        record, password = directory.reset_password(admin, username, version)
        issuer.refresh.revoke_sessions(username=username)
        logger.info("password of %s reset by %s", username, admin)
        return _json(account_json(issuer, record) | {"temporary_password": password}, record.version)

    # ------------------------------------------------------------------ partner clients

    def _partner(client_id: str) -> PartnerRecord:
        record = directory.partner(client_id)
        if record is None:
            raise Problem(404, "not_found", "Not found", f"No partner client {client_id!r}.")
        return record

    async def list_partners(request: Request, admin: str) -> Response:
        limit, cursor = _page_params(request)
        records, after = directory.list_partners(cursor=cursor, limit=limit)
        return _json({"items": [partner_json(r) for r in records], "next_cursor": _cursor(after)})

    async def register_partner(request: Request, admin: str) -> Response:
        """A partner client (client credentials); its secret is in the answer, once."""
        body = await _body(request, PartnerCreate)
        record, secret = directory.register_partner(
            admin,
            client_id=body.client_id,
            name=body.name,
            scopes=body.scopes,
            quota_per_minute=body.quota_per_minute,
        )
        logger.info("partner client %s registered by %s", record.client_id, admin)
        response = _json(partner_json(record) | {"client_secret": secret}, record.version, status=201)
        response.headers["Location"] = "partner-clients/" + record.client_id
        return response

    async def read_partner(request: Request, admin: str) -> Response:
        record = _partner(request.path_params["client_id"])
        return _json(partner_json(record), record.version)

    async def change_partner(request: Request, admin: str) -> Response:
        """Change the name, the granted scopes or the quota (requests per minute)."""
        client_id = request.path_params["client_id"]
        _partner(client_id)
        version = _if_match(request)
        body = await _body(request, PartnerChange)
        record = directory.update_partner(
            admin,
            client_id,
            version,
            name=body.name,
            scopes=body.scopes,
            quota_per_minute=body.quota_per_minute,
        )
        return _json(partner_json(record), record.version)

    async def rotate_secret(request: Request, admin: str) -> Response:
        """A new secret, shown once; the old one stops working at once."""
        client_id = request.path_params["client_id"]
        _partner(client_id)
        version = _if_match(request)
        record, secret = directory.rotate_partner_secret(admin, client_id, version)
        logger.info("secret of partner client %s rotated by %s", client_id, admin)
        return _json(partner_json(record) | {"client_secret": secret}, record.version)

    async def revoke_partner(request: Request, admin: str) -> Response:
        """Revoked for good: no token is issued to the client any more."""
        client_id = request.path_params["client_id"]
        _partner(client_id)
        version = _if_match(request)
        record = directory.revoke_partner(admin, client_id, version)
        logger.info("partner client %s revoked by %s", client_id, admin)
        return _json(partner_json(record), record.version)

    # ------------------------------------------------------------------ audit and catalogues

    async def audit_events(request: Request, admin: str) -> Response:
        """The append-only audit log, oldest first (keyset on `seq`)."""
        limit, cursor = _page_params(request)
        after: int | None = None
        if cursor is not None:
            if not cursor.isdigit():
                raise _bad_cursor()
            after = int(cursor)
        events, last = directory.audit_events(cursor=after, limit=limit)
        return _json({"items": events, "next_cursor": _cursor(None if last is None else str(last))})

    async def catalogue(request: Request, admin: str) -> Response:
        """What an administrator may grant: people's roles and partners' scopes."""
        return _json({"roles": [str(r) for r in PEOPLE_ROLES], "partner_scopes": list(PARTNER_SCOPES)})

    routes: list[tuple[str, str, Handler, str]] = [
        ("GET", "/accounts", list_accounts, "identity_accounts"),
        ("POST", "/accounts", create_account, "identity_create_account"),
        ("GET", "/accounts/{username}", read_account, "identity_account"),
        ("PATCH", "/accounts/{username}", change_account, "identity_change_account"),
        ("POST", "/accounts/{username}/disable", _set_enabled(False), "identity_disable_account"),
        ("POST", "/accounts/{username}/enable", _set_enabled(True), "identity_enable_account"),
        ("POST", "/accounts/{username}/reset-password", reset_password, "identity_reset_password"),
        ("GET", "/partner-clients", list_partners, "identity_partners"),
        ("POST", "/partner-clients", register_partner, "identity_register_partner"),
        ("GET", "/partner-clients/{client_id}", read_partner, "identity_partner"),
        ("PATCH", "/partner-clients/{client_id}", change_partner, "identity_change_partner"),
        ("POST", "/partner-clients/{client_id}/rotate-secret", rotate_secret, "identity_rotate_secret"),
        ("POST", "/partner-clients/{client_id}/revoke", revoke_partner, "identity_revoke_partner"),
        ("GET", "/audit-events", audit_events, "identity_audit_events"),
        ("GET", "/catalogue", catalogue, "identity_catalogue"),
    ]
    for method, path, handler, name in routes:
        api.add_api_route(path, guarded(handler), methods=[method], name=name, include_in_schema=False)

    async def elsewhere(request: Request) -> Response:
        """Unknown paths and wrong methods under `/identity/v1` are problems too (404, 405)."""
        here = str(request.scope["path"])
        allowed = sorted({method for method, path, _, _ in routes if _path_matches(api.prefix + path, here)})
        if allowed:
            problem = Problem(
                405, "method_not_allowed", "Method not allowed", "This method is not allowed here."
            )
            response = problem_response(problem, request)
            response.headers["Allow"] = ", ".join(allowed)
            return response
        return problem_response(
            Problem(404, "not_found", "Not found", "No resource lives at this address."), request
        )

    api.add_api_route(
        "/{rest:path}",
        elsewhere,
        methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        include_in_schema=False,
    )
    return api


def _path_matches(template: str, path: str) -> bool:
    regex, _, _ = compile_path(template)
    return regex.match(path) is not None

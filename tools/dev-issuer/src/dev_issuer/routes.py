"""The OIDC endpoints: discovery, JWKS, authorize (login page), token, userinfo, logout."""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from dev_issuer.grants import AuthorizationRequest, Issuer, LoginFailed, OAuthError, UntrustedRedirect
from dev_issuer.pages import SECURITY_HEADERS, error_page, index_page, logged_out_page, login_page
from dev_issuer.seed import ACCOUNTS, CLIENTS, PEOPLE_SCOPES
from dev_issuer.settings import IssuerSettings
from dev_issuer.tokens import InvalidToken

logger = logging.getLogger("dev_issuer")

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
GRANT_TYPES = ("authorization_code", "client_credentials", "refresh_token")
CLAIMS_SUPPORTED = (
    "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp", "auth_time", "nonce",
    "roles", "scope", "area_codes", "name", "preferred_username",
)  # fmt: skip
USERINFO_CLAIMS = ("sub", "name", "preferred_username", "roles", "area_codes")
LOGIN_INVALID = "Tên đăng nhập hoặc mật khẩu không đúng."
LOGIN_LOCKED = "Đăng nhập sai quá nhiều lần. Hãy thử lại sau một phút."
LOGOUT_INVALID = "Yêu cầu đăng xuất không hợp lệ."


class DuplicateParameter(Exception):
    pass


# ---------------------------------------------------------------------- helpers


def single_values(items: list[tuple[str, Any]]) -> dict[str, str]:
    """Request parameters as a dict; OAuth forbids sending one twice, and files are not parameters."""
    values: dict[str, str] = {}
    for name, value in items:
        if name in values:
            raise DuplicateParameter(name)
        if isinstance(value, str):
            values[name] = value
    return values


async def request_params(request: Request, *, query: bool, form: bool) -> dict[str, str]:
    items: list[tuple[str, Any]] = list(request.query_params.multi_items()) if query else []
    if form and request.method == "POST":
        items += list((await request.form()).multi_items())
    return single_values(items)


def with_query(url: str, params: Mapping[str, str | None]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in params.items() if v is not None]
    return urlunsplit(parts._replace(query=urlencode(query)))


def html(content: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(content, status_code=status, headers=SECURITY_HEADERS)


def oauth_error(exc: OAuthError) -> JSONResponse:
    headers = dict(NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="dev-issuer"'
    body = {"error": exc.error, "error_description": exc.description}
    return JSONResponse(body, status_code=exc.status, headers=headers)


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def basic_credentials(request: Request) -> tuple[str, str] | None:
    """HTTP Basic client credentials; RFC 6749 2.3.1 form-encodes both parts before base64."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401) from exc
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise OAuthError("invalid_client", "Malformed HTTP Basic credentials.", 401)
    return unquote_plus(client_id), unquote_plus(secret)


def discovery_document(settings: IssuerSettings) -> dict[str, Any]:
    return {
        "issuer": settings.ISSUER_URL,
        "authorization_endpoint": settings.endpoint("/authorize"),
        "token_endpoint": settings.endpoint("/token"),
        "jwks_uri": settings.endpoint("/jwks"),
        "userinfo_endpoint": settings.endpoint("/userinfo"),
        "end_session_endpoint": settings.endpoint("/logout"),
        "grant_types_supported": list(GRANT_TYPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "subject_types_supported": ["public"],
        "scopes_supported": list(PEOPLE_SCOPES),
        "claims_supported": list(CLAIMS_SUPPORTED),
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "authorization_response_iss_parameter_supported": True,
    }


# ---------------------------------------------------------------------- authorize


def _redirect_error(issuer: Issuer, params: Mapping[str, str], exc: OAuthError) -> Response:
    """Back to the client with the error; only once its client_id and redirect_uri were checked."""
    error = {
        "error": exc.error,
        "error_description": exc.description,
        "state": params.get("state"),
        "iss": issuer.settings.ISSUER_URL,
    }
    return RedirectResponse(with_query(params["redirect_uri"], error), status_code=302, headers=NO_STORE)


def _login_form(
    issuer: Issuer, auth: AuthorizationRequest, username: str = "", error: str | None = None
) -> Response:
    page = login_page(
        action=issuer.settings.endpoint("/authorize"),
        client_name=auth.client.name,
        fields=auth.hidden_fields(),
        accounts=ACCOUNTS.values(),
        username=username,
        error=error,
    )
    return html(page)


async def authorize(issuer: Issuer, request: Request) -> Response:
    """GET shows the login page; POST checks the password and sends the browser back with a code."""
    try:
        params = await request_params(request, query=request.method == "GET", form=True)
    except DuplicateParameter as exc:
        return html(error_page(f"Tham số {exc} bị gửi nhiều lần."), 400)
    try:
        auth = issuer.authorization_request(params)
    except UntrustedRedirect as exc:
        return html(error_page(str(exc)), 400)
    except OAuthError as exc:
        return _redirect_error(issuer, params, exc)
    if request.method == "GET":
        return _login_form(issuer, auth, username=params.get("login_hint", ""))

    username = params.get("username", "").strip()
    try:
        account = issuer.login(username, params.get("password", ""))
    except LoginFailed as exc:
        logger.info(
            "login failed for %s",
            f"account {username}" if issuer.directory.account(username) else "a username",
        )
        await asyncio.sleep(issuer.login_failure_delay_s)
        return _login_form(
            issuer, auth, username=username, error=LOGIN_LOCKED if exc.locked else LOGIN_INVALID
        )
    code = issuer.issue_code(auth, account)
    logger.info("login: account %s, client %s", account.username, auth.client.client_id)
    back = {"code": code, "state": auth.state, "iss": issuer.settings.ISSUER_URL}
    return RedirectResponse(with_query(auth.redirect_uri, back), status_code=303, headers=NO_STORE)


# ---------------------------------------------------------------------- token


async def _token_response(issuer: Issuer, request: Request) -> tuple[str, dict[str, Any]]:
    try:
        params = await request_params(request, query=False, form=True)
    except DuplicateParameter as exc:
        raise OAuthError("invalid_request", f"The parameter {exc} was sent more than once.") from exc
    grant_type = params.get("grant_type", "")
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is required.")
    if grant_type not in GRANT_TYPES:
        raise OAuthError("unsupported_grant_type", f"Unsupported grant_type {grant_type!r}.")
    client_id, secret = params.get("client_id"), params.get("client_secret")
    basic = basic_credentials(request)
    if basic is not None:
        if secret is not None:
            raise OAuthError("invalid_request", "Use one client authentication method, not two.")
        if client_id is not None and client_id != basic[0]:
            raise OAuthError("invalid_request", "client_id differs from the authenticated client.")
        client_id, secret = basic
    client = issuer.authenticate(client_id, secret, grant_type)
    if grant_type == "authorization_code":
        body = issuer.authorization_code_grant(
            client,
            code=params.get("code", ""),
            redirect_uri=params.get("redirect_uri", ""),
            code_verifier=params.get("code_verifier", ""),
        )
    elif grant_type == "refresh_token":
        body = issuer.refresh_token_grant(
            client, refresh_token=params.get("refresh_token", ""), scope=params.get("scope")
        )
    else:
        body = issuer.client_credentials_grant(
            client, audience=params.get("audience") or None, scope=params.get("scope")
        )
    return client.client_id, body


async def token(issuer: Issuer, request: Request) -> Response:
    try:
        client_id, body = await _token_response(issuer, request)
    except OAuthError as exc:
        logger.info("token refused: %s", exc.error)
        return oauth_error(exc)
    logger.info("token issued to client %s", client_id)
    return JSONResponse(body, headers=NO_STORE)


# ---------------------------------------------------------------------- userinfo and logout


def userinfo(issuer: Issuer, request: Request) -> Response:
    raw = bearer_token(request)
    try:
        if raw is None:
            raise InvalidToken("A bearer access token is required.")
        claims = issuer.minter.verify(raw)
        username = str(claims.get("preferred_username", ""))
        if issuer.directory.account(username) and not issuer.state.account_enabled(username):
            raise InvalidToken("The account is disabled.")
        if not issuer.state.client_enabled(str(claims.get("azp"))):
            raise InvalidToken("The client is disabled.")
    except InvalidToken as exc:
        return JSONResponse(
            {"error": "invalid_token", "error_description": str(exc)},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"', **NO_STORE},
        )
    return JSONResponse({k: claims[k] for k in USERINFO_CLAIMS if k in claims}, headers=NO_STORE)


async def logout(issuer: Issuer, request: Request) -> Response:
    """RP-initiated logout: ends the refresh-token sessions the ID token names, then goes back."""
    try:
        params = await request_params(request, query=True, form=True)
    except DuplicateParameter:
        return html(error_page(LOGOUT_INVALID), 400)
    client_id = params.get("client_id")
    hint = params.get("id_token_hint")
    if hint:
        try:
            claims = issuer.minter.verify(hint, typ="ID", verify_exp=False)
        except InvalidToken:
            return html(error_page(LOGOUT_INVALID), 400)
        if client_id is not None and client_id != claims.get("azp"):
            return html(error_page(LOGOUT_INVALID), 400)
        client_id = str(claims.get("azp"))
        issuer.refresh.revoke_sessions(username=str(claims.get("preferred_username")), client_id=client_id)
    target = params.get("post_logout_redirect_uri")
    client = CLIENTS.get(client_id or "")
    if target and client is not None and client.allows_redirect(target):
        return RedirectResponse(with_query(target, {"state": params.get("state")}), status_code=302)
    return html(logged_out_page())


# ---------------------------------------------------------------------- the router


def router(issuer: Issuer) -> APIRouter:
    api = APIRouter()

    @api.get("/.well-known/openid-configuration")
    async def discovery_route() -> dict[str, Any]:
        return discovery_document(issuer.settings)

    @api.get("/jwks")
    async def jwks_route() -> JSONResponse:
        return JSONResponse(issuer.keys.jwks(), headers={"Cache-Control": "public, max-age=60"})

    @api.api_route("/authorize", methods=["GET", "POST"])
    async def authorize_route(request: Request) -> Response:
        return await authorize(issuer, request)

    @api.post("/token")
    async def token_route(request: Request) -> Response:
        return await token(issuer, request)

    @api.api_route("/userinfo", methods=["GET", "POST"])
    async def userinfo_route(request: Request) -> Response:
        return userinfo(issuer, request)

    @api.api_route("/logout", methods=["GET", "POST"])
    async def logout_route(request: Request) -> Response:
        return await logout(issuer, request)

    @api.get("/")
    async def index_route() -> Response:
        return html(index_page(issuer.settings.endpoint("/.well-known/openid-configuration")))

    @api.get("/healthz")
    async def healthz_route() -> dict[str, str]:
        return {"status": "ok"}

    return api

"""The OAuth 2.0 / OIDC rules, free of HTTP: authorization requests, the three grants, client checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dev_issuer.directory import Directory
from dev_issuer.keys import KeyStore
from dev_issuer.seed import CLIENTS, PEOPLE_SCOPES, Account, Client, client_secret
from dev_issuer.settings import IssuerSettings
from dev_issuer.store import (
    CodeStore,
    LoginThrottle,
    RefreshGrant,
    RefreshStore,
    RefreshTokenError,
    StateFile,
)
from dev_issuer.tokens import Minter

# RFC 7636: the verifier is 43-128 unreserved characters; an S256 challenge is 43 base64url characters.
VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
CHALLENGE_RE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


class OAuthError(Exception):
    """An RFC 6749 error: `error` code, a description, and the HTTP status for the token endpoint."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class UntrustedRedirect(Exception):
    """The client or redirect URI cannot be trusted: show an error page, never redirect."""


class LoginFailed(Exception):
    def __init__(self, *, locked: bool) -> None:
        super().__init__("locked" if locked else "invalid")
        self.locked = locked


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    client: Client
    redirect_uri: str
    state: str | None
    scope: str
    code_challenge: str
    nonce: str | None

    def hidden_fields(self) -> dict[str, str]:
        """What the login form carries back, so POST /authorize checks the same request again."""
        fields = {
            "response_type": "code",
            "client_id": self.client.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": self.scope,
            "code_challenge": self.code_challenge,
            "code_challenge_method": "S256",
        }
        if self.state is not None:
            fields["state"] = self.state
        if self.nonce is not None:
            fields["nonce"] = self.nonce
        return fields


class Issuer:
    """Everything the routes and the CLI share: settings, keys, persisted state and in-memory grants."""

    def __init__(self, settings: IssuerSettings, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self.keys = KeyStore(settings.DATA_DIR / "keys", retention_s=settings.KEY_RETENTION_S, clock=clock)
        self.state = StateFile(settings.DATA_DIR / "state.json")
        self.directory = Directory(settings.DATA_DIR, clock)
        self.directory.ensure_initial_data()
        self.codes = CodeStore(clock)
        self.refresh = RefreshStore(clock, settings.REFRESH_TTL_S)
        self.throttle = LoginThrottle(clock)
        self.minter = Minter(settings, self.keys, clock)
        # A wrong password costs the guesser this long (tests shorten it).
        self.login_failure_delay_s = 0.5

    # ------------------------------------------------------------------ authorization endpoint

    def authorization_request(self, params: Mapping[str, str]) -> AuthorizationRequest:
        """Check an authorization request. UntrustedRedirect: show a page; OAuthError: redirect with it."""
        client = CLIENTS.get(params.get("client_id", ""))
        if client is None or not client.public:
            raise UntrustedRedirect("Ứng dụng không được đăng ký với máy chủ đăng nhập này.")
        redirect_uri = params.get("redirect_uri", "")
        if not client.allows_redirect(redirect_uri):
            raise UntrustedRedirect(
                "Địa chỉ chuyển hướng (redirect_uri) không được đăng ký cho ứng dụng này."
            )
        if not self.state.client_enabled(client.client_id):
            raise UntrustedRedirect("Ứng dụng này đã bị vô hiệu hoá.")
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        challenge = params.get("code_challenge", "")
        if not challenge:
            raise OAuthError("invalid_request", "PKCE is required: send code_challenge with S256.")
        if params.get("code_challenge_method") != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256; plain is refused.")
        if not CHALLENGE_RE.match(challenge):
            raise OAuthError("invalid_request", "code_challenge is not an S256 challenge.")
        requested = params.get("scope", "").split() or list(PEOPLE_SCOPES)
        unknown = sorted(set(requested) - set(PEOPLE_SCOPES))
        if unknown:
            raise OAuthError("invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
        if params.get("prompt") == "none":
            # The dev issuer keeps no browser session, so a silent request always needs a login.
            raise OAuthError("login_required", "The user must log in.")
        return AuthorizationRequest(
            client=client,
            redirect_uri=redirect_uri,
            state=params.get("state"),
            scope=" ".join(s for s in PEOPLE_SCOPES if s in requested),
            code_challenge=challenge,
            nonce=params.get("nonce") or None,
        )

    def login(self, username: str, password: str) -> Account:
        """The account, when the password is right, the account enabled and the username not locked."""
        if self.throttle.locked(username):
            raise LoginFailed(locked=True)
        account = self.directory.account(username)
        demo_password = self.settings.DEMO_PASSWORD.get_secret_value()
        password_ok = self.directory.password_ok(username, password, demo_password)
        if account is None or not password_ok or not self.state.account_enabled(account.username):
            self.throttle.failed(username)
            raise LoginFailed(locked=False)
        self.throttle.succeeded(username)
        return account

    def issue_code(self, request: AuthorizationRequest, account: Account) -> str:
        return self.codes.issue(
            client_id=request.client.client_id,
            redirect_uri=request.redirect_uri,
            code_challenge=request.code_challenge,
            username=account.username,
            scope=request.scope,
            nonce=request.nonce,
        )

    # ------------------------------------------------------------------ token endpoint

    def authenticate(self, client_id: str | None, secret: str | None, grant_type: str) -> Client:
        client = CLIENTS.get(client_id or "")
        if client is None:
            return self._authenticate_partner(client_id, secret, grant_type)
        if not client.public:
            expected = client_secret(self.settings.SEED_SECRET.get_secret_value(), client.client_id)
            if secret is None or not hmac.compare_digest(secret.encode(), expected.encode()):
                raise OAuthError("invalid_client", "Client authentication failed.", 401)
        if not self.state.client_enabled(client.client_id):
            raise OAuthError("invalid_client", "The client is disabled.", 401)
        if grant_type not in client.grant_types:
            raise OAuthError("unauthorized_client", f"This client may not use the {grant_type} grant.")
        return client

    def _authenticate_partner(self, client_id: str | None, secret: str | None, grant_type: str) -> Client:
        """A partner client an administrator registered; a revoked one gets no token any more."""
        record = self.directory.partner(client_id or "")
        if record is None or secret is None or not self.directory.partner_secret_ok(record, secret):
            raise OAuthError("invalid_client", "Client authentication failed.", 401)
        if record.revoked:
            raise OAuthError("invalid_client", "The client is revoked.", 401)
        if grant_type != "client_credentials":
            raise OAuthError("unauthorized_client", f"This client may not use the {grant_type} grant.")
        return record.client

    def _enabled_account(self, username: str) -> Account:
        """The account as administered now: a refresh picks up changed roles and area codes."""
        account = self.directory.account(username)
        if account is None or not self.state.account_enabled(username):
            raise OAuthError("invalid_grant", "The account is disabled.")
        return account

    def _person_tokens(
        self,
        client: Client,
        account: Account,
        grant: RefreshGrant,
        refresh_token: str,
        nonce: str | None,
        scope: str | None = None,
    ) -> dict[str, Any]:
        """Access, refresh and ID tokens. A refresh may narrow the access token's scope (`scope`);
        the refresh token keeps the scope of the login (RFC 6749 section 6)."""
        scope = " ".join(s for s in grant.scope.split() if s in scope.split()) if scope else grant.scope
        access, expires_in = self.minter.person_access_token(
            account, client_id=client.client_id, scope=scope, audience=account.audiences
        )
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": expires_in,
            "refresh_token": refresh_token,
            "refresh_expires_in": max(0, int(grant.expires_at - self.clock())),
            "scope": scope,
        }
        if "openid" in scope.split():
            body["id_token"] = self.minter.id_token(
                account,
                client_id=client.client_id,
                nonce=nonce,
                auth_time=grant.auth_time,
                access_token=access,
            )
        return body

    def authorization_code_grant(
        self, client: Client, *, code: str, redirect_uri: str, code_verifier: str
    ) -> dict[str, Any]:
        if not code or not redirect_uri or not code_verifier:
            raise OAuthError("invalid_request", "code, redirect_uri and code_verifier are required.")
        grant, replayed_family = self.codes.take(code)
        if grant is None:
            if replayed_family is not None:
                self.refresh.revoke(replayed_family)
            raise OAuthError("invalid_grant", "The code is invalid, expired or already used.")
        if grant.expires_at <= self.clock():
            raise OAuthError("invalid_grant", "The code is invalid, expired or already used.")
        if grant.client_id != client.client_id:
            raise OAuthError("invalid_grant", "The code was issued to another client.")
        if grant.redirect_uri != redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri does not match the authorization request.")
        if not VERIFIER_RE.match(code_verifier) or not hmac.compare_digest(
            s256(code_verifier), grant.code_challenge
        ):
            raise OAuthError("invalid_grant", "The code_verifier does not match the code_challenge.")
        account = self._enabled_account(grant.username)
        refresh_token, refresh_grant = self.refresh.start(
            client_id=client.client_id,
            username=account.username,
            scope=grant.scope,
            auth_time=grant.auth_time,
        )
        self.codes.record_family(code, refresh_grant.family)
        return self._person_tokens(client, account, refresh_grant, refresh_token, grant.nonce)

    def refresh_token_grant(self, client: Client, *, refresh_token: str, scope: str | None) -> dict[str, Any]:
        if not refresh_token:
            raise OAuthError("invalid_request", "refresh_token is required.")
        try:
            grant = self.refresh.use(refresh_token, client_id=client.client_id, scope=scope)
        except RefreshTokenError as exc:
            raise OAuthError(exc.error, str(exc)) from exc
        try:
            account = self._enabled_account(grant.username)
        except OAuthError:
            self.refresh.revoke(grant.family)
            raise
        successor = self.refresh.rotate(grant)
        return self._person_tokens(client, account, grant, successor, nonce=None, scope=scope or None)

    def client_credentials_grant(
        self, client: Client, *, audience: str | None, scope: str | None
    ) -> dict[str, Any]:
        if audience is not None and audience not in client.audiences:
            raise OAuthError("invalid_target", f"This client may not request the audience {audience!r}.")
        requested = scope.split() if scope else list(client.scopes)
        unknown = sorted(set(requested) - set(client.scopes))
        if unknown:
            raise OAuthError("invalid_scope", f"This client may not request: {' '.join(unknown)}.")
        granted = " ".join(requested)
        access, expires_in = self.minter.machine_access_token(
            client, scope=granted, audience=audience or client.audiences
        )
        return {"access_token": access, "token_type": "Bearer", "expires_in": expires_in, "scope": granted}

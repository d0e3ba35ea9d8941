"""What the issuer remembers.

Persisted (DATA_DIR/state.json, shared with the CLI): which clients and accounts are disabled.
In memory (lost on restart, which only logs people out): authorization codes, refresh-token families
and the login-failure counter. Codes and refresh tokens are kept by their SHA-256, never in clear.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dev_issuer.files import file_lock, write_private

CODE_TTL_S = 60
LOGIN_MAX_FAILURES = 5
LOGIN_LOCKOUT_S = 60


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class StateFile:
    """Disabled clients and accounts; read on every check so a CLI change applies at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = path.with_name(path.name + ".lock")

    def _read(self) -> dict[str, list[str]]:
        try:
            data: dict[str, Any] = json.loads(self.path.read_text())
        except FileNotFoundError:
            data = {}
        return {
            "disabled_clients": sorted(data.get("disabled_clients", [])),
            "disabled_accounts": sorted(data.get("disabled_accounts", [])),
        }

    def _set(self, key: str, name: str, *, enabled: bool) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with file_lock(self._lock):
            data = self._read()
            names = set(data[key])
            if enabled:
                names.discard(name)
            else:
                names.add(name)
            data[key] = sorted(names)
            write_private(self.path, json.dumps(data, indent=2).encode())

    def client_enabled(self, client_id: str) -> bool:
        return client_id not in self._read()["disabled_clients"]

    def account_enabled(self, username: str) -> bool:
        return username not in self._read()["disabled_accounts"]

    def set_client_enabled(self, client_id: str, *, enabled: bool) -> None:
        self._set("disabled_clients", client_id, enabled=enabled)

    def set_account_enabled(self, username: str, *, enabled: bool) -> None:
        self._set("disabled_accounts", username, enabled=enabled)


@dataclass(frozen=True, slots=True)
class AuthorizationCode:
    client_id: str
    redirect_uri: str
    code_challenge: str
    username: str
    scope: str
    nonce: str | None
    auth_time: int
    expires_at: float


@dataclass
class _SpentCode:
    expires_at: float
    family: str | None = None


class CodeStore:
    """Single-use codes. A second use of a code revokes the refresh tokens the first one obtained."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._live: dict[str, AuthorizationCode] = {}
        self._spent: dict[str, _SpentCode] = {}

    def _sweep(self) -> None:
        now = self.clock()
        self._live = {k: v for k, v in self._live.items() if v.expires_at > now}
        self._spent = {k: v for k, v in self._spent.items() if v.expires_at > now}

    def issue(
        self,
        *,
        client_id: str,
        redirect_uri: str,
        code_challenge: str,
        username: str,
        scope: str,
        nonce: str | None,
    ) -> str:
        self._sweep()
        now = self.clock()
        code = new_secret()
        self._live[_digest(code)] = AuthorizationCode(
            client_id, redirect_uri, code_challenge, username, scope, nonce, int(now), now + CODE_TTL_S
        )
        return code

    def take(self, code: str) -> tuple[AuthorizationCode | None, str | None]:
        """The code's grant, consumed; or None and, for a reused code, the family its first use got."""
        self._sweep()
        key = _digest(code)
        grant = self._live.pop(key, None)
        if grant is not None:
            # Kept until the code would have expired, to recognise a replay.
            self._spent[key] = _SpentCode(grant.expires_at)
            return grant, None
        spent = self._spent.get(key)
        return None, spent.family if spent else None

    def record_family(self, code: str, family: str) -> None:
        spent = self._spent.get(_digest(code))
        if spent is not None:
            spent.family = family


@dataclass(frozen=True, slots=True)
class RefreshGrant:
    family: str
    client_id: str
    username: str
    scope: str
    auth_time: int
    expires_at: float


@dataclass
class _Family:
    expires_at: float
    revoked: bool = False
    live: str | None = None  # the digest of the one usable token
    spent: set[str] = field(default_factory=set)


class RefreshTokenError(Exception):
    def __init__(self, description: str, error: str = "invalid_grant") -> None:
        super().__init__(description)
        self.error = error


class RefreshStore:
    """Rotating refresh tokens: each is single-use; presenting a spent one revokes its whole family.

    A family is one login; it ends REFRESH_TTL_S after that login, however often it is refreshed.
    """

    def __init__(self, clock: Callable[[], float], ttl_s: int) -> None:
        self.clock = clock
        self.ttl_s = ttl_s
        self._families: dict[str, _Family] = {}
        self._grants: dict[str, RefreshGrant] = {}  # token digest -> grant (live and spent)

    def _sweep(self) -> None:
        now = self.clock()
        dead = {f for f, fam in self._families.items() if fam.expires_at <= now}
        if dead:
            self._families = {f: fam for f, fam in self._families.items() if f not in dead}
            self._grants = {t: g for t, g in self._grants.items() if g.family not in dead}

    def _add(self, grant: RefreshGrant) -> str:
        token = new_secret()
        key = _digest(token)
        self._grants[key] = grant
        self._families[grant.family].live = key
        return token

    def start(self, *, client_id: str, username: str, scope: str, auth_time: int) -> tuple[str, RefreshGrant]:
        self._sweep()
        family = new_secret()
        expires_at = self.clock() + self.ttl_s
        self._families[family] = _Family(expires_at)
        grant = RefreshGrant(family, client_id, username, scope, auth_time, expires_at)
        return self._add(grant), grant

    def use(self, token: str, *, client_id: str, scope: str | None = None) -> RefreshGrant:
        """Spend a refresh token; raises RefreshTokenError when it cannot be used (again).

        A `scope` asked for must lie within the token's; a wider one is refused before anything is spent.
        """
        self._sweep()
        key = _digest(token)
        grant = self._grants.get(key)
        family = self._families.get(grant.family) if grant else None
        if grant is None or family is None:
            raise RefreshTokenError("The refresh token is unknown or expired.")
        if grant.client_id != client_id:
            raise RefreshTokenError("The refresh token was issued to another client.")
        if family.revoked:
            raise RefreshTokenError("The refresh token has been revoked.")
        if family.live != key:
            self.revoke(grant.family)
            raise RefreshTokenError("The refresh token was already used; its session has been revoked.")
        if scope and not set(scope.split()) <= set(grant.scope.split()):
            raise RefreshTokenError("A refresh cannot widen the scope.", "invalid_scope")
        family.live = None
        family.spent.add(key)
        return grant

    def rotate(self, grant: RefreshGrant) -> str:
        """The successor of a token just spent with `use`."""
        return self._add(grant)

    def revoke(self, family: str) -> None:
        fam = self._families.get(family)
        if fam is not None:
            fam.revoked = True
            fam.live = None

    def revoke_sessions(self, *, username: str, client_id: str | None = None) -> None:
        for grant in list(self._grants.values()):
            if grant.username == username and client_id in (None, grant.client_id):
                self.revoke(grant.family)


class LoginThrottle:
    """After LOGIN_MAX_FAILURES wrong passwords in a row, a username is refused for LOGIN_LOCKOUT_S."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._failures: dict[str, tuple[int, float]] = {}

    def locked(self, username: str) -> bool:
        count, last = self._failures.get(username, (0, 0.0))
        if count >= LOGIN_MAX_FAILURES and self.clock() - last < LOGIN_LOCKOUT_S:
            return True
        if count >= LOGIN_MAX_FAILURES:
            self._failures.pop(username, None)
        return False

    def failed(self, username: str) -> None:
        if len(self._failures) > 10_000:  # bounded: usernames are attacker-chosen
            self._failures.clear()
        count, _ = self._failures.get(username, (0, 0.0))
        self._failures[username] = (count + 1, self.clock())

    def succeeded(self, username: str) -> None:
        self._failures.pop(username, None)

"""The administered directory: officer accounts, registered partner clients and the audit log.

Persisted in DATA_DIR (shared with the CLI, read on every check so a change applies at once):
- `accounts.json`: officer accounts (name, roles, area codes, password hash or none = the demo password,
  version). Created from the seeded accounts (`seed.ACCOUNTS`) the first time it is read: seeded
  accounts are initial data, administered like any other afterwards.
- `partner-clients.json`: partner clients registered by administrators (scopes, quota, the SHA-256 of
  the secret, never the secret; revoked or not). The seeded clients stay in `seed.CLIENTS`.
- `audit.jsonl`: the append-only audit log, one JSON object a line, numbered by `seq`. No password,
  secret or token is ever written to it.
Whether an account is disabled stays in `state.json` (`store.StateFile`), as before.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from dev_issuer.files import file_lock, write_private
from dev_issuer.seed import (
    ACCOUNTS,
    CLIENTS,
    PROVINCE,
    SERVICES,
    Account,
    Client,
    Role,
)

# The roles an administrator may give a person (machines' roles belong to clients).
PEOPLE_ROLES = (
    Role.PROVINCE_OFFICER,
    Role.COMMUNE_OFFICER,
    Role.FINANCE_OFFICER,
    Role.INSPECTOR,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)
# What an administrator may grant a partner client (read-only, aggregated or published data).
PARTNER_SCOPES = (
    "registry:projects:read",
    "registry:targets:read",
    "registry:statistics:read",
    "registry:events:read",
    "funding:statistics:read",
    "funding:events:read",
    "inspection:events:read",
)
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
CLIENT_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")
# Decision 19/2025/QĐ-TTg: 2-digit province codes, 5-digit commune codes.
AREA_CODE_RE = re.compile(r"^(\d{2}|\d{5})$")
T = TypeVar("T")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def _now_iso(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), UTC).isoformat().replace("+00:00", "Z")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    scheme, _, rest = stored.partition("$")
    salt_hex, _, digest_hex = rest.partition("$")
    if scheme != "scrypt" or not salt_hex or not digest_hex:
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), **_SCRYPT)
    return hmac.compare_digest(digest.hex(), digest_hex)


def secret_digest(secret: str) -> str:
    """Partner secrets are 256-bit random strings: a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(secret.encode()).hexdigest()


class DirectoryError(Exception):
    """A refused change: `code` is stable, `status` the HTTP status the API answers with."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


class NotFound(DirectoryError):
    def __init__(self, what: str) -> None:
        super().__init__(404, "not_found", f"No {what}.")


class VersionMismatch(DirectoryError):
    def __init__(self) -> None:
        super().__init__(412, "precondition_failed", "The record changed since it was read (ETag).")


@dataclass(frozen=True, slots=True)
class AccountRecord:
    username: str
    name: str
    roles: tuple[str, ...]
    area_codes: tuple[str, ...]
    version: int
    created_at: str
    updated_at: str
    password_hash: str | None = None

    @property
    def account(self) -> Account:
        return Account(self.username, self.name, self.roles, self.area_codes)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": list(self.roles),
            "area_codes": list(self.area_codes),
            "version": self.version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "password_hash": self.password_hash,
        }

    @classmethod
    def from_json(cls, username: str, data: dict[str, Any]) -> AccountRecord:
        return cls(
            username=username,
            name=str(data["name"]),
            roles=tuple(data["roles"]),
            area_codes=tuple(data["area_codes"]),
            version=int(data["version"]),
            created_at=str(data["created_at"]),
            updated_at=str(data["updated_at"]),
            password_hash=data.get("password_hash"),
        )


@dataclass(frozen=True, slots=True)
class PartnerRecord:
    client_id: str
    name: str
    scopes: tuple[str, ...]
    quota_per_minute: int
    secret_sha256: str
    revoked: bool
    version: int
    created_at: str
    updated_at: str
    secret_rotated_at: str

    @property
    def client(self) -> Client:
        """The client the token endpoint authenticates: a partner reading the whole province."""
        return Client(
            self.client_id,
            self.name,
            public=False,
            roles=(Role.PARTNER,),
            scopes=self.scopes,
            area_codes=(PROVINCE,),
            audiences=SERVICES,
            quota_per_minute=self.quota_per_minute,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "scopes": list(self.scopes),
            "quota_per_minute": self.quota_per_minute,
            "secret_sha256": self.secret_sha256,
            "revoked": self.revoked,
            "version": self.version,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "secret_rotated_at": self.secret_rotated_at,
        }

    @classmethod
    def from_json(cls, client_id: str, data: dict[str, Any]) -> PartnerRecord:
        return cls(
            client_id=client_id,
            name=str(data["name"]),
            scopes=tuple(data["scopes"]),
            quota_per_minute=int(data["quota_per_minute"]),
            secret_sha256=str(data["secret_sha256"]),
            revoked=bool(data["revoked"]),
            version=int(data["version"]),
            created_at=str(data["created_at"]),
            updated_at=str(data["updated_at"]),
            secret_rotated_at=str(data["secret_rotated_at"]),
        )


def _page(
    items: Sequence[T], key: Callable[[T], str], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """Keyset page of items sorted by `key`: those after `cursor`, and the next cursor if more remain."""
    after = [i for i in items if cursor is None or key(i) > cursor]
    page = after[:limit]
    return page, (key(page[-1]) if len(after) > limit and page else None)


class Directory:
    def __init__(self, data_dir: Path, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.accounts_path = data_dir / "accounts.json"
        self.partners_path = data_dir / "partner-clients.json"
        self.audit_path = data_dir / "audit.jsonl"
        self._lock = data_dir / "directory.lock"
        self._data_dir = data_dir

    # ------------------------------------------------------------------ files

    def ensure_initial_data(self) -> None:
        """Write the seeded accounts as the store's initial data, once (the server and the CLI call it)."""
        if self.accounts_path.exists():
            return
        self._ensure_dir()
        with file_lock(self._lock):
            if not self.accounts_path.exists():
                self._write_accounts(self._initial_accounts())

    def _ensure_dir(self) -> None:
        self._data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _initial_accounts(self) -> dict[str, AccountRecord]:
        now = _now_iso(self.clock)
        return {
            a.username: AccountRecord(a.username, a.name, a.roles, a.area_codes, 1, now, now)
            for a in ACCOUNTS.values()
        }

    def _read_accounts(self) -> dict[str, AccountRecord]:
        try:
            data: dict[str, Any] = json.loads(self.accounts_path.read_text())
        except FileNotFoundError:
            return self._initial_accounts()
        return {u: AccountRecord.from_json(u, v) for u, v in data.get("accounts", {}).items()}

    def _write_accounts(self, accounts: dict[str, AccountRecord]) -> None:
        body = {"accounts": {u: accounts[u].to_json() for u in sorted(accounts)}}
        write_private(self.accounts_path, json.dumps(body, indent=2, ensure_ascii=False).encode())

    def _read_partners(self) -> dict[str, PartnerRecord]:
        try:
            data: dict[str, Any] = json.loads(self.partners_path.read_text())
        except FileNotFoundError:
            return {}
        return {c: PartnerRecord.from_json(c, v) for c, v in data.get("clients", {}).items()}

    def _write_partners(self, partners: dict[str, PartnerRecord]) -> None:
        body = {"clients": {c: partners[c].to_json() for c in sorted(partners)}}
        write_private(self.partners_path, json.dumps(body, indent=2, ensure_ascii=False).encode())

    def _last_seq(self) -> int:
        last = 0
        for event in self._events():
            last = int(event["seq"])
        return last

    def _events(self) -> Iterator[dict[str, Any]]:
        try:
            with self.audit_path.open(encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        yield json.loads(line)
        except FileNotFoundError:
            return

    def _audit(
        self, actor: str, action: str, target_type: str, target_id: str, details: dict[str, Any]
    ) -> None:
        """Append one event (the caller holds the lock). Opened in append mode: never rewritten."""
        event = {
            "seq": self._last_seq() + 1,
            "at": _now_iso(self.clock),
            "actor": actor,
            "action": action,
            "target_type": target_type,
            "target_id": target_id,
            "details": details,
        }
        fd_path = self.audit_path
        with fd_path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")
        fd_path.chmod(0o600)

    # ------------------------------------------------------------------ accounts: reads

    def account_record(self, username: str) -> AccountRecord | None:
        return self._read_accounts().get(username)

    def account(self, username: str) -> Account | None:
        record = self.account_record(username)
        return record.account if record else None

    def accounts(self) -> list[Account]:
        return [r.account for _, r in sorted(self._read_accounts().items())]

    def list_accounts(self, *, cursor: str | None, limit: int) -> tuple[list[AccountRecord], str | None]:
        records = [r for _, r in sorted(self._read_accounts().items())]
        return _page(records, lambda r: r.username, cursor, limit)

    def password_ok(self, username: str, password: str, demo_password: str) -> bool:
        """Seeded accounts keep the demo password until an administrator resets it."""
        record = self.account_record(username)
        if record is None:
            return False
        if record.password_hash is None:
            return hmac.compare_digest(password.encode(), demo_password.encode())
        return check_password(password, record.password_hash)

    # ------------------------------------------------------------------ accounts: changes

    def _change_account(
        self,
        actor: str,
        username: str,
        expected_version: int | None,
        action: str,
        change: Callable[[AccountRecord], tuple[AccountRecord, dict[str, Any]]],
    ) -> AccountRecord:
        self._ensure_dir()
        with file_lock(self._lock):
            accounts = self._read_accounts()
            record = accounts.get(username)
            if record is None:
                raise NotFound(f"account {username!r}")
            if expected_version is not None and record.version != expected_version:
                raise VersionMismatch()
            updated, details = change(record)
            updated = _replace_account(updated, version=record.version + 1, updated_at=_now_iso(self.clock))
            accounts[username] = updated
            self._write_accounts(accounts)
            self._audit(actor, action, "account", username, details)
            return updated

    def create_account(
        self, actor: str, *, username: str, name: str, roles: Sequence[str], area_codes: Sequence[str]
    ) -> tuple[AccountRecord, str]:
        """The new account and its first password (shown once; stored only as a hash)."""
        self._ensure_dir()
        password = secrets.token_urlsafe(12)
        with file_lock(self._lock):
            accounts = self._read_accounts()
            if username in accounts:
                raise DirectoryError(409, "account_exists", f"The username {username!r} is taken.")
            now = _now_iso(self.clock)
            record = AccountRecord(
                username, name, tuple(roles), tuple(area_codes), 1, now, now, hash_password(password)
            )
            accounts[username] = record
            self._write_accounts(accounts)
            self._audit(
                actor,
                "account.created",
                "account",
                username,
                {"name": name, "roles": list(roles), "area_codes": list(area_codes)},
            )
        return record, password

    def update_account(
        self,
        actor: str,
        username: str,
        expected_version: int | None,
        *,
        name: str | None = None,
        roles: Sequence[str] | None = None,
        area_codes: Sequence[str] | None = None,
    ) -> AccountRecord:
        def change(record: AccountRecord) -> tuple[AccountRecord, dict[str, Any]]:
            details: dict[str, Any] = {}
            fields: dict[str, Any] = {}
            for field, value in (("name", name), ("roles", roles), ("area_codes", area_codes)):
                if value is None:
                    continue
                new = value if isinstance(value, str) else tuple(value)
                old = getattr(record, field)
                if new != old:
                    fields[field] = new
                    details[field] = {
                        "from": old if isinstance(old, str) else list(old),
                        "to": new if isinstance(new, str) else list(new),
                    }
            return _replace_account(record, **fields), details

        return self._change_account(actor, username, expected_version, "account.updated", change)

    def touch_account(
        self, actor: str, username: str, expected_version: int | None, action: str
    ) -> AccountRecord:
        """Record an action on the account (disable, enable) and bump its version."""
        return self._change_account(actor, username, expected_version, action, lambda r: (r, {}))

    def reset_password(
        self, actor: str, username: str, expected_version: int | None
    ) -> tuple[AccountRecord, str]:
        password = secrets.token_urlsafe(12)
        digest = hash_password(password)
        record = self._change_account(
            actor,
            username,
            expected_version,
            "account.password_reset",
            lambda r: (_replace_account(r, password_hash=digest), {}),
        )
        return record, password

    def move_areas(self, actor: str, *, old: Sequence[str], new: str, dry_run: bool) -> list[dict[str, Any]]:
        """Communes merged: every account covering one of `old` covers `new` instead (once).

        Returns the changes (username, from, to); nothing is written on a dry run.
        """
        self._ensure_dir()
        old_set = set(old)
        with file_lock(self._lock):
            accounts = self._read_accounts()
            changes: list[dict[str, Any]] = []
            for username, record in sorted(accounts.items()):
                if not old_set & set(record.area_codes):
                    continue
                moved: list[str] = []
                for code in record.area_codes:
                    target = new if code in old_set else code
                    if target not in moved:
                        moved.append(target)
                changes.append({"username": username, "from": list(record.area_codes), "to": moved})
                if not dry_run:
                    accounts[username] = _replace_account(
                        record,
                        area_codes=tuple(moved),
                        version=record.version + 1,
                        updated_at=_now_iso(self.clock),
                    )
            if not dry_run and changes:
                self._write_accounts(accounts)
                for change in changes:
                    self._audit(
                        actor,
                        "account.areas_moved",
                        "account",
                        change["username"],
                        {"area_codes": {"from": change["from"], "to": change["to"]}, "merged_into": new},
                    )
        return changes

    # ------------------------------------------------------------------ partner clients

    def partner(self, client_id: str) -> PartnerRecord | None:
        return self._read_partners().get(client_id)

    def list_partners(self, *, cursor: str | None, limit: int) -> tuple[list[PartnerRecord], str | None]:
        records = [r for _, r in sorted(self._read_partners().items())]
        return _page(records, lambda r: r.client_id, cursor, limit)

    def register_partner(
        self, actor: str, *, client_id: str, name: str, scopes: Sequence[str], quota_per_minute: int
    ) -> tuple[PartnerRecord, str]:
        self._ensure_dir()
        secret = secrets.token_urlsafe(32)
        with file_lock(self._lock):
            partners = self._read_partners()
            if client_id in partners or client_id in CLIENTS:
                raise DirectoryError(409, "client_exists", f"The client id {client_id!r} is taken.")
            now = _now_iso(self.clock)
            record = PartnerRecord(
                client_id,
                name,
                tuple(scopes),
                quota_per_minute,
                secret_digest(secret),
                False,
                1,
                now,
                now,
                now,
            )
            partners[client_id] = record
            self._write_partners(partners)
            self._audit(
                actor,
                "partner_client.registered",
                "partner_client",
                client_id,
                {"name": name, "scopes": list(scopes), "quota_per_minute": quota_per_minute},
            )
        return record, secret

    def _change_partner(
        self,
        actor: str,
        client_id: str,
        expected_version: int | None,
        action: str,
        change: Callable[[PartnerRecord], tuple[PartnerRecord, dict[str, Any]]],
    ) -> PartnerRecord:
        self._ensure_dir()
        with file_lock(self._lock):
            partners = self._read_partners()
            record = partners.get(client_id)
            if record is None:
                raise NotFound(f"partner client {client_id!r}")
            if expected_version is not None and record.version != expected_version:
                raise VersionMismatch()
            if record.revoked:
                raise DirectoryError(409, "client_revoked", "The client is revoked; register a new one.")
            updated, details = change(record)
            updated = _replace_partner(updated, version=record.version + 1, updated_at=_now_iso(self.clock))
            partners[client_id] = updated
            self._write_partners(partners)
            self._audit(actor, action, "partner_client", client_id, details)
            return updated

    def update_partner(
        self,
        actor: str,
        client_id: str,
        expected_version: int | None,
        *,
        name: str | None = None,
        scopes: Sequence[str] | None = None,
        quota_per_minute: int | None = None,
    ) -> PartnerRecord:
        def change(record: PartnerRecord) -> tuple[PartnerRecord, dict[str, Any]]:
            fields: dict[str, Any] = {}
            details: dict[str, Any] = {}
            if name is not None and name != record.name:
                fields["name"] = name
                details["name"] = {"from": record.name, "to": name}
            if scopes is not None and tuple(scopes) != record.scopes:
                fields["scopes"] = tuple(scopes)
                details["scopes"] = {"from": list(record.scopes), "to": list(scopes)}
            if quota_per_minute is not None and quota_per_minute != record.quota_per_minute:
                fields["quota_per_minute"] = quota_per_minute
                details["quota_per_minute"] = {"from": record.quota_per_minute, "to": quota_per_minute}
            return _replace_partner(record, **fields), details

        return self._change_partner(actor, client_id, expected_version, "partner_client.updated", change)

    def rotate_partner_secret(
        self, actor: str, client_id: str, expected_version: int | None
    ) -> tuple[PartnerRecord, str]:
        secret = secrets.token_urlsafe(32)
        now = _now_iso(self.clock)
        record = self._change_partner(
            actor,
            client_id,
            expected_version,
            "partner_client.secret_rotated",
            lambda r: (_replace_partner(r, secret_sha256=secret_digest(secret), secret_rotated_at=now), {}),
        )
        return record, secret

    def revoke_partner(self, actor: str, client_id: str, expected_version: int | None) -> PartnerRecord:
        return self._change_partner(
            actor,
            client_id,
            expected_version,
            "partner_client.revoked",
            lambda r: (_replace_partner(r, revoked=True), {}),
        )

    def partner_secret_ok(self, record: PartnerRecord, secret: str) -> bool:
        return hmac.compare_digest(secret_digest(secret), record.secret_sha256)

    # ------------------------------------------------------------------ audit

    def audit_events(self, *, cursor: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
        """Events after `cursor` (a seq), oldest first; read line by line, at most limit + 1 kept."""
        page: list[dict[str, Any]] = []
        more = False
        for event in self._events():
            if cursor is not None and int(event["seq"]) <= cursor:
                continue
            if len(page) == limit:
                more = True
                break
            page.append(event)
        return page, (int(page[-1]["seq"]) if more and page else None)

    def audit(
        self, actor: str, action: str, target_type: str, target_id: str, details: dict[str, Any]
    ) -> None:
        """Record an action the directory does not make itself (e.g. a disable kept in state.json)."""
        self._ensure_dir()
        with file_lock(self._lock):
            self._audit(actor, action, target_type, target_id, details)


def _replace_account(record: AccountRecord, **fields: Any) -> AccountRecord:
    return dataclasses.replace(record, **fields)


def _replace_partner(record: PartnerRecord, **fields: Any) -> PartnerRecord:
    return dataclasses.replace(record, **fields)

"""Signing keys (RSA 2048, RS256) kept under DATA_DIR/keys/, rotated on demand.

Layout: `keys.json` lists every key with when it was created and retired; `<kid>.pem` holds each
private key (mode 0600). The newest unretired key signs; retired keys stay in the JWKS for
KEY_RETENTION_S so tokens they signed still verify, then are deleted. The server and the CLI share
the folder: writers take a file lock, readers notice a changed `keys.json` and reload.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from dev_issuer.files import file_lock, write_private

ALGORITHM = "RS256"
KEY_SIZE = 2048


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    created_at: float
    retired_at: float | None

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": ALGORITHM})
        return jwk


def _kid(key: rsa.RSAPrivateKey) -> str:
    """The RFC 7638 thumbprint of the public key, shortened."""
    numbers = key.public_key().public_numbers()

    def b64(n: int) -> str:
        return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()

    canonical = json.dumps({"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:22]


class KeyStore:
    def __init__(self, directory: Path, *, retention_s: int, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self.retention_s = retention_s
        self.clock = clock
        self._index = directory / "keys.json"
        self._lock = directory / ".lock"
        self._loaded_stamp: tuple[int, int, int] | None = None
        self._keys: list[SigningKey] = []
        self._private_cache: dict[str, rsa.RSAPrivateKey] = {}

    # ------------------------------------------------------------------ reading

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self._index.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _read_index(self) -> list[dict[str, Any]]:
        try:
            data = json.loads(self._index.read_text())
        except FileNotFoundError:
            return []
        entries: list[dict[str, Any]] = data["keys"]
        return entries

    def _load_key(self, entry: dict[str, Any]) -> SigningKey:
        kid = str(entry["kid"])
        private = self._private_cache.get(kid)
        if private is None:
            loaded = serialization.load_pem_private_key((self.directory / f"{kid}.pem").read_bytes(), None)
            if not isinstance(loaded, rsa.RSAPrivateKey):
                raise TypeError(f"key {kid} is not an RSA key")
            private = self._private_cache[kid] = loaded
        retired = entry.get("retired_at")
        return SigningKey(
            kid, private, float(entry["created_at"]), None if retired is None else float(retired)
        )

    def _refresh(self) -> None:
        stamp = self._stamp()
        if stamp is None or stamp != self._loaded_stamp:
            if stamp is None:
                self._ensure_key()
                stamp = self._stamp()
            self._keys = [self._load_key(e) for e in self._read_index()]
            self._loaded_stamp = stamp

    def current(self) -> SigningKey:
        """The key that signs now (created on first use)."""
        self._refresh()
        active = [k for k in self._keys if k.retired_at is None]
        if not active:
            self._ensure_key()
            self._refresh()
            active = [k for k in self._keys if k.retired_at is None]
        return max(active, key=lambda k: k.created_at)

    def published(self) -> list[SigningKey]:
        """The current key and every retired key still inside its retention."""
        self.current()
        now = self.clock()
        return [k for k in self._keys if k.retired_at is None or k.retired_at + self.retention_s > now]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk() for k in self.published()]}

    def public_key(self, kid: str) -> rsa.RSAPublicKey | None:
        for key in self.published():
            if key.kid == kid:
                return key.private_key.public_key()
        return None

    # ------------------------------------------------------------------ writing

    def _write_index(self, entries: list[dict[str, Any]]) -> None:
        write_private(self._index, json.dumps({"keys": entries}, indent=2).encode())

    def _new_entry(self) -> dict[str, Any]:
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
        kid = _kid(key)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        write_private(self.directory / f"{kid}.pem", pem)
        return {"kid": kid, "created_at": self.clock(), "retired_at": None}

    def _prepare_directory(self) -> None:
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)

    def _ensure_key(self) -> None:
        self._prepare_directory()
        with file_lock(self._lock):
            entries = self._read_index()
            if not any(e.get("retired_at") is None for e in entries):
                self._write_index([*entries, self._new_entry()])

    def rotate(self) -> SigningKey:
        """A new signing key; the old one is retired but stays published for KEY_RETENTION_S."""
        self._prepare_directory()
        now = self.clock()
        with file_lock(self._lock):
            entries = self._read_index()
            kept = []
            for entry in entries:
                if entry.get("retired_at") is None:
                    entry["retired_at"] = now
                if entry["retired_at"] + self.retention_s <= now:
                    with contextlib.suppress(FileNotFoundError):
                        (self.directory / f"{entry['kid']}.pem").unlink()
                    self._private_cache.pop(entry["kid"], None)
                else:
                    kept.append(entry)
            self._write_index([*kept, self._new_entry()])
        self._loaded_stamp = None
        return self.current()

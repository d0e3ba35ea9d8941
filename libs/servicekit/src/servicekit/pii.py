"""Personal data at rest (decision 11): AES-256-GCM ciphertexts and keyed blind indexes for lookup.

A citizen ID is stored encrypted and matched through `blind_index`, an HMAC whose key all services
share, so funding-api can match a VBSP borrower to a registry person without either side exposing
the number. The keys come from settings; a key-version byte leads every ciphertext so keys can be
rotated by re-encrypting in a job.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_VERSION = 1
NONCE_BYTES = 12


def _derive(secret: str, label: str) -> bytes:
    # Settings hold text of any length; each purpose gets its own 256-bit key.
    return hashlib.sha256(f"noxh:{label}:".encode() + secret.encode()).digest()


def normalise_identifier(value: str) -> str:
    """Digits and letters only, upper case: '001 234.567 890' and '001234567890' are one number."""
    text = unicodedata.normalize("NFKC", value)
    return "".join(ch for ch in text if ch.isalnum()).upper()


class PiiCipher:
    def __init__(self, *, encryption_secret: str, blind_index_secret: str) -> None:
        if len(encryption_secret) < 16 or len(blind_index_secret) < 16:
            raise ValueError("personal-data keys must be at least 16 characters")
        self._aead = AESGCM(_derive(encryption_secret, "encryption"))
        self._index_key = _derive(blind_index_secret, "blind-index")

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        """`context` (e.g. "person.citizen_id") is bound to the ciphertext: it cannot move elsewhere."""
        nonce = os.urandom(NONCE_BYTES)
        return bytes([KEY_VERSION]) + nonce + self._aead.encrypt(nonce, plaintext.encode(), context.encode())

    def decrypt(self, blob: bytes, *, context: str) -> str:
        if not blob or blob[0] != KEY_VERSION:
            raise ValueError("unknown key version")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        return self._aead.decrypt(nonce, sealed, context.encode()).decode()

    def encrypt_bytes(self, data: bytes, *, context: str) -> bytes:
        """A file or blob that holds personal data (an uploaded list of citizens), as `encrypt`."""
        nonce = os.urandom(NONCE_BYTES)
        return bytes([KEY_VERSION]) + nonce + self._aead.encrypt(nonce, data, context.encode())

    def decrypt_bytes(self, blob: bytes, *, context: str) -> bytes:
        if not blob or blob[0] != KEY_VERSION:
            raise ValueError("unknown key version")
        nonce, sealed = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
        return self._aead.decrypt(nonce, sealed, context.encode())

    def blind_index(self, value: str, *, purpose: str) -> str:
        """A stable keyed hash for equality lookups; `purpose` keeps citizen IDs and phones apart."""
        message = f"{purpose}:{normalise_identifier(value)}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()


def mask(value: str | None, *, keep_last: int = 3) -> str | None:
    """'001234567890' -> '*********890'."""
    if value is None:
        return None
    if len(value) <= keep_last:
        return "*" * len(value)
    return "*" * (len(value) - keep_last) + value[-keep_last:]

"""How registry-api keeps a person's identifiers: encrypted, blind-indexed and masked (decision 11)."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.pii import PiiCipher, mask
from servicekit.settings import BaseServiceSettings

# Blind-index purposes. "citizen_id" is shared with the other services: funding-api computes the
# same index for a VBSP borrower's number, with the same key, to find the person without the number.
CITIZEN_ID_PURPOSE = "citizen_id"
LEGACY_ID_PURPOSE = "legacy_id"
PHONE_PURPOSE = "phone"


def build_cipher(settings: BaseServiceSettings) -> PiiCipher:
    """The process's one cipher, from the two personal-data keys in the settings."""
    return PiiCipher(
        encryption_secret=settings.PII_ENCRYPTION_KEY.get_secret_value(),
        blind_index_secret=settings.PII_BLIND_INDEX_KEY.get_secret_value(),
    )


@dataclass(frozen=True)
class Protected:
    """One identifier as stored: ciphertext (bound to its column), blind index, masked form."""

    ciphertext: bytes
    bidx: str
    masked: str


def protect(cipher: PiiCipher, value: str, *, purpose: str, column: str) -> Protected:
    return Protected(
        ciphertext=cipher.encrypt(value, context=column),
        bidx=cipher.blind_index(value, purpose=purpose),
        masked=mask(value) or "",
    )

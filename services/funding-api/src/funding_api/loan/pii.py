"""How funding-api keeps a borrower's citizen ID: encrypted, blind-indexed as registry-api does, masked.

The blind-index purpose "citizen_id" and the shared key (decision 11) make funding-api's index of a
number equal registry-api's, so a borrower is matched to a registry person without the number.
"""

from __future__ import annotations

from servicekit.pii import PiiCipher
from servicekit.settings import BaseServiceSettings

CITIZEN_ID_PURPOSE = "citizen_id"  # the same purpose as registry_api.person.pii.CITIZEN_ID_PURPOSE
CITIZEN_ID_CONTEXT = "loan.borrower_citizen_id"  # binds the ciphertext to its column


def build_cipher(settings: BaseServiceSettings) -> PiiCipher:
    return PiiCipher(
        encryption_secret=settings.PII_ENCRYPTION_KEY.get_secret_value(),
        blind_index_secret=settings.PII_BLIND_INDEX_KEY.get_secret_value(),
    )

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from servicekit.pii import PiiCipher, mask, normalise_identifier


@pytest.fixture
def cipher() -> PiiCipher:
    return PiiCipher(encryption_secret="e" * 32, blind_index_secret="b" * 32)


class TestPiiCipher:
    def test_round_trip_and_no_plaintext_in_the_blob(self, cipher: PiiCipher) -> None:
        blob = cipher.encrypt("001234567890", context="person.citizen_id")
        assert b"001234567890" not in blob
        assert cipher.decrypt(blob, context="person.citizen_id") == "001234567890"

    def test_same_value_encrypts_differently_each_time(self, cipher: PiiCipher) -> None:
        assert cipher.encrypt("x", context="c") != cipher.encrypt("x", context="c")

    def test_bytes_round_trip_bound_to_their_context(self, cipher: PiiCipher) -> None:
        data = "STT;Số CCCD\n1;001234567890\n".encode()
        blob = cipher.encrypt_bytes(data, context="household_import.content")
        assert b"001234567890" not in blob
        assert blob[0] == 1  # the key version leads, as for text
        assert cipher.decrypt_bytes(blob, context="household_import.content") == data
        with pytest.raises(InvalidTag):
            cipher.decrypt_bytes(blob, context="person.citizen_id")

    def test_a_ciphertext_cannot_move_to_another_field(self, cipher: PiiCipher) -> None:
        blob = cipher.encrypt("0912345678", context="person.phone")
        with pytest.raises(InvalidTag):
            cipher.decrypt(blob, context="person.citizen_id")

    def test_a_tampered_ciphertext_is_refused(self, cipher: PiiCipher) -> None:
        blob = bytearray(cipher.encrypt("001234567890", context="c"))
        blob[-1] ^= 1
        with pytest.raises(InvalidTag):
            cipher.decrypt(bytes(blob), context="c")
        with pytest.raises(ValueError, match="key version"):
            cipher.decrypt(b"\x09" + bytes(blob[1:]), context="c")

    def test_blind_index_is_stable_normalised_keyed_and_purpose_bound(self, cipher: PiiCipher) -> None:
        a = cipher.blind_index("001 234.567 890", purpose="citizen_id")
        assert a == cipher.blind_index("001234567890", purpose="citizen_id")
        assert a != cipher.blind_index("001234567890", purpose="phone")
        other = PiiCipher(encryption_secret="e" * 32, blind_index_secret="c" * 32)
        assert a != other.blind_index("001234567890", purpose="citizen_id")

    def test_keys_must_not_be_trivially_short(self) -> None:
        with pytest.raises(ValueError, match="16"):
            PiiCipher(encryption_secret="short", blind_index_secret="b" * 32)


def test_masking_and_normalising() -> None:
    assert mask("001234567890") == "*********890"
    assert mask("12") == "**"
    assert mask(None) is None
    assert normalise_identifier("００1-234 567") == "001234567"

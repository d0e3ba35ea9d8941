"""Schema bases: write models reject unknown fields and store Vietnamese text in NFC."""

from __future__ import annotations

import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


def nfc(value: Any) -> Any:
    """NFC-normalise every string inside a JSON-like value (NFD input is common from macOS and phones)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


class WriteModel(BaseModel):
    """Base of every create/update body: unknown fields are a 422, text is NFC and stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        return nfc(data)


class ReadModel(BaseModel):
    """Base of every response body, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)

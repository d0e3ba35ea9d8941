"""Schema bases: write models reject unknown fields, refuse lax input and store Vietnamese text in NFC.

Input is strict platform-wide (docs/conventions.md, API): a province's system refuses malformed input
with a 422 rather than guess. Pydantic's lax mode would read a JSON `0`/`1`/`"true"` as a boolean,
`"5"` or `5.0` as an integer and a number (or a numeric string) as Unix time for a date. `WriteModel`
turns that off for every body at the root; query and path parameters use `IsoDate`, `IsoDateTime` and
`QueryBool` (FastAPI validates them in lax mode from strings).
"""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}.*")
# Core-schema types made strict in request bodies: no string/float/number coercion.
_STRICT_TYPES = frozenset({"bool", "int", "float"})


def nfc(value: Any) -> Any:
    """NFC-normalise every string inside a JSON-like value (NFD input is common from macOS and phones)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


def iso_date(value: Any) -> Any:
    """Accept a `date` or an ISO `YYYY-MM-DD` string only (never a number read as Unix time)."""
    if isinstance(value, datetime) or (not isinstance(value, date) and not _is_iso(value, _ISO_DATE)):
        raise PydanticCustomError("date_parsing", "Input should be a date in the ISO format YYYY-MM-DD")
    return value


def iso_datetime(value: Any) -> Any:
    """Accept a `datetime` or an ISO 8601 date-time string only (never a number read as Unix time)."""
    if not isinstance(value, datetime) and not _is_iso(value, _ISO_DATETIME):
        raise PydanticCustomError(
            "datetime_format", "Input should be an ISO 8601 date-time (YYYY-MM-DDTHH:MM...)"
        )
    return value


def query_bool(value: Any) -> Any:
    """Accept `true`/`false` only (not `1`, `0`, `yes`, `on`...)."""
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise PydanticCustomError("bool_parsing", "Input should be true or false")


def _is_iso(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


# Query and path parameters (FastAPI validates them from strings in lax mode).
IsoDate = Annotated[date, BeforeValidator(iso_date)]
IsoDateTime = Annotated[AwareDatetime, BeforeValidator(iso_datetime)]
QueryBool = Annotated[bool, BeforeValidator(query_bool)]


def strict_schema(schema: Any) -> Any:
    """Harden a core schema: strict booleans and numbers, ISO-only dates and date-times."""
    if isinstance(schema, list):
        return [strict_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if not isinstance(kind, str):  # a mapping inside a schema (fields by name, definitions...)
        return {key: strict_schema(value) for key, value in schema.items()}
    hardened = {
        key: value if key in ("metadata", "serialization") else strict_schema(value)
        for key, value in schema.items()
    }
    if kind in _STRICT_TYPES:
        hardened["strict"] = True
    elif kind == "date":
        return core_schema.no_info_before_validator_function(iso_date, hardened)
    elif kind == "datetime":
        return core_schema.no_info_before_validator_function(iso_datetime, hardened)
    return hardened


class WriteModel(BaseModel):
    """Base of every create/update body: unknown fields are a 422, text is NFC and stripped, and input is
    strict: booleans are `true`/`false`, integers are JSON integers (not `"5"` nor `5.0`), dates are ISO
    `YYYY-MM-DD` strings (not numbers). UUIDs, enums and dates still come as JSON strings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type[BaseModel], handler: GetCoreSchemaHandler, /) -> Any:
        # Copied first: nested models' cached schemas must not be changed in place.
        return strict_schema(copy.deepcopy(handler(source)))

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        return nfc(data)


class ReadModel(BaseModel):
    """Base of every response body, read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)

"""Keyset pagination: opaque cursors, `limit` at most 100, and a bounded count (decision 5)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, Field

from servicekit.errors import BadRequest, FieldError

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
EXACT_COUNT_UP_TO = 10_000

T = TypeVar("T")


class InvalidCursor(BadRequest):
    code = "invalid_cursor"
    title = "The page cursor is not valid for this list"


class Page(BaseModel, Generic[T]):
    """One page of a list. Follow `next_cursor` (absent on the last page)."""

    items: list[T]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` to get the next page.")


class Count(BaseModel):
    """How many rows match: exact up to 10,000, an estimate from the planner above."""

    total: int
    exact: bool


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None


def _encode_value(value: Any) -> list[Any]:
    if value is None:
        return ["n", None]
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, datetime):
        return ["t", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, Decimal):
        return ["m", str(value)]
    if isinstance(value, str):
        return ["s", value]
    raise TypeError(f"cannot put a {type(value).__name__} in a cursor")


def _decode_value(tagged: list[Any]) -> Any:
    tag, raw = tagged
    decoders: dict[str, Any] = {
        "n": lambda _: None,
        "b": bool,
        "i": int,
        "u": uuid.UUID,
        "t": datetime.fromisoformat,
        "d": date.fromisoformat,
        "m": Decimal,
        "s": str,
    }
    return decoders[tag](raw)


def sort_fingerprint(keys: list[str]) -> str:
    return hashlib.blake2s(",".join(keys).encode(), digest_size=4).hexdigest()


def encode_cursor(keys: list[str], values: tuple[Any, ...]) -> str:
    payload = {"k": sort_fingerprint(keys), "v": [_encode_value(v) for v in values]}
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(keys: list[str], cursor: str) -> tuple[Any, ...]:
    """The sort values in a cursor; a cursor from another list or a tampered one is a 400."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = orjson.loads(raw)
        if payload["k"] != sort_fingerprint(keys) or len(payload["v"]) != len(keys):
            raise ValueError("cursor belongs to another list")
        return tuple(_decode_value(v) for v in payload["v"])
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise InvalidCursor(
            "Start again from the first page.",
            errors=[
                FieldError(
                    pointer="/query/cursor", code="invalid_cursor", message="unknown or altered cursor"
                )
            ],
        ) from exc

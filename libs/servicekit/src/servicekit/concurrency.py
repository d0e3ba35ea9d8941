"""Optimistic concurrency: `ETag` from a row's version, `If-Match` required on updates (412 / 428)."""

from __future__ import annotations

import re

from servicekit.errors import PreconditionFailed, PreconditionRequired

_ETAG = re.compile(r'^\s*(?:W/)?"(\d{1,18})"\s*$')


def etag_for(version: int) -> str:
    return f'W/"{version}"'


def parse_if_match(value: str | None) -> int:
    """The version an update was made on. Missing -> 428; unparseable or `*` -> 412."""
    if value is None or not value.strip():
        raise PreconditionRequired(
            "Send the ETag you read as If-Match, so no one else's change is overwritten."
        )
    match = _ETAG.match(value)
    if not match:
        raise PreconditionFailed("If-Match must be one ETag of this resource, as it was returned.")
    return int(match.group(1))


def check_version(current: int, expected: int) -> None:
    """Raise 412 when the row moved on since the client read it."""
    if current != expected:
        raise PreconditionFailed(
            f"The resource is at version {current}; you sent version {expected}. Reload it."
        )

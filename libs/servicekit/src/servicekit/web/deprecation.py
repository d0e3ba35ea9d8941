"""`Deprecation` (RFC 9745) and `Sunset` (RFC 8594) headers on every answer of a deprecated operation.

A route is deprecated where partners read it, in its OpenAPI operation:

    @router.get(
        "/things",
        deprecated=True,
        openapi_extra={"x-deprecated-since": "2026-12-01", "x-sunset": "2027-06-30"},
    )

Both are local dates in Hải Phòng (Asia/Ho_Chi_Minh, UTC+7 all year). The operation is deprecated
from the start of `x-deprecated-since` and answers up to the end of its `x-sunset` day; every answer
(errors included) then carries

    Deprecation: @1796058000                 (the start of x-deprecated-since, Unix seconds)
    Sunset: Wed, 30 Jun 2027 17:00:00 GMT    (the end of the x-sunset day)

`scripts/openapi_compat.py` allows the operation to break or disappear only after that sunset, and
only when the released document already declared it deprecated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCAL = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
DEPRECATED_SINCE = "x-deprecated-since"
SUNSET = "x-sunset"


class DeprecationUndocumented(ValueError):
    """A route is `deprecated=True` without valid `x-deprecated-since` and `x-sunset` dates."""


def _local_date(where: str, extra: Mapping[str, Any], key: str) -> date:
    value = extra.get(key)
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DeprecationUndocumented(
            f"{where} is deprecated: {key} must be a date (YYYY-MM-DD), not {value!r}"
        ) from None


def deprecation_headers(where: str, openapi_extra: Mapping[str, Any] | None) -> list[tuple[bytes, bytes]]:
    """The two headers of a deprecated route, from its `openapi_extra` (`where` names it in errors)."""
    extra = openapi_extra or {}
    since = _local_date(where, extra, DEPRECATED_SINCE)
    sunset = _local_date(where, extra, SUNSET)
    if sunset <= since:
        raise DeprecationUndocumented(f"{where}: {SUNSET} {sunset} is not after {DEPRECATED_SINCE} {since}")
    deprecated_at = datetime.combine(since, time(), LOCAL)
    gone_at = datetime.combine(sunset + timedelta(days=1), time(), LOCAL)
    return [
        (b"deprecation", f"@{int(deprecated_at.timestamp())}".encode()),
        (b"sunset", format_datetime(gone_at.astimezone(UTC), usegmt=True).encode()),
    ]


class DeprecationHeadersMiddleware:
    """Adds the headers of the matched route, if it is deprecated (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, headers: dict[int, list[tuple[bytes, bytes]]]) -> None:
        self.app = app
        self.headers = headers  # by id() of the route: Starlette routes compare by value, not by identity

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.headers:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = self.headers.get(id(scope.get("route")))
                if extra:
                    message.setdefault("headers", [])
                    message["headers"] = [*message["headers"], *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_deprecation_headers(app: FastAPI) -> None:
    """Check every deprecated route's dates (a wrong one fails at start-up) and add the middleware."""
    headers: dict[int, list[tuple[bytes, bytes]]] = {}
    # The route contexts, so a router included with `deprecated=True` counts; requests name the
    # original route in scope["route"].
    for context in iter_route_contexts(app.routes):
        if getattr(context, "deprecated", None):
            headers[id(context.original_route)] = deprecation_headers(
                str(context.path), getattr(context, "openapi_extra", None)
            )
    app.add_middleware(DeprecationHeadersMiddleware, headers=headers)

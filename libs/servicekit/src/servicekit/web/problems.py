"""The one RFC 9457 problem+json handler set every service installs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from servicekit.errors import (
    PROBLEM_BASE_URI,
    PROBLEM_JSON,
    AppError,
    FieldError,
    PreconditionFailed,
    Problem,
    Unprocessable,
    UpstreamUnavailable,
)

logger = logging.getLogger("servicekit.errors")


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    type_uri: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=type_uri or PROBLEM_BASE_URI + code.replace("_", "-"),
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _pointer(loc: Sequence[int | str]) -> str:
    return "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in loc)


def validation_field_errors(exc: RequestValidationError) -> list[FieldError]:
    # Never echo the rejected input back: it may be a citizen ID or a phone number.
    return [
        FieldError(
            pointer=_pointer(e.get("loc", ())), code=str(e.get("type", "invalid")), message=str(e.get("msg"))
        )
        for e in exc.errors()
    ]


# PostgreSQL's message for a NUL character in text.
NUL_REFUSED = 'invalid byte sequence for encoding "UTF8": 0x00'
# FastAPI's detail when a body cannot be decoded at all (not UTF-8, not JSON).
BODY_PARSE_ERROR = "There was an error parsing the body"
# SQLSTATEs that say the database is not there right now (a restart, a failover, a full connection
# table), not that the request is wrong: class 08 (connection exception), 57P01 admin shutdown, 57P02
# crash shutdown, 57P03 cannot connect now ("the database system is starting up / shutting down"),
# 53300 too many connections.
_UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "53300"})
# How long a client should wait before retrying while the database is away: a restart takes seconds.
DATABASE_RETRY_AFTER_S = 5


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` means the database (or a connection to anything) could not be used just now,
    rather than that this request was wrong: the client may retry the very same request later."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        state = getattr(exc.orig, "sqlstate", None)
        return isinstance(state, str) and (state.startswith("08") or state in _UNAVAILABLE_SQLSTATES)
    # Opening a connection fails with the socket's own error (refused, reset, timed out), not wrapped
    # by the driver; a pool with every connection taken times out with SQLAlchemy's TimeoutError.
    return isinstance(exc, (ConnectionError, TimeoutError, PoolTimeoutError))


_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}


def app_error_response(request: Request, exc: AppError) -> JSONResponse:
    """The problem+json answer for a typed application error."""
    return problem_response(
        request,
        status=exc.status_code,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=exc.errors,
        type_uri=exc.type_uri(),
        headers=exc.headers or None,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every non-2xx answer of the app becomes problem+json, unknown routes and wrong methods included."""

    async def app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return app_error_response(request, exc)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            request,
            status=422,
            code=Unprocessable.code,
            title=Unprocessable.title,
            detail="Some fields are missing or invalid.",
            errors=validation_field_errors(exc),
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        if status == 400 and exc.detail == BODY_PARSE_ERROR:
            # A body that is not even text (FastAPI's own 400) is as invalid as malformed JSON: 422.
            return problem_response(
                request,
                status=422,
                code=Unprocessable.code,
                title=Unprocessable.title,
                detail="The body is not valid JSON.",
                errors=[
                    FieldError(pointer="/body", code="json_invalid", message="The body is not valid JSON.")
                ],
            )
        code = _STATUS_CODES.get(status, "http_error")
        title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem_response(
            request,
            status=status,
            code=code,
            title=title,
            detail=detail,
            headers=dict(exc.headers or {}) or None,
        )

    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the log (which carries the request id), never to the client.
        logger.exception("unhandled error", exc_info=exc)
        return problem_response(
            request,
            status=500,
            code="internal_error",
            title="Internal error",
            detail="Something went wrong on our side; quote the X-Request-ID header when reporting it.",
        )

    async def stale_row(request: Request, exc: Exception) -> JSONResponse:
        # Two updates raced on one row: the second one's version check matched nothing.
        return problem_response(
            request,
            status=412,
            code=PreconditionFailed.code,
            title=PreconditionFailed.title,
            detail="Someone else changed this resource at the same moment. Reload it and try again.",
            type_uri=PreconditionFailed.type_uri(),
        )

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        # Found by the fault tests (tests/faults): while PostgreSQL restarted, every request answered
        # 500 without Retry-After. The request was fine and the same one will work in seconds: 503.
        logger.warning("database unavailable: %s", type(exc).__name__)
        return app_error_response(
            request,
            UpstreamUnavailable(
                "The database or a service this request needs is unavailable for a moment; try again.",
                retry_after_s=DATABASE_RETRY_AFTER_S,
            ),
        )

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        if database_unavailable(exc):
            return await unavailable(request, exc)
        # Found by Schemathesis: text with a NUL character (U+0000) reaches PostgreSQL, which refuses
        # it ("invalid byte sequence for encoding UTF8: 0x00"). That is the client's input: 422.
        if NUL_REFUSED in str(getattr(exc, "orig", "")):
            return problem_response(
                request,
                status=422,
                code=Unprocessable.code,
                title=Unprocessable.title,
                detail="Text must not contain the NUL character (U+0000).",
            )
        return await unexpected_error(request, exc)

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(StaleDataError, stale_row)
    app.add_exception_handler(DBAPIError, database_error)
    for unreachable in (ConnectionError, TimeoutError, PoolTimeoutError):
        app.add_exception_handler(unreachable, unavailable)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)

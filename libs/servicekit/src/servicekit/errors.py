"""Typed application errors and the one RFC 9457 problem+json handler every service installs."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("servicekit.errors")

PROBLEM_JSON = "application/problem+json"
# Problem types are documented at these URIs (docs/problems.md, served by the gateway at /docs/problems).
PROBLEM_BASE_URI = "https://noxh.haiphong.gov.vn/problems/"


class FieldError(BaseModel):
    """One field-level error: where (a JSON pointer into the request), a stable code, and a message."""

    pointer: str = Field(examples=["/body/citizen_id"])
    code: str = Field(examples=["string_pattern_mismatch"])
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with a stable `code` and field-level `errors`."""

    type: str = Field(examples=[PROBLEM_BASE_URI + "not-found"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(examples=["not_found"])
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base of every expected error. Subclasses fix the status and the stable code."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"
    title: ClassVar[str] = "Internal error"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers or {}

    @classmethod
    def type_uri(cls) -> str:
        return PROBLEM_BASE_URI + cls.code.replace("_", "-")

    @classmethod
    def openapi_response(cls) -> dict[str, Any]:
        """The OpenAPI `responses` entry describing this error."""
        return {
            "model": Problem,
            "description": cls.title,
            "content": {PROBLEM_JSON: {"example": {
                "type": cls.type_uri(), "title": cls.title, "status": cls.status_code, "code": cls.code,
            }}},
        }


class BadRequest(AppError):
    status_code = 400
    code = "bad_request"
    title = "Bad request"


class Unauthorized(AppError):
    status_code = 401
    code = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="noxh"'})


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    title = "Not allowed"


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(AppError):
    status_code = 412
    code = "precondition_failed"
    title = "The resource changed since you read it"


class Unprocessable(AppError):
    status_code = 422
    code = "validation_failed"
    title = "The request is not valid"


class PreconditionRequired(AppError):
    status_code = 428
    code = "precondition_required"
    title = "If-Match is required"


class TooManyRequests(AppError):
    status_code = 429
    code = "too_many_requests"
    title = "Too many requests"


class UpstreamUnavailable(AppError):
    status_code = 503
    code = "upstream_unavailable"
    title = "A service this request needs is unavailable"

    def __init__(self, detail: str | None = None, *, retry_after_s: int = 5) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after_s)}


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: its business errors plus the ones every route can give."""
    # Several errors can share a status; the OpenAPI entry takes the first, documenting the status.
    out: dict[int | str, dict[str, Any]] = {}
    for err in (Unauthorized, Forbidden, Unprocessable, *errors):
        out.setdefault(err.status_code, err.openapi_response())
    return out


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
        FieldError(pointer=_pointer(e.get("loc", ())), code=str(e.get("type", "invalid")), message=str(e.get("msg")))
        for e in exc.errors()
    ]


_STATUS_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    406: "not_acceptable", 409: "conflict", 411: "length_required", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_failed", 429: "too_many_requests",
}


def install_error_handlers(app: FastAPI) -> None:
    """Every non-2xx answer of the app becomes problem+json, unknown routes and wrong methods included."""

    async def app_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, AppError)
        return problem_response(
            request, status=exc.status_code, code=exc.code, title=exc.title, detail=exc.detail,
            errors=exc.errors, type_uri=exc.type_uri(), headers=exc.headers or None,
        )

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return problem_response(
            request, status=422, code=Unprocessable.code, title=Unprocessable.title,
            detail="Some fields are missing or invalid.", errors=validation_field_errors(exc),
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        code = _STATUS_CODES.get(status, "http_error")
        title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        return problem_response(
            request, status=status, code=code, title=title, detail=detail, headers=dict(exc.headers or {}) or None
        )

    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the log (which carries the request id), never to the client.
        logger.exception("unhandled error", exc_info=exc)
        return problem_response(
            request, status=500, code="internal_error", title="Internal error",
            detail="Something went wrong on our side; quote the X-Request-ID header when reporting it.",
        )

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)

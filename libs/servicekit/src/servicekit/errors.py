"""Typed application errors, rendered as RFC 9457 problem+json by `servicekit.web.problems`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, Field

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
            "content": {
                PROBLEM_JSON: {
                    "example": {
                        "type": cls.type_uri(),
                        "title": cls.title,
                        "status": cls.status_code,
                        "code": cls.code,
                    }
                }
            },
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
    """`responses=` for a route: its business errors plus the ones every route can give.

    Errors sharing a status are listed together: the status's description names each title, and each
    stable `code` gets its own named example, so a client knows every outcome it must handle.
    """
    by_status: dict[int, list[type[AppError]]] = {}
    every: tuple[type[AppError], ...] = (Unauthorized, Forbidden, Unprocessable, *errors)
    for err in every:
        group = by_status.setdefault(err.status_code, [])
        if err not in group:
            group.append(err)
    out: dict[int | str, dict[str, Any]] = {}
    for status, group in sorted(by_status.items()):
        examples = {
            err.code: {
                "summary": err.title,
                "value": {"type": err.type_uri(), "title": err.title, "status": status, "code": err.code},
            }
            for err in group
        }
        out[status] = {
            "model": Problem,
            "description": "; ".join(dict.fromkeys(err.title for err in group)),
            "content": {PROBLEM_JSON: {"examples": examples}},
        }
    return out

"""Request parameters every list and every update shares."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from servicekit.concurrency import etag_for, parse_if_match
from servicekit.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageParams


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Rows per page, at most 100.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=512, description="The `next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


Pagination = Annotated[PageParams, Depends(page_params)]


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_for(version)


def _if_match(
    if_match: Annotated[str | None, Header(alias="If-Match", description="The ETag you read.")] = None,
) -> int:
    return parse_if_match(if_match)


IfMatchVersion = Annotated[int, Depends(_if_match)]


# A declared query parameter given twice (`?actor=a&actor=b`): FastAPI would silently keep the last
# value, a guess; the platform refuses it (input is strict, docs/conventions.md). Lists (`?type=a&type=b`)
# may repeat.
_SCALAR_QUERY: dict[int, frozenset[str]] = {}


def _is_sequence(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set, frozenset) or (isinstance(origin, type) and issubclass(origin, Sequence)):
        return origin is not str
    return any(_is_sequence(arg) for arg in typing.get_args(annotation))


def _scalar_query_names(route: APIRoute) -> frozenset[str]:
    names = _SCALAR_QUERY.get(id(route))
    if names is None:
        found: set[str] = set()
        pending = [route.dependant]
        while pending:
            dependant = pending.pop()
            pending += dependant.dependencies
            found |= {f.alias for f in dependant.query_params if not _is_sequence(f.field_info.annotation)}
        names = _SCALAR_QUERY[id(route)] = frozenset(found)
    return names


async def single_valued_query(request: Request) -> None:
    """App-wide dependency: a single-valued query parameter given more than once is a 422."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or len(request.query_params) == len(
        request.query_params.multi_items()
    ):
        return
    scalars = _scalar_query_names(route)
    repeated = sorted(
        {key for key in request.query_params if key in scalars and len(request.query_params.getlist(key)) > 1}
    )
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "multiple_values",
                    "loc": ("query", key),
                    "msg": "Give this parameter once",
                    "input": None,
                }
                for key in repeated
            ]
        )

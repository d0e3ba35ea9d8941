"""Request parameters every list and every update shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Response

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

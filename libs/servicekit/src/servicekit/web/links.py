"""OpenAPI links from each create to the operations on what it created (`POST /x` -> `GET /x/{id}`).

Generated, never hand-written: for every `POST <collection>` whose 201 answer is a JSON object with an
`id`, a link to each `GET`, `PUT`, `PATCH` and `DELETE` of `<collection>/{param}`, with `{param}` taken
from the answer's `id`, the collection's own path parameters from the request, and `If-Match` from the
answer's `ETag` where the target reads it. Clients and tools (Schemathesis' stateful checks
`use_after_free` and `ensure_resource_availability`) follow them; a new create is linked the moment it
is mounted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI

LINKED_METHODS = ("get", "put", "patch", "delete")
_PATH_PARAM = re.compile(r"{([^}/]+)}")
IF_MATCH = "If-Match"


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = document.get("components", {}).get("schemas", {})
    seen = 0
    while "$ref" in schema and seen < 20:
        schema = components.get(str(schema["$ref"]).rsplit("/", 1)[-1], {})
        seen += 1
    return schema


def _creates_with_id(operation: dict[str, Any], document: dict[str, Any]) -> bool:
    created = operation.get("responses", {}).get("201", {})
    schema = created.get("content", {}).get("application/json", {}).get("schema")
    if not isinstance(schema, dict):
        return False
    resolved = _resolve(schema, document)
    return "id" in resolved.get("properties", {})


def _reads_header(operation: dict[str, Any], name: str) -> bool:
    return any(
        p.get("in") == "header" and str(p.get("name", "")).lower() == name.lower()
        for p in operation.get("parameters", [])
    )


def item_paths(collection: str, paths: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The `<collection>/{param}` paths under a collection, with the name of that last parameter."""
    pattern = re.compile(re.escape(collection) + r"/{([^}/]+)}")
    for path in paths:
        match = pattern.fullmatch(path)
        if match:
            yield path, match.group(1)


def creation_links(document: dict[str, Any]) -> int:
    """Add the links to `document` (in place); returns how many operations were linked."""
    paths: dict[str, Any] = document.get("paths", {})
    linked = 0
    for collection, item in paths.items():
        create = item.get("post")
        if not isinstance(create, dict) or not _creates_with_id(create, document):
            continue
        inherited = {f"path.{name}": f"$request.path.{name}" for name in _PATH_PARAM.findall(collection)}
        links: dict[str, Any] = {}
        for path, param in item_paths(collection, paths):
            for method in LINKED_METHODS:
                target = paths[path].get(method)
                if not isinstance(target, dict) or "operationId" not in target:
                    continue
                parameters = {**inherited, f"path.{param}": "$response.body#/id"}
                if _reads_header(target, IF_MATCH):
                    parameters[f"header.{IF_MATCH}"] = "$response.header.ETag"
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "parameters": parameters,
                    "description": f"`{method.upper()} {path}` on what this call created.",
                }
                linked += 1
        if links:
            create["responses"]["201"]["links"] = links
    return linked


def publish_links(app: FastAPI) -> None:
    """Make the app's OpenAPI carry the creation links (applied to the generated document)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()
        creation_links(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]

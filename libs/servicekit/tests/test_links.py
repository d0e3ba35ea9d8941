"""OpenAPI links from creates to the operations on what they created (`servicekit.web.links`)."""

from __future__ import annotations

import copy
import re
from typing import Any

import httpx
from fastapi import FastAPI

from servicekit.web.links import creation_links

OFFICER = {"roles": ["commune_officer"], "area_codes": ["10525"]}
# OpenAPI 3.1: link names follow the naming rule of component names.
LINK_NAME = re.compile(r"^[a-zA-Z0-9.\-_]+$")
# `$request.path.x`, `$response.body#/id`, `$response.header.ETag`: the runtime expressions used here.
EXPRESSION = re.compile(r"^\$(request\.path\.[\w-]+|response\.body#/[\w/]+|response\.header\.[\w-]+)$")


def link_problems(document: dict[str, Any]) -> list[str]:
    """Everything that makes a link invalid: an unknown target operationId, a parameter the target does
    not have, a malformed runtime expression or name, a link that does not name every path parameter."""
    targets = {
        op["operationId"]: (path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }
    problems = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            for status, answer in op.get("responses", {}).items():
                for name, link in answer.get("links", {}).items():
                    where = f"{method.upper()} {path} {status} link {name}"
                    problems += _problems_of(where, path, name, link, targets)
    return problems


def _problems_of(
    where: str, path: str, name: str, link: dict[str, Any], targets: dict[str, Any]
) -> list[str]:
    problems = []
    if not LINK_NAME.match(name):
        problems.append(f"{where}: name")
    if set(link) - {"operationId", "parameters", "description"}:
        problems.append(f"{where}: unexpected keys {sorted(link)}")
    target = targets.get(link.get("operationId"))
    if target is None:
        return [*problems, f"{where}: no operation {link.get('operationId')}"]
    target_path, target_op = target
    declared = {(p["in"], p["name"].lower()) for p in target_op.get("parameters", []) if "in" in p}
    for key, expression in link.get("parameters", {}).items():
        location, _, param = key.partition(".")
        if (location, param.lower()) not in declared:
            problems.append(f"{where}: {key} is not a parameter of {target_path}")
        if not EXPRESSION.match(expression):
            problems.append(f"{where}: {expression!r} is not a runtime expression")
        source = expression.removeprefix("$request.path.")
        if expression.startswith("$request.path.") and "{" + source + "}" not in path:
            problems.append(f"{where}: {source} is not a path parameter here")
    needed = {("path", p.lower()) for p in re.findall(r"{([^}]+)}", target_path)}
    given = {tuple(k.lower().split(".", 1)) for k in link.get("parameters", {})}
    if needed - given:
        problems.append(f"{where}: path parameters {sorted(needed - given)} not given")
    return problems


def test_a_create_links_to_the_operations_on_its_item(app: FastAPI) -> None:
    document = app.openapi()
    links = document["paths"]["/v1/widgets"]["post"]["responses"]["201"]["links"]
    get_id = document["paths"]["/v1/widgets/{widget_id}"]["get"]["operationId"]
    patch_id = document["paths"]["/v1/widgets/{widget_id}"]["patch"]["operationId"]
    assert links[get_id]["parameters"] == {"path.widget_id": "$response.body#/id"}
    # The update reads If-Match: the link hands it the ETag of the create's answer.
    assert links[patch_id]["parameters"] == {
        "path.widget_id": "$response.body#/id",
        "header.If-Match": "$response.header.ETag",
    }
    assert link_problems(document) == []


def test_no_link_without_an_item_path_or_an_id() -> None:
    widget = {"type": "object", "properties": {"id": {"type": "string"}}}
    answer = {"201": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/W"}}}}}
    no_id = {"201": {"content": {"application/json": {"schema": {"type": "object", "properties": {}}}}}}
    document: dict[str, Any] = {
        "components": {"schemas": {"W": widget}},
        "paths": {
            "/v1/lonely": {"post": {"responses": copy.deepcopy(answer)}},
            "/v1/no-id": {"post": {"responses": no_id}},
            "/v1/no-id/{x}": {"get": {"operationId": "get-no-id", "parameters": []}},
            # A nested collection: its own path parameter comes from the request.
            "/v1/a/{a_id}/b": {"post": {"responses": copy.deepcopy(answer)}},
            "/v1/a/{a_id}/b/{b_id}": {"delete": {"operationId": "b-delete", "parameters": []}},
        },
    }
    assert creation_links(document) == 1
    assert "links" not in document["paths"]["/v1/lonely"]["post"]["responses"]["201"]
    assert "links" not in document["paths"]["/v1/no-id"]["post"]["responses"]["201"]
    nested = document["paths"]["/v1/a/{a_id}/b"]["post"]["responses"]["201"]["links"]["b-delete"]
    assert nested["parameters"] == {"path.a_id": "$request.path.a_id", "path.b_id": "$response.body#/id"}


async def test_following_a_link_reaches_what_was_created(
    app: FastAPI, client: httpx.AsyncClient, auth: Any
) -> None:
    """The link's expressions, evaluated on a real answer, address the created row."""
    created = await client.post(
        "/v1/widgets",
        json={"name": "linked", "province_code": "31", "commune_code": "10525"},
        headers=auth(**OFFICER),
    )
    assert created.status_code == 201
    document = app.openapi()
    links = document["paths"]["/v1/widgets"]["post"]["responses"]["201"]["links"]
    get = links[document["paths"]["/v1/widgets/{widget_id}"]["get"]["operationId"]]
    pointer = get["parameters"]["path.widget_id"].removeprefix("$response.body#/")
    response = await client.get(f"/v1/widgets/{created.json()[pointer]}", headers=auth(**OFFICER))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "linked"

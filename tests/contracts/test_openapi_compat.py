"""The breaking-change check (`scripts/openapi_compat.py`, run by `make openapi-check`): each rule on a
small synthetic document, what it allows, deprecation with a sunset, and the command line."""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openapi_compat as compat
import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 28)
Doc = dict[str, Any]


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


PROBLEM_422 = {
    "description": "Invalid",
    "content": {"application/problem+json": {"schema": {"type": "object"}}},
}


def released() -> Doc:
    """A small service in the shapes FastAPI writes: refs, nullable anyOf, enums, a list page."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "things", "version": "1.0.0"},
        "paths": {
            "/v1/things": {
                "get": {
                    "operationId": "things-list_things",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        },
                        {
                            "name": "cursor",
                            "in": "query",
                            "required": False,
                            "schema": nullable({"type": "string"}),
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "required": False,
                            "schema": nullable(ref("ThingKind")),
                        },
                    ],
                    "responses": {
                        "200": {"description": "OK", **json_body(ref("ThingPage"))},
                        "422": PROBLEM_422,
                    },
                },
                "post": {
                    "operationId": "things-create_thing",
                    "requestBody": {"required": True, **json_body(ref("ThingCreate"))},
                    "responses": {"201": {"description": "Created", **json_body(ref("ThingRead"))}},
                },
            },
            "/v1/things/{thing_id}": {
                "get": {
                    "operationId": "things-read_thing",
                    "security": [{"HTTPBearer": []}],
                    "x-roles": ["partner", "province_officer"],
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "OK",
                            "headers": {"ETag": {"schema": {"type": "string"}}},
                            **json_body(ref("ThingRead")),
                        }
                    },
                }
            },
            "/v1/things/{thing_id}/archive": {
                "post": {
                    "operationId": "things-archive_thing",
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "requestBody": {
                        "required": False,
                        **json_body({"type": "object", "properties": {"reason": {"type": "string"}}}),
                    },
                    "responses": {"200": {"description": "OK", **json_body(ref("ThingRead"))}},
                }
            },
            "/v1/things/{thing_id}/photo": {
                "get": {
                    "operationId": "things-read_photo",
                    "parameters": [
                        {
                            "name": "thing_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "format": "uuid"},
                        }
                    ],
                    "responses": {
                        "200": {"description": "OK", "content": {"image/png": {}, "image/jpeg": {}}}
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "ThingKind": {"type": "string", "enum": ["a", "b"]},
                "ThingStatus": {"type": "string", "enum": ["draft", "done"]},
                "Owner": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "commune_code": {"type": "string"}},
                    "required": ["name", "commune_code"],
                },
                "ThingRead": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "name": {"type": "string"},
                        "status": ref("ThingStatus"),
                        "owner": ref("Owner"),
                        "note": nullable({"type": "string"}),
                        "amount_vnd": {"type": "integer"},
                        "ratio": {"type": "number"},
                    },
                    "required": ["id", "name", "status", "owner", "note", "amount_vnd", "ratio"],
                },
                "ThingPage": {
                    "type": "object",
                    "properties": {
                        "items": {"type": "array", "items": ref("ThingRead")},
                        "next_cursor": nullable({"type": "string"}),
                    },
                    "required": ["items", "next_cursor"],
                },
                "ThingCreate": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 200},
                        "kind": ref("ThingKind"),
                        "note": nullable({"type": "string", "maxLength": 500}),
                        "amount_vnd": {"type": "integer", "minimum": 0},
                        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 10},
                        "owner": ref("Owner"),
                    },
                    "required": ["name", "kind"],
                },
            }
        },
    }


def schemas(doc: Doc) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"]
    return found


def op(doc: Doc, path: str, method: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["paths"][path][method]
    return found


def param(doc: Doc, path: str, method: str, name: str) -> dict[str, Any]:
    return next(p for p in op(doc, path, method)["parameters"] if p["name"] == name)


def changed(mutate: Callable[[Doc], None], today: date = TODAY, base: Doc | None = None) -> compat.Report:
    old = base or released()
    new = copy.deepcopy(old)
    mutate(new)
    return compat.compare(old, new, today)


def found(report: compat.Report) -> set[tuple[str, str]]:
    return {(c.operation, c.rule) for c in report.breaking}


LIST, CREATE = "GET /v1/things", "POST /v1/things"
READ, ARCHIVE, PHOTO = (
    "GET /v1/things/{thing_id}",
    "POST /v1/things/{thing_id}/archive",
    "GET /v1/things/{thing_id}/photo",
)
READERS = (LIST, CREATE, READ, ARCHIVE)  # every operation that answers a ThingRead


def _rename(props: dict[str, Any], old: str, new: str) -> None:
    props[new] = props.pop(old)


def _add_property(schema: dict[str, Any], name: str) -> None:
    """A new required property (of a request body: breaking; of a response: an addition)."""
    schema["properties"][name] = {"type": "string"}
    schema["required"].append(name)


def _rename_schema(d: Doc) -> None:
    """The same shape under another name (what FastAPI does when a second `Owner` appears)."""
    schemas(d)["things__Owner"] = schemas(d).pop("Owner")
    text = json.dumps(d).replace('"#/components/schemas/Owner"', '"#/components/schemas/things__Owner"')
    d.clear()
    d.update(json.loads(text))


def _deprecate_and_remove(d: Doc) -> None:
    op(d, "/v1/things", "get").update(
        {"deprecated": True, "x-deprecated-since": "2026-12-01", "x-sunset": "2027-06-30"}
    )
    d["paths"]["/v1/things"].pop("post")


# (mutation, the breaking changes it must produce: {(operation, rule)})
BREAKING: dict[str, tuple[Callable[[Doc], None], set[tuple[str, str]]]] = {
    "operation removed": (lambda d: d["paths"]["/v1/things"].pop("post"), {(CREATE, "operation-removed")}),
    "path removed": (lambda d: d["paths"].pop("/v1/things/{thing_id}"), {(READ, "operation-removed")}),
    "nested response property removed (through two refs)": (
        lambda d: schemas(d)["Owner"]["properties"].pop("commune_code"),
        {(o, "response-property-removed") for o in READERS}
        # Owner is also in the create body: a request property removed.
        | {(CREATE, "request-property-removed")},
    ),
    "response property renamed": (
        lambda d: _rename(schemas(d)["ThingRead"]["properties"], "name", "title"),
        {(o, "response-property-removed") for o in READERS},
    ),
    "response property made optional": (
        lambda d: schemas(d)["ThingRead"]["required"].remove("name"),
        {(o, "response-property-optional") for o in READERS},
    ),
    "response property type changed": (
        lambda d: schemas(d)["ThingRead"]["properties"]["amount_vnd"].update(type="string"),
        {(o, "type-changed") for o in READERS},
    ),
    "response number became string": (
        lambda d: schemas(d)["ThingRead"]["properties"]["ratio"].update(type="string"),
        {(o, "type-changed") for o in READERS},
    ),
    "response integer widened to number": (
        lambda d: schemas(d)["ThingRead"]["properties"]["amount_vnd"].update(type="number"),
        {(o, "type-changed") for o in READERS},
    ),
    "request property type changed": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["amount_vnd"].update(type="string"),
        {(CREATE, "type-changed")},
    ),
    "response format changed": (
        lambda d: schemas(d)["ThingRead"]["properties"]["id"].update(format="uri"),
        {(o, "format-changed") for o in READERS},
    ),
    "path parameter format changed": (
        lambda d: param(d, "/v1/things/{thing_id}", "get", "thing_id")["schema"].pop("format"),
        {(READ, "format-changed")},
    ),
    "new required request property": (
        lambda d: _add_property(schemas(d)["ThingCreate"], "commune_code"),
        {(CREATE, "new-required-request-property")},
    ),
    "optional request property made required": (
        lambda d: schemas(d)["ThingCreate"]["required"].append("note"),
        {(CREATE, "request-property-required")},
    ),
    "request property removed": (
        lambda d: schemas(d)["ThingCreate"]["properties"].pop("tags"),
        {(CREATE, "request-property-removed")},
    ),
    "new required parameter": (
        lambda d: op(d, "/v1/things", "get")["parameters"].append(
            {"name": "province_code", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        {(LIST, "new-required-parameter")},
    ),
    "new required header": (
        lambda d: op(d, "/v1/things", "post").update(
            parameters=[{"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}}]
        ),
        {(CREATE, "new-required-parameter")},
    ),
    "parameter removed": (
        lambda d: op(d, "/v1/things", "get")["parameters"].pop(1),
        {(LIST, "parameter-removed")},
    ),
    "parameter made required": (
        lambda d: param(d, "/v1/things", "get", "cursor").update(required=True),
        {(LIST, "parameter-required")},
    ),
    "request enum value removed (body and query)": (
        lambda d: schemas(d)["ThingKind"]["enum"].remove("b"),
        {(LIST, "request-enum-value-removed"), (CREATE, "request-enum-value-removed")},
    ),
    "request restricted to an enum": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["name"].update(enum=["x"]),
        {(CREATE, "request-narrowed")},
    ),
    "response enum value added": (
        lambda d: schemas(d)["ThingStatus"]["enum"].append("archived"),
        {(o, "response-enum-value-added") for o in READERS},
    ),
    "response enum dropped": (
        lambda d: schemas(d)["ThingStatus"].pop("enum"),
        {(o, "response-enum-value-added") for o in READERS},
    ),
    "request maxLength lowered": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["name"].update(maxLength=100),
        {(CREATE, "request-narrowed")},
    ),
    "request minLength raised": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["name"].update(minLength=3),
        {(CREATE, "request-narrowed")},
    ),
    "request maxLength inside a nullable": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["note"]["anyOf"][0].update(maxLength=100),
        {(CREATE, "request-narrowed")},
    ),
    "request minimum raised": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["amount_vnd"].update(minimum=1),
        {(CREATE, "request-narrowed")},
    ),
    "request maximum added": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["amount_vnd"].update(maximum=10**9),
        {(CREATE, "request-narrowed")},
    ),
    "request maxItems lowered": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["tags"].update(maxItems=5),
        {(CREATE, "request-narrowed")},
    ),
    "request pattern added": (
        lambda d: schemas(d)["ThingCreate"]["properties"]["tags"]["items"].update(pattern="^[a-z]+$"),
        {(CREATE, "request-narrowed")},
    ),
    "query parameter maximum lowered": (
        lambda d: param(d, "/v1/things", "get", "limit")["schema"].update(maximum=50),
        {(LIST, "request-narrowed")},
    ),
    "query parameter default changed": (
        lambda d: param(d, "/v1/things", "get", "limit")["schema"].update(default=50),
        {(LIST, "default-changed")},
    ),
    "request null refused": (
        lambda d: schemas(d)["ThingCreate"]["properties"].update(note={"type": "string", "maxLength": 500}),
        {(CREATE, "request-null-refused")},
    ),
    "response may now be null": (
        lambda d: schemas(d)["ThingRead"]["properties"].update(name=nullable({"type": "string"})),
        {(o, "response-null-added") for o in READERS},
    ),
    "response union gains a variant": (
        lambda d: schemas(d)["ThingRead"]["properties"]["note"]["anyOf"].insert(1, {"type": "integer"}),
        {(o, "response-variant-added") for o in READERS},
    ),
    "success status changed": (
        lambda d: op(d, "/v1/things", "post")["responses"].update(
            {"200": op(d, "/v1/things", "post")["responses"].pop("201")}
        ),
        {(CREATE, "success-status-changed")},
    ),
    "second success status added": (
        lambda d: op(d, "/v1/things/{thing_id}/archive", "post")["responses"].update(
            {"202": {"description": "Later"}}
        ),
        {(ARCHIVE, "success-status-changed")},
    ),
    "response media type removed": (
        lambda d: op(d, "/v1/things/{thing_id}/photo", "get")["responses"]["200"]["content"].pop(
            "image/jpeg"
        ),
        {(PHOTO, "media-type-removed")},
    ),
    "request media type removed": (
        lambda d: op(d, "/v1/things", "post")["requestBody"].update(
            content={"multipart/form-data": {"schema": ref("ThingCreate")}}
        ),
        {(CREATE, "media-type-removed")},
    ),
    "response header removed": (
        lambda d: op(d, "/v1/things/{thing_id}", "get")["responses"]["200"].pop("headers"),
        {(READ, "response-header-removed")},
    ),
    "new required request body": (
        lambda d: op(d, "/v1/things/{thing_id}/photo", "get").update(
            requestBody={"required": True, **json_body({"type": "object"})}
        ),
        {(PHOTO, "request-body-required")},
    ),
    "request body made required": (
        lambda d: op(d, "/v1/things/{thing_id}/archive", "post")["requestBody"].update(required=True),
        {(ARCHIVE, "request-body-required")},
    ),
    "request body removed": (
        lambda d: op(d, "/v1/things", "post").pop("requestBody"),
        {(CREATE, "request-body-removed")},
    ),
    "unknown request properties refused": (
        lambda d: schemas(d)["Owner"].update(additionalProperties=False),
        {(CREATE, "request-narrowed")},
    ),
    "component schema renamed (same shape)": (
        _rename_schema,
        {("components/schemas/Owner", "schema-renamed")},
    ),
    "a role no longer admitted": (
        lambda d: op(d, "/v1/things/{thing_id}", "get").update({"x-roles": ["province_officer"]}),
        {(READ, "access-narrowed")},
    ),
    "a public operation now needs a token": (
        lambda d: op(d, "/v1/things/{thing_id}/photo", "get").update(security=[{"HTTPBearer": []}]),
        {(PHOTO, "access-narrowed")},
    ),
    "deprecated without dates": (
        lambda d: op(d, "/v1/things", "get").update(deprecated=True),
        {(LIST, "deprecation-undocumented")},
    ),
    "deprecated with a sunset before its deprecation": (
        lambda d: op(d, "/v1/things", "get").update(
            {"deprecated": True, "x-deprecated-since": "2027-01-01", "x-sunset": "2026-12-31"}
        ),
        {(LIST, "deprecation-undocumented")},
    ),
    "deprecated and removed in the same release": (
        _deprecate_and_remove,
        {(CREATE, "operation-removed")},
    ),
}


@pytest.mark.parametrize("case", [c for c in BREAKING if BREAKING[c][1]])
def test_each_rule_catches_its_breaking_change(case: str) -> None:
    mutate, expected = BREAKING[case]
    report = changed(mutate)
    assert found(report) == expected, "\n".join(map(str, report.breaking))


def test_every_rule_is_exercised() -> None:
    exercised = {rule for _, expected in BREAKING.values() for _, rule in expected}
    exercised |= {"sunset-moved-earlier"}  # below, with a released deprecation
    documented = set(re.findall(r"^  ([a-z]+(?:-[a-z]+)+) ", compat.__doc__ or "", flags=re.MULTILINE))
    assert documented == exercised


def test_changes_are_reported_where_they_happen() -> None:
    report = changed(lambda d: schemas(d)["Owner"]["properties"].pop("commune_code"))
    listed = next(c for c in report.breaking if c.operation == LIST)
    assert listed.where == "response 200 application/json.items[].owner.commune_code"
    assert str(listed) == (
        "GET /v1/things [response 200 application/json.items[].owner.commune_code]: "
        "response-property-removed: removed (or renamed)"
    )


# ------------------------------------------------------------------ what stays compatible


def _new_v2(d: Doc) -> None:
    """A breaking change published the right way: /v2 beside the kept /v1."""
    v2 = copy.deepcopy(d["paths"]["/v1/things"])
    v2["get"]["parameters"].append(
        {"name": "province_code", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    v2["get"]["operationId"] = "things-list_things_v2"
    d["paths"]["/v2/things"] = v2
    schemas(d)["ThingReadV2"] = copy.deepcopy(schemas(d)["ThingRead"])
    schemas(d)["ThingReadV2"]["properties"].pop("note")
    v2["post"]["responses"]["201"] = {"description": "Created", **json_body(ref("ThingReadV2"))}


ALLOWED: dict[str, Callable[[Doc], None]] = {
    "nothing changed": lambda d: None,
    "a new operation": lambda d: d["paths"].update(
        {"/v1/widgets": {"get": {"responses": {"200": {"description": "OK"}}}}}
    ),
    "a new major version beside the kept one": _new_v2,
    "a new optional query parameter": lambda d: op(d, "/v1/things", "get")["parameters"].append(
        {"name": "q", "in": "query", "required": False, "schema": {"type": "string"}}
    ),
    "a new optional request property": lambda d: schemas(d)["ThingCreate"]["properties"].update(
        colour={"type": "string"}
    ),
    "a new response property": lambda d: _add_property(schemas(d)["ThingRead"], "colour"),
    "a wider request constraint": lambda d: schemas(d)["ThingCreate"]["properties"]["name"].update(
        maxLength=400
    ),
    "a lower request minimum": lambda d: schemas(d)["ThingCreate"]["properties"]["amount_vnd"].update(
        minimum=-1
    ),
    "a request enum value added": lambda d: schemas(d)["ThingKind"]["enum"].append("c"),
    "a response enum value removed": lambda d: schemas(d)["ThingStatus"]["enum"].remove("draft"),
    "a request that now accepts null": lambda d: schemas(d)["ThingCreate"]["properties"].update(
        name=nullable({"type": "string", "minLength": 1, "maxLength": 200})
    ),
    "a request integer widened to number": lambda d: schemas(d)["ThingCreate"]["properties"][
        "amount_vnd"
    ].update(type="number"),
    "a response number narrowed to integer": lambda d: schemas(d)["ThingRead"]["properties"]["ratio"].update(
        type="integer"
    ),
    "a required request property made optional": lambda d: schemas(d)["ThingCreate"]["required"].remove(
        "kind"
    ),
    "a parameter described": lambda d: param(d, "/v1/things/{thing_id}", "get", "thing_id").update(
        description="the thing"
    ),
    "a path parameter renamed": lambda d: (
        d["paths"].update({"/v1/things/{id}": d["paths"].pop("/v1/things/{thing_id}")})
        or param(d, "/v1/things/{id}", "get", "thing_id").update(name="id")
    ),
    "a role newly admitted": lambda d: op(d, "/v1/things/{thing_id}", "get")["x-roles"].append("auditor"),
    "a new error response": lambda d: op(d, "/v1/things", "post")["responses"].update({"409": PROBLEM_422}),
    "a new response media type": lambda d: op(d, "/v1/things/{thing_id}/photo", "get")["responses"]["200"][
        "content"
    ].update({"image/webp": {}}),
    "a media type parameter": lambda d: op(d, "/v1/things", "post")["requestBody"].update(
        content={"application/json; charset=utf-8": {"schema": ref("ThingCreate")}}
    ),
    "descriptions and titles": lambda d: schemas(d)["ThingRead"].update(title="A thing", description="..."),
    "a deprecation announced with its dates": lambda d: op(d, "/v1/things", "get").update(
        {"deprecated": True, "x-deprecated-since": "2026-12-01", "x-sunset": "2027-06-30"}
    ),
    "a schema inlined instead of referenced": lambda d: op(d, "/v1/things", "post")["requestBody"].update(
        json_body(copy.deepcopy(schemas(d)["ThingCreate"]))
    ),
}


@pytest.mark.parametrize("case", list(ALLOWED))
def test_compatible_changes_pass(case: str) -> None:
    report = changed(ALLOWED[case])
    assert report.breaking == [], "\n".join(map(str, report.breaking))


def test_an_extensible_response_enum_may_grow() -> None:
    base = released()
    schemas(base)["ThingStatus"]["x-extensible-enum"] = True
    report = changed(lambda d: schemas(d)["ThingStatus"]["enum"].append("archived"), base=base)
    assert report.breaking == []


def test_a_recursive_schema_is_compared_once() -> None:
    base = released()
    schemas(base)["Owner"]["properties"]["parent"] = nullable(ref("Owner"))
    report = changed(lambda d: schemas(d)["Owner"]["properties"].pop("name"), base=base)
    assert (READ, "response-property-removed") in found(report)


# ------------------------------------------------------------------ deprecation with a sunset


def deprecated_base(sunset: str = "2027-06-30") -> Doc:
    base = released()
    op(base, "/v1/things", "get").update(
        {"deprecated": True, "x-deprecated-since": "2026-12-01", "x-sunset": sunset}
    )
    return base


def _remove_list(d: Doc) -> None:
    d["paths"]["/v1/things"].pop("get")


def test_a_deprecated_operation_may_not_go_before_its_sunset() -> None:
    report = changed(_remove_list, today=date(2027, 6, 30), base=deprecated_base())
    assert found(report) == {(LIST, "operation-removed")}
    assert "allowed after its sunset 2027-06-30" in report.breaking[0].detail


def test_a_deprecated_operation_may_go_after_its_sunset() -> None:
    report = changed(_remove_list, today=date(2027, 7, 1), base=deprecated_base())
    assert report.breaking == []
    assert [(c.operation, c.rule) for c in report.allowed] == [(LIST, "operation-removed")]


def test_a_deprecated_operation_may_break_after_its_sunset() -> None:
    def add_required(d: Doc) -> None:
        op(d, "/v1/things", "get")["parameters"].append(
            {"name": "province_code", "in": "query", "required": True, "schema": {"type": "string"}}
        )

    assert changed(add_required, today=date(2027, 7, 1), base=deprecated_base()).breaking == []
    assert found(changed(add_required, today=TODAY, base=deprecated_base())) == {
        (LIST, "new-required-parameter")
    }


def test_other_operations_stay_protected_after_a_sunset() -> None:
    def remove_both(d: Doc) -> None:
        d["paths"].pop("/v1/things")

    report = changed(remove_both, today=date(2027, 7, 1), base=deprecated_base())
    assert found(report) == {(CREATE, "operation-removed")}


def test_a_sunset_may_move_later_but_not_earlier() -> None:
    later = changed(
        lambda d: op(d, "/v1/things", "get").update({"x-sunset": "2027-12-31"}), base=deprecated_base()
    )
    assert later.breaking == []
    earlier = changed(
        lambda d: op(d, "/v1/things", "get").update({"x-sunset": "2027-01-31"}), base=deprecated_base()
    )
    assert found(earlier) == {(LIST, "sunset-moved-earlier")}


def test_the_servicekit_headers_and_the_check_read_the_same_day() -> None:
    # servicekit's Sunset header is the end of the x-sunset day in Hải Phòng; the check allows removal
    # from the next local day on.
    from servicekit.web.deprecation import deprecation_headers

    headers = dict(
        deprecation_headers("GET /v1/things", {"x-deprecated-since": "2026-12-01", "x-sunset": "2027-06-30"})
    )
    assert headers[b"sunset"] == b"Wed, 30 Jun 2027 17:00:00 GMT"  # 2027-07-01 00:00 at UTC+7
    assert compat.LOCAL.utcoffset(None).total_seconds() == 7 * 3600


# ------------------------------------------------------------------ the command line


def _tree(tmp_path: Path, current: Doc, released_doc: Doc | None) -> Path:
    for service in compat.SERVICES:
        folder = tmp_path / "services" / service
        folder.mkdir(parents=True)
        (folder / "openapi.json").write_text(json.dumps(current if service == "funding-api" else released()))
    released_dir = tmp_path / "openapi" / "released"
    released_dir.mkdir(parents=True)
    for service in compat.SERVICES:
        if released_doc is not None or service != "funding-api":
            (released_dir / f"{service}.json").write_text(json.dumps(released_doc or released()))
    return tmp_path


def test_check_fails_on_a_breaking_change_and_names_it(tmp_path: Path) -> None:
    current = released()
    current["paths"].pop("/v1/things/{thing_id}")
    root = _tree(tmp_path, current, released())
    out = io.StringIO()
    assert compat.check(root, root / "openapi" / "released", TODAY, out) == 1
    text = out.getvalue()
    assert "funding-api: BREAKING GET /v1/things/{thing_id}: operation-removed: removed" in text
    assert "registry-api: compatible with the released document" in text
    assert "docs/partners.md" in text


def test_check_passes_additions_and_a_service_not_yet_released(tmp_path: Path) -> None:
    current = released()
    ALLOWED["a new operation"](current)
    root = _tree(tmp_path, current, None)
    out = io.StringIO()
    assert compat.check(root, root / "openapi" / "released", TODAY, out) == 0
    assert "funding-api: no released document yet" in out.getvalue()


def test_release_then_check_passes(tmp_path: Path) -> None:
    current = released()
    current["paths"].pop("/v1/things/{thing_id}")
    root = _tree(tmp_path, current, released())
    assert compat.main(["check", "--root", str(root), "--today", "2026-11-28"]) == 1
    assert compat.main(["release", "--root", str(root)]) == 0
    assert json.loads((root / "openapi" / "released" / "funding-api.json").read_text()) == current
    assert compat.main(["check", "--root", str(root)]) == 0


def test_the_repository_keeps_a_released_document_per_service() -> None:
    for service in compat.SERVICES:
        document = json.loads((ROOT / "openapi" / "released" / f"{service}.json").read_text())
        assert document["openapi"].startswith("3.1")
        assert any(path.startswith("/v1/") for path in document["paths"])


def test_a_schema_only_a_sunset_operation_used_may_go_with_it() -> None:
    def remove_list_and_its_page(d: Doc) -> None:
        _remove_list(d)
        schemas(d).pop("ThingPage")

    after = changed(remove_list_and_its_page, today=date(2027, 7, 1), base=deprecated_base())
    assert after.breaking == []
    before = changed(remove_list_and_its_page, today=TODAY, base=deprecated_base())
    assert ("components/schemas/ThingPage", "schema-renamed") in found(before)

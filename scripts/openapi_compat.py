"""Breaking-change check: each service's `openapi.json` against its last released document.

    python scripts/openapi_compat.py check [--today YYYY-MM-DD]   # `make openapi-check`
    python scripts/openapi_compat.py release                      # `make openapi-release`

The released documents live in `openapi/released/<service>.json` (what partners build against). Every
operation in a released document is a promise: the check fails when the current document breaks it.
The rules (each change below is reported with its rule code; docs/partners.md, "Versioning"):

Operations
  operation-removed          a released path or method is gone
  success-status-changed     the set of 2xx status codes of an operation changed (removed or added:
                             a strict client treats an unexpected success code as an error)
  media-type-removed         a request or success-response media type is gone
  response-header-removed    a header a success response declared is gone
  access-narrowed            a public operation needs a token, or a role in `x-roles` is no longer
                             admitted (a partner that could call it would get 401 or 403)
  deprecation-undocumented   an operation is `deprecated` without `x-sunset` and `x-deprecated-since`
                             dates (YYYY-MM-DD), or its sunset is not after its deprecation
  sunset-moved-earlier       a deprecated operation's `x-sunset` moved earlier than released
Parameters and request bodies (what clients send)
  parameter-removed          a parameter is gone (clients sending it would be refused or ignored)
  parameter-required         an optional parameter became required
  new-required-parameter     a new parameter is required
  request-body-removed       the operation no longer reads a body clients send
  request-body-required      the body became required (or a new body is required)
  request-property-removed   a body property is gone (write bodies refuse unknown properties)
  request-property-required  an optional body property became required
  new-required-request-property  a new body property is required
  request-null-refused       a value that accepted null no longer does
  request-narrowed           a narrower constraint: maxLength, maximum, maxItems lower; minLength,
                             minimum, minItems higher; a pattern, multipleOf, uniqueItems or an enum
                             added or changed; a union variant removed
  request-enum-value-removed an enum value clients may send is gone
  default-changed            the default of an optional parameter or property changed
Responses (what clients read)
  response-property-removed  a property is gone or renamed (nested schemas too, `$ref`s resolved)
  response-property-optional a property that was always present may now be missing
  response-null-added        a value that was never null may now be null
  response-enum-value-added  an enum value clients may receive is new: generated clients (and any
                             `switch` without a default) fail on a value they do not know. Mark a
                             schema `x-extensible-enum: true` to promise clients that values may be
                             added; then additions pass.
  response-variant-added     a union (anyOf/oneOf) may answer a new variant
Schemas
  schema-renamed             a component schema a released operation uses is gone or renamed (its
                             shape may be intact, but generated clients name their classes after it)
Both directions
  type-changed               a type changed (widening passes only where it is safe: a request that
                             accepted integer may accept number, a response that sent number may
                             send integer)
  format-changed             a `format` was added, removed or changed

Allowed: new operations (a new major version `/v2/...` beside the kept `/v1/...` is how a breaking
change is published), new optional parameters and body properties, new response properties, wider
request constraints, fewer response enum values, new error responses.

A released operation that was already `deprecated: true` with an `x-sunset` date may be changed or
removed once that date has passed in Hải Phòng (Asia/Ho_Chi_Minh): the operation answers up to the end
of its sunset day. Constraints (maxLength ...) are compared on requests only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RELEASED_DIR = ROOT / "openapi" / "released"
SERVICES = ("registry-api", "funding-api", "inspection-api")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Vietnam keeps no daylight saving time: Asia/Ho_Chi_Minh is UTC+7 all year.
LOCAL = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Json = dict[str, Any]

# Constraints a request may not narrow: (keyword, True when a larger value is narrower).
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")


@dataclass(frozen=True, order=True)
class Change:
    """One breaking change: the operation, the rule broken, where in it, and what happened."""

    operation: str
    rule: str
    where: str
    detail: str

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{self.operation}{where}: {self.rule}: {self.detail}"


@dataclass
class Report:
    breaking: list[Change] = field(default_factory=list)
    # Changes that would break but are allowed (the operation's sunset has passed).
    allowed: list[Change] = field(default_factory=list)


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or not ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def local_today() -> date:
    return datetime.now(UTC).astimezone(LOCAL).date()


# ---------------------------------------------------------------------- documents and schemas


def _pointer(doc: Json, ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported: {ref}")
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def resolve(doc: Json, node: Any) -> tuple[Json, str | None]:
    """The node with its `$ref` chain followed (sibling keywords kept), and the last ref's name."""
    name = None
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = str(node["$ref"])
        if ref in seen:
            break
        seen.add(ref)
        name = ref
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node = {**_pointer(doc, ref), **siblings}
    return (node if isinstance(node, dict) else {}), name


def _is_null(node: Json) -> bool:
    return node.get("type") == "null" or ("const" in node and node["const"] is None)


def _split_nullable(doc: Json, node: Json) -> tuple[bool, list[tuple[Json, str | None]]]:
    """(accepts null, the non-null alternatives each resolved with its ref name)."""
    node, name = resolve(doc, node)
    for key in ("anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            siblings = {k: v for k, v in node.items() if k not in (key, "title", "description")}
            nullable = False
            variants: list[tuple[Json, str | None]] = []
            for raw in node[key]:
                variant, ref = resolve(doc, raw)
                if _is_null(variant):
                    nullable = True
                    continue
                inner_null, inner = _split_nullable(doc, variant)
                nullable = nullable or inner_null
                for inner_variant, inner_ref in inner:
                    merged = {**siblings, **inner_variant}
                    variants.append((merged, inner_ref or ref))
            return nullable, variants
    types = node.get("type")
    if isinstance(types, list) and "null" in types:
        rest = [t for t in types if t != "null"]
        stripped = {**node, "type": rest[0] if len(rest) == 1 else rest}
        if not rest:
            stripped.pop("type")
        return True, [(stripped, name)]
    if isinstance(node.get("enum"), list) and None in node["enum"]:
        return True, [({**node, "enum": [v for v in node["enum"] if v is not None]}, name)]
    return False, [(node, name)]


def _flatten_all_of(doc: Json, node: Json) -> Json:
    if not isinstance(node.get("allOf"), list):
        return node
    merged: Json = {k: v for k, v in node.items() if k != "allOf"}
    for raw in node["allOf"]:
        part = _flatten_all_of(doc, resolve(doc, raw)[0])
        for key, value in part.items():
            if key == "properties":
                merged["properties"] = {**merged.get("properties", {}), **value}
            elif key == "required":
                merged["required"] = sorted({*merged.get("required", []), *value})
            else:
                merged.setdefault(key, value)
    return merged


def _types(node: Json) -> set[str]:
    raw = node.get("type")
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list):
        return {str(t) for t in raw}
    values = [node["const"]] if "const" in node else node.get("enum")
    if isinstance(values, list) and values:
        found = set()
        for value in values:
            if isinstance(value, bool):
                found.add("boolean")
            elif isinstance(value, int):
                found.add("integer")
            elif isinstance(value, float):
                found.add("number")
            elif isinstance(value, str):
                found.add("string")
        return found
    if "properties" in node:
        return {"object"}
    if "items" in node:
        return {"array"}
    return set()  # any value


def _accepts(wider: set[str], narrower: set[str]) -> bool:
    """Every value of the `narrower` types is a value of the `wider` ones (integer is a number)."""
    return all(t in wider or (t == "integer" and "number" in wider) for t in narrower)


def _enum(node: Json) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return list(values) if isinstance(values, list) else None


def _show(values: list[Any]) -> str:
    return ", ".join(json.dumps(v, ensure_ascii=False) for v in values)


class Comparer:
    """Compares one released operation with the current one; collects the changes that break it."""

    def __init__(self, old_doc: Json, new_doc: Json, operation: str) -> None:
        self.old_doc = old_doc
        self.new_doc = new_doc
        self.operation = operation
        self.changes: list[Change] = []
        self._compared: set[tuple[str, str, str]] = set()

    def report(self, rule: str, where: str, detail: str) -> None:
        self.changes.append(Change(self.operation, rule, where, detail))

    # -------------------------------------------------------------- schemas

    def schema(self, old: Any, new: Any, *, request: bool, where: str) -> None:
        old_null, old_variants = _split_nullable(self.old_doc, old if isinstance(old, dict) else {})
        new_null, new_variants = _split_nullable(self.new_doc, new if isinstance(new, dict) else {})
        if request and old_null and not new_null:
            self.report("request-null-refused", where, "null was accepted and is now refused")
        if not request and new_null and not old_null:
            self.report("response-null-added", where, "may now be null")
        if len(old_variants) == 1 and len(new_variants) == 1:
            self._single(old_variants[0], new_variants[0], request=request, where=where)
            return
        old_keyed = self._keyed(old_variants)
        new_keyed = self._keyed(new_variants)
        if request:
            for key in old_keyed.keys() - new_keyed.keys():
                self.report("request-narrowed", where, f"the alternative {key} is no longer accepted")
        else:
            for key in new_keyed.keys() - old_keyed.keys():
                self.report("response-variant-added", where, f"may now answer the alternative {key}")
        for key in old_keyed.keys() & new_keyed.keys():
            self._single(old_keyed[key], new_keyed[key], request=request, where=where)

    @staticmethod
    def _keyed(variants: list[tuple[Json, str | None]]) -> dict[str, tuple[Json, str | None]]:
        keyed = {}
        for index, (variant, ref) in enumerate(variants):
            key = (
                ref.rsplit("/", 1)[-1] if ref else f"#{index} ({'|'.join(sorted(_types(variant))) or 'any'})"
            )
            keyed[key] = (variant, ref)
        return keyed

    def _single(
        self,
        old_pair: tuple[Json, str | None],
        new_pair: tuple[Json, str | None],
        *,
        request: bool,
        where: str,
    ) -> None:
        (old, old_ref), (new, new_ref) = old_pair, new_pair
        if old_ref and new_ref:
            # A recursive schema, or one shared by many properties, is compared once per direction.
            key = (old_ref, new_ref, "request" if request else "response")
            if key in self._compared:
                return
            self._compared.add(key)
        old = _flatten_all_of(self.old_doc, old)
        new = _flatten_all_of(self.new_doc, new)
        self._type_and_format(old, new, request=request, where=where)
        self._enums(old, new, request=request, where=where)
        if request:
            self._constraints(old, new, where=where)
        self._properties(old, new, request=request, where=where)
        if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
            self.schema(old["items"], new["items"], request=request, where=f"{where}[]")
        old_extra, new_extra = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(old_extra, dict) and isinstance(new_extra, dict):
            self.schema(old_extra, new_extra, request=request, where=f"{where}{{*}}")

    def _type_and_format(self, old: Json, new: Json, *, request: bool, where: str) -> None:
        old_types, new_types = _types(old), _types(new)
        if old_types != new_types:
            if request:
                broken = bool(new_types) and (not old_types or not _accepts(new_types, old_types))
            else:
                broken = bool(old_types) and (not new_types or not _accepts(old_types, new_types))
            if broken:
                shown_old = "|".join(sorted(old_types)) or "any"
                shown_new = "|".join(sorted(new_types)) or "any"
                self.report("type-changed", where, f"type {shown_old} became {shown_new}")
        if old.get("format") != new.get("format"):
            self.report("format-changed", where, f"format {old.get('format')!r} became {new.get('format')!r}")

    def _enums(self, old: Json, new: Json, *, request: bool, where: str) -> None:
        old_enum, new_enum = _enum(old), _enum(new)
        if request:
            if new_enum is None:
                return
            if old_enum is None:
                self.report("request-narrowed", where, f"now restricted to {_show(new_enum)}")
                return
            removed = [v for v in old_enum if v not in new_enum]
            if removed:
                self.report("request-enum-value-removed", where, f"no longer accepts {_show(removed)}")
            return
        if old_enum is None or old.get("x-extensible-enum") is True:
            return
        if new_enum is None:
            self.report("response-enum-value-added", where, "no longer limited to its enum values")
            return
        added = [v for v in new_enum if v not in old_enum]
        if added:
            self.report("response-enum-value-added", where, f"may now answer {_show(added)}")

    def _constraints(self, old: Json, new: Json, *, where: str) -> None:
        for keyword in (*_UPPER_BOUNDS, *_LOWER_BOUNDS):
            before, after = old.get(keyword), new.get(keyword)
            if not isinstance(after, int | float) or isinstance(after, bool):
                continue
            upper = keyword in _UPPER_BOUNDS
            narrower = not isinstance(before, int | float) or (after < before if upper else after > before)
            if narrower:
                self.report("request-narrowed", where, f"{keyword} {before} became {after}")
        for keyword in ("pattern", "multipleOf"):
            if keyword in new and new.get(keyword) != old.get(keyword):
                self.report(
                    "request-narrowed", where, f"{keyword} {old.get(keyword)!r} became {new[keyword]!r}"
                )
        if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
            self.report("request-narrowed", where, "items must now be unique")
        if old.get("additionalProperties") is not False and new.get("additionalProperties") is False:
            self.report("request-narrowed", where, "unknown properties are now refused")
        if "default" in old and old.get("default") != new.get("default"):
            self.report("default-changed", where, f"default {old['default']!r} became {new.get('default')!r}")

    def _properties(self, old: Json, new: Json, *, request: bool, where: str) -> None:
        old_props: Json = old.get("properties") or {}
        new_props: Json = new.get("properties") or {}
        if not old_props and not new_props:
            return
        old_required = set(old.get("required") or [])
        new_required = set(new.get("required") or [])
        prefix = f"{where}." if where else ""
        for name, old_prop in old_props.items():
            at = prefix + name
            if name not in new_props:
                rule = "request-property-removed" if request else "response-property-removed"
                self.report(rule, at, "removed (or renamed)")
                continue
            if request and name in new_required and name not in old_required:
                self.report("request-property-required", at, "optional, now required")
            if not request and name in old_required and name not in new_required:
                self.report("response-property-optional", at, "always present, now optional")
            self.schema(old_prop, new_props[name], request=request, where=at)
        if request:
            for name in sorted(new_required - set(old_props)):
                self.report("new-required-request-property", prefix + name, "a new required property")

    # -------------------------------------------------------------- one operation

    def compare(self, old_path: Json, old_op: Json, new_path: Json, new_op: Json) -> list[Change]:
        self._parameters(old_path, old_op, new_path, new_op)
        self._request_body(old_op, new_op)
        self._responses(old_op, new_op)
        self._access(old_op, new_op)
        return self.changes

    def _access(self, old_op: Json, new_op: Json) -> None:
        if not old_op.get("security") and new_op.get("security"):
            self.report("access-narrowed", "security", "a public operation now needs a token")
        old_roles, new_roles = old_op.get("x-roles"), new_op.get("x-roles")
        if isinstance(new_roles, list):
            lost = sorted(set(old_roles) - set(new_roles)) if isinstance(old_roles, list) else ["(any)"]
            if lost:
                self.report("access-narrowed", "x-roles", f"no longer admits {', '.join(lost)}")

    def _parameter_map(self, doc: Json, path_item: Json, operation: Json) -> dict[tuple[str, str], Json]:
        """Parameters by (in, name); path parameters by position, since renaming `{id}` changes no URL."""
        by_name: dict[tuple[str, str], Json] = {}
        for raw in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter, _ = resolve(doc, raw)
            place, name = str(parameter.get("in", "")), str(parameter.get("name", ""))
            by_name[(place, name.lower() if place == "header" else name)] = parameter  # operation wins
        found: dict[tuple[str, str], Json] = {}
        position = 0
        for (place, name), parameter in by_name.items():
            if place == "path":
                found[("path", f"#{position}")] = parameter
                position += 1
            else:
                found[(place, name)] = parameter
        return found

    def _parameters(self, old_path: Json, old_op: Json, new_path: Json, new_op: Json) -> None:
        old_params = self._parameter_map(self.old_doc, old_path, old_op)
        new_params = self._parameter_map(self.new_doc, new_path, new_op)
        for key, old in old_params.items():
            where = f"{key[0]} parameter {old.get('name')}"
            new = new_params.get(key)
            if new is None:
                self.report("parameter-removed", where, "removed")
                continue
            if new.get("required") and not old.get("required"):
                self.report("parameter-required", where, "optional, now required")
            self.schema(old.get("schema") or {}, new.get("schema") or {}, request=True, where=where)
        for key, new in new_params.items():
            if key not in old_params and new.get("required"):
                where = f"{key[0]} parameter {new.get('name')}"
                self.report("new-required-parameter", where, "a new required parameter")

    def _request_body(self, old_op: Json, new_op: Json) -> None:
        old_body = resolve(self.old_doc, old_op["requestBody"])[0] if "requestBody" in old_op else None
        new_body = resolve(self.new_doc, new_op["requestBody"])[0] if "requestBody" in new_op else None
        if old_body is None:
            if new_body is not None and new_body.get("required"):
                self.report("request-body-required", "request body", "a new required body")
            return
        if new_body is None:
            self.report("request-body-removed", "request body", "the body is no longer read")
            return
        if new_body.get("required") and not old_body.get("required"):
            self.report("request-body-required", "request body", "optional, now required")
        self._media(old_body, new_body, request=True, where="request")

    def _media(self, old: Json, new: Json, *, request: bool, where: str) -> None:
        old_content = {_media_type(k): v for k, v in (old.get("content") or {}).items()}
        new_content = {_media_type(k): v for k, v in (new.get("content") or {}).items()}
        for media, old_media in old_content.items():
            if media not in new_content:
                self.report("media-type-removed", f"{where} {media}", "media type removed")
                continue
            self.schema(
                old_media.get("schema") or {},
                new_content[media].get("schema") or {},
                request=request,
                where=f"{where} {media}",
            )

    def _responses(self, old_op: Json, new_op: Json) -> None:
        old_responses: Json = old_op.get("responses") or {}
        new_responses: Json = new_op.get("responses") or {}
        old_success = {str(c) for c in old_responses if str(c).startswith("2")}
        new_success = {str(c) for c in new_responses if str(c).startswith("2")}
        if old_success != new_success:
            self.report(
                "success-status-changed",
                "responses",
                f"success statuses {sorted(old_success)} became {sorted(new_success)}",
            )
        for status in sorted(old_success & new_success):
            old, _ = resolve(self.old_doc, old_responses[status])
            new, _ = resolve(self.new_doc, new_responses[status])
            new_headers = {h.lower() for h in (new.get("headers") or {})}
            for header in old.get("headers") or {}:
                if header.lower() not in new_headers:
                    self.report("response-header-removed", f"response {status}", f"header {header} removed")
            self._media(old, new, request=False, where=f"response {status}")


def _media_type(value: str) -> str:
    return value.split(";", maxsplit=1)[0].strip().lower()


# ---------------------------------------------------------------------- documents


def operations(doc: Json) -> Iterator[tuple[str, str, Json, Json]]:
    """(path, method, path item, operation) for every operation of the document."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                yield path, method, item, operation


def _path_key(path: str) -> str:
    """`/v1/x/{id}` and `/v1/x/{x_id}` are one URL."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def _deprecation_problems(operation: Json) -> str | None:
    if operation.get("deprecated") is not True:
        return None
    sunset = parse_date(operation.get("x-sunset"))
    since = parse_date(operation.get("x-deprecated-since"))
    if sunset is None or since is None:
        return "deprecated without `x-sunset` and `x-deprecated-since` dates (YYYY-MM-DD)"
    if sunset <= since:
        return f"sunset {sunset} is not after the deprecation {since}"
    return None


def compare(released: Json, current: Json, today: date) -> Report:
    """Every change in `current` that breaks an operation of `released` (and each allowed one)."""
    report = Report()
    current_ops = {(_path_key(p), m): (p, item, op) for p, m, item, op in operations(current)}
    for path, method, _item, operation in operations(current):
        problem = _deprecation_problems(operation)
        if problem:
            report.breaking.append(
                Change(f"{method.upper()} {path}", "deprecation-undocumented", "", problem)
            )
    protected_schemas: set[str] = set()
    for path, method, old_item, old_op in operations(released):
        name = f"{method.upper()} {path}"
        sunset = parse_date(old_op.get("x-sunset")) if old_op.get("deprecated") is True else None
        if sunset is None or today <= sunset:
            protected_schemas |= referenced_schemas(released, [old_item.get("parameters"), old_op])
        found = current_ops.get((_path_key(path), method))
        if found is None:
            changes = [Change(name, "operation-removed", "", "removed")]
        else:
            _, new_item, new_op = found
            changes = Comparer(released, current, name).compare(old_item, old_op, new_item, new_op)
            new_sunset = parse_date(new_op.get("x-sunset")) if new_op.get("deprecated") is True else None
            if sunset and new_sunset and new_sunset < sunset:
                changes.append(
                    Change(name, "sunset-moved-earlier", "", f"sunset {sunset} moved to {new_sunset}")
                )
        if sunset is not None and today > sunset:
            report.allowed += changes
            continue
        if sunset is not None:
            changes = [
                Change(
                    c.operation,
                    c.rule,
                    c.where,
                    f"{c.detail} (deprecated; allowed after its sunset {sunset})",
                )
                for c in changes
            ]
        report.breaking += changes
    current_schemas = set((current.get("components") or {}).get("schemas") or {})
    for schema in sorted(protected_schemas - current_schemas):
        report.breaking.append(
            Change(
                f"components/schemas/{schema}",
                "schema-renamed",
                "",
                "gone or renamed: generated clients name their classes after it (FastAPI renames a "
                "schema when another one of the same name appears: name the new one differently)",
            )
        )
    report.breaking.sort()
    report.allowed.sort()
    return report


def referenced_schemas(doc: Json, nodes: list[Any]) -> set[str]:
    """The component schemas the nodes reference, directly or through other schemas."""
    found: set[str] = set()
    pending = list(nodes)
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                schema = ref.rsplit("/", 1)[-1]
                if schema not in found:
                    found.add(schema)
                    pending.append(((doc.get("components") or {}).get("schemas") or {}).get(schema))
            elif isinstance(ref, str) and ref.startswith("#/"):
                pending.append(_pointer(doc, ref))
            pending.extend(v for k, v in node.items() if k != "$ref")
        elif isinstance(node, list):
            pending.extend(node)
    return found


# ---------------------------------------------------------------------- command line


def _load(path: Path) -> Json:
    data: Json = json.loads(path.read_text(encoding="utf-8"))
    return data


def check(root: Path, released_dir: Path, today: date, out: Any = sys.stdout) -> int:
    failed = False
    for service in SERVICES:
        current_path = root / "services" / service / "openapi.json"
        released_path = released_dir / f"{service}.json"
        if not released_path.is_file():
            print(f"{service}: no released document yet (make openapi-release publishes one)", file=out)
            continue
        if not current_path.is_file():
            print(f"{service}: the released document has no current openapi.json", file=out)
            failed = True
            continue
        report = compare(_load(released_path), _load(current_path), today)
        for change in report.allowed:
            print(f"{service}: allowed after its sunset: {change}", file=out)
        for change in report.breaking:
            print(f"{service}: BREAKING {change}", file=out)
        failed = failed or bool(report.breaking)
        if not report.breaking:
            print(f"{service}: compatible with the released document", file=out)
    if failed:
        print(
            "\nBreaking changes to released operations. Publish the change as a new operation under a new "
            "major version (/v2/...) and keep the released one, or deprecate the released operation "
            "(deprecated=True with x-sunset and x-deprecated-since), release that, and remove it after "
            "its sunset. See docs/partners.md, Versioning.",
            file=out,
        )
        return 1
    return 0


def release(root: Path, released_dir: Path, out: Any = sys.stdout) -> int:
    released_dir.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        current_path = root / "services" / service / "openapi.json"
        if current_path.is_file():
            shutil.copyfile(current_path, released_dir / f"{service}.json")
            print(f"released {service}: {released_dir / f'{service}.json'}", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("mode", choices=("check", "release"), nargs="?", default="check")
    parser.add_argument("--today", type=date.fromisoformat, help="the date to judge sunsets by (tests)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--released", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    released_dir = args.released or args.root / "openapi" / "released"
    if args.mode == "release":
        return release(args.root, released_dir)
    return check(args.root, released_dir, args.today or local_today())


if __name__ == "__main__":
    sys.exit(main())

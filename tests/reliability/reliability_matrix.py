"""The authorization matrix, generated from a service's OpenAPI (built in-process from `create_app`).

Each service gets one test module (`test_<service>.py`) that calls `install(globals(), SERVICE)`: it
defines module-scoped fixtures (`service_config`, `database_url`, `db_engine`) overriding the
servicekit plugin's session-scoped ones, so the three services share one pytest process, each with
its own migrated and seeded database (`rel_<prefix>_<suffix>`), and it generates the tests:

- `test_matrix[<operationId>]`: every role x {own area, another commune, another province}. A role
  outside the operation's `x-roles` (published by servicekit from `require_roles`) must get 403; an
  area-bound operation (a path id harvested from a seeded row with area codes, or a body naming the
  own area) must never answer 2xx to another commune's or another province's caller (the swapped-id
  test); every list item carrying area codes must be covered by the caller's area.
- `test_unknown_fields_are_refused[<operationId>]`: every JSON write body refuses an unknown field
  with 422 naming it (`extra_forbidden`), and its schema says `additionalProperties: false`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import importlib.util
import json
import os
import re
import sys
import time
import typing
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import hypothesis
import jwt
import pytest
import schemathesis
import schemathesis.pytest
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI
from fastapi.routing import APIRoute
from schemathesis import GenerationMode, checks
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from servicekit.areas import AreaScope
from servicekit.db.engine import make_engine
from servicekit.principal import Role
from servicekit.testing.plugin import ServiceTestConfig
from servicekit.testing.tokens import TEST_ISSUER, TestIssuer

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")
ROLES = [r.value for r in Role]
PROVINCE = "31"  # Hải Phòng: the demo data's province
COMMUNES = ("10525", "11560")  # two of its communes
OTHER_PROVINCE, OTHER_PROVINCE_COMMUNE = "01", "00004"  # Hà Nội, Phường Ba Đình
UNKNOWN_FIELD = "zz_rel_unknown_field"
# Rows every caller may read whatever their area, each justified by the route's documented rule.
NOT_AREA_FILTERED = {
    # Nationwide reference data (the administrative units of every province), token only.
    "admin-units-get_admin_unit",
    # "The targets (published plans, not area-filtered)": the route's docstring.
    "housing-targets-list_housing_targets",
}
# Examples per operation: a bounded run in `make test`, more with `make fuzz` (REL_FUZZ_EXAMPLES=...).
FUZZ_EXAMPLES = int(os.environ.get("REL_FUZZ_EXAMPLES", "8"))
FUZZ_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
    # Malformed input must be a 4xx, never guessed: strict bodies (servicekit's WriteModel) and
    # strict date/boolean parameters (IsoDate, IsoDateTime, QueryBool; `test_parameters_are_strict`).
    checks.negative_data_rejection,
]
COUNT_FILE = os.environ.get("REL_FUZZ_COUNT_FILE")
# `make fuzz`: the long run (more examples, Schemathesis' coverage phase).
FUZZ_LONG = bool(os.environ.get("REL_FUZZ_LONG"))
# Operations outside the business API: health and metrics (no token by design).
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


@dataclass(frozen=True)
class Service:
    name: str  # the token audience
    folder: str  # services/<folder>
    package: str


@cache
def service_conftest(service: Service) -> ModuleType:
    """The service's own tests/conftest.py (its `make_app` and `service_config`), loaded by path."""
    path = ROOT / "services" / service.folder / "tests" / "conftest.py"
    spec = importlib.util.spec_from_file_location(f"rel_{service.package}_conftest", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def base_config(service: Service) -> ServiceTestConfig:
    config: ServiceTestConfig = service_conftest(service).service_config.__wrapped__()
    return config


@cache
def openapi(service: Service) -> dict[str, Any]:
    config = base_config(service)
    app = config.app_factory("postgresql+asyncpg://rel:rel@127.0.0.1:1/rel", None, None)  # type: ignore[arg-type]
    schema: dict[str, Any] = app.openapi()
    return schema


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    roles: frozenset[str] | None  # None: any authenticated caller
    op: dict[str, Any] = field(compare=False, repr=False)

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{([^}]+)}", self.path)

    @property
    def json_body_schema(self) -> dict[str, Any] | None:
        content = self.op.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return schema if isinstance(schema, dict) else None


def operations(service: Service) -> list[Operation]:
    found = []
    for path, item in openapi(service)["paths"].items():
        if path in OPEN_PATHS:
            continue
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            roles = op.get("x-roles")
            found.append(Operation(method, path, op["operationId"], frozenset(roles) if roles else None, op))
    return found


def resolve(schema: dict[str, Any], service: Service) -> dict[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = openapi(service)["components"]["schemas"][name]
        seen += 1
    return schema


def example(  # noqa: PLR0912  (one branch per JSON Schema type)
    schema: dict[str, Any], service: Service, name: str = "", depth: int = 0
) -> Any:
    """A small instance of `schema`, naming the own area wherever the schema asks for an area code."""
    schema = resolve(schema, service)
    if depth > 6:
        return None
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if resolve(s, service).get("type") != "null"]
            return example(options[0], service, name, depth + 1) if options else None
    if "allOf" in schema:
        return example(schema["allOf"][0], service, name, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if name == "province_code":
        return PROVINCE
    if name == "commune_code":
        return COMMUNES[0]
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            key: example(sub, service, key, depth + 1)
            for key, sub in props.items()
            if key in schema.get("required", [])
        }
    if kind == "array":
        count = schema.get("minItems", 0)
        return [example(schema.get("items", {}), service, name, depth + 1) for _ in range(count)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), int(schema.get("exclusiveMinimum", 0)) + 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), float(schema.get("exclusiveMinimum", 0)) + 1)
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        formats = {
            "date": "2026-01-15",
            "date-time": "2026-01-15T08:00:00Z",
            "uuid": str(uuid.uuid4()),
            "email": "rel@example.vn",
            "uri": "https://example.vn/x",
        }
        if fmt in formats:
            return formats[fmt]
        return "x" * max(int(schema.get("minLength", 1)), 1)
    return None


# ---------------------------------------------------------------- fixtures and the seeded data


def database_name(config: ServiceTestConfig) -> str:
    suffix = os.environ.get("NOXH_TEST_DB_SUFFIX") or os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"rel_{config.db_prefix}_{suffix}"


async def seed(service: Service, url: str) -> list[str]:
    """Every seed step, demo steps included, each in its own transaction. A step that fails (another
    team's half-done seed) is reported, not fatal: the matrix then has less data to swap."""
    module = importlib.import_module(f"{service.package}.seed")
    config = importlib.import_module(f"{service.package}.config")
    # Demo steps read the service's settings from the environment (e.g. the PII keys): the tests' values.
    prefix = str(config.Settings.model_config.get("env_prefix", ""))
    values = {
        "ENV": "test",
        "DATABASE_URL": url,
        "OIDC_ISSUER": TEST_ISSUER,
        "PII_ENCRYPTION_KEY": "test-encryption-key-" + "0" * 24,
        "PII_BLIND_INDEX_KEY": "test-blind-index-key-" + "0" * 23,
        "SERVICE_CLIENT_ID": service.name,
        "SERVICE_CLIENT_SECRET": "test-service-secret",
    }
    saved = {prefix + k: os.environ.get(prefix + k) for k in values}
    os.environ.update({prefix + k: v for k, v in values.items()})
    config.get_settings.cache_clear()
    engine = make_engine(url, pool_size=1)
    failed = []
    try:
        sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        for step in module.STEPS:
            try:
                async with sessionmaker() as session, session.begin():
                    await step.run(session)
            except Exception as exc:  # another team's step in progress: reported, not fatal
                failed.append(f"{step.name}: {type(exc).__name__}")
    finally:
        await engine.dispose()
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old
        config.get_settings.cache_clear()
    return failed


@dataclass
class Harvest:
    """Real ids of seeded rows (read with an all-roles province token), by collection path."""

    rows: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    seed_failures: list[str] = field(default_factory=list)
    app: FastAPI | None = None


ALL_ROLES_PROVINCE = {"roles": ROLES, "area_codes": [PROVINCE]}


def pick(items: list[Any]) -> dict[str, Any] | None:
    rows = [i for i in items if isinstance(i, dict)]
    with_commune = [i for i in rows if i.get("commune_code") in COMMUNES]
    with_province = [i for i in rows if i.get("province_code") == PROVINCE]
    candidates = with_commune or with_province or rows
    return candidates[0] if candidates else None


def id_value(row: dict[str, Any], param: str) -> str | None:
    for key in (param, "id", "code", param.removesuffix("_id")):
        value = row.get(key)
        if isinstance(value, str | int):
            return str(value)
    return None


async def fill_path(
    http: httpx.AsyncClient, headers: dict[str, str], service: Service, op: Operation, harvest: Harvest
) -> tuple[str, dict[str, Any] | None, bool]:
    """The op's path with real ids where the data allows; the first id's row (its area); whether
    every id was a real one."""
    path = op.path
    area_row: dict[str, Any] | None = None
    complete = True
    gets = {p for p, item in openapi(service)["paths"].items() if "get" in item}
    for param in op.path_params:
        marker = "{" + param + "}"
        prefix_template = op.path.split(marker)[0].rstrip("/")
        collection = path.split(marker)[0].rstrip("/")
        if collection not in harvest.rows:
            row = None
            if prefix_template in gets:
                response = await http.get(collection, headers=headers)
                if response.status_code == 200:
                    body = response.json()
                    items = body.get("items") if isinstance(body, dict) else body
                    row = pick(items) if isinstance(items, list) else None
            harvest.rows[collection] = row
        row = harvest.rows[collection]
        value = id_value(row, param) if row else None
        if value is None:
            complete = False
            value = str(uuid.uuid4()) if "code" not in param else "99999"
        elif area_row is None:
            if f"{prefix_template}/{marker}" in gets:
                # The detail view may carry area codes the list view leaves out.
                response = await http.get(f"{collection}/{value}", headers=headers)
                if response.status_code == 200 and isinstance(response.json(), dict):
                    row = {**row, **response.json()}  # type: ignore[dict-item]
            area_row = row
        path = path.replace(marker, value, 1)
    return path, area_row, complete


def install(namespace: dict[str, Any], service: Service) -> None:
    """Define the module's fixtures and generated tests in `namespace` (the test module's globals)."""
    ops = operations(service)

    @pytest.fixture(scope="module")
    def service_config() -> ServiceTestConfig:
        from committed import recording_config  # (imports this module)

        # Every app the module builds keeps its error answers for the personal-data scan.
        return recording_config(base_config(service))

    @pytest.fixture(scope="module")
    async def database_url(pg_admin_url: str, service_config: ServiceTestConfig) -> str:
        from committed import seeded_copy

        # A copy of a database migrated and seeded once per process (shared with tests/reliability's
        # other modules): every seed step, demo data included.
        url, _seeded = await seeded_copy(pg_admin_url, service, database_name(service_config))
        return url

    @pytest.fixture(scope="module")
    async def db_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
        engine = make_engine(database_url, pool_size=5)
        yield engine
        await engine.dispose()

    @pytest.fixture(scope="module")
    async def harvest(
        pg_admin_url: str,
        database_url: str,
        db_engine: AsyncEngine,
        service_config: ServiceTestConfig,
        test_issuer: TestIssuer,
    ) -> Harvest:
        from committed import seeded_template

        template = await seeded_template(pg_admin_url, service)  # built by `database_url` already
        result = Harvest(seed_failures=template.seed_failures)
        if COUNT_FILE:
            for failure in result.seed_failures:
                _append(COUNT_FILE, f"seed-failed {service.name} {failure}\n")
        # Collections are read lazily by the tests, through this committing app.
        result.app = service_config.app_factory(
            database_url,
            async_sessionmaker(db_engine, expire_on_commit=False),
            test_issuer.verifier(service.name),
        )
        return result

    @pytest.fixture(scope="module")
    async def reader(harvest: Harvest) -> AsyncIterator[httpx.AsyncClient]:
        assert harvest.app is not None
        transport = httpx.ASGITransport(app=harvest.app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http

    @pytest.mark.parametrize("op", ops, ids=[o.operation_id for o in ops])
    async def test_matrix(
        op: Operation,
        client: httpx.AsyncClient,
        reader: httpx.AsyncClient,
        harvest: Harvest,
        token: Callable[..., str],
    ) -> None:
        harvester = {"Authorization": f"Bearer {token(**ALL_ROLES_PROVINCE)}"}
        path, area_row, complete = await fill_path(reader, harvester, service, op, harvest)
        body_schema = op.json_body_schema
        body = example(body_schema, service) if body_schema else None
        query = {
            p["name"]: example(p.get("schema", {}), service, p["name"])
            for p in op.op.get("parameters", [])
            if p.get("in") == "query" and p.get("required")
        }
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        if op.method in ("put", "patch", "delete", "post") and complete and op.path_params:
            current = await reader.get(path, headers=harvester)
            headers["If-Match"] = current.headers.get("etag", 'W/"1"')
        else:
            headers["If-Match"] = 'W/"1"'
        row_province = (area_row or {}).get("province_code")
        row_commune = (area_row or {}).get("commune_code")
        body_area = isinstance(body, dict) and (
            body.get("province_code") == PROVINCE or body.get("commune_code") in COMMUNES
        )
        own_commune = row_commune if row_commune in COMMUNES else COMMUNES[0]
        other_commune = next(c for c in COMMUNES if c != own_commune)
        failures = []
        for role in ROLES:
            commune_bound = role == Role.COMMUNE_OFFICER
            contexts = {
                "own": [own_commune] if commune_bound else [PROVINCE],
                "other_commune": [other_commune],
                "other_province": [OTHER_PROVINCE_COMMUNE] if commune_bound else [OTHER_PROVINCE],
            }
            for context, codes in contexts.items():
                auth = {"Authorization": f"Bearer {token(roles=[role], area_codes=codes)}"}
                response = await client.request(
                    op.method.upper(),
                    path,
                    params=query,
                    json=body,
                    headers={**headers, **auth},
                )
                status = response.status_code
                ok = 200 <= status < 300
                where = f"{op.method.upper()} {path} as {role} ({context} {codes}) -> {status}"
                if op.roles is not None and role not in op.roles:
                    if status != 403:
                        failures.append(f"{where}: role not in x-roles, expected 403")
                    continue
                area_bound_path = complete and row_province is not None
                other = context != "own"
                if op.operation_id in NOT_AREA_FILTERED:
                    continue
                swapped = context == "other_province" or row_commune is not None
                if ok and other and area_bound_path and swapped:
                    failures.append(f"{where}: another area's row answered 2xx (swapped id)")
                if ok and other and body_area and not op.path_params:
                    failures.append(f"{where}: wrote into another area")
                # Token-only operations (no x-roles) serve nationwide reference data (admin units, rates).
                if ok and op.method == "get" and op.roles is not None:
                    failures += list_leaks(response, codes, where)
        if COUNT_FILE:  # figures for docs/reliability.md
            bound = "swapped" if complete and row_province else ("real-ids" if complete else "-")
            line = f"matrix {service.name} {op.operation_id} {len(ROLES) * 3} {bound}\n"
            await asyncio.to_thread(_append, COUNT_FILE, line)
        assert not failures, f"{len(failures)} unexpected answers:\n" + "\n".join(failures[:25])

    @pytest.mark.parametrize(
        "op", [o for o in ops if o.json_body_schema], ids=[o.operation_id for o in ops if o.json_body_schema]
    )
    async def test_unknown_fields_are_refused(
        op: Operation, client: httpx.AsyncClient, token: Callable[..., str]
    ) -> None:
        schema = resolve(op.json_body_schema or {}, service)
        if schema.get("type") != "object" and "properties" not in schema:
            pytest.skip("the body is not a JSON object")  # arrays: their items are checked by schema
        assert schema.get("additionalProperties") is False, f"{op.operation_id}: extra fields allowed"
        role = sorted(op.roles)[0] if op.roles else Role.PROVINCE_OFFICER.value
        path = re.sub(r"{[^}]+}", lambda m: "99999" if "code" in m.group(0) else str(uuid.uuid4()), op.path)
        body = {**(example(schema, service) or {}), UNKNOWN_FIELD: True}
        auth = {"Authorization": f"Bearer {token(roles=[role], area_codes=[PROVINCE])}"}
        headers = {**auth, "Idempotency-Key": str(uuid.uuid4()), "If-Match": 'W/"1"'}
        response = await client.request(op.method.upper(), path, json=body, headers=headers)
        assert response.status_code == 422, (
            f"{op.method.upper()} {path}: {response.status_code} {response.text}"
        )
        assert response.headers["content-type"].startswith("application/problem+json")
        pointers = [e.get("pointer", "") for e in response.json().get("errors", [])]
        assert any(p.endswith("/" + UNKNOWN_FIELD) for p in pointers), response.text

    probe = next(o for o in ops if o.method == "get" and o.roles and not o.path_params)

    @pytest.mark.parametrize("case", sorted(BAD_TOKENS))
    async def test_bad_tokens_are_401(
        case: str, client: httpx.AsyncClient, test_issuer: TestIssuer, token: Callable[..., str]
    ) -> None:
        role = sorted(probe.roles or ())[0]
        good = token(roles=[role], area_codes=[PROVINCE])
        assert (await client.get(probe.path, headers={"Authorization": f"Bearer {good}"})).status_code == 200
        forged = BAD_TOKENS[case](test_issuer, service.name, role)
        response = await client.get(probe.path, headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "unauthorized"
        assert response.headers["www-authenticate"].lower().startswith("bearer")

    namespace["test_bad_tokens_are_401"] = test_bad_tokens_are_401

    def test_parameters_are_strict() -> None:
        """Every date, date-time or boolean query/path/header parameter refuses lax input: `0` is not a
        date (Unix time) and `1` is not a boolean. FastAPI reads parameters in pydantic's lax mode, so
        each must use servicekit's IsoDate / IsoDateTime / QueryBool."""
        config = base_config(service)
        app = config.app_factory("postgresql+asyncpg://rel:rel@127.0.0.1:1/rel", None, None)  # type: ignore[arg-type]
        lax: list[str] = []
        for route in app.routes:
            if not isinstance(route, APIRoute):
                continue
            for param in _params(route.dependant):
                kinds = _scalar_kinds(param.field_info.annotation)
                probes = (["0", "1654646400"] if kinds & {date, datetime} else []) + (
                    ["1"] if bool in kinds else []
                )
                for probe in probes:
                    _value, errors = param.validate(probe, {}, loc=("query",))
                    if not errors:
                        lax.append(f"{route.path} {param.name}={probe!r} accepted")
        assert not lax, (
            "lax parameters (use servicekit.schemas IsoDate/IsoDateTime/QueryBool):\n" + "\n".join(lax)
        )

    namespace["test_parameters_are_strict"] = test_parameters_are_strict

    # ------------------------------------------------------------ Schemathesis, in-process (ASGI)
    # Runs last in the module (pytest keeps definition order): it commits what it creates into the
    # module's own database. The app gets no sessionmaker, so it opens its own engine inside the
    # Starlette test client's event loop (asyncpg connections cannot cross loops).
    @pytest.fixture(scope="module")
    def fuzz_schema(
        database_url: str, service_config: ServiceTestConfig, test_issuer: TestIssuer, harvest: Harvest
    ) -> Any:
        app = service_config.app_factory(database_url, None, test_issuer.verifier(service.name))  # type: ignore[arg-type]
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        schema.config.generation.update(
            modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            max_examples=FUZZ_EXAMPLES,
            # Known noise: FastAPI ignores query parameters an operation does not declare (no effect,
            # nothing stored), so "an unknown parameter was accepted" is not a defect here.
            allow_extra_parameters=False,
        )
        if not FUZZ_LONG:
            # The bounded run in `make test` (~60-90 s for the three services): explicit examples and
            # random generation; the coverage phase's boundary cases (thousands) wait for `make fuzz`.
            schema.config.phases.update(phases=["examples", "fuzzing"])
        rejection = schema.config.checks.negative_data_rejection
        # A malformed If-Match is refused with 412 (conditional request failed) or 428 (missing): both
        # are refusals, which is what negative_data_rejection asks for.
        rejection.expected_statuses = [*rejection.expected_statuses, "412", "428"]
        fuzz_state["issuer"] = test_issuer
        return schema

    fuzz_state: dict[str, TestIssuer] = {}
    lazy = schemathesis.pytest.from_fixture("fuzz_schema").exclude(path_regex="^/(healthz|readyz|metrics)$")

    @lazy.parametrize()
    @hypothesis.settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=FUZZ_EXAMPLES <= 20,  # the bounded run is reproducible; `make fuzz` explores
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def test_fuzz(case: Any) -> None:
        roles = sorted(case.operation.definition.raw.get("x-roles") or [Role.PROVINCE_OFFICER.value])
        role = Role.PROVINCE_OFFICER.value if Role.PROVINCE_OFFICER.value in roles else roles[0]
        issuer = fuzz_state["issuer"]
        bearer = issuer.token(audience=service.name, roles=[role], area_codes=[PROVINCE])
        headers = {"Authorization": f"Bearer {bearer}"}
        # The OpenAPI names the gateway prefix as its server; in-process the app answers at the root.
        case.call_and_validate(base_url="http://testserver", headers=headers, checks=fuzz_checks(case))
        if COUNT_FILE:  # figures for docs/reliability.md
            _append(COUNT_FILE, f"fuzz {service.name} {case.operation.label}\n")

    namespace["fuzz_schema"] = fuzz_schema
    namespace["test_fuzz"] = test_fuzz
    for fixture in (service_config, database_url, db_engine, harvest, reader):
        namespace[fixture.__name__] = fixture
    namespace["test_matrix"] = test_matrix
    namespace["test_unknown_fields_are_refused"] = test_unknown_fields_are_refused


def fuzz_checks(case: Any) -> list[Any]:
    """The checks for one case. Justified exclusion: a query parameter Schemathesis generated as an
    empty array or object (negative data for a scalar) is not serialised into the URL at all, so the
    server receives a request without it — valid, rightly answered 2xx — while negative_data_rejection
    still counts the request as invalid. Only for such a case is that one check left out."""
    if any(isinstance(value, list | dict) and not value for value in (case.query or {}).values()):
        return [check for check in FUZZ_CHECKS if check is not checks.negative_data_rejection]
    return FUZZ_CHECKS


def _params(dependant: Any) -> list[Any]:
    """The query, path and header parameters of a route, its dependencies' included."""
    found = [*dependant.query_params, *dependant.path_params, *dependant.header_params]
    for sub in dependant.dependencies:
        found += _params(sub)
    return found


def _scalar_kinds(annotation: Any) -> set[type]:
    """The date, datetime and bool types inside an annotation (unions and Annotated unwrapped)."""
    if annotation in (date, datetime, bool):
        return {annotation}
    kinds: set[type] = set()
    for arg in typing.get_args(annotation):
        kinds |= _scalar_kinds(arg)
    return kinds


def _append(path: str, line: str) -> None:
    with Path(path).open("a") as sink:
        sink.write(line)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _claims(issuer: TestIssuer, audience: str, role: str) -> dict[str, Any]:
    now = int(time.time())
    return {
        "iss": issuer.issuer,
        "aud": audience,
        "sub": "rel-user",
        "iat": now,
        "exp": now + 300,
        "roles": [role],
        "area_codes": [PROVINCE],
    }


def _unsigned(issuer: TestIssuer, audience: str, role: str) -> str:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": issuer.kid}).encode())
    return f"{header}.{_b64(json.dumps(_claims(issuer, audience, role)).encode())}."


def _hmac_with_public_key(issuer: TestIssuer, audience: str, role: str) -> str:
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode())
    payload = _b64(json.dumps(_claims(issuer, audience, role)).encode())
    public_pem = issuer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


BadToken = Callable[[TestIssuer, str, str], str]
BAD_TOKENS: dict[str, BadToken] = {
    "expired": lambda i, aud, role: i.token(
        audience=aud, roles=[role], area_codes=[PROVINCE], expires_in=-3600
    ),
    "wrong_audience": lambda i, aud, role: i.token(audience="other-api", roles=[role], area_codes=[PROVINCE]),
    "wrong_issuer": lambda i, aud, role: i.token(
        audience=aud, roles=[role], area_codes=[PROVINCE], issuer="https://evil.example"
    ),
    "alg_none": _unsigned,
    "key_not_in_jwks": lambda i, aud, role: i.token(
        audience=aud, roles=[role], area_codes=[PROVINCE], rogue=True
    ),
    "hs256_with_public_key": _hmac_with_public_key,
    "unknown_kid": lambda i, aud, role: jwt.encode(
        _claims(i, aud, role), i.rogue_key, algorithm="RS256", headers={"kid": "rogue-kid"}
    ),
    "garbage": lambda i, aud, role: "not.a.jwt",
}


def list_leaks(response: httpx.Response, codes: list[str], where: str) -> list[str]:
    """Items of a list answer that carry area codes the caller does not cover."""
    try:
        body = response.json()
    except ValueError:
        return []
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    scope = AreaScope.from_codes(codes)
    # A province-level row (no commune) is shared with the communes of its province (review campaigns).
    provinces = {PROVINCE for c in codes if c in COMMUNES} | {
        OTHER_PROVINCE for c in codes if c == OTHER_PROVINCE_COMMUNE
    }
    return [
        f"{where}: list item {item.get('id')} of {item.get('province_code')}/{item.get('commune_code')}"
        for item in items
        if isinstance(item, dict)
        and (item.get("province_code") or item.get("commune_code"))  # None: a platform-wide row
        and not scope.covers(item.get("province_code"), item.get("commune_code"))
        and not (item.get("commune_code") is None and item.get("province_code") in provinces)
    ]

"""No partner response contains personal data (issue 11, item 4), across the three services.

Each service gets its own database, migrated and seeded with the demo data (households and persons
with citizen IDs, phones and dates of birth; VBSP loans with their borrowers' citizen IDs), and
registry-api gets more through its API (projects, applications, contracts and a resale to a person,
so the published list has lines). Then every operation admitting the partner role in each service's
OpenAPI (`x-roles` naming `partner`, or no role check at all) is called with a partner token holding
every partner scope, with real ids, every period, each enum value and every page, and every answer is
scanned for:

- the seeded citizen IDs, plain and masked, also as JSON numbers;
- the seeded phones, as stored (+84...), local (0...), national (9 digits) and masked;
- the persons' names and dates of birth (ISO and dd/mm/yyyy);
- any run of 9 to 12 digits in a string (UUIDs removed first).

The one legal exception: the yearly published list of buyers and renters (Decree 94/2024/NĐ-CP)
names its buyers, so its `full_name` values may be names, and only of people the registry lists as
contract holders or resale buyers (docs/partners.md, "Partner data"). New partner operations are
covered without editing this file, since they are found from the OpenAPI.

A second test: the same partner token is refused (403) on every operation that does not admit
partners, whatever its scopes.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from reliability_matrix import (
    PROVINCE,
    Harvest,
    Operation,
    Service,
    base_config,
    example,
    fill_path,
    openapi,
    operations,
    seed,
)
from sqlalchemy import select, union
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from dev_issuer.directory import PARTNER_SCOPES
from servicekit.db.engine import make_engine
from servicekit.testing.plugin import migrate, recreate_database
from servicekit.testing.tokens import TestIssuer

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = Service(name="registry-api", folder="registry-api", package="registry_api")
FUNDING = Service(name="funding-api", folder="funding-api", package="funding_api")
INSPECTION = Service(name="inspection-api", folder="inspection-api", package="inspection_api")
SERVICES = (REGISTRY, FUNDING, INSPECTION)
TODAY = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()  # legal dates are local
YEARS = list(range(2024, TODAY.year + 1))
# Every scope an administrator can grant a partner client.
ALL_PARTNER_SCOPES = sorted(PARTNER_SCOPES)
# Values for the required query parameters the generic examples cannot guess.
PARAMETER_VALUES = {
    "period": [str(TODAY.year), f"{TODAY.year}-Q1", "2025", "2025-Q4", "2021-2025", "2026-2030"],
}
MAX_PAGES = 30
PUBLISHED_LIST = "partner-list_partner_published_list"
UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
DIGIT_RUN = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def partner_admitted(op: Operation) -> bool:
    return op.roles is None or "partner" in op.roles


def load_by_path(name: str, path: Path) -> ModuleType:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None
        assert spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


@dataclass
class Personal:
    """What must never reach a partner: the seeded values, in every form they could take."""

    texts: dict[str, str] = field(default_factory=dict)  # value -> what it is
    numbers: dict[int, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)
    buyers: set[str] = field(default_factory=set)  # names the published list may show

    def citizen_id(self, value: str | None, masked: str | None) -> None:
        if value:
            self.texts[value] = "citizen ID"
            self.numbers[int(value)] = "citizen ID as a number"
        if masked:
            self.texts[masked] = "masked citizen ID"

    def phone(self, value: str | None, masked: str | None) -> None:
        if value:
            national = value.removeprefix("+84").lstrip("0")
            for form in (value, "0" + national, "84" + national, national):
                self.texts[form] = "phone"
            self.numbers[int(national)] = "phone as a number"
        if masked:
            self.texts[masked] = "masked phone"

    def person(self, name: str, born: date | None) -> None:
        self.names.add(name)
        if born is not None:
            self.texts[born.isoformat()] = "date of birth"
            self.texts[born.strftime("%d/%m/%Y")] = "date of birth"


@dataclass
class World:
    service: Service
    engine: AsyncEngine
    app: Any
    http: httpx.AsyncClient


def strings_and_numbers(value: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar of a JSON document, with the key it sits under."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from strings_and_numbers(v, str(k))
    elif isinstance(value, list):
        for item in value:
            yield from strings_and_numbers(item, key)
    elif value is not None:
        yield key, value


def findings(personal: Personal, body: Any, *, names_allowed_in: str | None = None) -> list[str]:
    found = []
    for key, value in strings_and_numbers(body):
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            if value in personal.numbers:
                found.append(f"{key}={value}: {personal.numbers[value]}")
            continue
        if not isinstance(value, str):
            continue
        if key == names_allowed_in:
            if value not in personal.buyers:
                found.append(f"{key}={value!r}: a name that is not a published buyer's")
            continue
        for text, what in personal.texts.items():
            if text in value:
                found.append(f"{key}: contains a {what}")
        for name in personal.names:
            if name in value:
                found.append(f"{key}: contains a person's name")
        for run in DIGIT_RUN.findall(UUID_RE.sub("-", value)):
            found.append(f"{key}: a run of {len(run)} digits")
    return found


# ---------------------------------------------------------------- the seeded world


async def database(pg_admin_url: str, service: Service) -> tuple[str, AsyncEngine]:
    config = base_config(service)
    suffix = os.environ.get("NOXH_TEST_DB_SUFFIX") or "main"
    url = await recreate_database(pg_admin_url, f"priv_{config.db_prefix}_{suffix}")
    await migrate(config.alembic_ini, url)
    failed = await seed(service, url)
    assert not [f for f in failed if "demo" not in f], failed  # reference data must seed
    return url, make_engine(url, pool_size=5)


async def registry_extras(http: httpx.AsyncClient, issuer: TestIssuer) -> None:
    """Through the API, as officers would: published projects, applications, two contracts signed
    today (one buyer with a phone) and a resale of one to an eligible person."""
    tests = ROOT / "services" / "registry-api" / "tests"
    people_testing = load_by_path("registry_people_testing", tests / "household" / "helpers.py")
    flows = load_by_path("registry_housing_flows", tests / "housing_report" / "flows.py")
    officer = {
        "Authorization": "Bearer "
        + issuer.token(audience=REGISTRY.name, roles=["province_officer"], area_codes=[PROVINCE])
    }
    people = people_testing.People(http, officer)
    body = people_testing.person_body
    project = await flows.published_project(http, officer, name="Nhà ở xã hội Kiểm thử riêng tư")
    await flows.contract(
        http, people, officer, project, head=body("Đoàn Văn Riêng", 1983, phone="+84912000111")
    )
    sold = await flows.contract(http, people, officer, project, head=body("Quách Thị Tư", 1991, "female"))
    other = await flows.published_project(http, officer, name="Nhà ở xã hội Người mua lại")
    buyer = await flows.application(http, people, officer, other, head=body("Khổng Văn Mua", 1987))
    await flows.resell(
        http,
        officer,
        sold["id"],
        buyer_kind="eligible_person",
        buyer_person_id=buyer["applicant_person_id"],
        price_vnd=1_100_000_000,
    )
    # A support case proposed this year, so this year's statistics have cases.
    household = await people.household(people_testing.PHUONG_HAI_DUONG)
    case = {
        "household_id": household["id"],
        "stream": "campaign",
        "kind": "new_build",
        "proposed_on": TODAY.isoformat(),
    }
    assert (await http.post("/v1/support-cases", json=case, headers=officer)).status_code == 201


async def collect_personal(worlds: dict[str, World]) -> Personal:
    from funding_api.loan.pii import CITIZEN_ID_CONTEXT, build_cipher
    from funding_api.models import Loan
    from registry_api.models import HousingContract, Person, ResaleEvent
    from registry_api.person.service import CITIZEN_ID_COLUMN, PHONE_COLUMN

    personal = Personal()
    registry = worlds[REGISTRY.name]
    cipher = registry.app.state.pii_cipher
    async with async_sessionmaker(registry.engine)() as session:
        for person in (await session.execute(select(Person))).scalars():
            blob = person.citizen_id_ciphertext
            personal.citizen_id(
                cipher.decrypt(blob, context=CITIZEN_ID_COLUMN) if blob else None, person.citizen_id_masked
            )
            phone = person.phone_ciphertext
            personal.phone(
                cipher.decrypt(phone, context=PHONE_COLUMN) if phone else None, person.phone_masked
            )
            personal.person(person.full_name, person.date_of_birth)
        buyers = union(
            select(HousingContract.applicant_person_id.label("id")),
            select(ResaleEvent.buyer_person_id.label("id")).where(ResaleEvent.buyer_person_id.is_not(None)),
        ).subquery()
        named = await session.execute(select(Person.full_name).join(buyers, buyers.c.id == Person.id))
        personal.buyers = set(named.scalars())
    funding = worlds[FUNDING.name]
    loan_cipher = build_cipher(funding.app.state.settings)
    async with async_sessionmaker(funding.engine)() as session:
        for loan in (await session.execute(select(Loan))).scalars():
            personal.citizen_id(
                loan_cipher.decrypt(loan.borrower_citizen_id_ct, context=CITIZEN_ID_CONTEXT),
                loan.borrower_citizen_id_masked,
            )
    return personal


@pytest.fixture(scope="module")
async def worlds(pg_admin_url: str, test_issuer: TestIssuer) -> AsyncIterator[dict[str, World]]:
    built: dict[str, World] = {}
    try:
        for service in SERVICES:
            url, engine = await database(pg_admin_url, service)
            app = base_config(service).app_factory(
                url, async_sessionmaker(engine, expire_on_commit=False), test_issuer.verifier(service.name)
            )
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            http = httpx.AsyncClient(transport=transport, base_url="http://test")
            built[service.name] = World(service, engine, app, http)
        await registry_extras(built[REGISTRY.name].http, test_issuer)
        yield built
    finally:
        for world in built.values():
            await world.http.aclose()
            await world.engine.dispose()


@pytest.fixture(scope="module")
async def personal(worlds: dict[str, World]) -> Personal:
    found = await collect_personal(worlds)
    # The scan means something only if the world holds personal data of every kind.
    kinds = set(found.texts.values())
    assert {"citizen ID", "masked citizen ID", "phone", "masked phone", "date of birth"} <= kinds, kinds
    assert found.names
    assert found.buyers
    return found


def partner_headers(issuer: TestIssuer, service: Service) -> dict[str, str]:
    bearer = issuer.token(
        audience=service.name,
        roles=["partner"],
        area_codes=[PROVINCE],
        scopes=ALL_PARTNER_SCOPES,
        client_id="partner-privacy-test",
    )
    return {"Authorization": f"Bearer {bearer}"}


def query_variants(op: Operation, service: Service) -> list[dict[str, Any]]:
    """Every combination of the required parameters' values, then each value of each optional enum."""
    params = [p for p in op.op.get("parameters", []) if p.get("in") == "query"]
    required = [p for p in params if p.get("required")]
    choices = [
        PARAMETER_VALUES.get(p["name"]) or [example(p.get("schema", {}), service, p["name"])]
        for p in required
    ]
    combos = [
        dict(zip([p["name"] for p in required], values, strict=True))
        for values in itertools.product(*choices)
    ]
    base = combos[0] if combos else {}
    for p in params:
        if p.get("required"):
            continue
        schema = p.get("schema", {})
        options = [s for s in schema.get("anyOf", [schema]) if "enum" in s or "$ref" in s]
        for option in options:
            resolved = option
            if "$ref" in option:
                resolved = openapi(service)["components"]["schemas"][option["$ref"].rsplit("/", 1)[-1]]
            for value in resolved.get("enum", []):
                combos.append({**base, p["name"]: value})
    return combos or [{}]


async def paths_of(
    world: World, op: Operation, headers: dict[str, str], harvest: Harvest
) -> tuple[list[str], bool]:
    """The paths to call, and whether every id in them is a real one."""
    if op.path_params == ["year"]:
        return [op.path.replace("{year}", str(year)) for year in YEARS], True
    path, _row, complete = await fill_path(world.http, headers, world.service, op, harvest)
    return [path], complete or not op.path_params


async def call_every_page(
    http: httpx.AsyncClient, method: str, path: str, query: dict[str, Any], headers: dict[str, str], body: Any
) -> list[httpx.Response]:
    answers = []
    cursor = None
    for _ in range(MAX_PAGES):
        params = {**query, **({"cursor": cursor} if cursor else {})}
        response = await http.request(method, path, params=params, headers=headers, json=body)
        answers.append(response)
        cursor = None
        if response.status_code == 200 and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            data = response.json()
            cursor = data.get("next_cursor") if isinstance(data, dict) else None
        if not cursor or method != "GET":
            break
    return answers


async def test_no_partner_response_contains_personal_data(
    worlds: dict[str, World], personal: Personal, test_issuer: TestIssuer
) -> None:
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    expect_200: list[str] = []
    published_lines = 0
    for service in SERVICES:
        world = worlds[service.name]
        headers = partner_headers(test_issuer, service)
        harvest = Harvest()
        admitted = [op for op in operations(service) if partner_admitted(op)]
        assert admitted, service.name
        for op in admitted:
            body_schema = op.json_body_schema
            body = example(body_schema, service) if body_schema else None
            extra = {"Idempotency-Key": str(uuid.uuid4()), "If-Match": 'W/"1"'} if op.method != "get" else {}
            paths, real_ids = await paths_of(world, op, headers, harvest)
            if real_ids and op.method == "get" and op.roles is not None and "partner" in op.roles:
                expect_200.append(op.operation_id)
            for path in paths:
                for query in query_variants(op, service):
                    answers = await call_every_page(
                        world.http, op.method.upper(), path, query, {**headers, **extra}, body
                    )
                    for response in answers:
                        answered.setdefault(op.operation_id, set()).add(response.status_code)
                        where = f"{service.name} {op.method.upper()} {path} {query} -> {response.status_code}"
                        if not response.content:
                            continue
                        content_type = response.headers.get("content-type", "")
                        if "json" not in content_type:
                            failures.append(f"{where}: a partner got {content_type}, not JSON")
                            continue
                        data = response.json()
                        allowed = "full_name" if op.operation_id == PUBLISHED_LIST else None
                        if allowed and response.status_code == 200:
                            published_lines += len(data.get("items", []))
                        failures += [
                            f"{where}: {f}" for f in findings(personal, data, names_allowed_in=allowed)
                        ]
    assert not failures, f"{len(failures)} leaks:\n" + "\n".join(failures[:40])
    # Each operation naming partners answered 200 at least once: the scan read real answers.
    silent = [
        f"{o}: {sorted(answered.get(o, set()))}" for o in expect_200 if 200 not in answered.get(o, set())
    ]
    assert not silent, "partner operations never answered 200:\n" + "\n".join(silent)
    assert published_lines >= 3, "the published list had no lines to check"


async def test_a_partner_token_is_refused_outside_the_partner_operations(
    worlds: dict[str, World], test_issuer: TestIssuer
) -> None:
    wrong = []
    for service in SERVICES:
        world = worlds[service.name]
        headers = partner_headers(test_issuer, service)
        for op in operations(service):
            if partner_admitted(op):
                continue
            path = re.sub(
                r"{[^}]+}", lambda m: "99999" if "code" in m.group(0) else str(uuid.uuid4()), op.path
            )
            body = example(op.json_body_schema, service) if op.json_body_schema else None
            extra = {"Idempotency-Key": str(uuid.uuid4()), "If-Match": 'W/"1"'}
            response = await world.http.request(
                op.method.upper(), path, json=body, headers={**headers, **extra}
            )
            if response.status_code != 403:
                wrong.append(f"{service.name} {op.method.upper()} {op.path} -> {response.status_code}")
    assert not wrong, "a partner token was not refused:\n" + "\n".join(wrong)

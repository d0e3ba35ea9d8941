"""Committed databases and apps for the tests about races, stateful sequences and stored personal data.

The authorization matrix runs each request in a rolled-back transaction; races need real concurrent
transactions, and a scan of what is stored needs what was really committed. So these tests share, per
service and per pytest process, one database `rel_c_<prefix>_<suffix>`, migrated and loaded with every
seed step (demo data included), into which every app built here commits.

Every app built here (and, through `recording_config`, every app the matrix and the bounded fuzz run
build) is wrapped by `recording`, which keeps each error answer with the personal numbers its request
carried, and `LOG_SINK` keeps the services' JSON log lines: `test_stored_personal_data.py` scans them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI
from reliability_matrix import Service, base_config, seed, service_conftest
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from servicekit.db.engine import make_engine
from servicekit.observability import JsonFormatter
from servicekit.testing.plugin import ServiceTestConfig, migrate, recreate_database
from servicekit.testing.tokens import TestIssuer

REGISTRY = Service(name="registry-api", folder="registry-api", package="registry_api")
FUNDING = Service(name="funding-api", folder="funding-api", package="funding_api")
INSPECTION = Service(name="inspection-api", folder="inspection-api", package="inspection_api")
SERVICES = (REGISTRY, FUNDING, INSPECTION)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _suffix() -> str:
    return os.environ.get("NOXH_TEST_DB_SUFFIX") or os.environ.get("PYTEST_XDIST_WORKER", "main")


def database_name(config: ServiceTestConfig) -> str:
    return f"rel_c_{config.db_prefix}_{_suffix()}"


@dataclass
class Seeded:
    template: str  # a database migrated and seeded once per process, copied for each use
    seed_failures: list[str]
    seconds: float  # creating, migrating and seeding it


_templates: dict[str, Seeded] = {}
_locks: dict[str, asyncio.Lock] = {}
_committed: dict[str, str] = {}


async def seeded_template(pg_admin_url: str, service: Service) -> Seeded:
    """The service's database with every seed step run, built once per process (a template to copy)."""
    lock = _locks.setdefault(service.name, asyncio.Lock())
    async with lock:
        if service.name not in _templates:
            started = time.monotonic()
            config = base_config(service)
            name = f"rel_tpl_{config.db_prefix}_{_suffix()}"
            url = await recreate_database(pg_admin_url, name)
            await migrate(config.alembic_ini, url)
            failures = await seed(service, url)
            _templates[service.name] = Seeded(name, failures, time.monotonic() - started)
    return _templates[service.name]


async def seeded_copy(pg_admin_url: str, service: Service, name: str) -> tuple[str, Seeded]:
    """A fresh database `name`, a copy of the seeded template (a file copy: well under a second)."""
    seeded = await seeded_template(pg_admin_url, service)
    url = make_url(pg_admin_url).set(drivername="postgresql+asyncpg")
    engine = make_engine(url.render_as_string(hide_password=False), pool_size=1)
    try:
        async with engine.connect() as raw:
            conn = await raw.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{seeded.template}"'))
    finally:
        await engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False), seeded


async def committed_database(pg_admin_url: str, service: Service) -> str:
    """The database the race, stateful and personal-data tests share: one copy per process."""
    lock = _locks.setdefault("committed:" + service.name, asyncio.Lock())
    async with lock:
        if service.name not in _committed:
            url, _ = await seeded_copy(pg_admin_url, service, database_name(base_config(service)))
            _committed[service.name] = url
    return _committed[service.name]


# ------------------------------------------------------------------ what the apps answered and logged

# Keys whose values are personal numbers (citizen IDs, old ID card numbers, phones).
PERSONAL_KEY = re.compile(r"citizen|phone|cccd|cmnd|legacy_id", re.IGNORECASE)
# A number long enough to be a citizen ID (12), an old ID card (9) or a phone (10-11, or +84...).
LONG_NUMBER = re.compile(r"\d{9,}")


def personal_numbers(value: Any, key: str = "") -> set[str]:
    """The digits of every personal-looking value in a JSON document (by key name), 9 digits or more."""
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            found |= personal_numbers(v, str(k))
    elif isinstance(value, list):
        for v in value:
            found |= personal_numbers(v, key)
    elif isinstance(value, str) and PERSONAL_KEY.search(key):
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 9:
            found.add(digits)
    return found


@dataclass
class ErrorAnswer:
    service: str
    request: str  # "METHOD /path"
    status: int
    body: str
    sent: set[str]  # the personal numbers (digits) the request carried in its JSON body


@dataclass
class Recorder:
    errors: list[ErrorAnswer] = field(default_factory=list)
    answers: int = 0

    def clear(self) -> None:
        self.errors.clear()
        self.answers = 0


RECORDED = Recorder()


def recording(app: ASGIApp, service: str) -> ASGIApp:
    """The app, keeping every error answer (status >= 400) with the personal numbers its request sent."""

    async def wrapper(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_body = bytearray()
        status = 0
        body = bytearray()

        async def receive_and_keep() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request_body.extend(message.get("body", b""))
            return message

        async def send_and_keep(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and status >= 400:
                body.extend(message.get("body", b""))
            await send(message)

        await app(scope, receive_and_keep, send_and_keep)
        RECORDED.answers += 1
        if status >= 400:
            try:
                sent = personal_numbers(json.loads(request_body)) if request_body else set()
            except ValueError:
                sent = set()
            RECORDED.errors.append(
                ErrorAnswer(
                    service,
                    f"{scope['method']} {scope['path']}",
                    status,
                    body.decode(errors="replace"),
                    sent,
                )
            )

    # Schemathesis and the tests read the app's OpenAPI through it.
    wrapper.openapi = getattr(app, "openapi", None)  # type: ignore[attr-defined]
    wrapper.state = getattr(app, "state", None)  # type: ignore[attr-defined]
    return wrapper


def recording_config(config: ServiceTestConfig) -> ServiceTestConfig:
    """The config, with every app its factory builds wrapped by `recording` (the matrix and fuzz use it)."""
    factory = config.app_factory

    def build(url: str, sessionmaker: Any, verifier: Any) -> FastAPI:
        return recording(factory(url, sessionmaker, verifier), config.name)  # type: ignore[return-value]

    return dataclasses.replace(config, app_factory=build)


class LogSink(logging.Handler):
    """The services' log lines, formatted as they would reach stdout (JsonFormatter, scrubbed)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.formatter_ = JsonFormatter("rel")
        self.lines: list[str] = []
        self.raw: list[str] = []  # the messages before the formatter's scrubbing (for the figures)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.formatter_.format(record))
            self.raw.append(record.getMessage())
        except Exception:  # a broken record must not break the request that logged it
            self.handleError(record)

    def attach(self) -> None:
        """(Re)attach to the root logger: each app built calls configure_logging, which resets it."""
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)


LOG_SINK = LogSink()


# ------------------------------------------------------------------ apps over the committed database


@dataclass
class Committed:
    """One service's committed database, engine and app (wrapped by `recording`)."""

    service: Service
    config: ServiceTestConfig
    url: str
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    app: ASGIApp
    issuer: TestIssuer
    stub: Any = None  # funding-api: its registry-api stub (answers eligibility confirmations)

    def token(self, roles: list[str], area_codes: list[str], **claims: Any) -> str:
        return self.issuer.token(audience=self.service.name, roles=roles, area_codes=area_codes, **claims)

    def auth(self, roles: list[str], area_codes: list[str], **claims: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(roles, area_codes, **claims)}"}

    async def client(self) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as http:
            yield http


def eligibility_answer(request: httpx.Request) -> httpx.Response:
    """registry-api's answer to an eligibility confirmation (every borrower eligible)."""
    body = json.loads(request.content)
    reasons = [
        {"rule_code": "income_cap", "kind": "income", "legal_basis": "D100 Art. 30", "outcome": "pass"}
    ]
    return httpx.Response(
        201,
        json={
            "confirmation_id": "0193a1f0-0000-7000-8000-000000000001",
            "purpose": body["purpose"],
            "as_of": "2026-01-15",
            "inputs_fingerprint": "x",
            "eligible": True,
            "reasons": reasons,
        },
    )


async def committed_app(pg_admin_url: str, service: Service, issuer: TestIssuer, pool: int = 8) -> Committed:
    url = await committed_database(pg_admin_url, service)
    config = base_config(service)
    engine = make_engine(url, pool_size=pool)
    sessionmaker = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
    verifier = issuer.verifier(service.name)
    stub = None
    if service is FUNDING:
        conftest = service_conftest(service)
        stub = conftest.RegistryStub()
        stub.on("POST", "/v1/eligibility-confirmations", eligibility_answer)
        app = conftest.make_app_with_registry(url, sessionmaker, verifier, stub)
    elif service is REGISTRY:
        app = _registry_app(url, sessionmaker, verifier)
    else:
        app = config.app_factory(url, sessionmaker, verifier)
    LOG_SINK.attach()
    return Committed(service, config, url, engine, sessionmaker, recording(app, service.name), issuer, stub)


def _registry_app(url: str, sessionmaker: async_sessionmaker[AsyncSession], verifier: Any) -> FastAPI:
    """registry-api with funding-api stubbed at the HTTP boundary (a support case's funding lines): an
    app run without its lifespan (httpx's ASGI transport) would otherwise have no funding client."""
    from pydantic import SecretStr

    from registry_api.clients.funding import FundingClient
    from registry_api.config import Settings
    from registry_api.main import create_app
    from servicekit.http import build_service_client
    from servicekit.testing.tokens import TEST_ISSUER

    settings = Settings(
        ENV="test",
        DATABASE_URL=SecretStr(url),
        OIDC_ISSUER=TEST_ISSUER,
        PII_ENCRYPTION_KEY=SecretStr("test-encryption-key-" + "0" * 24),
        PII_BLIND_INDEX_KEY=SecretStr("test-blind-index-key-" + "0" * 23),
        SERVICE_CLIENT_ID="registry-api",
        SERVICE_CLIENT_SECRET=SecretStr("test-service-secret"),
    )

    def funding(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": [], "next_cursor": None})

    def issuer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"access_token": "registry-service-token", "expires_in": 300})

    client = build_service_client(
        FundingClient,
        settings,
        name="funding-api",
        base_url="http://funding.test",
        transport=httpx.MockTransport(funding),
        token_transport=httpx.MockTransport(issuer),
    )
    client.retries = 0
    return create_app(settings, sessionmaker=sessionmaker, token_verifier=verifier, funding_client=client)


FIGURES_FILE = os.environ.get("REL_FUZZ_COUNT_FILE")


def write_figure(line: str) -> None:
    """A line for docs/reliability.md's figures (REL_FUZZ_COUNT_FILE), when one is being collected."""
    if FIGURES_FILE:
        with open(FIGURES_FILE, "a") as sink:
            sink.write(line.rstrip("\n") + "\n")

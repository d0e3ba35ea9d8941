"""The app factory every service uses: lifespan, middleware, error handlers, health, metrics, /v1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from servicekit.audit_anchor import anchor_store_at
from servicekit.db.engine import make_engine, make_sessionmaker
from servicekit.db.platform import PlatformModels
from servicekit.observability import configure_logging
from servicekit.outbox import EventCatalogue, events_scope
from servicekit.settings import BaseServiceSettings
from servicekit.tokens import JwksCache, TokenVerifier
from servicekit.web.auth import get_principal, publish_roles
from servicekit.web.deprecation import install_deprecation_headers
from servicekit.web.links import publish_links
from servicekit.web.middleware import Metrics, RequestContextMiddleware
from servicekit.web.params import single_valued_query
from servicekit.web.platform import platform_router
from servicekit.web.problems import install_error_handlers, problem_response
from servicekit.web.webhooks import webhooks_router
from servicekit.webhooks import webhook_setup

StartupHook = Callable[[FastAPI], Awaitable[None]]


@dataclass
class ServiceSpec:
    title: str
    description: str
    v1_router: APIRouter
    alembic_ini: Path
    gateway_prefix: str
    version: str = "1.0.0"
    public_router: APIRouter | None = None
    # The service's platform tables; when given, /v1/events and /v1/audit are served and
    # idempotent routes know where to keep their keys.
    platform: PlatformModels | None = None
    # The event types the service emits and those partners may receive; with webhook tables in
    # `platform`, /v1/webhooks is served too.
    event_catalogue: EventCatalogue | None = None
    on_startup: list[StartupHook] = field(default_factory=list)
    on_shutdown: list[StartupHook] = field(default_factory=list)


def operation_id(route: APIRoute) -> str:
    """Stable operation ids (`{tag}-{name}`) so generated clients keep their names."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def migration_heads(alembic_ini: Path) -> set[str]:
    config = Config(str(alembic_ini))
    config.set_main_option("script_location", str(alembic_ini.parent / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def create_service_app(
    settings: BaseServiceSettings,
    spec: ServiceSpec,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
    configure_logs: bool = True,
) -> FastAPI:
    """Build the service. Tests pass their own sessionmaker and verifier; nothing connects at import."""
    if configure_logs:
        configure_logging(settings.SERVICE_NAME, settings.LOG_LEVEL)
    metrics = Metrics()
    heads = migration_heads(spec.alembic_ini)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = None
        if app.state.sessionmaker is None:
            engine = make_engine(
                settings.DATABASE_URL.get_secret_value(),
                pool_size=settings.DB_POOL_SIZE,
                statement_timeout_ms=settings.DB_STATEMENT_TIMEOUT_MS,
                app_name=settings.SERVICE_NAME,
                # No overflow: an overflow connection is closed as soon as it is returned, so a load
                # above the pool opened a connection per request (a new server process, its caches and
                # every prepared statement built again: docs/performance.md §3). Waiting for a pooled
                # one is cheaper, and the CPU is saturated by far fewer connections anyway.
                max_overflow=0,
            )
            app.state.sessionmaker = make_sessionmaker(engine)
        if app.state.token_verifier is None:
            app.state.token_verifier = TokenVerifier(
                issuer=settings.OIDC_ISSUER,
                audience=settings.audience,
                jwks=JwksCache(settings.jwks_url),
                algorithms=settings.OIDC_ALGORITHMS,
            )
        for hook in spec.on_startup:
            await hook(app)
        try:
            yield
        finally:
            for hook in spec.on_shutdown:
                await hook(app)
            if engine is not None:
                await engine.dispose()

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # A query parameter given twice is a 422, not "the last one wins" (docs/conventions.md, API).
        dependencies=[Depends(single_valued_query)],
        servers=[{"url": spec.gateway_prefix, "description": "through the NOXH gateway"}],
        separate_input_output_schemas=False,
        # FastAPI's built-in docs pages load their scripts from a CDN; nothing may call the internet.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.sessionmaker = sessionmaker
    app.state.token_verifier = token_verifier
    app.state.migration_heads = heads
    app.state.metrics = metrics
    app.state.audit_anchor = anchor_store_at(settings.AUDIT_ANCHOR_PATH)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    app.include_router(health_router())
    if spec.public_router is not None:
        app.include_router(spec.public_router)
    app.include_router(spec.v1_router)
    if spec.platform is not None:
        app.state.idempotency_model = spec.platform.idempotency
        app.state.platform = spec.platform
        app.include_router(
            platform_router(
                spec.platform,
                events_scope=events_scope(settings.SERVICE_NAME),
                catalogue=spec.event_catalogue,
            ),
            prefix="/v1",
            dependencies=[Depends(get_principal)],
        )
        if spec.event_catalogue is not None and spec.platform.webhook_subscription is not None:
            app.include_router(
                webhooks_router(webhook_setup(spec.platform, spec.event_catalogue, settings)),
                prefix="/v1",
                dependencies=[Depends(get_principal)],
            )
    publish_roles(app)
    install_deprecation_headers(app)
    publish_links(app)
    return app


def not_ready(request: Request, detail: str) -> JSONResponse:
    return problem_response(
        request, status=503, code="not_ready", title="Not ready", detail=detail, headers={"Retry-After": "5"}
    )


def health_router() -> APIRouter:
    """Public by design: probes and the metrics scraper carry no token."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get(
        "/readyz",
        summary="The database answers and its schema is at the migrations' head",
        responses={503: {"description": "Not ready"}},
    )
    async def readyz(request: Request) -> Any:
        sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
        try:
            async with sessionmaker() as session:
                result = await session.execute(text("SELECT version_num FROM alembic_version"))
                rows: list[str] = list(result.scalars())
        except Exception:
            return not_ready(request, "The database does not answer.")
        if set(rows) != request.app.state.migration_heads:
            return not_ready(request, "The database schema is not at the migrations' head.")
        return {"status": "ok"}

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def metrics(request: Request) -> Response:
        return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router

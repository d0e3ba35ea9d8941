"""registry-api: people and places (households, dwellings, reviews, support cases, projects, applications)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from registry_api import api
from registry_api.clients.funding import FundingClient
from registry_api.config import Settings, get_settings
from registry_api.events import EVENT_CATALOGUE
from registry_api.models.platform import PLATFORM
from registry_api.person.pii import build_cipher
from servicekit.http import build_service_client
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app

SERVICE_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PREFIX = "/api/registry"


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
    funding_client: FundingClient | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    async def open_clients(app: FastAPI) -> None:
        if getattr(app.state, "funding_client", None) is None:
            app.state.funding_client = build_service_client(
                FundingClient, settings, name="funding-api", base_url=settings.FUNDING_URL
            )

    async def close_clients(app: FastAPI) -> None:
        await app.state.funding_client.aclose()

    spec = ServiceSpec(
        title="NOXH registry-api",
        description="Households, persons, dwellings, annual reviews, support cases, social housing projects, "
        "targets, applications and administrative units.",
        v1_router=api.router,
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        gateway_prefix=GATEWAY_PREFIX,
        platform=PLATFORM,
        event_catalogue=EVENT_CATALOGUE,
        on_startup=[open_clients],
        on_shutdown=[close_clients],
    )
    app = create_service_app(settings, spec, sessionmaker=sessionmaker, token_verifier=token_verifier)
    # One cipher per process, built with the app (not in the lifespan, which in-process test clients
    # do not run); the keys never leave it.
    app.state.pii_cipher = build_cipher(settings)
    app.state.funding_client = funding_client
    return app

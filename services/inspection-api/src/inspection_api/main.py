"""inspection-api: land and compliance (land-use plans, 20% obligations, checks and inspections, flags)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api import api
from inspection_api.clients.funding import FundingClient
from inspection_api.clients.registry import RegistryClient
from inspection_api.config import Settings, get_settings
from inspection_api.events import EVENT_CATALOGUE
from inspection_api.models.platform import PLATFORM
from servicekit.http import build_service_client
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app

SERVICE_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PREFIX = "/api/inspection"


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
    registry_client: RegistryClient | None = None,
    funding_client: FundingClient | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    async def open_clients(app: FastAPI) -> None:
        if getattr(app.state, "registry_client", None) is None:
            app.state.registry_client = build_service_client(
                RegistryClient, settings, name="registry-api", base_url=settings.REGISTRY_URL
            )
        if getattr(app.state, "funding_client", None) is None:
            app.state.funding_client = build_service_client(
                FundingClient, settings, name="funding-api", base_url=settings.FUNDING_URL
            )

    async def close_clients(app: FastAPI) -> None:
        await app.state.registry_client.aclose()
        await app.state.funding_client.aclose()

    spec = ServiceSpec(
        title="NOXH inspection-api",
        description="Land-use plans and the land they designate for social housing, commercial projects' "
        "20% obligations, checks and inspections, and profiteering flags.",
        v1_router=api.router,
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        gateway_prefix=GATEWAY_PREFIX,
        platform=PLATFORM,
        event_catalogue=EVENT_CATALOGUE,
        on_startup=[open_clients],
        on_shutdown=[close_clients],
    )
    app = create_service_app(settings, spec, sessionmaker=sessionmaker, token_verifier=token_verifier)
    app.state.registry_client = registry_client
    app.state.funding_client = funding_client
    return app

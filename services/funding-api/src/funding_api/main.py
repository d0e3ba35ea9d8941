"""funding-api: money (funding sources, the ledger and allocations, the housing fund, VBSP loans)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api import api
from funding_api.clients.inspection import InspectionClient
from funding_api.clients.registry import RegistryClient
from funding_api.config import Settings, get_settings
from funding_api.events import EVENT_CATALOGUE
from funding_api.models.platform import PLATFORM
from servicekit.http import build_service_client
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app

SERVICE_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PREFIX = "/api/funding"


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
    registry_client: RegistryClient | None = None,
    inspection_client: InspectionClient | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    async def open_clients(app: FastAPI) -> None:
        if getattr(app.state, "registry_client", None) is None:
            app.state.registry_client = build_service_client(
                RegistryClient, settings, name="registry-api", base_url=settings.REGISTRY_URL
            )
        if getattr(app.state, "inspection_client", None) is None:
            app.state.inspection_client = build_service_client(
                InspectionClient, settings, name="inspection-api", base_url=settings.INSPECTION_URL
            )

    async def close_clients(app: FastAPI) -> None:
        await app.state.registry_client.aclose()
        await app.state.inspection_client.aclose()

    spec = ServiceSpec(
        title="NOXH funding-api",
        description="Funding sources, the ledger, allocations and disbursements, the housing fund, "
        "and the loans mirrored from VBSP.",
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
    app.state.inspection_client = inspection_client
    return app

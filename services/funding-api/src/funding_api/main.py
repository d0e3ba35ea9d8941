"""funding-api: money (funding sources, the ledger and allocations, the housing fund, VBSP loans)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from funding_api import api
from funding_api.config import Settings, get_settings
from funding_api.models.platform import PLATFORM
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app

SERVICE_ROOT = Path(__file__).resolve().parents[2]
GATEWAY_PREFIX = "/api/funding"


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    spec = ServiceSpec(
        title="NOXH funding-api",
        description="Funding sources, the ledger, allocations and disbursements, the housing fund, "
        "and the loans mirrored from VBSP.",
        v1_router=api.router,
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        gateway_prefix=GATEWAY_PREFIX,
        platform=PLATFORM,
    )
    return create_service_app(
        settings or get_settings(), spec, sessionmaker=sessionmaker, token_verifier=token_verifier
    )

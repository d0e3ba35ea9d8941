"""inspection-api: land and compliance (land-use plans, 20% obligations, checks and inspections, flags)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inspection_api import api
from inspection_api.config import Settings, get_settings
from inspection_api.models import AuditRecord, IdempotencyRecord, Job, OutboxEvent
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app
from servicekit.web.platform import PlatformModels

SERVICE_ROOT = Path(__file__).resolve().parents[2]
PLATFORM = PlatformModels(audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job)
GATEWAY_PREFIX = "/api/inspection"


def create_app(
    settings: Settings | None = None,
    *,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
    token_verifier: TokenVerifier | None = None,
) -> FastAPI:
    spec = ServiceSpec(
        title="NOXH inspection-api",
        description="Land-use plans and the land they designate for social housing, commercial projects' "
        "20% obligations, checks and inspections, and profiteering flags.",
        v1_router=api.router,
        alembic_ini=SERVICE_ROOT / "alembic.ini",
        gateway_prefix=GATEWAY_PREFIX,
        platform=PLATFORM,
    )
    return create_service_app(
        settings or get_settings(), spec, sessionmaker=sessionmaker, token_verifier=token_verifier
    )

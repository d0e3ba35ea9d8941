from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI, Response
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sample_service.models import AuditRecord, IdempotencyRecord, Job, OutboxEvent, Widget
from servicekit.concurrency import check_version
from servicekit.db.platform import PlatformModels
from servicekit.db.repository import RepositoryBase
from servicekit.errors import Forbidden, NotFound, error_responses
from servicekit.outbox import emit, urn
from servicekit.pagination import Count, Page
from servicekit.principal import Principal
from servicekit.schemas import ReadModel, WriteModel
from servicekit.settings import BaseServiceSettings
from servicekit.tokens import TokenVerifier
from servicekit.web.app import ServiceSpec, create_service_app
from servicekit.web.auth import CurrentPrincipal, get_principal, require_roles
from servicekit.web.idempotency import IdempotencyKeyRequired, IdempotentRoute
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

HERE = Path(__file__).parent


class SampleSettings(BaseServiceSettings):
    SERVICE_NAME: str = "sample-api"


class WidgetRepository(RepositoryBase[Widget]):
    model = Widget


class WidgetCreate(WriteModel):
    name: str
    colour: str | None = None
    owner_phone: str | None = None
    province_code: str
    commune_code: str | None = None


class WidgetUpdate(WriteModel):
    colour: str | None = None


class WidgetRead(ReadModel):
    id: uuid.UUID
    name: str
    colour: str | None
    province_code: str
    commune_code: str | None
    version: int


class WidgetNotFound(NotFound):
    code = "widget_not_found"


Writer = require_roles("commune_officer", "province_officer")


async def visible_widget(session: AsyncSession, principal: Principal, widget_id: uuid.UUID) -> Widget:
    widget = await WidgetRepository(session).get(widget_id)
    if widget is None or not principal.covers(widget.province_code, widget.commune_code):
        raise WidgetNotFound()
    return widget


router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])


@router.post("/widgets", status_code=201, response_model=WidgetRead, responses=error_responses())
async def create_widget(
    body: WidgetCreate, session: SessionDep, principal: Principal = Depends(Writer)
) -> Widget:
    if not principal.covers(body.province_code, body.commune_code):
        raise Forbidden("outside your area")
    widget = await WidgetRepository(session).add(Widget(**body.model_dump()))
    await emit(
        session,
        OutboxEvent,
        type="widget.created",
        subject=urn("sample", "widget", widget.id),
        area_codes=[widget.province_code, widget.commune_code],
        data={"widget_id": widget.id},
    )
    return widget


machine_router = APIRouter(route_class=IdempotentRoute)


@machine_router.post(
    "/machine-widgets", status_code=201, response_model=WidgetRead, responses=error_responses()
)
async def create_widget_from_a_machine(
    body: WidgetCreate,
    session: SessionDep,
    _key: IdempotencyKeyRequired,
    principal: Principal = Depends(Writer),
) -> Widget:
    """Machines must send an Idempotency-Key: a retry after a timeout must not create a second widget."""
    # Slow enough that a concurrent repeat arrives while this one is in flight.
    await asyncio.sleep(0.2)
    return await create_widget(body, session, principal)


@router.post("/widgets/pair", status_code=201, responses=error_responses())
async def create_pair(
    body: WidgetCreate, session: SessionDep, _: Principal = Depends(Writer)
) -> dict[str, str]:
    """Adds two widgets with the same name: fine at flush, refused by the deferred constraint at commit."""
    repo = WidgetRepository(session)
    await repo.add(Widget(**body.model_dump()))
    await repo.add(Widget(**body.model_dump()))
    return {"status": "created"}


@router.get("/widgets", response_model=Page[WidgetRead])
async def list_widgets(
    session: SessionDep, principal: CurrentPrincipal, page: Pagination
) -> Page[WidgetRead]:
    repo = WidgetRepository(session)
    stmt = select(Widget).where(principal.area.sql_filter(Widget.province_code, Widget.commune_code))
    rows, cursor = await repo.paginate(stmt, page)
    return Page(items=[WidgetRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/widgets/count", response_model=Count)
async def count_widgets(session: SessionDep, principal: CurrentPrincipal) -> Count:
    stmt = select(Widget).where(principal.area.sql_filter(Widget.province_code, Widget.commune_code))
    return await WidgetRepository(session).bounded_count(stmt)


@router.get("/widgets/{widget_id}", response_model=WidgetRead, responses=error_responses(WidgetNotFound))
async def get_widget(
    widget_id: uuid.UUID, session: SessionDep, principal: CurrentPrincipal, response: Response
) -> Widget:
    widget = await visible_widget(session, principal, widget_id)
    set_etag(response, widget.version)
    return widget


@router.patch("/widgets/{widget_id}", response_model=WidgetRead, responses=error_responses(WidgetNotFound))
async def update_widget(
    widget_id: uuid.UUID,
    body: WidgetUpdate,
    session: SessionDep,
    expected: IfMatchVersion,
    response: Response,
    principal: Principal = Depends(Writer),
) -> Widget:
    widget = await visible_widget(session, principal, widget_id)
    check_version(widget.version, expected)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(widget, field, value)
    await session.flush()
    set_etag(response, widget.version)
    return widget


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("citizen 001234567890 broke it")


router.include_router(machine_router)


def make_settings(database_url: str, **overrides: object) -> SampleSettings:
    values: dict[str, object] = {
        "ENV": "test",
        "DATABASE_URL": SecretStr(database_url),
        "OIDC_ISSUER": "http://issuer.test",
        "PII_ENCRYPTION_KEY": SecretStr("k" * 32),
        "PII_BLIND_INDEX_KEY": SecretStr("b" * 32),
    }
    values.update(overrides)
    return SampleSettings.model_validate(values)


def make_app(
    database_url: str,
    sessionmaker: async_sessionmaker[AsyncSession] | None,
    verifier: TokenVerifier | None,
) -> FastAPI:
    spec = ServiceSpec(
        title="sample",
        description="servicekit's test service",
        v1_router=router,
        alembic_ini=HERE / "alembic.ini",
        gateway_prefix="/api/sample",
        platform=PlatformModels(
            audit=AuditRecord, outbox=OutboxEvent, idempotency=IdempotencyRecord, job=Job
        ),
    )
    return create_service_app(
        make_settings(database_url),
        spec,
        sessionmaker=sessionmaker,
        token_verifier=verifier,
        configure_logs=False,
    )

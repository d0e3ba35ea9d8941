from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from registry_api.household.errors import AreaNotCovered, CommuneNotInProvince
from registry_api.housing_project.errors import (
    HousingProjectNotFound,
    MilestoneAlreadyRecorded,
    MilestoneDateBackwards,
    MilestoneOutOfOrder,
    SaleBeforeStart,
    SaleDatesInvalid,
)
from registry_api.housing_project.permissions import ProjectsRead, ProjectsWrite
from registry_api.housing_project.schemas import (
    HousingProjectCreate,
    HousingProjectRead,
    MilestoneRecord,
    PlannedUnitsRead,
    SalePublication,
)
from registry_api.housing_project.service import ProjectView, housing_project_service
from registry_api.models import ProjectKind
from servicekit.errors import PreconditionFailed, PreconditionRequired, error_responses
from servicekit.pagination import InvalidCursor, Page
from servicekit.web.params import IfMatchVersion, Pagination, set_etag
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/housing-projects", tags=["housing-projects"])


def read(view: ProjectView) -> HousingProjectRead:
    project = view.project
    return HousingProjectRead(
        **{
            name: getattr(project, name)
            for name in HousingProjectRead.model_fields
            if name not in ("planned_units", "planned_units_total")
        },
        planned_units=[PlannedUnitsRead.model_validate(u) for u in view.units],
        planned_units_total=sum(u.units for u in view.units),
    )


@router.post(
    "",
    status_code=201,
    response_model=HousingProjectRead,
    responses=error_responses(AreaNotCovered, CommuneNotInProvince),
)
async def create_housing_project(
    body: HousingProjectCreate, session: SessionDep, caller: ProjectsWrite, response: Response
) -> HousingProjectRead:
    """Record a social housing project of a commune you cover, with its planned units by kind and
    floor-area band. Milestones and the sale publication are actions on the project."""
    view = await housing_project_service.create(session, caller, body)
    set_etag(response, view.project.version)
    return read(view)


@router.get("", response_model=Page[HousingProjectRead], responses=error_responses(InvalidCursor))
async def list_housing_projects(
    session: SessionDep,
    caller: ProjectsRead,
    page: Pagination,
    commune_code: Annotated[str | None, Query(pattern=r"^\d{5}$")] = None,
    kind: ProjectKind | None = None,
) -> Page[HousingProjectRead]:
    """The projects of your area, oldest first."""
    views, next_cursor = await housing_project_service.list_projects(
        session, caller, page, commune_code=commune_code, kind=kind
    )
    return Page(items=[read(v) for v in views], next_cursor=next_cursor)


@router.get(
    "/{project_id}", response_model=HousingProjectRead, responses=error_responses(HousingProjectNotFound)
)
async def get_housing_project(
    project_id: uuid.UUID, session: SessionDep, caller: ProjectsRead, response: Response
) -> HousingProjectRead:
    """One project with its `ETag`. A project outside your area is a 404."""
    view = await housing_project_service.get(session, caller, project_id)
    set_etag(response, view.project.version)
    return read(view)


@router.post(
    "/{project_id}/milestones",
    response_model=HousingProjectRead,
    responses=error_responses(
        HousingProjectNotFound,
        MilestoneAlreadyRecorded,
        MilestoneOutOfOrder,
        MilestoneDateBackwards,
        PreconditionFailed,
        PreconditionRequired,
    ),
)
async def record_housing_project_milestone(
    project_id: uuid.UUID,
    body: MilestoneRecord,
    session: SessionDep,
    caller: ProjectsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> HousingProjectRead:
    """Record a milestone (approved, started, completed, handed_over) with its date. Each needs the one
    before it (409 `milestone_out_of_order`), is recorded once (409 `milestone_already_recorded`) and
    cannot be dated before it (422 `milestone_date_backwards`). Send the `ETag` as `If-Match`."""
    view = await housing_project_service.record_milestone(session, caller, project_id, expected_version, body)
    set_etag(response, view.project.version)
    return read(view)


@router.put(
    "/{project_id}/sale-publication",
    response_model=HousingProjectRead,
    responses=error_responses(
        HousingProjectNotFound, SaleBeforeStart, SaleDatesInvalid, PreconditionFailed, PreconditionRequired
    ),
)
async def publish_housing_project_sale(
    project_id: uuid.UUID,
    body: SalePublication,
    session: SessionDep,
    caller: ProjectsWrite,
    expected_version: IfMatchVersion,
    response: Response,
) -> HousingProjectRead:
    """Record (or correct) the investor's sale publication under D100 Art. 38: when and where it was
    published and the application window. Only once construction has started. `If-Match` required."""
    view = await housing_project_service.publish_sale(session, caller, project_id, expected_version, body)
    set_etag(response, view.project.version)
    return read(view)

"""Social housing projects: recorded by the province, with planned units, milestones that only move
forward, and the sale publication of D100 Art. 38."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.errors import AreaNotCovered, CommuneNotInProvince
from registry_api.household.repository import HouseholdRepository
from registry_api.housing_project.errors import (
    HousingProjectNotFound,
    MilestoneAlreadyRecorded,
    MilestoneDateBackwards,
    MilestoneOutOfOrder,
    SaleBeforeStart,
    SaleDatesInvalid,
)
from registry_api.housing_project.repository import HousingProjectRepository
from registry_api.housing_project.schemas import HousingProjectCreate, MilestoneRecord, SalePublication
from registry_api.models import HousingProject, HousingProjectUnits, Milestone, OutboxEvent, ProjectKind
from registry_api.person.service import local_today
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

MILESTONE_ORDER = list(Milestone)
MILESTONE_COLUMN = {m: f"{m.value}_on" for m in Milestone}


@dataclass(frozen=True, slots=True)
class ProjectView:
    project: HousingProject
    units: list[HousingProjectUnits]


async def _emit(session: AsyncSession, type_: str, project: HousingProject, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "housing-project", project.id),
        area_codes=[project.province_code, project.commune_code],
        data={"housing_project_id": project.id, **data},
    )


def _in_the_future(pointer: str) -> MilestoneDateBackwards:
    return MilestoneDateBackwards(
        "A date cannot be in the future.",
        errors=[FieldError(pointer=pointer, code="in_the_future", message="in the future")],
    )


class HousingProjectService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: HousingProjectCreate
    ) -> ProjectView:
        if not caller.covers(data.province_code, data.commune_code):
            raise AreaNotCovered(f"You do not cover commune {data.commune_code}.")
        if not await HouseholdRepository(session).is_current_commune_of(
            data.commune_code, data.province_code, local_today()
        ):
            raise CommuneNotInProvince(
                f"{data.commune_code} is not a current commune of province {data.province_code}.",
                errors=[
                    FieldError(
                        pointer="/body/commune_code",
                        code="commune_not_in_province",
                        message="not a current commune of the given province",
                    )
                ],
            )
        project = HousingProject(
            id=new_id(),
            name=data.name,
            investor=data.investor,
            address=data.address,
            province_code=data.province_code,
            commune_code=data.commune_code,
            legacy_area_code=data.legacy_area_code,
            kind=data.kind.value,
            land_area_m2=data.land_area_m2,
            commercial_project_ref=data.commercial_project_ref,
        )
        units = [
            HousingProjectUnits(
                id=new_id(),
                project_id=project.id,
                unit_kind=u.unit_kind.value,
                floor_area_band=u.floor_area_band.value,
                units=u.units,
            )
            for u in data.planned_units
        ]
        repo = HousingProjectRepository(session)
        await repo.save(project)
        await repo.save(*units)
        await _emit(
            session,
            "housing_project.created",
            project,
            kind=project.kind,
            planned_units=sum(u.units for u in units),
        )
        return ProjectView(project, units)

    async def get_project(
        self, session: AsyncSession, caller: Principal, project_id: uuid.UUID
    ) -> HousingProject:
        project = await HousingProjectRepository(session).get_in_area(project_id, caller.area)
        if project is None:
            raise HousingProjectNotFound(f"No social housing project {project_id} in your area.")
        return project

    async def get(self, session: AsyncSession, caller: Principal, project_id: uuid.UUID) -> ProjectView:
        project = await self.get_project(session, caller, project_id)
        units = await HousingProjectRepository(session).units_of([project.id])
        return ProjectView(project, units[project.id])

    async def list_projects(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        commune_code: str | None,
        kind: ProjectKind | None,
    ) -> tuple[list[ProjectView], str | None]:
        repo = HousingProjectRepository(session)
        rows, next_cursor = await repo.list_in_area(caller.area, params, commune_code=commune_code, kind=kind)
        units = await repo.units_of([r.id for r in rows])
        return [ProjectView(r, units[r.id]) for r in rows], next_cursor

    async def record_milestone(
        self,
        session: AsyncSession,
        caller: Principal,
        project_id: uuid.UUID,
        expected_version: int,
        data: MilestoneRecord,
    ) -> ProjectView:
        project = await self.get_project(session, caller, project_id)
        check_version(project.version, expected_version)
        column = MILESTONE_COLUMN[data.milestone]
        if getattr(project, column) is not None:
            raise MilestoneAlreadyRecorded(
                f"The project's {data.milestone.value} milestone is already recorded."
            )
        position = MILESTONE_ORDER.index(data.milestone)
        if position > 0:
            previous = MILESTONE_ORDER[position - 1]
            previous_on = getattr(project, MILESTONE_COLUMN[previous])
            if previous_on is None:
                raise MilestoneOutOfOrder(
                    f"Record the {previous.value} milestone before {data.milestone.value}."
                )
            if data.on < previous_on:
                raise MilestoneDateBackwards(
                    f"{data.milestone.value} cannot be dated before {previous.value} ({previous_on}).",
                    errors=[
                        FieldError(pointer="/body/on", code="before_previous_milestone", message="too early")
                    ],
                )
        if data.on > local_today():
            raise _in_the_future("/body/on")
        setattr(project, column, data.on)
        await HousingProjectRepository(session).save(project)
        await _emit(
            session, "housing_project.milestone_recorded", project, milestone=data.milestone.value, on=data.on
        )
        return await self.get(session, caller, project.id)

    async def publish_sale(
        self,
        session: AsyncSession,
        caller: Principal,
        project_id: uuid.UUID,
        expected_version: int,
        data: SalePublication,
    ) -> ProjectView:
        project = await self.get_project(session, caller, project_id)
        check_version(project.version, expected_version)
        if project.started_on is None:
            raise SaleBeforeStart("Record the construction start before the sale publication.")
        errors: list[FieldError] = []
        if data.published_on < project.started_on:
            errors.append(
                FieldError(pointer="/body/published_on", code="before_start", message="before the start")
            )
        if data.closes_on < data.opens_on:
            errors.append(
                FieldError(pointer="/body/closes_on", code="before_opens_on", message="before opens_on")
            )
        if data.opens_on < data.published_on:
            errors.append(
                FieldError(pointer="/body/opens_on", code="before_published_on", message="before publication")
            )
        if errors:
            raise SaleDatesInvalid("The sale dates are out of order.", errors=errors)
        project.sale_published_on = data.published_on
        project.sale_published_where = data.published_where
        project.sale_opens_on = data.opens_on
        project.sale_closes_on = data.closes_on
        await HousingProjectRepository(session).save(project)
        await _emit(
            session,
            "housing_project.sale_published",
            project,
            published_on=data.published_on,
            opens_on=data.opens_on,
            closes_on=data.closes_on,
        )
        return await self.get(session, caller, project.id)


housing_project_service = HousingProjectService()

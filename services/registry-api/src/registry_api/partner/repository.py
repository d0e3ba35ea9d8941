"""SQL for the partner API: projects (with a status derived from the milestones), targets, and the rows
the statistics count. Every query is filtered by the caller's area."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.repository import AnySelect
from registry_api.housing_project.repository import in_area
from registry_api.models import Application, HousingProject, HousingTarget, SupportCase
from registry_api.partner.schemas import PartnerProjectStatus
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

P = HousingProject


def project_status() -> ColumnElement[str]:
    """The project's status from its milestone dates (each needs the one before it)."""
    return case(
        (P.handed_over_on.is_not(None), literal(PartnerProjectStatus.HANDED_OVER.value)),
        (P.completed_on.is_not(None), literal(PartnerProjectStatus.COMPLETED.value)),
        (P.started_on.is_not(None), literal(PartnerProjectStatus.UNDER_CONSTRUCTION.value)),
        (P.approved_on.is_not(None), literal(PartnerProjectStatus.APPROVED.value)),
        else_=literal(PartnerProjectStatus.PLANNED.value),
    )


class PartnerProjectRepository(RepositoryBase[HousingProject]):
    model = HousingProject

    async def list_in_area(
        self,
        area: AreaScope,
        params: PageParams,
        *,
        area_code: str | None,
        kind: str | None,
        status: str | None,
    ) -> tuple[list[HousingProject], str | None]:
        stmt = select(P).where(in_area(area))
        if area_code is not None:
            stmt = stmt.where(or_(P.province_code == area_code, P.commune_code == area_code))
        if kind is not None:
            stmt = stmt.where(P.kind == kind)
        if status is not None:
            stmt = stmt.where(project_status() == status)
        return await self.paginate(stmt, params)

    async def get_in_area(self, project_id: uuid.UUID, area: AreaScope) -> HousingProject | None:
        return await self.get(project_id, in_area(area))


class PartnerTargetRepository(RepositoryBase[HousingTarget]):
    model = HousingTarget

    async def list_in_area(
        self, area: AreaScope, params: PageParams, *, current_only: bool, period: tuple[int, int] | None
    ) -> tuple[list[HousingTarget], str | None]:
        """Targets of the provinces the caller covers (a target belongs to its 2025 province)."""
        stmt = select(HousingTarget).where(area.province_filter(HousingTarget.province_code))
        if current_only:
            stmt = stmt.where(HousingTarget.superseded_by_id.is_(None))
        if period is not None:
            stmt = stmt.where(
                HousingTarget.period_start_year == period[0], HousingTarget.period_end_year == period[1]
            )
        return await self.paginate(stmt, params)


def support_case_rows(area: AreaScope, start: date, end: date) -> AnySelect:
    """One row per support case of the area proposed from `start` to `end`, with its area codes and
    `series` = "<stream>/<status>" (what the roll-up groups by)."""
    stmt: AnySelect = select(
        SupportCase.province_code,
        SupportCase.commune_code,
        SupportCase.legacy_area_code,
        func.concat(SupportCase.stream, "/", SupportCase.status).label("series"),
    ).where(
        area.sql_filter(SupportCase.province_code, SupportCase.commune_code),
        SupportCase.proposed_on >= start,
        SupportCase.proposed_on <= end,
    )
    return stmt


class PartnerStatisticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def applications(
        self, area: AreaScope, start: date, end: date
    ) -> list[tuple[uuid.UUID, str, str, str, int]]:
        """(project id, name, commune, status, count) of the area's applications submitted in the period
        (the area is the applicant's household's)."""
        stmt = (
            select(P.id, P.name, P.commune_code, Application.status, func.count())
            .join(P, P.id == Application.project_id)
            .where(
                area.sql_filter(Application.province_code, Application.commune_code),
                and_(Application.submitted_on >= start, Application.submitted_on <= end),
            )
            .group_by(P.id, P.name, P.commune_code, Application.status)
            .order_by(P.name, P.id, Application.status)
        )
        rows = (await self.session.execute(stmt)).all()
        return [(r[0], str(r[1]), str(r[2]), str(r[3]), int(r[4])) for r in rows]

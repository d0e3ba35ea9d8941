"""The partner API: allow-listed read models built from the registry's rows, aggregates with small-cell
suppression, and the yearly published list of buyers and renters (docs/partners.md)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.schemas import AreaCount, Boundaries, RollUpLevel
from registry_api.admin_unit.service import admin_unit_service
from registry_api.dashboard.schemas import Interval
from registry_api.dashboard.service import dashboard_service
from registry_api.housing_project.errors import HousingProjectNotFound
from registry_api.housing_project.repository import HousingProjectRepository
from registry_api.housing_report.repository import Key, ListedRow, ReportRepository
from registry_api.housing_report.service import year_period
from registry_api.housing_target.service import housing_target_service
from registry_api.models import (
    ApplicationStatus,
    AuditRecord,
    FloorAreaBand,
    HousingProject,
    HousingProjectUnits,
    HousingTarget,
    ProjectKind,
    SupportCaseStatus,
    SupportStream,
    UnitKind,
)
from registry_api.partner.errors import StatisticsPeriodInvalid
from registry_api.partner.repository import (
    PartnerProjectRepository,
    PartnerStatisticsRepository,
    PartnerTargetRepository,
    support_case_rows,
)
from registry_api.partner.schemas import (
    PartnerApplicationCount,
    PartnerAreaProgress,
    PartnerCategoryCounts,
    PartnerMilestones,
    PartnerPlannedUnits,
    PartnerProgress,
    PartnerProject,
    PartnerProjectStatus,
    PartnerSalePublication,
    PartnerStatisticCell,
    PartnerStatistics,
    PartnerSupportCaseCounts,
    PartnerTarget,
    PartnerYearProgress,
    PublishedListEntry,
    PublishedListKind,
)
from registry_api.person.service import local_today
from servicekit.audit import record_access
from servicekit.errors import FieldError
from servicekit.pagination import PageParams, decode_cursor, encode_cursor
from servicekit.principal import Principal
from servicekit.suppression import suppress

PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
FIRST_YEAR = 2000
# The keyset of the published list: contracts first (part 0), then resales (part 1), each ordered as
# the export orders them (project name, project id, date, row id).
_LIST_KEYS = ["published_list.part", "project_name", "project_id", "on", "row_id"]


@dataclass(frozen=True)
class StatisticsPeriod:
    label: str
    start: date
    end: date


def statistics_period(value: str) -> StatisticsPeriod:
    """`2026` (a calendar year) or `2026-Q3` (a quarter), not starting in the future."""
    match = PERIOD_RE.match(value)
    year = int(match.group(1)) if match else 0
    if match is None or year < FIRST_YEAR or date(year, 1, 1) > local_today():
        raise StatisticsPeriodInvalid(
            f"A year ({FIRST_YEAR} to this year) or a quarter of one, such as 2026 or 2026-Q3.",
            errors=[FieldError(pointer="/query/period", code="period_invalid", message="not a known period")],
        )
    if match.group(2) is None:
        return StatisticsPeriod(value, date(year, 1, 1), date(year, 12, 31))
    quarter = int(match.group(2))
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    if start > local_today():
        raise StatisticsPeriodInvalid(
            "The quarter has not started yet.",
            errors=[FieldError(pointer="/query/period", code="period_in_future", message="in the future")],
        )
    return StatisticsPeriod(value, start, date.fromordinal(end.toordinal() - 1))


def status_of(project: HousingProject) -> PartnerProjectStatus:
    if project.handed_over_on is not None:
        return PartnerProjectStatus.HANDED_OVER
    if project.completed_on is not None:
        return PartnerProjectStatus.COMPLETED
    if project.started_on is not None:
        return PartnerProjectStatus.UNDER_CONSTRUCTION
    if project.approved_on is not None:
        return PartnerProjectStatus.APPROVED
    return PartnerProjectStatus.PLANNED


def partner_project(project: HousingProject, units: list[HousingProjectUnits]) -> PartnerProject:
    sale = None
    if (
        project.sale_published_on is not None
        and project.sale_published_where is not None
        and project.sale_opens_on is not None
        and project.sale_closes_on is not None
    ):
        sale = PartnerSalePublication(
            published_on=project.sale_published_on,
            published_where=project.sale_published_where,
            opens_on=project.sale_opens_on,
            closes_on=project.sale_closes_on,
        )
    return PartnerProject(
        id=project.id,
        name=project.name,
        investor=project.investor,
        province_code=project.province_code,
        commune_code=str(project.commune_code),
        legacy_area_code=project.legacy_area_code,
        kind=ProjectKind(project.kind),
        land_area_m2=project.land_area_m2,
        status=status_of(project),
        planned_units_total=sum(u.units for u in units),
        planned_units=[
            PartnerPlannedUnits(
                unit_kind=UnitKind(u.unit_kind),
                floor_area_band=FloorAreaBand(u.floor_area_band),
                units=u.units,
            )
            for u in units
        ],
        milestones=PartnerMilestones(
            approved_on=project.approved_on,
            started_on=project.started_on,
            completed_on=project.completed_on,
            handed_over_on=project.handed_over_on,
        ),
        sale_publication=sale,
        updated_at=project.updated_at,
    )


def partner_target(target: HousingTarget) -> PartnerTarget:
    return PartnerTarget.model_validate(
        {name: getattr(target, name) for name in PartnerTarget.model_fields}, from_attributes=False
    )


def cells(counted: list[AreaCount], threshold: int) -> list[PartnerStatisticCell]:
    shown = suppress([c.count for c in counted], threshold)
    return [
        PartnerStatisticCell(area_code=c.code, area_name=c.name, count=value, suppressed=value is None)
        for c, value in zip(counted, shown, strict=True)
    ]


class PartnerService:
    async def list_projects(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        area_code: str | None,
        kind: str | None,
        status: str | None,
    ) -> tuple[list[PartnerProject], str | None]:
        rows, next_cursor = await PartnerProjectRepository(session).list_in_area(
            caller.area, params, area_code=area_code, kind=kind, status=status
        )
        units = await HousingProjectRepository(session).units_of([r.id for r in rows])
        return [partner_project(r, units[r.id]) for r in rows], next_cursor

    async def get_project(
        self, session: AsyncSession, caller: Principal, project_id: uuid.UUID
    ) -> PartnerProject:
        project = await PartnerProjectRepository(session).get_in_area(project_id, caller.area)
        if project is None:
            raise HousingProjectNotFound(f"No project {project_id} in your area.")
        units = await HousingProjectRepository(session).units_of([project.id])
        return partner_project(project, units[project.id])

    async def list_targets(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        current_only: bool,
        period: tuple[int, int] | None,
    ) -> tuple[list[PartnerTarget], str | None]:
        rows, next_cursor = await PartnerTargetRepository(session).list_in_area(
            caller.area, params, current_only=current_only, period=period
        )
        return [partner_target(r) for r in rows], next_cursor

    async def progress(
        self, session: AsyncSession, caller: Principal, period: tuple[int, int], boundaries: Boundaries
    ) -> PartnerProgress:
        """The officers' progress (housing_target), with the targets of the caller's provinces only."""
        full = await housing_target_service.progress(session, caller, period, boundaries)
        return PartnerProgress(
            period_start_year=full.period_start_year,
            period_end_year=full.period_end_year,
            boundaries=full.boundaries,
            areas=[
                PartnerAreaProgress(
                    code=a.code,
                    name=a.name,
                    started_units=a.started_units,
                    completed_units=a.completed_units,
                    target_units=a.target_units,
                    years=[
                        PartnerYearProgress(
                            year=y.year, started_units=y.started_units, completed_units=y.completed_units
                        )
                        for y in a.years
                    ],
                )
                for a in full.areas
            ],
            targets=[
                PartnerTarget.model_validate(t.model_dump(include=set(PartnerTarget.model_fields)))
                for t in full.targets
                if t.province_code in caller.area.provinces
            ],
        )

    async def statistics(
        self,
        session: AsyncSession,
        caller: Principal,
        period: StatisticsPeriod,
        level: RollUpLevel,
        threshold: int,
    ) -> PartnerStatistics:
        as_of = min(period.end, local_today())
        new = Boundaries.NEW
        categories = await dashboard_service.households_by_category(
            session, caller, on=as_of, boundaries=new, level=level
        )
        remaining = await dashboard_service.temporary_houses_remaining(
            session, caller, start=as_of, end=as_of, interval=Interval.YEAR, boundaries=new, level=level
        )
        by_series: dict[str, list[AreaCount]] = {}
        for series, unit in await admin_unit_service.roll_up_series(
            session,
            support_case_rows(caller.area, period.start, period.end),
            series="series",
            boundaries=new,
            level=level,
        ):
            by_series.setdefault(str(series), []).append(
                AreaCount(code=unit.code, name=unit.name, count=unit.count)
            )
        cases = []
        for series, counted in sorted(by_series.items()):
            stream, status = series.split("/", 1)
            cases.append(
                PartnerSupportCaseCounts(
                    stream=SupportStream(stream),
                    status=SupportCaseStatus(status),
                    cells=cells(counted, threshold),
                )
            )
        applications = await PartnerStatisticsRepository(session).applications(
            caller.area, period.start, period.end
        )
        # Per project and status, no area total is published beside them: primary suppression only.
        shown = suppress([n for *_, n in applications], threshold, complementary=False)
        return PartnerStatistics(
            period=period.label,
            period_start=period.start,
            period_end=period.end,
            as_of=as_of,
            level=level,
            suppression_threshold=threshold,
            households_by_category=[
                PartnerCategoryCounts(category=g.key, cells=cells(g.items, threshold)) for g in categories
            ],
            houses_remaining=cells(remaining[-1].items if remaining else [], threshold),
            support_cases=cases,
            applications=[
                PartnerApplicationCount(
                    project_id=pid,
                    project_name=name,
                    project_commune_code=commune,
                    status=ApplicationStatus(status),
                    count=value,
                    suppressed=value is None,
                )
                for (pid, name, commune, status, _), value in zip(applications, shown, strict=True)
            ],
        )

    async def published_list(
        self,
        session: AsyncSession,
        caller: Principal,
        year: int,
        params: PageParams,
        project_id: uuid.UUID | None,
    ) -> tuple[list[PublishedListEntry], str | None]:
        """One page of the year's published list: the contracts signed in the year, then the resales
        bought by a person, of the caller's area. Each page read is audited (it names people)."""
        period = year_period(year)
        part, after = 0, None
        if params.cursor:
            values = decode_cursor(_LIST_KEYS, params.cursor)
            part, after = int(values[0]), (values[1], values[2], values[3], values[4])
        repo = ReportRepository(session)
        rows: list[tuple[int, ListedRow]] = []
        want = params.limit + 1
        if part == 0:
            batch = await repo.contracts(
                caller.area,
                start=period.start,
                end=period.end,
                project_id=project_id,
                after=after,
                limit=want,
            )
            rows += [(0, r) for r in batch]
            after = None
        if len(rows) < want:
            batch = await repo.resales(
                caller.area,
                start=period.start,
                end=period.end,
                project_id=project_id,
                after=after,
                limit=want - len(rows),
            )
            rows += [(1, r) for r in batch]
        page, more = rows[: params.limit], len(rows) > params.limit
        next_cursor = None
        if more and page:
            last_part, last = page[-1]
            key: Key = last.key
            next_cursor = encode_cursor(_LIST_KEYS, (last_part, *key))
        await record_access(
            session,
            AuditRecord,
            action="read",
            resource_type="published_list",
            resource_id=str(year),
            detail={"year": year, "entries": len(page), "project_id": project_id, "subject": caller.subject},
        )
        return [published_entry(r) for _, r in page], next_cursor


def published_entry(row: ListedRow) -> PublishedListEntry:
    kind = (
        PublishedListKind.RESALE_PURCHASE if row.source == "resale" else PublishedListKind(row.contract.kind)
    )
    return PublishedListEntry(
        project_id=row.project.id,
        project_name=row.project.name,
        investor=row.project.investor,
        project_commune_code=str(row.project.commune_code),
        kind=kind,
        full_name=row.person.full_name,
        birth_year=row.person.birth_year,
        residence_commune_code=str(row.person.commune_code),
        on=row.on,
    )


partner_service = PartnerService()

"""Housing targets (versioned, dated, with their legal basis) and progress against them, counted
from the projects' milestones and planned units on the old or the new boundaries."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.admin_unit.schemas import Boundaries, RollUpLevel
from registry_api.admin_unit.service import admin_unit_service
from registry_api.household.errors import AreaNotCovered
from registry_api.housing_target.errors import (
    HousingTargetNotFound,
    SupersedeMismatch,
    TargetAlreadySuperseded,
)
from registry_api.housing_target.repository import HousingTargetRepository, milestone_rows
from registry_api.housing_target.schemas import (
    AreaProgress,
    AreaScheme,
    HousingTargetCreate,
    HousingTargetRead,
    Progress,
    YearProgress,
)
from registry_api.models import HousingProject, HousingTarget, OutboxEvent
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

SAME_SCOPE = ("area_code", "area_scheme", "province_code", "period_start_year", "period_end_year", "year")


class HousingTargetService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: HousingTargetCreate
    ) -> HousingTarget:
        if data.province_code not in caller.area.provinces:
            raise AreaNotCovered(f"You do not cover province {data.province_code}.")
        repo = HousingTargetRepository(session)
        old: HousingTarget | None = None
        if data.supersedes_id is not None:
            old = await repo.get(data.supersedes_id, for_update=True)
            if old is None:
                raise HousingTargetNotFound(f"No housing target {data.supersedes_id}.")
            if old.superseded_by_id is not None:
                raise TargetAlreadySuperseded("That target was already superseded; supersede the newest one.")
            mismatched = [
                f
                for f in SAME_SCOPE
                if getattr(old, f) != (getattr(data, f).value if f == "area_scheme" else getattr(data, f))
            ]
            if mismatched:
                raise SupersedeMismatch(
                    "A new version is for the same area, period and year as the one it supersedes.",
                    errors=[
                        FieldError(pointer=f"/body/{f}", code="differs_from_superseded", message="differs")
                        for f in mismatched
                    ],
                )
        target = HousingTarget(
            id=new_id(),
            **data.model_dump(exclude={"area_scheme", "certainty"}),
            area_scheme=data.area_scheme.value,
            certainty=data.certainty.value,
        )
        await repo.save(target)
        if old is not None:
            # The only column ever set on a stored target: the pointer to its successor.
            old.superseded_by_id = target.id
            await repo.save(old)
        await emit(
            session,
            OutboxEvent,
            type="housing_target.created",
            subject=urn("registry", "housing-target", target.id),
            area_codes=[target.province_code],
            data={
                "housing_target_id": target.id,
                "supersedes_id": target.supersedes_id,
                "area_code": target.area_code,
                "period_start_year": target.period_start_year,
                "period_end_year": target.period_end_year,
                "year": target.year,
                "units": target.units,
            },
        )
        return target

    async def list_targets(
        self, session: AsyncSession, params: PageParams, *, current_only: bool, period: tuple[int, int] | None
    ) -> tuple[list[HousingTarget], str | None]:
        return await HousingTargetRepository(session).list_targets(
            params, current_only=current_only, period=period
        )

    async def progress(
        self, session: AsyncSession, caller: Principal, period: tuple[int, int], boundaries: Boundaries
    ) -> Progress:
        start, end = period
        names: dict[str | None, str | None] = {}
        per: dict[str | None, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for slot, column in enumerate((HousingProject.started_on, HousingProject.completed_on)):
            rows = milestone_rows(caller.area, column, start, end)
            for series, unit in await admin_unit_service.roll_up_series(
                session, rows, series="series", boundaries=boundaries, level=RollUpLevel.PROVINCE
            ):
                year, units = series
                names[unit.code] = unit.name
                per[unit.code][year][slot] += units * unit.count
        targets = await HousingTargetRepository(session).current_for_period(start, end)
        scheme = AreaScheme.LEGACY.value if boundaries is Boundaries.OLD else AreaScheme.CURRENT.value
        whole_period = {t.area_code: t.units for t in targets if t.year is None and t.area_scheme == scheme}
        codes: list[str | None] = sorted(per, key=lambda c: (c is None, c or ""))
        for target_code in whole_period:
            if target_code not in per and caller.area.provinces:
                codes.append(target_code)
        areas = []
        for code in codes:
            years = [
                YearProgress(year=y, started_units=v[0], completed_units=v[1])
                for y, v in sorted(per[code].items())
            ]
            areas.append(
                AreaProgress(
                    code=code,
                    name=names.get(code),
                    started_units=sum(y.started_units for y in years),
                    completed_units=sum(y.completed_units for y in years),
                    target_units=whole_period.get(code) if code is not None else None,
                    years=years,
                )
            )
        return Progress(
            period_start_year=start,
            period_end_year=end,
            boundaries=boundaries,
            areas=areas,
            targets=[HousingTargetRead.model_validate(t) for t in targets],
        )


housing_target_service = HousingTargetService()

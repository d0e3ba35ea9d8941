"""Commercial and urban-area projects and their 20% land-reserve obligation: the method the province
chose, the required area and money from the dated rule, the stages with dates and deadlines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.clients.registry import RegistryClient
from inspection_api.land_reserve.errors import (
    ILLEGAL_FROM,
    CommercialProjectNotFound,
    LandReserveObligationNotFound,
    LandReserveRuleNotApplicable,
    MoneyInputsMissing,
    MoneyOutOfRange,
    ObligationExists,
    ProjectLandInvalid,
    ResidentialLandLocked,
    StageDateInvalid,
)
from inspection_api.land_reserve.formula import money_due, required_area_m2
from inspection_api.land_reserve.repository import (
    CommercialProjectRepository,
    LandReserveObligationRepository,
    LandReserveRuleRepository,
)
from inspection_api.land_reserve.schemas import (
    CommercialProjectCreate,
    CommercialProjectUpdate,
    Deadlines,
    ObligationCreate,
)
from inspection_api.land_use_plan.errors import AreaNotCovered, CommuneNotInProvince
from inspection_api.land_use_plan.service import land_use_plan_service
from inspection_api.models import (
    CommercialProject,
    CommercialProjectKind,
    LandReserveMethod,
    LandReserveObligation,
    LandReserveRule,
    LandReserveStatus,
    OutboxEvent,
)
from inspection_api.models.land_reserve import STAGE_DATE
from inspection_api.parcel.errors import ParcelNotFound
from inspection_api.parcel.service import parcel_service
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_MONEY_VND = 2**63 - 1  # the BigInteger columns
S = LandReserveStatus
LAND_STAGES = (S.RESERVED_IN_PLAN, S.INFRASTRUCTURE_BUILT, S.CLEARED, S.INVESTOR_ASSIGNED, S.STARTED)


def local_today() -> date:
    return datetime.now(LOCAL_TZ).date()


def _one(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


async def check_commune(registry: RegistryClient, province_code: str, commune_code: str) -> None:
    """registry-api holds the units: the commune must be a current commune of the province."""
    unit = await registry.admin_unit(commune_code)
    if unit is None or unit.level != "commune" or unit.parent_code != province_code:
        raise CommuneNotInProvince(
            f"{commune_code} is not a current commune of province {province_code}.",
            errors=_one(
                "/body/commune_code", "commune_not_in_province", "not a current commune of the province"
            ),
        )


async def emit_obligation_event(
    session: AsyncSession, type_: str, ob: LandReserveObligation, **data: object
) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("inspection", "land-reserve-obligation", ob.id),
        area_codes=[ob.province_code, ob.commune_code],
        data={
            "land_reserve_obligation_id": ob.id,
            "commercial_project_id": ob.commercial_project_id,
            "method": ob.method,
            "status": ob.status,
            "due_on": ob.due_on,
            **data,
        },
    )


class CommercialProjectService:
    async def create(
        self,
        session: AsyncSession,
        caller: Principal,
        data: CommercialProjectCreate,
        registry: RegistryClient,
    ) -> CommercialProject:
        if not caller.covers(data.province_code, data.commune_code):
            raise AreaNotCovered(f"You do not cover commune {data.commune_code}.")
        if data.land_use_plan_id is not None:
            await land_use_plan_service.get(session, caller, data.land_use_plan_id)
        if data.site_parcel_id is not None:
            await parcel_service.get(session, caller, data.site_parcel_id)
        await check_commune(registry, data.province_code, data.commune_code)
        project = CommercialProject(**data.model_dump() | {"kind": data.kind.value})
        await CommercialProjectRepository(session).add(project)
        await emit(
            session,
            OutboxEvent,
            type="commercial_project.recorded",
            subject=urn("inspection", "commercial-project", project.id),
            area_codes=[project.province_code, project.commune_code],
            data={
                "commercial_project_id": project.id,
                "kind": project.kind,
                "residential_land_m2": str(project.residential_land_m2),
            },
        )
        return project

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        project_id: uuid.UUID,
        expected_version: int,
        data: CommercialProjectUpdate,
    ) -> CommercialProject:
        project = await self.get(session, caller, project_id)
        check_version(project.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if (
            "residential_land_m2" in changes
            and changes["residential_land_m2"] != project.residential_land_m2
            and await LandReserveObligationRepository(session).for_project(project.id) is not None
        ):
            raise ResidentialLandLocked(
                "The obligation's required area was computed from the recorded residential land.",
                errors=_one("/body/residential_land_m2", "locked", "the obligation is recorded"),
            )
        residential = changes.get("residential_land_m2", project.residential_land_m2)
        total = changes.get("total_land_m2", project.total_land_m2)
        if total is not None and total < residential:
            raise ProjectLandInvalid(
                f"The total land ({total} m²) is smaller than the residential land ({residential} m²).",
                errors=_one("/body/total_land_m2", "less_than_residential", "at least the residential land"),
            )
        if changes.get("land_use_plan_id") is not None:
            await land_use_plan_service.get(session, caller, changes["land_use_plan_id"])
        if changes.get("site_parcel_id") is not None:
            await parcel_service.get(session, caller, changes["site_parcel_id"])
        for field, value in changes.items():
            setattr(project, field, value)
        await CommercialProjectRepository(session).save(project)
        await emit(
            session,
            OutboxEvent,
            type="commercial_project.updated",
            subject=urn("inspection", "commercial-project", project.id),
            area_codes=[project.province_code, project.commune_code],
            data={"commercial_project_id": project.id, "changed": sorted(changes)},
        )
        return project

    async def get(self, session: AsyncSession, caller: Principal, project_id: uuid.UUID) -> CommercialProject:
        project = await CommercialProjectRepository(session).get_in_area(project_id, caller.area)
        if project is None:
            raise CommercialProjectNotFound(f"No commercial project {project_id} in your area.")
        return project

    async def list_projects(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        commune_code: str | None,
        kind: CommercialProjectKind | None,
    ) -> tuple[list[CommercialProject], str | None]:
        return await CommercialProjectRepository(session).list_projects(
            params, area=caller.area, commune_code=commune_code, kind=kind.value if kind else None
        )


class LandReserveObligationService:
    async def create(
        self, session: AsyncSession, caller: Principal, data: ObligationCreate
    ) -> LandReserveObligation:
        """Record the method the province chose; compute the required area (and the money) with the rule
        in force on `decided_on`."""
        try:
            project = await commercial_project_service.get(session, caller, data.commercial_project_id)
        except CommercialProjectNotFound as exc:
            exc.errors = _one("/body/commercial_project_id", "not_found", "no such project in your area")
            raise
        repo = LandReserveObligationRepository(session)
        if await repo.for_project(project.id) is not None:
            raise ObligationExists("This project's obligation is recorded already; change it instead.")
        rule = await LandReserveRuleRepository(session).in_force_on(data.decided_on)
        if rule is None:
            raise LandReserveRuleNotApplicable(
                f"No land-reserve rule is in force on {data.decided_on}.",
                errors=_one("/body/decided_on", "no_rule_in_force", "no rule covers this date"),
            )
        method = data.method
        required = required_area_m2(project.residential_land_m2, rule.reserve_rate)
        ob = LandReserveObligation(
            province_code=project.province_code,
            commune_code=project.commune_code,
            legacy_area_code=project.legacy_area_code,
            commercial_project_id=project.id,
            rule_id=rule.id,
            method=method.value,
            decided_on=data.decided_on,
            decision_number=data.decision_number,
            residential_land_m2=project.residential_land_m2,
            reserve_rate=rule.reserve_rate,
            required_area_m2=required,
            **data.model_dump(include=set(Deadlines.model_fields)),
        )
        if method is LandReserveMethod.PAY_MONEY:
            infra_cost = (
                data.technical_infrastructure_cost_vnd
                if data.technical_infrastructure_cost_vnd is not None
                else project.technical_infrastructure_cost_vnd
            )
            missing = [
                f
                for f, v in (
                    ("land_price_vnd_per_m2", data.land_price_vnd_per_m2),
                    ("technical_infrastructure_cost_vnd", infra_cost),
                )
                if v is None
            ]
            if missing or data.land_price_vnd_per_m2 is None or infra_cost is None:
                raise MoneyInputsMissing(
                    "Paying money needs the land price and the infrastructure cost.",
                    errors=[
                        FieldError(pointer=f"/body/{f}", code="missing", message="required for pay_money")
                        for f in missing
                    ],
                )
            money = money_due(required, data.land_price_vnd_per_m2, infra_cost, rule.infrastructure_cost_rate)
            if money.due_vnd > MAX_MONEY_VND:
                raise MoneyOutOfRange(
                    f"{money.due_vnd} VND does not fit an amount column.",
                    errors=_one("/body/land_price_vnd_per_m2", "out_of_range", "the product is too large"),
                )
            ob.land_price_vnd_per_m2 = data.land_price_vnd_per_m2
            ob.technical_infrastructure_cost_vnd = infra_cost
            ob.infrastructure_cost_rate = rule.infrastructure_cost_rate
            ob.money_land_fee_vnd = money.land_fee_vnd
            ob.money_infrastructure_vnd = money.infrastructure_vnd
            ob.money_due_vnd = money.due_vnd
            ob.status = S.AWAITING_PAYMENT.value
        else:
            if data.reserved_parcel_id is not None:
                try:
                    await parcel_service.get(session, caller, data.reserved_parcel_id)
                except ParcelNotFound as exc:
                    exc.errors = _one("/body/reserved_parcel_id", "not_found", "no such parcel in your area")
                    raise
                ob.reserved_parcel_id = data.reserved_parcel_id
            ob.status = S.RESERVED_IN_PLAN.value
            ob.reserved_in_plan_on = data.reserved_in_plan_on or data.decided_on
        ob.refresh_due_on()
        await repo.save(ob)
        await emit_obligation_event(
            session,
            "land_reserve_obligation.created",
            ob,
            required_area_m2=str(ob.required_area_m2),
            money_due_vnd=ob.money_due_vnd,
            rule_id=rule.id,
        )
        return ob

    async def list_rules(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[LandReserveRule], str | None]:
        return await LandReserveRuleRepository(session).list_rules(params)

    async def get(self, session: AsyncSession, caller: Principal, ob_id: uuid.UUID) -> LandReserveObligation:
        ob = await LandReserveObligationRepository(session).get_in_area(ob_id, caller.area)
        if ob is None:
            raise LandReserveObligationNotFound(f"No land-reserve obligation {ob_id} in your area.")
        return ob

    async def list_obligations(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        overdue: bool | None,
        as_of: date | None,
        status: LandReserveStatus | None,
        method: LandReserveMethod | None,
        commercial_project_id: uuid.UUID | None,
        commune_code: str | None,
    ) -> tuple[list[LandReserveObligation], str | None]:
        return await LandReserveObligationRepository(session).list_obligations(
            params,
            area=caller.area,
            overdue=overdue,
            as_of=as_of or local_today(),
            status=status.value if status else None,
            method=method.value if method else None,
            commercial_project_id=commercial_project_id,
            commune_code=commune_code,
        )

    async def advance(
        self,
        session: AsyncSession,
        caller: Principal,
        ob_id: uuid.UUID,
        expected_version: int,
        target: LandReserveStatus,
        on: date | None,
    ) -> LandReserveObligation:
        """Move to the next stage only; any other target is a 409 naming the current status."""
        ob = await self.get(session, caller, ob_id)
        check_version(ob.version, expected_version)
        current = S(ob.status)
        if ob.next_stage() is not target:
            nxt = ob.next_stage()
            allowed = nxt.value if nxt else "nothing (the obligation is fulfilled)"
            raise ILLEGAL_FROM[current](f"The obligation is {current.value}; the next stage is {allowed}.")
        today = local_today()
        on = on or today
        if on > today:
            raise StageDateInvalid(
                "A stage cannot be dated in the future.",
                errors=_one("/body/on", "in_the_future", "after today"),
            )
        previous: date = getattr(ob, STAGE_DATE[current])
        if on < previous:
            raise StageDateInvalid(
                f"The stage cannot be dated before the previous one ({previous}).",
                errors=_one("/body/on", "before_previous_stage", f"on or after {previous}"),
            )
        ob.status = target.value
        setattr(ob, STAGE_DATE[target], on)
        ob.refresh_due_on()
        await LandReserveObligationRepository(session).save(ob)
        await emit_obligation_event(session, f"land_reserve_obligation.{target.value}", ob, on=on)
        return ob

    async def set_deadlines(
        self,
        session: AsyncSession,
        caller: Principal,
        ob_id: uuid.UUID,
        expected_version: int,
        data: Deadlines,
    ) -> LandReserveObligation:
        ob = await self.get(session, caller, ob_id)
        check_version(ob.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        for field, value in changes.items():
            setattr(ob, field, value)
        ob.refresh_due_on()
        await LandReserveObligationRepository(session).save(ob)
        await emit_obligation_event(
            session, "land_reserve_obligation.deadlines_changed", ob, changed=sorted(changes)
        )
        return ob


commercial_project_service = CommercialProjectService()
land_reserve_obligation_service = LandReserveObligationService()

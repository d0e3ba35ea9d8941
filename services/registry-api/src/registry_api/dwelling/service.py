"""Dwellings of households and their condition assessments, classified under dated rule sets."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.classifier import DwellingFacts, Structure, classify
from registry_api.dwelling.errors import (
    DwellingAssessmentNotFound,
    DwellingDateInvalid,
    DwellingEnded,
    DwellingNotFound,
    DwellingRuleSetNotApplicable,
)
from registry_api.dwelling.repository import (
    AssessmentRepository,
    DwellingRepository,
    DwellingRuleSetRepository,
)
from registry_api.dwelling.schemas import AssessmentCreate, DwellingCreate, DwellingUpdate
from registry_api.household.errors import HouseholdClosed
from registry_api.household.service import household_service
from registry_api.models import (
    Dwelling,
    DwellingAssessment,
    DwellingRuleSet,
    OutboxEvent,
)
from registry_api.person.service import local_today
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal


def _date_error(detail: str, pointer: str, code: str) -> DwellingDateInvalid:
    return DwellingDateInvalid(detail, errors=[FieldError(pointer=pointer, code=code, message=detail)])


class DwellingService:
    async def create(
        self, session: AsyncSession, caller: Principal, household_id: uuid.UUID, data: DwellingCreate
    ) -> Dwelling:
        household = await household_service.get(session, caller, household_id)
        if household.closed_on is not None:
            raise HouseholdClosed("The household is closed.")
        if data.since > local_today():
            raise _date_error("A dwelling cannot start in the future.", "/body/since", "in_the_future")
        repo = DwellingRepository(session)
        previous = await repo.current_for(household.id)
        if previous is not None:
            if data.since <= previous.since:
                raise _date_error(
                    f"The current dwelling started on {previous.since}; a new one starts after it.",
                    "/body/since",
                    "not_after_current",
                )
            previous.ended_on = data.since - timedelta(days=1)
            await repo.save(previous)  # the old one ends first: one current dwelling at a time
        dwelling = Dwelling(
            id=new_id(),
            household_id=household.id,
            since=data.since,
            built_year=data.built_year,
            note=data.note,
            province_code=household.province_code,
            commune_code=household.commune_code,
            legacy_area_code=household.legacy_area_code,
        )
        await repo.save(dwelling)
        await emit(
            session,
            OutboxEvent,
            type="dwelling.created",
            subject=urn("registry", "dwelling", dwelling.id),
            area_codes=[dwelling.province_code, dwelling.commune_code],
            data={
                "dwelling_id": dwelling.id,
                "household_id": household.id,
                "since": dwelling.since,
                "previous_dwelling_id": previous.id if previous else None,
            },
        )
        return dwelling

    async def get(self, session: AsyncSession, caller: Principal, dwelling_id: uuid.UUID) -> Dwelling:
        dwelling = await DwellingRepository(session).get_in_area(dwelling_id, caller.area)
        if dwelling is None:
            raise DwellingNotFound(f"No dwelling {dwelling_id} in your area.")
        return dwelling

    async def update(
        self,
        session: AsyncSession,
        caller: Principal,
        dwelling_id: uuid.UUID,
        expected_version: int,
        data: DwellingUpdate,
    ) -> Dwelling:
        dwelling = await self.get(session, caller, dwelling_id)
        check_version(dwelling.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        if not changes:
            return dwelling
        for field, value in changes.items():
            setattr(dwelling, field, value)
        await DwellingRepository(session).save(dwelling)
        await emit(
            session,
            OutboxEvent,
            type="dwelling.updated",
            subject=urn("registry", "dwelling", dwelling.id),
            area_codes=[dwelling.province_code, dwelling.commune_code],
            data={
                "dwelling_id": dwelling.id,
                "household_id": dwelling.household_id,
                "changed": sorted(changes),
            },
        )
        return dwelling

    async def list_for_household(
        self, session: AsyncSession, caller: Principal, household_id: uuid.UUID, params: PageParams
    ) -> tuple[list[Dwelling], str | None]:
        household = await household_service.get(session, caller, household_id)
        return await DwellingRepository(session).list_for_household(household.id, params)

    async def assess(
        self, session: AsyncSession, caller: Principal, dwelling_id: uuid.UUID, data: AssessmentCreate
    ) -> tuple[DwellingAssessment, DwellingRuleSet]:
        dwelling = await self.get(session, caller, dwelling_id)
        if dwelling.ended_on is not None:
            raise DwellingEnded(f"The household left this dwelling on {dwelling.ended_on}.")
        if data.assessed_on > local_today():
            raise _date_error(
                "An assessment cannot be dated in the future.", "/body/assessed_on", "in_the_future"
            )
        if data.assessed_on < dwelling.since:
            raise _date_error(
                f"The household lives here from {dwelling.since}.", "/body/assessed_on", "before_dwelling"
            )
        rules = await DwellingRuleSetRepository(session).valid_on(data.assessed_on)
        if rules is None:
            raise DwellingRuleSetNotApplicable(
                f"No dwelling rule set is valid on {data.assessed_on}.",
                errors=[
                    FieldError(
                        pointer="/body/assessed_on",
                        code="dwelling_rule_set_not_applicable",
                        message="no rules",
                    )
                ],
            )
        facts = DwellingFacts(
            floor_area_m2=data.floor_area_m2,
            residents=data.residents,
            foundation=Structure(data.foundation.material, data.foundation.state),
            frame_walls=Structure(data.frame_walls.material, data.frame_walls.state),
            roof=Structure(data.roof.material, data.roof.state),
            land_status=data.land_status,
        )
        result = classify(facts, rules)
        assessment = DwellingAssessment(
            id=new_id(),
            dwelling_id=dwelling.id,
            household_id=dwelling.household_id,
            rule_set_id=rules.id,
            assessed_on=data.assessed_on,
            assessor=data.assessor,
            floor_area_m2=data.floor_area_m2,
            residents=data.residents,
            foundation_material=data.foundation.material.value,
            foundation_state=data.foundation.state.value,
            frame_walls_material=data.frame_walls.material.value,
            frame_walls_state=data.frame_walls.state.value,
            roof_material=data.roof.material.value,
            roof_state=data.roof.state.value,
            land_status=data.land_status.value,
            classification=result.classification.value,
            qualifies=result.qualifies,
            criteria=result.criteria,
            note=data.note,
            province_code=dwelling.province_code,
            commune_code=dwelling.commune_code,
            legacy_area_code=dwelling.legacy_area_code,
        )
        await AssessmentRepository(session).add(assessment)
        await emit(
            session,
            OutboxEvent,
            type="dwelling.assessed",
            subject=urn("registry", "dwelling", dwelling.id),
            area_codes=[dwelling.province_code, dwelling.commune_code],
            data={
                "dwelling_id": dwelling.id,
                "household_id": dwelling.household_id,
                "assessment_id": assessment.id,
                "assessed_on": assessment.assessed_on,
                "rule_set_code": rules.code,
                "classification": assessment.classification,
                "qualifies": assessment.qualifies,
                "criteria": result.criteria,
            },
        )
        return assessment, rules

    async def list_assessments(
        self, session: AsyncSession, caller: Principal, dwelling_id: uuid.UUID, params: PageParams
    ) -> tuple[list[DwellingAssessment], str | None]:
        dwelling = await self.get(session, caller, dwelling_id)
        return await AssessmentRepository(session).list_for_dwelling(dwelling.id, params)

    async def get_assessment(
        self, session: AsyncSession, caller: Principal, assessment_id: uuid.UUID
    ) -> DwellingAssessment:
        assessment = await AssessmentRepository(session).get_in_area(assessment_id, caller.area)
        if assessment is None:
            raise DwellingAssessmentNotFound(f"No dwelling assessment {assessment_id} in your area.")
        return assessment

    async def rule_set_codes(self, session: AsyncSession, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        repo = DwellingRuleSetRepository(session)
        out: dict[uuid.UUID, str] = {}
        for id_ in ids:
            rules = await repo.get(id_)
            if rules is not None:
                out[id_] = rules.code
        return out

    async def list_rule_sets(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[DwellingRuleSet], str | None]:
        return await DwellingRuleSetRepository(session).list_all(params)


dwelling_service = DwellingService()

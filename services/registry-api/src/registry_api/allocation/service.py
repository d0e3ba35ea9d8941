"""Allocation rounds: open with a recorded seed, then draw (priority quota + seeded lottery); winners
move to `allocated` through the application service."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.draw import Candidate, draw, seed_digest
from registry_api.allocation.errors import (
    AllocationRoundAlreadyDrawn,
    AllocationRoundNotFound,
    AllocationRoundOpenExists,
    AllocationRuleMissing,
    DrawDateInvalid,
    NoEligibleApplications,
)
from registry_api.allocation.repository import CandidateRepository, RoundRepository, RuleRepository
from registry_api.allocation.schemas import RoundCreate
from registry_api.application.service import application_service
from registry_api.housing_project.errors import HousingProjectNotFound
from registry_api.housing_project.repository import HousingProjectRepository
from registry_api.models import AllocationRound, AllocationRule, Application, OutboxEvent
from registry_api.person.service import local_today
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

PRIORITY_KIND = "priority_order"


async def _emit(session: AsyncSession, type_: str, row: AllocationRound, **data: object) -> None:
    # Ids, counts and the seed only: who won is read through the API with its own rights.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "allocation_round", row.id),
        area_codes=[row.province_code, row.commune_code],
        data={
            "allocation_round_id": row.id,
            "project_id": row.project_id,
            "tenure": row.tenure,
            "units": row.units,
            "seed_sha256": row.seed_sha256,
            **data,
        },
    )


async def candidates_of(
    session: AsyncSession, apps: list[Application], rule: AllocationRule, on: date
) -> list[Candidate]:
    """Each application's single highest priority by the rule's order: merit / martyr relative from the
    applicant's beneficiary categories valid on `on`; disabled and resettled from the application's
    facts, each only with its evidence record (a disability certificate covering the applicant, a
    resettlement decision) issued by `on`; women from the applicant's gender."""
    order: list[str] = list(rule.params["order"])
    repo = CandidateRepository(session)
    applicants = [a.applicant_person_id for a in apps]
    categories = await repo.categories(applicants, on)
    genders = await repo.genders(applicants)
    proofs = await repo.priority_evidence([a.id for a in apps], on)
    found: list[Candidate] = []
    for app in apps:
        held = set(categories.get(app.applicant_person_id, set()))
        if genders.get(app.applicant_person_id) == "female":
            held.add("women")
        proven = proofs.get(app.id, set())
        if app.applicant_disabled and ("disability_certificate", app.applicant_person_id) in proven:
            held.add("disabled")
        if app.resettled and any(form == "resettlement_decision" for form, _ in proven):
            held.add("resettled")
        ranked = [(order.index(p) + 1, p) for p in held if p in order]
        rank, priority = min(ranked) if ranked else (None, None)
        assert app.submitted_on is not None
        found.append(Candidate(app.id, app.submitted_on, priority, rank))
    return found


class AllocationService:
    async def open_round(
        self, session: AsyncSession, caller: Principal, data: RoundCreate
    ) -> AllocationRound:
        project = await HousingProjectRepository(session).get_in_area(data.project_id, caller.area)
        if project is None:
            raise HousingProjectNotFound(f"No housing project {data.project_id} in your area.")
        repo = RoundRepository(session)
        if await repo.open_for(project.id, data.tenure.value) is not None:
            raise AllocationRoundOpenExists("Draw or close the open round of this project and tenure first.")
        row = AllocationRound(
            id=new_id(),
            project_id=project.id,
            tenure=data.tenure.value,
            units=data.units,
            status="open",
            published_seed=data.published_seed,
            seed_sha256=seed_digest(data.published_seed),
            province_code=project.province_code,
            commune_code=project.commune_code,
            legacy_area_code=project.legacy_area_code,
        )
        await repo.save(row)
        await _emit(session, "allocation_round.opened", row)
        return row

    async def get(
        self, session: AsyncSession, caller: Principal, round_id: uuid.UUID, *, for_update: bool = False
    ) -> AllocationRound:
        row = await RoundRepository(session).get_in_area(round_id, caller.area, for_update=for_update)
        if row is None:
            raise AllocationRoundNotFound(f"No allocation round {round_id} in your area.")
        return row

    async def list_rounds(
        self, session: AsyncSession, caller: Principal, params: PageParams, project_id: uuid.UUID | None
    ) -> tuple[list[AllocationRound], str | None]:
        return await RoundRepository(session).list_in_area(caller.area, params, project_id=project_id)

    async def draw(
        self, session: AsyncSession, caller: Principal, round_id: uuid.UUID, version: int, on: date | None
    ) -> AllocationRound:
        row = await self.get(session, caller, round_id, for_update=True)
        check_version(row.version, version)
        if row.status != "open":
            raise AllocationRoundAlreadyDrawn(f"The round was drawn on {row.drawn_on}.")
        on = on or local_today()
        if on > local_today():
            raise DrawDateInvalid(
                "The draw date is in the future.",
                errors=[FieldError(pointer="/body/on", code="in_future", message="in the future")],
            )
        rule = await RuleRepository(session).in_force(PRIORITY_KIND, on)
        if rule is None:
            raise AllocationRuleMissing(f"No priority order rule is stored for {on.isoformat()}.")
        apps = await CandidateRepository(session).eligible(row.project_id, row.tenure)
        if not apps:
            raise NoEligibleApplications("No eligible application to draw among.")
        candidates = await candidates_of(session, apps, rule, on)
        quota, result = draw(candidates, row.units, row.seed_sha256)
        by_id = {str(a.id): a for a in apps}
        for entry in result:
            if entry["won"]:
                app = by_id[entry["application_id"]]
                await application_service.allocate(session, caller, app.id, app.version, on)
        row.status, row.drawn_on, row.priority_rule_id = "drawn", on, rule.id
        row.dossiers, row.priority_dossiers = len(candidates), sum(1 for c in candidates if c.priority)
        row.priority_quota, row.result = quota, result
        await RoundRepository(session).save(row)
        await _emit(
            session,
            "allocation_round.drawn",
            row,
            drawn_on=on,
            dossiers=row.dossiers,
            priority_dossiers=row.priority_dossiers,
            priority_quota=quota,
            winners=sum(1 for e in result if e["won"]),
        )
        return row

    async def list_rules(
        self, session: AsyncSession, params: PageParams
    ) -> tuple[list[AllocationRule], str | None]:
        return await RuleRepository(session).list_rules(params)


allocation_service = AllocationService()

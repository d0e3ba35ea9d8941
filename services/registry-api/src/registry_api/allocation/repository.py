from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import (
    AllocationRound,
    AllocationRule,
    Application,
    ApplicationEvidence,
    BeneficiaryCategory,
    HousingContract,
    Person,
    ResaleEvent,
    SupportHistory,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams


def in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(AllocationRound.province_code, AllocationRound.commune_code)


class RoundRepository(RepositoryBase[AllocationRound]):
    model = AllocationRound

    async def get_in_area(
        self, id_: uuid.UUID, area: AreaScope, *, for_update: bool = False
    ) -> AllocationRound | None:
        return await self.get(id_, in_area(area), for_update=for_update)

    async def open_for(self, project_id: uuid.UUID, tenure: str) -> AllocationRound | None:
        stmt = select(AllocationRound).where(
            AllocationRound.project_id == project_id,
            AllocationRound.tenure == tenure,
            AllocationRound.status == "open",
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def list_in_area(
        self, area: AreaScope, params: PageParams, *, project_id: uuid.UUID | None
    ) -> tuple[list[AllocationRound], str | None]:
        stmt = select(AllocationRound).where(in_area(area))
        if project_id is not None:
            stmt = stmt.where(AllocationRound.project_id == project_id)
        return await self.paginate(stmt, params)

    async def save(self, row: AllocationRound) -> None:
        self.session.add(row)
        await self.session.flush()


class RuleRepository(RepositoryBase[AllocationRule]):
    model = AllocationRule

    async def codes(self) -> set[str]:
        return set((await self.session.execute(select(AllocationRule.code))).scalars())

    async def in_force(self, kind: str, on: date) -> AllocationRule | None:
        stmt = (
            select(AllocationRule)
            .where(
                AllocationRule.kind == kind,
                AllocationRule.valid_from <= on,
                or_(AllocationRule.valid_to.is_(None), AllocationRule.valid_to >= on),
            )
            .order_by(AllocationRule.valid_from.desc())
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def list_rules(self, params: PageParams) -> tuple[list[AllocationRule], str | None]:
        return await self.paginate(select(AllocationRule), params)


class CandidateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def eligible(self, project_id: uuid.UUID, tenure: str) -> list[Application]:
        """The project's eligible applications for the tenure, locked against a concurrent step."""
        stmt = (
            select(Application)
            .where(
                Application.project_id == project_id,
                Application.tenure == tenure,
                Application.status == "eligible",
            )
            .order_by(Application.id)
            .with_for_update()
        )
        return list((await self.session.execute(stmt)).scalars())

    async def categories(self, person_ids: list[uuid.UUID], on: date) -> dict[uuid.UUID, set[str]]:
        found: dict[uuid.UUID, set[str]] = {p: set() for p in person_ids}
        if not person_ids:
            return found
        stmt = select(BeneficiaryCategory.person_id, BeneficiaryCategory.kind).where(
            BeneficiaryCategory.person_id.in_(person_ids),
            BeneficiaryCategory.kind.in_(("merit", "martyr_relative")),
            BeneficiaryCategory.valid_from <= on,
            or_(BeneficiaryCategory.valid_to.is_(None), BeneficiaryCategory.valid_to >= on),
        )
        for person_id, kind in (await self.session.execute(stmt)).all():
            if person_id is not None:
                found[person_id].add(kind)
        return found

    async def priority_evidence(
        self, application_ids: list[uuid.UUID], on: date
    ) -> dict[uuid.UUID, set[tuple[str, uuid.UUID]]]:
        """(form, person) of the priority evidence records of these applications issued by `on`."""
        found: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = {}
        if not application_ids:
            return found
        stmt = select(
            ApplicationEvidence.application_id, ApplicationEvidence.form, ApplicationEvidence.person_id
        ).where(
            ApplicationEvidence.application_id.in_(application_ids),
            ApplicationEvidence.form.in_(("disability_certificate", "resettlement_decision")),
            ApplicationEvidence.issued_on <= on,
        )
        for app_id, form, person_id in (await self.session.execute(stmt)).all():
            found.setdefault(app_id, set()).add((form, person_id))
        return found

    async def genders(self, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not person_ids:
            return {}
        stmt = select(Person.id, Person.gender).where(Person.id.in_(person_ids))
        rows = (await self.session.execute(stmt)).all()
        return {row[0]: row[1] for row in rows}


def contract_in_area(area: AreaScope) -> ColumnElement[bool]:
    return area.sql_filter(HousingContract.province_code, HousingContract.commune_code)


class ContractRepository(RepositoryBase[HousingContract]):
    model = HousingContract

    async def get_in_area(self, id_: uuid.UUID, area: AreaScope) -> HousingContract | None:
        return await self.get(id_, contract_in_area(area), for_update=True)

    async def for_application(self, application_id: uuid.UUID) -> HousingContract | None:
        stmt = select(HousingContract).where(HousingContract.application_id == application_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_number(self, project_id: uuid.UUID, number: str) -> HousingContract | None:
        stmt = select(HousingContract).where(
            HousingContract.project_id == project_id, HousingContract.contract_number == number
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_in_area(
        self, area: AreaScope, params: PageParams
    ) -> tuple[list[HousingContract], str | None]:
        return await self.paginate(select(HousingContract).where(contract_in_area(area)), params)

    async def is_eligible(self, person_id: uuid.UUID) -> bool:
        stmt = select(Application.id).where(
            Application.applicant_person_id == person_id, Application.status == "eligible"
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def resales_of(self, contract_id: uuid.UUID) -> list[ResaleEvent]:
        stmt = select(ResaleEvent).where(ResaleEvent.contract_id == contract_id).order_by(ResaleEvent.sold_on)
        return list((await self.session.execute(stmt)).scalars())

    async def save(self, row: HousingContract) -> None:
        self.session.add(row)
        await self.session.flush()

    async def add_resale(self, row: ResaleEvent) -> None:
        self.session.add(row)
        await self.session.flush()


class ContractHistoryRepository(RepositoryBase[SupportHistory]):
    """The support history rows of contracts and resales (see models.support_case.SupportHistory)."""

    model = SupportHistory

    async def household_of(self, person_id: uuid.UUID) -> Person | None:
        return await self.session.get(Person, person_id)

    async def for_contract(self, contract_id: uuid.UUID) -> SupportHistory | None:
        stmt = select(SupportHistory).where(SupportHistory.contract_id == contract_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, row: SupportHistory) -> None:
        self.session.add(row)
        await self.session.flush()

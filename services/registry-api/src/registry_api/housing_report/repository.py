"""The rows of the buyer and renter lists, read in keyset batches (project name, project id, date, id)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from registry_api.models import (
    Application,
    BeneficiaryGroup,
    HousingContract,
    HousingProject,
    Person,
    ResaleEvent,
)
from servicekit.areas import AreaScope

# (project name, project id, date, row id): the order and the keyset of both lists.
Key = tuple[str, uuid.UUID, date, uuid.UUID]


@dataclass(frozen=True)
class ListedRow:
    """One buyer or renter: a contract signed, or a resale bought by a person."""

    key: Key
    source: str  # contract | resale
    project: HousingProject
    contract: HousingContract
    on: date  # signed on, or bought on
    price_vnd: int
    person: Person  # the applicant, or the resale buyer
    spouse: Person | None
    group_clause: int | None


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def contracts(
        self,
        area: AreaScope,
        *,
        start: date,
        end: date,
        project_id: uuid.UUID | None,
        after: Key | None,
        limit: int,
    ) -> list[ListedRow]:
        """Contracts signed from `start` to `end` (inclusive) of the caller's area (the applicant's)."""
        spouse = aliased(Person)
        stmt = (
            select(HousingContract, HousingProject, Person, spouse, BeneficiaryGroup.clause)
            .join(HousingProject, HousingProject.id == HousingContract.project_id)
            .join(Application, Application.id == HousingContract.application_id)
            .join(Person, Person.id == HousingContract.applicant_person_id)
            .outerjoin(spouse, spouse.id == Application.spouse_person_id)
            .join(BeneficiaryGroup, BeneficiaryGroup.id == Application.beneficiary_group_id)
            .where(area.sql_filter(HousingContract.province_code, HousingContract.commune_code))
            .where(HousingContract.signed_on >= start, HousingContract.signed_on <= end)
        )
        order = (HousingProject.name, HousingProject.id, HousingContract.signed_on, HousingContract.id)
        if project_id is not None:
            stmt = stmt.where(HousingContract.project_id == project_id)
        if after is not None:
            stmt = stmt.where(tuple_(*order) > tuple_(*after))
        rows = (await self.session.execute(stmt.order_by(*order).limit(limit))).all()
        return [
            ListedRow(
                key=(p.name, p.id, c.signed_on, c.id),
                source="contract",
                project=p,
                contract=c,
                on=c.signed_on,
                price_vnd=c.price_vnd,
                person=person,
                spouse=sp,
                group_clause=clause,
            )
            for c, p, person, sp, clause in rows
        ]

    async def resales(
        self,
        area: AreaScope,
        *,
        start: date,
        end: date,
        project_id: uuid.UUID | None,
        after: Key | None,
        limit: int,
    ) -> list[ListedRow]:
        """Resales bought by a person from `start` to `end` (inclusive), of the caller's area (the
        contract's)."""
        stmt = (
            select(ResaleEvent, HousingContract, HousingProject, Person)
            .join(HousingContract, HousingContract.id == ResaleEvent.contract_id)
            .join(HousingProject, HousingProject.id == HousingContract.project_id)
            .join(Person, Person.id == ResaleEvent.buyer_person_id)
            .where(area.sql_filter(ResaleEvent.province_code, ResaleEvent.commune_code))
            .where(ResaleEvent.sold_on >= start, ResaleEvent.sold_on <= end)
        )
        order = (HousingProject.name, HousingProject.id, ResaleEvent.sold_on, ResaleEvent.id)
        if project_id is not None:
            stmt = stmt.where(HousingContract.project_id == project_id)
        if after is not None:
            stmt = stmt.where(tuple_(*order) > tuple_(*after))
        rows = (await self.session.execute(stmt.order_by(*order).limit(limit))).all()
        return [
            ListedRow(
                key=(p.name, p.id, r.sold_on, r.id),
                source="resale",
                project=p,
                contract=c,
                on=r.sold_on,
                price_vnd=r.price_vnd,
                person=person,
                spouse=None,
                group_clause=None,
            )
            for r, c, p, person in rows
        ]

"""Contracts for allocated applications, their full payment, and resales checked against the dated
resale lock (HL2023 Art. 89; docs/rules/allocation-and-contracts.md)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.allocation.errors import (
    ApplicationNotAllocated,
    ContractExists,
    ContractInvalid,
    ContractNotFound,
    ContractNotResellable,
    ResaleInvalid,
    ResaleRuleMissing,
    ResaleWithinLock,
)
from registry_api.allocation.repository import ContractHistoryRepository, ContractRepository, RuleRepository
from registry_api.allocation.schemas import ContractCreate, FullPaymentBody, ResaleCreate
from registry_api.application.service import application_service
from registry_api.models import (
    AllocationRule,
    Application,
    HistoryOutcome,
    HistorySource,
    HistoryStream,
    HousingContract,
    OutboxEvent,
    ResaleEvent,
    SupportHistory,
)
from registry_api.person.service import local_today
from servicekit.concurrency import check_version
from servicekit.db.base import new_id
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

CONTRACT_KIND = {"buy": "sale", "lease_purchase": "lease_purchase", "rent": "rent"}
LOCK_KIND = "resale_lock"


def _field(pointer: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(pointer=pointer, code=code, message=message)]


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def lock_ends_on(contract: HousingContract, rule: AllocationRule) -> date | None:
    """The first day the unit may be sold freely: full payment + the rule's years. None while the
    contract is not fully paid (the lock has not even started)."""
    if contract.fully_paid_on is None:
        return None
    return add_years(contract.fully_paid_on, int(rule.params["years"]))


async def _emit(session: AsyncSession, type_: str, c: HousingContract, **data: object) -> None:
    # Ids, kind, dates and the price (public under Directive 34/CT-TTg) only; no unit or person data.
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("registry", "housing_contract", c.id),
        area_codes=[c.province_code, c.commune_code],
        data={"housing_contract_id": c.id, "application_id": c.application_id, "kind": c.kind, **data},
    )


async def _record_contract(session: AsyncSession, app: Application, c: HousingContract) -> None:
    """The contract in the applicant's household's support history, naming everyone on the application."""
    history = ContractHistoryRepository(session)
    applicant = await history.household_of(app.applicant_person_id)
    assert applicant is not None
    people = [app.applicant_person_id, *([app.spouse_person_id] if app.spouse_person_id else [])]
    people += [p for p in app.member_person_ids if p not in people]
    await history.save(
        SupportHistory(
            id=new_id(),
            household_id=applicant.household_id,
            source=HistorySource.CONTRACT.value,
            contract_id=c.id,
            person_ids=people,
            stream=HistoryStream.SOCIAL_HOUSING.value,
            kind=c.kind,
            amount_vnd=c.price_vnd,
            proposed_on=c.signed_on,
            outcome=HistoryOutcome.CONTRACTED.value,
            province_code=applicant.province_code,
            commune_code=applicant.commune_code,
            legacy_area_code=applicant.legacy_area_code,
        )
    )


async def _record_resale(session: AsyncSession, c: HousingContract, event: ResaleEvent) -> None:
    """The seller's contract row ends as `resold`; a person who bought gets a `resale_purchase` row."""
    history = ContractHistoryRepository(session)
    row = await history.for_contract(c.id)
    if row is not None:
        row.outcome, row.ended_on = HistoryOutcome.RESOLD.value, event.sold_on
        await history.save(row)
    if event.buyer_person_id is None:
        return
    buyer = await history.household_of(event.buyer_person_id)
    assert buyer is not None
    await history.save(
        SupportHistory(
            id=new_id(),
            household_id=buyer.household_id,
            source=HistorySource.RESALE.value,
            resale_event_id=event.id,
            person_ids=[buyer.id],
            stream=HistoryStream.SOCIAL_HOUSING.value,
            kind="resale_purchase",
            amount_vnd=event.price_vnd,
            proposed_on=event.sold_on,
            outcome=HistoryOutcome.CONTRACTED.value,
            province_code=buyer.province_code,
            commune_code=buyer.commune_code,
            legacy_area_code=buyer.legacy_area_code,
        )
    )


class ContractService:
    async def create(self, session: AsyncSession, caller: Principal, data: ContractCreate) -> HousingContract:
        app = await application_service.get(session, caller, data.application_id)
        if app.status != "allocated":
            raise ApplicationNotAllocated(f"The application is {app.status}.")
        repo = ContractRepository(session)
        if await repo.for_application(app.id) is not None:
            raise ContractExists("The application already has a contract.")
        if await repo.by_number(app.project_id, data.contract_number) is not None:
            raise ContractExists("The project already has a contract with that number.")
        assert app.allocated_on is not None
        if data.signed_on < app.allocated_on or data.signed_on > local_today():
            raise ContractInvalid(
                "The contract is signed after the allocation and not in the future.",
                errors=_field(
                    "/body/signed_on", "signed_on_invalid", "before the allocation or in the future"
                ),
            )
        row = HousingContract(
            id=new_id(),
            application_id=app.id,
            project_id=app.project_id,
            applicant_person_id=app.applicant_person_id,
            kind=CONTRACT_KIND[app.tenure],
            status="active",
            contract_number=data.contract_number,
            signed_on=data.signed_on,
            unit_ref=data.unit_ref,
            price_vnd=data.price_vnd,
            province_code=app.province_code,
            commune_code=app.commune_code,
            legacy_area_code=app.legacy_area_code,
        )
        await repo.save(row)
        await _record_contract(session, app, row)
        await _emit(session, "housing_contract.signed", row, signed_on=row.signed_on, price_vnd=row.price_vnd)
        return row

    async def get(self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID) -> HousingContract:
        row = await ContractRepository(session).get_in_area(contract_id, caller.area)
        if row is None:
            raise ContractNotFound(f"No housing contract {contract_id} in your area.")
        return row

    async def list_contracts(
        self, session: AsyncSession, caller: Principal, params: PageParams
    ) -> tuple[list[HousingContract], str | None]:
        return await ContractRepository(session).list_in_area(caller.area, params)

    async def full_payment(
        self,
        session: AsyncSession,
        caller: Principal,
        contract_id: uuid.UUID,
        version: int,
        data: FullPaymentBody,
    ) -> HousingContract:
        row = await self.get(session, caller, contract_id)
        check_version(row.version, version)
        if row.kind == "rent" or row.fully_paid_on is not None:
            raise ContractInvalid(
                "Rent contracts are never paid off, and full payment is recorded once.",
                errors=_field("/body/on", "full_payment_not_applicable", "rent, or already recorded"),
            )
        if data.on < row.signed_on or data.on > local_today():
            raise ContractInvalid(
                "Full payment is on or after signing and not in the future.",
                errors=_field("/body/on", "full_payment_date_invalid", "before signing or in the future"),
            )
        row.fully_paid_on = data.on
        await ContractRepository(session).save(row)
        await _emit(session, "housing_contract.fully_paid", row, fully_paid_on=data.on)
        return row

    async def resell(
        self,
        session: AsyncSession,
        caller: Principal,
        contract_id: uuid.UUID,
        version: int,
        data: ResaleCreate,
    ) -> ResaleEvent:
        row = await self.get(session, caller, contract_id)
        check_version(row.version, version)
        if row.kind == "rent" or row.status != "active":
            raise ContractNotResellable(f"A {row.kind} contract that is {row.status} cannot be resold.")
        errors: list[FieldError] = []
        if data.sold_on < row.signed_on or data.sold_on > local_today():
            errors += _field("/body/sold_on", "sold_on_invalid", "before signing or in the future")
        if (data.buyer_kind == "eligible_person") != (data.buyer_person_id is not None):
            errors += _field(
                "/body/buyer_person_id", "buyer_person_invalid", "required for eligible_person only"
            )
        elif data.buyer_person_id is not None and not await ContractRepository(session).is_eligible(
            data.buyer_person_id
        ):
            errors += _field("/body/buyer_person_id", "buyer_not_eligible", "no eligible application")
        if errors:
            raise ResaleInvalid("The resale is invalid.", errors=errors)
        rule = await RuleRepository(session).in_force(LOCK_KIND, data.sold_on)
        if rule is None:
            raise ResaleRuleMissing(f"No resale lock rule is stored for {data.sold_on.isoformat()}.")
        ends = lock_ends_on(row, rule)
        within = row.kind in rule.params["contract_kinds"] and (ends is None or data.sold_on < ends)
        if within and (
            data.buyer_kind not in rule.params["allowed_buyers_within"] or data.price_vnd > row.price_vnd
        ):
            until = ends.isoformat() if ends else "five years after full payment (not yet paid off)"
            raise ResaleWithinLock(
                f"Locked until {until} ({rule.code}): only "
                f"{', '.join(rule.params['allowed_buyers_within'])}, at no more than the contract price."
            )
        event = ResaleEvent(
            id=new_id(),
            contract_id=row.id,
            sold_on=data.sold_on,
            buyer_kind=data.buyer_kind,
            buyer_person_id=data.buyer_person_id,
            price_vnd=data.price_vnd,
            lock_rule_id=rule.id,
            lock_ends_on=ends,
            within_lock=within,
            province_code=row.province_code,
            commune_code=row.commune_code,
            legacy_area_code=row.legacy_area_code,
        )
        row.status = "resold"
        repo = ContractRepository(session)
        await repo.save(row)
        await repo.add_resale(event)
        await _record_resale(session, row, event)
        await _emit(
            session,
            "housing_contract.resold",
            row,
            resale_id=event.id,
            sold_on=event.sold_on,
            buyer_kind=event.buyer_kind,
            within_lock=within,
        )
        return event

    async def resales(self, session: AsyncSession, contract: HousingContract) -> list[ResaleEvent]:
        return await ContractRepository(session).resales_of(contract.id)


contract_service = ContractService()

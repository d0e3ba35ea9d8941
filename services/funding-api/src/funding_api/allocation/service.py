"""Funding lines: money of a source earmarked for a support case, a housing project or a programme,
then paid out. Every amount is a ledger entry; the line itself holds only what it funds and why.

A support case or project is checked with registry-api before anything is written: when registry-api
cannot answer, the request fails (503) and nothing is stored, never accepted blind.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.allocation.errors import (
    AllocationAreaNotCovered,
    AllocationNotFound,
    FundingTargetUnknown,
    SupportCaseWithdrawn,
    TargetOutsideSourceProvince,
)
from funding_api.allocation.repository import AllocationRepository, FundingLineAmounts
from funding_api.allocation.schemas import AllocationCreate, DisbursementCreate, FundingLineStatus
from funding_api.clients.registry import RegistryClient
from funding_api.ledger.errors import FundingSourceMissing, SourceInactive
from funding_api.ledger.repository import LedgerRepository
from funding_api.ledger.schemas import JournalEntryRead
from funding_api.ledger.service import Posting, entry_read, ledger_service
from funding_api.models import (
    AllocationTarget,
    FundingAllocation,
    JournalEntryKind,
    LedgerAccountKind,
    OutboxEvent,
    Side,
)
from servicekit.errors import FieldError
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal

SERVICE = "funding"
WITHDRAWN = "withdrawn"


def line_status(amount_vnd: int, disbursed_vnd: int) -> FundingLineStatus:
    if amount_vnd == 0:
        return FundingLineStatus.CANCELLED
    if disbursed_vnd == 0:
        return FundingLineStatus.ALLOCATED
    if disbursed_vnd < amount_vnd:
        return FundingLineStatus.PARTIALLY_DISBURSED
    return FundingLineStatus.DISBURSED


def _target_unknown(pointer: str, message: str) -> FundingTargetUnknown:
    return FundingTargetUnknown(
        message, errors=[FieldError(pointer=pointer, code="unknown", message=message)]
    )


class AllocationService:
    async def _place(
        self, registry: RegistryClient, data: AllocationCreate, source_province: str
    ) -> tuple[str, str | None]:
        """Where the funded thing lies, as registry-api says (raises 503 when it cannot answer)."""
        if data.target_kind is AllocationTarget.SUPPORT_CASE:
            assert data.support_case_id is not None
            case = await registry.support_case(data.support_case_id)
            if case is None:
                raise _target_unknown("/support_case_id", "registry-api knows no such support case.")
            if case.status == WITHDRAWN:
                raise SupportCaseWithdrawn(f"Support case {case.id} was withdrawn.")
            return case.province_code, case.commune_code
        if data.target_kind is AllocationTarget.HOUSING_PROJECT:
            assert data.project_id is not None
            project = await registry.housing_project(data.project_id)
            if project is None:
                raise _target_unknown("/project_id", "registry-api knows no such housing project.")
            return project.province_code, project.commune_code
        return source_province, None

    async def allocate(
        self, session: AsyncSession, caller: Principal, registry: RegistryClient, data: AllocationCreate
    ) -> FundingLineAmounts:
        repo = AllocationRepository(session)
        source = await repo.get_source(data.source_id)
        if source is None:
            raise FundingSourceMissing(
                f"No funding source {data.source_id}.",
                errors=[
                    FieldError(pointer="/source_id", code="not_found", message="No such funding source.")
                ],
            )
        if not caller.covers(source.province_code, None):
            raise AllocationAreaNotCovered(f"You do not cover province {source.province_code}.")
        if not source.active:
            raise SourceInactive(f"Funding source {source.id} is inactive.")
        province_code, commune_code = await self._place(registry, data, source.province_code)
        if province_code != source.province_code:
            raise TargetOutsideSourceProvince(
                f"The target lies in province {province_code}, the source in {source.province_code}."
            )
        allocation = FundingAllocation(
            source_id=source.id,
            target_kind=data.target_kind.value,
            support_case_id=data.support_case_id,
            project_id=data.project_id,
            programme=data.programme,
            province_code=province_code,
            commune_code=commune_code,
            decision_number=data.decision_number,
            decision_date=data.decision_date,
            note=data.note,
        )
        await repo.add(allocation)
        open_account, _ = await repo.add_accounts(allocation)
        cash = await LedgerRepository(session).source_account(source, LedgerAccountKind.SOURCE_CASH)
        entry, _ = await ledger_service.post(
            session,
            kind=JournalEntryKind.ALLOCATION,
            booked_on=data.decision_date,
            description=f"Allocation {data.decision_number} ({data.target_kind.value})",
            reference=data.decision_number,
            source_id=source.id,
            allocation_id=allocation.id,
            province_code=province_code,
            commune_code=commune_code,
            created_by=caller.subject,
            postings=[
                Posting(open_account, Side.DEBIT, data.amount_vnd),
                Posting(cash, Side.CREDIT, data.amount_vnd),
            ],
        )
        await emit(
            session,
            OutboxEvent,
            type="allocation.created",
            subject=urn(SERVICE, "allocation", allocation.id),
            area_codes=[province_code, commune_code],
            data={
                "allocation_id": allocation.id,
                "entry_id": entry.id,
                "source_id": source.id,
                "source_kind": source.kind,
                "target_kind": allocation.target_kind,
                "support_case_id": allocation.support_case_id,
                "project_id": allocation.project_id,
                "programme": allocation.programme,
                "amount_vnd": data.amount_vnd,
                "decision_number": allocation.decision_number,
            },
        )
        return FundingLineAmounts(allocation, source.kind, data.amount_vnd, 0)

    async def disburse(
        self, session: AsyncSession, caller: Principal, allocation_id: uuid.UUID, data: DisbursementCreate
    ) -> JournalEntryRead:
        """Pay out of a funding line; never more than what is allocated and not yet paid."""
        repo = AllocationRepository(session)
        allocation = await repo.get_in_area(allocation_id, caller.area)
        if allocation is None:
            raise AllocationNotFound(f"No funding line {allocation_id} in your area.")
        if not caller.covers(allocation.province_code, None):
            raise AllocationAreaNotCovered(f"You do not cover province {allocation.province_code}.")
        open_account, paid_account = await repo.accounts_of(allocation.id)
        entry, lines = await ledger_service.post(
            session,
            kind=JournalEntryKind.DISBURSEMENT,
            booked_on=data.disbursed_on,
            description=data.description or f"Disbursement under {allocation.decision_number}",
            reference=data.reference,
            source_id=allocation.source_id,
            allocation_id=allocation.id,
            province_code=allocation.province_code,
            commune_code=allocation.commune_code,
            created_by=caller.subject,
            postings=[
                Posting(paid_account, Side.DEBIT, data.amount_vnd),
                Posting(open_account, Side.CREDIT, data.amount_vnd),
            ],
        )
        await emit(
            session,
            OutboxEvent,
            type="disbursement.recorded",
            subject=urn(SERVICE, "allocation", allocation.id),
            area_codes=[allocation.province_code, allocation.commune_code],
            data={
                "allocation_id": allocation.id,
                "entry_id": entry.id,
                "source_id": allocation.source_id,
                "support_case_id": allocation.support_case_id,
                "project_id": allocation.project_id,
                "amount_vnd": data.amount_vnd,
                "disbursed_on": data.disbursed_on,
            },
        )
        return entry_read(entry, lines)

    async def get(
        self, session: AsyncSession, caller: Principal, allocation_id: uuid.UUID
    ) -> FundingLineAmounts:
        repo = AllocationRepository(session)
        allocation = await repo.get_in_area(allocation_id, caller.area)
        if allocation is None:
            raise AllocationNotFound(f"No funding line {allocation_id} in your area.")
        return (await repo.amounts([allocation]))[0]

    async def list_lines(
        self,
        session: AsyncSession,
        caller: Principal,
        params: PageParams,
        *,
        source_id: uuid.UUID | None = None,
        support_case_id: uuid.UUID | None = None,
        project_id: uuid.UUID | None = None,
        target_kind: AllocationTarget | None = None,
    ) -> tuple[list[FundingLineAmounts], str | None]:
        repo = AllocationRepository(session)
        rows, next_cursor = await repo.list_allocations(
            params,
            area=caller.area,
            source_id=source_id,
            support_case_id=support_case_id,
            project_id=project_id,
            target_kind=target_kind.value if target_kind else None,
        )
        return await repo.amounts(rows), next_cursor


allocation_service = AllocationService()

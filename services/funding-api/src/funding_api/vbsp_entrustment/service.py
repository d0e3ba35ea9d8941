"""VBSP entrustment: the provincial budget entrusted to the bank's provincial branch for lending.

Contracts are province-level. Transfers are yearly tranches within the contract's period and never
exceed the amount it entrusts (the contract row is locked while a transfer is added, so two racing
transfers cannot overshoot). The bank's utilisation reports are immutable, one per period.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.models import OutboxEvent
from funding_api.models.vbsp_entrustment import (
    EntrustmentContract,
    EntrustmentTransfer,
    EntrustmentUtilisationReport,
)
from funding_api.vbsp_entrustment.errors import (
    ContractNumberTaken,
    EntrustedAmountExceeded,
    EntrustmentContractNotFound,
    EntrustmentInvalid,
    ProvinceNotCovered,
    TransferDecisionTaken,
    UtilisationPeriodReported,
)
from funding_api.vbsp_entrustment.repository import (
    CONTRACT_NUMBER_UNIQUE,
    EntrustmentContractRepository,
    EntrustmentTransferRepository,
    UniqueViolation,
    UtilisationReportRepository,
)
from funding_api.vbsp_entrustment.schemas import (
    ContractCreate,
    ContractSummary,
    ContractUpdate,
    TransferCreate,
    UtilisationReportCreate,
    YearFigures,
)
from servicekit.concurrency import check_version
from servicekit.errors import FieldError
from servicekit.idempotency import check_key
from servicekit.outbox import emit, urn
from servicekit.pagination import PageParams
from servicekit.principal import Principal, Role


def _invalid(pointer: str, code: str, message: str) -> EntrustmentInvalid:
    return EntrustmentInvalid(message, errors=[FieldError(pointer=pointer, code=code, message=message)])


def _check_period(start: date, end: date, pointer: str = "/body/period_end") -> None:
    if end < start:
        raise _invalid(pointer, "period_reversed", "The period ends before it starts.")


async def _emit(session: AsyncSession, type_: str, contract: EntrustmentContract, **data: object) -> None:
    await emit(
        session,
        OutboxEvent,
        type=type_,
        subject=urn("funding", "entrustment-contract", contract.id),
        area_codes=[contract.province_code],
        data={"contract_id": contract.id, "province_code": contract.province_code, **data},
    )


class EntrustmentService:
    async def create_contract(
        self, session: AsyncSession, caller: Principal, data: ContractCreate
    ) -> EntrustmentContract:
        if not caller.covers(data.province_code, None):
            raise ProvinceNotCovered(f"You do not cover province {data.province_code}.")
        _check_period(data.period_start, data.period_end)
        contract = EntrustmentContract(**data.model_dump())
        try:
            await EntrustmentContractRepository(session).save(contract)
        except UniqueViolation as exc:
            raise ContractNumberTaken(
                f"Province {data.province_code} already has contract {data.contract_number!r}."
            ) from exc
        await _emit(
            session,
            "vbsp_entrustment.contract_recorded",
            contract,
            contract_number=contract.contract_number,
            amount_vnd=contract.amount_vnd,
            period_start=contract.period_start,
            period_end=contract.period_end,
        )
        return contract

    async def get_contract(
        self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID, *, for_update: bool = False
    ) -> EntrustmentContract:
        """A contract outside the caller's provinces is as missing as one that does not exist."""
        contract = await EntrustmentContractRepository(session).get_in_area(
            contract_id, caller.area, for_update=for_update
        )
        if contract is None:
            raise EntrustmentContractNotFound(f"No entrustment contract {contract_id} in your area.")
        return contract

    async def list_contracts(
        self, session: AsyncSession, caller: Principal, params: PageParams, *, province_code: str | None
    ) -> tuple[list[EntrustmentContract], str | None]:
        return await EntrustmentContractRepository(session).list_contracts(
            params, area=caller.area, province_code=province_code
        )

    async def update_contract(
        self,
        session: AsyncSession,
        caller: Principal,
        contract_id: uuid.UUID,
        expected_version: int,
        data: ContractUpdate,
    ) -> EntrustmentContract:
        contract = await self.get_contract(session, caller, contract_id, for_update=True)
        check_version(contract.version, expected_version)
        changes = data.model_dump(exclude_unset=True)
        repo = EntrustmentContractRepository(session)
        if "period_end" in changes:
            _check_period(contract.period_start, changes["period_end"])
        if "amount_vnd" in changes:
            transferred = await repo.transferred_total(contract.id)
            if changes["amount_vnd"] < transferred:
                raise _invalid(
                    "/body/amount_vnd",
                    "below_transferred",
                    f"{transferred} VND has already been transferred under this contract.",
                )
        for field, value in changes.items():
            setattr(contract, field, value)
        try:
            await repo.save(contract)
        except UniqueViolation as exc:  # pragma: no cover - the number does not change here
            raise ContractNumberTaken(CONTRACT_NUMBER_UNIQUE) from exc
        await _emit(
            session,
            "vbsp_entrustment.contract_amended",
            contract,
            changed=sorted(changes),
            amount_vnd=contract.amount_vnd,
            period_end=contract.period_end,
        )
        return contract

    async def add_transfer(
        self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID, data: TransferCreate
    ) -> EntrustmentTransfer:
        # Locked: racing transfers are checked one after the other against the entrusted amount.
        contract = await self.get_contract(session, caller, contract_id, for_update=True)
        if not contract.period_start.year <= data.fiscal_year <= contract.period_end.year:
            raise _invalid(
                "/body/fiscal_year",
                "outside_contract_period",
                f"The contract runs {contract.period_start} to {contract.period_end}.",
            )
        repo = EntrustmentContractRepository(session)
        transferred = await repo.transferred_total(contract.id)
        if transferred + data.amount_vnd > contract.amount_vnd:
            raise EntrustedAmountExceeded(
                f"The contract entrusts {contract.amount_vnd} VND; {transferred} VND is already transferred."
            )
        transfer = EntrustmentTransfer(contract_id=contract.id, **data.model_dump())
        try:
            await EntrustmentTransferRepository(session).save(transfer)
        except UniqueViolation as exc:
            raise TransferDecisionTaken(f"Decision {data.decision_number!r} is already recorded.") from exc
        await _emit(
            session,
            "vbsp_entrustment.transfer_recorded",
            contract,
            transfer_id=transfer.id,
            fiscal_year=transfer.fiscal_year,
            amount_vnd=transfer.amount_vnd,
            transferred_on=transfer.transferred_on,
        )
        return transfer

    async def list_transfers(
        self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID, params: PageParams
    ) -> tuple[list[EntrustmentTransfer], str | None]:
        contract = await self.get_contract(session, caller, contract_id)
        return await EntrustmentTransferRepository(session).list_for(contract.id, params)

    async def add_utilisation_report(
        self,
        session: AsyncSession,
        caller: Principal,
        contract_id: uuid.UUID,
        data: UtilisationReportCreate,
        *,
        idempotency_key: str | None,
    ) -> EntrustmentUtilisationReport:
        # The bank's system must send a key so its retries cannot report twice; an officer keying in
        # a paper report may leave it out.
        machine = Role.BANK_INTEGRATION in caller.roles and Role.FINANCE_OFFICER not in caller.roles
        check_key(idempotency_key, required=machine)
        contract = await self.get_contract(session, caller, contract_id)
        _check_period(data.period_start, data.period_end)
        if data.period_start < contract.period_start or data.period_end > contract.period_end:
            raise _invalid(
                "/body/period_start",
                "outside_contract_period",
                f"The contract runs {contract.period_start} to {contract.period_end}.",
            )
        report = EntrustmentUtilisationReport(
            contract_id=contract.id, submitted_by=caller.client_id or caller.subject, **data.model_dump()
        )
        try:
            await UtilisationReportRepository(session).save(report)
        except UniqueViolation as exc:
            raise UtilisationPeriodReported(
                f"The period {data.period_start} to {data.period_end} is already reported."
            ) from exc
        await _emit(
            session,
            "vbsp_entrustment.utilisation_reported",
            contract,
            report_id=report.id,
            period_start=report.period_start,
            period_end=report.period_end,
            lent_vnd=report.lent_vnd,
            borrowers=report.borrowers,
            outstanding_vnd=report.outstanding_vnd,
            repaid_vnd=report.repaid_vnd,
            returned_vnd=report.returned_vnd,
        )
        return report

    async def list_utilisation_reports(
        self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID, params: PageParams
    ) -> tuple[list[EntrustmentUtilisationReport], str | None]:
        contract = await self.get_contract(session, caller, contract_id)
        return await UtilisationReportRepository(session).list_for(contract.id, params)

    async def summary(
        self, session: AsyncSession, caller: Principal, contract_id: uuid.UUID
    ) -> ContractSummary:
        """Entrusted vs transferred vs lent, per year and in total (derived, never stored)."""
        contract = await self.get_contract(session, caller, contract_id)
        years = await EntrustmentContractRepository(session).yearly_figures(contract.id)
        transferred = sum(y.transferred_vnd for y in years)
        returned = sum(y.returned_vnd for y in years)
        latest = next((y for y in reversed(years) if y.outstanding_vnd is not None), None)
        outstanding = latest.outstanding_vnd if latest else None
        return ContractSummary(
            contract_id=contract.id,
            entrusted_vnd=contract.amount_vnd,
            transferred_vnd=transferred,
            not_yet_transferred_vnd=contract.amount_vnd - transferred,
            lent_vnd=sum(y.lent_vnd for y in years),
            repaid_vnd=sum(y.repaid_vnd for y in years),
            returned_vnd=returned,
            outstanding_vnd=outstanding,
            borrowers=latest.borrowers if latest else None,
            outstanding_above_transferred=outstanding is not None and outstanding > transferred - returned,
            years=[
                YearFigures(
                    fiscal_year=y.year,
                    transferred_vnd=y.transferred_vnd,
                    lent_vnd=y.lent_vnd,
                    repaid_vnd=y.repaid_vnd,
                    returned_vnd=y.returned_vnd,
                    outstanding_vnd=y.outstanding_vnd,
                    borrowers=y.borrowers,
                )
                for y in years
            ],
        )


entrustment_service = EntrustmentService()

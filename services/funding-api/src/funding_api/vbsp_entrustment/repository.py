from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.exc import IntegrityError

from funding_api.models.vbsp_entrustment import (
    EntrustmentContract,
    EntrustmentTransfer,
    EntrustmentUtilisationReport,
)
from servicekit.areas import AreaScope
from servicekit.db.repository import RepositoryBase
from servicekit.pagination import PageParams

CONTRACT_NUMBER_UNIQUE = "uq_entrustment_contract_province_code_contract_number"
TRANSFER_DECISION_UNIQUE = "uq_entrustment_transfer_contract_id_decision_number"
REPORT_PERIOD_UNIQUE = "uq_entrustment_utilisation_report_period"


class UniqueViolation(Exception):
    """A unique constraint refused the row; `constraint` names it (the service maps it to a 409)."""

    def __init__(self, constraint: str) -> None:
        super().__init__(constraint)
        self.constraint = constraint


async def _flush_unique(repo: RepositoryBase[Any], obj: object, constraints: tuple[str, ...]) -> None:
    repo.session.add(obj)
    try:
        await repo.session.flush()
    except IntegrityError as exc:
        for name in constraints:
            if name in str(exc.orig):
                raise UniqueViolation(name) from exc
        raise


@dataclass(frozen=True, slots=True)
class YearRow:
    year: int
    transferred_vnd: int = 0
    lent_vnd: int = 0
    repaid_vnd: int = 0
    returned_vnd: int = 0
    outstanding_vnd: int | None = None
    borrowers: int | None = None


def in_area(area: AreaScope) -> ColumnElement[bool]:
    """Contracts are province-level: only whole provinces a caller covers count."""
    return area.province_filter(EntrustmentContract.province_code)


class EntrustmentContractRepository(RepositoryBase[EntrustmentContract]):
    model = EntrustmentContract

    async def get_in_area(
        self, id_: uuid.UUID, area: AreaScope, *, for_update: bool = False
    ) -> EntrustmentContract | None:
        return await self.get(id_, in_area(area), for_update=for_update)

    async def list_contracts(
        self, params: PageParams, *, area: AreaScope, province_code: str | None
    ) -> tuple[list[EntrustmentContract], str | None]:
        stmt = select(EntrustmentContract).where(in_area(area))
        if province_code is not None:
            stmt = stmt.where(EntrustmentContract.province_code == province_code)
        return await self.paginate(stmt, params)

    async def find_by_number(self, province_code: str, contract_number: str) -> EntrustmentContract | None:
        stmt = select(EntrustmentContract).where(
            EntrustmentContract.province_code == province_code,
            EntrustmentContract.contract_number == contract_number,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def save(self, contract: EntrustmentContract) -> EntrustmentContract:
        await _flush_unique(self, contract, (CONTRACT_NUMBER_UNIQUE,))
        return contract

    async def transferred_total(self, contract_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.sum(EntrustmentTransfer.amount_vnd), 0)).where(
            EntrustmentTransfer.contract_id == contract_id
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def yearly_figures(self, contract_id: uuid.UUID) -> list[YearRow]:
        """Per year: transfers by fiscal year; report sums and the last report's figures by period end."""
        transfers = await self.session.execute(
            select(EntrustmentTransfer.fiscal_year, func.sum(EntrustmentTransfer.amount_vnd))
            .where(EntrustmentTransfer.contract_id == contract_id)
            .group_by(EntrustmentTransfer.fiscal_year)
        )
        report = EntrustmentUtilisationReport
        year = extract("year", report.period_end).label("year")
        sums = await self.session.execute(
            select(
                year,
                func.sum(report.lent_vnd),
                func.sum(report.repaid_vnd),
                func.sum(report.returned_vnd),
            )
            .where(report.contract_id == contract_id)
            .group_by(year)
        )
        last = await self.session.execute(
            select(year, report.outstanding_vnd, report.borrowers)
            .where(report.contract_id == contract_id)
            .ext(distinct_on(year))
            .order_by(year, report.period_end.desc(), report.period_start.desc())
        )
        rows: dict[int, dict[str, Any]] = {}
        for fiscal_year, amount in transfers:
            rows.setdefault(int(fiscal_year), {})["transferred_vnd"] = int(amount)
        for y, lent, repaid, returned in sums:
            rows.setdefault(int(y), {}).update(
                lent_vnd=int(lent), repaid_vnd=int(repaid), returned_vnd=int(returned)
            )
        for y, outstanding, borrowers in last:
            rows.setdefault(int(y), {}).update(outstanding_vnd=int(outstanding), borrowers=int(borrowers))
        return [YearRow(year=y, **values) for y, values in sorted(rows.items())]


class EntrustmentTransferRepository(RepositoryBase[EntrustmentTransfer]):
    model = EntrustmentTransfer

    async def list_for(
        self, contract_id: uuid.UUID, params: PageParams
    ) -> tuple[list[EntrustmentTransfer], str | None]:
        stmt = select(EntrustmentTransfer).where(EntrustmentTransfer.contract_id == contract_id)
        return await self.paginate(stmt, params)

    async def save(self, transfer: EntrustmentTransfer) -> EntrustmentTransfer:
        await _flush_unique(self, transfer, (TRANSFER_DECISION_UNIQUE,))
        return transfer


class UtilisationReportRepository(RepositoryBase[EntrustmentUtilisationReport]):
    model = EntrustmentUtilisationReport

    async def list_for(
        self, contract_id: uuid.UUID, params: PageParams
    ) -> tuple[list[EntrustmentUtilisationReport], str | None]:
        stmt = select(EntrustmentUtilisationReport).where(
            EntrustmentUtilisationReport.contract_id == contract_id
        )
        return await self.paginate(stmt, params)

    async def save(self, report: EntrustmentUtilisationReport) -> EntrustmentUtilisationReport:
        await _flush_unique(self, report, (REPORT_PERIOD_UNIQUE,))
        return report

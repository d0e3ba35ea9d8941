"""funding-api's partner statistics: capital by source kind, funding lines by stream and area, VBSP
loans by purpose and area, housing-fund movements, per year or quarter; small cells suppressed."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from funding_api.loan.derive import VIETNAM
from funding_api.models import AllocationTarget, FundingSourceKind, InflowKind, LoanPurpose, MovementDirection
from funding_api.partner.errors import StatisticsPeriodInvalid
from funding_api.partner.repository import PartnerStatisticsRepository
from funding_api.partner.schemas import (
    FundingPartnerStatistics,
    PartnerAllocationCell,
    PartnerAllocationSeries,
    PartnerCapitalBySourceKind,
    PartnerHousingFund,
    PartnerHousingFundCategory,
    PartnerLoanCell,
    PartnerLoanSeries,
    PartnerStatisticsLevel,
)
from servicekit.errors import FieldError
from servicekit.principal import Principal
from servicekit.suppression import suppress

PERIOD_RE = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")
FIRST_YEAR = 2000
INFLOW_KINDS = frozenset(k.value for k in InflowKind)


@dataclass(frozen=True)
class StatisticsPeriod:
    label: str
    start: date
    end: date


def local_today() -> date:
    return datetime.now(VIETNAM).date()


def statistics_period(value: str) -> StatisticsPeriod:
    """`2026` (a calendar year) or `2026-Q3` (a quarter), not starting in the future (local dates)."""
    match = PERIOD_RE.match(value)
    start = end = None
    if match is not None and int(match.group(1)) >= FIRST_YEAR:
        year = int(match.group(1))
        if match.group(2) is None:
            start, end = date(year, 1, 1), date(year, 12, 31)
        else:
            quarter = int(match.group(2))
            start = date(year, 3 * quarter - 2, 1)
            following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            end = following - timedelta(days=1)
    if start is None or end is None or start > local_today():
        raise StatisticsPeriodInvalid(
            f"A year ({FIRST_YEAR} to this year) or a started quarter of one, such as 2026 or 2026-Q3.",
            errors=[FieldError(pointer="/query/period", code="period_invalid", message="not a known period")],
        )
    return StatisticsPeriod(value, start, end)


class PartnerStatisticsService:
    async def statistics(
        self,
        session: AsyncSession,
        caller: Principal,
        period: StatisticsPeriod,
        level: PartnerStatisticsLevel,
        threshold: int,
    ) -> FundingPartnerStatistics:
        repo = PartnerStatisticsRepository(session)
        by_commune = level is PartnerStatisticsLevel.COMMUNE
        start, end = period.start, period.end
        capital = [
            PartnerCapitalBySourceKind(
                source_kind=FundingSourceKind(kind),
                province_code=province,
                received_vnd=received,
                allocated_vnd=allocated,
                disbursed_vnd=disbursed,
            )
            for kind, province, received, allocated, disbursed in await repo.capital(caller.area, start, end)
        ]
        lines: dict[str, list[tuple[str | None, int, int, int]]] = defaultdict(list)
        for stream, code, count, allocated, disbursed in await repo.allocations(
            caller.area, start, end, by_commune=by_commune
        ):
            lines[stream].append((code, count, allocated, disbursed))
        allocations = []
        for stream, cells in sorted(lines.items()):
            shown = suppress([c[1] for c in cells], threshold)
            allocations.append(
                PartnerAllocationSeries(
                    stream=AllocationTarget(stream),
                    cells=[
                        PartnerAllocationCell(
                            area_code=code,
                            lines=value,
                            allocated_vnd=allocated if value is not None else None,
                            disbursed_vnd=disbursed if value is not None else None,
                            suppressed=value is None,
                        )
                        for (code, _, allocated, disbursed), value in zip(cells, shown, strict=True)
                    ],
                )
            )
        # Loan events carry instants: the period runs over local (Việt Nam) days.
        begins = datetime(start.year, start.month, start.day, tzinfo=VIETNAM)
        ends = datetime(end.year, end.month, end.day, tzinfo=VIETNAM) + timedelta(days=1)
        per_purpose: dict[str, list[tuple[str | None, int, int]]] = defaultdict(list)
        for purpose, code, count, disbursed in await repo.loans(
            caller.area, begins, ends, by_commune=by_commune
        ):
            per_purpose[purpose].append((code, count, disbursed))
        loans = []
        for purpose, loan_cells in sorted(per_purpose.items()):
            shown = suppress([c[1] for c in loan_cells], threshold)
            loans.append(
                PartnerLoanSeries(
                    purpose=LoanPurpose(purpose),
                    cells=[
                        PartnerLoanCell(
                            area_code=code,
                            loans=value,
                            disbursed_vnd=disbursed if value is not None else None,
                            suppressed=value is None,
                        )
                        for (code, _, disbursed), value in zip(loan_cells, shown, strict=True)
                    ],
                )
            )
        return FundingPartnerStatistics(
            period=period.label,
            period_start=start,
            period_end=end,
            level=level,
            suppression_threshold=threshold,
            capital_by_source_kind=capital,
            allocations=allocations,
            loans=loans,
            housing_fund=await self._housing_fund(repo, caller, start, end),
        )

    async def _housing_fund(
        self, repo: PartnerStatisticsRepository, caller: Principal, start: date, end: date
    ) -> list[PartnerHousingFund]:
        opening = await repo.fund_balances(caller.area, start)
        moved: dict[str, dict[str, dict[str, int]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(int))
        )
        for province, category, direction, amount in await repo.fund_movements(caller.area, start, end):
            moved[province][category][direction] += amount
        funds = []
        for province in sorted(set(opening) | set(moved)):
            categories = []
            inflow = outflow = 0
            for category, by_direction in sorted(moved[province].items()):
                into, out = (
                    by_direction[MovementDirection.INFLOW.value],
                    by_direction[MovementDirection.OUTFLOW.value],
                )
                inflow, outflow = inflow + into, outflow + out
                # A reversal keeps its original's category and runs the other way.
                normal = MovementDirection.INFLOW if category in INFLOW_KINDS else MovementDirection.OUTFLOW
                net = into - out if normal is MovementDirection.INFLOW else out - into
                categories.append(
                    PartnerHousingFundCategory(direction=normal, category=category, net_vnd=net)
                )
            before = opening.get(province, 0)
            funds.append(
                PartnerHousingFund(
                    province_code=province,
                    opening_balance_vnd=before,
                    inflow_vnd=inflow,
                    outflow_vnd=outflow,
                    closing_balance_vnd=before + inflow - outflow,
                    categories=categories,
                )
            )
        return funds


partner_statistics_service = PartnerStatisticsService()

"""funding-api's partner API (`/v1/partner/...`): aggregated statistics behind `funding:statistics:read`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from funding_api.partner.errors import PartnerScopeMissing, StatisticsPeriodInvalid
from funding_api.partner.permissions import StatisticsReader
from funding_api.partner.schemas import FundingPartnerStatistics, PartnerStatisticsLevel
from funding_api.partner.service import partner_statistics_service, statistics_period
from servicekit.errors import error_responses
from servicekit.web.session import SessionDep

router = APIRouter(prefix="/partner", tags=["partner"])


@router.get(
    "/statistics",
    response_model=FundingPartnerStatistics,
    responses=error_responses(PartnerScopeMissing, StatisticsPeriodInvalid),
)
async def get_partner_funding_statistics(
    request: Request,
    session: SessionDep,
    caller: StatisticsReader,
    period: Annotated[
        str,
        Query(
            pattern=r"^\d{4}(-Q[1-4])?$",
            examples=["2026", "2026-Q3"],
            description="A calendar year, or a quarter of one (local dates).",
        ),
    ],
    level: PartnerStatisticsLevel = PartnerStatisticsLevel.COMMUNE,
) -> FundingPartnerStatistics:
    """Aggregated funding figures of your area for a year or a quarter (scope `funding:statistics:read`):
    capital mobilised by source kind, money allocated and disbursed by stream and area, VBSP loans
    disbursed by purpose and area, and the housing fund's movements and balances. No borrower,
    household or document is ever named.

    Small-cell suppression: a count of lines or loans from 1 to `suppression_threshold - 1` is `null`
    together with its amounts (`suppressed`), and further cells of a series are hidden where a hidden
    one could otherwise be recovered from the total: one loan in a commune is one family's loan."""
    threshold: int = request.app.state.settings.PARTNER_SMALL_CELL_THRESHOLD
    return await partner_statistics_service.statistics(
        session, caller, statistics_period(period), level, threshold
    )

"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from funding_api.allocation.router import funding_line_router
from funding_api.allocation.router import router as allocation_router
from funding_api.capital_report.router import router as capital_report_router
from funding_api.funding_source.router import commitment_router as funding_commitment_router
from funding_api.funding_source.router import contributor_router as funding_contributor_router
from funding_api.funding_source.router import router as funding_source_router
from funding_api.housing_fund.router import router as housing_fund_router
from funding_api.ledger.router import router as ledger_router
from funding_api.loan.router import routers as loan_routers
from funding_api.partner.router import router as partner_router
from funding_api.vbsp_entrustment.router import router as vbsp_entrustment_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(funding_source_router)
router.include_router(funding_contributor_router)
router.include_router(funding_commitment_router)
router.include_router(ledger_router)
router.include_router(allocation_router)
router.include_router(funding_line_router)
router.include_router(capital_report_router)
router.include_router(vbsp_entrustment_router)
router.include_router(housing_fund_router)
router.include_router(partner_router)
for loan_router in loan_routers:
    router.include_router(loan_router)

"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from funding_api.funding_source.router import router as funding_source_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(funding_source_router)

"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from inspection_api.land_use_plan.router import router as land_use_plan_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(land_use_plan_router)

"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from registry_api.admin_unit.router import router as admin_unit_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(admin_unit_router)

"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from registry_api.admin_unit.router import router as admin_unit_router
from registry_api.category.router import router as category_router
from registry_api.category.router import standards_router as poverty_standards_router
from registry_api.household.router import router as household_router
from registry_api.person.router import router as person_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(admin_unit_router)
router.include_router(household_router)
router.include_router(person_router)
router.include_router(category_router)
router.include_router(poverty_standards_router)

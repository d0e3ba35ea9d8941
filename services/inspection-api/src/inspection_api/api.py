"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from inspection_api.checklist.router import router as checklist_router
from inspection_api.field_sync.router import router as field_sync_router
from inspection_api.inspection_case.router import router as inspection_case_router
from inspection_api.inspection_plan.router import router as inspection_plan_router
from inspection_api.land_reserve.router import obligations_router as land_reserve_obligations_router
from inspection_api.land_reserve.router import projects_router as commercial_projects_router
from inspection_api.land_reserve.router import rules_router as land_reserve_rules_router
from inspection_api.land_use_plan.router import router as land_use_plan_router
from inspection_api.parcel.router import router as parcel_router
from inspection_api.profiteering.router import flags_router as profiteering_flags_router
from inspection_api.profiteering.router import runs_router as profiteering_runs_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(land_use_plan_router)
router.include_router(parcel_router)
router.include_router(commercial_projects_router)
router.include_router(land_reserve_obligations_router)
router.include_router(land_reserve_rules_router)
router.include_router(profiteering_flags_router)
router.include_router(profiteering_runs_router)
router.include_router(inspection_plan_router)
router.include_router(checklist_router)
router.include_router(inspection_case_router)
router.include_router(field_sync_router)

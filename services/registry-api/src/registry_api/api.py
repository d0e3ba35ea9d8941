"""The /v1 router: authentication is required on every route included here."""

from fastapi import APIRouter, Depends

from registry_api.admin_unit.router import router as admin_unit_router
from registry_api.allocation.router import contracts_router as housing_contracts_router
from registry_api.allocation.router import router as allocation_router
from registry_api.allocation.router import rules_router as allocation_rules_router
from registry_api.application.router import confirmations_router as eligibility_confirmations_router
from registry_api.application.router import reference_router as eligibility_reference_router
from registry_api.application.router import router as application_router
from registry_api.category.router import router as category_router
from registry_api.category.router import standards_router as poverty_standards_router
from registry_api.dashboard.router import router as dashboard_router
from registry_api.duplicate.router import router as duplicate_router
from registry_api.dwelling.router import router as dwelling_router
from registry_api.dwelling.router import rule_sets_router as dwelling_rule_sets_router
from registry_api.household.router import router as household_router
from registry_api.household_import.router import export_router as household_export_router
from registry_api.household_import.router import router as household_import_router
from registry_api.housing_project.router import router as housing_project_router
from registry_api.housing_report.router import router as housing_report_router
from registry_api.housing_target.router import router as housing_target_router
from registry_api.integrity.router import router as integrity_router
from registry_api.partner.router import router as partner_router
from registry_api.person.router import router as person_router
from registry_api.review.router import router as review_router
from registry_api.review.router import rules_router as review_rules_router
from registry_api.support_case.router import history_router as support_history_router
from registry_api.support_case.router import rates_router as support_rates_router
from registry_api.support_case.router import router as support_case_router
from servicekit.web.auth import get_principal

router = APIRouter(prefix="/v1", dependencies=[Depends(get_principal)])
router.include_router(admin_unit_router)
router.include_router(household_router)
router.include_router(person_router)
router.include_router(category_router)
router.include_router(poverty_standards_router)
router.include_router(support_case_router)
router.include_router(support_history_router)
router.include_router(support_rates_router)
router.include_router(dashboard_router)
router.include_router(household_import_router)
router.include_router(household_export_router)
router.include_router(dwelling_router)
router.include_router(dwelling_rule_sets_router)
router.include_router(review_router)
router.include_router(review_rules_router)
router.include_router(housing_project_router)
router.include_router(housing_target_router)
router.include_router(application_router)
router.include_router(eligibility_reference_router)
router.include_router(eligibility_confirmations_router)
router.include_router(duplicate_router)
router.include_router(allocation_router)
router.include_router(allocation_rules_router)
router.include_router(housing_contracts_router)
router.include_router(housing_report_router)
router.include_router(integrity_router)
router.include_router(partner_router)

"""Partner API tests: the people helpers (household/helpers.py), the housing flows
(housing_report/flows.py) and the reference data the flows and the statistics need."""

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

for _name, _path in (
    ("registry_people_testing", Path(__file__).parents[1] / "household" / "helpers.py"),
    ("registry_housing_flows", Path(__file__).parents[1] / "housing_report" / "flows.py"),
):
    if _name not in sys.modules:
        _spec = spec_from_file_location(_name, _path)
        assert _spec is not None
        assert _spec.loader is not None
        sys.modules[_name] = module_from_spec(_spec)
        _spec.loader.exec_module(sys.modules[_name])

from registry_people_testing import cipher, officer, people, province, reference_data  # noqa: E402

__all__ = ["cipher", "officer", "people", "province", "reference_data"]

import pytest  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from registry_api.allocation.reference import seed_allocation_rules  # noqa: E402
from registry_api.application.reference import seed_beneficiary_groups, seed_eligibility_rules  # noqa: E402
from registry_api.dwelling.reference import seed_dwelling_rule_sets  # noqa: E402
from registry_api.support_case.reference import seed_support_rates  # noqa: E402


@pytest.fixture(autouse=True)
async def partner_reference(reference_data: None, db_session: AsyncSession) -> None:
    await seed_beneficiary_groups(db_session)
    await seed_eligibility_rules(db_session)
    await seed_allocation_rules(db_session)
    await seed_dwelling_rule_sets(db_session)
    await seed_support_rates(db_session)
    await db_session.commit()

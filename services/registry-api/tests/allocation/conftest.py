"""Loads the helpers shared with the other people tests (see household/helpers.py)."""

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

NAME = "registry_people_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parents[1] / "household" / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from registry_people_testing import cipher, officer, people, province, reference_data  # noqa: E402

__all__ = ["cipher", "officer", "people", "province", "reference_data"]

import pytest  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from registry_api.allocation.reference import seed_allocation_rules  # noqa: E402
from registry_api.application.reference import seed_beneficiary_groups, seed_eligibility_rules  # noqa: E402


@pytest.fixture(autouse=True)
async def allocation_reference(reference_data: None, db_session: AsyncSession) -> None:
    await seed_beneficiary_groups(db_session)
    await seed_eligibility_rules(db_session)
    await seed_allocation_rules(db_session)
    await db_session.commit()

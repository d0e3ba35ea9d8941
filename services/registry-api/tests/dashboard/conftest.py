"""Dashboard tests: the people helpers (see household/helpers.py), the dwelling rule sets and the
support rates, in the test's rolled-back transaction."""

import sys
from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.dwelling.reference import seed_dwelling_rule_sets
from registry_api.support_case.reference import seed_support_rates

NAME = "registry_people_testing"
if NAME not in sys.modules:
    _spec = spec_from_file_location(NAME, Path(__file__).parents[1] / "household" / "helpers.py")
    assert _spec is not None
    assert _spec.loader is not None
    sys.modules[NAME] = module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[NAME])

from registry_people_testing import cipher, officer, people, province, reference_data  # noqa: E402

__all__ = ["cipher", "dated_rules", "officer", "people", "province", "reference_data"]


@pytest.fixture(autouse=True)
async def dated_rules(reference_data: None, db_session: AsyncSession) -> None:
    await seed_dwelling_rule_sets(db_session)
    await seed_support_rates(db_session)
    await db_session.commit()

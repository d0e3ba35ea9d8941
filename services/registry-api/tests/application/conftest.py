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

from registry_api.application.reference import seed_beneficiary_groups, seed_eligibility_rules  # noqa: E402


@pytest.fixture(autouse=True)
async def eligibility_reference(reference_data: None, db_session: AsyncSession) -> None:
    await seed_beneficiary_groups(db_session)
    await seed_eligibility_rules(db_session)
    await db_session.commit()


import uuid  # noqa: E402
from datetime import date  # noqa: E402

from registry_api.models import HousingProject  # noqa: E402
from registry_api.person.service import local_today  # noqa: E402
from servicekit.db.base import new_id  # noqa: E402

# Published projects with an open application window, by id: sale (7, 8), rent (9, 11), lease-purchase (10).
PROJECT_KINDS = {7: "sale", 8: "sale", 9: "rent", 10: "lease_purchase", 11: "rent"}


def published_project(id_: uuid.UUID | None = None, kind: str = "sale", **over: object) -> HousingProject:
    """A project (in Thuỷ Nguyên) whose sale was published, taking applications until 2027."""
    values: dict[str, object] = {
        "id": id_ or new_id(),
        "name": f"Nhà ở xã hội thử {kind}",
        "investor": "Công ty CP Đầu tư Bạch Đằng",
        "address": "Đường Đà Nẵng",
        "kind": kind,
        "land_area_m2": 12_000,
        "approved_on": date(2024, 6, 1),
        "started_on": date(2024, 9, 1),
        "sale_published_on": date(2024, 9, 20),
        "sale_published_where": "Cổng thông tin điện tử Sở Xây dựng Hải Phòng",
        "sale_opens_on": date(2024, 10, 1),
        "sale_closes_on": max(date(2027, 12, 31), local_today()),
        "province_code": "31",
        "commune_code": "11560",
    } | over
    return HousingProject(**values)


@pytest.fixture(autouse=True)
async def application_projects(eligibility_reference: None, db_session: AsyncSession) -> None:
    for n, kind in PROJECT_KINDS.items():
        db_session.add(published_project(uuid.UUID(int=n), kind))
    await db_session.commit()

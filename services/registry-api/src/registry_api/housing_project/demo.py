"""Demo social housing projects in Hải Phòng communes (invented names), with milestones that give
progress against the Hải Dương targets. Deterministic and idempotent (by project name)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.models import HousingProject, HousingProjectUnits
from servicekit.db.base import new_id

DEMO_PROJECTS: list[dict[str, Any]] = [
    {
        "name": "Nhà ở xã hội Khu dân cư phía Tây (demo)",
        "investor": "Công ty CP Đầu tư Xây dựng Thành Đông (demo)",
        "address": "Đường Nguyễn Lương Bằng, phường Hải Dương",
        "commune_code": "10525",
        "legacy_area_code": "30",
        "kind": "sale",
        "land_area_m2": 18_500,
        "milestones": (date(2021, 6, 15), date(2022, 3, 1), date(2024, 9, 30), date(2024, 12, 15)),
        "units": [("apartment", "45_to_60", 320), ("apartment", "60_to_70", 176)],
        "sale": (
            date(2022, 3, 25),
            "Cổng thông tin điện tử Sở Xây dựng Hải Dương",
            date(2022, 4, 5),
            date(2022, 5, 5),
        ),
    },
    {
        "name": "Khu lưu trú công nhân Cẩm Thượng (demo)",
        "investor": "Công ty TNHH Hạ tầng Khu công nghiệp Hải Dương (demo)",
        "address": "Khu công nghiệp Đại An, phường Hải Dương",
        "commune_code": "10525",
        "legacy_area_code": "30",
        "kind": "worker_accommodation",
        "land_area_m2": 24_000,
        "milestones": (date(2023, 4, 20), date(2024, 5, 10), None, None),
        "units": [("dormitory_room", "under_45", 800)],
        "sale": None,
    },
    {
        "name": "Nhà ở xã hội Thuỷ Nguyên 1 (demo)",
        "investor": "Công ty CP Phát triển Đô thị Bạch Đằng (demo)",
        "address": "Đường Đà Nẵng, phường Thuỷ Nguyên",
        "commune_code": "11560",
        "legacy_area_code": None,
        "kind": "lease_purchase",
        "land_area_m2": 15_200,
        "milestones": (date(2025, 8, 12), date(2025, 11, 20), None, None),
        "units": [("apartment", "under_45", 250), ("apartment", "45_to_60", 400)],
        "sale": (
            date(2025, 12, 15),
            "Cổng thông tin điện tử Sở Xây dựng Hải Phòng",
            date(2026, 1, 5),
            date(2026, 2, 5),
        ),
        "commercial_project_ref": "inspection:commercial-project:demo-thuy-nguyen-riverside",
    },
    {
        "name": "Nhà ở xã hội cho thuê Lê Chân (demo)",
        "investor": "Công ty TNHH Nhà ở Hải Phòng (demo)",
        "address": "Đường Thiên Lôi, phường Lê Chân",
        "commune_code": "11383",
        "legacy_area_code": None,
        "kind": "rent",
        "land_area_m2": 6_800,
        "milestones": (date(2026, 2, 3), None, None, None),
        "units": [("apartment", "under_45", 300)],
        "sale": None,
    },
    # Projects taking applications now (windows open until mid-2027), one per tenure, so the demo
    # applications, contracts and reports have a project of the right kind.
    {
        "name": "Nhà ở xã hội Tân Hưng (demo)",
        "investor": "Công ty CP Đầu tư Xây dựng Thành Đông (demo)",
        "address": "Đường Lê Thanh Nghị, phường Hải Dương",
        "commune_code": "10525",
        "legacy_area_code": "30",
        "kind": "sale",
        "land_area_m2": 14_300,
        "milestones": (date(2025, 3, 10), date(2026, 1, 12), None, None),
        "units": [("apartment", "45_to_60", 420), ("apartment", "60_to_70", 120)],
        "sale": (
            date(2026, 2, 2),
            "Cổng thông tin điện tử Sở Xây dựng Hải Phòng; Báo Hải Phòng",
            date(2026, 2, 16),
            date(2027, 6, 30),
        ),
    },
    {
        "name": "Nhà ở xã hội thuê mua Thuỷ Nguyên 2 (demo)",
        "investor": "Công ty CP Phát triển Đô thị Bạch Đằng (demo)",
        "address": "Đường Bạch Đằng, phường Thuỷ Nguyên",
        "commune_code": "11560",
        "legacy_area_code": None,
        "kind": "lease_purchase",
        "land_area_m2": 9_600,
        "milestones": (date(2025, 4, 2), date(2026, 1, 15), None, None),
        "units": [("apartment", "under_45", 180), ("apartment", "45_to_60", 160)],
        "sale": (
            date(2026, 2, 5),
            "Cổng thông tin điện tử Sở Xây dựng Hải Phòng",
            date(2026, 2, 16),
            date(2027, 6, 30),
        ),
    },
    {
        "name": "Nhà ở xã hội cho thuê Hồng Bàng (demo)",
        "investor": "Công ty TNHH Nhà ở Hải Phòng (demo)",
        "address": "Đường Hoàng Văn Thụ, phường Hồng Bàng",
        "commune_code": "11383",
        "legacy_area_code": "31",
        "kind": "rent",
        "land_area_m2": 5_100,
        "milestones": (date(2025, 2, 14), date(2026, 1, 20), None, None),
        "units": [("apartment", "under_45", 210)],
        "sale": (
            date(2026, 2, 9),
            "Cổng thông tin điện tử UBND phường Lê Chân",
            date(2026, 2, 16),
            date(2027, 6, 30),
        ),
    },
]


async def seed_demo_projects(session: AsyncSession) -> int:
    known = set((await session.execute(select(HousingProject.name))).scalars())
    added = 0
    for spec in DEMO_PROJECTS:
        if spec["name"] in known:
            continue
        approved, started, completed, handed_over = spec["milestones"]
        sale = spec["sale"] or (None, None, None, None)
        project = HousingProject(
            id=new_id(),
            name=spec["name"],
            investor=spec["investor"],
            address=spec["address"],
            province_code="31",
            commune_code=spec["commune_code"],
            legacy_area_code=spec["legacy_area_code"],
            kind=spec["kind"],
            land_area_m2=spec["land_area_m2"],
            commercial_project_ref=spec.get("commercial_project_ref"),
            approved_on=approved,
            started_on=started,
            completed_on=completed,
            handed_over_on=handed_over,
            sale_published_on=sale[0],
            sale_published_where=sale[1],
            sale_opens_on=sale[2],
            sale_closes_on=sale[3],
        )
        session.add(project)
        await session.flush()
        session.add_all(
            HousingProjectUnits(id=new_id(), project_id=project.id, unit_kind=k, floor_area_band=b, units=n)
            for k, b, n in spec["units"]
        )
        await session.flush()
        added += 1
    return added

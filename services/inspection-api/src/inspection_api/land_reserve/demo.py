"""Demo commercial projects in Hải Phòng (province 31, communes 10525 and 11560), one or more in every
obligation state, overdue ones and money ones included, each with its site parcel (and the reserved
parcel for the land methods, some sent in VN-2000 / TM-3 105-45). Idempotent by project name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pyproj import Transformer
from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.land_reserve.formula import money_due, required_area_m2
from inspection_api.land_reserve.repository import (
    CommercialProjectRepository,
    LandReserveObligationRepository,
    LandReserveRuleRepository,
)
from inspection_api.land_reserve.service import emit_obligation_event
from inspection_api.models import (
    CommercialProject,
    LandReserveMethod,
    LandReserveObligation,
    LandReserveStatus,
    Parcel,
)
from inspection_api.models.land_reserve import STAGE_DATE
from inspection_api.parcel.geometry import measure
from inspection_api.parcel.repository import ParcelRepository

HAI_PHONG = "31"
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 104_000.0  # at about 20.9° N
S = LandReserveStatus
LAND_ORDER = [S.RESERVED_IN_PLAN, S.INFRASTRUCTURE_BUILT, S.CLEARED, S.INVESTOR_ASSIGNED, S.STARTED]
STAGE_DONE_ON = {
    S.INFRASTRUCTURE_BUILT: date(2026, 3, 20),
    S.CLEARED: date(2026, 6, 15),
    S.INVESTOR_ASSIGNED: date(2026, 8, 28),
    S.STARTED: date(2026, 10, 5),
    S.PAID: date(2026, 2, 10),
}


@dataclass(frozen=True)
class DemoProject:
    name: str
    investor: str
    commune: str
    kind: str
    centre: tuple[float, float]  # lon, lat
    residential_m2: int
    infra_cost_vnd: int
    method: LandReserveMethod
    status: LandReserveStatus
    decided_on: date
    due: dict[str, date]
    land_price_vnd_per_m2: int | None = None
    vn2000: bool = False


FAR = date(2027, 12, 31)
PAST = date(2026, 9, 30)
PROJECTS = [
    DemoProject(
        "Khu đô thị mới Bắc sông Cấm (demo)",
        "Công ty CP Đầu tư Cấm Giang (demo)",
        "11560",
        "urban_area",
        (106.672, 20.905),
        185_000,
        1_450_000_000_000,
        LandReserveMethod.RESERVE_LAND,
        S.RESERVED_IN_PLAN,
        date(2025, 11, 20),
        {"infrastructure_built_due": FAR},
        vn2000=True,
    ),
    DemoProject(
        "Khu nhà ở thương mại Tân Bình (demo)",
        "Công ty TNHH Phát triển Tân Bình (demo)",
        "10525",
        "commercial_housing",
        (106.318, 20.938),
        42_500,
        310_000_000_000,
        LandReserveMethod.RESERVE_LAND,
        S.RESERVED_IN_PLAN,
        date(2025, 1, 15),
        {"infrastructure_built_due": date(2026, 6, 30)},
    ),
    DemoProject(
        "Khu đô thị Thủy Nguyên Riverside (demo)",
        "Công ty CP Bất động sản Bạch Đằng (demo)",
        "11560",
        "urban_area",
        (106.688, 20.918),
        96_000,
        820_000_000_000,
        LandReserveMethod.RESERVE_LAND,
        S.INFRASTRUCTURE_BUILT,
        date(2025, 2, 1),
        {"cleared_due": FAR},
        vn2000=True,
    ),
    DemoProject(
        "Khu dân cư Việt Hòa (demo)",
        "Công ty CP Xây dựng Việt Hòa (demo)",
        "10525",
        "commercial_housing",
        (106.296, 20.951),
        28_750,
        190_000_000_000,
        LandReserveMethod.RESERVE_LAND,
        S.CLEARED,
        date(2024, 10, 1),
        {"investor_assigned_due": PAST},
    ),
    DemoProject(
        "Khu đô thị Bắc Thủy Nguyên (demo)",
        "Công ty TNHH Đô thị Bắc Hải (demo)",
        "11560",
        "urban_area",
        (106.705, 20.931),
        150_300,
        1_120_000_000_000,
        LandReserveMethod.RESERVE_LAND,
        S.INVESTOR_ASSIGNED,
        date(2024, 9, 10),
        {"started_due": FAR},
    ),
    DemoProject(
        "Khu nhà ở Hải Tân (demo)",
        "Công ty CP Nhà Hải Tân (demo)",
        "10525",
        "commercial_housing",
        (106.335, 20.925),
        35_200,
        240_000_000_000,
        LandReserveMethod.LAND_ELSEWHERE,
        S.STARTED,
        date(2024, 8, 20),
        {},
    ),
    DemoProject(
        "Khu nhà ở thương mại Minh Đức (demo)",
        "Công ty TNHH Minh Đức Land (demo)",
        "11560",
        "commercial_housing",
        (106.652, 20.897),
        18_400,
        126_500_000_000,
        LandReserveMethod.PAY_MONEY,
        S.AWAITING_PAYMENT,
        date(2025, 12, 1),
        {"payment_due": date(2026, 3, 31)},
        land_price_vnd_per_m2=18_500_000,
    ),
    DemoProject(
        "Khu dân cư Ngọc Châu (demo)",
        "Công ty CP Ngọc Châu (demo)",
        "10525",
        "commercial_housing",
        (106.309, 20.962),
        12_650,
        87_000_000_000,
        LandReserveMethod.PAY_MONEY,
        S.PAID,
        date(2025, 3, 15),
        {"payment_due": date(2026, 3, 15)},
        land_price_vnd_per_m2=22_000_000,
    ),
]


def _square(centre: tuple[float, float], area_m2: float, *, vn2000: bool) -> tuple[dict[str, object], str]:
    """A square of about `area_m2` around `centre`, as WGS84 GeoJSON or in VN-2000 / TM-3 105-45."""
    side = area_m2**0.5
    dlon, dlat = side / 2 / M_PER_DEG_LON, side / 2 / M_PER_DEG_LAT
    lon, lat = centre
    ring = [
        (lon - dlon, lat - dlat),
        (lon + dlon, lat - dlat),
        (lon + dlon, lat + dlat),
        (lon - dlon, lat + dlat),
    ]
    ring.append(ring[0])
    if not vn2000:
        return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}, "EPSG:4326"
    to_vn = Transformer.from_crs("EPSG:4326", "EPSG:9210", always_xy=True)
    coords = [[round(c, 3) for c in to_vn.transform(x, y)] for x, y in ring]
    return {"type": "Polygon", "coordinates": [coords]}, "EPSG:9210"


async def _parcel(
    session: AsyncSession,
    p: DemoProject,
    name: str,
    centre: tuple[float, float],
    area: float,
    *,
    vn2000: bool,
) -> Parcel:
    raw, crs = _square(centre, area, vn2000=vn2000)
    m = measure(raw, crs)
    parcel = Parcel(
        province_code=HAI_PHONG,
        commune_code=p.commune,
        name=name,
        geometry=m.geometry,
        source_crs=m.source_crs,
        source_geometry=m.source_geometry,
        min_lon=m.min_lon,
        min_lat=m.min_lat,
        max_lon=m.max_lon,
        max_lat=m.max_lat,
        area_m2=m.area_m2,
    )
    return await ParcelRepository(session).add(parcel)


async def seed_demo_land_reserves(session: AsyncSession) -> int:
    projects = CommercialProjectRepository(session)
    known = await projects.names([p.name for p in PROJECTS])
    rules = LandReserveRuleRepository(session)
    added = 0
    for p in PROJECTS:
        if p.name in known:
            continue
        rule = await rules.in_force_on(p.decided_on)
        if rule is None:  # pragma: no cover - the reference step runs first
            raise RuntimeError(f"no land-reserve rule on {p.decided_on}: seed the reference data first")
        site = await _parcel(
            session, p, f"Ranh giới dự án {p.name}", p.centre, p.residential_m2 / 0.6, vn2000=p.vn2000
        )
        project = CommercialProject(
            province_code=HAI_PHONG,
            commune_code=p.commune,
            name=p.name,
            investor_name=p.investor,
            kind=p.kind,
            residential_land_m2=Decimal(p.residential_m2),
            total_land_m2=Decimal(round(p.residential_m2 / 0.6)),
            technical_infrastructure_cost_vnd=p.infra_cost_vnd,
            approval_decision="Quyết định chủ trương đầu tư (demo)",
            approved_on=date(2024, 6, 1),
            site_parcel_id=site.id,
        )
        await projects.add(project)
        required = required_area_m2(project.residential_land_m2, rule.reserve_rate)
        ob = LandReserveObligation(
            province_code=HAI_PHONG,
            commune_code=p.commune,
            commercial_project_id=project.id,
            rule_id=rule.id,
            method=p.method.value,
            status=p.status.value,
            decided_on=p.decided_on,
            decision_number=f"{100 + added}/QĐ-UBND (demo)",
            residential_land_m2=project.residential_land_m2,
            reserve_rate=rule.reserve_rate,
            required_area_m2=required,
            **p.due,
        )
        if p.method is LandReserveMethod.PAY_MONEY:
            assert p.land_price_vnd_per_m2 is not None
            money = money_due(
                required, p.land_price_vnd_per_m2, p.infra_cost_vnd, rule.infrastructure_cost_rate
            )
            ob.land_price_vnd_per_m2 = p.land_price_vnd_per_m2
            ob.technical_infrastructure_cost_vnd = p.infra_cost_vnd
            ob.infrastructure_cost_rate = rule.infrastructure_cost_rate
            ob.money_land_fee_vnd = money.land_fee_vnd
            ob.money_infrastructure_vnd = money.infrastructure_vnd
            ob.money_due_vnd = money.due_vnd
            if p.status is S.PAID:
                ob.paid_on = STAGE_DONE_ON[S.PAID]
        else:
            reserved = await _parcel(
                session,
                p,
                f"Quỹ đất 20% nhà ở xã hội — {p.name}",
                (p.centre[0] + 0.004, p.centre[1]),
                float(required),
                vn2000=p.vn2000,
            )
            ob.reserved_parcel_id = reserved.id
            ob.reserved_in_plan_on = p.decided_on
            for stage in LAND_ORDER[1 : LAND_ORDER.index(p.status) + 1]:
                setattr(ob, STAGE_DATE[stage], STAGE_DONE_ON[stage])
        ob.refresh_due_on()
        await LandReserveObligationRepository(session).save(ob)
        await emit_obligation_event(
            session,
            "land_reserve_obligation.created",
            ob,
            required_area_m2=str(required),
            money_due_vnd=ob.money_due_vnd,
            rule_id=rule.id,
        )
        added += 1
    return added

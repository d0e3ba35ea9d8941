"""Demo cases in Hai Phong (31): yearly plans, open and closed cases of both kinds, with findings, a
violation, a sanction and a re-check. Ids are fixed, so the step runs once."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.checklist.repository import TemplateRepository, VersionRepository
from inspection_api.inspection_case.reference import DRAFT_PUBLISHED
from inspection_api.inspection_case.repository import CaseRepository, ViolationTypeRepository
from inspection_api.models import (
    CaseViolation,
    InspectionCase,
    InspectionFinding,
    InspectionPlan,
    InspectionPlanItem,
    SanctionDecision,
)

PROVINCE = "31"
HAI_DUONG = "10525"
THUY_NGUYEN = "11560"
_NS = uuid.UUID("3d1e7c52-41a9-4d6b-9f0e-2b8c6a5d7e10")
# The dev issuer's inspector account "thanhtra" (its subject is uuid5 of this namespace and the name).
_DEV_ISSUER_SUBJECTS = uuid.UUID("5b0f8a52-3c57-4f0e-9d55-6d1c2b7e4a10")
INSPECTOR = str(uuid.uuid5(_DEV_ISSUER_SUBJECTS, "account:thanhtra"))
OFFICER = "demo-seed"


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


def _at(day: date) -> datetime:
    """9:00 in Hai Phong (UTC+7) that day."""
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


async def seed_demo_cases(session: AsyncSession) -> str:
    if await CaseRepository(session).get(_id("case:land-fund-closed")) is not None:
        return "already there"
    types = ViolationTypeRepository(session)
    not_reserved = await types.by_code_and_start("land_fund.not_reserved", DRAFT_PUBLISHED)
    ineligible = await types.by_code_and_start("social_housing.sold_to_ineligible", DRAFT_PUBLISHED)
    land_tpl = await TemplateRepository(session).by_code("land-fund-20")
    use_tpl = await TemplateRepository(session).by_code("social-housing-use")
    if not_reserved is None or ineligible is None or land_tpl is None or use_tpl is None:
        return "skipped: the violation catalogue and checklist templates are not seeded"
    versions = VersionRepository(session)
    land_v1 = await versions.by_number(land_tpl.id, 1)
    use_v1 = await versions.by_number(use_tpl.id, 1)
    assert land_v1 is not None
    assert use_v1 is not None
    land_v1.first_used_at = land_v1.first_used_at or _at(date(2026, 3, 16))
    use_v1.first_used_at = use_v1.first_used_at or _at(date(2026, 5, 11))

    # Added in stages, parents first, so every foreign key finds its row.
    stages: list[list[Any]] = []
    checks = InspectionPlan(
        id=_id("plan:2026:checks"),
        province_code=PROVINCE,
        year=2026,
        kind="construction_check",
        title="Kế hoạch kiểm tra năm 2026 của Sở Xây dựng (demo)",
        decision_number="12/KH-SXD",
        decision_date=date(2026, 1, 15),
    )
    inspections = InspectionPlan(
        id=_id("plan:2026:inspections"),
        province_code=PROVINCE,
        year=2026,
        kind="inspectorate_inspection",
        title="Kế hoạch thanh tra năm 2026 của Thanh tra thành phố (demo)",
        decision_number="05/KH-TTr",
        decision_date=date(2026, 1, 20),
    )
    stages.append([checks, inspections])
    items = [
        InspectionPlanItem(
            id=_id("item:checks:1"),
            plan_id=checks.id,
            province_code=PROVINCE,
            commune_code=THUY_NGUYEN,
            subject="Khu đô thị mới Bắc sông Cấm (demo) — quỹ đất 20%",
            planned_month=3,
        ),
        InspectionPlanItem(
            id=_id("item:checks:2"),
            plan_id=checks.id,
            province_code=PROVINCE,
            commune_code=HAI_DUONG,
            subject="Khu nhà ở thương mại Tân Phú Hưng (demo) — quỹ đất 20%",
            planned_month=11,
        ),
        InspectionPlanItem(
            id=_id("item:inspections:1"),
            plan_id=inspections.id,
            province_code=PROVINCE,
            commune_code=HAI_DUONG,
            subject="Dự án nhà ở xã hội Hải Dương Green (demo) — bán, cho thuê mua",
            planned_month=5,
        ),
    ]
    stages.append(list(items))

    base = {"province_code": PROVINCE, "opened_by": OFFICER, "assigned_inspector": INSPECTOR}
    closed_check = InspectionCase(
        id=_id("case:land-fund-closed"),
        kind="construction_check",
        status="closed",
        title="Kiểm tra quỹ đất 20% KĐT Bắc sông Cấm (demo)",
        subject="Khu đô thị mới Bắc sông Cấm (demo)",
        commune_code=THUY_NGUYEN,
        plan_item_id=items[0].id,
        assigned_at=_at(date(2026, 3, 2)),
        checklist_version_id=land_v1.id,
        started_at=_at(date(2026, 3, 16)),
        conclusion="Chủ đầu tư chưa bố trí đủ quỹ đất 20% có hạ tầng kỹ thuật cho nhà ở xã hội.",
        concluded_on=date(2026, 3, 27),
        closed_at=_at(date(2026, 4, 10)),
        closure_note="Đã ban hành quyết định xử phạt; theo dõi khắc phục qua hồ sơ dự án.",
        **base,
    )
    open_check = InspectionCase(
        id=_id("case:land-fund-open"),
        kind="construction_check",
        status="in_progress",
        title="Kiểm tra quỹ đất 20% khu nhà ở Tân Phú Hưng (demo)",
        subject="Khu nhà ở thương mại Tân Phú Hưng (demo)",
        commune_code=HAI_DUONG,
        plan_item_id=items[1].id,
        due_on=date(2026, 12, 15),
        assigned_at=_at(date(2026, 11, 2)),
        checklist_version_id=land_v1.id,
        started_at=_at(date(2026, 11, 20)),
        **base,
    )
    closed_inspection = InspectionCase(
        id=_id("case:sales-closed"),
        kind="inspectorate_inspection",
        status="closed",
        title="Thanh tra việc bán nhà ở xã hội Hải Dương Green (demo)",
        subject="Dự án nhà ở xã hội Hải Dương Green (demo)",
        commune_code=HAI_DUONG,
        plan_item_id=items[2].id,
        assigned_at=_at(date(2026, 5, 4)),
        checklist_version_id=use_v1.id,
        started_at=_at(date(2026, 5, 11)),
        conclusion="Hai căn hộ bán cho người không đủ điều kiện; yêu cầu thu hồi và xử phạt chủ đầu tư.",
        concluded_on=date(2026, 6, 5),
        closed_at=_at(date(2026, 9, 30)),
        **base,
    )
    recheck = InspectionCase(
        id=_id("case:sales-recheck"),
        kind="inspectorate_inspection",
        status="closed",
        title="Tái kiểm tra: thanh tra việc bán nhà ở xã hội Hải Dương Green (demo)",
        subject="Dự án nhà ở xã hội Hải Dương Green (demo)",
        commune_code=HAI_DUONG,
        parent_case_id=closed_inspection.id,
        due_on=date(2026, 9, 15),
        assigned_at=_at(date(2026, 9, 1)),
        started_at=_at(date(2026, 9, 14)),
        conclusion="Chủ đầu tư đã thu hồi hai căn hộ và nộp phạt.",
        concluded_on=date(2026, 9, 15),
        closed_at=_at(date(2026, 9, 16)),
        **base,
    )
    planned_inspection = InspectionCase(
        id=_id("case:ad-hoc-planned"),
        kind="inspectorate_inspection",
        status="planned",
        title="Thanh tra đột xuất việc sử dụng nhà ở xã hội Thủy Nguyên (demo)",
        subject="Chung cư nhà ở xã hội Thủy Nguyên (demo)",
        summary="Phản ánh của người dân về căn hộ cho thuê lại.",
        commune_code=THUY_NGUYEN,
        due_on=date(2027, 1, 31),
        province_code=PROVINCE,
        opened_by=OFFICER,
    )
    stages.append([closed_check, open_check, closed_inspection, planned_inspection])
    stages.append([recheck])

    def finding(case: InspectionCase, key: str | None, outcome: str, note: str) -> InspectionFinding:
        return InspectionFinding(
            id=_id(f"finding:{case.id}:{key}:{outcome}"),
            case_id=case.id,
            checklist_item_key=key,
            outcome=outcome,
            note=note,
            recorded_by=INSPECTOR,
            province_code=PROVINCE,
            commune_code=case.commune_code,
        )

    f_plan = finding(
        closed_check, "land_fund.reserved_in_plan", "compliant", "Quỹ đất 20% có trong QHCT 1/500."
    )
    f_infra = finding(
        closed_check, "land_fund.infrastructure_built", "non_compliant", "Mới san lấp, chưa có hạ tầng."
    )
    f_open = finding(open_check, "land_fund.reserved_in_plan", "observation", "Đang đối chiếu bản vẽ QHCT.")
    f_sales = finding(
        closed_inspection, "buyers.eligible", "non_compliant", "2/120 hồ sơ không đủ điều kiện nhà ở."
    )
    stages.append([f_plan, f_infra, f_open, f_sales])

    v_land = CaseViolation(
        id=_id("violation:land-fund"),
        case_id=closed_check.id,
        violation_type_id=not_reserved.id,
        finding_id=f_infra.id,
        observed_on=date(2026, 3, 18),
        description="Không bố trí đủ quỹ đất 20% có hạ tầng kỹ thuật để xây dựng nhà ở xã hội.",
        recorded_by=INSPECTOR,
        province_code=PROVINCE,
        commune_code=THUY_NGUYEN,
    )
    v_sales = CaseViolation(
        id=_id("violation:sales"),
        case_id=closed_inspection.id,
        violation_type_id=ineligible.id,
        finding_id=f_sales.id,
        observed_on=date(2026, 5, 20),
        description="Bán 2 căn hộ nhà ở xã hội cho người không đủ điều kiện về nhà ở.",
        recorded_by=INSPECTOR,
        province_code=PROVINCE,
        commune_code=HAI_DUONG,
    )
    stages.append([v_land, v_sales])
    stages.append(
        [
            SanctionDecision(
                id=_id("sanction:land-fund"),
                case_id=closed_check.id,
                case_violation_id=v_land.id,
                number="45/QĐ-XPHC (demo)",
                decided_on=date(2026, 4, 2),
                fine_vnd=270_000_000,
                fine_range_draft=not_reserved.is_draft,
                remedy=not_reserved.remedy,
                remedy_deadline=date(2026, 10, 2),
                decided_by=OFFICER,
                province_code=PROVINCE,
                commune_code=THUY_NGUYEN,
            ),
            SanctionDecision(
                id=_id("sanction:sales"),
                case_id=closed_inspection.id,
                case_violation_id=v_sales.id,
                number="88/QĐ-XPHC (demo)",
                decided_on=date(2026, 6, 12),
                fine_vnd=130_000_000,
                fine_range_draft=ineligible.is_draft,
                remedy="Thu hồi nhà ở đã bán không đúng đối tượng.",
                remedy_deadline=date(2026, 9, 12),
                decided_by=OFFICER,
                province_code=PROVINCE,
                commune_code=HAI_DUONG,
            ),
        ]
    )
    for stage in stages:
        session.add_all(stage)
        await session.flush()
    return "2 plans, 5 cases (2 open), 4 findings, 2 violations, 2 sanctions added"

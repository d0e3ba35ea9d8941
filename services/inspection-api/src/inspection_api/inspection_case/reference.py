"""Reference data: the violation catalogue and the checklist templates (idempotent seed steps).

The fine ranges below come from the Ministry of Construction's DRAFT sanctions decree of November
2025 and are seeded with `is_draft = True`: they are not law. The decree in force for construction
and housing is believed to be Decree 16/2022/NĐ-CP, whose figures were not checked; add its entries
(not draft) with their validity dates when they are. See docs/rules/inspections-and-sanctions.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from inspection_api.checklist.repository import TemplateRepository, VersionRepository
from inspection_api.inspection_case.repository import ViolationTypeRepository
from inspection_api.models import CaseKind, ChecklistTemplate, ChecklistTemplateVersion, ViolationType

DRAFT_DECREE = (
    "Dự thảo Nghị định quy định xử phạt vi phạm hành chính trong lĩnh vực xây dựng "
    "(Bộ Xây dựng, 11/2025) — DỰ THẢO, chưa có hiệu lực"
)
DRAFT_PUBLISHED = date(2025, 11, 6)
SOURCE_DANTRI = (
    "https://dantri.com.vn/bat-dong-san/ban-nha-o-xa-hoi-cho-sai-nguoi-bi-phat-it-nhat-120-trieu-dong"
    "-20251106194554911.htm"
)
SOURCE_XE = (
    "https://xe.today/2025/11/08/penalties-for-misuse-or-unauthorized-resale-of-social-housing"
    "-can-reach-up-to-120-million-vnd"
)


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    title: str
    fine_min_vnd: int
    fine_max_vnd: int
    remedy: str | None
    source_url: str


# domain.md §4.5 — draft values only.
VIOLATION_CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(
        "social_housing.not_used_for_living",
        "Bên thuê, thuê mua, mua nhà ở xã hội không sử dụng nhà để ở",
        80_000_000,
        120_000_000,
        None,
        SOURCE_XE,
    ),
    CatalogueEntry(
        "social_housing.resale_against_rules",
        "Bán lại nhà ở xã hội không đúng quy định",
        80_000_000,
        120_000_000,
        None,
        SOURCE_XE,
    ),
    CatalogueEntry(
        "social_housing.advance_payment_wrongly_collected",
        "Thu tiền ứng trước của người mua, thuê mua nhà ở xã hội không đúng quy định",
        80_000_000,
        120_000_000,
        None,
        SOURCE_XE,
    ),
    CatalogueEntry(
        "social_housing.sold_to_ineligible",
        "Bán, cho thuê, cho thuê mua nhà ở xã hội (hoặc nhà ở công vụ) cho người không đủ điều kiện "
        "hoặc không đáp ứng điều kiện",
        120_000_000,
        160_000_000,
        None,
        SOURCE_DANTRI,
    ),
    CatalogueEntry(
        "social_housing.land_transferred_for_self_build",
        "Chủ đầu tư dự án nhà ở xã hội chuyển nhượng quyền sử dụng đất cho cá nhân tự xây nhà",
        200_000_000,
        260_000_000,
        None,
        SOURCE_DANTRI,
    ),
    CatalogueEntry(
        "land_fund.not_reserved",
        "Không bố trí đủ quỹ đất để xây dựng nhà ở xã hội",
        260_000_000,
        280_000_000,
        "Buộc bố trí quỹ đất hoặc nộp số tiền tương đương giá trị quỹ đất",
        SOURCE_DANTRI,
    ),
)


@dataclass(frozen=True)
class TemplateSeed:
    code: str
    kind: CaseKind
    title: str
    items: tuple[dict[str, str], ...]


CHECKLIST_TEMPLATES: tuple[TemplateSeed, ...] = (
    TemplateSeed(
        "land-fund-20",
        CaseKind.CONSTRUCTION_CHECK,
        "Kiểm tra quỹ đất 20% nhà ở xã hội trong dự án nhà ở thương mại, khu đô thị",
        (
            {
                "key": "land_fund.method_decided",
                "text": "UBND tỉnh đã quyết định hình thức thực hiện nghĩa vụ (dành quỹ đất 20%, quỹ đất "
                "khác, nộp tiền)",
                "legal_basis": "Luật Nhà ở 2023 Điều 83 khoản 2; Nghị định 100/2024/NĐ-CP",
            },
            {
                "key": "land_fund.reserved_in_plan",
                "text": "Quỹ đất 20% được thể hiện trong quy hoạch chi tiết của dự án",
                "legal_basis": "Luật Nhà ở 2023 Điều 83 khoản 2",
            },
            {
                "key": "land_fund.infrastructure_built",
                "text": "Quỹ đất 20% đã được đầu tư xây dựng hạ tầng kỹ thuật",
                "legal_basis": "Luật Nhà ở 2023 Điều 83 khoản 2",
            },
            {
                "key": "land_fund.cleared",
                "text": "Quỹ đất đã giải phóng mặt bằng",
                "legal_basis": "Nghị định 100/2024/NĐ-CP",
            },
            {
                "key": "land_fund.investor_assigned",
                "text": "Đã lựa chọn chủ đầu tư dự án nhà ở xã hội trên quỹ đất",
                "legal_basis": "Nghị quyết 201/2025/QH15",
            },
            {
                "key": "land_fund.money_paid",
                "text": "Trường hợp nộp tiền: đã nộp tiền sử dụng đất của 20% diện tích đất ở và 20% chi phí "
                "đầu tư hạ tầng kỹ thuật",
                "legal_basis": "Nghị định 100/2024/NĐ-CP Điều 19, sửa đổi bởi Nghị định 261/2025/NĐ-CP",
            },
        ),
    ),
    TemplateSeed(
        "social-housing-use",
        CaseKind.INSPECTORATE_INSPECTION,
        "Thanh tra việc bán, cho thuê, cho thuê mua và sử dụng nhà ở xã hội",
        (
            {
                "key": "buyers.eligible",
                "text": "Người mua, thuê, thuê mua thuộc đối tượng và đủ điều kiện được hưởng chính sách",
                "legal_basis": "Luật Nhà ở 2023 Điều 76, 77, 78",
            },
            {
                "key": "buyers.supported_once",
                "text": "Mỗi đối tượng chỉ được hỗ trợ một lần",
                "legal_basis": "Luật Nhà ở 2023 (điều khoản cần kiểm chứng)",
            },
            {
                "key": "homes.used_for_living",
                "text": "Nhà ở được sử dụng để ở, không cho thuê lại, không bỏ trống",
                "legal_basis": "Luật Nhà ở 2023",
            },
            {
                "key": "homes.no_resale_within_lock",
                "text": "Không bán lại trong thời hạn 5 năm kể từ khi thanh toán hết tiền mua",
                "legal_basis": "Luật Nhà ở 2023 Điều 89",
            },
            {
                "key": "investor.advance_payments_lawful",
                "text": "Chủ đầu tư thu tiền ứng trước đúng quy định",
                "legal_basis": "Luật Nhà ở 2023",
            },
        ),
    ),
)


async def seed_violation_catalogue(session: AsyncSession) -> int:
    repo = ViolationTypeRepository(session)
    added = 0
    for entry in VIOLATION_CATALOGUE:
        if await repo.by_code_and_start(entry.code, DRAFT_PUBLISHED) is not None:
            continue
        await repo.add(
            ViolationType(
                code=entry.code,
                title=entry.title,
                legal_basis=DRAFT_DECREE,
                fine_min_vnd=entry.fine_min_vnd,
                fine_max_vnd=entry.fine_max_vnd,
                is_draft=True,
                remedy=entry.remedy,
                source_url=entry.source_url,
                valid_from=DRAFT_PUBLISHED,
                valid_to=None,
            )
        )
        added += 1
    return added


async def seed_checklist_templates(session: AsyncSession) -> int:
    templates, versions = TemplateRepository(session), VersionRepository(session)
    added = 0
    for seed in CHECKLIST_TEMPLATES:
        template = await templates.by_code(seed.code)
        if template is None:
            template = await templates.add(
                ChecklistTemplate(code=seed.code, kind=seed.kind.value, title=seed.title)
            )
        if await versions.by_number(template.id, 1) is None:
            await versions.add(
                ChecklistTemplateVersion(template_id=template.id, number=1, items=list(seed.items))
            )
            added += 1
    return added

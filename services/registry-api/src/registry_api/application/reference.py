"""The beneficiary groups (HL2023 Art. 76) and the eligibility rules, as dated reference rows.

Sources (secondary, /work/shared/design/domain.md §1.1-1.7; to be confirmed against the official texts).
Changing a rule: close the row in force (`valid_to`, the last day) and add a new row with its own code,
legal basis and parameters - never edit a row applications were judged by. See
docs/rules/applications-and-eligibility.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.application.repository import ReferenceRepository
from registry_api.models import BeneficiaryGroup, EligibilityRule, RuleKind

HL2023 = "Luật Nhà ở số 27/2023/QH15"
HL2023_IN_FORCE = date(2024, 8, 1)
D261_IN_FORCE = date(2025, 10, 10)
D54_IN_FORCE = date(2026, 2, 9)

GROUP_NAMES: dict[int, str] = {
    1: "Người có công với cách mạng, thân nhân liệt sĩ thuộc trường hợp được hỗ trợ cải thiện nhà ở",
    2: "Hộ gia đình nghèo, cận nghèo tại khu vực nông thôn",
    3: "Hộ gia đình nghèo, cận nghèo tại khu vực nông thôn thường xuyên bị ảnh hưởng bởi thiên tai, "
    "biến đổi khí hậu",
    4: "Hộ gia đình nghèo, cận nghèo tại khu vực đô thị",
    5: "Người thu nhập thấp tại khu vực đô thị",
    6: "Công nhân, người lao động đang làm việc tại doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã "
    "trong và ngoài khu công nghiệp",
    7: "Sĩ quan, quân nhân chuyên nghiệp, hạ sĩ quan thuộc lực lượng vũ trang nhân dân, công nhân công an, "
    "công chức, công nhân và viên chức quốc phòng, người làm công tác cơ yếu",
    8: "Cán bộ, công chức, viên chức",
    9: "Đối tượng đã trả lại nhà ở công vụ theo khoản 4 Điều 125 Luật Nhà ở",
    10: "Hộ gia đình, cá nhân thuộc trường hợp bị thu hồi đất và phải giải tỏa, phá dỡ nhà ở mà chưa được "
    "Nhà nước bồi thường bằng nhà ở, đất ở",
    11: "Học sinh, sinh viên đại học, học viện, trường đại học, cao đẳng, dạy nghề, trường chuyên biệt; "
    "học sinh trường dân tộc nội trú công lập",
    12: "Doanh nghiệp, hợp tác xã, liên hiệp hợp tác xã trong khu công nghiệp",
}

BENEFICIARY_GROUPS: list[dict[str, Any]] = [
    {
        "code": f"HL2023_76_{clause}",
        "clause": clause,
        "name": name,
        "legal_basis": f"{HL2023}, Điều 76 khoản {clause}",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "note": "Employers renting worker accommodation; not a person's application."
        if clause == 12
        else None,
    }
    for clause, name in GROUP_NAMES.items()
]

BUY_GROUPS = [1, 4, 5, 6, 7, 8, 9, 10]
RENT_GROUPS = [1, 4, 5, 6, 7, 8, 9, 10, 11]
OWNERSHIP = ["buy", "lease_purchase"]
D100_ART30 = "Nghị định 100/2024/NĐ-CP, Điều 30"

ELIGIBILITY_RULES: list[dict[str, Any]] = [
    {
        "code": "GROUP_TENURE_HL2023",
        "kind": RuleKind.GROUP_TENURE.value,
        "name": "The group may buy, lease-purchase or rent social housing",
        "legal_basis": f"{HL2023}, Điều 77 và Điều 78",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {
            "groups_by_tenure": {"buy": BUY_GROUPS, "lease_purchase": BUY_GROUPS, "rent": RENT_GROUPS}
        },
        "note": "Groups 2 and 3 (rural poor) get support to build or repair their own house, not a unit "
        "(mapping of Art. 77 uncertain, domain.md §1.2); group 12 is an employer.",
    },
    {
        "code": "HOUSING_D100_ART29",
        "kind": RuleKind.HOUSING_CONDITION.value,
        "name": "No house in the province, or under 15 m² floor area per person",
        "legal_basis": f"{HL2023}, Điều 78 khoản 1; Nghị định 100/2024/NĐ-CP, Điều 29",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": D54_IN_FORCE.replace(day=8),
        "params": {
            "tenures": OWNERSHIP,
            "groups": BUY_GROUPS,
            "min_area_per_person_m2": "15",
            "evidence_forms": ["02", "03"],
        },
        "note": "No house at the time of application (Form 02), or a house below the area (Form 03).",
    },
    {
        "code": "HOUSING_D54_2026",
        "kind": RuleKind.HOUSING_CONDITION.value,
        "name": "No house in the province, or under 15 m² floor area per person",
        "legal_basis": "Nghị định 100/2024/NĐ-CP, Điều 29, sửa đổi bởi Nghị định 54/2026/NĐ-CP",
        "valid_from": D54_IN_FORCE,
        "valid_to": None,
        "params": {
            "tenures": OWNERSHIP,
            "groups": BUY_GROUPS,
            "min_area_per_person_m2": "15",
            "evidence_forms": ["02", "03"],
        },
        "note": "The link to 'the time of application' was dropped; the land-certificate authority "
        "confirms within 7 days.",
    },
    {
        "code": "INCOME_D100_ART30",
        "kind": RuleKind.INCOME_CAP.value,
        "name": "Average monthly income at or under the cap",
        "legal_basis": f"{D100_ART30} (bản gốc)",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": date(2025, 10, 9),
        "params": {
            "tenures": OWNERSHIP,
            "groups": [5, 6, 8],
            "caps_vnd": {"single": 15_000_000, "single_with_child": 15_000_000, "married": 30_000_000},
            "evidence_forms": ["01a", "05"],
        },
        "note": "No separate cap for a single person raising a child: the single cap applies.",
    },
    {
        "code": "INCOME_D261_2025",
        "kind": RuleKind.INCOME_CAP.value,
        "name": "Average monthly income at or under the cap",
        "legal_basis": f"{D100_ART30}, sửa đổi bởi Nghị định 261/2025/NĐ-CP",
        "valid_from": D261_IN_FORCE,
        "valid_to": None,
        "params": {
            "tenures": OWNERSHIP,
            "groups": [5, 6, 8],
            "caps_vnd": {"single": 20_000_000, "single_with_child": 30_000_000, "married": 40_000_000},
            "evidence_forms": ["01a", "05"],
        },
        "note": "12 consecutive months before confirmation; the PPC's local coefficient is not stored.",
    },
    {
        "code": "NEVER_SUPPORTED_HL2023",
        "kind": RuleKind.NEVER_SUPPORTED.value,
        "name": "Never received housing support in the province",
        "legal_basis": f"{HL2023}, Điều 78 khoản 1 điểm a",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {
            "tenures": OWNERSHIP,
            "groups": BUY_GROUPS,
            "support_kinds": None,
            "outcomes": ["in_progress", "accepted"],
            "sources": ["support_case"],
        },
        "note": "Any housing support recorded in support_history counts (support_kinds null = all kinds); "
        "withdrawn cases do not. Contracts and resales are read by the never-bought rule, not here "
        "(sources); the Ministry's reading of 'any form of support' is pending (domain.md §1.3).",
    },
    {
        "code": "NEVER_BOUGHT_HL2023",
        "kind": RuleKind.NEVER_BOUGHT.value,
        "name": "Never bought or lease-purchased social housing",
        "legal_basis": f"{HL2023}, Điều 78 khoản 1 điểm a",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {
            "tenures": OWNERSHIP,
            "groups": BUY_GROUPS,
            "history_kinds": ["sale", "lease_purchase", "resale_purchase"],
        },
        "note": "Read from the support history (sale and lease-purchase contracts, resales bought by the "
        "person) and from allocated buy and lease-purchase applications not yet under contract.",
    },
    {
        "code": "ONE_PROJECT_D54_2026",
        "kind": RuleKind.ONE_PROJECT.value,
        "name": "Not registered at another project at the same time",
        "legal_basis": "Nghị định 100/2024/NĐ-CP, Điều 38, sửa đổi bởi Nghị định 54/2026/NĐ-CP",
        "valid_from": D54_IN_FORCE,
        "valid_to": None,
        "params": {"tenures": ["buy", "lease_purchase", "rent"]},
        "note": "Applicant and spouse have no other submitted or eligible application elsewhere.",
    },
    {
        "code": "POVERTY_CERTIFIED_HL2023",
        "kind": RuleKind.POVERTY_CERTIFICATE.value,
        "name": "Group 4 is certified poor or near-poor",
        "legal_basis": f"{HL2023}, Điều 78",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {
            "tenures": OWNERSHIP,
            "groups": [4],
            "category_kinds": ["poor", "near_poor"],
            "evidence_forms": ["poverty_certificate"],
        },
        "note": "The household's poor / near-poor status in this registry valid on the date, else a "
        "certified copy of the certificate as evidence; neither: unknown.",
    },
    {
        "code": "ARMED_FORCES_MOD_MPS",
        "kind": RuleKind.ARMED_FORCES_CONDITIONS.value,
        "name": "Group 7 meets the Ministry of Defence / Public Security conditions",
        "legal_basis": f"{HL2023}, Điều 78; {D100_ART30} (nhóm 7: quy định của Bộ Quốc phòng, Bộ Công an)",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {"tenures": OWNERSHIP, "groups": [7], "evidence_forms": ["04"]},
        "note": "UNCERTAIN: the MoD / MPS income rules are not stored; always unknown (decided by hand).",
    },
    {
        "code": "OFFICIAL_HOUSING_HL2023",
        "kind": RuleKind.OFFICIAL_HOUSING.value,
        "name": "Not living in official (public-duty) housing",
        "legal_basis": f"{HL2023}, Điều 78 khoản 1 (đối tượng tại Điều 45 khoản 1 điểm b-g)",
        "valid_from": HL2023_IN_FORCE,
        "valid_to": None,
        "params": {"tenures": OWNERSHIP, "groups": [7, 8]},
        "note": "UNCERTAIN mapping: Art. 45(1)(b)-(g) read as groups 7 and 8. Declared on the "
        "application (lives_in_official_housing); not declared: unknown.",
    },
    {
        "code": "FAR_FROM_WORK_NQ201_2025",
        "kind": RuleKind.FAR_FROM_WORK_PILOT.value,
        "name": "Pilot: a house far from the workplace does not exclude (Resolution 201)",
        "legal_basis": "Nghị quyết 201/2025/QH15, Điều 9 khoản 2 (thí điểm)",
        "valid_from": date(2025, 7, 1),
        "valid_to": None,
        "params": {"tenures": OWNERSHIP, "groups": BUY_GROUPS, "criteria": None},
        "note": "UNCERTAIN: Hải Phòng's criteria (distance, months worked) were not found; a claim is "
        "unknown and turns a failed housing condition into unknown until criteria are stored.",
    },
]


async def seed_beneficiary_groups(session: AsyncSession) -> int:
    """Add the groups not stored yet (by code), audited. Idempotent."""
    repo = ReferenceRepository(session)
    known = await repo.group_codes()
    missing = [BeneficiaryGroup(**row) for row in BENEFICIARY_GROUPS if row["code"] not in known]
    await repo.add_all(missing)
    return len(missing)


async def seed_eligibility_rules(session: AsyncSession) -> int:
    """Add the rules not stored yet (by code), audited. Idempotent."""
    repo = ReferenceRepository(session)
    known = await repo.rule_codes()
    missing = [EligibilityRule(**row) for row in ELIGIBILITY_RULES if row["code"] not in known]
    await repo.add_all(missing)
    return len(missing)

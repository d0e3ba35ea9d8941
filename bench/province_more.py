"""The rest of the synthetic province: social-housing applications (registry-api), VBSP loans
(funding-api) and inspection cases (inspection-api), generated deterministically from the seed on top of
a province built by `bench.province` and loaded by binary COPY.

    .venv/bin/python -m bench.province_more --database bench_registry --households 1000000

Per 1,000,000 households: 50,000 applications (with their evidence) to generated social housing
projects, 100,000 loans with their bank events (application, approval, disbursements, quarterly
repayments, overdue, settlement) and exceptions, 20,000 inspection cases with findings, violations and
sanctions. Loans go to `<registry database>_funding`, cases to `<registry database>_inspection`, each
created, migrated (Alembic, head) and reference-seeded (`<service>.seed --reference-only`) here.

Rows are what the services would store. An assessed application's `eligibility_trace` and status come
from registry-api's own `evaluate` over the rules in force on its submission date; a loan's state from
funding-api's `derive` over its events, its rate and caps from the seeded tables, its exceptions from
the same checks the service makes; a borrower's eligibility is the answer registry-api's `confirm`
gives (stored in the registry's `eligibility_confirmation`, fingerprint and all). Borrowers' citizen
IDs are read back from the registry (decrypted with the bench key) and encrypted, blind-indexed and
masked with `servicekit.pii` as funding-api does, so funding-api's index of a borrower equals
registry-api's. Inspection cases follow the case state machine (`inspection_api.inspection_case.states`).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import asyncpg

from bench.common import (
    PII_BLIND_INDEX_KEY,
    PII_ENCRYPTION_KEY,
    migrated_database,
    out,
    start_bench_server,
    with_database,
)
from bench.province import PROVINCE, Deferred, Picker, rebuild
from funding_api.loan.derive import VIETNAM, cap_limit, derive
from funding_api.loan.pii import CITIZEN_ID_CONTEXT
from registry_api.application.eligibility import FAIL, PASS, UNKNOWN, Facts, evaluate, verdict
from registry_api.models import Application, ApplicationEvidence, EligibilityRule
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.service import CITIZEN_ID_COLUMN
from servicekit.audit import json_safe
from servicekit.pii import PiiCipher, mask

Row = tuple[Any, ...]
TODAY = date(2026, 10, 31)  # the generated histories end here (after bench.province's 2025-11-20)
MIRROR_FROM = date(2025, 10, 15)  # the day funding-api's loan mirror took in the bank's existing loans
PER_MILLION = {"application": 50_000, "loan": 100_000, "inspection_case": 20_000}
CHUNK = 5_000  # applications, loans or cases per generated chunk
BANK = "vbsp-hai-phong"  # the bank integration's subject (received_by)
FUNDING_CLIENT = "funding-api"  # who asks registry-api for a borrower's eligibility
FORM_VERSION = "Thông tư 05/2024/TT-BXD, sửa đổi bởi Thông tư 32/2025/TT-BXD"
UUID7_BITS = (0x7 << 76) | (0b10 << 62)
RAND_B_MASK = (1 << 62) - 1

# Tables loaded by COPY (their secondary indexes and keys are dropped and rebuilt), per database.
REGISTRY_TABLES = ("application", "application_evidence", "eligibility_confirmation")
FUNDING_TABLES = ("loan", "loan_event", "loan_exception")
INSPECTION_TABLES = ("inspection_case", "inspection_finding", "case_violation", "sanction_decision")

COLUMNS: dict[str, list[str]] = {
    "housing_project": [
        "id", "name", "investor", "address", "kind", "land_area_m2", "commercial_project_ref",
        "approved_on", "started_on", "completed_on", "handed_over_on", "sale_published_on",
        "sale_published_where", "sale_opens_on", "sale_closes_on", "province_code", "commune_code",
        "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "housing_project_units": [
        "id", "project_id", "unit_kind", "floor_area_band", "units",
    ],
    "application": [
        "id", "project_id", "tenure", "status", "applicant_person_id", "spouse_person_id",
        "member_person_ids", "beneficiary_group_id", "marital_status", "monthly_income_vnd",
        "owns_house_in_province", "house_floor_area_m2", "house_occupants", "applicant_disabled",
        "resettled", "lives_in_official_housing", "house_far_from_work", "submitted_on", "assessed_on",
        "allocated_on", "withdrawn_on", "withdrawal_reason", "eligibility_trace", "note", "province_code",
        "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "application_evidence": [
        "id", "application_id", "person_id", "form", "form_version", "issuer", "issued_on",
        "document_number", "province_code", "commune_code", "legacy_area_code", "created_at", "updated_at",
    ],
    "eligibility_confirmation": [
        "id", "purpose", "person_id", "application_id", "as_of", "eligible", "reasons",
        "inputs_fingerprint", "requested_by", "province_code", "commune_code", "created_at", "updated_at",
    ],
    "loan": [
        "id", "bank_loan_ref", "province_code", "commune_code", "borrower_citizen_id_ct",
        "borrower_citizen_bidx", "borrower_citizen_id_masked", "purpose", "contract_value_vnd",
        "estimate_vnd", "status", "approved_amount_vnd", "disbursed_vnd", "repaid_vnd", "outstanding_vnd",
        "overdue_vnd", "rate_bp", "first_disbursed_on", "events_applied", "last_sequence",
        "eligibility_status", "eligibility_confirmation_id", "eligibility_checked_at", "version",
        "created_at", "updated_at",
    ],
    "loan_event": [
        "id", "loan_id", "bank_event_id", "bank_sequence", "occurred_at", "event_type", "amount_vnd",
        "rate_bp", "purpose", "contract_value_vnd", "estimate_vnd", "received_at", "received_by",
    ],
    "loan_exception": [
        "id", "loan_id", "reason", "key", "status", "province_code", "commune_code", "evidence",
        "resolution_note", "closed_by", "closed_at", "version", "created_at", "updated_at",
    ],
    "inspection_plan": [
        "id", "province_code", "year", "kind", "title", "decision_number", "decision_date", "version",
        "created_at", "updated_at",
    ],
    "inspection_plan_item": [
        "id", "plan_id", "subject", "scope", "planned_month", "province_code", "commune_code",
        "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "inspection_case": [
        "id", "kind", "status", "title", "subject", "summary", "opened_by", "plan_item_id",
        "parent_case_id", "flag_id", "due_on", "assigned_inspector", "assigned_at", "checklist_version_id",
        "started_at", "conclusion", "concluded_on", "closed_at", "closure_note", "province_code",
        "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "inspection_finding": [
        "id", "case_id", "checklist_item_key", "outcome", "note", "recorded_by", "province_code",
        "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "case_violation": [
        "id", "case_id", "violation_type_id", "finding_id", "observed_on", "description", "recorded_by",
        "province_code", "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "sanction_decision": [
        "id", "case_id", "case_violation_id", "number", "decided_on", "fine_vnd", "fine_range_draft",
        "remedy", "remedy_deadline", "decided_by", "province_code", "commune_code", "legacy_area_code",
        "version", "created_at", "updated_at",
    ],
}  # fmt: skip


def local_at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on a local (Asia/Ho_Chi_Minh) working day, as an aware UTC datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM).astimezone(UTC)


def uuid7_at(rng: random.Random, moment: datetime) -> uuid.UUID:
    """A UUIDv7 whose time is `moment` (the row's creation): keyset pages follow creation order."""
    rand = rng.getrandbits(74)
    ms = int(moment.timestamp() * 1000)
    return uuid.UUID(int=(ms << 80) | UUID7_BITS | ((rand >> 62) << 64) | (rand & RAND_B_MASK))


def between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def scaled(households: int, table: str) -> int:
    return round(PER_MILLION[table] * households / 1_000_000)


# ------------------------------------------------------------------------------------- databases


async def drop_for_load(conn: asyncpg.Connection, tables: Sequence[str]) -> Deferred:
    """`bench.province.drop_for_load` for these tables: foreign keys, unique constraints and
    secondary indexes dropped (primary keys stay), to be rebuilt by `bench.province.rebuild`."""
    constraints = [
        (r["tbl"], r["conname"], r["contype"], r["def"])
        for r in await conn.fetch(
            "SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text AS contype, "
            "pg_get_constraintdef(c.oid) AS def FROM pg_constraint c "
            "WHERE c.conrelid = ANY(SELECT oid FROM pg_class WHERE relname = ANY($1::text[])) "
            "AND c.contype IN ('f', 'u') ORDER BY c.contype, c.conname",
            list(tables),
        )
    ]
    indexes = [
        (r["indexname"], r["indexdef"])
        for r in await conn.fetch(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class ic ON ic.relname = i.indexname "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ic.oid) ORDER BY i.indexname",
            list(tables),
        )
    ]
    for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
        await conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    return Deferred(indexes, constraints)


# ------------------------------------------------------------------------------------- registry


class Household(NamedTuple):
    """A sampled household of the province, with what its applications and loans read."""

    id: uuid.UUID
    commune: str
    legacy: str | None
    urban: bool
    head_id: uuid.UUID
    head_citizen_id: str
    head_bidx: str
    head_birth_year: int
    spouse_id: uuid.UUID | None
    member_ids: list[uuid.UUID]
    minor_child: bool
    # support_history rows of source support_case: (support_case_id, proposed_on, outcome)
    support: list[tuple[uuid.UUID, date, str]]
    # poor / near-poor categories: (id, valid_from, valid_to)
    poverty: list[tuple[uuid.UUID, date, date | None]]


SAMPLE_SQL = """
WITH s AS (
    SELECT h.id, h.commune_code, h.legacy_area_code, h.residence_area, h.head_person_id,
           hashtextextended(h.id::text, $1) AS draw
    FROM household h WHERE h.closed_on IS NULL AND h.head_person_id IS NOT NULL
    ORDER BY draw, h.id LIMIT $2
)
SELECT s.id, s.commune_code, s.legacy_area_code, s.residence_area, s.head_person_id,
       hp.citizen_id_ciphertext, hp.citizen_id_bidx, hp.birth_year,
       (SELECT min(p.id::text)::uuid FROM person p WHERE p.household_id = s.id
            AND p.relationship = 'spouse') AS spouse_id,
       ARRAY(SELECT p.id FROM person p WHERE p.household_id = s.id
            AND p.relationship IN ('child', 'grandchild', 'parent') ORDER BY p.id) AS member_ids,
       EXISTS(SELECT 1 FROM person p WHERE p.household_id = s.id AND p.relationship = 'child'
            AND p.birth_year > $3) AS minor_child,
       ARRAY(SELECT sh.support_case_id FROM support_history sh WHERE sh.household_id = s.id
            AND sh.source = 'support_case' ORDER BY sh.proposed_on, sh.id) AS support_ids,
       ARRAY(SELECT sh.proposed_on FROM support_history sh WHERE sh.household_id = s.id
            AND sh.source = 'support_case' ORDER BY sh.proposed_on, sh.id) AS support_days,
       ARRAY(SELECT sh.outcome FROM support_history sh WHERE sh.household_id = s.id
            AND sh.source = 'support_case' ORDER BY sh.proposed_on, sh.id) AS support_outcomes,
       ARRAY(SELECT c.id FROM beneficiary_category c WHERE c.household_id = s.id
            AND c.kind IN ('poor', 'near_poor') ORDER BY c.id) AS poverty_ids,
       ARRAY(SELECT c.valid_from FROM beneficiary_category c WHERE c.household_id = s.id
            AND c.kind IN ('poor', 'near_poor') ORDER BY c.id) AS poverty_from,
       ARRAY(SELECT c.valid_to FROM beneficiary_category c WHERE c.household_id = s.id
            AND c.kind IN ('poor', 'near_poor') ORDER BY c.id) AS poverty_to
FROM s JOIN person hp ON hp.id = s.head_person_id
WHERE hp.citizen_id_ciphertext IS NOT NULL
ORDER BY s.draw, s.id
"""


async def sample_households(conn: asyncpg.Connection, seed: int, count: int) -> list[Household]:
    """`count` households in a fixed pseudo-random order (a hash of the id and the seed)."""
    cipher = PiiCipher(encryption_secret=PII_ENCRYPTION_KEY, blind_index_secret=PII_BLIND_INDEX_KEY)
    await conn.execute("SET work_mem = '256MB'")
    rows = await conn.fetch(SAMPLE_SQL, seed, count, TODAY.year - 18)
    await conn.execute("RESET work_mem")
    sampled = []
    for r in rows:
        sampled.append(
            Household(
                id=r["id"],
                commune=r["commune_code"],
                legacy=r["legacy_area_code"],
                urban=r["residence_area"] == "urban",
                head_id=r["head_person_id"],
                head_citizen_id=cipher.decrypt(r["citizen_id_ciphertext"], context=CITIZEN_ID_COLUMN),
                head_bidx=r["citizen_id_bidx"],
                head_birth_year=r["birth_year"],
                spouse_id=r["spouse_id"],
                member_ids=list(r["member_ids"]),
                minor_child=r["minor_child"],
                support=list(zip(r["support_ids"], r["support_days"], r["support_outcomes"], strict=True)),
                poverty=list(zip(r["poverty_ids"], r["poverty_from"], r["poverty_to"], strict=True)),
            )
        )
    if sampled and cipher.blind_index(sampled[0].head_citizen_id, purpose=CITIZEN_ID_PURPOSE) != (
        sampled[0].head_bidx
    ):
        raise RuntimeError("the registry's blind index is not the one funding-api would compute")
    return sampled


@dataclass
class Project:
    id: uuid.UUID
    kind: str  # sale | lease_purchase | rent | worker_accommodation
    commune: str
    legacy: str | None
    published: date
    opens: date
    closes: date


PROJECT_KIND = Picker([("sale", 50), ("lease_purchase", 20), ("rent", 22), ("worker_accommodation", 8)])
TENURE_OF = {"sale": "buy", "lease_purchase": "lease_purchase", "rent": "rent"}
PROJECT_WORDS = [
    "An Dương", "Bạch Đằng", "Cát Bi", "Đồ Sơn", "Hồng Bàng", "Kiến An", "Lạch Tray", "Lê Chân", "Ngô Quyền",
    "Tân Hưng", "Thành Đông", "Thuỷ Nguyên", "Tiên Lãng", "Vĩnh Bảo", "Hải Dương", "Kinh Môn", "Chí Linh",
    "Nam Sách", "Cẩm Giàng", "Gia Lộc", "Tứ Kỳ", "Thanh Hà", "Kim Thành", "Bình Giang", "Ninh Giang",
]  # fmt: skip
INVESTORS = [
    "Công ty CP Đầu tư Xây dựng Hải Phòng", "Công ty CP Phát triển Đô thị Bạch Đằng",
    "Công ty TNHH Nhà ở Hải Phòng", "Công ty CP Đầu tư Xây dựng Thành Đông",
    "Tổng công ty Xây dựng Bạch Đằng", "Công ty CP Bất động sản Lạch Tray",
]  # fmt: skip
UNIT_BANDS = {
    "sale": [("apartment", "45_to_60"), ("apartment", "60_to_70")],
    "lease_purchase": [("apartment", "under_45"), ("apartment", "45_to_60")],
    "rent": [("apartment", "under_45")],
    "worker_accommodation": [("dormitory_room", "under_45")],
}


def make_projects(
    rng: random.Random, count: int, communes: list[tuple[str, str | None]]
) -> tuple[list[Project], dict[str, list[Row]]]:
    """Social housing projects taking applications between 8/2025 and 10/2026 (sale windows of D100
    Art. 38), with their planned units; urban communes first."""
    projects: list[Project] = []
    rows: dict[str, list[Row]] = {"housing_project": [], "housing_project_units": []}
    for n in range(count):
        kind = PROJECT_KIND(rng) if n >= 3 else ["sale", "lease_purchase", "rent"][n]
        commune, legacy = communes[rng.randrange(len(communes))]
        approved = between(rng, date(2023, 1, 1), date(2025, 6, 30))
        started = approved + timedelta(days=rng.randint(120, 400))
        opens = between(rng, date(2025, 8, 1), date(2026, 8, 31))
        published = opens - timedelta(days=rng.randint(10, 30))
        closes = opens + timedelta(days=rng.randint(60, 400))
        built = started + timedelta(days=rng.randint(500, 800))
        handed = built + timedelta(days=rng.randint(30, 120))
        completed = built if built <= TODAY else None
        handed_over = handed if handed <= TODAY else None
        created = local_at(approved, 9)
        p_id = uuid7_at(rng, created)
        word = PROJECT_WORDS[n % len(PROJECT_WORDS)]
        label = {"sale": "", "lease_purchase": "thuê mua ", "rent": "cho thuê ", "worker_accommodation": ""}[
            kind
        ]
        name = (
            f"Khu lưu trú công nhân {word} {n // len(PROJECT_WORDS) + 1}"
            if kind == "worker_accommodation"
            else f"Nhà ở xã hội {label}{word} {n // len(PROJECT_WORDS) + 1}"
        )
        selling = kind != "worker_accommodation"
        rows["housing_project"].append(
            (p_id, name + " (bench)", rng.choice(INVESTORS) + " (bench)",
             f"Đường số {rng.randint(1, 60)}, {word}", kind, rng.randint(40, 250) * 100, None, approved,
             started, completed, handed_over,
             published if selling else None,
             "Cổng thông tin điện tử Sở Xây dựng Hải Phòng" if selling else None,
             opens if selling else None, closes if selling else None, PROVINCE, commune, legacy, 1, created,
             created)
        )  # fmt: skip
        for unit_kind, band in UNIT_BANDS[kind]:
            rows["housing_project_units"].append(
                (uuid7_at(rng, created), p_id, unit_kind, band, rng.randint(8, 40) * 10)
            )
        if selling:
            projects.append(Project(p_id, kind, commune, legacy, published, opens, closes))
    return projects, rows


@dataclass
class RegistryReference:
    groups: dict[int, uuid.UUID]  # clause -> beneficiary group id (all in force since 2024)
    rules: list[EligibilityRule]  # every stored rule (transient objects, as the ORM would load them)

    def rules_on(self, on: date) -> list[EligibilityRule]:
        """`ReferenceRepository.rules_on`: in force on the date, by code."""
        return [r for r in self.rules if r.valid_from <= on and (r.valid_to is None or r.valid_to >= on)]


async def registry_reference(conn: asyncpg.Connection) -> RegistryReference:
    groups = {r["clause"]: r["id"] for r in await conn.fetch("SELECT clause, id FROM beneficiary_group")}
    rules = [
        EligibilityRule(
            id=r["id"], code=r["code"], kind=r["kind"], name=r["name"], legal_basis=r["legal_basis"],
            valid_from=r["valid_from"], valid_to=r["valid_to"], params=json.loads(r["params"]),
        )
        for r in await conn.fetch(
            "SELECT id, code, kind, name, legal_basis, valid_from, valid_to, params::text AS params "
            "FROM eligibility_rule ORDER BY code"
        )
    ]  # fmt: skip
    if not groups or not rules:
        raise RuntimeError("no beneficiary groups or eligibility rules: seed the registry first")
    return RegistryReference(groups, rules)


# Beneficiary group clause (HL2023 Art. 76) of an applicant; group 4 only for a poor household.
GROUP = Picker([(5, 58), (6, 20), (8, 9), (7, 3), (10, 3), (1, 2), (9, 1)])
APPLICATION_PATH = Picker(
    [("draft", 7), ("submitted", 18), ("assessed", 58), ("withdrawn_draft", 3), ("withdrawn_submitted", 6)]
)
INCOME_MEDIAN = {"single": 14_000_000, "single_with_child": 17_000_000, "married": 27_000_000}


@dataclass
class ApplicationFacts:
    """What a loan needs to know of an application."""

    id: uuid.UUID
    status: str
    tenure: str
    version: int
    decided_on: date  # the last step's date
    app: Application
    clause: int
    evidence: list[ApplicationEvidence]
    household: Household


def trace_for(ref: RegistryReference, facts_app: ApplicationFacts, as_of: date) -> list[dict[str, Any]]:
    """`ApplicationService.trace` for a generated application: the facts it reads from the registry
    are the household's support history and poverty categories (each household applies once, so no
    other application of the applicant or spouse is open or allocated)."""
    hh = facts_app.household
    facts = Facts(application=facts_app.app, group_clause=facts_app.clause, evidence=facts_app.evidence)
    for rule in ref.rules_on(as_of):
        if rule.kind == "never_supported":
            outcomes = list(rule.params["outcomes"])
            facts.support_refs = [s for s, day, outcome in hh.support if outcome in outcomes and day <= as_of]
        elif rule.kind == "poverty_certificate":
            facts.poverty_category_ids = [
                c for c, first, last in hh.poverty if first <= as_of and (last is None or last >= as_of)
            ]
    return evaluate(ref.rules_on(as_of), facts)


class RegistryGenerator:
    def __init__(self, seed: int, ref: RegistryReference, projects: list[Project]) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
        self.ref = ref
        self.projects = projects
        self.by_tenure: dict[str, list[Project]] = {}
        for p in projects:
            self.by_tenure.setdefault(TENURE_OF[p.kind], []).append(p)
        self.tenure = Picker([(t, {"buy": 55, "lease_purchase": 20, "rent": 25}[t]) for t in self.by_tenure])

    def application(self, hh: Household, rows: dict[str, list[Row]]) -> ApplicationFacts:  # noqa: PLR0912, PLR0915
        rng = self.rng
        tenure = self.tenure(rng)
        project = rng.choice(self.by_tenure[tenure])
        clause = GROUP(rng)
        if hh.poverty and rng.random() < 0.7:
            clause = 4
        elif tenure == "rent" and hh.head_birth_year > 2000 and rng.random() < 0.3:
            clause = 11
        marital = "married" if hh.spouse_id else ("single_with_child" if hh.minor_child else "single")
        income = int(rng.lognormvariate(0, 0.3) * INCOME_MEDIAN[marital]) // 100_000 * 100_000
        roll = rng.random()
        owns = None if roll < 0.02 else roll < 0.17
        area = occupants = None
        if owns:
            occupants = 1 + len(hh.member_ids) + (hh.spouse_id is not None)
            area = Decimal(rng.randint(60, 400)) / 10 * occupants
        far = bool(owns) and rng.random() < 0.2
        official = (rng.random() < 0.03) if clause in (7, 8) else None
        disabled = rng.random() < 0.02
        members = [m for m in hh.member_ids if rng.random() < 0.5]
        last_day = min(project.closes, TODAY)
        created_on = between(rng, project.opens, last_day)
        created = local_at(created_on, rng.randint(8, 16), rng.randint(0, 59))
        a_id = uuid7_at(rng, created)
        status, path = "draft", APPLICATION_PATH(rng)
        version = 1
        submitted = assessed = allocated = withdrawn = None
        reason: str | None = None
        trace: list[dict[str, Any]] | None = None
        evidence_rows: list[ApplicationEvidence] = []
        day = created_on
        forms = [("05", f"Công an cấp xã (mã {hh.commune})")]
        forms.append(("03", "Văn phòng đăng ký đất đai Hải Phòng") if owns else ("02", "UBND cấp xã"))
        if clause == 4 and rng.random() < 0.5:
            forms.append(("poverty_certificate", "UBND cấp xã"))
        if disabled:
            forms.append(("disability_certificate", "UBND cấp xã"))
        for form, issuer in forms:
            if rng.random() < 0.04:
                continue  # a document not handed in yet
            e_id = uuid7_at(rng, created + timedelta(minutes=5))
            issued = created_on - timedelta(days=rng.randint(3, 30))
            evidence_rows.append(ApplicationEvidence(id=e_id, form=form))
            rows["application_evidence"].append(
                (e_id, a_id, hh.head_id, form, FORM_VERSION, issuer, issued,
                 f"{rng.randint(1, 9999)}/XN" if rng.random() < 0.6 else None, PROVINCE, hh.commune,
                 hh.legacy, created + timedelta(minutes=5), created + timedelta(minutes=5))
            )  # fmt: skip
        app = Application(
            id=a_id, tenure=tenure, marital_status=marital, monthly_income_vnd=income,
            owns_house_in_province=owns, house_floor_area_m2=area, house_occupants=occupants,
            applicant_disabled=disabled, lives_in_official_housing=official, house_far_from_work=far,
        )  # fmt: skip
        if path not in ("draft", "withdrawn_draft"):
            day = submitted = min(last_day, day + timedelta(days=rng.randint(0, 20)))
            status, version = "submitted", version + 1
        if path == "assessed" and submitted is not None:
            on = submitted + timedelta(days=rng.randint(7, 45))
            facts = ApplicationFacts(a_id, status, tenure, version, day, app, clause, evidence_rows, hh)
            result = trace_for(self.ref, facts, submitted)
            if on <= TODAY and verdict(result) in (PASS, FAIL):  # undecidable ones stay submitted
                trace, assessed, day = result, on, on
                status, version = ("eligible" if verdict(result) == PASS else "ineligible"), version + 1
                if status == "eligible" and rng.random() < 0.45:
                    on = day + timedelta(days=rng.randint(10, 60))
                    if on <= TODAY:
                        status, allocated, day, version = "allocated", on, on, version + 1
                elif status == "eligible" and rng.random() < 0.05:
                    path = "withdrawn_eligible"
        if path.startswith("withdrawn") and status in ("draft", "submitted", "eligible"):
            on = day + timedelta(days=rng.randint(1, 30))
            if on <= TODAY:
                status, withdrawn, day, version = "withdrawn", on, on, version + 1
                reason = "Người nộp đơn xin rút hồ sơ"
        updated = local_at(day, 15) if day > created_on else created
        rows["application"].append(
            (a_id, project.id, tenure, status, hh.head_id, hh.spouse_id, members, self.ref.groups[clause],
             marital, income, owns, area, occupants, disabled, False, official, far, submitted, assessed,
             allocated, withdrawn, reason,
             json.dumps(trace, ensure_ascii=False) if trace is not None else None, None, PROVINCE, hh.commune,
             hh.legacy, version, created, updated)
        )  # fmt: skip
        app.status = status
        return ApplicationFacts(a_id, status, tenure, version, day, app, clause, evidence_rows, hh)


# ------------------------------------------------------------------------------------- funding


class LoanEv(NamedTuple):
    """One bank event (funding-api's `EventLike`)."""

    event_type: str
    bank_sequence: int
    occurred_at: datetime
    amount_vnd: int | None
    rate_bp: int | None


@dataclass
class FundingReference:
    rates: list[tuple[date, date | None, int, uuid.UUID, str]]  # valid_from, valid_to, bp, id, basis
    caps: dict[str, list[tuple[date, date | None, str, int, int | None, uuid.UUID, str]]]

    def rate_on(self, day: date) -> tuple[date, date | None, int, uuid.UUID, str] | None:
        return next((r for r in self.rates if r[0] <= day and (r[1] is None or r[1] >= day)), None)

    def cap_on(
        self, purpose: str, day: date
    ) -> tuple[date, date | None, str, int, int | None, uuid.UUID, str] | None:
        return next(
            (c for c in self.caps.get(purpose, []) if c[0] <= day and (c[1] is None or c[1] >= day)), None
        )


async def funding_reference(conn: asyncpg.Connection) -> FundingReference:
    rates = [
        (r["valid_from"], r["valid_to"], r["rate_bp"], r["id"], r["legal_basis"])
        for r in await conn.fetch("SELECT * FROM loan_rate ORDER BY valid_from")
    ]
    caps: dict[str, list[tuple[date, date | None, str, int, int | None, uuid.UUID, str]]] = {}
    for r in await conn.fetch("SELECT * FROM loan_cap ORDER BY purpose, valid_from"):
        caps.setdefault(r["purpose"], []).append(
            (r["valid_from"], r["valid_to"], r["basis"], r["percent_of_basis"], r["max_amount_vnd"], r["id"],
             r["legal_basis"])
        )  # fmt: skip
    if not rates or not caps:
        raise RuntimeError("no loan rates or caps: seed funding-api first")
    return FundingReference(rates, caps)


@dataclass
class Borrower:
    household: Household | None  # None: a citizen the registry does not know
    citizen_id: str
    commune: str
    application: ApplicationFacts | None = None


LOAN_PURPOSE = Picker([("build_or_repair", 50), ("buy", 38), ("lease_purchase", 12)])
OFFICERS = [str(uuid.UUID(int=0x0B0E_0000_0000_4000_8000_0000_0000_0000 + n)) for n in range(12)]
INSPECTORS = [str(uuid.UUID(int=0x1A5E_0000_0000_4000_8000_0000_0000_0000 + n)) for n in range(40)]


class FundingGenerator:
    def __init__(self, seed: int, ref: FundingReference, registry: RegistryReference) -> None:
        self.rng = random.Random(seed)  # noqa: S311
        self.ref = ref
        self.registry = registry
        self.cipher = PiiCipher(encryption_secret=PII_ENCRYPTION_KEY, blind_index_secret=PII_BLIND_INDEX_KEY)
        self.refs = 0

    def events(self, purpose: str, basis: int, start: date) -> list[LoanEv]:  # noqa: PLR0912, PLR0915
        """The bank's events of one loan from its application day to TODAY."""
        rng = self.rng
        out_: list[LoanEv] = []

        def add(kind: str, day: date, amount: int | None, rate: int | None = None) -> None:
            out_.append(LoanEv(kind, len(out_) + 1, local_at(day, 10, rng.randint(0, 59)), amount, rate))

        add("application_received", start, None)
        day = start + timedelta(days=rng.randint(7, 30))
        if day > TODAY:
            return out_
        if rng.random() < 0.03:
            add("rejected", day, None)
            return out_
        share = rng.randint(50, 80) if purpose != "build_or_repair" else rng.randint(40, 70)
        if rng.random() < 0.01:
            share = rng.randint(82, 90)  # above the cap: the exception queue gets it
        approved = basis * share // 100 // 1_000_000 * 1_000_000
        add("approved", day, approved)
        day += timedelta(days=rng.randint(7, 30))
        if day > TODAY or rng.random() < 0.02:
            return out_
        tranches = (
            [approved]
            if purpose != "build_or_repair"
            else [approved * 6 // 10, approved - approved * 6 // 10]
        )
        disbursed = 0
        for i, amount in enumerate(tranches):
            if i:
                day += timedelta(days=rng.randint(60, 120))
                if day > TODAY:
                    break
            rate = self.ref.rate_on(day)
            bp = rate[2] if rate else None
            if bp is not None and rng.random() < 0.003:
                bp = 480 if bp != 480 else 540  # the bank's system on an old rate
            add("disbursed", day, amount, bp)
            disbursed += amount
        years = rng.randint(15, 25) if purpose != "build_or_repair" else rng.randint(5, 10)
        quarterly = max(1_000_000, approved // (years * 4) // 100_000 * 100_000)
        repaid = 0
        settle = rng.random() < 0.04
        overdue = rng.random() < 0.05
        paid_quarters = 0
        while True:
            day += timedelta(days=91)
            if day > TODAY:
                break
            if overdue and paid_quarters >= 2:
                add("overdue", day, min(quarterly * rng.randint(1, 3), disbursed - repaid))
                break
            if settle and paid_quarters >= 4:
                add("repayment", day, disbursed - repaid)
                add("settled", day, None)
                break
            amount = min(quarterly, disbursed - repaid)
            if amount <= 0:
                add("settled", day, None)
                break
            add("repayment", day, amount)
            repaid += amount
            paid_quarters += 1
        return out_

    def confirmation(
        self, borrower: Borrower, bidx: str, as_of: date, rows: dict[str, list[Row]]
    ) -> tuple[uuid.UUID, bool, list[dict[str, Any]]]:
        """`ApplicationService.confirm` for purpose `loan`, as registry-api answers funding-api."""
        hh = borrower.household
        app = borrower.application
        application_id: uuid.UUID | None = None
        reasons: list[dict[str, Any]]
        if hh is None:
            reasons = [{"reason": "person_unknown", "outcome": FAIL}]
        elif (
            app is None or app.tenure not in ("buy", "lease_purchase") or app.status in ("draft", "withdrawn")
        ):
            reasons = [{"reason": "no_submitted_application", "outcome": FAIL}]
        else:
            application_id = app.id
            reasons = [
                {k: e[k] for k in ("rule_code", "kind", "legal_basis", "outcome", "reason")}
                for e in trace_for(self.registry, app, as_of)
            ]
            if app.status == "ineligible":
                reasons.append({"reason": "application_ineligible", "outcome": FAIL})
        eligible = application_id is not None and all(r["outcome"] not in (FAIL, UNKNOWN) for r in reasons)
        inputs = {
            "citizen_bidx": bidx,
            "purpose": "loan",
            "as_of": as_of.isoformat(),
            "application": [str(app.id), app.version] if application_id is not None and app else None,
            "rules": sorted(r.get("rule_code", "") for r in reasons),
        }
        at = local_at(as_of, 10, self.rng.randint(0, 59))
        c_id = uuid7_at(self.rng, at)
        rows["eligibility_confirmation"].append(
            (c_id, "loan", hh.head_id if hh else None, application_id, as_of, eligible,
             json.dumps(reasons, ensure_ascii=False),
             hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest(), FUNDING_CLIENT,
             PROVINCE if hh else None, hh.commune if hh else None, at, at)
        )  # fmt: skip
        return c_id, eligible, reasons

    def exception(
        self,
        loan: tuple[uuid.UUID, str, str],
        reason: str,
        key: str,
        evidence: dict[str, Any],
        raised: datetime,
        rows: dict[str, list[Row]],
    ) -> None:
        """`LoanService.raise_exception`, then worked by a finance officer unless it is recent."""
        rng = self.rng
        loan_id, ref, commune = loan
        status, note, closed_by, closed_at, version = "open", None, None, None, 1
        if raised.date() < TODAY - timedelta(days=60) and rng.random() < 0.9:
            status = "resolved" if rng.random() < 0.7 else "dismissed"
            note = (
                "Đã đối chiếu với Ngân hàng CSXH, điều chỉnh hồ sơ."
                if status == "resolved"
                else "Khoản vay giải ngân trước khi có cơ sở dữ liệu; không xử lý."
            )
            closed_by, version = rng.choice(OFFICERS), 2
            closed_at = raised + timedelta(days=rng.randint(2, 50), hours=rng.randint(0, 8))
        rows["loan_exception"].append(
            (uuid7_at(rng, raised), loan_id, reason, key, status, PROVINCE, commune,
             json.dumps(json_safe({"loan_ref": ref, **evidence}), ensure_ascii=False), note, closed_by,
             closed_at, version, raised, closed_at or raised)
        )  # fmt: skip

    def loan(self, borrower: Borrower, rows: dict[str, list[Row]]) -> None:
        rng = self.rng
        app = borrower.application
        if app is not None:
            purpose = app.tenure
            start = min(TODAY, app.decided_on + timedelta(days=rng.randint(5, 40)))
        else:
            purpose = LOAN_PURPOSE(rng)
            # VBSP's social-housing lending since 2021, growing from 2024.
            start = date(2021, 1, 4) + timedelta(
                days=int((TODAY - date(2021, 1, 4)).days * rng.random() ** 0.6)
            )
        basis = (
            rng.randint(60, 150) * 10_000_000
            if purpose != "build_or_repair"
            else rng.randint(10, 80) * 10_000_000
        )
        events = self.events(purpose, basis, start)
        state = derive(events)
        self.refs += 1
        ref = f"HP-NOXH-{start.year}-{self.refs:07d}"
        received_from = local_at(MIRROR_FROM, 9)
        first_received = max(events[0].occurred_at + timedelta(minutes=3), received_from)
        l_id = uuid7_at(rng, first_received)
        contract = basis if purpose != "build_or_repair" else None
        estimate = basis if purpose == "build_or_repair" else None
        last_received = first_received
        for ev in events:
            received = max(
                ev.occurred_at + timedelta(minutes=3), received_from + timedelta(seconds=ev.bank_sequence)
            )
            last_received = max(last_received, received)
            rows["loan_event"].append(
                (uuid7_at(rng, received), l_id, f"{ref}-E{ev.bank_sequence}", ev.bank_sequence,
                 ev.occurred_at, ev.event_type, ev.amount_vnd, ev.rate_bp, purpose, contract, estimate,
                 received, BANK)
            )  # fmt: skip
        rate = self.ref.rate_on(state.first_disbursed_on) if state.first_disbursed_on else None
        # The borrower's eligibility, asked of registry-api when the loan first arrived.
        bidx = self.cipher.blind_index(borrower.citizen_id, purpose=CITIZEN_ID_PURPOSE)
        as_of = first_received.astimezone(VIETNAM).date()
        c_id, eligible, reasons = self.confirmation(borrower, bidx, as_of, rows)
        checked = local_at(as_of, 10, 30)
        status = (
            "confirmed" if eligible else ("unknown_borrower" if borrower.household is None else "ineligible")
        )
        rows["loan"].append(
            (l_id, ref, PROVINCE, borrower.commune,
             self.cipher.encrypt(borrower.citizen_id, context=CITIZEN_ID_CONTEXT), bidx,
             mask(borrower.citizen_id) or "", purpose, contract, estimate, state.status.value,
             state.approved_amount_vnd, state.disbursed_vnd, state.repaid_vnd, state.outstanding_vnd,
             state.overdue_vnd, rate[2] if rate else None, state.first_disbursed_on, state.events,
             state.last_sequence, status, c_id, checked, 1 + state.events, first_received, last_received)
        )  # fmt: skip
        # The service's checks, in its order: caps on approval and disbursement, rates, eligibility.
        loan = (l_id, ref, borrower.commune)
        for what, amount, day in (
            ("approved", state.approved_amount_vnd, state.approved_on),
            ("disbursed", state.disbursed_vnd, state.first_disbursed_on),
        ):
            cap = self.ref.cap_on(purpose, day) if amount and day else None
            if cap is None or amount is None or day is None:
                continue
            cap_basis = estimate if cap[2] == "estimate" else contract
            if cap_basis is None:
                continue
            limit = cap_limit(cap_basis, cap[3], cap[4])
            if amount > limit:
                self.exception(
                    loan, "cap_exceeded", f"cap_exceeded:{what}",
                    {"what": what, "amount_vnd": amount, "limit_vnd": limit, "basis": cap[2],
                     "basis_vnd": cap_basis, "percent_of_basis": cap[3], "max_amount_vnd": cap[4], "on": day,
                     "cap_id": cap[5], "legal_basis": cap[6]},
                    max(local_at(day, 11), first_received), rows,
                )  # fmt: skip
        for ev in events:
            table = self.ref.rate_on(ev.occurred_at.astimezone(VIETNAM).date()) if ev.rate_bp else None
            if table is not None and table[2] != ev.rate_bp:
                bank_event_id = f"{ref}-E{ev.bank_sequence}"
                self.exception(
                    loan, "rate_mismatch", f"rate_mismatch:{bank_event_id}",
                    {"event_id": bank_event_id, "bank_event_id": bank_event_id, "bank_rate_bp": ev.rate_bp,
                     "table_rate_bp": table[2], "on": ev.occurred_at.astimezone(VIETNAM).date(),
                     "rate_id": table[3], "legal_basis": table[4]},
                    max(ev.occurred_at, first_received) + timedelta(minutes=4), rows,
                )  # fmt: skip
        if not eligible:
            failing = [
                str(r.get("rule_code") or r.get("reason") or "")
                for r in reasons
                if r["outcome"] in (FAIL, UNKNOWN)
            ]
            reason = "unknown_borrower" if borrower.household is None else "ineligible_borrower"
            self.exception(
                loan, reason, reason, {"confirmation_id": c_id, "as_of": as_of, "failing": failing},
                checked + timedelta(seconds=1), rows,
            )  # fmt: skip


# ------------------------------------------------------------------------------------- inspection


@dataclass
class InspectionReference:
    checklists: dict[str, tuple[uuid.UUID, list[str]]]  # case kind -> (version id, item keys)
    violations: dict[
        str, tuple[uuid.UUID, int, int, bool, str | None]
    ]  # code -> (id, min, max, draft, remedy)
    violations_from: date


async def inspection_reference(conn: asyncpg.Connection) -> InspectionReference:
    checklists: dict[str, tuple[uuid.UUID, list[str]]] = {}
    for r in await conn.fetch(
        "SELECT t.kind, v.id, v.items::text AS items FROM checklist_template t "
        "JOIN checklist_template_version v ON v.template_id = t.id ORDER BY t.kind, v.number"
    ):
        checklists[r["kind"]] = (r["id"], [str(i["key"]) for i in json.loads(r["items"])])
    violations = {
        r["code"]: (r["id"], r["fine_min_vnd"], r["fine_max_vnd"], r["is_draft"], r["remedy"])
        for r in await conn.fetch("SELECT * FROM violation_type WHERE valid_to IS NULL ORDER BY code")
    }
    start = await conn.fetchval("SELECT max(valid_from) FROM violation_type WHERE valid_to IS NULL")
    if not checklists or not violations:
        raise RuntimeError("no checklists or violation catalogue: seed inspection-api first")
    return InspectionReference(checklists, violations, start)


# The catalogue entry a non-compliant checklist item is a violation of.
VIOLATION_OF = {
    "land_fund": "land_fund.not_reserved",
    "buyers.eligible": "social_housing.sold_to_ineligible",
    "buyers.supported_once": "social_housing.sold_to_ineligible",
    "homes.used_for_living": "social_housing.not_used_for_living",
    "homes.no_resale_within_lock": "social_housing.resale_against_rules",
    "investor.advance_payments_lawful": "social_housing.advance_payment_wrongly_collected",
}
CASE_PATH = Picker(
    [("planned", 8), ("assigned", 8), ("in_progress", 14), ("concluded", 8), ("sanctioned", 4),
     ("follow_up", 4), ("closed", 50), ("cancelled", 4)]
)  # fmt: skip
FINDING_OUTCOME = Picker(
    [("compliant", 70), ("non_compliant", 14), ("observation", 10), ("not_applicable", 6)]
)


class InspectionGenerator:
    def __init__(
        self, seed: int, ref: InspectionReference, subjects: list[tuple[str, str, str | None]]
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311
        self.ref = ref
        self.subjects = subjects  # (subject, commune, legacy)
        self.items: list[tuple[uuid.UUID, str, str, str | None]] = []  # plan items: id, kind, commune, legacy
        self.sanctions = 0

    def plans(self, rows: dict[str, list[Row]], count: int) -> None:
        """Yearly plans (2025 and 2026, checks and inspections) with items for about a third of cases."""
        rng = self.rng
        for year in (2025, 2026):
            for kind, title, number in (
                ("construction_check", "Kế hoạch kiểm tra năm {y} của Sở Xây dựng", "{n}/KH-SXD"),
                (
                    "inspectorate_inspection",
                    "Kế hoạch thanh tra năm {y} của Thanh tra thành phố",
                    "{n}/KH-TTr",
                ),
            ):
                decided = date(year, 1, rng.randint(10, 25))
                at = local_at(decided - timedelta(days=40), 9)
                plan_id = uuid7_at(rng, at)
                rows["inspection_plan"].append(
                    (plan_id, PROVINCE, year, kind, title.format(y=year), number.format(n=rng.randint(1, 40)),
                     decided, 1, at, at)
                )  # fmt: skip
                for _ in range(max(1, count // 12)):
                    subject, commune, legacy = rng.choice(self.subjects)
                    i_id = uuid7_at(rng, at + timedelta(minutes=1))
                    rows["inspection_plan_item"].append(
                        (
                            i_id,
                            plan_id,
                            subject,
                            None,
                            rng.randint(1, 12),
                            PROVINCE,
                            commune,
                            legacy,
                            1,
                            at,
                            at,
                        )
                    )
                    self.items.append((i_id, kind, commune, legacy))

    def case(self, rows: dict[str, list[Row]], parent: Row | None = None) -> None:  # noqa: PLR0912, PLR0915
        rng = self.rng
        ref = self.ref
        path = CASE_PATH(rng) if parent is None else rng.choice(["planned", "closed"])
        plan_item = None
        if parent is not None:
            kind, subject, commune, legacy = parent[1], parent[4], parent[20], parent[21]
            title = f"Tái kiểm tra: {parent[3]}"[:300]
        elif self.items and rng.random() < 0.35:
            plan_item, kind, commune, legacy = rng.choice(self.items)
            subject = rng.choice(self.subjects)[0]
            title = ("Kiểm tra " if kind == "construction_check" else "Thanh tra ") + subject
        else:
            kind = "construction_check" if rng.random() < 0.7 else "inspectorate_inspection"
            subject, commune, legacy = rng.choice(self.subjects)
            title = ("Kiểm tra " if kind == "construction_check" else "Thanh tra ") + subject
        opened_on = (
            parent[16] + timedelta(days=rng.randint(3, 20))
            if parent is not None and parent[16] is not None
            else between(rng, ref.violations_from, TODAY - timedelta(days=20))
        )
        opened_on = min(opened_on, TODAY)
        created = local_at(opened_on, rng.randint(8, 16), rng.randint(0, 59))
        c_id = uuid7_at(rng, created)
        due = opened_on + timedelta(days=rng.randint(30, 120))
        status, version, updated = "planned", 1, created
        inspector = assigned_at = checklist = started_at = conclusion = concluded = closed_at = note = None
        day = opened_on
        order = ["planned", "assigned", "in_progress", "concluded", "sanctioned", "follow_up", "closed"]
        target = {"cancelled": "closed"}.get(path, path)
        findings: list[tuple[uuid.UUID, str, str]] = []
        violations: list[tuple[uuid.UUID, date, str]] = []
        worked = path not in ("planned", "assigned", "cancelled")
        if path != "planned" and not (path == "cancelled" and rng.random() < 0.5):
            day += timedelta(days=rng.randint(1, 15))
            inspector, assigned_at, status, version = rng.choice(INSPECTORS), local_at(day, 9), "assigned", 2
        if worked and day < TODAY:
            day = min(TODAY, day + timedelta(days=rng.randint(3, 20)))
            checklist, keys = ref.checklists[kind]
            started_at, status, version = local_at(day, 8, 30), "in_progress", version + 1
            for key in rng.sample(keys, rng.randint(1, min(4, len(keys)))):
                outcome = FINDING_OUTCOME(rng)
                f_id = uuid7_at(rng, started_at + timedelta(hours=2))
                findings.append((f_id, key, outcome))
                rows["inspection_finding"].append(
                    (f_id, c_id, key, outcome,
                     None if outcome == "compliant" else "Ghi nhận tại hiện trường.", inspector, PROVINCE,
                     commune, legacy, 1, started_at + timedelta(hours=2), started_at + timedelta(hours=2))
                )  # fmt: skip
            if order.index(target) >= order.index("concluded") and day < TODAY:
                for f_id, key, outcome in findings:
                    if outcome != "non_compliant":
                        continue
                    code = VIOLATION_OF.get(key, VIOLATION_OF.get(key.split(".")[0], ""))
                    v_id = uuid7_at(rng, started_at + timedelta(hours=3))
                    violations.append((v_id, day, code))
                    rows["case_violation"].append(
                        (v_id, c_id, ref.violations[code][0], f_id, day,
                         "Vi phạm ghi nhận khi kiểm tra: " + key, inspector, PROVINCE, commune, legacy, 1,
                         started_at + timedelta(hours=3), started_at + timedelta(hours=3))
                    )  # fmt: skip
                day = min(TODAY, day + timedelta(days=rng.randint(2, 25)))
                concluded, status, version = day, "concluded", version + 1
                conclusion = (
                    "Phát hiện vi phạm, đề nghị xử phạt." if violations else "Không phát hiện vi phạm."
                )
        sanctioned = status == "concluded" and violations and target in ("sanctioned", "follow_up", "closed")
        if sanctioned:
            for v_id, _, code in violations:
                _, fine_min, fine_max, draft, remedy = ref.violations[code]
                decided = min(TODAY, day + timedelta(days=rng.randint(1, 20)))
                self.sanctions += 1
                at = local_at(decided, 14)
                rows["sanction_decision"].append(
                    (uuid7_at(rng, at), c_id, v_id, f"{self.sanctions}/QĐ-XPHC", decided,
                     rng.randint(fine_min // 1_000_000, fine_max // 1_000_000) * 1_000_000, draft, remedy,
                     decided + timedelta(days=rng.randint(30, 180)), rng.choice(OFFICERS), PROVINCE, commune,
                     legacy, 1, at, at)
                )  # fmt: skip
                day, status, version = max(day, decided), "sanctioned", version + 1
        recheck = target == "follow_up" and status in ("concluded", "sanctioned")
        if recheck:
            status, version = "follow_up", version + 1
        elif target == "closed" and status in ("concluded", "sanctioned", "planned", "assigned"):
            unsanctioned = status == "concluded" and violations
            if not unsanctioned and (status in ("concluded", "sanctioned") or path == "cancelled"):
                day = min(TODAY, day + timedelta(days=rng.randint(1, 20)))
                closed_at, status, version = local_at(day, 16), "closed", version + 1
                note = "Huỷ: trùng với cuộc kiểm tra khác." if path == "cancelled" else None
        if version > 1:
            updated = local_at(day, 17)
        row = (
            c_id, kind, status, title[:300], subject[:300], parent[15] if parent is not None else None,
            rng.choice(OFFICERS), plan_item, parent[0] if parent is not None else None, None, due, inspector,
            assigned_at, checklist, started_at, conclusion, concluded, closed_at, note, PROVINCE, commune,
            legacy, version, created, updated,
        )  # fmt: skip
        rows["inspection_case"].append(row)
        if recheck:
            self.case(rows, parent=row)


# ------------------------------------------------------------------------------------- the build


@dataclass
class MoreReport:
    households: int
    rows: dict[str, int] = field(default_factory=dict)
    databases: dict[str, str] = field(default_factory=dict)
    seconds_migrate: float = 0.0  # creating, migrating and seeding the two service databases
    seconds_sample: float = 0.0  # reading the households that apply and borrow
    seconds_generate_and_copy: float = 0.0
    seconds_indexes: float = 0.0
    seconds_vacuum: float = 0.0


Tables = dict[str, list[Row]]


async def copy_rows(
    conns: dict[str, asyncpg.Connection], home: dict[str, str], rows: Tables, counts: dict[str, int]
) -> None:
    for table, records in rows.items():
        if records:
            await conns[home[table]].copy_records_to_table(table, records=records, columns=COLUMNS[table])
            counts[table] = counts.get(table, 0) + len(records)


async def pipeline(
    conns: dict[str, asyncpg.Connection],
    home: dict[str, str],
    make: Callable[[int], Tables],
    chunks: int,
    counts: dict[str, int],
) -> None:
    """Generate chunk i+1 in a worker thread while chunk i is copied (as `bench.province.generate`)."""
    loop = asyncio.get_running_loop()
    pending = loop.run_in_executor(None, make, 0) if chunks else None
    for i in range(chunks):
        assert pending is not None
        rows = await pending
        pending = loop.run_in_executor(None, make, i + 1) if i + 1 < chunks else None
        await copy_rows(conns, home, rows, counts)


async def build_more(  # noqa: PLR0915 (the build, in order)
    admin_url: str, registry_database: str, *, households: int, seed: int
) -> MoreReport:
    """Add applications to the province in `registry_database` (built by `bench.province` with the same
    `households`), and create `<registry_database>_funding` and `_inspection` with its loans and cases."""
    report = MoreReport(households=households)
    started = time.perf_counter()
    funding_db, inspection_db = f"{registry_database}_funding", f"{registry_database}_inspection"
    urls = {
        "registry": with_database(admin_url, registry_database),
        "funding": await migrated_database(admin_url, funding_db, "funding-api"),
        "inspection": await migrated_database(admin_url, inspection_db, "inspection-api"),
    }
    report.databases = {k: v.rsplit("/", 1)[1] for k, v in urls.items()}
    migrated = time.perf_counter()
    report.seconds_migrate = round(migrated - started, 1)
    n_apps, n_loans, n_cases = (scaled(households, t) for t in ("application", "loan", "inspection_case"))
    conns = {k: await asyncpg.connect(u) for k, u in urls.items()}
    home = {t: db for db, tables in (
        ("registry", (*REGISTRY_TABLES, "housing_project", "housing_project_units")),
        ("funding", FUNDING_TABLES),
        ("inspection", (*INSPECTION_TABLES, "inspection_plan", "inspection_plan_item")),
    ) for t in tables}  # fmt: skip
    counts: dict[str, int] = {}
    try:
        reg = conns["registry"]
        if await reg.fetchval("SELECT count(*) FROM application") or await reg.fetchval(
            "SELECT count(*) FROM housing_project"
        ):
            raise RuntimeError(f"{registry_database} already has projects or applications")
        rng = random.Random(seed + 7)  # noqa: S311
        # Applicants first, then borrowers unknown to any application: one sample, one order.
        sampled = await sample_households(reg, seed, n_apps + n_loans)
        applicants, others = sampled[:n_apps], sampled[n_apps:]
        report.seconds_sample = round(time.perf_counter() - migrated, 1)
        copied_from = time.perf_counter()
        registry_ref = await registry_reference(reg)
        communes = sorted(
            {(h.commune, h.legacy) for h in sampled if h.urban} or {(h.commune, h.legacy) for h in sampled}
        )
        if not communes:
            communes = [(r["code"], None) for r in await reg.fetch(
                "SELECT code FROM admin_unit WHERE scheme = '2025' AND level = 'commune' "
                "AND parent_code = $1 ORDER BY code", PROVINCE)]  # fmt: skip
        projects, project_rows = make_projects(rng, max(4, n_apps // 1_500), communes)
        await copy_rows(conns, home, project_rows, counts)
        deferred = {
            "registry": await drop_for_load(reg, REGISTRY_TABLES),
            "funding": await drop_for_load(conns["funding"], FUNDING_TABLES),
            "inspection": await drop_for_load(conns["inspection"], INSPECTION_TABLES),
        }
        # Applications, in chunks.
        reg_gen = RegistryGenerator(seed + 11, registry_ref, projects)
        decided: list[ApplicationFacts] = []

        def make_applications(i: int) -> Tables:
            rows: Tables = {"application": [], "application_evidence": []}
            for hh in applicants[i * CHUNK : (i + 1) * CHUNK]:
                facts = reg_gen.application(hh, rows)
                decided.append(facts)
            return rows

        await pipeline(conns, home, make_applications, -(-len(applicants) // CHUNK), counts)
        # Borrowers: most holders of an eligible or allocated ownership application take a loan; the
        # rest are the bank's other borrowers (1.5 % unknown to the registry).
        borrowers = [
            Borrower(a.household, a.household.head_citizen_id, a.household.commune, a)
            for a in decided
            if a.status in ("eligible", "allocated") and a.tenure != "rent" and rng.random() < 0.8
        ][:n_loans]
        unknown_serial = 0
        for hh in others[: n_loans - len(borrowers)]:
            if rng.random() < 0.015:
                unknown_serial += 1  # a birth-registration code the generator never gives (037: Ninh Bình)
                number = f"0370{rng.randint(60, 99)}{(unknown_serial * 7919) % 1_000_000:06d}"
                borrowers.append(Borrower(None, number, hh.commune))
            else:
                borrowers.append(Borrower(hh, hh.head_citizen_id, hh.commune))
        funding_gen = FundingGenerator(seed + 13, await funding_reference(conns["funding"]), registry_ref)

        def make_loans(i: int) -> Tables:
            rows: Tables = {
                "loan": [],
                "loan_event": [],
                "loan_exception": [],
                "eligibility_confirmation": [],
            }
            for borrower in borrowers[i * CHUNK : (i + 1) * CHUNK]:
                funding_gen.loan(borrower, rows)
            return rows

        await pipeline(conns, home, make_loans, -(-len(borrowers) // CHUNK), counts)
        # Inspection cases: social housing projects (their buyers and tenants) and commercial projects'
        # 20 % land fund.
        subjects = [
            (str(r[1]).removesuffix(" (bench)"), r[16], r[17]) for r in project_rows["housing_project"]
        ]
        subjects += [
            (f"Khu đô thị thương mại {rng.choice(PROJECT_WORDS)} {n + 1} — quỹ đất 20%", c, lg)
            for n, (c, lg) in enumerate(rng.choices(communes, k=max(4, n_cases // 200)))
        ]
        insp_gen = InspectionGenerator(seed + 17, await inspection_reference(conns["inspection"]), subjects)
        plan_rows: Tables = {"inspection_plan": [], "inspection_plan_item": []}
        insp_gen.plans(plan_rows, n_cases)
        await copy_rows(conns, home, plan_rows, counts)
        made = 0

        def make_cases(i: int) -> Tables:
            nonlocal made
            rows: Tables = {t: [] for t in INSPECTION_TABLES}
            while made < min(n_cases, (i + 1) * CHUNK):
                before = len(rows["inspection_case"])
                insp_gen.case(rows)
                made += len(rows["inspection_case"]) - before
            return rows

        await pipeline(conns, home, make_cases, -(-n_cases // CHUNK), counts)
        # A checklist version is frozen from the first case that uses it.
        await conns["inspection"].execute(
            "UPDATE checklist_template_version v SET first_used_at = u.first FROM (SELECT "
            "checklist_version_id, min(started_at) AS first FROM inspection_case GROUP BY 1) u "
            "WHERE u.checklist_version_id = v.id AND v.first_used_at IS NULL"
        )
        copied = time.perf_counter()
        for db in ("registry", "funding", "inspection"):
            await rebuild(conns[db], deferred[db])
        indexed = time.perf_counter()
        for table, db in home.items():
            await conns[db].execute(f'VACUUM (ANALYZE) "{table}"')
        vacuumed = time.perf_counter()
    finally:
        for conn in conns.values():
            await conn.close()
    report.rows = counts
    report.seconds_generate_and_copy = round(copied - copied_from, 1)
    report.seconds_indexes = round(indexed - copied, 1)
    report.seconds_vacuum = round(vacuumed - indexed, 1)
    return report


async def drop_more(admin_url: str, registry_database: str) -> None:
    """Drop the two service databases `build_more` created next to `registry_database`."""
    conn = await asyncpg.connect(admin_url)
    try:
        for suffix in ("_funding", "_inspection"):
            await conn.execute(f'DROP DATABASE IF EXISTS "{registry_database}{suffix}" WITH (FORCE)')
    finally:
        await conn.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, required=True, help="the province's size (scales the rest)")
    parser.add_argument("--seed", type=int, default=20251128)
    parser.add_argument("--database", default="bench_registry", help="the registry database (bench.province)")
    parser.add_argument("--pg-url", default=None, help="a superuser URL; default: the bench cluster")
    args = parser.parse_args(argv)
    admin = args.pg_url
    if admin is None:
        admin = start_bench_server().admin_url
    started = time.perf_counter()
    report = asyncio.run(build_more(admin, args.database, households=args.households, seed=args.seed))
    out(f"{report} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

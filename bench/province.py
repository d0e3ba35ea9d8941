"""A synthetic Hải Phòng: households, persons, memberships, dwellings, assessments, categories and
support cases, generated deterministically from a seed and loaded by COPY into a registry-api database
migrated by Alembic and seeded with its reference data.

    .venv/bin/python -m bench.province --households 20000 [--database bench_registry] [--seed 1]

Rows are what registry-api itself would store: names NFC-normalised (about 5 % of them are generated
in NFD, as phones and macOS send them, and normalised as the API's write models do), `name_folded`
from `registry_api.person.identifiers.fold_name`, citizen IDs / old ID numbers / phones encrypted,
blind-indexed and masked by `registry_api.person.pii.protect` with the same keys the benchmark's
service process gets. Only the AES-GCM nonces are random (as in the service), so ciphertext bytes
differ between runs; every plaintext, id, name and date is the same for the same seed.

Secondary indexes and foreign keys of the loaded tables are dropped before the load and rebuilt after
it (under their migration names), then the tables are vacuumed and analysed.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import functools
import hashlib
import hmac
import os
import random
import time
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bench import names
from bench.common import (
    PII_BLIND_INDEX_KEY,
    PII_ENCRYPTION_KEY,
    migrated_database,
    out,
    start_bench_server,
    with_database,
)
from registry_api.person.identifiers import Gender, century_gender_digit, fold_name
from registry_api.person.pii import CITIZEN_ID_PURPOSE, LEGACY_ID_PURPOSE, PHONE_PURPOSE, protect
from registry_api.person.service import CITIZEN_ID_COLUMN, LEGACY_ID_COLUMN, PHONE_COLUMN
from servicekit.pii import KEY_VERSION, NONCE_BYTES, PiiCipher
from servicekit.schemas import nfc

PROVINCE = "31"
TODAY = date(2025, 11, 20)
REGISTERED_FROM = date(2025, 7, 1)  # the merged province's registry opened on 1/7/2025
CHUNK = 5_000  # households per generated chunk

# Household sizes (persons) and their shares: mean about 3.0 persons per household.
SIZES = [(1, 0.14), (2, 0.245), (3, 0.27), (4, 0.205), (5, 0.09), (6, 0.04), (7, 0.01)]
BIRTH_CODES = [("031", 0.62), ("030", 0.28), ("001", 0.03), ("034", 0.03), ("033", 0.02), ("022", 0.02)]

LOADED_TABLES = (
    "household",
    "person",
    "household_membership",
    "dwelling",
    "dwelling_assessment",
    "beneficiary_category",
    "support_case",
    "support_history",
)


class Picker:
    """Weighted choice through cumulative weights (random.choices is slower per call)."""

    def __init__(self, items: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in items]
        self.cum: list[float] = []
        total = 0.0
        for _, weight in items:
            total += weight
            self.cum.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


FAMILY = Picker(names.FAMILY_NAMES)
MIDDLE = {Gender.MALE: Picker(names.MALE_MIDDLE), Gender.FEMALE: Picker(names.FEMALE_MIDDLE)}
GIVEN = {
    Gender.MALE: Picker(names.zipf(names.MALE_GIVEN)),
    Gender.FEMALE: Picker(names.zipf(names.FEMALE_GIVEN)),
}
SIZE = Picker(SIZES)
BIRTH_CODE = Picker(BIRTH_CODES)


@dataclass
class Reference:
    """Reference rows the generated data points at (from the seeded database)."""

    communes: list[tuple[str, str, str]]  # (code, residence area, legacy commune code or None)
    commune_weights: list[float]
    legacy_codes: dict[str, list[str]]
    poverty_standard_id: uuid.UUID  # the standard for status year 2026
    rule_set_id: uuid.UUID
    rates: dict[tuple[str, str], tuple[uuid.UUID, int, date, date | None]]


async def load_reference(conn: asyncpg.Connection, rng: random.Random) -> Reference:
    rows = await conn.fetch(
        "SELECT code, division_type FROM admin_unit WHERE scheme = '2025' AND level = 'commune' "
        "AND parent_code = $1 ORDER BY code",
        PROVINCE,
    )
    if not rows:
        raise RuntimeError("no communes: seed the reference data first")
    legacy: dict[str, list[str]] = {}
    for r in await conn.fetch(
        "SELECT new_code, legacy_code FROM admin_unit_mapping WHERE legacy_level = 'commune' "
        "AND new_level = 'commune' ORDER BY new_code, legacy_code"
    ):
        legacy.setdefault(r["new_code"], []).append(r["legacy_code"])
    communes = [(r["code"], "urban" if r["division_type"] == "phường" else "rural", "") for r in rows]
    # Wards are denser than rural communes; each unit gets a log-normal size.
    weights = [rng.lognormvariate(0.4 if area == "urban" else 0.0, 0.45) for _, area, _ in communes]
    standard = await conn.fetchval(
        "SELECT id FROM poverty_standard WHERE first_year <= 2026 "
        "AND (last_year IS NULL OR last_year >= 2026)"
    )
    rule_set = await conn.fetchval("SELECT id FROM dwelling_rule_set ORDER BY valid_from DESC LIMIT 1")
    rates = {
        (r["stream"], r["kind"]): (r["id"], r["amount_vnd"], r["valid_from"], r["valid_to"])
        for r in await conn.fetch(
            "SELECT id, stream, kind, amount_vnd, valid_from, valid_to FROM support_rate"
        )
    }
    return Reference(communes, weights, legacy, standard, rule_set, rates)


@dataclass
class Chunk:
    """The rows of one chunk of households, per table, in COPY column order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: {t: [] for t in LOADED_TABLES})
    nfd_inputs: int = 0
    sample: list[tuple[Any, ...]] = field(default_factory=list)


COLUMNS: dict[str, list[str]] = {
    "household": [
        "id", "address", "hamlet", "residence_area", "head_person_id", "closed_on", "province_code",
        "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "person": [
        "id", "household_id", "relationship", "full_name", "name_folded", "date_of_birth", "birth_year",
        "gender", "citizen_id_ciphertext", "citizen_id_bidx", "citizen_id_masked", "legacy_id_ciphertext",
        "legacy_id_bidx", "legacy_id_masked", "phone_ciphertext", "phone_bidx", "phone_masked",
        "province_code", "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "household_membership": [
        "id", "person_id", "household_id", "relationship", "joined_on", "left_on", "reason",
        "province_code", "commune_code", "legacy_area_code", "created_at", "updated_at",
    ],
    "dwelling": [
        "id", "household_id", "since", "ended_on", "built_year", "note", "province_code", "commune_code",
        "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "dwelling_assessment": [
        "id", "dwelling_id", "household_id", "rule_set_id", "assessed_on", "assessor", "floor_area_m2",
        "residents", "foundation_material", "foundation_state", "frame_walls_material", "frame_walls_state",
        "roof_material", "roof_state", "land_status", "classification", "qualifies", "criteria", "note",
        "province_code", "commune_code", "legacy_area_code", "created_at", "updated_at",
    ],
    "beneficiary_category": [
        "id", "household_id", "person_id", "kind", "merit_type", "year", "poverty_standard_id",
        "certificate_number", "certificate_date", "issuer", "valid_from", "valid_to", "note",
        "province_code", "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "support_case": [
        "id", "household_id", "stream", "kind", "status", "support_rate_id", "amount_vnd", "proposed_on",
        "approved_on", "started_on", "completed_on", "accepted_on", "withdrawn_on", "withdrawal_reason",
        "note", "province_code", "commune_code", "legacy_area_code", "version", "created_at", "updated_at",
    ],
    "support_history": [
        "id", "household_id", "source", "support_case_id", "person_ids", "stream", "kind", "amount_vnd",
        "proposed_on", "started_on", "completed_on", "ended_on", "outcome", "province_code", "commune_code",
        "legacy_area_code", "created_at", "updated_at",
    ],
}  # fmt: skip

MERIT_TYPES = [
    ("war_invalid", 30), ("sick_soldier", 12), ("resistance_participant", 25), ("toxic_chemical_victim", 8),
    ("imprisoned_activist", 4), ("revolution_helper", 4), ("heroic_mother", 1), ("hero", 0.5),
]  # fmt: skip
MERIT_TYPE = Picker(MERIT_TYPES)
CASE_STATUS = Picker(
    [
        ("proposed", 8),
        ("approved", 12),
        ("started", 15),
        ("completed", 10),
        ("accepted", 50),
        ("withdrawn", 5),
    ]
)
CLASSIFICATION = Picker([("adequate", 80), ("dilapidated", 12), ("temporary", 8)])
EPOCH = datetime(2025, 7, 1, tzinfo=UTC)
NO_IDENTIFIER: tuple[None, None, None] = (None, None, None)
KEY_VERSION_BYTE = bytes([KEY_VERSION])
UUID7_BITS = (0x7 << 76) | (0b10 << 62)
RAND_B_MASK = (1 << 62) - 1


@functools.lru_cache(maxsize=200_000)
def normalised(name: str) -> str:
    result: str = nfc(name)
    return result


@functools.lru_cache(maxsize=200_000)
def folded(name: str) -> str:
    return fold_name(name)


class FastPii:
    """`registry_api.person.pii.protect`, in bulk: the same derived keys, HMAC and AES-GCM, with the
    nonces drawn from one `os.urandom` call per chunk and the masks sliced. `check()` proves on sample
    values that both give the same blind index, masked form and a ciphertext the service decrypts."""

    def __init__(self) -> None:
        self.cipher = PiiCipher(encryption_secret=PII_ENCRYPTION_KEY, blind_index_secret=PII_BLIND_INDEX_KEY)
        self.aead = AESGCM(hashlib.sha256(b"noxh:encryption:" + PII_ENCRYPTION_KEY.encode()).digest())
        self.index_key = hashlib.sha256(b"noxh:blind-index:" + PII_BLIND_INDEX_KEY.encode()).digest()
        self.nonces = b""
        self.offset = 0

    def refill(self, count: int) -> None:
        self.nonces = os.urandom(NONCE_BYTES * count)
        self.offset = 0

    def protect(self, value: str, purpose: str, column: str) -> tuple[bytes, str, str]:
        """`value` is already in normal form (digits, or +84 and digits)."""
        if self.offset + NONCE_BYTES > len(self.nonces):
            self.refill(4096)
        nonce = self.nonces[self.offset : self.offset + NONCE_BYTES]
        self.offset += NONCE_BYTES
        ciphertext = KEY_VERSION_BYTE + nonce + self.aead.encrypt(nonce, value.encode(), column.encode())
        message = f"{purpose}:{value.replace('+', '')}".encode()  # normalise_identifier, for these values
        bidx = hmac.digest(self.index_key, message, "sha256").hex()
        return ciphertext, bidx, "*" * (len(value) - 3) + value[-3:]

    def check(self) -> None:
        for value, purpose, column in (
            ("031072000123", CITIZEN_ID_PURPOSE, CITIZEN_ID_COLUMN),
            ("031456789", LEGACY_ID_PURPOSE, LEGACY_ID_COLUMN),
            ("+84912345678", PHONE_PURPOSE, PHONE_COLUMN),
        ):
            reference = protect(self.cipher, value, purpose=purpose, column=column)
            ciphertext, bidx, masked = self.protect(value, purpose, column)
            if (bidx, masked) != (reference.bidx, reference.masked) or (
                self.cipher.decrypt(ciphertext, context=column) != value
            ):
                raise RuntimeError("the bulk personal-data path no longer matches registry-api's")


class Generator:
    def __init__(self, seed: int, ref: Reference, households: int, support_cases: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (synthetic data, not secrets)
        self.ref = ref
        self.households = households
        case_share = min(1.0, support_cases / max(households, 1))
        # About 7 % of households have a qualifying assessment (0.96 x 0.36 x 0.2 x 0.93), 80 % of
        # them a case; the others make up the rest of `case_share`.
        qualifying = 0.066
        self.other_case_share = max(0.0, (case_share - 0.8 * qualifying) / (1 - qualifying))
        # About 5,000 persons (3 per household) sampled for the search benchmark, whatever the scale.
        self.sample_share = min(1.0, 5000 / (3 * max(households, 1)))
        self.pii = FastPii()
        self.pii.check()
        self.commune = Picker(list(zip(range(len(ref.communes)), ref.commune_weights, strict=True)))
        self.id_counters: dict[tuple[str, int, int], int] = {}
        self.epoch_ms = self.clock_ms = int(EPOCH.timestamp() * 1000)
        self.house_no = 0

    # ---------------------------------------------------------------------------- small pieces
    def new_id(self) -> tuple[uuid.UUID, datetime]:
        """A UUIDv7 on a synthetic clock (1 ms per row): time-ordered like the service's ids."""
        self.clock_ms += 1
        rand = self.rng.getrandbits(74)
        value = (self.clock_ms << 80) | UUID7_BITS | ((rand >> 62) << 64) | (rand & RAND_B_MASK)
        return uuid.UUID(int=value), EPOCH + timedelta(milliseconds=self.clock_ms - self.epoch_ms)

    def name(self, gender: Gender, family: str) -> str:
        rng = self.rng
        parts = [family, MIDDLE[gender](rng)]
        if rng.random() < 0.12:
            second = rng.choice(names.SECOND_MIDDLE)
            if second != parts[1]:
                parts.append(second)
        given = GIVEN[gender](rng)
        if given in names.NEW_STYLE and rng.random() < 0.4:
            given = names.NEW_STYLE[given]
        parts.append(given)
        return " ".join(parts)

    def citizen_id(self, birth_code: str, year: int, gender: Gender) -> str:
        """Well-formed and unique: the six random digits are a per-(code, digit 4, year) counter
        scrambled by a multiplier prime to 10**6."""
        digit = century_gender_digit(year, gender)
        key = (birth_code, digit, year)
        n = self.id_counters.get(key, 0)
        self.id_counters[key] = n + 1
        serial = (n * 7919 + (int(birth_code) * 211 + digit * 97 + year) * 104729) % 1_000_000
        return f"{birth_code}{digit}{year % 100:02d}{serial:06d}"

    # ---------------------------------------------------------------------------- one household
    def household(self, chunk: Chunk) -> None:  # noqa: PLR0912, PLR0915 (one household, top to bottom)
        rng = self.rng
        ref = self.ref
        t = chunk.tables
        commune, area, _ = ref.communes[self.commune(rng)]
        legacy_options = ref.legacy_codes.get(commune)
        legacy = rng.choice(legacy_options) if legacy_options else None
        hh_id, created = self.new_id()
        self.house_no += 1
        if area == "urban":
            address = f"Số {rng.randint(1, 400)} {rng.choice(names.STREETS)}"
            hamlet = f"Tổ dân phố số {rng.randint(1, 30)}"
        else:
            address = f"Xóm {rng.randint(1, 12)}, thôn {rng.randint(1, 15)}"
            hamlet = f"Thôn {rng.randint(1, 15)}"
        size = SIZE(rng)
        head_gender = Gender.MALE if rng.random() < 0.74 else Gender.FEMALE
        head_year = min(2000, max(1935, int(rng.gauss(1972, 14))))
        family = FAMILY(rng)
        members: list[tuple[str, Gender, int, str]] = [("head", head_gender, head_year, family)]
        father_family = family
        if size >= 2 and rng.random() < 0.82:
            spouse_gender = Gender.FEMALE if head_gender is Gender.MALE else Gender.MALE
            spouse_family = FAMILY(rng)
            if spouse_gender is Gender.MALE:
                father_family = spouse_family
            spouse_year = min(2003, max(1935, head_year + rng.randint(-3, 6)))
            members.append(("spouse", spouse_gender, spouse_year, spouse_family))
        if size >= 5 and head_year > 1960 and rng.random() < 0.5:
            parent_gender = Gender.FEMALE if rng.random() < 0.65 else Gender.MALE
            parent_year = max(1925, head_year - rng.randint(22, 34))
            members.append(("parent", parent_gender, parent_year, family if parent_gender is Gender.MALE
                            else FAMILY(rng)))  # fmt: skip
        while len(members) < size:
            child_year = head_year + rng.randint(20, 38)
            if child_year > TODAY.year:
                relation, child_year = "grandchild", min(TODAY.year, head_year + rng.randint(40, 60))
                child_year = min(child_year, TODAY.year)
            else:
                relation = "child"
            gender = Gender.MALE if rng.random() < 0.51 else Gender.FEMALE
            members.append((relation, gender, child_year, father_family))
        joined_on = REGISTERED_FROM + timedelta(days=rng.randrange(130))
        person_ids: list[uuid.UUID] = []
        head_id: uuid.UUID | None = None
        for relation, gender, year, fam in members:
            p_id, p_created = self.new_id()
            person_ids.append(p_id)
            raw = self.name(gender, fam)
            if rng.random() < 0.05:
                raw = unicodedata.normalize("NFD", raw)
                chunk.nfd_inputs += 1
            full_name = normalised(raw)  # as the API's write models store it
            dob = date(year, 1, 1) + timedelta(days=rng.randrange(365)) if rng.random() < 0.85 else None
            if dob is not None and dob > TODAY:
                dob = TODAY
            age = TODAY.year - year
            has_id = relation == "head" or (rng.random() < (0.97 if age >= 14 else 0.55))
            cid = lid = phone = NO_IDENTIFIER
            if has_id:
                number = self.citizen_id(BIRTH_CODE(rng), year, gender)
                cid = self.pii.protect(number, CITIZEN_ID_PURPOSE, CITIZEN_ID_COLUMN)
            if year < 2000 and rng.random() < 0.3:
                number = f"{rng.choice(('031', '030', '142'))}{int(rng.random() * 10**6):06d}"
                lid = self.pii.protect(number, LEGACY_ID_PURPOSE, LEGACY_ID_COLUMN)
            if age >= 18 and rng.random() < 0.55:
                number = f"+84{rng.choice('3579')}{int(rng.random() * 10**8):08d}"
                phone = self.pii.protect(number, PHONE_PURPOSE, PHONE_COLUMN)
            if relation == "head":
                head_id = p_id
            t["person"].append(
                (
                    p_id, hh_id, relation, full_name, folded(full_name), dob, year, gender.value,
                    *cid, *lid, *phone, PROVINCE, commune, legacy, 1, p_created, p_created,
                )
            )  # fmt: skip
            m_id, _ = self.new_id()
            t["household_membership"].append(
                (m_id, p_id, hh_id, relation, joined_on, None, "registered", PROVINCE, commune, legacy,
                 p_created, p_created)
            )  # fmt: skip
            if rng.random() < self.sample_share:  # the search benchmark's sample of names
                chunk.sample.append((p_id, full_name, commune, year))
        t["household"].append(
            (hh_id, address, hamlet, area, head_id, None, PROVINCE, commune, legacy, 1, created, created)
        )
        # Categories: poverty statuses for 2026, merit and martyr relatives on a member.
        roll = rng.random()
        if roll < 0.09:
            kind = "poor" if roll < 0.04 else "near_poor"
            c_id, c_created = self.new_id()
            t["beneficiary_category"].append(
                (c_id, hh_id, None, kind, None, 2026, ref.poverty_standard_id,
                 f"{rng.randint(1, 999)}/GCN-UBND", date(2025, 12, rng.randint(1, 28)),
                 "Chủ tịch UBND cấp xã", date(2026, 1, 1), date(2026, 12, 31), None, PROVINCE, commune,
                 legacy, 1, c_created, c_created)
            )  # fmt: skip
        if rng.random() < 0.03:
            c_id, c_created = self.new_id()
            merit = rng.random() < 0.65
            t["beneficiary_category"].append(
                (c_id, hh_id, person_ids[0], "merit" if merit else "martyr_relative",
                 MERIT_TYPE(rng) if merit else None, None, None, f"{rng.randint(1000, 99999)}/QĐ-LĐTBXH",
                 date(rng.randint(1978, 2020), rng.randint(1, 12), rng.randint(1, 28)),
                 "Sở Lao động - Thương binh và Xã hội", date(2000, 1, 1), None, None,
                 PROVINCE, commune, legacy, 1, c_created, c_created)
            )  # fmt: skip
        # The current dwelling, and for a third of them an assessment under Decision 55/QĐ-BXD.
        if rng.random() < 0.96:
            d_id, d_created = self.new_id()
            since = date(rng.randint(1975, 2025), rng.randint(1, 12), 1)
            t["dwelling"].append(
                (d_id, hh_id, since, None, max(since.year - rng.randint(0, 20), 1950), None, PROVINCE,
                 commune, legacy, 1, d_created, d_created)
            )  # fmt: skip
            cls, qualifies = "adequate", False
            if rng.random() < 0.33 or roll < 0.09:
                cls, qualifies = self.assessment(chunk, d_id, hh_id, len(members), commune, legacy)
            # Most qualifying households get a case; others too (merit families, repairs), so that
            # about `case_share` of all households have one.
            if rng.random() < (0.8 if qualifies else self.other_case_share):
                self.support_case(chunk, hh_id, cls, commune, legacy, person_ids)

    def assessment(
        self,
        chunk: Chunk,
        d_id: uuid.UUID,
        hh_id: uuid.UUID,
        residents: int,
        commune: str,
        legacy: str | None,
    ) -> tuple[str, bool]:
        rng = self.rng
        cls = CLASSIFICATION(rng)
        failing = {"adequate": 0, "dilapidated": 2, "temporary": 3}[cls]
        mats = ["durable"] * 3
        states = ["sound"] * 3
        for i in rng.sample(range(3), failing):
            if cls == "temporary":
                mats[i], states[i] = "non_durable", "unsafe"
            else:
                states[i] = "unsafe"
        land = "residential_undisputed" if rng.random() < 0.93 else "residential_disputed"
        qualifies = cls != "adequate" and land == "residential_undisputed"
        criteria = '["structures"]' if failing else "[]"
        a_id, a_created = self.new_id()
        assessed = date(2025, rng.randint(1, 10), rng.randint(1, 28))
        chunk.tables["dwelling_assessment"].append(
            (a_id, d_id, hh_id, self.ref.rule_set_id, assessed, "Cán bộ địa chính xã",
             Decimal(rng.randint(120, 1500)) / 10, residents, mats[0], states[0], mats[1], states[1], mats[2],
             states[2], land, cls, qualifies, criteria, None, PROVINCE, commune, legacy, a_created, a_created)
        )  # fmt: skip
        return cls, qualifies

    def support_case(
        self,
        chunk: Chunk,
        hh_id: uuid.UUID,
        cls: str,
        commune: str,
        legacy: str | None,
        person_ids: list[uuid.UUID],
    ) -> None:
        rng = self.rng
        stream = "merit" if rng.random() < 0.15 else "campaign"
        kind = (
            "new_build" if cls == "temporary" or (cls == "dilapidated" and rng.random() < 0.4) else "repair"
        )
        rate_id, amount, valid_from, valid_to = self.ref.rates[(stream, kind)]
        last = min(valid_to or TODAY, TODAY - timedelta(days=10))
        proposed = valid_from + timedelta(days=rng.randrange((last - valid_from).days))
        status = CASE_STATUS(rng)
        steps = ["proposed", "approved", "started", "completed", "accepted"]
        reached = steps.index(status) if status != "withdrawn" else rng.randint(0, 2)
        dates: list[date | None] = [None] * 4
        day = proposed
        for i in range(reached):
            day = min(TODAY, day + timedelta(days=rng.randint(3, 40)))
            dates[i] = day
        withdrawn_on = min(TODAY, day + timedelta(days=rng.randint(1, 30))) if status == "withdrawn" else None
        reason = "Hộ gia đình tự nguyện rút" if withdrawn_on else None
        c_id, created = self.new_id()
        chunk.tables["support_case"].append(
            (c_id, hh_id, stream, kind, status, rate_id, amount, proposed, dates[0], dates[1], dates[2],
             dates[3], withdrawn_on, reason, None, PROVINCE, commune, legacy, 1, created, created)
        )  # fmt: skip
        outcome = {"accepted": "accepted", "withdrawn": "withdrawn"}.get(status, "in_progress")
        h_id, _ = self.new_id()
        chunk.tables["support_history"].append(
            (h_id, hh_id, "support_case", c_id, person_ids, stream, kind, amount, proposed, dates[1],
             dates[2], dates[3] or withdrawn_on, outcome, PROVINCE, commune, legacy, created, created)
        )  # fmt: skip

    def chunk(self, count: int) -> Chunk:
        chunk = Chunk()
        for _ in range(count):
            self.household(chunk)
        return chunk


# ----------------------------------------------------------------------------------- bulk mode


@dataclass
class Deferred:
    """The loaded tables' secondary indexes and constraints, dropped for the load, rebuilt after."""

    indexes: list[tuple[str, str]]  # (name, CREATE INDEX ...)
    constraints: list[tuple[str, str, str, str]]  # (table, name, type, definition)


async def drop_for_load(conn: asyncpg.Connection) -> Deferred:
    tables = list(LOADED_TABLES)
    constraints = [
        (r["tbl"], r["conname"], r["contype"], r["def"])
        for r in await conn.fetch(
            "SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text AS contype, "
            "pg_get_constraintdef(c.oid) AS def FROM pg_constraint c "
            "WHERE c.conrelid = ANY(SELECT oid FROM pg_class WHERE relname = ANY($1::text[])) "
            "AND c.contype IN ('f', 'u') ORDER BY c.contype, c.conname",
            tables,
        )
    ]
    indexes = [
        (r["indexname"], r["indexdef"])
        for r in await conn.fetch(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class ic ON ic.relname = i.indexname "
            "WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[]) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ic.oid) ORDER BY i.indexname",
            tables,
        )
    ]
    for table, name, _, _ in sorted(constraints, key=lambda c: c[2] != "f"):  # foreign keys first
        await conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        await conn.execute(f'DROP INDEX "{name}"')
    return Deferred(indexes, constraints)


async def dashboard_triggers(conn: asyncpg.Connection, *, enabled: bool) -> list[str]:
    """Switch registry-api's dashboard-count triggers off for the COPY (each chunk would recount its
    households against tables without indexes) and on again; `rebuild_dashboards` then counts once."""
    rows = await conn.fetch(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname LIKE 'dashboard\\_%' AND c.relname = ANY($1::text[]) "
        "ORDER BY 1, 2",
        list(LOADED_TABLES),
    )
    for row in rows:
        state = "ENABLE" if enabled else "DISABLE"
        await conn.execute(f'ALTER TABLE "{row["relname"]}" {state} TRIGGER "{row["tgname"]}"')
    return [f"{r['relname']}.{r['tgname']}" for r in rows]


async def rebuild_dashboards(conn: asyncpg.Connection, triggers: list[str]) -> int:
    """The triggers `triggers` on again, and the stored dashboard counts from scratch (the function
    `manage rebuild-dashboards` runs). Returns the household spans stored (0: no such triggers)."""
    if not triggers:
        return 0
    await dashboard_triggers(conn, enabled=True)
    await conn.execute("SET work_mem = '256MB'")
    spans: int = await conn.fetchval("SELECT dashboard_rebuild()")
    await conn.execute("RESET work_mem")
    for table in ("dashboard_household_span", "commune_dashboard_counts"):
        await conn.execute(f'VACUUM (ANALYZE) "{table}"')
    return spans


async def rebuild(conn: asyncpg.Connection, deferred: Deferred) -> None:
    await conn.execute("SET maintenance_work_mem = '1GB'")
    await conn.execute("SET max_parallel_maintenance_workers = 2")
    for table, name, kind, definition in deferred.constraints:
        if kind == "u":
            await conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    for _, definition in deferred.indexes:
        await conn.execute(definition)
    for table, name, kind, definition in deferred.constraints:
        if kind == "f":
            await conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')


# ----------------------------------------------------------------------------------------- main


@dataclass
class LoadReport:
    households: int
    rows: dict[str, int]
    nfd_inputs: int
    seconds_generate_and_copy: float
    seconds_indexes: float
    seconds_vacuum: float
    sample_size: int
    seconds_dashboards: float = 0.0  # the stored dashboard counts rebuilt after the load
    dashboard_spans: int = 0


async def generate(url: str, *, households: int, seed: int, support_cases: int | None = None) -> LoadReport:
    """Fill a migrated, reference-seeded registry database at `url` (postgresql://...)."""
    conn = await asyncpg.connect(url)
    try:
        rng = random.Random(seed)  # noqa: S311
        ref = await load_reference(conn, rng)
        gen = Generator(
            seed + 1, ref, households, support_cases if support_cases is not None else households // 10
        )
        deferred = await drop_for_load(conn)
        triggers = await dashboard_triggers(conn, enabled=False)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_name_sample (person_id uuid PRIMARY KEY, full_name text, "
            "commune_code text, birth_year int)"
        )
        rows = dict.fromkeys(LOADED_TABLES, 0)
        nfd = 0
        sample = 0
        started = time.perf_counter()
        remaining = households
        pending: asyncio.Future[Chunk] | None = None

        def make(count: int) -> Chunk:
            return gen.chunk(count)

        loop = asyncio.get_running_loop()
        if remaining:
            pending = loop.run_in_executor(None, make, min(CHUNK, remaining))
            remaining -= min(CHUNK, remaining)
        last_report = started
        while pending is not None:
            chunk = await pending
            pending = None
            if remaining:
                # Generate the next chunk while this one is copied (PostgreSQL works in its own process).
                pending = loop.run_in_executor(None, make, min(CHUNK, remaining))
                remaining -= min(CHUNK, remaining)
            for table in LOADED_TABLES:
                records = chunk.tables[table]
                if records:
                    await conn.copy_records_to_table(table, records=records, columns=COLUMNS[table])
                    rows[table] += len(records)
            if chunk.sample:
                await conn.copy_records_to_table(
                    "bench_name_sample",
                    records=chunk.sample,
                    columns=["person_id", "full_name", "commune_code", "birth_year"],
                )
            nfd += chunk.nfd_inputs
            sample += len(chunk.sample)
            now = time.perf_counter()
            if now - last_report > 10:
                last_report = now
                out(f"  {rows['household']:,} households, {rows['person']:,} persons ({now - started:.0f} s)")
        copied = time.perf_counter()
        await rebuild(conn, deferred)
        indexed = time.perf_counter()
        for table in (*LOADED_TABLES, "bench_name_sample"):
            await conn.execute(f'VACUUM (ANALYZE) "{table}"')
        vacuumed = time.perf_counter()
        spans = await rebuild_dashboards(conn, triggers)
        counted = time.perf_counter()
    finally:
        await conn.close()
    return LoadReport(
        households=households,
        rows=rows,
        nfd_inputs=nfd,
        seconds_generate_and_copy=round(copied - started, 1),
        seconds_indexes=round(indexed - copied, 1),
        seconds_vacuum=round(vacuumed - indexed, 1),
        sample_size=sample,
        seconds_dashboards=round(counted - vacuumed, 1),
        dashboard_spans=spans,
    )


async def build_province(
    admin_url: str, database: str, *, households: int, seed: int
) -> tuple[str, LoadReport]:
    """A fresh database: created, migrated, reference-seeded (cloned from the template), then filled."""
    url = await migrated_database(admin_url, database)
    report = await generate(url, households=households, seed=seed)
    return url, report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=20251128)
    parser.add_argument("--database", default="bench_registry")
    parser.add_argument("--pg-url", default=None, help="a superuser URL; default: the bench cluster")
    args = parser.parse_args(argv)
    server = None
    admin = args.pg_url
    if admin is None:
        server = start_bench_server()
        admin = server.admin_url
    started = time.perf_counter()
    url, report = asyncio.run(
        build_province(admin, args.database, households=args.households, seed=args.seed)
    )
    out(f"{with_database(url, args.database)}: {report} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

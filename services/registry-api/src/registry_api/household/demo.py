"""Demo households for `make run`: about 30 households of Hải Phòng with their members and categories.

Deterministic (a fixed random seed) and idempotent: a household whose head's citizen ID is already
recorded is skipped, so a re-run adds nothing. Citizen IDs are made up but well-formed: a
birth-registration code (031 Hải Phòng, 030 Hải Dương, sometimes another province), the century and
gender digit and the birth year agree with the person. A few names are given in NFD, as phones and
macOS send them, to show they are stored in NFC.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.category.schemas import CategoryCreate
from registry_api.category.service import category_service
from registry_api.household.schemas import HouseholdCreate
from registry_api.household.service import household_service
from registry_api.models import CategoryKind, MeritType, Person, Relationship, ResidenceArea
from registry_api.person.identifiers import Gender, century_gender_digit
from registry_api.person.pii import CITIZEN_ID_PURPOSE
from registry_api.person.repository import PersonRepository
from registry_api.person.schemas import HeadCreate, MemberCreate
from servicekit.areas import AreaScope
from servicekit.pii import PiiCipher
from servicekit.principal import Principal, Role

SEED = 20250701
PROVINCE_HAI_PHONG = "31"  # Hai Duong (legacy 30) merged into Hai Phong on 1/7/2025
HOUSEHOLDS = 30
REGISTERED_ON = date(2025, 8, 1)
STATUS_YEAR = 2026  # poverty statuses for 2026, decided at the end of the 2025 review

# (commune code, commune name, residence area, birth-registration code of the old province)
COMMUNES = [
    ("10525", "Phường Hải Dương", ResidenceArea.URBAN, "030"),
    ("11560", "Phường Thuỷ Nguyên", ResidenceArea.URBAN, "031"),
    ("11383", "Phường Lê Chân", ResidenceArea.URBAN, "031"),
    ("10546", "Phường Chí Linh", ResidenceArea.URBAN, "030"),
    ("11629", "Xã An Lão", ResidenceArea.RURAL, "031"),
    ("10606", "Xã Nam Sách", ResidenceArea.RURAL, "030"),
    ("11755", "Xã Tiên Lãng", ResidenceArea.RURAL, "031"),
]
OTHER_BIRTH_PROVINCES = ["001", "034", "033", "022"]  # Hà Nội, Thái Bình, Hưng Yên, Quảng Ninh

SURNAMES = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ",
            "Ngô", "Dương", "Đinh", "Phan", "Lương", "Mạc"]  # fmt: skip
MALE_MIDDLE = ["Văn", "Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Thanh", "Công", "Đình"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Hồng"]
MALE_GIVEN = ["Đức", "Hùng", "Dũng", "Tuấn", "Long", "Nam", "Hải", "Thắng", "Cường", "Quân", "Khánh", "Sơn",
              "Tùng", "Đạt", "Phúc", "Hiếu", "Việt", "Thành"]  # fmt: skip
FEMALE_GIVEN = ["Hoa", "Lan", "Hương", "Hằng", "Ngọc", "Trang", "Thuỷ", "Linh", "Phương", "Yến", "Nhung",
                "Thảo", "Mai", "Hạnh", "Huyền", "Duyên"]  # fmt: skip
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Hoàng Văn Thụ", "Chu Văn An", "Bạch Đằng",
           "Tô Hiệu", "Lạch Tray"]  # fmt: skip

# The system acts as a province officer of Hải Phòng; the audit trail records the actor "system".
SEED_CALLER = Principal(
    subject="system",
    client_id="registry-api-seed",
    roles=frozenset({Role.PROVINCE_OFFICER.value}),
    scopes=frozenset(),
    area=AreaScope.from_codes([PROVINCE_HAI_PHONG]),
)


@dataclass
class DemoPerson:
    full_name: str
    gender: Gender
    date_of_birth: date | None
    birth_year: int
    citizen_id: str | None
    legacy_id: str | None = None
    phone: str | None = None


class DemoGenerator:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
        self.used_ids: set[str] = set()

    def name(self, gender: Gender, surname: str | None = None) -> str:
        rng = self.rng
        middle = rng.choice(MALE_MIDDLE if gender is Gender.MALE else FEMALE_MIDDLE)
        given = rng.choice(MALE_GIVEN if gender is Gender.MALE else FEMALE_GIVEN)
        return f"{surname or rng.choice(SURNAMES)} {middle} {given}"

    def citizen_id(self, birth_code: str, birth_year: int, gender: Gender) -> str:
        while True:
            tail = f"{self.rng.randrange(1_000_000):06d}"
            value = f"{birth_code}{century_gender_digit(birth_year, gender)}{birth_year % 100:02d}{tail}"
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def birth_date(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def person(
        self, gender: Gender, year: int, birth_code: str, *, surname: str | None = None, with_id: bool = True
    ) -> DemoPerson:
        known_date = self.rng.random() < 0.85
        return DemoPerson(
            full_name=self.name(gender, surname),
            gender=gender,
            date_of_birth=self.birth_date(year) if known_date else None,
            birth_year=year,
            citizen_id=self.citizen_id(birth_code, year, gender) if with_id else None,
        )

    def phone(self) -> str:
        return f"0{self.rng.choice('3579')}{self.rng.randrange(10**8):08d}"


def _fields(p: DemoPerson, *, nfd: bool) -> dict[str, object]:
    name = unicodedata.normalize("NFD", p.full_name) if nfd else p.full_name
    return {
        "full_name": name,
        "gender": p.gender,
        "date_of_birth": p.date_of_birth,
        "birth_year": None if p.date_of_birth else p.birth_year,
        "citizen_id": p.citizen_id,
        "legacy_id_number": p.legacy_id,
        "phone": p.phone,
    }


@dataclass
class DemoHousehold:
    body: HouseholdCreate
    head_citizen_id: str
    categories: list[tuple[CategoryKind, int | None, MeritType | None]]  # (kind, member index, merit)


def demo_households(seed: int = SEED) -> list[DemoHousehold]:
    """The demo data, the same on every run."""
    gen = DemoGenerator(seed)
    rng = gen.rng
    out: list[DemoHousehold] = []
    for i in range(HOUSEHOLDS):
        commune, commune_name, area, local_code = COMMUNES[i % len(COMMUNES)]
        head_gender = Gender.FEMALE if rng.random() < 0.3 else Gender.MALE
        head_year = rng.randrange(1945, 1995)
        head_code = local_code if rng.random() < 0.85 else rng.choice(OTHER_BIRTH_PROVINCES)
        head = gen.person(head_gender, head_year, head_code)
        head.phone = gen.phone()
        if i % 9 == 4:  # kept from the old identity card, as a legacy identifier only
            head.legacy_id = f"{local_code[1:]}{rng.randrange(10**7):07d}"
        surname = head.full_name.split()[0]
        members: list[tuple[Relationship, DemoPerson]] = []
        if rng.random() < 0.85:
            spouse_gender = Gender.MALE if head_gender is Gender.FEMALE else Gender.FEMALE
            members.append(
                (Relationship.SPOUSE, gen.person(spouse_gender, head_year + rng.randrange(-4, 5), local_code))
            )
        for _ in range(rng.randrange(0, 4)):
            year = min(head_year + rng.randrange(22, 36), 2024)
            child_gender = rng.choice([Gender.MALE, Gender.FEMALE])
            # Some children's numbers are not known to the commune yet: identified by name and birth.
            child = gen.person(child_gender, year, local_code, surname=surname, with_id=rng.random() < 0.7)
            members.append((Relationship.CHILD, child))
        if head_year < 1965 and rng.random() < 0.4:
            members.append((Relationship.GRANDCHILD, gen.person(Gender.MALE, head_year + 52, local_code)))
        nfd = i % 7 == 3
        body = HouseholdCreate(
            province_code=PROVINCE_HAI_PHONG,
            commune_code=commune,
            address=f"Số {rng.randrange(1, 250)} đường {rng.choice(STREETS)}, {commune_name}",
            hamlet=f"Tổ dân phố số {rng.randrange(1, 15)}"
            if area is ResidenceArea.URBAN
            else f"Thôn {rng.randrange(1, 9)}",
            residence_area=area,
            registered_on=REGISTERED_ON,
            head=HeadCreate.model_validate(_fields(head, nfd=nfd)),
            members=[
                MemberCreate.model_validate({**_fields(p, nfd=nfd), "relationship": rel})
                for rel, p in members
            ],
        )
        categories: list[tuple[CategoryKind, int | None, MeritType | None]] = []
        if i % 6 == 0:
            categories.append((CategoryKind.POOR, None, None))
        elif i % 6 == 1:
            categories.append((CategoryKind.NEAR_POOR, None, None))
        if i % 10 == 2 and head_year < 1960:
            categories.append((CategoryKind.MERIT, 0, MeritType.WAR_INVALID))
        elif i % 10 == 2:
            categories.append((CategoryKind.MARTYR_RELATIVE, 0, None))
        if i % 10 == 7:
            categories.append((CategoryKind.MERIT, 0, MeritType.RESISTANCE_PARTICIPANT))
        assert head.citizen_id is not None
        out.append(DemoHousehold(body=body, head_citizen_id=head.citizen_id, categories=categories))
    return out


def _category(kind: CategoryKind, person: Person | None, merit: MeritType | None, n: int) -> CategoryCreate:
    if kind in (CategoryKind.POOR, CategoryKind.NEAR_POOR):
        return CategoryCreate(
            kind=kind,
            year=STATUS_YEAR,
            certificate_number=f"{100 + n}/GCN-UBND",
            certificate_date=date(STATUS_YEAR - 1, 12, 20),
            issuer="Chủ tịch UBND cấp xã",
            valid_from=date(STATUS_YEAR, 1, 1),
        )
    assert person is not None
    return CategoryCreate(
        kind=kind,
        person_id=person.id,
        merit_type=merit,
        certificate_number=f"{2000 + n}/QĐ-LĐTBXH",
        certificate_date=date(1998, 7, 27),
        issuer="Sở Lao động - Thương binh và Xã hội",
        valid_from=date(1998, 7, 27),
    )


async def seed_demo_households(session: AsyncSession, cipher: PiiCipher) -> int:
    """Create the demo households not there yet; returns how many were added."""
    persons = PersonRepository(session)
    added = 0
    for n, demo in enumerate(demo_households()):
        bidx = cipher.blind_index(demo.head_citizen_id, purpose=CITIZEN_ID_PURPOSE)
        if await persons.by_citizen_bidx(bidx) is not None:
            continue
        household, members = await household_service.create(session, SEED_CALLER, cipher, demo.body)
        for kind, index, merit in demo.categories:
            person = members[index] if index is not None else None
            await category_service.create(
                session, SEED_CALLER, household.id, _category(kind, person, merit, n)
            )
        added += 1
    return added

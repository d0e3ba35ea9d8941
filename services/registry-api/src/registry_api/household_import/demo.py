"""Demo imports for `make run`: each of three communes' 2026 review lists, as the commune keeps it.

Built on the demo households (seed step `demo-households-hai-phong`): each list repeats that
commune's demo households with their members (matched on import, nothing created twice), adds a few
new households, and carries the mistakes real lists have (a misspelt category, an impossible date),
so the error report has something to show. Deterministic: the same bytes on every run, so a re-run
is recognised as the same file and queues nothing. The worker imports the queued files.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry_api.household.demo import SEED_CALLER, DemoGenerator, demo_households
from registry_api.household_import.service import import_service
from registry_api.models import ImportMode, Relationship
from registry_api.person.identifiers import Gender
from servicekit.pii import PiiCipher

SEED = 20261120
# (commune code, name written in the title, hamlets)
COMMUNES = [
    ("10525", "Phường Hải Dương", ["Khu dân cư số 3", "Khu dân cư số 5", "Khu dân cư số 8"]),
    ("11560", "Phường Thuỷ Nguyên", ["Tổ dân phố Đông Sơn", "Tổ dân phố Tân Dương"]),
    ("11629", "Xã An Lão", ["Thôn Tân Hưng", "Thôn Đông Côn", "Thôn Lạc Thị"]),
]
HEADINGS = [
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Giới tính",
    "Thôn/Tổ dân phố",
    "Quan hệ với chủ hộ",
    "Diện hộ",
    "Hiện trạng nhà ở",
    "Diện tích nhà (m²)",
    "Số nhân khẩu",
    "Ghi chú",
]
RELATIONSHIP_WORDS = {
    Relationship.SPOUSE: "Vợ/chồng",
    Relationship.CHILD: "Con",
    Relationship.PARENT: "Mẹ",
    Relationship.GRANDCHILD: "Cháu",
    Relationship.SIBLING: "Em",
}
CATEGORY_WORDS = ["Hộ nghèo", "Hộ cận nghèo", "Người có công", "Thân nhân liệt sĩ"]
HOUSING_WORDS = ["Nhà tạm", "Nhà dột nát", "Nhà xuống cấp"]
NEW_HOUSEHOLDS = 4


def _born(value: date | None, year: int) -> str:
    return value.strftime("%d/%m/%Y") if value else str(year)


def _area(rng: random.Random) -> str:
    whole = rng.randrange(12, 60)
    return rng.choice([f"{whole},5", str(whole)])  # decimal commas, as the lists write them


def _relationship_word(relationship: Relationship) -> str:
    word = RELATIONSHIP_WORDS.get(relationship, "Khác")
    return "Vợ" if word == "Vợ/chồng" else word


def demo_list(commune_code: str) -> bytes:
    """The commune's list as csv (UTF-8 with BOM, semicolons, a title block and a total row)."""
    rng = random.Random(f"{SEED}:{commune_code}")  # noqa: S311  (demo data)
    gen = DemoGenerator(SEED + int(commune_code))
    name, hamlets = next((n, h) for c, n, h in COMMUNES if c == commune_code)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([f"UBND {name.upper()}"])
    writer.writerow([f"DANH SÁCH HỘ CÓ NHÀ TẠM, NHÀ DỘT NÁT CẦN HỖ TRỢ NĂM 2026 - {name}"])
    writer.writerow([])
    writer.writerow(HEADINGS)
    number = 0

    def household_row(full_name: str, cid: str, born: str, gender: Gender, hamlet: str, members: int) -> None:
        nonlocal number
        number += 1
        writer.writerow(
            [
                number,
                full_name,
                cid,
                born,
                "Nữ" if gender is Gender.FEMALE else "Nam",
                hamlet,
                "Chủ hộ",
                rng.choice(CATEGORY_WORDS),
                rng.choice(HOUSING_WORDS),
                _area(rng),
                members,
                "",
            ]
        )

    for demo in demo_households():
        body = demo.body
        if body.commune_code != commune_code:
            continue
        head = body.head
        household_row(
            head.full_name,
            demo.head_citizen_id,
            _born(head.date_of_birth, head.birth_year or 0),
            head.gender,
            body.hamlet or rng.choice(hamlets),
            1 + len(body.members),
        )
        for m in body.members:
            writer.writerow(
                [
                    "",
                    m.full_name,
                    m.citizen_id or m.legacy_id_number or "",
                    _born(m.date_of_birth, m.birth_year or 0),
                    "Nữ" if m.gender is Gender.FEMALE else "Nam",
                    "",
                    _relationship_word(m.relationship),
                ]
            )
    for _ in range(NEW_HOUSEHOLDS):
        gender = Gender.FEMALE if rng.random() < 0.4 else Gender.MALE
        year = rng.randrange(1940, 1990)
        person = gen.person(gender, year, "031" if commune_code != "10525" else "030")
        assert person.citizen_id is not None
        household_row(
            person.full_name,
            person.citizen_id,
            _born(person.date_of_birth, year),
            gender,
            rng.choice(hamlets),
            1,
        )
    # The mistakes of real lists: a misspelt category and a day that does not exist.
    writer.writerow(
        [
            number + 1,
            gen.name(Gender.MALE),
            "031062000417",
            "12/03/1962",
            "Nam",
            hamlets[0],
            "Chủ hộ",
            "Hộ nghéo",
            "Nhà tạm",
            "18",
            3,
            "Cần xác minh",
        ]
    )
    writer.writerow(
        [
            number + 2,
            gen.name(Gender.FEMALE),
            "031170000923",
            "30/02/1970",
            "Nữ",
            hamlets[-1],
            "Chủ hộ",
            "Hộ cận nghèo",
            "Nhà dột nát",
            "24,5",
            2,
            "",
        ]
    )
    writer.writerow(["Tổng cộng", "", "", "", "", "", "", "", "", "", "", ""])
    return ("\ufeff" + out.getvalue()).encode()


async def seed_demo_imports(session: AsyncSession, cipher: PiiCipher) -> int:
    """Queue each commune's list (once: the same bytes again are the same import); returns how many
    were queued now."""
    queued = 0
    for commune_code, _, _ in COMMUNES:
        _, created = await import_service.upload(
            session,
            SEED_CALLER,
            filename=f"ra_soat_2026_{commune_code}.csv",
            content=demo_list(commune_code),
            commune_code=commune_code,
            mode=ImportMode.ACCEPT_VALID_ROWS,
            residence_area=None,
            cipher=cipher,
        )
        queued += created
    return queued

"""The administrative units and the old -> new mapping, read from the packages' static files only.

- 2025 units (34 provinces, 3,321 communes): `vietnam-provinces` (its in-package lookup tables).
- Legacy units (63 provinces, 696 districts, 10,035 communes): `vietnamadminunits`' `data/dataset.db`,
  a SQLite file opened read-only.
- The mapping: `vietnamadminunits`' `data/converter_2025.json`. It names units by keys ("tinhhaiduong",
  "phuongcamthuong"), which `dataset.db` turns into codes.

Nothing here imports `vietnamadminunits` itself: its package imports the converter, whose address
lookup geocodes online (decision 15). The files are located with `importlib.util.find_spec`, which
does not run the package.

`vietnamadminunits` 1.0.4 numbers 123 of the 2025 communes differently from `vietnam-provinces`
(it predates the final code list). `vietnam-provinces` is the code list; the mapping's 2025 side is
joined to it by province code and name, and the load stops if any unit fails to match one to one.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

# Decision 19/2025/QĐ-TTg: the two-level codes take effect with the reorganisation on 1 July 2025.
CURRENT_SCHEME_VALID_FROM = date(2025, 7, 1)
# The legacy units ceased to exist when the 2025 units began.
LEGACY_SCHEME_VALID_TO = date(2025, 6, 30)
# By convention (the packages carry no creation dates): the date of Decision 124/2004/QĐ-TTg, which
# set up the legacy code list. A legacy unit created later still shows this date; see
# docs/rules/admin-units.md.
LEGACY_SCHEME_VALID_FROM = date(2004, 7, 8)
MAPPING_EFFECTIVE_ON = CURRENT_SCHEME_VALID_FROM

PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
CURRENT, LEGACY = "2025", "legacy"
WHOLE, PARTIAL = "whole", "partial"
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


class PackageDataError(RuntimeError):
    """The packages' tables disagree in a way the loader cannot reconcile (after a package update)."""


@dataclass(frozen=True, slots=True)
class UnitRow:
    scheme: str
    level: str
    code: str
    name: str
    division_type: str
    codename: str
    parent_code: str | None
    province_code: str
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class MappingRow:
    legacy_level: str
    legacy_code: str
    new_level: str
    new_code: str
    kind: str
    package_default: bool
    effective_on: date
    source: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def codename(name: str) -> str:
    """`Phường Cẩm Thượng` -> `phuong_cam_thuong`, the form `vietnam-provinces` uses."""
    decomposed = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    ascii_only = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_")


def name_key(name: str) -> str:
    """A unit name compared across the packages: case, spacing, apostrophes and where a syllable's tone
    mark sits ("Thủy" / "Thuỷ", "Hòa" / "Hoà") do not matter; the tone itself does ("Giang" / "Giàng")."""
    words = []
    for word in re.split(r"[\s\-–]+", name.lower().replace("’", "'").strip()):
        if not word:
            continue
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
        words.append(base + tones)
    return " ".join(words)


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PackageDataError(f"the package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def current_source() -> str:
    import vietnam_provinces as vp

    return f"vietnam-provinces {vp.__version__} (data {vp.__data_version__})"


def legacy_source() -> str:
    return f"vietnamadminunits {importlib.metadata.version('vietnamadminunits')} (dataset.db)"


def mapping_source() -> str:
    return f"vietnamadminunits {importlib.metadata.version('vietnamadminunits')} (converter_2025.json)"


# ------------------------------------------------------------------------------------- 2025 units


@lru_cache(maxsize=1)
def current_units() -> tuple[UnitRow, ...]:
    """The 34 provinces and 3,321 communes of Decision 19/2025/QĐ-TTg, valid from 1 July 2025."""
    import vietnam_provinces as vp

    source = current_source()
    rows = [
        UnitRow(
            CURRENT,
            PROVINCE,
            f"{int(p.code):02d}",
            nfc(p.name),
            p.division_type.value,
            p.codename,
            None,
            f"{int(p.code):02d}",
            CURRENT_SCHEME_VALID_FROM,
            None,
            source,
        )
        for p in vp.Province.iter_all()
    ]
    rows += [
        UnitRow(
            CURRENT,
            COMMUNE,
            f"{int(w.code):05d}",
            nfc(w.name),
            w.division_type.value,
            w.codename,
            f"{int(w.province_code):02d}",
            f"{int(w.province_code):02d}",
            CURRENT_SCHEME_VALID_FROM,
            None,
            source,
        )
        for w in vp.Ward.iter_all()
    ]
    return tuple(rows)


# ----------------------------------------------------------------------------------- legacy units


def _dataset_rows(sql: str) -> list[sqlite3.Row]:
    path = _package_dir("vietnamadminunits") / "data" / "dataset.db"
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql))
    finally:
        conn.close()


def _province_type(name: str) -> str:
    return "thành phố trung ương" if name.startswith("Thành phố") else "tỉnh"


@lru_cache(maxsize=1)
def legacy_units() -> tuple[UnitRow, ...]:
    """The 63 provinces, their districts and communes as they stood until 30 June 2025."""
    source = legacy_source()
    provinces: dict[str, UnitRow] = {}
    districts: dict[str, UnitRow] = {}
    communes: dict[str, UnitRow] = {}
    rows = _dataset_rows(
        "SELECT province, provinceCode, district, districtType, districtCode, ward, wardType, wardCode"
        " FROM admin_units_legacy"
    )
    for r in rows:
        province_code = str(r["provinceCode"]).zfill(2)
        province = nfc(r["province"])
        provinces.setdefault(
            province_code,
            UnitRow(
                LEGACY,
                PROVINCE,
                province_code,
                province,
                _province_type(province),
                codename(province),
                None,
                province_code,
                LEGACY_SCHEME_VALID_FROM,
                LEGACY_SCHEME_VALID_TO,
                source,
            ),
        )
        district_code = str(r["districtCode"]).zfill(3)
        district = nfc(r["district"])
        districts.setdefault(
            district_code,
            UnitRow(
                LEGACY,
                DISTRICT,
                district_code,
                district,
                nfc(r["districtType"]).lower(),
                codename(district),
                province_code,
                province_code,
                LEGACY_SCHEME_VALID_FROM,
                LEGACY_SCHEME_VALID_TO,
                source,
            ),
        )
        if not r["wardCode"]:
            continue  # an island district without communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo)
        commune_code = str(r["wardCode"]).zfill(5)
        commune = nfc(r["ward"])
        communes[commune_code] = UnitRow(
            LEGACY,
            COMMUNE,
            commune_code,
            commune,
            nfc(r["wardType"]).lower(),
            codename(commune),
            district_code,
            province_code,
            LEGACY_SCHEME_VALID_FROM,
            LEGACY_SCHEME_VALID_TO,
            source,
        )
    return (*provinces.values(), *districts.values(), *communes.values())


# ---------------------------------------------------------------------------------------- mapping


@dataclass(frozen=True, slots=True)
class _LegacyRef:
    level: str
    code: str


def _legacy_refs() -> tuple[dict[str, str], dict[str, _LegacyRef]]:
    """Legacy province keys -> codes, and "province_district_ward" keys -> the unit they name."""
    provinces: dict[str, str] = {}
    units: dict[str, _LegacyRef] = {}
    for r in _dataset_rows(
        "SELECT provinceKey, provinceCode, districtKey, districtCode, wardKey, wardCode"
        " FROM admin_units_legacy"
    ):
        provinces[r["provinceKey"]] = str(r["provinceCode"]).zfill(2)
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        units[key] = (
            _LegacyRef(COMMUNE, str(r["wardCode"]).zfill(5))
            if r["wardCode"]
            else _LegacyRef(DISTRICT, str(r["districtCode"]).zfill(3))
        )
    return provinces, units


def _current_refs() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """2025 province keys -> codes, and (province key, ward key) -> the `vietnam-provinces` code."""
    official: dict[tuple[str, str], str] = {}
    for unit in current_units():
        if unit.level == COMMUNE:
            key = (unit.province_code, name_key(unit.name))
            if key in official:
                raise PackageDataError(f"two 2025 communes of province {key[0]} are both named {key[1]!r}")
            official[key] = unit.code
    province_codes = {u.code for u in current_units() if u.level == PROVINCE}
    provinces: dict[str, str] = {}
    wards: dict[tuple[str, str], str] = {}
    unmatched: list[str] = []
    for r in _dataset_rows("SELECT provinceKey, provinceCode, wardKey, ward FROM admin_units"):
        province_code = str(r["provinceCode"]).zfill(2)
        if province_code not in province_codes:
            raise PackageDataError(f"vietnamadminunits names a 2025 province {province_code} that is unknown")
        provinces[r["provinceKey"]] = province_code
        code = official.get((province_code, name_key(r["ward"])))
        if code is None:
            unmatched.append(f"{province_code} {r['ward']}")
        else:
            wards[(r["provinceKey"], r["wardKey"])] = code
    if unmatched or len(set(wards.values())) != len(official):
        raise PackageDataError(
            "the two packages' 2025 communes do not match one to one: " + ", ".join(unmatched[:10])
        )
    return provinces, wards


def _converter_tables() -> dict[str, Any]:
    path = _package_dir("vietnamadminunits") / "data" / "converter_2025.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@lru_cache(maxsize=1)
def mappings() -> tuple[MappingRow, ...]:
    """Old province -> new province, and old commune (or island district) -> new commune(s).

    `DICT_PROVINCE`: new province key -> the old province keys merged into it (always whole).
    `DICT_PROVINCE_WARD_NO_DIVIDED`: new province -> new ward key -> the old units it took whole.
    `DICT_PROVINCE_WARD_DIVIDED`: new province -> old unit key -> the new wards that took a part of it,
    one flagged `isDefaultNewWard` (kept as `package_default`, never used to decide).
    """
    tables = _converter_tables()
    legacy_provinces, legacy_units_by_key = _legacy_refs()
    current_provinces, current_wards = _current_refs()
    source = mapping_source()
    rows: list[MappingRow] = []

    def new_ward(province_key: str, ward_key: str) -> str:
        try:
            return current_wards[(province_key, ward_key)]
        except KeyError:
            raise PackageDataError(f"unknown 2025 ward {province_key}/{ward_key}") from None

    def old_unit(key: str) -> _LegacyRef:
        try:
            return legacy_units_by_key[key]
        except KeyError:
            raise PackageDataError(f"unknown legacy unit {key}") from None

    for new_key, old_keys in tables["DICT_PROVINCE"].items():
        for old_key in old_keys:
            rows.append(
                MappingRow(
                    PROVINCE,
                    legacy_provinces[old_key],
                    PROVINCE,
                    current_provinces[new_key],
                    WHOLE,
                    False,
                    MAPPING_EFFECTIVE_ON,
                    source,
                )
            )
    for province_key, wards in tables["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            code = new_ward(province_key, ward_key)
            for old_key in old_keys:
                old = old_unit(old_key)
                rows.append(
                    MappingRow(old.level, old.code, COMMUNE, code, WHOLE, False, MAPPING_EFFECTIVE_ON, source)
                )
    split_in: dict[str, str] = {}
    for province_key, divided in tables["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, pieces in divided.items():
            # All the pieces of a split unit lie in one new province: the officers' queue relies on it.
            if split_in.setdefault(old_key, province_key) != province_key:
                raise PackageDataError(f"{old_key} is split across two new provinces")
            old = old_unit(old_key)
            for piece in pieces:
                rows.append(
                    MappingRow(
                        old.level,
                        old.code,
                        COMMUNE,
                        new_ward(province_key, piece["newWardKey"]),
                        PARTIAL,
                        bool(piece["isDefaultNewWard"]),
                        MAPPING_EFFECTIVE_ON,
                        source,
                    )
                )
    legacy_refs = [_LegacyRef(PROVINCE, code) for code in legacy_provinces.values()]
    _check_mapping(rows, [*legacy_refs, *legacy_units_by_key.values()])
    return tuple(rows)


def _check_mapping(rows: list[MappingRow], legacy: Iterable[_LegacyRef]) -> None:
    """Every old unit goes somewhere, either whole to one new unit or in parts to two or more."""
    by_old: dict[tuple[str, str], list[MappingRow]] = defaultdict(list)
    for row in rows:
        by_old[(row.legacy_level, row.legacy_code)].append(row)
    missing = [f"{u.level} {u.code}" for u in legacy if (u.level, u.code) not in by_old]
    if missing:
        raise PackageDataError("legacy units with no successor: " + ", ".join(missing[:10]))
    for (level, code), targets in by_old.items():
        kinds = {t.kind for t in targets}
        if len(kinds) > 1 or (WHOLE in kinds and len(targets) > 1) or (PARTIAL in kinds and len(targets) < 2):
            raise PackageDataError(f"legacy {level} {code} is neither whole nor split cleanly")
        if len({t.new_code for t in targets}) != len(targets):
            raise PackageDataError(f"legacy {level} {code} lists a successor twice")

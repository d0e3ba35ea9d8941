"""Checks and normal forms for the identifiers and names a person is known by (no I/O, no framework).

The 12-digit personal identification number (CCCD) is laid out by Decree 137/2015/NĐ-CP Art. 13 and
Circular 07/2016/TT-BCA (Appendix 1): digits 1-3 are where the BIRTH was registered (a province code
of the old 63-province list, or a country code for births registered abroad) - never the residence;
digit 4 encodes the century of birth and the gender; digits 5-6 are the last two digits of the birth
year; digits 7-12 are random. Only the layout, digit 4 and digits 5-6 can be checked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

CITIZEN_ID_LENGTH = 12
LEGACY_ID_LENGTH = 9  # the old identity card (CMND) number, no longer valid since 1/1/2025
FIRST_CENTURY_YEAR = 1900  # digit 4 = 0/1 for 1900-1999, 2/3 for 2000-2099, ... up to 8/9 for 2300s
LAST_ENCODED_YEAR = 2399

_DIGITS = re.compile(r"^\d+$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Vietnamese mobile numbers since the 2018 renumbering: 03x, 05x, 07x, 08x, 09x (10 digits with the 0).
_LOCAL_MOBILE = re.compile(r"^0([35789]\d{8})$")
_E164_MOBILE = re.compile(r"^\+84([35789]\d{8})$")


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class CitizenIdProblem(StrEnum):
    """Why a citizen ID was refused; each is a stable code in the problem's `errors`."""

    MALFORMED = "citizen_id_malformed"
    LEGACY_NUMBER = "citizen_id_is_legacy_number"
    CENTURY_GENDER_MISMATCH = "citizen_id_century_gender_mismatch"
    BIRTH_YEAR_MISMATCH = "citizen_id_birth_year_mismatch"


@dataclass(frozen=True)
class CitizenIdCheck:
    """The outcome of checking a citizen ID: the normal form, or the reasons it was refused."""

    value: str | None
    problems: tuple[CitizenIdProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def normalise_digits(value: str) -> str:
    """Drop the spaces and dots people type inside numbers ('031 090 123 456' -> '031090123456')."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", value))


def century_gender_digit(birth_year: int, gender: Gender) -> int:
    """Digit 4 of a citizen ID for someone born in `birth_year` (Circular 07/2016 Appendix 1)."""
    century = (birth_year - FIRST_CENTURY_YEAR) // 100
    return century * 2 + (1 if gender is Gender.FEMALE else 0)


def check_citizen_id(raw: str, *, birth_year: int | None, gender: Gender | None) -> CitizenIdCheck:
    """Layout, then digit 4 against century and gender, then digits 5-6 against the birth year."""
    value = normalise_digits(raw)
    if not _DIGITS.match(value):
        return CitizenIdCheck(None, (CitizenIdProblem.MALFORMED,))
    if len(value) == LEGACY_ID_LENGTH:
        return CitizenIdCheck(None, (CitizenIdProblem.LEGACY_NUMBER,))
    if len(value) != CITIZEN_ID_LENGTH:
        return CitizenIdCheck(None, (CitizenIdProblem.MALFORMED,))
    problems: list[CitizenIdProblem] = []
    if birth_year is not None and FIRST_CENTURY_YEAR <= birth_year <= LAST_ENCODED_YEAR:
        encoded = int(value[3])
        if gender is not None:
            if encoded != century_gender_digit(birth_year, gender):
                problems.append(CitizenIdProblem.CENTURY_GENDER_MISMATCH)
        elif encoded // 2 != (birth_year - FIRST_CENTURY_YEAR) // 100:
            problems.append(CitizenIdProblem.CENTURY_GENDER_MISMATCH)
        if int(value[4:6]) != birth_year % 100:
            problems.append(CitizenIdProblem.BIRTH_YEAR_MISMATCH)
    return CitizenIdCheck(value if not problems else None, tuple(problems))


def check_legacy_id(raw: str) -> str | None:
    """The 9-digit number of an old identity card (CMND), or None when it is not one."""
    value = normalise_digits(raw)
    if _DIGITS.match(value) and len(value) == LEGACY_ID_LENGTH:
        return value
    return None


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese mobile number in E.164 (+84 and 9 digits), or None when it is not one.

    Accepted: 10 digits starting with 0 ('0912 345 678') or +84 followed by 9 digits ('+84912345678').
    """
    value = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    match = _LOCAL_MOBILE.match(value) or _E164_MOBILE.match(value)
    return "+84" + match.group(1) if match else None


# ------------------------------------------------------------------------------------ names


def fold_name(name: str) -> str:
    """The search form of a name: no diacritics, đ -> d, lower case, words separated by one space.

    'Nguyễn Văn Đức', its NFD form, 'NGUYEN  VAN DUC' and 'nguyen van duc' all fold to 'nguyen van duc'.
    Punctuation separates words ("Thị-Hoa" -> 'thi hoa').
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = stripped.replace("đ", "d").replace("Đ", "d").casefold()
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in lowered).split()
    return " ".join(words)


def search_words(query: str) -> list[str]:
    """The folded words of a search query (letters and digits only, so safe to put in a tsquery)."""
    return fold_name(query).split()

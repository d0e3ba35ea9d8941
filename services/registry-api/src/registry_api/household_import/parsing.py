"""Reading the lists communes keep (csv or xlsx/xls/ods) into cleaned rows, with per-cell errors.

No I/O besides the bytes given, no framework, no database. What is cleaned and what is an error is
written down in docs/rules/import-export.md; the rule of thumb: a harmless variation (spacing, dots
in numbers, a decimal comma, a date as text or as an Excel date, decomposed Unicode, case) is
cleaned up, anything that would have to be guessed (a misspelt category, an impossible date, an
area in words) is an error.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from python_calamine import CalamineWorkbook

HEADER_SEARCH_ROWS = 40
EXCEL_EPOCH = date(1899, 12, 30)
CITIZEN_ID_DIGITS = 12


class FileUnreadable(Exception):
    """The bytes are not a spreadsheet of the named format, or hold no recognisable heading row."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fold(value: str) -> str:
    """Lower case, no diacritics, single spaces: how headings are compared (never values)."""
    text = unicodedata.normalize("NFKD", value).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


def clean_text(value: Any) -> str:
    """NFC, trimmed, inner runs of spaces collapsed; numbers from Excel without a trailing `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    return re.sub(r"\s+", " ", text).strip()


def exact_key(value: str) -> str:
    """How vocabulary values are compared: NFC, case-folded, spaces collapsed - diacritics kept, so a
    misspelling ('Hộ nghéo') is not silently taken for a word it resembles."""
    return clean_text(value).casefold()


# ------------------------------------------------------------------------------------ headings

# Field -> the folded headings that name it. Sub-headings of merged groups are listed on their own.
HEADINGS: dict[str, tuple[str, ...]] = {
    "row_no": ("stt", "so tt", "so thu tu"),
    "full_name": ("ho va ten chu ho", "ho ten chu ho", "ho va ten", "ho ten", "chu ho"),
    "citizen_id": ("so cccd", "cccd", "so dinh danh", "so dinh danh ca nhan", "so cmnd/cccd", "so cccd/cmnd"),
    "date_of_birth": ("ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh"),
    "birth_year": ("nam sinh",),
    "gender": ("gioi tinh",),
    "hamlet": ("thon/to dan pho", "thon, to dan pho", "thon", "to dan pho", "thon/to"),
    "relationship": ("quan he voi chu ho", "quan he"),
    "category": ("dien ho", "doi tuong", "dien doi tuong"),
    "housing_condition": ("hien trang nha o", "hien trang nha"),
    "floor_area": ("dien tich nha (m2)", "dien tich nha", "dien tich (m2)", "dien tich"),
    "member_count": ("so nhan khau", "so khau"),
    "foundation": ("mong",),
    "frame": ("khung - tuong", "khung tuong", "khung, tuong"),
    "roof": ("mai",),
    "propose_new": ("xay moi",),
    "propose_repair": ("sua chua",),
    "note": ("ghi chu",),
}
_HEADING_TO_FIELD = {heading: name for name, headings in HEADINGS.items() for heading in headings}
REQUIRED_FIELDS = ("full_name", "citizen_id", "gender", "hamlet")

# The column heading reported in errors (as the sample lists write it).
DISPLAY: dict[str, str] = {
    "row_no": "STT",
    "full_name": "Họ và tên chủ hộ",
    "citizen_id": "Số CCCD",
    "date_of_birth": "Ngày sinh",
    "birth_year": "Năm sinh",
    "gender": "Giới tính",
    "hamlet": "Thôn/Tổ dân phố",
    "relationship": "Quan hệ với chủ hộ",
    "category": "Diện hộ",
    "housing_condition": "Hiện trạng nhà ở",
    "floor_area": "Diện tích nhà (m²)",
    "member_count": "Số nhân khẩu",
    "foundation": "Kết cấu nhà ở - Móng",
    "frame": "Kết cấu nhà ở - Khung - tường",
    "roof": "Kết cấu nhà ở - Mái",
    "propose_new": "Đề xuất hỗ trợ - Xây mới",
    "propose_repair": "Đề xuất hỗ trợ - Sửa chữa",
    "proposal": "Đề xuất hỗ trợ",
    "note": "Ghi chú",
}

# ------------------------------------------------------------------------------------ vocabularies
# Words of the lists, compared with exact_key (see above). Kept here, not in the database: they are
# the spelling of the form, not rules that change with the law.

GENDERS = {"nam": "male", "nữ": "female"}
CATEGORIES = {
    "hộ nghèo": "poor",
    "hộ cận nghèo": "near_poor",
    "người có công": "merit",
    "người có công với cách mạng": "merit",
    "thân nhân liệt sĩ": "martyr_relative",
}
HOUSING_CONDITIONS = {"nhà tạm": "temporary", "nhà dột nát": "dilapidated", "nhà xuống cấp": "degraded"}
STRUCTURE_STATES = {"kiên cố": "solid", "không kiên cố": "not_solid"}
RELATIONSHIPS = {
    "chủ hộ": "head",
    "vợ": "spouse",
    "chồng": "spouse",
    "con": "child",
    "con đẻ": "child",
    "con nuôi": "child",
    "con dâu": "child_in_law",
    "con rể": "child_in_law",
    "cháu": "grandchild",
    "cháu nội": "grandchild",
    "cháu ngoại": "grandchild",
    "bố": "parent",
    "mẹ": "parent",
    "cha": "parent",
    "bố đẻ": "parent",
    "mẹ đẻ": "parent",
    "bố vợ": "parent_in_law",
    "mẹ vợ": "parent_in_law",
    "bố chồng": "parent_in_law",
    "mẹ chồng": "parent_in_law",
    "ông": "grandparent",
    "bà": "grandparent",
    "anh": "sibling",
    "chị": "sibling",
    "em": "sibling",
    "anh trai": "sibling",
    "chị gái": "sibling",
    "em trai": "sibling",
    "em gái": "sibling",
    "họ hàng": "other_relative",
    "khác": "other",
}
MARKS = {"x", "✓", "✔", "1", "có"}
# A total or subtotal row starts with one of these words ("Tổng cộng", "Tổng số", "Cộng", "Cộng thôn
# Cao Xá"), as a whole word: "Tống" and "Công" are also family names.
TOTAL_ROW = re.compile(r"(tong cong|tong so|cong|tong)\b")


@dataclass(frozen=True)
class CellError:
    column: str | None
    code: str
    message: str


@dataclass
class ParsedRow:
    """One data row: its spreadsheet row number, the cleaned values, and what was wrong in it."""

    row_number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    def error(self, field_name: str | None, code: str, message: str) -> None:
        self.errors.append(CellError(DISPLAY.get(field_name or "", field_name), code, message))

    @property
    def is_member(self) -> bool:
        return self.values.get("relationship") not in (None, "head")


@dataclass
class ParsedFile:
    rows: list[ParsedRow]
    columns: dict[str, int]


# ------------------------------------------------------------------------------------ reading cells


def read_table(content: bytes, file_format: str) -> list[tuple[int, list[Any]]]:
    """(row number as the spreadsheet shows it, cells) for the sheet holding the list."""
    if file_format == "csv":
        return _read_csv(content)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except Exception as exc:  # calamine raises its own error types for every malformed input
        raise FileUnreadable("file_unreadable", f"Not a readable {file_format} workbook.") from exc
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        # to_python() starts at the first used cell; `start` says where that is (0-based).
        first_row = (sheet.start[0] if sheet.start else 0) + 1
        rows = [
            (first_row + i, list(cells)) for i, cells in enumerate(sheet.to_python(skip_empty_area=False))
        ]
        if _find_header(rows) is not None:
            return rows
    raise FileUnreadable("heading_row_not_found", "No sheet has the list's heading row.")


def _read_csv(content: bytes) -> list[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")  # Windows Vietnamese: what older Excel saves as "CSV"
        except UnicodeDecodeError as exc:
            raise FileUnreadable(
                "file_unreadable", "The csv file is neither UTF-8 nor Windows-1258."
            ) from exc
    sample = text[:8192]
    delimiter = max((";", ",", "\t"), key=sample.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise FileUnreadable("file_unreadable", "The csv file is malformed.") from exc


def _find_header(rows: list[tuple[int, list[Any]]]) -> int | None:
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {_HEADING_TO_FIELD.get(fold(clean_text(c))) for c in cells}
        if {"full_name", "citizen_id"} <= fields:
            return index
    return None


def _columns(rows: list[tuple[int, list[Any]]], header_index: int) -> tuple[dict[str, int], int]:
    """Field -> column index from the heading row and, under merged groups, the sub-heading row."""
    columns: dict[str, int] = {}
    top = rows[header_index][1]
    for i, cell in enumerate(top):
        name = _HEADING_TO_FIELD.get(fold(clean_text(cell)))
        if name is not None and name not in columns:
            columns[name] = i
    data_start = header_index + 1
    if data_start < len(rows):
        sub = rows[data_start][1]
        sub_fields = {i: _HEADING_TO_FIELD.get(fold(clean_text(c))) for i, c in enumerate(sub)}
        if any(sub_fields.values()) and not clean_text(sub[0] if sub else ""):
            for i, name in sub_fields.items():
                if name is not None and name not in columns:
                    columns[name] = i
            data_start += 1
    # The column-number row, "(1) (2) (3) ...", as official forms carry.
    if data_start < len(rows):
        cells = [clean_text(c) for c in rows[data_start][1] if clean_text(c)]
        if cells and all(re.fullmatch(r"\(?\d+\)?", c) for c in cells) and cells[0].startswith("("):
            data_start += 1
    return columns, data_start


def parse(content: bytes, file_format: str, *, today: date) -> ParsedFile:
    """Every data row of the list, cleaned and checked (title, blank, total and signature rows skipped)."""
    rows = read_table(content, file_format)
    header_index = _find_header(rows)
    if header_index is None:
        raise FileUnreadable("heading_row_not_found", "No heading row with the household head's name and ID.")
    columns, data_start = _columns(rows, header_index)
    missing = [DISPLAY[f] for f in REQUIRED_FIELDS if f not in columns]
    if "date_of_birth" not in columns and "birth_year" not in columns:
        missing.append(DISPLAY["date_of_birth"])
    if missing:
        raise FileUnreadable("columns_missing", "Columns missing: " + ", ".join(missing) + ".")
    body = rows[data_start:]
    # A (sub)total row before the last row holding a citizen ID is a subtotal: households follow it.
    id_column = columns["citizen_id"]
    last_with_id = max(
        (i for i, (_, cells) in enumerate(body) if id_column < len(cells) and clean_text(cells[id_column])),
        default=-1,
    )
    parsed: list[ParsedRow] = []
    for index, (row_number, cells) in enumerate(body):
        raw = {name: (cells[i] if i < len(cells) else None) for name, i in columns.items()}
        texts = {name: clean_text(v) for name, v in raw.items()}
        if not any(texts.values()):
            continue  # blank row
        names_a_person = bool(texts.get("citizen_id") or texts.get("gender") or _has_birth(texts))
        if not names_a_person:
            first = fold(next((t for t in (clean_text(c) for c in cells) if t), ""))
            if TOTAL_ROW.match(first) and index > last_with_id:
                break  # the total row; what follows is the signature block
            continue  # a subtotal, a section title ("Thôn Cao Xá") or a note line
        parsed.append(_row(row_number, raw, texts, today=today))
    return ParsedFile(rows=parsed, columns=columns)


def _has_birth(texts: dict[str, str]) -> bool:
    return bool(texts.get("date_of_birth") or texts.get("birth_year"))


# ------------------------------------------------------------------------------------ one row


def _row(row_number: int, raw: dict[str, Any], texts: dict[str, str], *, today: date) -> ParsedRow:
    row = ParsedRow(row_number)
    v = row.values
    if "relationship" in raw and texts["relationship"]:
        v["relationship"] = _vocabulary(row, "relationship", texts["relationship"], RELATIONSHIPS)
    else:
        v["relationship"] = "head"
    name = texts.get("full_name", "")
    if not name:
        row.error("full_name", "required", "the name is empty")
    elif len(name) > 200:
        row.error("full_name", "too_long", "longer than 200 characters")
    v["full_name"] = name or None
    v["citizen_id"] = _citizen_id(row, raw.get("citizen_id"), texts.get("citizen_id", ""))
    v["date_of_birth"], v["birth_year"] = _birth(row, raw, texts, today=today)
    gender = texts.get("gender", "")
    v["gender"] = _vocabulary(row, "gender", gender, GENDERS) if gender else None
    if not gender:
        row.error("gender", "required", "the gender is empty")
    if not row.is_member:
        _household_fields(row, raw, texts)
    return row


def _household_fields(row: ParsedRow, raw: dict[str, Any], texts: dict[str, str]) -> None:
    """The household row's own columns (members carry only the person's)."""
    v = row.values
    hamlet = texts.get("hamlet", "")
    if not hamlet:
        row.error("hamlet", "required", "the hamlet (thôn / tổ dân phố) is empty")
    v["hamlet"] = hamlet[:120] or None
    for name_, vocabulary in (
        ("category", CATEGORIES),
        ("housing_condition", HOUSING_CONDITIONS),
        ("foundation", STRUCTURE_STATES),
        ("frame", STRUCTURE_STATES),
        ("roof", STRUCTURE_STATES),
    ):
        if texts.get(name_):
            v[name_] = _vocabulary(row, name_, texts[name_], vocabulary)
    if texts.get("floor_area"):
        v["floor_area"] = _number(row, "floor_area", raw["floor_area"], texts["floor_area"], high=1000)
    if texts.get("member_count"):
        count = _number(row, "member_count", raw["member_count"], texts["member_count"], high=50)
        if count is not None and not float(count).is_integer():
            row.error("member_count", "not_a_whole_number", "not a whole number")
        v["member_count"] = int(count) if count is not None else None
    if "propose_new" in raw or "propose_repair" in raw:
        new = exact_key(texts.get("propose_new", "")) in MARKS
        repair = exact_key(texts.get("propose_repair", "")) in MARKS
        if new == repair:
            row.error("proposal", "proposal_ambiguous", "mark exactly one of Xây mới and Sửa chữa")
        v["proposal"] = "new" if new and not repair else "repair" if repair and not new else None
    v["note"] = texts.get("note") or None


def _vocabulary(row: ParsedRow, name: str, text: str, vocabulary: dict[str, str]) -> str | None:
    value = vocabulary.get(exact_key(text))
    if value is None:
        row.error(name, f"unknown_{name}", "not one of the accepted values")
    return value


def _citizen_id(row: ParsedRow, raw: Any, text: str) -> str | None:
    if not text:
        if not row.is_member:
            row.error("citizen_id", "required", "the household head's citizen ID is empty")
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # A number cell loses the leading zero every citizen ID starts with (province codes 001-096).
        digits = str(int(raw))
        return digits.zfill(CITIZEN_ID_DIGITS) if len(digits) == CITIZEN_ID_DIGITS - 1 else digits
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text))


def _birth(
    row: ParsedRow, raw: dict[str, Any], texts: dict[str, str], *, today: date
) -> tuple[date | None, int | None]:
    born: date | None = None
    if texts.get("date_of_birth"):
        born, year_only = _date(raw["date_of_birth"], texts["date_of_birth"])
        if born is None and year_only is None:
            row.error("date_of_birth", "date_invalid", "not a date (dd/mm/yyyy) that exists")
            return None, None
        if year_only is not None:
            return None, _year(row, "date_of_birth", year_only, today)
        assert born is not None
        if born > today or born.year < 1900:
            row.error("date_of_birth", "date_out_of_range", "in the future or before 1900")
            return None, None
        return born, born.year
    if texts.get("birth_year"):
        text = texts["birth_year"]
        if not re.fullmatch(r"\d{4}", text):
            row.error("birth_year", "year_invalid", "not a four-digit year")
            return None, None
        return None, _year(row, "birth_year", int(text), today)
    row.error("date_of_birth", "required", "the date of birth is empty")
    return None, None


def _year(row: ParsedRow, column: str, year: int, today: date) -> int | None:
    if year > today.year or year < 1900:
        row.error(column, "date_out_of_range", "in the future or before 1900")
        return None
    return year


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date(raw: Any, text: str) -> tuple[date | None, int | None]:
    """(date, None), or (None, year) for a bare year, or (None, None) when it is no date."""
    if isinstance(raw, datetime):
        return raw.date(), None
    if isinstance(raw, date):
        return raw, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1900 <= raw <= 2399 and float(raw).is_integer():
            return None, int(raw)
        if 1 <= raw < 200_000:  # an Excel serial date the reader did not convert
            return EXCEL_EPOCH + timedelta(days=int(raw)), None
        return None, None
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day), None
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day), None
    except ValueError:
        return None, None
    return None, None


def _number(row: ParsedRow, name: str, raw: Any, text: str, *, high: float) -> float | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        candidate = text.replace(" ", "")
        if re.fullmatch(r"\d+,\d+", candidate):
            candidate = candidate.replace(",", ".")  # the decimal comma of a Vietnamese locale
        if not re.fullmatch(r"\d+(\.\d+)?", candidate):
            row.error(name, "not_a_number", "not a number")
            return None
        value = float(candidate)
    if not 0 < value <= high:
        row.error(name, "out_of_range", f"must be above 0 and at most {high:g}")
        return None
    return value


def iter_errors(rows: list[ParsedRow]) -> Iterator[tuple[int, CellError]]:
    for row in rows:
        for error in row.errors:
            yield row.row_number, error

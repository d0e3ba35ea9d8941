"""Rows into an xlsx workbook with no row lost: Excel holds 1,048,576 rows per sheet, so a longer list
continues on "<title> (2)", "<title> (3)", ... with the heading repeated on each sheet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

EXCEL_MAX_ROWS = 1_048_576  # rows of one sheet, the heading included (Excel's and xlsxwriter's limit)
DATA_ROWS_PER_SHEET = EXCEL_MAX_ROWS - 1
SHEET_NAME_MAX = 31  # Excel refuses longer sheet names


class SpreadsheetWriteFailed(RuntimeError):
    """xlsxwriter refused a cell (past the sheet's last row or column, or a string cut short): the
    file would silently miss data, so the export stops instead."""


class SheetRowsWriter:
    """Writes rows one after another; a full sheet continues on a new one with the same heading."""

    def __init__(
        self,
        workbook: Any,
        title: str,
        headings: Sequence[str],
        *,
        rows_per_sheet: int = DATA_ROWS_PER_SHEET,
    ) -> None:
        if not 1 <= rows_per_sheet <= DATA_ROWS_PER_SHEET:
            raise ValueError(f"rows_per_sheet must be 1-{DATA_ROWS_PER_SHEET}, not {rows_per_sheet}")
        self.workbook = workbook
        self.title = title
        self.headings = list(headings)
        self.rows_per_sheet = rows_per_sheet
        self.heading_format = workbook.add_format({"bold": True})
        self.sheets = 0
        self.sheet: Any = None
        self.row = 0  # the next row to write on the current sheet (0 is the heading)
        self._new_sheet()

    def write(self, values: Sequence[Any]) -> None:
        if self.row > self.rows_per_sheet:
            self._new_sheet()
        _checked(self.sheet.write_row(self.row, 0, values), self.sheet.name, self.row)
        self.row += 1

    def _new_sheet(self) -> None:
        self.sheets += 1
        if self.sheets == 1:
            name = self.title[:SHEET_NAME_MAX]
        else:
            suffix = f" ({self.sheets})"
            name = self.title[: SHEET_NAME_MAX - len(suffix)] + suffix
        self.sheet = self.workbook.add_worksheet(name)
        _checked(self.sheet.write_row(0, 0, self.headings, self.heading_format), name, 0)
        self.row = 1


def _checked(status: int, sheet: str, row: int) -> None:
    # xlsxwriter answers -1 (outside the sheet) or -2 (string over 32,767 characters, cut) and goes on.
    if status != 0:
        raise SpreadsheetWriteFailed(f"xlsxwriter refused row {row} of sheet {sheet!r} (status {status}).")

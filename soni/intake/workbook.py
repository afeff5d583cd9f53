"""Low-level parse of a spreadsheet file into plain rows, sheet by sheet.

No pandas here: the result is ``{sheet name: [[cell, …], …]}`` with Python values
(str, int, float, bool, date, datetime, None), cheap to send from a child process.
"""

from __future__ import annotations

import io
from typing import Any

Rows = list[list[Any]]
#: A merged range, 0-based and inclusive: ((first row, first column), (last row, last column)).
Merged = tuple[tuple[int, int], tuple[int, int]]


def load_sheets(data: bytes, kind: str) -> dict[str, Rows]:
    """Every sheet of a workbook (``kind`` in xlsx, xlsm, xls, xlsb, ods) as rows of values."""
    return load_book(data, kind)[0]


def load_book(data: bytes, kind: str) -> tuple[dict[str, Rows], dict[str, list[Merged]]]:
    """Every sheet as rows of values, and the merged ranges calamine knows (xlsx, xlsm, xls).

    Reads with python-calamine; for xlsx/xlsm falls back to openpyxl (read-only,
    data only; no merged ranges) when calamine refuses the file.
    """
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: dict[str, Rows] = {}
        merged: dict[str, list[Merged]] = {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            sheets[name] = sheet.to_python(skip_empty_area=False)
            ranges = sheet.merged_cell_ranges if kind != "ods" else None
            if ranges:
                merged[name] = [((int(a[0]), int(a[1])), (int(b[0]), int(b[1]))) for a, b in ranges]
        return sheets, merged
    except python_calamine.PasswordError:
        raise
    except Exception:
        if kind not in ("xlsx", "xlsm"):
            raise
    return _load_openpyxl(data), {}


def _load_openpyxl(data: bytes) -> dict[str, Rows]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()

"""Low-level parse of a spreadsheet file into plain rows, sheet by sheet.

No pandas here: the result is ``{sheet name: [[cell, …], …]}`` with Python values
(str, int, float, bool, date, datetime, None), cheap to send from a child process.
"""

from __future__ import annotations

import io
from typing import Any

Rows = list[list[Any]]


def load_sheets(data: bytes, kind: str) -> dict[str, Rows]:
    """Every sheet of a workbook (``kind`` in xlsx, xlsm, xls, xlsb, ods) as rows of values.

    Reads with python-calamine; for xlsx/xlsm falls back to openpyxl (read-only,
    data only) when calamine refuses the file.
    """
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names}
    except python_calamine.PasswordError:
        raise
    except Exception:
        if kind not in ("xlsx", "xlsm"):
            raise
    return _load_openpyxl(data)


def _load_openpyxl(data: bytes) -> dict[str, Rows]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()

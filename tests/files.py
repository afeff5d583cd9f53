"""Builders for spreadsheet files in memory (xlsx, xlsm, xls, ods, csv) used by the intake tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"

Rows = Sequence[Sequence[Any]]


def xlsx_bytes(sheets: dict[str, Rows], *, merged: dict[str, list[str]] | None = None) -> bytes:
    """An xlsx with the given sheets (openpyxl), optionally with merged ranges per sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(list(row))
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text, as users type it
        for ref in (merged or {}).get(name, []):
            ws.merge_cells(ref)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xls_bytes(rows: Rows, sheet: str = "Tabelle1") -> bytes:
    """A legacy .xls (BIFF8) via xlwt (test-only dependency)."""
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def ods_bytes(rows: Rows, sheet: str = "Tabelle1") -> bytes:
    """An OpenDocument spreadsheet via pandas' odf writer (odfpy, test-only dependency)."""
    frame = pd.DataFrame([list(r) for r in rows[1:]], columns=list(rows[0]))
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="odf") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
    return buf.getvalue()


def csv_bytes(rows: Rows, *, delimiter: str = ";", encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    """CSV text as German Excel writes it (quoted where needed)."""
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def inventory_rows(n: int = 6) -> list[list[Any]]:
    """A small inventory with German headers (header first)."""
    header = ["Titel", "Beschreibung", "Stadtteil", "Träger", "Beginn", "Teilnehmende", "Kosten"]
    body = [
        [f"Nachbarschaftscafé {i}", "Offener Treff für alle im Quartier", ["Nordstadt", "Altstadt"][i % 2],
         "Kirchengemeinde St. Markus", f"0{1 + i % 9}/2024", 10 + i, f"{100 + i},50"]
        for i in range(n)
    ]
    return [header, *body]

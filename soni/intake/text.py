"""CSV text → rows of strings: encoding and delimiter by ``soni.intake.sniff``, broken quoting
repaired line by line (``soni.intake.csvrepair``), every repair and guess reported."""

from __future__ import annotations

import csv
import io
import re

from soni.intake import csvrepair
from soni.intake.sniff import DELIMITER_NAMES, decode_text, sniff_delimiter
from soni.intake.workbook import Rows
from soni.report import HINWEIS, WARNUNG, InputError, Report

_ESCAPED = re.compile(r"'\s*[=+\-@\t\r]")
#: Longest CSV field read at all; longer text is refused, Excel's 32,767 characters are cut later.
MAX_CSV_FIELD = 1_000_000


def parse_csv(data: bytes, file: str, report: Report, *, encoding: str | None = None) -> Rows:
    """CSV bytes → rows of strings (encoding, unless the guard found it, and delimiter detected and reported)."""
    text, encoding_name = decode_text(data, encoding)
    if "\x00" in text:
        count = text.count("\x00")
        text = text.replace("\x00", "")
        report.add(WARNUNG, f"{count} Nullzeichen (NUL) entfernt.", file=file)
    delim = sniff_delimiter(text)
    report.add(HINWEIS, f"Gelesen als CSV, Zeichenkodierung {encoding_name}, Trennzeichen {DELIMITER_NAMES[delim]}.",
               file=file)
    csv.field_size_limit(MAX_CSV_FIELD)
    rows: Rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        rows.extend(reader)
        broken = csvrepair.needs_repair(text, rows, delim)
    except csv.Error:
        broken = True
    if broken:  # broken quoting: read again line by line, every repair reported
        try:
            rows = csvrepair.read_lines(text, delim, file, report)
        except csvrepair.TooLong as exc:
            raise _too_long(file, exc.row) from None
    if "'" in text:  # our own CSV downloads escape formula-like text with an apostrophe: undo it
        for row in rows:
            for i, cell in enumerate(row):
                if cell[:1] == "'" and _ESCAPED.match(cell):
                    row[i] = cell[1:]
    return rows


def _too_long(file: str, row: int) -> InputError:
    """The refusal of a cell beyond the field limit: the only CSV that cannot be read at all."""
    limit = f"{MAX_CSV_FIELD:,}".replace(",", ".")
    return InputError(f"Eine Zelle ist länger als {limit} Zeichen; die Datei ist an dieser Stelle keine lesbare "
                      "Tabelle.", file=file, row=row)

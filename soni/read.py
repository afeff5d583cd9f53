"""Stage 1 — read: bytes of an upload → one table per sheet, header found, every row numbered.

``load_sheets`` checks the file first (``soni.intake.guard``) and parses workbooks in a
child process (``soni.intake.isolate``) and CSV text in-process; ``table_from_sheets`` finds the header
row and builds a frame of the original values. Rows above the header are
reported, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soni import columns
from soni.intake import csvrepair
from soni.intake.isolate import Columns
from soni.intake.workbook import Rows
from soni.report import HINWEIS, WARNUNG, InputError, Report

#: A parsed sheet: plain rows (CSV, tests) or the reader child's column encoding.
Sheet = Rows | Columns

#: How many rows at the top of a sheet may hold a title or notes before the header.
HEADER_SEARCH_ROWS = 30
MAX_ROWS = 500_000
MAX_COLUMNS = 500

_DELIMITERS = (";", ",", "\t", "|")


@dataclass
class Table:
    """One sheet of an upload: original values with cleaned headers.

    ``frame`` has one row per sheet row below the header (empty rows included,
    validation decides), ``rows`` holds each row's number as the user sees it.
    """

    file: str
    sheet: str
    header_row: int  # 1-based; 0 when the sheet has no header
    frame: pd.DataFrame
    rows: list[int]
    sheets: list[str] = field(default_factory=list)  # all sheet names of the file
    fill_suggested: list[str] = field(default_factory=list)  # headers to fill down (``soni.filldown``)
    filled_down: list[str] = field(default_factory=list)  # headers that were filled down

    @property
    def source(self) -> str:
        return f"{self.file} › {self.sheet}" if self.sheet else self.file


# --------------------------------------------------------------------------- CSV
def decode_text(data: bytes) -> tuple[str, str]:
    """Text and encoding name of CSV bytes: BOMs first, then UTF-8, then cp1252.

    UTF-8 is strict, so cp1252 text (umlauts as single bytes) is never garbled
    into replacement characters; cp1252's five undefined bytes fall back to latin-1.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if len(data) >= 4 and data[1:4:2] == b"\0\0" and data[0:3:2] != b"\0\0":
        return data.decode("utf-16-le", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter used in CSV text: the candidate that splits the first lines most consistently.

    Quoted fields are ignored while counting, so commas inside quoted text do
    not win against semicolons between fields.
    """
    sample_lines = _logical_lines(text[:200_000])[:50]
    best, best_score = ";", -1.0
    for delim in _DELIMITERS:
        counts = [_count_outside_quotes(line, delim) for line in sample_lines if line.strip()]
        if not counts or max(counts) == 0:
            continue
        mode = max(set(counts), key=lambda c: (counts.count(c), c))
        consistency = counts.count(mode) / len(counts)
        score = consistency * 10 + min(mode, 50) / 50
        if mode > 0 and score > best_score:
            best, best_score = delim, score
    return best


def _logical_lines(text: str) -> list[str]:
    """Lines of CSV text, joining lines inside quoted fields."""
    lines, buf, in_quotes = [], [], False
    for raw in re.split(r"\r\n|\n|\r", text):
        buf.append(raw)
        in_quotes ^= raw.count('"') % 2 == 1
        if not in_quotes:
            lines.append("\n".join(buf))
            buf = []
    if buf:
        lines.append("\n".join(buf))
    return lines


def _count_outside_quotes(line: str, delim: str) -> int:
    return sum(part.count(delim) for part in line.split('"')[::2])


def parse_csv(data: bytes, file: str, report: Report) -> Rows:
    """CSV bytes → rows of strings (encoding and delimiter detected and reported)."""
    text, encoding = decode_text(data)
    if "\x00" in text:
        count = text.count("\x00")
        text = text.replace("\x00", "")
        report.add(WARNUNG, f"{count} Nullzeichen (NUL) entfernt.", file=file)
    delim = sniff_delimiter(text)
    names = {";": "Semikolon", ",": "Komma", "\t": "Tabulator", "|": "senkrechter Strich"}
    report.add(HINWEIS, f"Gelesen als CSV, Zeichenkodierung {encoding}, Trennzeichen {names[delim]}.",
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


_ESCAPED = re.compile(r"'\s*[=+\-@\t\r]")
#: Longest CSV field read at all; longer text is refused, Excel's 32,767 characters are cut later.
MAX_CSV_FIELD = 1_000_000


def _too_long(file: str, row: int) -> InputError:
    """The refusal of a cell beyond the field limit: the only CSV that cannot be read at all."""
    limit = f"{MAX_CSV_FIELD:,}".replace(",", ".")
    return InputError(f"Eine Zelle ist länger als {limit} Zeichen; die Datei ist an dieser Stelle keine lesbare "
                      "Tabelle.", file=file, row=row)


# --------------------------------------------------------------------------- rows → table
def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value
    )


def _header_text(value: Any) -> str:
    if _is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def header_score(row: list[Any]) -> float:
    """How much a row looks like a header: text cells, distinct, known column words."""
    cells = [c for c in row if not _is_empty(c)]
    if len(cells) < 2:
        return 0.0
    texts = [c for c in cells if isinstance(c, str) and not _looks_numeric(c) and len(c) <= 120]
    if len(texts) < 2:
        return 0.0
    distinct = len({_header_text(c).casefold() for c in texts}) / len(texts)
    known = sum(1 for c in texts if columns.match_header(_header_text(c)) is not None)
    return (len(texts) + 3 * known) * distinct * (len(texts) / len(cells))


# A number cell in a header candidate ("1.200", "- 5 %", also all blanks), used with ``fullmatch``.
# Linear time: possessive runs that give nothing back (issue #16: the former
# ``^\s*[-+]?[\d.,\s]+(?:€|%)?\s*$`` took 29 s on a header cell of 3,200 spaces and "x").
# Without a sign the leading blanks belong to the run of digits, so that a cell of blanks
# still counts, as before.
_NUMERIC_RE = re.compile(r"(?:\s*+[-+])?[\d.,\s]++(?:[€%]\s*+)?")


def _looks_numeric(text: str) -> bool:
    return columns.short_text(text) and bool(_NUMERIC_RE.fullmatch(text))


def find_header(rows: Rows) -> int:
    """Index (0-based) of the header row among the first rows; -1 when there is none."""
    best, best_score = -1, 0.0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = header_score(row)
        if score > best_score * 1.05:
            best, best_score = i, score
    return best


def unique_headers(values: list[Any], *, file: str, sheet: str, row: int, report: Report) -> list[str]:
    """Clean header texts: whitespace folded, empty ones named "Spalte X", duplicates numbered."""
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        name = _header_text(value) or f"Spalte {_column_letter(i)}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            new = f"{name} ({seen[key]})"
            report.add(WARNUNG, f"Spaltenüberschrift „{name}“ kommt mehrfach vor; "
                       f"umbenannt in „{new}“.", file=file, sheet=sheet, row=row, column=new)
            name = new
        else:
            seen[key] = 1
        names.append(name)
    return names


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _head(rows: Sheet, n: int) -> Rows:
    """The first ``n`` rows as lists."""
    return rows.head(n) if isinstance(rows, Columns) else rows[:n]


def _filled_values(values: np.ndarray) -> np.ndarray:
    """``columns.filled_mask`` of a few distinct values (to be spread over the rows by their codes)."""
    return columns.filled_mask(pd.Series(values, dtype=object)) if len(values) else np.zeros(0, bool)


def _body_frame(rows: Sheet, start: int) -> tuple[pd.DataFrame, list[np.ndarray]]:
    """The rows from ``start`` on as an object frame (columns 0, 1, …) and each column's filled mask."""
    if isinstance(rows, Columns):
        n = max(len(rows) - start, 0)
        if n == 0 or rows.width == 0:
            return pd.DataFrame(dtype=object), []
        frame = pd.DataFrame({j: rows.column(j, start) for j in range(rows.width)}, dtype=object)
        filled = [_filled_values(rows.values(j))[rows.codes(j)[start:]] for j in range(rows.width)]
        return frame, filled
    body = rows[start:]
    longest = max(map(len, body), default=0)
    if any(len(r) != longest for r in body):  # ragged CSV rows: pad, never cut
        body = [list(r) + [None] * (longest - len(r)) for r in body]
    frame = pd.DataFrame(body, dtype=object) if body else pd.DataFrame(dtype=object)
    return frame, [_filled_text_cells(frame[i]) for i in frame.columns]


def _filled_text_cells(values: pd.Series) -> np.ndarray:
    """``columns.filled_mask`` looking at each distinct text once (CSV columns repeat a lot)."""
    array = values.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(array, use_na_sentinel=False)
    except TypeError:  # unhashable values
        return columns.filled_mask(values)
    if len(uniques) * 4 > len(array):  # mostly distinct: no gain
        return columns.filled_mask(values)
    return _filled_values(np.asarray(uniques, dtype=object))[codes]


def rows_to_table(rows: Sheet, *, file: str, sheet: str, report: Report,
                  header_row: int | None = None) -> Table:
    """Sheet rows (or ``Columns``) → ``Table``; ``header_row`` (1-based) overrides the detection."""
    if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise InputError(f"Das Blatt hat {len(rows):,} Zeilen; höchstens {MAX_ROWS:,} werden gelesen. "
                         "Bitte die Datei aufteilen.".replace(",", "."), file=file, sheet=sheet)
    h = (header_row - 1) if header_row else find_header(_head(rows, HEADER_SEARCH_ROWS))
    if h >= len(rows):
        h = -1
    top = _head(rows, h + 1) if h >= 0 else []
    header_values = list(top[h]) if h >= 0 else []
    frame, filled = _body_frame(rows, h + 1)
    width = max(frame.shape[1], len(header_values))
    filled += [np.zeros(len(frame), bool)] * (width - len(filled))
    named = [i < len(header_values) and not _is_empty(header_values[i]) for i in range(width)]
    while width and not named[width - 1] and not filled[width - 1].any():
        width -= 1  # trailing empty columns
    if width > MAX_COLUMNS:
        raise InputError(f"Das Blatt hat {width} Spalten; höchstens {MAX_COLUMNS} werden gelesen.",
                         file=file, sheet=sheet)
    frame = frame.reindex(columns=range(width))
    if h < 0:
        report.add(WARNUNG, "Keine Kopfzeile gefunden; die Spalten heißen „Spalte A“, „Spalte B“ …",
                   file=file, sheet=sheet)
        headers = [f"Spalte {_column_letter(i)}" for i in range(width)]
    else:
        for i in range(h):
            if not all(_is_empty(c) for c in top[i]):
                text = " ".join(_header_text(c) for c in top[i] if not _is_empty(c))[:80]
                report.skip(f"vor der Kopfzeile („{text}“)", file=file, sheet=sheet, row=i + 1)
        headers = unique_headers((header_values + [None] * width)[:width], file=file, sheet=sheet, row=h + 1,
                                 report=report)
    frame.columns = headers
    _report_merged(rows, headers, report, file=file, sheet=sheet)
    numbers = list(range(h + 2, h + 2 + len(frame)))
    for i, header in enumerate(headers):
        if named[i] or h < 0:
            continue
        rows_with_values = np.asarray(numbers)[filled[i]].tolist()
        if rows_with_values:
            where = ", ".join(map(str, rows_with_values[:5])) + (" …" if len(rows_with_values) > 5 else "")
            report.add(WARNUNG, f"Werte ohne Spaltenüberschrift (Zeilen {where}); übernommen als „{header}“.",
                       file=file, sheet=sheet, row=rows_with_values[0], column=header)
    return Table(file=file, sheet=sheet, header_row=h + 1, frame=frame, rows=numbers)


def _report_merged(rows: Sheet, headers: list[str], report: Report, *, file: str, sheet: str) -> None:
    """Say how many cells took their value from a merged range (``soni.intake._child.fill_merged``)."""
    merged = getattr(rows, "merged", None)
    if not merged:
        return
    total = sum(merged.values())
    per_column = ", ".join(f"„{headers[j] if j < len(headers) else _column_letter(j)}“ {n}"
                           for j, n in sorted(merged.items()))
    report.add(HINWEIS, f"{total} {'Zelle' if total == 1 else 'Zellen'} aus verbundenen Zellbereichen gefüllt "
               f"({per_column}): der Wert eines über mehrere Zeilen verbundenen Bereichs gilt für jede "
               "dieser Zeilen.", file=file, sheet=sheet)


# --------------------------------------------------------------------------- sheets
def _filled_rows(rows: Sheet, start: int) -> int:
    """How many rows from ``start`` on hold at least one value."""
    if isinstance(rows, Columns):
        if len(rows) <= start or rows.width == 0:
            return 0
        any_value = np.zeros(len(rows) - start, bool)
        for j in range(rows.width):
            held = np.array([not _is_empty(v) for v in rows.values(j)], dtype=bool)
            any_value |= held[rows.codes(j)[start:]]
        return int(any_value.sum())
    return sum(1 for r in rows[start:] if any(not _is_empty(c) for c in r))


def sheet_score(rows: Sheet) -> float:
    """How much a sheet looks like an activity inventory (rows × header quality)."""
    head = _head(rows, HEADER_SEARCH_ROWS)
    h = find_header(head)
    if h < 0:
        return 0.0
    return header_score(head[h]) * (1 + _filled_rows(rows, h + 1)) ** 0.5


def choose_sheet(sheets: dict[str, Sheet]) -> str:
    """The sheet that looks most like an inventory (the first one on a tie)."""
    names = list(sheets)
    if len(names) == 1:
        return names[0]
    scores = {n: sheet_score(sheets[n]) for n in names}
    return max(names, key=lambda n: (scores[n], -names.index(n)))


def _has_values(rows: Sheet) -> bool:
    if isinstance(rows, Columns):
        return any(not _is_empty(v) for j in range(rows.width) for v in rows.values(j))
    return any(any(not _is_empty(c) for c in r) for r in rows)


def load_sheets(data: bytes, file: str, report: Report) -> dict[str, Sheet]:
    """Check an upload (content, size, structure; ``soni.intake.guard``) and parse every sheet.

    Workbooks are parsed in a child process (``soni.intake.isolate``), as ``Columns``; CSV text
    in-process as one sheet of rows named "". Raises ``InputError`` when the file cannot be
    used. The child starts while the guard is still checking; when the guard refuses the file,
    the child is stopped and its answer never looked at. While the child parses an xlsx/xlsm,
    this process scans its sheet XML for error cells and formulas without value
    (``guard.scan_cells``); the child measures a sheet's extent when calamine read it beyond the
    limits, and the refusal names the cell (``guard.check_scan``; ``guard.check_cells`` when the
    child failed).
    """
    from soni.intake import guard, isolate

    if len(data) <= guard.MAX_FILE_BYTES:
        isolate.prefetch(data)
    try:
        inspection = guard.inspect(data, file, cells=False)  # cells: below, while the child parses
    except BaseException:
        isolate.discard(data)
        raise
    report.problems.extend(inspection.warnings)
    if inspection.kind == "csv":
        isolate.discard(data)
        return {"": parse_csv(data, file, report)}
    if inspection.kind not in ("xlsx", "xlsm"):
        return isolate.load_workbook_isolated(data, inspection.kind, file=file).sheets
    try:
        found = guard.scan_cells(data, file)  # error cells and formulas, while the child parses
    except BaseException:
        isolate.discard(data)
        raise
    try:
        book = isolate.load_workbook_isolated(data, inspection.kind, file=file)
    except InputError:
        guard.check_cells(data, file)  # a sheet beyond the limits explains a failed parse best
        raise
    if book.scan is not None:
        guard.check_scan(book.scan, file)  # the child found a sheet beyond the limits: refused here
    report.problems.extend(guard.check_scan(found, file))
    isolate.put_error_cells(book.sheets, found.errors)
    return book.sheets


def table_from_sheets(sheets: dict[str, Sheet], file: str, report: Report, *, sheet: str | None = None,
                      header_row: int | None = None) -> Table:
    """The chosen sheet (default: the one that looks most like an inventory) as a ``Table``."""
    if not sheets:
        raise InputError("Die Datei enthält keine Tabellenblätter.", file=file)
    if sheet is None:
        chosen = choose_sheet(sheets)
    elif sheet in sheets:
        chosen = sheet
    else:
        raise InputError(f"Blatt „{sheet}“ gibt es nicht (vorhanden: {', '.join(sheets)}).", file=file)
    others = [n for n in sheets if n != chosen and _has_values(sheets[n])]
    if others and sheet is None:
        report.add(HINWEIS, f"Blatt „{chosen}“ gelesen; weitere Blätter ({', '.join(others)}) "
                   "nicht gelesen – bei Bedarf anderes Blatt wählen.", file=file)
    rows = sheets[chosen]
    table = rows_to_table(rows, file=file, sheet=chosen, report=report, header_row=header_row)
    table.sheets = list(sheets)
    if table.frame.empty:
        raise InputError("Das Blatt enthält keine Datenzeilen unter der Kopfzeile.", file=file, sheet=chosen)
    return table

"""Stage 1 — read: bytes of an upload → one table per sheet, header found, every row numbered.

The sheets come from ``soni.intake.load_sheets`` (the file checked, workbooks parsed in a child
process, CSV text in-process); ``table_from_sheets`` finds the header row and builds a frame of
the original values. Rows above the header are reported, never silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from soni import columns, texts
from soni.intake.isolate import Columns, Sheet
from soni.intake.sheetscan import column_letters
from soni.intake.workbook import Rows
from soni.report import HINWEIS, WARNUNG, InputError, Report

#: How many rows at the top of a sheet may hold a title or notes before the header.
HEADER_SEARCH_ROWS = 30
MAX_ROWS = 500_000
MAX_COLUMNS = 500


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
        name = _header_text(value) or f"Spalte {column_letters(i)}"
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
        # a column of mostly distinct values (free text) is looked at as the frame's column: within
        # ``columns.shared_text_cells`` its text is then converted once for every later stage
        filled = [columns.filled_mask(frame[j]) if len(rows.values(j)) * 4 > n
                  else _filled_values(rows.values(j))[rows.codes(j)[start:]] for j in range(rows.width)]
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
        headers = [f"Spalte {column_letters(i)}" for i in range(width)]
    else:
        for i in range(h):
            if not all(_is_empty(c) for c in top[i]):
                text = texts.shortened(" ".join(_header_text(c) for c in top[i] if not _is_empty(c)), 80)
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
    per_column = ", ".join(f"„{headers[j] if j < len(headers) else column_letters(j)}“ {n}"
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

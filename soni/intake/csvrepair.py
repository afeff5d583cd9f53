"""Tolerant CSV reading: broken quoting and stray quotes read line by line, every repair reported.

``soni.intake.text.parse_csv`` reads a CSV strictly first. When that fails (a quote opened and never
closed, text after a closing quote), or when a quoted field swallowed whole lines that look like
records of their own, ``read_lines`` reads the text again record by record:

- a line with balanced quotes is one record (read leniently if strict reading fails: repaired);
- a line that opens a quote is joined with the following lines until the quote closes (a real
  multi-line cell, e.g. a description with line breaks), unless the quote stays open for more
  than ``MAX_JOIN`` lines, or the lines in between look like records of their own — then the
  quote is a stray one, and the line is read on its own with quotes as plain text (repaired).

Each repaired record is reported with its row number and its line in the file; no line is
dropped. Ragged rows (more or fewer cells) are left to ``soni.read`` (padded, reported).
"""

from __future__ import annotations

import csv
import io
import re

from soni.report import WARNUNG, Report

MAX_JOIN = 200  # lines a quoted cell may span before its opening quote counts as a stray one
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class TooLong(Exception):
    """A single field is longer than the csv module's limit (``soni.intake.text.MAX_CSV_FIELD``)."""

    def __init__(self, row: int) -> None:
        super().__init__(row)
        self.row = row


def _reader(text: str, delim: str, *, strict: bool = True, quoting: int = csv.QUOTE_MINIMAL):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict, quoting=quoting)


def _record(text: str, delim: str, row: int, **kwargs) -> list[str]:
    """One record's cells (several physical rows of a record are joined)."""
    try:
        rows = list(_reader(text, delim, **kwargs))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise TooLong(row) from None
        raise
    return [cell for part in rows for cell in part] if len(rows) != 1 else rows[0]


def _width(lines: list[str], delim: str) -> int:
    """The usual number of cells per record, from the first lines with balanced quotes."""
    counts = [sum(p.count(delim) for p in line.split('"')[::2]) + 1
              for line in lines[:200] if line.strip() and line.count('"') % 2 == 0]
    return max(set(counts), key=counts.count) if counts else 1


def _swallows(inner: list[str], delim: str, width: int) -> bool:
    """Whether lines inside a quoted cell look like records of their own (then the quote is a stray one)."""
    return width >= 3 and any(line.count(delim) >= width - 1 for line in inner)


def _joined(record: str, delim: str, row: int, width: int) -> list[str] | None:
    """The cells of a record spanning several lines, or None when it does not read as one whole
    record (strictly, with at least the usual number of cells): then its first quote is a stray one."""
    try:
        cells = _record(record, delim, row)
    except csv.Error:
        return None
    return cells if len(cells) >= width else None


def needs_repair(text: str, rows: list[list[str]], delim: str) -> bool:
    """Whether strictly read ``rows`` hide records inside a quoted cell (stray quotes that pair up)."""
    if len(rows) >= text.count("\n") or '"' not in text:  # no record spans several lines
        return False
    width = _width(_LINE_BREAK.split(text[:200_000]), delim)
    return width >= 3 and any("\n" in cell and _swallows(cell.split("\n")[1:-1], delim, width)
                              for row in rows for cell in row)


def read_lines(text: str, delim: str, file: str, report: Report) -> list[list[str]]:
    """Records of CSV ``text``, line by line, repairing broken quoting (see the module docstring).

    Raises ``TooLong`` for a cell longer than the field limit (nothing sensible to read there).
    """
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    width = _width(lines, delim)
    rows: list[list[str]] = []
    repaired: list[int] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        row = len(rows) + 1
        end = i + 1
        if line.count('"') % 2:  # a quote opens here: a cell over several lines, or a stray quote
            quotes = line.count('"')
            while end < len(lines) and end - i <= MAX_JOIN and quotes % 2:
                quotes += lines[end].count('"')
                end += 1
            joined = None if quotes % 2 or _swallows(lines[i + 1:end - 1], delim, width) else \
                _joined("\n".join(lines[i:end]), delim, row, width)
            if joined is None:
                rows.append(_record(line, delim, row, quoting=csv.QUOTE_NONE))
                _say(report, file, row, i, repaired, "ein Anführungszeichen ohne Gegenstück; die Zeile wurde für "
                     "sich gelesen, das Anführungszeichen bleibt als Text stehen")
                i += 1
            else:
                rows.append(joined)
                i = end
            continue
        try:
            rows.append(_record(line, delim, row))
        except csv.Error:  # quotes inside a cell: as plain text if that gives the usual cells, else leniently
            literal = _record(line, delim, row, quoting=csv.QUOTE_NONE)
            rows.append(literal if len(literal) == width else _record(line, delim, row, strict=False))
            _say(report, file, row, i, repaired, "Anführungszeichen mitten in einer Zelle; die Zeile wurde "
                 "für sich gelesen")
        i = end
    if repaired:
        rest = repaired[MAX_MESSAGES:]
        more = (f" Weitere reparierte Zeilen: {', '.join(map(str, rest[:200]))}{' …' if len(rest) > 200 else ''}."
                if rest else "")
        report.add(WARNUNG, f"CSV mit fehlerhaften Anführungszeichen: {len(repaired)} "
                   f"{'Zeile' if len(repaired) == 1 else 'Zeilen'} einzeln gelesen und repariert; keine Zeile "
                   f"wurde ausgelassen.{more}", file=file)
    return rows


MAX_MESSAGES = 50  # repaired rows reported one by one; the rest by number in the summary


def _say(report: Report, file: str, row: int, line_index: int, repaired: list[int], what: str) -> None:
    repaired.append(row)
    if len(repaired) <= MAX_MESSAGES:
        where = "" if line_index + 1 == row else f" (Textzeile {line_index + 1} der Datei)"
        report.add(WARNUNG, f"CSV repariert{where}: {what}. Bitte die Zeile prüfen.", file=file, row=row)

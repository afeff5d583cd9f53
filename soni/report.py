"""What the pipeline noticed: problems with their place (file, sheet, row, column).

Every stage appends to one ``Report``; nothing it skips or changes goes unsaid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

FEHLER = "Fehler"  # the input (or part of it) cannot be used
WARNUNG = "Warnung"  # used, but something was changed, guessed or skipped
HINWEIS = "Hinweis"  # for information

#: Order of the levels in a sorted report.
LEVEL_ORDER = {FEHLER: 0, WARNUNG: 1, HINWEIS: 2}

REPORT_COLUMNS = ("Stufe", "Datei", "Blatt", "Zeile", "Spalte", "Meldung")
#: How the message of a skipped row starts; the reason follows (``Report.skip``).
SKIPPED = "Zeile übersprungen: "


class InputError(Exception):
    """Input that cannot be used at all. The message is German and says what and where."""

    def __init__(self, message: str, *, file: str = "", sheet: str = "", row: int | None = None,
                 column: str = "") -> None:
        self.message = message
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        super().__init__(self.located())

    def located(self) -> str:
        """The message with its place, e.g. 'liste.xlsx, Blatt „2024“, Zeile 5: …'."""
        return _locate(self.message, self.file, self.sheet, self.row, self.column)


def _locate(message: str, file: str, sheet: str, row: int | None, column: str) -> str:
    where = []
    if file:
        where.append(file)
    if sheet:
        where.append(f"Blatt „{sheet}“")
    if row is not None:
        where.append(f"Zeile {row}")
    if column:
        where.append(f"Spalte „{column}“")
    return f"{', '.join(where)}: {message}" if where else message


@dataclass(frozen=True)
class Problem:
    level: str
    message: str
    file: str = ""
    sheet: str = ""
    row: int | None = None  # as the user sees it in Excel / the CSV (1-based)
    column: str = ""

    def located(self) -> str:
        return _locate(self.message, self.file, self.sheet, self.row, self.column)


@dataclass
class Report:
    """An ordered list of problems plus the rows that were skipped."""

    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # input rows skipped (empty, totals, legends, repeated headers)

    def add(self, level: str, message: str, *, file: str = "", sheet: str = "", row: int | None = None,
            column: str = "") -> None:
        self.problems.append(Problem(level, message, file, sheet, row, column))

    def skip(self, reason: str, *, file: str = "", sheet: str = "", row: int | None = None) -> None:
        """Record one skipped input row (always with a reason)."""
        self.skipped += 1
        self.add(HINWEIS, SKIPPED + reason, file=file, sheet=sheet, row=row)

    def extend(self, other: Report) -> None:
        self.problems.extend(other.problems)
        self.skipped += other.skipped

    def of_level(self, level: str) -> list[Problem]:
        return [p for p in self.problems if p.level == level]

    @property
    def has_errors(self) -> bool:
        return any(p.level == FEHLER for p in self.problems)

    def to_frame(self) -> pd.DataFrame:
        """The report as a table with German column names (Stufe, Datei, Blatt, Zeile, Spalte, Meldung)."""
        rows: Iterable[tuple] = (
            (p.level, p.file, p.sheet, p.row, p.column, p.message) for p in self.problems
        )
        frame = pd.DataFrame(list(rows), columns=list(REPORT_COLUMNS))
        frame["Zeile"] = frame["Zeile"].astype("Int64")
        return frame

    def sorted_frame(self) -> pd.DataFrame:
        """``to_frame`` with errors first, then warnings, then notes (stable), and "Zeile" as text.

        A message without a row gets an empty cell (never "None" or "<NA>").
        """
        frame = self.to_frame()
        order = frame["Stufe"].map(LEVEL_ORDER).fillna(len(LEVEL_ORDER))
        frame = frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)
        frame["Zeile"] = [str(int(v)) if pd.notna(v) else "" for v in frame["Zeile"]]
        return frame

    def level_counts(self) -> dict[str, int]:
        """How many problems of each level (Fehler, Warnung, Hinweis; zeros included)."""
        return {level: sum(p.level == level for p in self.problems) for level in LEVEL_ORDER}

    def skip_summary(self) -> dict[str, int]:
        """How many rows were skipped for which reason."""
        counts: dict[str, int] = {}
        for p in self.problems:
            if p.message.startswith(SKIPPED):
                reason = p.message[len(SKIPPED):]
                counts[reason] = counts.get(reason, 0) + 1
        return counts

    def skip_reasons(self, file: str, sheet: str) -> dict[int, str]:
        """Row → reason of the rows of one sheet that were skipped."""
        return {p.row: p.message[len(SKIPPED):] for p in self.problems
                if p.row is not None and p.file == file and p.sheet == sheet and p.message.startswith(SKIPPED)}

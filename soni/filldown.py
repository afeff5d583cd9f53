"""Stage 3b — fill down: a column filled only in the first row of each block (unmerged office lists).

Offices often write the Quartier or the Träger once above a block of activities and leave the
cells below empty (the same as merged cells, without the merge). ``suggest`` finds such columns
when the pattern is clear; ``fill`` puts each value into the empty cells below it, when the user
accepts (``pipeline.Options.fill_down``). Both work on the rows that are activities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from soni import columns, schema
from soni.report import HINWEIS, WARNUNG, InputError, Report

MIN_ROWS = 4
MAX_FILLED_SHARE = 0.6  # at most this share of the rows holds a value …
MIN_BLOCK = 1.5  # … and a block has on average at least this many rows
MIN_CHANGE = 0.8  # consecutive values differ (each one starts a new block)
MIN_DENSE = 0.9  # the rows themselves are full: the title (or the fullest column) is filled in nearly all


def _held(values: pd.Series, text_column: bool) -> np.ndarray:
    """Which cells hold a value (not empty, not a placeholder)."""
    array = values.to_numpy(dtype=object)
    return columns.filled_mask(values) & ~columns.no_value_mask(array, text_column=text_column)


def suggest(frame: pd.DataFrame, mapping: Mapping[str, str]) -> list[str]:
    """Headers of the block columns that are filled only at the top of each block."""
    n = len(frame)
    title = mapping.get(schema.TITEL) or mapping.get(schema.BESCHREIBUNG)
    if n < MIN_ROWS or title not in frame.columns or columns.filled_mask(frame[title]).mean() < MIN_DENSE:
        return []
    found = []
    for name in schema.BLOCK_COLUMNS:
        header = mapping.get(name)
        if header is None or header not in frame.columns:
            continue
        held = columns.filled_mask(frame[header])
        if held.mean() > 0.95:  # filled throughout (the usual case): nothing to fill down
            continue
        held &= ~columns.no_value_mask(frame[header].to_numpy(dtype=object))
        k = int(held.sum())
        if not held[0] or k < 2 or k > MAX_FILLED_SHARE * n or n / k < MIN_BLOCK:
            continue
        values = pd.Series(frame[header].to_numpy(dtype=object)[held]).astype(str)
        changes = float((values.to_numpy()[1:] != values.to_numpy()[:-1]).mean())
        if changes >= MIN_CHANGE:
            found.append(str(header))
    return found


def fill(frame: pd.DataFrame, headers: Sequence[str], rows: Sequence[int], report: Report, *, file: str,
         sheet: str) -> pd.DataFrame:
    """A copy of ``frame`` whose empty cells in ``headers`` take the value above; reported per column."""
    missing = [h for h in headers if h not in frame.columns]
    if missing:
        raise InputError(f"Die Spalte „{missing[0]}“ zum Auffüllen gibt es in der Datei nicht.", file=file,
                         sheet=sheet, column=missing[0])
    out = frame.copy()
    for header in dict.fromkeys(headers):
        held = _held(frame[header], True)
        values = frame[header].where(held)
        filled = values.ffill()
        new = ~held & filled.notna().to_numpy()
        if not new.any():
            continue
        out[header] = filled.where(new, frame[header]).astype(object)
        at = np.asarray(rows)[new]
        report.add(HINWEIS, f"{int(new.sum())} leere Zellen mit dem Wert darüber aufgefüllt (ab Zeile {at[0]}).",
                   file=file, sheet=sheet, column=str(header))
    return out


def tell(suggested: Sequence[str], report: Report, *, file: str, sheet: str) -> None:
    """Suggest filling down the columns that look like it (when the user has not chosen to)."""
    for header in suggested:
        report.add(WARNUNG, "Die Spalte ist nur in der ersten Zeile jedes Blocks gefüllt; die Zeilen darunter "
                   "gelten vermutlich für denselben Wert. Zum Übernehmen „nach unten auffüllen“ wählen "
                   "(Seite „Daten hochladen“ oder --auffuellen).", file=file, sheet=sheet, column=header)

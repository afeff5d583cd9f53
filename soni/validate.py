"""Stages 3 and 5 — validate: which rows are activities, and what is wrong in their cells.

``screen_rows`` runs on the original values before normalising and decides,
row by row, whether it is an activity or a skip (empty, total, repeated
header, legend or footnote) — every skip is reported with its row.
``check_cells`` runs after normalising: Excel error values, overlong cells,
negative numbers, an end before the start, rows without any text.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soni import columns, schema, texts
from soni.report import FEHLER, HINWEIS, WARNUNG, Report
from soni.textbytes import holding, may_have_edge_space

MAX_CELL_CHARS = schema.EXCEL_MAX_CELL_CHARS
#: At most this many single messages of one kind per column; the rest are counted.
MAX_MESSAGES = 25
#: Largest believable amount per activity and column; beyond it (or not finite) a value is refused:
#: reported with row and column, the cell counts as empty, the row stays. Keeps sums, shares and
#: colour scales finite (two Stunden of 1e308 made the chart colours NaN, 1e200 € broke the PDF).
MAX_NUMBER: dict[str, float] = {
    schema.STUNDEN: 1e6, schema.TEILNEHMENDE: 1e7, schema.KOSTEN: 1e10, schema.EHRENAMTLICHE: 1e6,
}

EXCEL_ERRORS = columns.EXCEL_ERRORS
TOTAL_ROW, REPEATED_HEADER, EXAMPLE_ROW = "Summenzeile", "Kopfzeile wiederholt", "Beispielzeile der Vorlage"
#: Skip reasons that hold whatever the row's cells hold: a formula there whose result is missing
#: changes nothing (``soni.intake.guard.formulas_in_skipped_rows``). An empty row or a footnote may
#: be one only because results are missing.
REGARDLESS_OF_VALUES = frozenset({TOTAL_ROW, REPEATED_HEADER, EXAMPLE_ROW})
_TOTAL_WORDS = ("summe", "summen", "gesamt", "gesamtsumme", "zwischensumme", "insgesamt", "total", "totals",
                "gesamtergebnis", "ergebnis", "sum", "subtotal")
_TOTAL = re.compile(r"^(?:" + "|".join(_TOTAL_WORDS) + r")\b[\s:]*", re.IGNORECASE)
#: A text can match ``_TOTAL`` only when it starts with one of these letters (either case) or with a non-ASCII
#: character (Python's IGNORECASE also lets "ſ" stand for "s", "ı" for "i" …).
_TOTAL_STARTS = frozenset(ord(c) for w in _TOTAL_WORDS for c in (w[0], w[0].upper()))
_NOTE = re.compile(r"^(?:\*|quelle\b|stand\b|legende\b|hinweis\b|anmerkung|erläuterung|fußnote|"
                   r"datenstand|note\b|erstellt\b|gedruckt\b|druckdatum\b|seite [0-9]|page [0-9]|©|copyright\b|"
                   r"letzte änderung|zuletzt geändert|bearbeitet\b|anzahl\b)", re.IGNORECASE)


def _row_shape(frame: pd.DataFrame, text_headers: frozenset[str] = frozenset(),
               context_headers: frozenset[str] = frozenset()
               ) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, pd.Series]:
    """Per row: how many cells hold a value, the first such cell if it is text (else ""),
    how many cells repeat their column's header, how many hold only a placeholder or an
    error value ("-bitte auswählen-", "#WERT!"; "0" too in ``text_headers``: these are not counted as
    filled), and how many of the cells holding a value are in ``context_headers``. Column by column
    with vectorised string operations, no loops over rows; each distinct text is compared with the
    header and the placeholders once."""
    n = len(frame)
    count = np.zeros(n, dtype=np.int64)
    first = np.full(n, "", dtype=object)
    unset = np.ones(n, dtype=bool)
    same = np.zeros(n, dtype=np.int64)
    junk = np.zeros(n, dtype=np.int64)
    context = np.zeros(n, dtype=np.int64)
    for header in frame.columns:
        values = frame[header].to_numpy(dtype=object)
        filled = columns.present(values)  # a value that is not text is there or not
        in_text = str(header) in text_headers
        at, text = columns.text_cells(values)
        if len(at):
            stripped = text.str.strip() if _may_need_strip(text) else text  # Arrow strings: vectorised
            nonblank = stripped.ne("").to_numpy(dtype=bool)
            name = str(header).strip().casefold()
            # only texts that may be a placeholder or the header are looked at, each distinct one once
            look = np.flatnonzero(columns.no_value_candidates(stripped)
                                  | (stripped.str.len().to_numpy() <= len(name)))
            if len(look):
                codes, distinct = stripped.iloc[look].factorize()
                no_value = columns.no_value_texts(distinct, text_column=in_text)
                if no_value.any():
                    hit = look[no_value[codes]]
                    junk[at[hit]] += 1
                    nonblank = nonblank.copy()
                    nonblank[hit] = False
                is_header = _equals_header(distinct, name)
                if is_header.any():
                    same[at[look[is_header[codes]]]] += 1
            filled[at] = nonblank
            todo = nonblank & unset[at]
            if todo.any():
                first[at[todo]] = stripped[todo].to_numpy(dtype=object)
        if in_text and len(at) < len(values):  # a number 0 in a text column (formula result)
            zero = columns.no_value_mask(values, text_column=True) & filled
            if zero.any():
                junk += zero
                filled &= ~zero
        count += filled
        if str(header) in context_headers:
            context += filled
        unset &= ~filled
    index = frame.index
    return (pd.Series(count, index=index), pd.Series(first, index=index, dtype=object),
            pd.Series(same, index=index), pd.Series(junk, index=index), pd.Series(context, index=index))


def _may_need_strip(text: pd.Series) -> bool:
    """Whether stripping may change a text of ``text`` (Arrow strings); a column of free text without spaces at
    the ends is then not copied."""
    arrow = pa.array(text.array, type=pa.large_string())
    return may_have_edge_space(arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow)


def _equals_header(distinct: pd.Index, name: str) -> np.ndarray:
    """Which distinct (stripped) texts equal ``name`` (a header stripped and case-folded) case-folded.
    ``str.casefold`` never makes a text shorter, so only texts no longer than ``name`` are looked at in
    Python (not long free text)."""
    out = np.zeros(len(distinct), dtype=bool)
    short = np.flatnonzero(pd.Series(distinct, dtype="str").str.len().to_numpy() <= len(name))
    if len(short):
        candidates = np.asarray(distinct, dtype=object)[short]
        out[short] = np.fromiter((text.casefold() == name for text in candidates), bool, len(short))
    return out


def _matches(texts: pd.Series, pattern: re.Pattern, where: pd.Series, max_len: int | None = None,
             starts: frozenset[int] | None = None) -> pd.Series:
    """``pattern.match`` on the ``where`` rows of ``texts`` (False elsewhere), once per distinct text; with
    ``starts`` only texts whose first character is one of these code points or not ASCII are looked at."""
    out = np.zeros(len(texts), dtype=bool)
    at = np.flatnonzero(where.to_numpy(dtype=bool))
    if len(at) and starts is not None:  # the first characters of all texts at once (numpy: no Python loop)
        first = np.array(texts.to_numpy(dtype=object)[at], dtype="U1").view(np.uint32)
        at = at[np.isin(first, np.fromiter(starts, np.uint32, len(starts))) | (first > 127)]
    if len(at):
        chosen = texts.to_numpy(dtype=object)[at]
        if max_len is not None:  # longer texts never match: not looked at
            at = at[np.fromiter(map(len, chosen), np.int64, len(chosen)) <= max_len]
            chosen = texts.to_numpy(dtype=object)[at]
        codes, distinct = pd.factorize(chosen)
        hits = np.fromiter((pattern.match(t) is not None for t in distinct), bool, len(distinct))
        out[at] = hits[codes]
    return pd.Series(out, index=texts.index)


def screen_rows(frame: pd.DataFrame, rows: list[int], mapping: dict[str, str], report: Report, *,
                file: str, sheet: str) -> pd.Series:
    """True for rows that are activities; every other row is reported as skipped, with the reason.

    A row whose only values besides error values and placeholders are in columns that describe a
    block (Quartier, Träger, …: filled from a merged range or written on every row) is no activity
    either: an error row ("Südstadt", "#WERT!", "#WERT!" …) is skipped and reported.
    """
    text_headers = frozenset(str(mapping[c]) for c in schema.TEXT_COLUMNS if c in mapping)
    context_headers = frozenset(str(mapping[c]) for c in schema.BLOCK_COLUMNS if c in mapping)
    count, first_text, same, junk, context = _row_shape(frame, text_headers, context_headers)
    keep = count > 0
    reasons = pd.Series("", index=frame.index, dtype=object)
    reasons[~keep] = "leere Zeile"
    reasons[~keep & (junk > 0)] = "nur Fehlerwerte oder Platzhalter"
    only_junk = keep & (junk > 0) & (count == context) & (junk >= count)
    reasons[only_junk] = "nur Fehlerwerte oder Platzhalter (neben Angaben wie Quartier oder Träger)"
    keep &= ~only_junk
    if not len(frame):
        return keep

    title_col = mapping.get(schema.TITEL)
    # repeated header rows (a list pasted twice, or a header on every page)
    repeated = keep & (same >= np.maximum(2, 0.6 * count))
    reasons[repeated] = REPEATED_HEADER
    keep &= ~repeated
    # totals
    is_total = _matches(first_text, _TOTAL, keep, max_len=40, starts=_TOTAL_STARTS)
    if title_col is not None and is_total.any():
        at = np.flatnonzero(is_total.to_numpy(dtype=bool))  # few rows: looked at one by one
        titles = [v if isinstance(v, str) else "" for v in frame[title_col].to_numpy(dtype=object)[at]]
        fits = np.fromiter((not t.strip() or _TOTAL.match(t) is not None for t in titles), bool, len(at))
        flags = is_total.to_numpy(dtype=bool).copy()
        flags[at[~fits]] = False
        is_total = pd.Series(flags, index=frame.index)
    total = keep & is_total & (count <= max(4, int(0.8 * len(frame.columns))))
    reasons[total] = TOTAL_ROW
    keep &= ~total
    # the template's example rows
    if title_col is not None:
        example = keep & frame[title_col].astype("str").str.strip().str.startswith(schema.BEISPIEL_MARKE).fillna(False)
        reasons[example] = EXAMPLE_ROW
        keep &= ~example
    # legends and footnotes: sparse rows after the last dense row, or marked as a note
    if keep.any():
        typical = float(count[keep].quantile(0.75))
        sparse = count <= max(2, 0.3 * typical)
        dense_idx = count[keep & ~sparse].index
        last_dense = dense_idx.max() if len(dense_idx) else None
        trailing = pd.Series(False, index=frame.index)
        if last_dense is not None and typical >= 4:
            trailing = (frame.index.to_series() > last_dense) & sparse
        note = sparse & _matches(first_text, _NOTE, sparse)
        legend = keep & (trailing | note)
        reasons[legend] = "Legende oder Fußnote"
        keep &= ~legend
    row_of = pd.Series(rows, index=frame.index)
    for i in reasons[reasons != ""].index:
        report.skip(str(reasons[i]), file=file, sheet=sheet, row=int(row_of[i]))
    return keep


def check_cells(original: pd.DataFrame, activities: pd.DataFrame, mapping: dict[str, str], report: Report,
                *, file: str, sheet: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cell checks after normalising; overlong cells are cut to Excel's limit (both frames).

    Returns the (possibly changed) original and activity frames.
    """
    row_of = activities[schema.ZEILE]
    given = original  # read from the frame as given; cut long cells in the copy
    original = original.copy()
    activities = activities.copy()
    for column in given.columns:
        values = given[column].to_numpy(dtype=object)
        at, text = columns.text_cells(values)
        if not len(at):
            continue
        # only texts that may be an error value or too long are stripped and looked at (not all free text)
        code, long_bytes = _may_be_code(text), _longer_in_bytes(text)
        look = np.flatnonzero(code | long_bytes)
        texts = pd.Series(text.iloc[look].str.strip().array, index=given.index[at[look]])
        errors = _on(given.index[at], look[code[look]], _error_values(texts[code[look]]))
        _say(report, errors, row_of, lambda i, t=texts: f"Excel-Fehlerwert {t[i].strip()} in der Zelle; "
             "der Wert zählt als leer.", file, sheet, str(column))
        long = _on(given.index[at], look, texts.str.len() > MAX_CELL_CHARS)
        if long.any():
            _say(report, long, row_of, lambda i, t=texts: f"Zelle hat {len(t[i]):,} Zeichen; auf "
                 f"{MAX_CELL_CHARS:,} gekürzt (Grenze von Excel).".replace(",", "."), file, sheet, str(column))
            long = long.reindex(original.index, fill_value=False)
            original.loc[long, column] = original.loc[long, column].str.slice(0, MAX_CELL_CHARS)
    for name in schema.TEXT_COLUMNS:
        if name in activities:
            if _longer_in_bytes(activities[name]).any() and (activities[name].str.len() > MAX_CELL_CHARS).any():
                activities[name] = activities[name].str.slice(0, MAX_CELL_CHARS)
            look = np.flatnonzero(_may_be_code(activities[name]))
            some = activities[name].iloc[look]
            errors = _on(activities.index, look, _excel_codes(some.str.strip()) | _err_codes(some))
            if errors.any():
                activities.loc[errors, name] = ""
    for name in schema.NUMBER_COLUMNS:
        limit = MAX_NUMBER.get(name, 1e10)
        huge = ~np.isfinite(activities[name]) & activities[name].notna() | (activities[name].abs() > limit)
        if huge.any():
            _say(report, huge, row_of, lambda i, n=name, m=limit: f"Wert {_number(activities.at[i, n])} ist "
                 f"unglaubhaft groß (höchstens {_number(m)}); er wird nicht übernommen, die Zelle zählt als leer.",
                 file, sheet, mapping.get(name, name), level=FEHLER)
            activities.loc[huge, name] = np.nan
        negative = activities[name] < 0
        _say(report, negative, row_of, lambda i, n=name: f"Negativer Wert ({activities.at[i, n]:g}) – "
             "bitte prüfen; er wird so übernommen.", file, sheet, mapping.get(name, name))
    backwards = activities[schema.ENDE] < activities[schema.BEGINN]
    _say(report, backwards, row_of, lambda i: "Ende liegt vor dem Beginn – bitte prüfen.", file, sheet,
         mapping.get(schema.ENDE, schema.ENDE))
    no_text = pd.Series(_blank(activities[schema.TITEL]) & _blank(activities[schema.BESCHREIBUNG]),
                        index=activities.index)
    if no_text.any():
        rows = ", ".join(str(r) for r in row_of[no_text].head(10))
        more = " …" if no_text.sum() > 10 else ""
        report.add(HINWEIS, f"{int(no_text.sum())} Aktivitäten ohne Titel und Beschreibung (Zeilen {rows}{more}); "
                   "sie bleiben erhalten, lassen sich aber nur von Hand zuordnen.", file=file, sheet=sheet)
    return original, activities


def _may_be_code(texts: pd.Series) -> np.ndarray:
    """Texts that may be an error value once stripped — they hold "#" or ":" ("Err:nnn"; a byte scan, no work per
    text: many short texts cost RE2 more than their bytes) — and missing ones."""
    arrow = pa.array(texts.astype("str").array, type=pa.large_string())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    found = holding(arrow, _CODE_BYTES)
    return found | pc.is_null(arrow).to_numpy(zero_copy_only=False) if arrow.null_count else found


_CODE_BYTES = tuple(b"#:")


def _longer_in_bytes(texts: pd.Series) -> np.ndarray:
    """Texts with more than MAX_CELL_CHARS bytes (a text with more characters has at least as many bytes)."""
    lengths = pc.binary_length(pa.array(texts.astype("str").array, type=pa.large_string()))
    return pc.fill_null(pc.greater(lengths, MAX_CELL_CHARS), False).to_numpy(zero_copy_only=False)


def _on(index: pd.Index, at: np.ndarray, values: pd.Series) -> pd.Series:
    """A boolean Series over ``index``: ``values`` at the positions ``at``, False elsewhere."""
    out = np.zeros(len(index), dtype=bool)
    out[at] = values.to_numpy(dtype=bool)
    return pd.Series(out, index=index)


def _blank(texts: pd.Series) -> np.ndarray:
    """``texts.str.strip() == ""`` (missing: False) without a stripped copy (``columns._not_blank``)."""
    arrow = pa.array(texts.astype("str").array, type=pa.large_string())
    blank = pc.or_(pc.equal(arrow, ""), pc.utf8_is_space(arrow))
    return pc.fill_null(blank, False).to_numpy(zero_copy_only=False)


_ERR_CODE = r"Err:[0-9]{3}"  # LibreOffice's error codes (ASCII digits: Arrow's regex, no Python fallback)


def _err_codes(texts: pd.Series) -> pd.Series:
    """Which texts are LibreOffice error codes (``Err:502``)."""
    found = texts.str.startswith("Err:")
    if found.any():
        found[found] = texts[found].str.fullmatch(_ERR_CODE)
    return found.astype(bool)


def _excel_codes(stripped: pd.Series) -> pd.Series:
    """Which (stripped) texts are Excel's error codes, in any case (``#DIV/0!``, ``#nv`` …)."""
    found = stripped.str.startswith("#")  # every code does; upper case for these few only
    if found.any():
        found[found] = stripped[found].str.upper().isin(EXCEL_ERRORS)
    return found.astype(bool)


def _error_values(stripped: pd.Series) -> pd.Series:
    """Which (stripped) texts are spreadsheet error values: Excel's codes or ``Err:nnn``."""
    return _excel_codes(stripped) | _err_codes(stripped)


def _number(value: float) -> str:
    """A number for a message: German digits up to 10^12, else with an exponent ("1e+200")."""
    return texts.fmt_number(value) if abs(value) < 1e12 else f"{value:.3g}".replace(".", ",")


def _say(report: Report, mask: pd.Series, row_of: pd.Series, message, file: str, sheet: str,
         column: str, level: str = WARNUNG) -> None:
    """Report up to MAX_MESSAGES cells of ``mask`` one by one, then a count of the rest."""
    hits = mask[mask.fillna(False).astype(bool)].index
    for i in hits[:MAX_MESSAGES]:
        report.add(level, message(i), file=file, sheet=sheet, row=int(row_of[i]), column=column)
    if len(hits) > MAX_MESSAGES:
        report.add(level, f"… und {len(hits) - MAX_MESSAGES} weitere Zellen dieser Art.", file=file,
                   sheet=sheet, column=column)

"""Stage 4 — normalise: original cells → typed canonical columns.

German numbers ("1.200,50", "ca. 12", "10–15"), the date forms offices use
("03/2025", "seit 2019", real dates, bare years, Excel serials, Unix times),
periods (Jahr, Halbjahr, Quartal) and Quartier names (trimmed, one readable
spelling per name). Every value that could not be read is reported with its
row and column; nothing is replaced silently.

Each parser works on the distinct values of a column only, so long
inventories with repeated values cost little.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from soni import columns, schema
from soni.report import HINWEIS, WARNUNG, Report
from soni.texts import shortened

NOTE_APPROX = "ungefähre Angabe übernommen"
NOTE_RANGE = "Spanne, Mittelwert übernommen"

# --------------------------------------------------------------------------- numbers
_APPROX = re.compile(r"^(?:ca\.?|circa|zirka|etwa|rund|ungefähr|ungef\.|~|≈|>|<|>=|<=|über|unter|mind\.?|"
                     r"mindestens|max\.?|maximal|bis zu|knapp)\s*", re.IGNORECASE)
_UNITS = re.compile(r"(?:€|eur(?:o)?|std\.?|stunden|stunde|h|personen|pers\.?|tn|teilnehmende|"
                    r"teilnehmer(?:innen)?|leute|%|/\s*(?:jahr|woche|monat|wo\.?|mon\.?)|p\.\s*a\.?|"
                    r"pro\s+(?:jahr|woche|monat))\s*$", re.IGNORECASE)
_RANGE = re.compile(r"^(.+?)\s*(?:-|–|—|bis)\s*(.+)$")
_PLAIN = re.compile(r"^[-+]?\d[\d.,'’\s]*$")


def parse_number(value: Any) -> tuple[float, str | None]:
    """A German-written number → (value, note); NaN and a reason when it is not a number.

    >>> parse_number("1.200,50")
    (1200.5, None)
    >>> parse_number("ca. 12")
    (12.0, 'ungefähre Angabe übernommen')
    """
    if value is None or isinstance(value, bool):
        return math.nan, None
    if isinstance(value, int | float | np.integer | np.floating):
        return (math.nan, None) if value != value else (float(value), None)
    if isinstance(value, datetime | date):
        return math.nan, "ein Datum statt einer Zahl"
    text = " ".join(str(value).split())
    if len(text) > columns.MAX_PATTERN_TEXT:  # bounded work per cell; no number is that long
        return math.nan, f"„{shortened(text, 60)}“ ist keine Zahl"
    if not text or text in ("-", "–", "—", "/", "k. A.", "k.A.", "n. a.", "?"):
        return math.nan, None
    note = None
    for _ in range(3):
        stripped = _UNITS.sub("", _APPROX.sub("", text)).strip()
        if stripped != text and _APPROX.match(text):
            note = NOTE_APPROX
        text = stripped
    if _PLAIN.match(text):
        number = _german_float(text)
        return (number, note) if number is not None else (math.nan, f"„{value}“ ist keine Zahl")
    m = _RANGE.match(text)
    if m and not text.startswith("-"):
        low, high = (_german_float(_UNITS.sub("", p).strip()) for p in m.groups())
        if low is not None and high is not None:
            return (low + high) / 2, NOTE_RANGE
    return math.nan, f"„{value}“ ist keine Zahl"


def _german_float(text: str) -> float | None:
    text = text.replace(" ", "").replace("'", "").replace("’", "")
    if not text or not re.fullmatch(r"[-+]?[\d.,]+", text):
        return None
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.lstrip("+-")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3}){2,}", text) else text.replace(",", ".")
    elif "." in text and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        return sign * float(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- dates
MONTHS = {
    "jan": 1, "januar": 1, "jänner": 1, "feb": 2, "februar": 2, "mär": 3, "mrz": 3, "märz": 3, "maerz": 3,
    "mar": 3, "apr": 4, "april": 4, "mai": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
    "november": 11, "dez": 12, "dezember": 12,
}
_PREFIX = re.compile(r"^(?:seit|ab|von|bis|ca\.?|etwa|beginn|start|ende|vsl\.?|voraussichtlich)\s+",
                     re.IGNORECASE)
_NO_DATE = {"", "laufend", "fortlaufend", "offen", "unbefristet", "dauerhaft", "-", "–", "k. a.", "k.a.",
            "regelmäßig", "wöchentlich", "monatlich", "?"}
DAY, MONTH, QUARTER, YEAR = "Tag", "Monat", "Quartal", "Jahr"


def _year(y: int) -> int:
    return y + 2000 if y < 70 else (y + 1900 if y < 100 else y)


def parse_date(value: Any) -> tuple[pd.Timestamp, str | None, str | None]:
    """A date as offices write it → (timestamp, precision, problem).

    Precision is "Tag", "Monat", "Quartal" or "Jahr" (the timestamp is the first
    day of that span); NaT with a reason when it cannot be read.
    """
    if value is None or isinstance(value, bool):
        return pd.NaT, None, None
    if isinstance(value, pd.Timestamp | datetime | date):
        ts = pd.Timestamp(value)
        return (ts, DAY, None) if 1900 <= ts.year <= 2200 else (pd.NaT, None, "Datum außerhalb 1900–2200")
    if isinstance(value, int | float | np.integer | np.floating):
        if value != value:
            return pd.NaT, None, None
        v = float(value)
        if v.is_integer() and 1900 <= v <= 2100:
            return pd.Timestamp(int(v), 1, 1), YEAR, None
        if 20000 <= v <= 80000:  # Excel serial day
            return pd.Timestamp("1899-12-30") + pd.Timedelta(days=int(v)), DAY, None
        if 1e9 <= v <= 4.2e9:  # Unix seconds
            return pd.Timestamp(int(v), unit="s").normalize(), DAY, None
        return pd.NaT, None, f"„{value}“ ist kein Datum"
    text = " ".join(str(value).split())
    if len(text) > columns.MAX_PATTERN_TEXT:  # bounded work per cell
        return pd.NaT, None, f"„{shortened(text, 60)}“ ist kein lesbares Datum"
    if text.isdigit() and len(text) in (4, 5, 10):
        return parse_date(int(text))
    if text.casefold() in _NO_DATE:
        return pd.NaT, None, None
    core = _core(text)
    parsed = _parse_date_text(core)
    if parsed is None:
        span = _span(core)
        if span is None:
            return pd.NaT, None, f"„{value}“ ist kein lesbares Datum"
        parsed = span[0]  # a span "2022–2024" begins with its first date (``span_end``: its last)
    return parsed[0], parsed[1], None


def _core(text: str) -> str:
    """``text`` without words before a date ("seit", "ab", "ca.", …) and a final full stop."""
    core = text
    while True:
        stripped = _PREFIX.sub("", core)
        if stripped == core:
            break
        core = stripped
    return core.rstrip(".").strip()


#: Between the two dates of a span: a dash, "bis" or a hyphen with spaces; a bare hyphen only
#: between two years or two dates written with "." or "/" (``_COMPACT_SPAN``; "2024-05" is a month).
_SPAN_WORDS = ("–", "—", " bis ", " - ")
_DATEISH = r"(?:(?:19|20)\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}[./]\d{2,4})"
_COMPACT_SPAN = re.compile(rf"({_DATEISH})\s*-\s*({_DATEISH})")


def _span(core: str) -> tuple[tuple[pd.Timestamp, str], tuple[pd.Timestamp, str]] | None:
    """First and last date of a span ("2022–2024", "01/2023 - 12/2024", "März 2023 bis Juni 2024"),
    each with its precision; None when ``core`` is no span of two readable dates in order."""
    parts = next(((core.partition(word)[0], core.partition(word)[2]) for word in _SPAN_WORDS if word in core), None)
    if parts is None and (m := _COMPACT_SPAN.fullmatch(core)):
        parts = m.group(1), m.group(2)
    if parts is None:
        return None
    first, last = (_parse_date_text(_core(part)) for part in parts)
    if first is None or last is None or last[0] < first[0]:
        return None
    return first, last


def span_end(value: Any) -> tuple[pd.Timestamp, str | None]:
    """The last date of a span written as text ("2022–2024" → 2024, "Jahr") with its precision;
    (NaT, None) for anything else (a single date, a number, no date)."""
    if not isinstance(value, str) or len(value) > columns.MAX_PATTERN_TEXT:
        return pd.NaT, None
    core = _core(" ".join(value.split()))
    span = _span(core) if _parse_date_text(core) is None else None
    return (span[1][0], span[1][1]) if span else (pd.NaT, None)


def _parse_date_text(t: str) -> tuple[pd.Timestamp, str] | None:
    low = t.casefold()
    try:
        if m := re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2,4})(?:[ ,].*)?", t):
            d, mo, y = (int(x) for x in m.groups())
            return pd.Timestamp(_year(y), mo, d), DAY
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", t):
            y, mo, d = (int(x) for x in m.groups())
            return pd.Timestamp(y, mo, d), DAY
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", t):  # US style m/d/y from exports
            mo, d, y = (int(x) for x in m.groups())
            if mo > 12:
                mo, d = d, mo
            return pd.Timestamp(_year(y), mo, d), DAY
        if m := re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", t):
            mo, y = int(m.group(1)), int(m.group(2))
            return pd.Timestamp(_year(y), mo, 1), MONTH
        if m := re.fullmatch(r"((?:19|20)\d{2})\s*/\s*(\d{2})", t):  # school year "2023/24"
            y, nxt = int(m.group(1)), int(m.group(2))
            if nxt == (y + 1) % 100:
                return pd.Timestamp(y, 1, 1), YEAR
        if m := re.fullmatch(r"(\d{4})[-/](\d{1,2})", t):
            y, mo = int(m.group(1)), int(m.group(2))
            return pd.Timestamp(y, mo, 1), MONTH
        if m := re.fullmatch(r"([a-zäöü]+)\.?\s*(\d{4}|\d{2})", low):
            month = MONTHS.get(m.group(1)) or MONTHS.get(m.group(1)[:3])
            if month:
                return pd.Timestamp(_year(int(m.group(2))), month, 1), MONTH
            return None
        if m := re.fullmatch(r"(?:q|quartal\s*)([1-4])\s*[/ ]?\s*(\d{4})|([1-4])\.\s*quartal\s*(\d{4})", low):
            q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            return pd.Timestamp(int(y), 3 * int(q) - 2, 1), QUARTER
        if m := re.fullmatch(r"((?:19|20)\d{2})(?:\s*/\s*\d{2,4})?", t):
            return pd.Timestamp(int(m.group(1)), 1, 1), YEAR
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- text and Quartier
_TAG = re.compile(r"<[^<>]{0,500}>")  # no "<" inside: each "<" starts at most one short scan (linear)


def clean_text(value: Any) -> str:
    """A cell as one line of plain text: HTML tags removed, entities decoded, whitespace folded."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if "<" in text and ">" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


_POSTCODE = re.compile(r"(?:,?\s*\b\d{5}\b\s*$)|(?:^\s*\d{5}\s+)")


def quartier_key(name: str) -> str:
    """The grouping key of a Quartier name (case and spacing ignored)."""
    return " ".join(name.casefold().replace("-", " - ").split()).replace(" - ", "-")


def normalise_quartier(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Quartier names → (readable name, key): trimmed, postcode removed, one spelling per key.

    The readable spelling is the most frequent one, preferring mixed case over
    ALL CAPS; empty names become ``schema.OHNE_QUARTIER``. Works on the distinct names
    and spreads the result by code.
    """
    try:
        codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    except TypeError:  # unhashable cells: one by one
        return _normalise_quartier_cells(values)
    cleaned = pd.Series([_POSTCODE.sub("", clean_text(v)).strip(" ,;") for v in uniques], dtype=object
                        ).astype(str)
    keys = cleaned.map(quartier_key).astype(str)
    rows = np.bincount(codes, minlength=len(uniques))
    spellings = pd.DataFrame({"name": cleaned, "key": keys, "n": rows})
    spellings = spellings[spellings["name"] != ""]
    counts = spellings.groupby(["key", "name"])["n"].sum().reset_index(name="n")
    counts["caps"] = counts["name"].map(lambda s: s.isupper() or s.islower())
    counts = counts.sort_values(["key", "caps", "n"], ascending=[True, True, False])
    display = counts.drop_duplicates("key").set_index("key")["name"].to_dict()
    names = pd.array([display.get(k, schema.OHNE_QUARTIER) for k in keys], dtype="str")
    keys = pd.array(keys.where(keys != "", quartier_key(schema.OHNE_QUARTIER)), dtype="str")
    return pd.Series(names.take(codes), index=values.index), pd.Series(keys.take(codes), index=values.index)


def _normalise_quartier_cells(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    cleaned = _map_unique(values, lambda v: _POSTCODE.sub("", clean_text(v)).strip(" ,;")).astype(str)
    keys = _map_unique(cleaned, quartier_key).astype(str)
    spellings = pd.DataFrame({"name": cleaned, "key": keys})
    spellings = spellings[spellings["name"] != ""]
    counts = spellings.groupby(["key", "name"]).size().reset_index(name="n")
    counts["caps"] = counts["name"].map(lambda s: s.isupper() or s.islower())
    counts = counts.sort_values(["key", "caps", "n"], ascending=[True, True, False])
    display = counts.drop_duplicates("key").set_index("key")["name"].to_dict()
    names = _map_unique(keys, lambda k: display.get(k, schema.OHNE_QUARTIER))
    keys = keys.where(keys != "", quartier_key(schema.OHNE_QUARTIER))
    return names.astype(str), keys.astype(str)


# --------------------------------------------------------------------------- frame
def _map_unique(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """Apply ``func`` once per distinct value (hashable ones), keep the index."""
    try:
        uniques = pd.unique(values.to_numpy(dtype=object))
        table = {u: func(u) for u in uniques}
        return pd.Series([table[v] for v in values.to_numpy(dtype=object)], index=values.index, dtype=object)
    except TypeError:
        return values.map(func)


def _distinct(values: np.ndarray, func: Callable[[Any], Any]) -> tuple[list, np.ndarray]:
    """``func`` of each distinct value (as ``_map_unique`` groups them) and each cell's index into that list."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return [func(u) for u in uniques], codes


def _numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers of a column (float64) and a note per cell (None when read as it was).

    Cells that already hold numbers are taken as they are; only text cells are parsed,
    once per distinct text.
    """
    cells = raw.to_numpy(dtype=object)
    values = np.full(len(cells), np.nan)
    real = raw.map(type).isin((int, float)).to_numpy()
    if real.any():
        values[real] = pd.to_numeric(pd.Series(cells[real], dtype=object), errors="coerce").astype("float64")
    notes = np.full(len(cells), None, dtype=object)
    rest = np.isnan(values) & columns.present(cells)
    if rest.any():
        parsed, codes = _distinct(cells[rest], parse_number)
        values[rest] = np.array([p[0] for p in parsed], dtype="float64")[codes]
        notes[rest] = _objects([p[1] for p in parsed])[codes]
    return pd.Series(values, index=raw.index, dtype="float64"), pd.Series(notes, index=raw.index, dtype=object)


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _dates(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates of a column, their precision ("Tag", "Monat", …, "" unknown) and a problem per cell.

    Each distinct value is converted (or parsed) once.
    """
    cells = raw.to_numpy(dtype=object)
    real = raw.map(type).isin((datetime, pd.Timestamp, date)).to_numpy()
    dates = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[us]")
    precision = np.full(len(cells), "", dtype=object)
    notes = np.full(len(cells), None, dtype=object)
    if real.any():
        codes, uniques = pd.factorize(cells[real])
        converted = pd.to_datetime(pd.Series(uniques, dtype=object), errors="coerce")
        dates[real] = pd.Series(converted, dtype="datetime64[us]").to_numpy()[codes]
        precision[real] = DAY
    rest = ~real & columns.present(cells)
    if rest.any():
        parsed, codes = _distinct(cells[rest], parse_date)
        converted = pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object), errors="coerce")
        dates[rest] = pd.Series(converted, dtype="datetime64[us]").to_numpy()[codes]
        precision[rest] = _objects([p[1] or "" for p in parsed])[codes]
        notes[rest] = _objects([p[2] for p in parsed])[codes]
    index = raw.index
    return (pd.Series(dates, index=index, dtype="datetime64[us]"), pd.Series(precision, index=index, dtype=object)
            .astype(str), pd.Series(notes, index=index, dtype=object))


#: Whitespace other than a single space (what ``str.split`` splits on), as one RE2 character class:
#: literal characters, no ``\s`` — pandas would hand ``\s`` to Python's ``re``, row by row.
_ODD_SPACE = "[" + "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != " ") + "]"
#: Markup (``<``, ``&``) or whitespace that ``" ".join(text.split())`` would change.
_NEEDS_CLEANING = f"[<&]|{_ODD_SPACE}|  |^ | \\Z"


def texts(raw: pd.Series) -> pd.Series:
    """Text cells as one clean line each (``clean_text``), vectorised for plain text.

    Each distinct text is looked at once; only texts with markup or untidy whitespace
    (found with Arrow string operations) go through Python.
    """
    values = raw.to_numpy(dtype=object)
    at, text = columns.text_cells(values)
    if len(at) == len(values) and not text.str.contains(_NEEDS_CLEANING, regex=True).any():
        return pd.Series(text.array, index=raw.index)  # all text, all clean (free text: mostly distinct)
    is_text = np.zeros(len(values), dtype=bool)
    is_text[at] = True
    distinct: list[np.ndarray] = [np.array([""], dtype=object)]  # code 0: empty
    codes = np.zeros(len(values), dtype=np.int64)
    if len(at):
        text_codes, uniques = text.factorize()
        plain = pd.Series(uniques, dtype="str")
        # one RE2 pass finds the texts with markup or untidy whitespace; Python looks only at those
        odd = plain.str.contains(_NEEDS_CLEANING, regex=True).to_numpy(bool)
        cleaned = plain.to_numpy(dtype=object)
        for i in np.flatnonzero(odd):
            text = cleaned[i]
            cleaned[i] = clean_text(text) if "<" in text or "&" in text else " ".join(text.split())
        codes[at] = text_codes + 1
        distinct.append(cleaned)
    other = np.flatnonzero(~is_text) if is_text.all() else np.flatnonzero(~is_text & ~pd.isna(values))
    if len(other):
        codes[other] = np.arange(len(other)) + sum(map(len, distinct))
        distinct.append(_map_unique(raw.iloc[other], clean_text).to_numpy(dtype=object))
    # one Arrow string per distinct text, spread by code (no conversion of every cell)
    table = pd.array(np.concatenate(distinct), dtype="str")
    return pd.Series(table.take(codes), index=raw.index)


def normalise(frame: pd.DataFrame, mapping: Mapping[str, str], rows: list[int], report: Report, *,
              file: str, sheet: str) -> pd.DataFrame:
    """Original frame + mapping → the canonical typed columns (one row per input row).

    ``rows`` are the Excel row numbers of ``frame``'s rows, for the report.
    """
    out = pd.DataFrame(index=frame.index)
    row_of = pd.Series(rows, index=frame.index)

    def problems(mask: pd.Series, notes: pd.Series, column: str, level: str = WARNUNG) -> None:
        for i in mask[mask].index:
            report.add(level, f"{notes[i]}; Wert bleibt leer.", file=file, sheet=sheet, row=int(row_of[i]),
                       column=column)

    for canon in schema.CANON:
        header = mapping.get(canon.name)
        raw = frame[header] if header is not None else pd.Series(None, index=frame.index, dtype=object)
        if header is not None:
            raw = _without_placeholders(raw, canon.kind == "text", report, row_of, file=file, sheet=sheet,
                                        column=str(header))
        if canon.kind == "number":
            values, notes = _numbers(raw)
            if canon.name == schema.STUNDEN and header is not None:
                values = _hours_per_year(values, str(header), report, file=file, sheet=sheet)
            out[canon.name] = values
            bad = notes.notna() & ~notes.isin([NOTE_APPROX, NOTE_RANGE])
            problems(bad, notes, str(header))
            fuzzy = notes.isin([NOTE_APPROX, NOTE_RANGE])
            if fuzzy.any():
                first = int(row_of[fuzzy[fuzzy].index[0]])
                report.add(HINWEIS, f"{int(fuzzy.sum())} Werte als ungefähre Angabe oder Spanne gelesen "
                           f"(z. B. Zeile {first}).", file=file, sheet=sheet, column=str(header))
        elif canon.kind == "date":
            dates, precision, notes = _dates(raw)
            out[canon.name] = dates
            out[f"_{canon.name}_genau"] = precision
            problems(notes.notna(), notes, str(header))
        elif canon.name == schema.QUARTIER:
            out[schema.QUARTIER], out[schema.QUARTIER_KEY] = normalise_quartier(raw)
        else:
            out[canon.name] = texts(raw)
    if mapping.get(schema.BEGINN) is not None and mapping.get(schema.ENDE) is None:
        _ends_of_spans(frame[mapping[schema.BEGINN]], out, row_of, report, file=file, sheet=sheet,
                       column=str(mapping[schema.BEGINN]))
    _add_periods(out)
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def _without_placeholders(raw: pd.Series, text_column: bool, report: Report, row_of: pd.Series, *, file: str,
                          sheet: str, column: str) -> pd.Series:
    """The column with placeholders ("-bitte auswählen-", "k.A.", "n.n.", "-"; "0" in a text column) and
    error values ("#WERT!") as empty cells; the placeholders are reported once (errors: ``validate``)."""
    values = raw.to_numpy(dtype=object)
    hits = columns.no_value_mask(values, text_column=text_column)
    if not hits.any():
        return raw
    errors = np.fromiter((type(v) is str and columns.is_error_text(v) for v in values[hits]), bool, int(hits.sum()))
    placeholders = np.flatnonzero(hits)[~errors]
    if len(placeholders):
        shown = ", ".join(f"„{t}“" for t in dict.fromkeys(clean_text(v) for v in values[placeholders][:200]))
        report.add(HINWEIS, f"{len(placeholders)} Platzhalter ({shown[:120]}) als leer gelesen, z. B. Zeile "
                   f"{int(row_of.iloc[placeholders[0]])}.", file=file, sheet=sheet, column=column)
    cleaned = values.copy()
    cleaned[hits] = None
    return pd.Series(cleaned, index=raw.index, dtype=object)


def _hours_per_year(values: pd.Series, header: str, report: Report, *, file: str, sheet: str) -> pd.Series:
    """Hours counted per week or month (by the header: "Std./Monat") as hours per year, with a note."""
    period = columns.hours_period(header)
    if period is None or period[1] == 1.0 or not values.notna().any():
        return values
    name, factor = period
    if not factor:
        report.add(WARNUNG, f"Die Stunden sind laut Überschrift pro {name} angegeben; sie werden nicht umgerechnet "
                   "und zählen wie Stunden pro Jahr. Bitte in der Datei als Stunden pro Jahr angeben.",
                   file=file, sheet=sheet, column=header)
        return values
    report.add(HINWEIS, f"Stunden pro {name} (laut Überschrift) in Stunden pro Jahr umgerechnet (× {factor:g}).",
               file=file, sheet=sheet, column=header)
    return values * factor


def _ends_of_spans(raw: pd.Series, out: pd.DataFrame, row_of: pd.Series, report: Report, *, file: str, sheet: str,
                   column: str) -> None:
    """Without an end column, the spans in the start column ("Zeitraum": "2022–2024") give the end."""
    cells = raw.to_numpy(dtype=object)
    present = columns.present(cells)
    if not present.any():
        return
    parsed, codes = _distinct(cells[present], span_end)
    ends = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[us]")
    ends[present] = pd.Series(pd.to_datetime(pd.Series([p[0] for p in parsed], dtype=object)),
                              dtype="datetime64[us]").to_numpy()[codes]
    spans = ~np.isnat(ends)
    if not spans.any():
        return
    precision = out[f"_{schema.ENDE}_genau"].to_numpy(dtype=object).copy()
    precision[present] = _objects([p[1] or "" for p in parsed])[codes]
    out[schema.ENDE] = pd.Series(ends, index=out.index, dtype="datetime64[us]")
    out[f"_{schema.ENDE}_genau"] = pd.Series(precision, index=out.index, dtype=object).astype(str)
    first, count = int(np.flatnonzero(spans)[0]), int(spans.sum())
    report.add(HINWEIS, f"{count} {'Zeitraum' if count == 1 else 'Zeiträume'} als Beginn und Ende gelesen "
               f"(z. B. „{cells[first]}“ in Zeile {int(row_of.iloc[first])}).", file=file, sheet=sheet, column=column)


def _add_periods(out: pd.DataFrame) -> None:
    """Jahr, Halbjahr ("2024-H1") and Quartal ("2024-Q3") from Beginn and its precision.

    The period texts are built once per distinct start date (plus one NaT) and spread by code.
    """
    start = out[schema.BEGINN]
    precise = out[f"_{schema.BEGINN}_genau"].isin([DAY, MONTH, QUARTER])
    out[schema.JAHR] = start.dt.year.astype("Int64")
    codes, uniques = pd.factorize(start, use_na_sentinel=True)
    distinct = pd.Series(np.concatenate([np.asarray(uniques, dtype=start.dtype),
                                         np.array(["NaT"], dtype=start.dtype)]))
    codes = np.where(codes < 0, len(distinct) - 1, codes)
    year = distinct.dt.year.astype("Int64").astype(str)
    half = np.where(distinct.dt.month <= 6, "-H1", "-H2")
    quarter = "-Q" + distinct.dt.quarter.astype("Int64").astype(str)
    out[schema.HALBJAHR] = pd.Series((year + half).array.take(codes), index=out.index).where(precise, "").astype(str)
    out[schema.QUARTAL] = pd.Series((year + quarter).array.take(codes), index=out.index).where(precise, "").astype(str)

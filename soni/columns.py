"""Stage 2 — columns: which original header is which canonical column.

Headers are matched against the synonyms in ``soni.schema.CANON`` (exact,
whole word, or as part of a German compound), then checked against the
column's content (a number column must hold numbers, a title must not).
Every column is assigned at most once; the caller may override the result.

Mapping rules (scores add up per header):
- header equals a synonym: 100; starts with it as a word: 60; contains it as a word: 40;
- a word of the header begins or ends with a synonym of ≥ 4 letters (compounds
  like "Projektträger", "Stadtteilname"): 25;
- earlier synonyms in the list are more specific and get a small bonus;
- the content must fit the kind: numbers ≥ 60 % numeric, dates ≥ 50 % date-like,
  text ≥ 50 % non-numeric; titles prefer many distinct values, descriptions long text.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import numpy as np
import pandas as pd

from soni import schema
from soni.report import HINWEIS, WARNUNG, InputError, Report

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^0-9a-z€%]+")
SAMPLE = 300  # values looked at for the kind of a column
DISTINCT_SAMPLE = 3000  # values looked at for the share of distinct values
#: Longest cell still looked at as a number or a date (longer: text); bounds the work per cell.
MAX_PATTERN_TEXT = 200


def short_text(text: str) -> bool:
    """Whether a cell, blanks around it aside, is short enough to be looked at as a number or date."""
    return len(text) <= MAX_PATTERN_TEXT or len(text.strip()) <= MAX_PATTERN_TEXT


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, punctuation to single spaces: "Träger/-in" → "traeger in"."""
    return " ".join(_NON_WORD.sub(" ", str(text).casefold().translate(_UMLAUTS)).split())


_FOLDED: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (c.name, tuple(dict.fromkeys(fold(s) for s in c.synonyms if fold(s)))) for c in schema.CANON
)


def header_scores(header: str) -> dict[str, float]:
    """Score of a header for each canonical column it may mean (by its words only)."""
    if not short_text(header) and len(" ".join(header.split())) > MAX_PATTERN_TEXT:
        return {}  # no column name is that long: bounded work, and the cache keeps no huge text
    return dict(_header_scores(header))


@lru_cache(maxsize=8192)  # header detection scores the same cells for every sheet and again for the table
def _header_scores(header: str) -> tuple[tuple[str, float], ...]:
    h = fold(header)
    if not h:
        return ()
    words = h.split()
    padded = f" {h} "
    scores: dict[str, float] = {}
    for name, synonyms in _FOLDED:
        total = 0.0
        for rank, syn in enumerate(synonyms):
            if syn not in h:  # every rule below needs the synonym inside the header
                continue
            bonus = 5 * (1 - rank / len(synonyms))
            if h == syn:
                total += 100 + bonus
            elif h.startswith(syn + " "):
                total += 60 + bonus
            elif f" {syn} " in padded:
                total += 40 + bonus
            elif len(syn) >= 4 and " " not in syn and any(
                w != syn and (w.startswith(syn) or w.endswith(syn)) for w in words
            ):
                total += 25 + bonus
            elif syn in schema.UNIT_SUFFIXES and any(w != syn and w.endswith(syn) for w in words):
                total += 40 + bonus  # a unit ends the compound, as clear as a word: "Wochenstd.", "Jahresstd."
        if total:
            scores[name] = total
    return tuple(scores.items())


def match_header(header: str) -> str | None:
    """The canonical column a header names by its words (at least a whole-word match), or None."""
    scores = header_scores(header)
    if not scores:
        return None
    name, score = max(scores.items(), key=lambda kv: kv[1])
    return name if score >= 40 else None


#: Periods an hours column may count per, by the words of its header: (name, factor to hours per year).
_PERIODS = (
    (("woche", "woech", "wtl"), ("Woche", 52.0)),
    (("monat", "mtl", "monatl"), ("Monat", 12.0)),
    (("jahr", "jaehr", "jhrl"), ("Jahr", 1.0)),
    (("tag", "taegl"), ("Tag", 0.0)),  # days per year differ too much: not converted
)
#: Short forms of a period as a word after the unit ("Std/Wo", "h/a", "Std./Mon.").
_PERIOD_ABBREVIATIONS = {
    **dict.fromkeys(("wo", "wk", "w"), ("Woche", 52.0)),
    **dict.fromkeys(("mo", "mon", "mt"), ("Monat", 12.0)),
    **dict.fromkeys(("a", "j", "jr", "yr"), ("Jahr", 1.0)),
    **dict.fromkeys(("d", "tg"), ("Tag", 0.0)),
}


def hours_period(header: str) -> tuple[str, float] | None:
    """The period an hours column counts per, from its header: "Std./Monat" → ("Monat", 12.0),
    "Stunden pro Woche" → ("Woche", 52.0), "h/Jahr" → ("Jahr", 1.0); None when the header names none.

    The factor converts to hours per year (0.0: the period is known but not converted).
    """
    words = fold(header).split()
    if "pa" in words or " p a" in f" {' '.join(words)} ":
        return ("Jahr", 1.0)
    for prefixes, period in _PERIODS:
        if any(w.startswith(prefixes) or (w != prefixes[0] and w.endswith(prefixes[0])) for w in words[1:] or words):
            return period
    for word in words[1:]:  # "Std/Wo", "h/a", "Std./Mon."
        if word in _PERIOD_ABBREVIATIONS:
            return _PERIOD_ABBREVIATIONS[word]
    return None


@dataclass(frozen=True)
class Profile:
    """What a column holds, from a sample of its non-empty values."""

    filled: float  # share of non-empty cells
    numeric: float  # share of the non-empty values that are numbers
    datelike: float
    mean_len: float  # mean text length
    distinct: float  # distinct values / non-empty values


# Blank runs are possessive: what follows a run is never a blank, so nothing changes but the time.
_DATE_TEXT = re.compile(
    r"^\s*+(?:(?:seit|ab|bis|ca\.?)\s++)?(?:\d{1,2}\.\s*+\d{1,2}\.\s*+\d{2,4}|\d{4}-\d{1,2}(?:-\d{1,2})?|"
    r"\d{1,2}\s*+[/.]\s*+\d{4}|(?:19|20)\d{2}|[a-zäöü]++\.?\s++(?:19|20)\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s.*)?$",
    re.IGNORECASE,
)
# A number as people write it ("ca. 12", "1.200,50 €", "3-4 Std."), used with ``fullmatch``.
# Linear time on any text: every run is possessive (``*+``) and no two neighbouring runs can
# take the same character, so a failing match never backtracks into a run (issue #16: the
# former ``\s*…[\d.,\s']*…\s*$`` took 15 s on 350 spaces, "1", 350 spaces, "x").
_NUMBER_TEXT = re.compile(r"\s*+(?:ca\.?|circa|etwa|rund|~|>|<|über|unter)?\s*+[-+]?\d[\d.,\s']*+"
                          r"(?:[-–]\s*+\d[\d.,]*+)?\s*+(?:€|eur|euro|std\.?|stunden|h|%|personen|tn)?\s*+",
                          re.IGNORECASE)


def profile(values: pd.Series) -> Profile:
    """Profile of a column of original values (object dtype)."""
    n = len(values)
    mask = filled_mask(values)
    n_filled = int(mask.sum())
    if n_filled == 0:
        return Profile(0, 0, 0, 0, 0)
    filled = values.to_numpy(dtype=object)[mask]
    spread = filled[:: max(1, n_filled // DISTINCT_SAMPLE)][:DISTINCT_SAMPLE].tolist()
    distinct = len({str(v) for v in spread}) / len(spread)
    sample = spread[:: max(1, len(spread) // SAMPLE)][:SAMPLE]
    numeric = sum(_is_number(v) for v in sample) / len(sample)
    datelike = sum(_is_datelike(v) for v in sample) / len(sample)
    mean_len = sum(len(str(v)) for v in sample) / len(sample)
    return Profile(n_filled / n, numeric, datelike, mean_len, distinct)


def filled_mask(values: pd.Series) -> np.ndarray:
    """Which cells of a column hold something (not None/NaN, not blank text); vectorised."""
    if values.dtype != object:
        return values.notna().to_numpy()
    array = values.to_numpy(dtype=object)
    filled = present(array)
    at, text = text_cells(array)
    if len(at):  # only text can be blank: not empty and not only whitespace (Arrow, without a stripped copy)
        filled[at] = _not_blank(text)
    return filled


def _not_blank(text: pd.Series) -> np.ndarray:
    """``text.str.strip() != ""`` for Arrow strings, without building the stripped copy (utf8_is_space and
    utf8_trim_whitespace know the same whitespace; checked for every code point in the tests)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrow = pa.array(text.array)
    return pc.and_(pc.not_equal(arrow, ""), pc.invert(pc.utf8_is_space(arrow))).to_numpy(zero_copy_only=False)


# --- text cells of a column, converted to Arrow strings once per intake -----------------------
_SCOPE = threading.local()


@contextmanager
def shared_text_cells() -> Iterator[None]:
    """Within this block, ``text_cells`` converts each column (object array) only once.

    The stages of one intake look at the same columns again and again (mapping, row screening,
    normalising, cell checks); converting their text to Arrow strings is the costly part.
    Entries are keyed by the array's memory and owner and live only inside the block, during
    which the intake changes no column in place.
    """
    outer = getattr(_SCOPE, "cache", None)
    _SCOPE.cache = {} if outer is None else outer
    try:
        yield
    finally:
        _SCOPE.cache = outer


def _cached(kind: str, values: np.ndarray, compute):
    """``compute(values)``, remembered within ``shared_text_cells`` for this array (by its memory and owner)."""
    cache = getattr(_SCOPE, "cache", None)
    if cache is None:
        return compute(values)
    owner = values
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    key = (kind, values.__array_interface__["data"][0], values.shape, values.strides, id(owner))
    hit = cache.get(key)
    if hit is not None and hit[0]() is owner:
        return hit[1]
    result = compute(values)
    cache[key] = (weakref.ref(owner), result)
    return result


def text_cells(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    """Positions of the ``str`` cells of an object array and their text as Arrow strings (index 0…k-1)."""
    return _cached("text", values, _text_cells)


def _text_cells(values: np.ndarray) -> tuple[np.ndarray, pd.Series]:
    at = np.flatnonzero(text_mask(values))
    return at, pd.Series(values[at], dtype="str")


#: ``pandas.api.types.infer_dtype`` kinds of columns that hold no ``str`` at all.
_NO_TEXT_KINDS = frozenset({"empty", "floating", "integer", "mixed-integer-float", "boolean", "decimal",
                            "complex", "datetime", "datetime64", "date", "time", "timedelta", "timedelta64",
                            "period", "interval", "bytes"})


def _all_text(values: np.ndarray) -> bool:
    """True when every cell is text, none missing (CSV columns): one pass that stops at the first other cell
    (once per array within ``shared_text_cells``: the stages ask again and again)."""
    return _cached("all text", values, _all_text_now)


def _all_text_now(values: np.ndarray) -> bool:
    return len(values) > 0 and pd.api.types.infer_dtype(values, skipna=False) == "string"


def present(values: np.ndarray) -> np.ndarray:
    """``~pd.isna(values)`` for an object array, without looking at every cell of an all-text column."""
    if _all_text(values):
        return np.ones(len(values), dtype=bool)
    return ~pd.isna(values)


def text_mask(values: np.ndarray) -> np.ndarray:
    """Which cells of an object array hold a Python ``str`` (``type(v) is str``).

    A uniform column is recognised in one vectorised pass; only mixed columns are
    looked at cell by cell.
    """
    if _all_text(values):
        return np.ones(len(values), dtype=bool)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string":  # every cell that is not missing is text
        return ~pd.isna(values)
    if kind in _NO_TEXT_KINDS:
        return np.zeros(len(values), dtype=bool)
    blank = values == ""  # numbers and dates with empty cells ("" from calamine) are the usual mix
    if blank.dtype == bool and blank.any() and (
            pd.api.types.infer_dtype(values[~blank], skipna=True) in _NO_TEXT_KINDS):
        return blank
    return np.fromiter((type(v) is str for v in values), bool, len(values))


# --- placeholders and error values: cells that hold no value ----------------------------------
EXCEL_ERRORS = frozenset({
    "#DIV/0!", "#NV", "#N/A", "#N/V", "#WERT!", "#VALUE!", "#BEZUG!", "#REF!", "#NAME?", "#NULL!",
    "#ZAHL!", "#NUM!", "#GETTING_DATA", "#SPILL!", "#ÜBERLAUF!", "#CALC!", "#FELD!", "#FIELD!",
})
_ERR_CODE = re.compile(r"Err:[0-9]{3}")  # LibreOffice's error codes
#: Texts that stand for "nothing entered" (compared without spaces, case-folded).
_PLACEHOLDERS = frozenset({
    "-", "--", "---", "–", "—", "_", "?", "??", "...", "…", "k.a.", "k.a", "ka", "k.a.n.", "keineangabe",
    "keineangaben", "n.n.", "n.n", "nn", "n.a.", "n/a", "nichtbekannt", "unbekannt", "entfällt", "leer",
    "bitteauswählen", "bittewählen", "auswählen", "wählen", "pleaseselect", "select", "choose",
})
_PLACEHOLDER_TRIM = " \t-–—_.:()[]<>*"
MAX_PLACEHOLDER_CHARS = 40
_PREFILTER_FROM = 64  # distinct short texts from which the vectorised pre-filter pays


def is_error_text(text: str) -> bool:
    """Excel's error codes in any case (``#DIV/0!``, ``#nv``) and LibreOffice's ``Err:502``."""
    t = text.strip()
    return t.upper() in EXCEL_ERRORS or bool(_ERR_CODE.fullmatch(t))


def is_placeholder(value: object, *, text_column: bool = False) -> bool:
    """A cell that stands for "nothing entered": "-bitte auswählen-", "k.A.", "n.n.", "-" …;
    in a text column also "0" (a formula's or a drop-down's empty result)."""
    if text_column and isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
        return True
    if type(value) is not str or len(value) > MAX_PLACEHOLDER_CHARS:
        return False
    squeezed = "".join(value.casefold().split())
    if not squeezed:
        return False
    if squeezed in _PLACEHOLDERS or squeezed.strip(_PLACEHOLDER_TRIM) in _PLACEHOLDERS:
        return True
    return text_column and squeezed == "0"


def is_no_value(value: object, *, text_column: bool = False) -> bool:
    """A placeholder or a spreadsheet error value."""
    return is_placeholder(value, text_column=text_column) or (type(value) is str and is_error_text(value))


def _ascii_alnum(text: str) -> int:
    return sum(c.isascii() and c.isalnum() for c in text)


#: The most ASCII letters and digits a text without value can hold: casefolding, removing spaces,
#: stripping ``_PLACEHOLDER_TRIM`` and ``upper`` keep every ASCII letter and digit (as an ASCII letter
#: or digit), so a text with more of them than any placeholder or error code has is neither.
_MAX_NO_VALUE_ALNUM = max(_ascii_alnum(t) for t in (*_PLACEHOLDERS, *EXCEL_ERRORS, "Err:000", "0"))
_MORE_ALNUM = f"(?:[A-Za-z0-9][^A-Za-z0-9]*){{{_MAX_NO_VALUE_ALNUM + 1}}}"  # RE2 (Arrow): one linear pass


def no_value_candidates(texts: pd.Series) -> np.ndarray:
    """False for each text (Arrow strings) that is surely no placeholder or error value: longer than
    ``MAX_PLACEHOLDER_CHARS`` or with more ASCII letters and digits than any of them has. Vectorised; the length
    from the texts' bytes where it decides (a character has 1–4 bytes), not by counting every character."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from soni.textbytes import text_bytes

    arrow = pa.array(texts.astype("str").array, type=pa.large_string())
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    size = np.diff(text_bytes(arrow)[1])
    out = size <= MAX_PLACEHOLDER_CHARS
    count = np.flatnonzero(~out & (size <= 4 * MAX_PLACEHOLDER_CHARS))  # may still have few characters
    if len(count):
        out[count] = pc.utf8_length(arrow.take(pa.array(count))).to_numpy(zero_copy_only=False) <= \
            MAX_PLACEHOLDER_CHARS
    if arrow.null_count:
        out &= arrow.is_valid().to_numpy(zero_copy_only=False)
    short = np.flatnonzero(out)
    if len(short) > _PREFILTER_FROM:
        some = arrow if len(short) == len(arrow) else arrow.take(pa.array(short))
        out[short[pc.match_substring_regex(some, _MORE_ALNUM).to_numpy(zero_copy_only=False)]] = False
    return out


def no_value_texts(distinct: pd.Index | pd.Series, *, text_column: bool = False) -> np.ndarray:
    """``is_no_value`` of each text of ``distinct`` (Arrow strings): only ``no_value_candidates`` go
    through Python (a column of titles or names has hardly any)."""
    out = no_value_candidates(pd.Series(distinct, dtype="str"))
    short = np.flatnonzero(out)
    if len(short):
        texts = np.asarray(distinct, dtype=object)[short]
        check = _no_value_text_column if text_column else _no_value_text
        out[short] = np.fromiter(map(check, texts), bool, len(short))
    return out


@lru_cache(maxsize=65536)  # the same texts are looked at when rows are screened and when columns are read
def _no_value_text(text: str) -> bool:
    return is_no_value(text)


@lru_cache(maxsize=65536)
def _no_value_text_column(text: str) -> bool:
    return is_no_value(text, text_column=True)


def clear_caches() -> None:
    """Forget the cell texts and headers looked at. The caches serve one intake; kept, they would hold
    up to 139,264 texts of users' files in the server process (measured full: 27 MB for the two
    placeholder caches, 4.6 MB for the headers). ``views.server.release_memory`` calls this."""
    for cached in (_no_value_text, _no_value_text_column, _header_scores):
        cached.cache_clear()


def no_value_mask(values: np.ndarray, *, text_column: bool = False) -> np.ndarray:
    """Which cells of an object array are placeholders or error values (each distinct candidate text looked
    at once, ``no_value_candidates``)."""
    out = np.zeros(len(values), dtype=bool)
    at, text = text_cells(values)
    look = np.flatnonzero(no_value_candidates(text)) if len(at) else at
    if len(look):  # free text (long, or many letters) is not even factorised
        codes, distinct = text.iloc[look].factorize()
        hits = no_value_texts(distinct, text_column=text_column)
        if hits.any():
            out[at[look]] = hits[codes]
    if text_column and len(at) < len(values):  # a number 0 in a text column
        other = np.ones(len(values), dtype=bool)
        other[at] = False
        idx = np.flatnonzero(other & present(values))
        if len(idx):
            out[idx] = np.fromiter((is_placeholder(v, text_column=True) for v in values[idx]), bool, len(idx))
    return out


def _is_number(v: object) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return True
    return isinstance(v, str) and short_text(v) and bool(_NUMBER_TEXT.fullmatch(v))


def _is_datelike(v: object) -> bool:
    if isinstance(v, datetime | date | pd.Timestamp):
        return True
    if isinstance(v, int | float) and not isinstance(v, bool):
        return 1900 <= v <= 2100 or 1e9 <= v <= 4e9 or 20000 <= v <= 60000
    if isinstance(v, str) and v.strip().isdigit() and len(v.strip()) == 10:
        return True
    return isinstance(v, str) and short_text(v) and bool(_DATE_TEXT.match(v))


#: Columns a useful inventory needs; the report says when one is missing or contested.
WANTED: tuple[str, ...] = (schema.TITEL, schema.BESCHREIBUNG, schema.QUARTIER, schema.TRAEGER, schema.BEGINN)
#: A rival within this share of the chosen column's score is named in the report.
CONTESTED = 0.6
MIN_WEIGHT = 25


def content_factor(canon: schema.Canon, p: Profile) -> float:
    """How well a column's content fits a canonical column (0 = not at all).

    A description is longer free text; short texts (remarks such as "läuft gut") fit it less.
    A title is short and distinct; running text of many sentences fits it less.
    """
    if p.filled == 0:
        return 0.3
    if canon.kind == "number":
        return 1.0 if p.numeric >= 0.6 and p.datelike < 0.9 else 0.0
    if canon.kind == "date":
        return 1.0 if p.datelike >= 0.5 else 0.0
    if p.numeric > 0.5:
        return 0.0
    if canon.name == schema.TITEL:
        return (0.5 + 0.5 * p.distinct) * (1.0 if p.mean_len <= 100 else 0.7)
    if canon.name == schema.BESCHREIBUNG:
        return 0.25 + 0.75 * min(max(p.mean_len - 12, 0) / 48, 1.0)
    return 1.0


def free_text_weight(p: Profile) -> float:
    """Weight of a column as a description by its content alone: long, varied text (0 when it is not)."""
    if p.filled < 0.2 or p.numeric > 0.3 or p.datelike > 0.3 or p.mean_len < 40 or p.distinct < 0.5:
        return 0.0
    return 30 + min(p.mean_len, 150) / 5


@dataclass
class Choice:
    """The mapping and how it came about: each canonical column's candidates (header, weight), best first."""

    mapping: dict[str, str]
    candidates: dict[str, list[tuple[str, float]]]
    profiles: dict[str, Profile]
    overridden: frozenset[str] = frozenset()


def choose_mapping(frame: pd.DataFrame, override: Mapping[str, str | None] | None = None) -> Choice:
    """Canonical column → original header by header words and content, with the override applied.

    Raises ``InputError`` when an override names a header the table does not have.
    """
    profiles = {h: profile(frame[h]) for h in frame.columns}
    found: list[tuple[float, str, str]] = []
    content_only: set[str] = set()  # description candidates by their text alone
    for header in frame.columns:
        p = profiles[header]
        scores = header_scores(str(header))
        for name, score in scores.items():
            weight = score * content_factor(schema.CANON_BY_NAME[name], p)
            if weight >= MIN_WEIGHT:
                found.append((weight * (0.5 + 0.5 * p.filled), name, header))
        by_content = free_text_weight(p)
        if by_content and schema.BESCHREIBUNG not in scores:
            found.append((by_content * (0.5 + 0.5 * p.filled), schema.BESCHREIBUNG, header))
            content_only.add(header)
    found.sort(key=lambda c: -c[0])
    candidates: dict[str, list[tuple[str, float]]] = {}
    for weight, name, header in found:
        candidates.setdefault(name, []).append((str(header), round(weight, 1)))
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for _, name, header in found:
        if name not in mapping and header not in used:
            mapping[name] = header
            used.add(header)
    if schema.TITEL not in mapping and mapping.get(schema.BESCHREIBUNG) in content_only:
        mapping[schema.TITEL] = mapping.pop(schema.BESCHREIBUNG)  # the only text, named by nothing: a title
    _title_by_content(mapping, profiles, used, candidates)
    _title_from_rival(mapping, profiles, used, candidates)
    if schema.TITEL not in mapping and schema.BESCHREIBUNG not in mapping:
        fallback = _best_text_column(frame, profiles, used)
        if fallback is not None:
            mapping[schema.TITEL] = fallback
    overridden = set()
    for name, header in (override or {}).items():
        if name not in schema.CANON_BY_NAME:
            raise InputError(f"Unbekannte Zielspalte „{name}“ in der Spaltenzuordnung.")
        overridden.add(name)
        if not header:
            mapping.pop(name, None)
            continue
        if header not in frame.columns:
            raise InputError(f"Die Spalte „{header}“ gibt es in der Datei nicht.", column=header)
        for other in [k for k, v in mapping.items() if v == header]:
            del mapping[other]
        mapping[name] = header
    ordered = {c.name: mapping[c.name] for c in schema.CANON if c.name in mapping}
    return Choice(ordered, candidates, profiles, frozenset(overridden))


#: A title column: short, distinct names in (nearly) every row; a description: running text.
TITLE_MAX_LEN = 60
LONG_TEXT = 40
SHORTER = 0.6  # a title's mean length is at most this share of the description's


def _names_like(p: Profile, text: Profile, *, named: bool) -> bool:
    """Whether a column holds short, distinct names (a title) beside the running text ``text``:
    in (nearly) every row the text is in, much shorter; stricter for a column whose header names
    neither a title nor a description. Remarks ("läuft gut") repeat or are missing in many rows."""
    return (p.filled >= 0.9 * text.filled and p.distinct >= (0.8 if named else 0.9) and p.numeric <= 0.3
            and p.datelike <= 0.3 and 3 <= p.mean_len <= min(TITLE_MAX_LEN, SHORTER * text.mean_len))


def _title_by_content(mapping: dict[str, str], profiles: dict[str, Profile], used: set[str],
                      candidates: dict[str, list[tuple[str, float]]]) -> None:
    """Content decides between title and description (in place): when the title column (or, without
    one, the description's) holds the running text, a column of short distinct names (the
    description's, or one not used) becomes the title and the running text the description; a
    column of remarks that had taken the description's slot is then left unmapped."""
    title, desc = mapping.get(schema.TITEL), mapping.get(schema.BESCHREIBUNG)
    text = title if title is not None else desc
    if text is None or profiles[text].mean_len < LONG_TEXT:
        return
    if title is not None and desc is not None and profiles[desc].mean_len > SHORTER * profiles[title].mean_len:
        return  # the description is the longer text (or as long): nothing to change
    named = {h for name in (schema.TITEL, schema.BESCHREIBUNG) for h, _w in candidates.get(name, [])}
    pool = [h for h in profiles if (h not in used or h == desc) and h != text]
    short = [h for h in pool if _names_like(profiles[h], profiles[text], named=str(h) in named or h == desc)]
    if short:
        best = max(short, key=lambda h: (h == desc, str(h) in named, profiles[h].filled * profiles[h].distinct))
        if desc is not None and desc != best and title is not None:
            used.discard(desc)
        mapping[schema.TITEL], mapping[schema.BESCHREIBUNG] = best, text
        used.add(best)


def _title_from_rival(mapping: dict[str, str], profiles: dict[str, Profile], used: set[str],
                      candidates: dict[str, list[tuple[str, float]]]) -> None:
    """Without a title, a text column that lost the description's slot (to remarks, say) but holds
    short distinct names in (nearly) every row becomes the title (in place), instead of being left out."""
    desc = mapping.get(schema.BESCHREIBUNG)
    if schema.TITEL in mapping or desc is None:
        return
    named = [h for name in (schema.TITEL, schema.BESCHREIBUNG) for h, _w in candidates.get(name, [])]
    by_header = {str(h): h for h in profiles}
    pool = [by_header[h] for h in dict.fromkeys(named) if h in by_header and by_header[h] not in used]
    fits = [h for h in pool if profiles[h].filled >= max(0.9, profiles[desc].filled) and profiles[h].distinct >= 0.8
            and profiles[h].numeric <= 0.3 and profiles[h].datelike <= 0.3
            and 3 <= profiles[h].mean_len <= TITLE_MAX_LEN]
    if fits:
        mapping[schema.TITEL] = fits[0]
        used.add(fits[0])


def suggest_mapping(frame: pd.DataFrame) -> dict[str, str]:
    """Canonical column → original header, chosen by header words and content."""
    return choose_mapping(frame).mapping


def _best_text_column(frame: pd.DataFrame, profiles: dict[str, Profile], used: set[str]) -> str | None:
    best, best_score = None, 0.0
    for header in frame.columns:
        p = profiles[header]
        if header in used or p.numeric > 0.3 or p.datelike > 0.3 or p.mean_len < 8:
            continue
        score = p.filled * p.distinct * min(p.mean_len, 100)
        if score > best_score:
            best, best_score = header, score
    return best


def resolve_mapping(frame: pd.DataFrame, override: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The suggestion with a user's override applied (None or "" removes a column's mapping).

    Raises ``InputError`` when an override names a header the table does not have.
    """
    return choose_mapping(frame, override).mapping


def _quoted(headers: list[str]) -> str:
    return ", ".join(f"„{h}“" for h in headers)


def report_mapping(mapping: Mapping[str, str], frame: pd.DataFrame, report: Report, *, file: str,
                   sheet: str, choice: Choice | None = None) -> None:
    """Say which header became which column, which headers were not used, which wanted columns
    were not found or had a close rival (with the candidates)."""
    choice = choice or choose_mapping(frame)
    pairs = ", ".join(f"„{h}“ → {name}" for name, h in mapping.items())
    report.add(HINWEIS, f"Spaltenzuordnung: {pairs or 'keine Spalte erkannt'}.", file=file, sheet=sheet)
    unused = [str(h) for h in frame.columns if h not in mapping.values()]
    if unused:
        report.add(HINWEIS, f"Nicht zugeordnete Spalten (bleiben in der Tabelle erhalten): "
                   f"{', '.join(unused)}.", file=file, sheet=sheet)
    if schema.QUARTIER not in mapping:
        report.add(WARNUNG, f"Keine Quartier-Spalte erkannt: alle Aktivitäten zählen als "
                   f"„{schema.OHNE_QUARTIER}“. Bitte in der Spaltenzuordnung eine Spalte wählen"
                   f"{_offer(schema.QUARTIER, mapping, frame, choice)}.", file=file, sheet=sheet)
    if schema.TITEL not in mapping and schema.BESCHREIBUNG not in mapping:
        report.add(WARNUNG, "Weder Titel noch Beschreibung erkannt: die Zuordnung zum SONI-Modell "
                   "braucht Text. Bitte in der Spaltenzuordnung eine Spalte wählen.", file=file, sheet=sheet)
    for name in (schema.BESCHREIBUNG, schema.TRAEGER, schema.BEGINN):
        if name not in mapping and name not in choice.overridden:
            report.add(WARNUNG, f"Keine Spalte für „{name}“ erkannt ({_MISSING_EFFECT[name]}). Bei Bedarf in "
                       f"der Spaltenzuordnung wählen{_offer(name, mapping, frame, choice)}.", file=file,
                       sheet=sheet)
    for name in WANTED:
        chosen = mapping.get(name)
        if chosen is None or name in choice.overridden:
            continue
        ranked = choice.candidates.get(name, [])
        best = next((w for h, w in ranked if h == str(chosen)), 0.0)
        rivals = [h for h, w in ranked if h != str(chosen) and h not in mapping.values() and w >= CONTESTED * best]
        if rivals:
            report.add(WARNUNG, f"Für „{name}“ kamen mehrere Spalten in Frage: „{chosen}“ (gewählt), "
                       f"{_quoted(rivals[:3])}. Bitte prüfen und bei Bedarf in der Spaltenzuordnung ändern.",
                       file=file, sheet=sheet, column=str(chosen))


_MISSING_EFFECT = {
    schema.BESCHREIBUNG: "die Zuordnung zum SONI-Modell stützt sich dann nur auf den Titel",
    schema.TRAEGER: "Auswertungen nach Träger fehlen",
    schema.BEGINN: "ohne Beginn gibt es keine Zeitachse und keinen Vergleich von Zeiträumen",
}


def unmapped_candidates(name: str, mapping: Mapping[str, str], frame: pd.DataFrame, choice: Choice) -> list[str]:
    """Up to three headers not mapped elsewhere that could hold ``name``: by header words first, then by content."""
    used = {str(h) for h in mapping.values()}
    found = [h for h, _w in choice.candidates.get(name, []) if h not in used]
    kind = schema.CANON_BY_NAME[name].kind
    for header in frame.columns:
        p = choice.profiles[header]
        if str(header) in used or str(header) in found or p.filled == 0:
            continue
        if kind == "date":
            fits = p.datelike >= 0.5
        elif kind == "number":
            fits = p.numeric >= 0.6
        else:  # text; a Quartier or Träger repeats (few distinct values), a description is longer
            fits = p.numeric <= 0.3 and p.datelike <= 0.3 and (
                p.mean_len >= 40 if name == schema.BESCHREIBUNG else p.distinct <= 0.6)
        if fits:
            found.append(str(header))
    return found[:3]


def _offer(name: str, mapping: Mapping[str, str], frame: pd.DataFrame, choice: Choice) -> str:
    found = unmapped_candidates(name, mapping, frame, choice)
    return f" (in Frage kommen: {_quoted(found)})" if found else ""

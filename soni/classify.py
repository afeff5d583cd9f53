"""SONI classifier: assigns every activity a field and an aspect of the SONI grid, with reasons.

The knowledge lives in ``lexicon.csv`` beside this module (German words, stems and
word parts with a field, an aspect and a weight); users can add their own terms in
the same table format. Matching is vectorised: the texts are deduplicated, split
into words, and only the distinct words are matched — with one compiled regex of
all lexicon terms (a trie, so leftmost-longest) — against the lexicon. The scores
per field are weighted sums over the columns (title and type count more than the
provider); the decision keeps a margin and says "unklar" when the evidence is weak
or contradictory.

Public API: :func:`classify`, :func:`load_lexicon`, :func:`apply_corrections`,
:data:`LEXICON_PATH`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soni import grid, schema
from soni.report import InputError

LEXICON_PATH = Path(__file__).with_name("lexicon.csv")

#: Columns of a lexicon table (the lexicon file and users' own term files).
LEXICON_COLUMNS: tuple[str, ...] = ("Begriff", "Feld", "Aspekt", "Gewicht", "Grenze", "Ausnahme", "Hinweis")
_REQUIRED = ("Begriff", "Feld", "Gewicht")
#: Where a term may sit in a word. "Stamm" (the default, an empty cell): at the start of a word or
#: of a part of a compound ("Schuldnerberatung"), not inside a short prefix ("bei|spiel|sweise",
#: "Um|schulung"); terms of up to SHORT_TERM letters only at a word start. "Teil": anywhere.
GRENZEN: tuple[str, ...] = ("Stamm", "Teil", "Anfang", "Ende", "Wort")
#: A part of a compound starts after at least this many letters ("Neu|konzeption", "Tages|struktur") …
MIN_PREFIX = 3
#: … and not after a prefix that makes a new word rather than a compound ("Um|schulung", "bei|spiel").
PREFIXES: frozenset[str] = frozenset(
    {
        "ab", "an", "auf", "aus", "be", "bei", "dar", "ein", "ent", "er", "ge", "her", "hin", "miss", "nach", "un",
        "ueber", "um", "unter", "ver", "vor", "weg", "zer", "zu", "zusammen", "durch", "wider", "wieder", "hinter",
        "fort", "mit",
    }
)
#: Terms with at most this many letters match with "Stamm" only at a word start ("kurs", not "Konkurs").
SHORT_TERM = 4

#: How much a hit counts per column (title and type more than the provider).
COLUMN_WEIGHTS: dict[str, float] = {
    schema.TITEL: 1.5,
    schema.BESCHREIBUNG: 1.0,
    schema.ART: 1.5,
    schema.ZIELGRUPPE: 0.6,
    schema.TRAEGER: 0.3,
    schema.WEITERE_TEXTE: 0.8,
}
KOMBINATION = "Kombination"  # the "column" of a combination term in reasons

#: Decision rule: below MIN_SCORE the evidence is too weak; when the runner-up reaches
#: MAX_RATIO of the winner's score the evidence is contradictory. Both answer "unklar".
MIN_SCORE = 1.0
MAX_RATIO = 0.8
#: Raw confidence = share of the winner × (1 − exp(−score / CONFIDENCE_SCALE)), then calibrated (below).
CONFIDENCE_SCALE = 2.0
#: Calibration: the stated confidence is raw ** CONFIDENCE_EXPONENT, so that a stated 0.8 is right
#: about 80 % of the time. Fitted (least squares) on the tune splits of tests/data/soni_eval.csv
#: and tests/data/real_eval.csv; the table per confidence band is in docs/zuordnung.md.
CONFIDENCE_EXPONENT = 0.32
#: Rules never claim certainty: 1.0 is kept for fields from the file or a user.
MAX_RULE_CONFIDENCE = 0.99
_MAX_WORDS = 3  # words shown per column in a reason

OUTPUT_COLUMNS: tuple[str, ...] = (*schema.SONI_COLUMNS, schema.SONI_ZWEITFELD, schema.SONI_ZWEITWERT)

_FIELDS = grid.FIELD_NAMES
_ASPECTS = grid.ASPECTS  # 3 per field, in field order
_ASPECT_LABELS = np.array([a.label for a in _ASPECTS] + [""], dtype=object)
_FIELD_LABELS = np.array([*_FIELDS, grid.UNKLAR, grid.KEIN_BEZUG], dtype=object)
_NONE = len(_FIELDS)  # score column of "kein Sozialbezug" terms
_ASPECT_INDEX = {a.label: i for i, a in enumerate(_ASPECTS)}

_INNER_HYPHEN = r"(?<=[^\W_])[-'’](?=[^\W_])"
_FOLD_TABLE = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ê": "e", "ë": "e",
        "á": "a", "à": "a", "â": "a", "ó": "o", "ò": "o", "ô": "o", "í": "i", "ì": "i", "î": "i",
        "ú": "u", "ù": "u", "û": "u", "ç": "c", "ñ": "n",
    }
)
_START, _END = "\x02", "\x03"  # word sentinels for "Anfang"/"Ende"/"Wort"


# ---------------------------------------------------------------------------------------------
# the upload's other text columns

#: Headers of columns that hold no activity text (contact, address, place, ids, dates, money, people).
_NOT_ACTIVITY_TEXT = re.compile(
    r"mail|telefon|\btel\b|fax|url|link|web|homepage|internet|foto|bild|adress|stra(ss|ß)e|hausn|plz|"
    r"postleit|\bort\b|\bstadt\b|latitude|longitude|\blat\b|\blon\b|\blng\b|koordinat|geo|\bx\b|\by\b|"
    r"nummer|\bnr\b|\bid\b|datum|date|zeitraum|\bvon\b|\bbis\b|betrag|euro|summe|kosten|haushalt|"
    r"kapitel|einzelplan|position|\baob\b|ansprech|kontakt|vorname|nachname|person|bearbeit|erstellt|"
    r"anzahl|satz|quote|anteil|status|wertigkeit|bezirk|stadtteil|ortsteil|quartier|region|kreis|land",
    re.IGNORECASE,
)


_OWN_COLUMNS = frozenset({*schema.SONI_COLUMNS, schema.SONI_ZWEITFELD, schema.SONI_ZWEITWERT, schema.ZEILEN_ID,
                          schema.DATEI, schema.BLATT, schema.ZEILE, "Quelldatei", schema.WEITERE_TEXTE})


def extra_text(original: pd.DataFrame, mapping: Mapping[str, str | None]) -> pd.Series:
    """The text of the columns no canonical column took (service name, tags, offer …), one string per row.

    The classifier reads it as ``schema.WEITERE_TEXTE`` with a lower weight than title and
    description, so a list whose description column is nearly empty ("Kurzbeschreibung")
    is still read through its other columns ("Angebot"). Columns whose header names contact,
    address, place, ids, dates or money, and columns that hold mostly numbers, are left out.
    """
    used = {str(v) for v in mapping.values() if v}
    parts: list[pd.Series] = []
    for col in original.columns:
        header = str(col)
        if header in used or header in _OWN_COLUMNS or header.casefold().startswith("soni"):
            continue  # the pipeline's own output (a corrected download uploaded again) is no activity text
        if _NOT_ACTIVITY_TEXT.search(header):
            continue
        values = original[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values):
            continue
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        filled = text[text != ""]
        if filled.empty:
            continue
        wordy = filled.str.contains(r"[^\W\d_]{3}", regex=True) & ~filled.str.contains(r"@|https?://|www\.",
                                                                                      regex=True)
        numeric = filled.str.fullmatch(r"[\d\s.,:;/%+\-–€]+")
        if not wordy.any() or numeric.mean() > 0.5 or (~wordy & ~numeric).mean() > 0.2:
            continue  # numbers, codes, addresses or links rather than words
        parts.append(text.where(wordy.reindex(text.index, fill_value=False), ""))
    if not parts:
        return pd.Series("", index=original.index, dtype=str)
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.where(part == "", joined.where(joined == "", joined + " · ") + part)
    return joined.astype(str)


# ---------------------------------------------------------------------------------------------
# folding


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out (ä → ae, ß → ss), accents removed, inner hyphens dropped."""
    folded = str(text).casefold().translate(_FOLD_TABLE)
    return " ".join(re.sub(_INNER_HYPHEN, "", folded).split())


# ---------------------------------------------------------------------------------------------
# lexicon


def load_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """Read and validate a lexicon CSV (``,`` or ``;`` separated, lines starting with ``#`` are comments).

    Returns columns ``LEXICON_COLUMNS`` with Feld as field name, Aspekt as short label
    (or ""), Gewicht as float and Grenze one of ``GRENZEN``. Raises :class:`InputError`
    (German, naming row and column) for a malformed file.
    """
    p = Path(path) if path is not None else LEXICON_PATH
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"Begriffsdatei kann nicht gelesen werden ({exc.strerror or exc}).", file=p.name) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return _parse_lexicon_text(text, p.name)


def _parse_lexicon_text(text: str, source: str) -> pd.DataFrame:
    lines = text.splitlines()
    data = [(i + 1, line) for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")]
    if not data:
        raise InputError("Die Begriffsdatei ist leer: es fehlt eine Kopfzeile mit Begriff, Feld, Gewicht.",
                         file=source)
    header_line = data[0][1]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    records: list[tuple[int, list[str]]] = []
    for number, line in data:
        row = next(csv.reader(io.StringIO(line), delimiter=delimiter), [])
        records.append((number, row))
    header = [h.strip() for h in records[0][1]]
    rows = []
    for number, values in records[1:]:
        padded = values + [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, padded, strict=False))))
    return _validate_records(header, rows, source, header_row=records[0][0])


def _validate_frame(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Validate a lexicon given as DataFrame (e.g. users' own terms); rows are numbered as in Excel."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError("Eigene Begriffe müssen als Tabelle vorliegen.", file=source)
    header = [str(c).strip() for c in frame.columns]
    values = frame.astype(object).where(frame.notna(), "").to_numpy()
    rows = [(i + 2, dict(zip(header, (str(v) for v in vals), strict=False))) for i, vals in enumerate(values)]
    return _validate_records(header, rows, source, header_row=1)


def _validate_records(header: list[str], rows: list[tuple[int, dict[str, str]]], source: str,
                      header_row: int) -> pd.DataFrame:
    canon = {c.casefold(): c for c in LEXICON_COLUMNS}
    rename = {h: canon[h.casefold()] for h in header if h.casefold() in canon}
    for col in _REQUIRED:
        if col not in rename.values():
            raise InputError(
                f"Spalte „{col}“ fehlt. Nötig sind die Spalten {', '.join(_REQUIRED)} "
                f"(dazu wahlweise Aspekt, Grenze, Hinweis).",
                file=source, row=header_row, column=col,
            )
    out: list[tuple[str, str, str, float, str, str]] = []
    grenzen = {g.casefold(): g for g in GRENZEN}
    for number, raw in rows:
        row = {rename[k]: (v or "").strip() for k, v in raw.items() if k in rename}
        if not any(row.values()):
            continue
        begriff = row.get("Begriff", "")
        if not begriff or not fold(begriff.replace("+", "")).strip():
            raise InputError("Begriff ist leer.", file=source, row=number, column="Begriff")
        field = grid.parse_field(row.get("Feld", ""))
        weight_raw = row.get("Gewicht", "").replace(",", ".")
        if field is None and row.get("Feld", "").strip() in ("", "-", "–") and weight_raw.strip() in ("0", "0.0"):
            field = _FIELDS[0]  # a blocker: weight 0, no field (it only keeps shorter terms from matching)
        if field is None or field == grid.UNKLAR:
            raise InputError(
                f"„{row.get('Feld', '')}“ ist kein SONI-Feld (erlaubt: {', '.join(_FIELDS)} oder S, O, N, I, "
                f"„{grid.KEIN_BEZUG}“; leer nur bei Gewicht 0).",
                file=source, row=number, column="Feld",
            )
        aspect_raw = row.get("Aspekt", "")
        aspect = ""
        if aspect_raw and field == grid.KEIN_BEZUG:
            raise InputError(f"„{grid.KEIN_BEZUG}“ hat keine Aspekte (Spalte Aspekt leer lassen).",
                             file=source, row=number, column="Aspekt")
        if aspect_raw:
            parsed = grid.parse_aspect(aspect_raw, field)
            if parsed is None:
                keys = ", ".join(a.key for a in grid.aspects_of(field))
                raise InputError(
                    f"„{aspect_raw}“ ist kein Aspekt des Feldes {field} (erlaubt: {keys} oder der Kurzname).",
                    file=source, row=number, column="Aspekt",
                )
            aspect = parsed.label
        try:
            weight = float(weight_raw)
        except ValueError:
            weight = math.nan
        if not math.isfinite(weight) or not -10 <= weight <= 10:
            raise InputError(
                f"Gewicht „{row.get('Gewicht', '')}“ ist keine Zahl von -10 bis 10.",
                file=source, row=number, column="Gewicht",
            )
        grenze_raw = row.get("Grenze", "")
        grenze = grenzen.get(grenze_raw.casefold()) if grenze_raw else "Stamm"
        if grenze is None:
            raise InputError(
                f"Grenze „{grenze_raw}“ unbekannt (erlaubt: leer, {', '.join(GRENZEN)}).",
                file=source, row=number, column="Grenze",
            )
        out.append((begriff, field, aspect, weight, grenze, row.get("Ausnahme", ""), row.get("Hinweis", "")))
    frame = pd.DataFrame(out, columns=list(LEXICON_COLUMNS))
    frame["Gewicht"] = frame["Gewicht"].astype("float64")
    return frame


# ---------------------------------------------------------------------------------------------
# compiled model


@dataclass(frozen=True)
class _Model:
    word_re: re.Pattern[str] | None  # on "\x02word\x03"
    phrase_re: re.Pattern[str] | None  # on a folded word sequence
    phrase_first: frozenset[str]  # folded first words of the phrases
    phrase_len: int  # most words in a phrase
    key_ids: dict[str, int]  # matched string -> key id
    key_display: np.ndarray  # key id -> the lexicon's spelling (used for phrases)
    key_ptr: np.ndarray  # CSR: lexicon rows of key k are key_rows[key_ptr[k]:key_ptr[k+1]]
    key_rows: np.ndarray
    row_field: np.ndarray
    row_aspect: np.ndarray  # -1 = field only
    row_weight: np.ndarray
    row_stamm: np.ndarray  # bool: Grenze "Stamm" (word start or start of a compound part)
    row_short: np.ndarray  # bool: a short term ("Stamm" then means: word start only)
    row_except: tuple[tuple[int, tuple[str, ...]], ...]  # lexicon row, words that block it in a row
    combos: tuple[tuple[str, tuple[str, ...], int, int, float], ...]  # display, parts, field, aspect, w
    combo_parts: tuple[str, ...]


_MODEL_CACHE: dict[int, _Model] = {}


def _trie_pattern(strings: Iterable[str]) -> str:
    """A regex alternation of ``strings`` as a trie: at each position the longest term wins."""
    trie: dict = {}
    for s in strings:
        node = trie
        for ch in s:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(trie)


def _compile(lexicon: pd.DataFrame) -> _Model:
    """Compile a validated lexicon into regexes and lookup arrays (cached by content)."""
    digest = int(pd.util.hash_pandas_object(lexicon, index=False).sum()) if len(lexicon) else 0
    cached = _MODEL_CACHE.get(digest)
    if cached is not None:
        return cached
    field_idx = {f: i for i, f in enumerate(_FIELDS)} | {grid.KEIN_BEZUG: _NONE}
    rows: list[tuple[str, str, int, int, float, str]] = []
    combos = []
    excepts: list[tuple[int, tuple[str, ...]]] = []
    if "Ausnahme" not in lexicon.columns:
        lexicon = lexicon.assign(Ausnahme="")
    for begriff, field, aspect, weight, grenze, ausnahme in lexicon[
        ["Begriff", "Feld", "Aspekt", "Gewicht", "Grenze", "Ausnahme"]
    ].itertuples(index=False):
        fi = field_idx[field]
        ai = _ASPECT_INDEX.get(aspect, -1) if aspect else -1
        if "+" in begriff:
            parts = tuple(p for p in (fold(x) for x in begriff.split("+")) if p)
            combos.append((" + ".join(x.strip() for x in begriff.split("+")), parts, fi, ai, float(weight)))
            continue
        parts = tuple(p for p in (fold(x) for x in re.split(r"[|;]", str(ausnahme or ""))) if p)
        if parts:
            excepts.append((len(rows), parts))
        rows.append((fold(begriff), begriff.strip(), fi, ai, float(weight), grenze))
    # Each matchable string maps to every lexicon row whose boundary it satisfies: a word
    # "\x02tafel\x03" satisfies "tafel" (Teil), "tafel" (Anfang), (Ende) and (Wort). Anchors a
    # row does not require are optional, so the longest string at a position wins.
    strings: dict[str, set[int]] = {}
    for r, (core, *_, grenze) in enumerate(rows):
        if " " in core:  # a phrase
            strings.setdefault(core, set()).add(r)
            continue
        starts = [_START] if grenze in ("Anfang", "Wort") else ["", _START]
        ends = [_END] if grenze in ("Ende", "Wort") else ["", _END]
        for a in starts:
            for b in ends:
                strings.setdefault(a + core + b, set()).add(r)
    keys = sorted(strings)
    key_ids = {k: i for i, k in enumerate(keys)}
    display = {k: rows[min(strings[k])][1] for k in keys}
    members = [sorted(strings[k]) for k in keys]
    key_ptr = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in members], out=key_ptr[1:])
    key_rows = np.array([r for x in members for r in x], dtype=np.int64)
    words = [k for k in keys if " " not in k]
    phrases = [k for k in keys if " " in k]
    model = _Model(
        word_re=re.compile(_trie_pattern(words)) if words else None,
        phrase_re=re.compile(_trie_pattern(phrases)) if phrases else None,
        phrase_first=frozenset(p.split(" ")[0] for p in phrases),
        phrase_len=max((len(p.split(" ")) for p in phrases), default=1),
        key_ids=key_ids,
        key_display=np.array([display[k] for k in keys], dtype=object),
        key_ptr=key_ptr,
        key_rows=key_rows,
        row_field=np.array([r[2] for r in rows], dtype=np.int64),
        row_aspect=np.array([r[3] for r in rows], dtype=np.int64),
        row_weight=np.array([r[4] for r in rows], dtype=np.float64),
        row_stamm=np.array([r[5] == "Stamm" for r in rows], dtype=bool),
        row_short=np.array([len(r[0]) <= SHORT_TERM for r in rows], dtype=bool),
        row_except=tuple(excepts),
        combos=tuple(combos),
        combo_parts=tuple(sorted({p for c in combos for p in c[1]} | {p for _, ps in excepts for p in ps})),
    )
    if len(_MODEL_CACHE) > 8:
        _MODEL_CACHE.clear()
    _MODEL_CACHE[digest] = model
    return model


_DEFAULT_LEXICON: dict[tuple[str, float], pd.DataFrame] = {}


def _default_lexicon() -> pd.DataFrame:
    key = (str(LEXICON_PATH), LEXICON_PATH.stat().st_mtime)
    if key not in _DEFAULT_LEXICON:
        _DEFAULT_LEXICON.clear()
        _DEFAULT_LEXICON[key] = load_lexicon(LEXICON_PATH)
    return _DEFAULT_LEXICON[key]


# ---------------------------------------------------------------------------------------------
# array helpers


def _text_array(frame: pd.DataFrame, column: str) -> pa.Array:
    """A text column as an Arrow string array ("" for missing); works for str, object and category."""
    n = len(frame)
    if column not in frame.columns:
        return pa.array([""] * n, type=pa.string())
    s = frame[column]
    arr: pa.Array | pa.ChunkedArray | None
    try:
        arr = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        arr = None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr is not None and pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if arr is not None and pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if arr is None or not pa.types.is_string(arr.type):
        arr = pa.array(s.astype(object).where(s.notna(), "").astype(str).to_numpy(dtype=object),
                       type=pa.string())
    return pc.fill_null(arr, "")


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Group positions by key: members of key k are order[ptr[k]:ptr[k+1]]."""
    order = np.argsort(keys, kind="stable")
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=ptr[1:])
    return ptr, order


def _expand(ptr: np.ndarray, members: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items in ``groups``: (item index, member) for every member of the item's group."""
    counts = ptr[groups + 1] - ptr[groups]
    total = int(counts.sum())
    item = np.repeat(np.arange(len(groups)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return item, members[np.repeat(ptr[groups], counts) + offsets]


def _join(arrays: list[pa.Array], sep: str) -> pa.Array:
    """Element-wise join of string arrays (no nulls), skipping empty parts.

    (Not ``binary_join_element_wise(null_handling="skip")``: pyarrow 26 drops rows where all
    parts are null.)
    """
    out = arrays[0]
    for part in arrays[1:]:
        both = pc.binary_join_element_wise(out, part, sep)
        out = pc.if_else(pc.equal(out, ""), part, pc.if_else(pc.equal(part, ""), out, both))
    return out


_TOKEN_SPLIT = r"[^\pL\pN'’-]+"
_WORD_FOLD = str.maketrans({**{chr(k): v for k, v in _FOLD_TABLE.items()}, "-": None, "'": None, "’": None})


# ---------------------------------------------------------------------------------------------
# matching


def _where(word: str, start: int, found: str) -> int:
    """Where a match sits in ``word`` (matched as "\x02word\x03"): 0 word start, 1 start of a compound
    part, 2 inside a prefix or a short head ("Um|schulung", "bei|spiel|sweise")."""
    if found[0] == _START:
        return 0
    prefix = word[:start - 1]
    return 2 if len(prefix) < MIN_PREFIX or prefix in PREFIXES else 1


def _phrase_ends_well(text: str, end: int) -> bool:
    """A phrase may end inside a word only when its last word is longer than a short term
    ("neue angebot" finds "neue Angebote"; "für alle" does not find "für Alleinerziehende")."""
    if end == len(text) or text[end] == " ":
        return True
    return len(text[:end].rsplit(" ", 1)[-1]) > SHORT_TERM


@dataclass
class _Hits:
    """Lexicon hits in distinct texts of one column."""

    text: np.ndarray  # text id
    key: np.ndarray  # key id
    display: np.ndarray  # the word as written (object)
    where: np.ndarray  # 0 word start, 1 inside after ≥ MIN_PREFIX letters, 2 inside after fewer


def _match_column(texts: pa.Array, model: _Model) -> tuple[_Hits, dict[str, np.ndarray]]:
    """Hits in distinct texts, and per combination part the texts that contain it.

    Texts are split into words (Arrow, no Python loop over texts); only the distinct
    words are folded and matched against the lexicon regex.
    """
    n_texts = len(texts)
    empty = _Hits(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object), np.zeros(0, np.int64))
    parts_in_text = {p: np.zeros(n_texts, dtype=bool) for p in model.combo_parts}
    lists = pc.split_pattern_regex(texts, pattern=_TOKEN_SPLIT)
    parent = pc.list_parent_indices(lists).to_numpy()
    tokens = pc.utf8_trim(pc.list_flatten(lists), characters="-'’")
    if not len(tokens):
        return empty, parts_in_text
    encoded = tokens.dictionary_encode()
    word_of_token = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # numbers and empty tokens stay, but are not matched (no lexicon term is a number)
    no_letter = pc.invert(pc.match_substring_regex(encoded.dictionary, r"\pL")).to_numpy(zero_copy_only=False)
    words = encoded.dictionary.to_pylist()
    folded = ["" if skip else w.casefold().translate(_WORD_FOLD) for w, skip in zip(words, no_letter, strict=True)]
    n_words = len(words)
    # combination parts: substring of a word
    if model.combo_parts:
        # one pass finds the few words that hold any part; each part is then looked for in those only
        folded_arr = pa.array(folded, type=pa.string())
        any_part = "|".join(re.escape(x) for x in model.combo_parts)
        cand = np.flatnonzero(pc.match_substring_regex(folded_arr, any_part).to_numpy(zero_copy_only=False))
        if len(cand):
            cand_arr = folded_arr.take(pa.array(cand))
            is_cand = np.zeros(n_words, dtype=bool)
            is_cand[cand] = True
            tok = np.flatnonzero(is_cand[word_of_token])  # tokens of candidate words
            slot = np.full(n_words, -1, dtype=np.int64)
            slot[cand] = np.arange(len(cand))
            tok_slot, tok_text = slot[word_of_token[tok]], parent[tok]
            for p in model.combo_parts:
                in_cand = pc.match_substring(cand_arr, p).to_numpy(zero_copy_only=False)
                parts_in_text[p] = np.bincount(tok_text[in_cand[tok_slot]], minlength=n_texts) > 0
    # words -> key ids (CSR)
    hit_word: list[int] = []
    hit_key: list[int] = []
    hit_where: list[int] = []
    if model.word_re is not None:
        finditer = model.word_re.finditer
        key_ids = model.key_ids
        for wi, fw in enumerate(folded):
            if not fw:
                continue
            for mt in finditer(_START + fw + _END):
                found = mt.group(0)
                if found:
                    hit_word.append(wi)
                    hit_key.append(key_ids[found])
                    hit_where.append(_where(fw, mt.start(), found))
    text_parts: list[np.ndarray] = []
    key_parts: list[np.ndarray] = []
    disp_parts: list[np.ndarray] = []
    where_parts: list[np.ndarray] = []
    if hit_word:
        hw = np.array(hit_word, dtype=np.int64)
        hk = np.array(hit_key, dtype=np.int64)
        hwh = np.array(hit_where, dtype=np.int64)
        has_hit = np.zeros(n_words, dtype=bool)
        has_hit[hw] = True
        sel = has_hit[word_of_token]
        pairs = np.unique(parent[sel] * n_words + word_of_token[sel])
        p_text, p_word = pairs // n_words, pairs % n_words
        ptr, order = _csr(hw, n_words)
        item, member = _expand(ptr, order, p_word)
        text_parts.append(p_text[item])
        key_parts.append(hk[member])
        where_parts.append(hwh[member])
        disp_parts.append(np.asarray(words, dtype=object)[p_word[item]])
    # phrases: word sequences starting at a token whose word begins some phrase
    if model.phrase_re is not None and model.phrase_first:
        starts_phrase = np.fromiter((fw in model.phrase_first for fw in folded), dtype=bool, count=n_words)
        cand = np.flatnonzero(starts_phrase[word_of_token])
        if len(cand):
            folded_np = np.asarray(folded, dtype=object)
            n_tok = len(word_of_token)
            seq = folded_np[word_of_token[cand]]
            for step in range(1, model.phrase_len):  # append the following words of the same text
                nxt = np.minimum(cand + step, n_tok - 1)
                same = (cand + step < n_tok) & (parent[nxt] == parent[cand])
                seq = np.where(same, seq + " " + folded_np[word_of_token[nxt]], seq)
            match = model.phrase_re.match
            ph_tok, ph_key = [], []
            for t, text in zip(cand, seq, strict=True):
                found = match(text)
                if found and found.group(0) in model.key_ids and _phrase_ends_well(text, found.end()):
                    ph_tok.append(t)
                    ph_key.append(model.key_ids[found.group(0)])
            if ph_tok:
                k = np.array(ph_key, dtype=np.int64)
                text_parts.append(parent[np.array(ph_tok, dtype=np.int64)])
                key_parts.append(k)
                where_parts.append(np.zeros(len(k), dtype=np.int64))
                disp_parts.append(model.key_display[k])
    if not text_parts:
        return empty, parts_in_text
    text_ids = np.concatenate(text_parts)
    key = np.concatenate(key_parts)
    display = np.concatenate(disp_parts)
    where = np.concatenate(where_parts)
    # a key counts once per text (and place in the word: the place decides which lexicon rows it meets)
    _, first = np.unique((text_ids * len(model.key_ids) + key) * 3 + where, return_index=True)
    return _Hits(text_ids[first], key[first], display[first], where[first]), parts_in_text


@dataclass
class _Scores:
    fields: np.ndarray  # (m, 4)
    aspects: np.ndarray  # (m, 12)
    row: np.ndarray  # per hit: distinct row
    col: np.ndarray  # column index; len(CLASSIFY_TEXT_COLUMNS) = combination
    display: np.ndarray  # object
    field: np.ndarray
    w: np.ndarray  # weight × column weight


def _score(dictionaries: list[pa.Array], text_of_row: list[np.ndarray], m: int, model: _Model) -> _Scores:
    """Field and aspect scores for the m distinct rows, and the hits behind them."""
    weights = np.array([COLUMN_WEIGHTS.get(c, 1.0) for c in schema.CLASSIFY_TEXT_COLUMNS])
    present = {p: np.zeros(m, dtype=bool) for p in model.combo_parts}
    rows, cols, disps, kids, wheres = [], [], [], [], []
    for ci, (texts, tc) in enumerate(zip(dictionaries, text_of_row, strict=True)):
        if not len(texts):
            continue
        hits, parts = _match_column(texts, model)
        for p, in_text in parts.items():
            present[p] |= in_text[tc]
        if not len(hits.text):
            continue
        ptr, order = _csr(tc, len(texts))
        item, row = _expand(ptr, order, hits.text)
        rows.append(row)
        cols.append(np.full(len(row), ci, dtype=np.int64))
        disps.append(hits.display[item])
        kids.append(hits.key[item])
        wheres.append(hits.where[item])
    row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    disp = np.concatenate(disps) if disps else np.zeros(0, dtype=object)
    kid = np.concatenate(kids) if kids else np.zeros(0, np.int64)
    where = np.concatenate(wheres) if wheres else np.zeros(0, np.int64)
    # keys -> lexicon rows (a key may carry several fields)
    item, lex_row = _expand(model.key_ptr, model.key_rows, kid)
    row, col, disp, where = row[item], col[item], disp[item], where[item]
    # "Stamm": not inside a short prefix; short terms only at a word start
    ok = ~(model.row_stamm[lex_row] & ((where == 2) | ((where == 1) & model.row_short[lex_row])))
    # "Ausnahme": a term does not count in a row that contains one of its blocking words
    for r, parts in model.row_except:
        mine = lex_row == r
        if mine.any():
            ok &= ~(mine & np.logical_or.reduce([present[p][row] for p in parts]))
    row, col, disp, lex_row = row[ok], col[ok], disp[ok], lex_row[ok]
    # a lexicon row counts once per row and column
    _, once = np.unique((row * (len(schema.CLASSIFY_TEXT_COLUMNS) + 1) + col) * len(model.row_field) + lex_row,
                        return_index=True)
    once.sort()
    row, col, disp, lex_row = row[once], col[once], disp[once], lex_row[once]
    field, aspect = model.row_field[lex_row], model.row_aspect[lex_row]
    w = model.row_weight[lex_row] * weights[col]
    # combinations
    n_cols = len(schema.CLASSIFY_TEXT_COLUMNS)
    for display, parts, fi, ai, weight in model.combos:
        hit_rows = np.flatnonzero(np.logical_and.reduce([present[p] for p in parts]))
        if len(hit_rows):
            k = len(hit_rows)
            row = np.concatenate([row, hit_rows])
            col = np.concatenate([col, np.full(k, n_cols)])
            disp = np.concatenate([disp, np.full(k, display, dtype=object)])
            field = np.concatenate([field, np.full(k, fi)])
            aspect = np.concatenate([aspect, np.full(k, ai)])
            w = np.concatenate([w, np.full(k, weight)])
    fields = np.zeros((m, len(_FIELDS) + 1))  # the four fields, then "kein Sozialbezug"
    aspects = np.zeros((m, len(_ASPECTS)))
    np.add.at(fields, (row, field), w)
    has_aspect = aspect >= 0
    np.add.at(aspects, (row[has_aspect], aspect[has_aspect]), w[has_aspect])
    return _Scores(fields, aspects, row, col, disp, field, w)


# ---------------------------------------------------------------------------------------------
# reasons


_SEGMENT_NAMES = pa.array([*schema.CLASSIFY_TEXT_COLUMNS, KOMBINATION], type=pa.string())


def _evidence(sc: _Scores, targets: list[np.ndarray], m: int) -> list[tuple[pa.Array, pa.Array]]:
    """Per row and target the hits supporting field ``target[row]``: (first segment, further segments).

    A segment is "Titel: „a“, „b“"; segments follow the column order, strongest words first.
    All targets are done in one pass (target t of row r is the virtual row r + t·m).
    """
    blank = pa.array([""] * m, type=pa.string())
    selected = [np.flatnonzero((sc.field == t[sc.row]) & (sc.w > 0)) for t in targets]
    if not sum(len(x) for x in selected):
        return [(blank, blank) for _ in targets]
    pick = np.concatenate(selected)
    row = np.concatenate([sc.row[x] + k * m for k, x in enumerate(selected)])
    col, disp, w = sc.col[pick], sc.display[pick], sc.w[pick]
    first, rest = _segments(row, col, disp, w, m * len(targets))
    return [(first[k * m:(k + 1) * m], rest[k * m:(k + 1) * m]) for k in range(len(targets))]


def _segments(row: np.ndarray, col: np.ndarray, disp: np.ndarray, w: np.ndarray,
              m: int) -> tuple[pa.Array, pa.Array]:
    """Reason segments per row from its hits (vectorised with Arrow list aggregation)."""
    idx = np.lexsort((-w, col, row))
    row, col, disp = row[idx], col[idx], disp[idx]
    dcode, _ = pd.factorize(disp)
    n_cols = len(_SEGMENT_NAMES)
    _, first_seen = np.unique((row * n_cols + col) * (dcode.max() + 1) + dcode, return_index=True)
    unique_mask = np.zeros(len(row), dtype=bool)
    unique_mask[first_seen] = True
    row, col, disp = row[unique_mask], col[unique_mask], disp[unique_mask]
    new_group = np.r_[True, (row[1:] != row[:-1]) | (col[1:] != col[:-1])]
    group = np.cumsum(new_group) - 1
    starts = np.flatnonzero(new_group)
    ok = (np.arange(len(row)) - starts[group]) < _MAX_WORDS
    quoted = pc.binary_join_element_wise("„", pa.array(disp[ok], type=pa.string()), "“", "")
    per_group = pa.table({"g": group[ok], "q": quoted}).group_by("g", use_threads=False).aggregate(
        [("q", "list")]
    ).sort_by("g")
    words = pc.binary_join(per_group["q_list"], ", ")
    g_row, g_col = row[starts], col[starts]
    seg = pc.binary_join_element_wise(_SEGMENT_NAMES.take(pa.array(g_col)), words, ": ")
    per_row = pa.table({"r": g_row, "s": seg}).group_by("r", use_threads=False).aggregate(
        [("s", "list")]
    ).sort_by("r")
    r = per_row["r"].to_numpy()
    first = pc.list_element(per_row["s_list"], 0)
    rest = pc.binary_join(pc.list_slice(per_row["s_list"], 1), "; ")
    pos = np.full(m, -1, dtype=np.int64)
    pos[r] = np.arange(len(r))
    take = pa.array(pos, mask=pos < 0)
    return _flat(pc.fill_null(pc.take(first, take), "")), _flat(pc.fill_null(pc.take(rest, take), ""))


def _flat(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


# ---------------------------------------------------------------------------------------------
# classification


def classify(activities: pd.DataFrame, extra_terms: pd.DataFrame | None = None,
             lexicon: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify every row into the SONI grid; returns a NEW frame with the same index.

    Columns: ``schema.SONI_COLUMNS`` + (``SONI_ZWEITFELD``, ``SONI_ZWEITWERT``). Reads the
    text columns of ``schema.CLASSIFY_TEXT_COLUMNS`` (missing ones count as empty). An
    explicit field in ``schema.IN_FELD`` wins (Quelle "Datei", or "manuell" when
    ``schema.IN_QUELLE`` says so). ``extra_terms`` are users' own terms in the lexicon
    format; ``lexicon`` replaces the built-in lexicon. Does not modify ``activities``.
    """
    lex = _default_lexicon() if lexicon is None else _validate_frame(lexicon, "Lexikon")
    if extra_terms is not None and len(extra_terms):
        lex = pd.concat([lex, _validate_frame(extra_terms, "eigene Begriffe")], ignore_index=True)
    model = _compile(lex)
    n = len(activities)
    # distinct texts per column, then distinct rows (inventories repeat a lot)
    dictionaries, codes_by_col = [], []
    row_key = np.zeros(n, dtype=np.int64)
    for c in schema.CLASSIFY_TEXT_COLUMNS:
        enc = _text_array(activities, c).dictionary_encode()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        dictionaries.append(enc.dictionary)
        codes_by_col.append(codes)
        row_key = pd.factorize(row_key * (len(enc.dictionary) + 1) + codes)[0].astype(np.int64)
    m = int(row_key.max()) + 1 if n else 0
    first = np.zeros(m, dtype=np.int64)
    first[row_key[::-1]] = np.arange(n - 1, -1, -1)
    text_of_row = [codes[first] for codes in codes_by_col]
    scores = _score(dictionaries, text_of_row, m, model)
    decided = _decide(scores, m)
    take = pa.array(row_key)
    result = pd.DataFrame({name: _to_pandas(arr.take(take)) for name, arr in decided.items()})
    result.index = activities.index  # positional throughout: the index may repeat
    if schema.IN_FELD in activities.columns and n:
        _apply_explicit(activities, result, scores.fields[row_key, :_NONE], scores.aspects[row_key])
    return result[list(OUTPUT_COLUMNS)]


def _to_pandas(arr: pa.Array) -> pd.Series:
    if pa.types.is_string(arr.type):
        return pd.Series(pd.arrays.ArrowStringArray(arr, dtype=_STR))
    return pd.Series(arr.to_numpy(zero_copy_only=False), dtype="float64")


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


#: The SONI reason of a field in one clause, for people who know social work rather than the model.
WHY_FIELD: dict[str, str] = {
    "Sozialstruktur": "Planung und Politik der Kommune",
    "Organisation": "Angebote der Träger im Hilfesystem",
    "Netzwerk": "geht vom Bedarf im Gemeinwesen aus",
    "Individuum": "geht von der Lage einzelner Menschen aus",
}
# per aspect "field clause; Aspekt label: seed wording)", then per field "field clause)"
_WHY = pa.array([f"{WHY_FIELD[a.field]}; Aspekt {a.label}: {a.wording})" for a in _ASPECTS]
                + [f"{WHY_FIELD[f]})" for f in _FIELDS], type=pa.string())


def _decide(scores: _Scores, m: int) -> dict[str, pa.Array]:
    """Winner, aspect, confidence, runner-up and reason for each distinct row."""
    f = np.clip(scores.fields[:, :_NONE], 0, None)
    none = np.clip(scores.fields[:, _NONE], 0, None)
    total = f.sum(axis=1)
    order = np.argsort(-f, axis=1, kind="stable")
    rows = np.arange(m)
    i1, i2 = order[:, 0], order[:, 1]
    s1, s2 = f[rows, i1], f[rows, i2]
    safe_total = np.where(total > 0, total, 1.0)
    share1, share2 = s1 / safe_total, s2 / safe_total
    weak = s1 < MIN_SCORE
    contradictory = ~weak & (s2 >= MAX_RATIO * s1)
    # no social-work content: the words of a non-social purpose (LED lighting, a music album) are at
    # least as strong as the strongest field
    kein = (none >= MIN_SCORE) & (none >= s1)
    weak, contradictory = weak & ~kein, contradictory & ~kein
    unklar = weak | contradictory
    raw = np.where(kein, none / np.maximum(none + total, 1e-9) * (1.0 - np.exp(-none / CONFIDENCE_SCALE)),
                   share1 * (1.0 - np.exp(-s1 / CONFIDENCE_SCALE)))
    conf = np.where(unklar, 0.0, np.minimum(raw ** CONFIDENCE_EXPONENT, MAX_RULE_CONFIDENCE))
    field_idx = np.where(kein, _NONE + 1, np.where(unklar, _NONE, i1))
    block = scores.aspects.reshape(m, len(_FIELDS), 3)[rows, i1]
    best = block.argmax(axis=1)
    has = block[rows, best] > 0
    aspect_idx = np.where(unklar | kein | ~has, len(_ASPECTS), i1 * 3 + best)
    # runner-up: the next field (for "unklar" the best guess)
    second_idx = np.where(unklar | kein, i1, i2)
    second_ok = np.where(unklar | kein, s1 > 0, s2 > 0)
    labels = pa.array(list(_FIELD_LABELS), type=pa.string())
    aspect_labels = pa.array(list(_ASPECT_LABELS), type=pa.string())
    zweitfeld = labels.take(pa.array(np.where(second_ok, second_idx, len(_FIELDS))))
    zweitfeld = pc.if_else(pa.array(second_ok), zweitfeld, "")
    zweitwert = np.where(second_ok, np.round(np.where(unklar | kein, share1, share2), 3), 0.0)
    # reasons
    (first1, rest1), (first2, rest2), (first0, rest0) = _evidence(scores, [i1, i2, np.full(m, _NONE)], m)
    name1, name2 = labels.take(pa.array(i1)), labels.take(pa.array(i2))
    ev1 = _join([first1, rest1], "; ")
    ev2 = _join([first2, rest2], "; ")
    why = _WHY.take(pa.array(np.where(has, i1 * 3 + best, len(_ASPECTS) + i1)))
    support = _join([pc.binary_join_element_wise(first1, pc.binary_join_element_wise(name1, why, " ("), " → "),
                      rest1], "; ")
    with_other = pc.binary_join_element_wise(support, pc.binary_join_element_wise(name2, ev2, ": "),
                                             " | auch ")
    rule = pc.if_else(pa.array((s2 > 0) & (pc.not_equal(ev2, "").to_numpy(zero_copy_only=False))),
                      with_other, support)
    little = pc.binary_join_element_wise("unklar: zu wenig Hinweise – ", name1, "? ", ev1, "")
    contra = pc.binary_join_element_wise(
        "unklar: widersprüchliche Hinweise – ", name1, ": ", ev1, " | ", name2, ": ", ev2, ""
    )
    reason = pc.if_else(pa.array(contradictory), contra, rule)
    reason = pc.if_else(pa.array(weak & (s1 > 0)), little, reason)
    reason = pc.if_else(pa.array(weak & (s1 == 0)), "unklar: keine Hinweiswörter gefunden", reason)
    ev0 = _join([first0, rest0], "; ")
    no_social = pc.binary_join_element_wise(f"{grid.KEIN_BEZUG}: ", ev0, " – kein Hinweis auf soziale Arbeit", "")
    weaker = pc.binary_join_element_wise(no_social, pc.binary_join_element_wise(name1, ev1, ": "),
                                         " | schwächer ")
    no_social = pc.if_else(pa.array(s1 > 0), weaker, no_social)
    reason = pc.if_else(pa.array(kein), no_social, reason)
    return {
        schema.SONI_FELD: labels.take(pa.array(field_idx)),
        schema.SONI_ASPEKT: aspect_labels.take(pa.array(aspect_idx)),
        schema.SONI_KONFIDENZ: pa.array(np.round(conf, 3), type=pa.float64()),
        schema.SONI_BEGRUENDUNG: reason,
        schema.SONI_QUELLE: pa.array([schema.QUELLE_REGEL] * m, type=pa.string()),
        schema.SONI_ZWEITFELD: zweitfeld,
        schema.SONI_ZWEITWERT: pa.array(zweitwert, type=pa.float64()),
    }


def _apply_explicit(activities: pd.DataFrame, result: pd.DataFrame, fields: np.ndarray,
                    aspects: np.ndarray) -> None:
    """An explicit field in the upload (``schema.IN_FELD``) wins over the rules; in place on ``result``.

    Positional (the index may repeat) and vectorised: distinct values are parsed once, then mapped.
    """
    raw_f = _to_pandas(_text_array(activities, schema.IN_FELD)).str.strip()
    given = (raw_f != "").to_numpy()
    if not given.any():
        return
    raw_a = _to_pandas(_text_array(activities, schema.IN_ASPEKT)).str.strip()
    raw_q = _to_pandas(_text_array(activities, schema.IN_QUELLE))
    field_map = {v: grid.parse_field(v) or "" for v in pd.unique(raw_f[given])}
    parsed = raw_f.map(field_map).fillna("").astype(str)
    valid = given & parsed.isin(list(_FIELDS)).to_numpy()
    manual_all = given & raw_q.map(lambda v: fold(v) == schema.QUELLE_MANUELL).to_numpy(dtype=bool)
    manual_unclear = manual_all & (parsed == grid.UNKLAR).to_numpy()  # a user's "I don't know" stands
    no_social = given & (parsed == grid.KEIN_BEZUG).to_numpy()  # "no social work" stands from any source
    rejected = given & ~valid & ~manual_unclear & ~no_social
    out = {c: result[c].to_numpy(dtype=object if c not in (schema.SONI_KONFIDENZ, schema.SONI_ZWEITWERT)
                                 else np.float64).copy() for c in OUTPUT_COLUMNS}
    if rejected.any():  # the rules decide, the reason says so
        why = np.where(parsed[rejected] == grid.UNKLAR, "“ aus der Datei ist unklar – nach Regeln bestimmt: ",
                       "“ aus der Datei nicht erkannt – nach Regeln bestimmt: ")
        out[schema.SONI_BEGRUENDUNG][rejected] = (
            "Feld „" + raw_f[rejected].to_numpy(dtype=object) + why.astype(object)
            + out[schema.SONI_BEGRUENDUNG][rejected]
        )
    if manual_unclear.any():
        out[schema.SONI_FELD][manual_unclear] = grid.UNKLAR
        out[schema.SONI_ASPEKT][manual_unclear] = ""
        out[schema.SONI_KONFIDENZ][manual_unclear] = 1.0
        out[schema.SONI_BEGRUENDUNG][manual_unclear] = "manuell als unklar markiert (aus der Datei)"
        out[schema.SONI_QUELLE][manual_unclear] = schema.QUELLE_MANUELL
    if no_social.any():
        out[schema.SONI_FELD][no_social] = grid.KEIN_BEZUG
        out[schema.SONI_ASPEKT][no_social] = ""
        out[schema.SONI_KONFIDENZ][no_social] = 1.0
        out[schema.SONI_BEGRUENDUNG][no_social] = np.where(manual_all[no_social], "manuell korrigiert (aus der Datei)",
                                                           f"aus der Datei übernommen: Feld „{grid.KEIN_BEZUG}“")
        out[schema.SONI_QUELLE][no_social] = np.where(manual_all[no_social], schema.QUELLE_MANUELL,
                                                      schema.QUELLE_DATEI)
        out[schema.SONI_ZWEITFELD][no_social] = ""
        out[schema.SONI_ZWEITWERT][no_social] = 0.0
    pos = np.flatnonzero(valid)
    if len(pos):
        f = parsed.to_numpy(dtype=object)[pos]
        a_raw = raw_a.to_numpy(dtype=object)[pos]
        pair_key = pd.Series(f + "\x1f" + a_raw, dtype=str)
        pair_map = {}
        for key in pd.unique(pair_key):  # distinct (field, aspect) pairs only
            fv, av = key.split("\x1f")
            asp = grid.parse_aspect(av, fv) if av else None
            pair_map[key] = asp.label if asp else ""
        given_label = pair_key.map(pair_map).to_numpy(dtype=object)
        fi = pd.Series(f).map({name: i for i, name in enumerate(_FIELDS)}).to_numpy(dtype=np.int64)
        k = np.arange(len(pos))
        block = aspects[pos].reshape(len(pos), len(_FIELDS), 3)[k, fi]
        best = block.argmax(axis=1)
        rule_label = np.where(block[k, best] > 0, _ASPECT_LABELS[fi * 3 + best], "").astype(object)
        has_given = given_label != ""
        asked = a_raw != ""
        manual = manual_all[pos]
        # a manual correction without aspect means "no aspect": the rules do not fill it in
        label = np.where(has_given, given_label, np.where(manual & ~asked, "", rule_label))
        bad = asked & ~has_given
        note = np.full(len(pos), "", dtype=object)
        note[bad] = "; Aspekt „" + a_raw[bad] + "“ nicht erkannt"
        bad_rule = bad & (rule_label != "")
        note[bad_rule] = note[bad_rule] + ", nach Regeln: " + rule_label[bad_rule]
        plain_rule = ~asked & (rule_label != "")
        note[plain_rule] = "; Aspekt nach Regeln: " + rule_label[plain_rule]
        aspect_text = np.where(asked & has_given, ", Aspekt „" + a_raw + "“", "").astype(object)
        from_file = "aus der Datei übernommen: Feld „" + raw_f.to_numpy(dtype=object)[pos] + "“" + aspect_text + note
        # runner-up: the strongest other field by the rules
        fpos = np.clip(fields[pos], 0, None)
        total = fpos.sum(axis=1)
        other = fpos.copy()
        other[k, fi] = 0
        j = other.argmax(axis=1)
        oj = other[k, j]
        out[schema.SONI_FELD][pos] = f
        out[schema.SONI_ASPEKT][pos] = label
        out[schema.SONI_KONFIDENZ][pos] = 1.0
        out[schema.SONI_BEGRUENDUNG][pos] = np.where(manual, "manuell korrigiert (aus der Datei)", from_file)
        out[schema.SONI_QUELLE][pos] = np.where(manual, schema.QUELLE_MANUELL, schema.QUELLE_DATEI)
        out[schema.SONI_ZWEITFELD][pos] = np.where(oj > 0, np.array(_FIELDS, dtype=object)[j], "")
        out[schema.SONI_ZWEITWERT][pos] = np.where((oj > 0) & (total > 0),
                                                   np.round(oj / np.where(total > 0, total, 1), 3), 0.0)
    for c, values in out.items():
        result[c] = pd.Series(values, index=result.index,
                              dtype="float64" if values.dtype == np.float64 else _STR)


# ---------------------------------------------------------------------------------------------
# corrections


#: Key in ``DataFrame.attrs`` of :func:`apply_corrections`' result: correction ids not found.
UNKNOWN_IDS_ATTR = "unbekannte_korrekturen"


def apply_corrections(activities: pd.DataFrame,
                      corrections: Mapping[str, tuple[str, str | None]]) -> pd.DataFrame:
    """Apply user corrections by row id (``schema.ZEILEN_ID``); returns a new frame.

    ``corrections`` maps a Zeilen-ID to (field, aspect):

    - field: one of the four fields (name or key, as ``grid.parse_field`` reads it) or
      "unklar" — a user may say "I don't know"; such a row gets no aspect.
    - aspect ``None`` = keep or derive: the row's current aspect stays if it belongs to the
      (new) field, otherwise the row has no aspect.
    - aspect ``""`` = explicitly no aspect (clears the current one).
    - any other aspect (key or label) must belong to the field: an aspect of another field
      is a contradiction and raises :class:`InputError` (callers that want "the aspect moves
      the field" decide so before, as the "Zuordnung prüfen" page does).

    Corrected rows get Quelle "manuell", Konfidenz 1.0, Begründung "manuell korrigiert"
    (or "manuell als unklar markiert") and no Zweitfeld. Ids that are not in the table are
    ignored and listed in ``result.attrs[UNKNOWN_IDS_ATTR]``. A field or aspect that is not
    part of the SONI grid raises :class:`InputError`.
    """
    out = activities.copy()
    defaults: dict[str, object] = {
        schema.SONI_FELD: grid.UNKLAR, schema.SONI_ASPEKT: "", schema.SONI_KONFIDENZ: 0.0,
        schema.SONI_BEGRUENDUNG: "", schema.SONI_QUELLE: schema.QUELLE_REGEL,
        schema.SONI_ZWEITFELD: "", schema.SONI_ZWEITWERT: 0.0,
    }
    for col, value in defaults.items():
        if col not in out.columns:
            out[col] = value
    if schema.ZEILEN_ID not in out.columns:
        raise InputError(f"Korrekturen brauchen die Spalte „{schema.ZEILEN_ID}“.", column=schema.ZEILEN_ID)
    parsed: dict[str, tuple[str, str | None]] = {}
    for row_id, value in corrections.items():
        field_raw, aspect_raw = (value if isinstance(value, tuple | list) else (value, None))[:2]
        field = grid.parse_field(field_raw)
        if field is None:
            raise InputError(f"Korrektur für Zeile „{row_id}“: „{field_raw}“ ist kein SONI-Feld.",
                             column=schema.SONI_FELD)
        aspect: str | None = None  # None: keep or derive
        if aspect_raw is not None and str(aspect_raw).strip() == "":
            aspect = ""
        elif aspect_raw is not None:
            a = grid.parse_aspect(aspect_raw, field) if field in _FIELDS else None
            if a is None:
                where = (f"„{field}“ hat keine Aspekte" if field not in _FIELDS
                         else f"kein Aspekt des Feldes {field}")
                raise InputError(f"Korrektur für Zeile „{row_id}“: „{aspect_raw}“ ist {where}.",
                                 column=schema.SONI_ASPEKT)
            aspect = a.label
        parsed[str(row_id)] = (field, aspect)
    ids = out[schema.ZEILEN_ID].astype(str)
    hit = ids.isin(list(parsed)).to_numpy()
    out.attrs[UNKNOWN_IDS_ATTR] = [k for k in parsed if k not in set(ids)]
    if not hit.any():
        return out
    fields = ids[hit].map(lambda k: parsed[k][0]).to_numpy(dtype=object)
    current = out.loc[hit, schema.SONI_ASPEKT].astype(object).where(out.loc[hit, schema.SONI_ASPEKT].notna(), "")
    aspects = np.array(
        [parsed[k][1] if parsed[k][1] is not None
         else (c if f in _FIELDS and grid.parse_aspect(c, f) is not None else "")
         for k, c, f in zip(ids[hit], current, fields, strict=True)],
        dtype=object,
    )
    reasons = np.where(fields == grid.UNKLAR, "manuell als unklar markiert", "manuell korrigiert").astype(object)
    _assign(out, schema.SONI_FELD, hit, fields)
    _assign(out, schema.SONI_ASPEKT, hit, aspects)
    _assign(out, schema.SONI_KONFIDENZ, hit, np.ones(hit.sum()))
    _assign(out, schema.SONI_BEGRUENDUNG, hit, reasons)
    _assign(out, schema.SONI_QUELLE, hit, np.full(hit.sum(), schema.QUELLE_MANUELL, dtype=object))
    _assign(out, schema.SONI_ZWEITFELD, hit, np.full(hit.sum(), "", dtype=object))
    _assign(out, schema.SONI_ZWEITWERT, hit, np.zeros(hit.sum()))
    return out


def _assign(frame: pd.DataFrame, column: str, mask: np.ndarray, values: np.ndarray) -> None:
    """frame.loc[mask, column] = values, also for categorical columns (categories are added)."""
    col = frame[column]
    if isinstance(col.dtype, pd.CategoricalDtype):
        missing = [v for v in pd.unique(values) if v not in col.cat.categories]
        if missing:
            col = col.cat.add_categories(missing)
        col = col.copy()
        col[mask] = values
        frame[column] = col
    else:
        frame.loc[mask, column] = values

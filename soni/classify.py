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

from soni import grid, schema
from soni.report import InputError

LEXICON_PATH = Path(__file__).with_name("lexicon.csv")

#: Columns of a lexicon table (the lexicon file and users' own term files).
LEXICON_COLUMNS: tuple[str, ...] = ("Begriff", "Feld", "Aspekt", "Gewicht", "Grenze", "Hinweis")
_REQUIRED = ("Begriff", "Feld", "Gewicht")
#: Where a term may sit in a word ("" means "Teil": anywhere).
GRENZEN: tuple[str, ...] = ("Teil", "Anfang", "Ende", "Wort")

#: How much a hit counts per column (title and type more than the provider).
COLUMN_WEIGHTS: dict[str, float] = {
    schema.TITEL: 1.5,
    schema.BESCHREIBUNG: 1.0,
    schema.ART: 1.5,
    schema.ZIELGRUPPE: 0.6,
    schema.TRAEGER: 0.3,
}
KOMBINATION = "Kombination"  # the "column" of a combination term in reasons

#: Decision rule: below MIN_SCORE the evidence is too weak; when the runner-up reaches
#: MAX_RATIO of the winner's score the evidence is contradictory. Both answer "unklar".
MIN_SCORE = 1.0
MAX_RATIO = 0.8
#: Confidence = share of the winner × (1 − exp(−score / CONFIDENCE_SCALE)).
CONFIDENCE_SCALE = 2.0
_MAX_WORDS = 3  # words shown per column in a reason

OUTPUT_COLUMNS: tuple[str, ...] = (*schema.SONI_COLUMNS, schema.SONI_ZWEITFELD, schema.SONI_ZWEITWERT)

_FIELDS = grid.FIELD_NAMES
_ASPECTS = grid.ASPECTS  # 3 per field, in field order
_ASPECT_LABELS = np.array([a.label for a in _ASPECTS] + [""], dtype=object)
_FIELD_LABELS = np.array([*_FIELDS, grid.UNKLAR], dtype=object)
_ASPECT_INDEX = {a.label: i for i, a in enumerate(_ASPECTS)}

_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
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
# folding


def fold(text: str) -> str:
    """Lower-case, umlauts spelled out (ä → ae, ß → ss), accents removed, inner hyphens dropped."""
    folded = str(text).casefold().translate(_FOLD_TABLE)
    return " ".join(re.sub(_INNER_HYPHEN, "", folded).split())


def _fold_series(values: pd.Series) -> pd.Series:
    s = values.astype(str).str.casefold().str.translate(_FOLD_TABLE)
    s = s.str.replace(_INNER_HYPHEN, "", regex=True)
    return s.str.replace(r"\s+", " ", regex=True).str.strip()


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
        if field is None or field == grid.UNKLAR:
            raise InputError(
                f"„{row.get('Feld', '')}“ ist kein SONI-Feld (erlaubt: {', '.join(_FIELDS)} oder S, O, N, I).",
                file=source, row=number, column="Feld",
            )
        aspect_raw = row.get("Aspekt", "")
        aspect = ""
        if aspect_raw:
            parsed = grid.parse_aspect(aspect_raw, field)
            if parsed is None:
                keys = ", ".join(a.key for a in grid.aspects_of(field))
                raise InputError(
                    f"„{aspect_raw}“ ist kein Aspekt des Feldes {field} (erlaubt: {keys} oder der Kurzname).",
                    file=source, row=number, column="Aspekt",
                )
            aspect = parsed.label
        weight_raw = row.get("Gewicht", "").replace(",", ".")
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
        grenze = grenzen.get(grenze_raw.casefold(), None) if grenze_raw else "Teil"
        if grenze is None:
            raise InputError(
                f"Grenze „{grenze_raw}“ unbekannt (erlaubt: leer, {', '.join(GRENZEN)}).",
                file=source, row=number, column="Grenze",
            )
        out.append((begriff, field, aspect, weight, grenze, row.get("Hinweis", "")))
    frame = pd.DataFrame(out, columns=list(LEXICON_COLUMNS))
    frame["Gewicht"] = frame["Gewicht"].astype("float64")
    return frame


# ---------------------------------------------------------------------------------------------
# compiled model


@dataclass(frozen=True)
class _Model:
    word_re: re.Pattern[str] | None  # on "\x02word\x03"
    phrase_re: re.Pattern[str] | None  # on folded full text
    terms: pd.DataFrame  # key, display, field (int), aspect (int, -1 none), weight
    combos: tuple[tuple[str, tuple[str, ...], int, int, float], ...]  # display, parts, field, aspect, weight
    combo_parts: dict[str, re.Pattern[str]]


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
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(trie)


def _compile(lexicon: pd.DataFrame) -> _Model:
    digest = int(pd.util.hash_pandas_object(lexicon, index=False).sum()) if len(lexicon) else 0
    cached = _MODEL_CACHE.get(digest)
    if cached is not None:
        return cached
    field_idx = {f: i for i, f in enumerate(_FIELDS)}
    term_rows = []
    combos = []
    for begriff, field, aspect, weight, grenze in lexicon[
        ["Begriff", "Feld", "Aspekt", "Gewicht", "Grenze"]
    ].itertuples(index=False):
        fi = field_idx[field]
        ai = _ASPECT_INDEX.get(aspect, -1) if aspect else -1
        if "+" in begriff:
            parts = tuple(p for p in (fold(x) for x in begriff.split("+")) if p)
            combos.append((begriff.strip(), parts, fi, ai, float(weight)))
            continue
        folded = fold(begriff)
        if " " in folded:
            key = folded  # phrase, matched in the running text
        else:
            key = folded
            if grenze in ("Anfang", "Wort"):
                key = _START + key
            if grenze in ("Ende", "Wort"):
                key = key + _END
        term_rows.append((key, begriff.strip(), fi, ai, float(weight)))
    terms = pd.DataFrame(term_rows, columns=["key", "display", "field", "aspect", "weight"])
    words = sorted({k for k in terms["key"] if " " not in k})
    phrases = sorted({k for k in terms["key"] if " " in k})
    word_re = re.compile(_trie_pattern(words)) if words else None
    phrase_re = re.compile(r"(?<![^\W_])" + _trie_pattern(phrases)) if phrases else None
    parts = {p for c in combos for p in c[1]}
    combo_parts = {p: re.compile(r"(?<![^\W_])" + re.escape(p)) for p in parts}
    model = _Model(word_re, phrase_re, terms, tuple(combos), combo_parts)
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
# matching


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=str)
    s = frame[column]
    s = s.astype(object).where(s.notna(), "")
    return s.astype(str).str.strip()


def _match_texts(texts: np.ndarray, model: _Model) -> pd.DataFrame:
    """Hits in distinct texts: columns text (position in ``texts``), key, display."""
    parts = []
    s = pd.Series(texts, dtype=str)
    if model.word_re is not None and len(s):
        tokens = s.str.findall(_WORD_RE).explode().dropna()
        if len(tokens):
            word_codes, words = pd.factorize(tokens.to_numpy())
            wrapped = _START + _fold_series(pd.Series(words, dtype=str)) + _END
            hits = wrapped.str.findall(model.word_re).explode().dropna()
            hits = hits[hits.astype(str).str.len() > 0]
            if len(hits):
                by_word = pd.DataFrame({"word": hits.index.to_numpy(), "key": hits.to_numpy(dtype=object)})
                occ = pd.DataFrame({"text": tokens.index.to_numpy(), "word": word_codes})
                occ = occ.drop_duplicates()
                m = occ.merge(by_word, on="word")
                m["display"] = np.asarray(words, dtype=object)[m["word"].to_numpy()]
                parts.append(m[["text", "key", "display"]])
    if model.phrase_re is not None and len(s):
        found = _fold_series(s).str.findall(model.phrase_re).explode().dropna()
        found = found[found.astype(str).str.len() > 0]
        if len(found):
            m = pd.DataFrame({"text": found.index.to_numpy(), "key": found.to_numpy(dtype=object)})
            m["display"] = m["key"]
            parts.append(m)
    if not parts:
        return pd.DataFrame({"text": pd.Series(dtype="int64"), "key": pd.Series(dtype=object),
                             "display": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


@dataclass
class _Scores:
    fields: np.ndarray  # (m, 4)
    aspects: np.ndarray  # (m, 12)
    hits: pd.DataFrame  # row, col (int, -1 = combination), display, field, aspect, w


def _score(columns: dict[str, np.ndarray], m: int, model: _Model) -> _Scores:
    col_names = list(schema.CLASSIFY_TEXT_COLUMNS)
    frames = []
    for ci, col in enumerate(col_names):
        values = columns[col]
        codes, uniq = pd.factorize(values)
        nonempty = np.flatnonzero(np.asarray([bool(u) for u in uniq], dtype=bool)) if len(uniq) else []
        if not len(nonempty):
            continue
        hits = _match_texts(np.asarray(uniq, dtype=object), model)
        if not len(hits):
            continue
        hits = hits.drop_duplicates(["text", "key"])
        rows = pd.DataFrame({"row": np.arange(m), "text": codes})
        rows = rows[rows["text"] >= 0]
        joined = rows.merge(hits, on="text")
        joined["col"] = ci
        frames.append(joined[["row", "col", "key", "display"]])
    if frames:
        hits = pd.concat(frames, ignore_index=True).merge(
            model.terms[["key", "field", "aspect", "weight"]], on="key"
        )
        # the lexicon's own spelling for phrases
        phrase_display = dict(zip(model.terms["key"], model.terms["display"], strict=False))
        is_phrase = hits["key"].str.contains(" ", regex=False)
        if is_phrase.any():
            hits.loc[is_phrase, "display"] = hits.loc[is_phrase, "key"].map(phrase_display)
        weights = np.array([COLUMN_WEIGHTS.get(c, 1.0) for c in col_names])
        hits["w"] = hits["weight"].to_numpy() * weights[hits["col"].to_numpy()]
        hits = hits[["row", "col", "display", "field", "aspect", "w"]]
    else:
        hits = pd.DataFrame({"row": pd.Series(dtype="int64"), "col": pd.Series(dtype="int64"),
                             "display": pd.Series(dtype=object), "field": pd.Series(dtype="int64"),
                             "aspect": pd.Series(dtype="int64"), "w": pd.Series(dtype="float64")})
    if model.combos and m:
        combined = _fold_series(pd.Series(
            [" | ".join(t) for t in zip(*(columns[c] for c in col_names), strict=True)], dtype=str
        ))
        present = {p: combined.str.contains(rx, regex=True).to_numpy(dtype=bool)
                   for p, rx in model.combo_parts.items()}
        extra = []
        for display, parts, fi, ai, weight in model.combos:
            mask = np.logical_and.reduce([present[p] for p in parts])
            rows = np.flatnonzero(mask)
            if len(rows):
                extra.append(pd.DataFrame({"row": rows, "col": -1, "display": display, "field": fi,
                                           "aspect": ai, "w": weight}))
        if extra:
            hits = pd.concat([hits, *extra], ignore_index=True)
    fields = np.zeros((m, len(_FIELDS)))
    aspects = np.zeros((m, len(_ASPECTS)))
    if len(hits):
        r = hits["row"].to_numpy(dtype=np.int64)
        np.add.at(fields, (r, hits["field"].to_numpy(dtype=np.int64)), hits["w"].to_numpy())
        has_aspect = hits["aspect"].to_numpy() >= 0
        np.add.at(aspects, (r[has_aspect], hits["aspect"].to_numpy(dtype=np.int64)[has_aspect]),
                  hits["w"].to_numpy()[has_aspect])
    return _Scores(fields, aspects, hits)


# ---------------------------------------------------------------------------------------------
# reasons


def _evidence(hits: pd.DataFrame, target: np.ndarray, m: int, arrow: np.ndarray | None = None) -> np.ndarray:
    """Per row: "Titel: „a“, „b“; Beschreibung: „c“" for the hits supporting ``target[row]``.

    With ``arrow`` (field names per row) the first column segment gets " → Feld".
    """
    result = np.full(m, "", dtype=object)
    if not len(hits):
        return result
    t = target[hits["row"].to_numpy()]
    h = hits[(hits["field"].to_numpy() == t) & (hits["w"].to_numpy() > 0)]
    if not len(h):
        return result
    col_order = np.where(h["col"].to_numpy() < 0, 99, h["col"].to_numpy())
    h = h.assign(order=col_order, neg=-h["w"].to_numpy()).sort_values(["row", "order", "neg"], kind="stable")
    h = h.drop_duplicates(["row", "order", "display"])
    h = h[h.groupby(["row", "order"]).cumcount() < _MAX_WORDS]
    quoted = "„" + h["display"].astype(str) + "“"
    seg = quoted.groupby([h["row"], h["order"]], sort=True).agg(", ".join)
    seg = seg.reset_index()
    names = np.array([*schema.CLASSIFY_TEXT_COLUMNS, KOMBINATION], dtype=object)
    name = names[np.where(seg["order"].to_numpy() == 99, len(names) - 1, seg["order"].to_numpy())]
    seg_text = pd.Series(name, dtype=str) + ": " + seg.iloc[:, 2].astype(str).reset_index(drop=True)
    if arrow is not None:
        first = (seg.groupby("row").cumcount() == 0).to_numpy()
        arrows = pd.Series(arrow[seg["row"].to_numpy()], dtype=str)
        seg_text = seg_text.where(~first, seg_text + " → " + arrows)
    joined = seg_text.groupby(seg["row"].to_numpy()).agg("; ".join)
    result[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
    return result


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
    texts = {c: _text_column(activities, c) for c in schema.CLASSIFY_TEXT_COLUMNS}
    # classify each distinct combination of texts once
    if n:
        key = texts[schema.CLASSIFY_TEXT_COLUMNS[0]]
        for c in schema.CLASSIFY_TEXT_COLUMNS[1:]:
            key = key + "\x1f" + texts[c]
        codes, uniques = pd.factorize(key.to_numpy())
        m = len(uniques)
        first = np.full(m, -1, dtype=np.int64)
        first[codes[::-1]] = np.arange(n - 1, -1, -1)
    else:
        codes, m, first = np.zeros(0, dtype=np.int64), 0, np.zeros(0, dtype=np.int64)
    columns = {c: texts[c].to_numpy(dtype=object)[first] for c in schema.CLASSIFY_TEXT_COLUMNS}
    scores = _score(columns, m, model)
    decided = _decide(scores, m)
    out = {name: values[codes] for name, values in decided.items()}
    fields_u = scores.fields[codes]
    aspects_u = scores.aspects[codes]
    _apply_explicit(activities, out, fields_u, aspects_u)
    result = pd.DataFrame(
        {
            schema.SONI_FELD: pd.Series(out["feld"], index=activities.index, dtype=str),
            schema.SONI_ASPEKT: pd.Series(out["aspekt"], index=activities.index, dtype=str),
            schema.SONI_KONFIDENZ: pd.Series(out["konfidenz"], index=activities.index, dtype="float64"),
            schema.SONI_BEGRUENDUNG: pd.Series(out["begruendung"], index=activities.index, dtype=str),
            schema.SONI_QUELLE: pd.Series(out["quelle"], index=activities.index, dtype=str),
            schema.SONI_ZWEITFELD: pd.Series(out["zweitfeld"], index=activities.index, dtype=str),
            schema.SONI_ZWEITWERT: pd.Series(out["zweitwert"], index=activities.index, dtype="float64"),
        },
        index=activities.index,
    )
    return result[list(OUTPUT_COLUMNS)]


def _decide(scores: _Scores, m: int) -> dict[str, np.ndarray]:
    f = np.clip(scores.fields, 0, None)
    total = f.sum(axis=1)
    order = np.argsort(-f, axis=1, kind="stable")
    rows = np.arange(m)
    i1, i2 = order[:, 0], order[:, 1]
    s1, s2 = f[rows, i1], f[rows, i2]
    safe_total = np.where(total > 0, total, 1.0)
    share1, share2 = s1 / safe_total, s2 / safe_total
    weak = s1 < MIN_SCORE
    contradictory = ~weak & (s2 >= MAX_RATIO * s1)
    unklar = weak | contradictory
    conf = np.where(unklar, 0.0, share1 * (1.0 - np.exp(-s1 / CONFIDENCE_SCALE)))
    field_idx = np.where(unklar, len(_FIELDS), i1)
    # aspect: the strongest aspect of the winning field
    asp_block = scores.aspects.reshape(m, len(_FIELDS), 3)[rows, np.minimum(i1, len(_FIELDS) - 1)]
    best = asp_block.argmax(axis=1) if m else np.zeros(0, dtype=np.int64)
    has = asp_block[rows, best] > 0 if m else np.zeros(0, dtype=bool)
    aspect_idx = np.where(unklar | ~has, len(_ASPECTS), i1 * 3 + best)
    # runner-up: the next field (for "unklar" the best guess)
    second_idx = np.where(unklar, i1, i2)
    second_val = np.where(unklar, share1, share2)
    second_ok = np.where(unklar, s1 > 0, s2 > 0)
    zweitfeld = np.where(second_ok, _FIELD_LABELS[np.minimum(second_idx, len(_FIELDS))], "")
    zweitwert = np.where(second_ok, np.round(second_val, 3), 0.0)
    feld = _FIELD_LABELS[field_idx]
    # reasons
    support = _evidence(scores.hits, i1, m, arrow=_FIELD_LABELS[i1])
    other = _evidence(scores.hits, i2, m)
    plain1 = _evidence(scores.hits, i1, m)
    names1, names2 = _FIELD_LABELS[i1], _FIELD_LABELS[i2]
    reason = np.empty(m, dtype=object)
    for_rule = ~unklar
    with_other = for_rule & (s2 > 0) & (other != "")
    reason[for_rule] = support[for_rule]
    reason[with_other] = (
        support[with_other] + " | auch " + names2[with_other] + ": " + other[with_other]
    )
    none = weak & (s1 == 0)
    reason[none] = "unklar: keine Hinweiswörter gefunden"
    little = weak & (s1 > 0)
    reason[little] = "unklar: zu wenig Hinweise – " + names1[little] + "? " + plain1[little]
    reason[contradictory] = (
        "unklar: widersprüchliche Hinweise – " + names1[contradictory] + ": " + plain1[contradictory]
        + " | " + names2[contradictory] + ": " + other[contradictory]
    )
    return {
        "feld": feld.astype(object),
        "aspekt": _ASPECT_LABELS[aspect_idx],
        "konfidenz": np.round(conf, 3),
        "begruendung": reason,
        "quelle": np.full(m, schema.QUELLE_REGEL, dtype=object),
        "zweitfeld": zweitfeld.astype(object),
        "zweitwert": zweitwert.astype("float64"),
    }


def _apply_explicit(activities: pd.DataFrame, out: dict[str, np.ndarray], fields: np.ndarray,
                    aspects: np.ndarray) -> None:
    """An explicit field in the upload (``schema.IN_FELD``) wins over the rules; in place on ``out``."""
    if schema.IN_FELD not in activities.columns or not len(activities):
        return
    raw_field = _text_column(activities, schema.IN_FELD).to_numpy(dtype=object)
    raw_aspect = _text_column(activities, schema.IN_ASPEKT).to_numpy(dtype=object)
    raw_source = _text_column(activities, schema.IN_QUELLE).to_numpy(dtype=object)
    given = raw_field != ""
    if not given.any():
        return
    uniq = pd.unique(raw_field[given])
    parsed_map = {u: grid.parse_field(u) for u in uniq}
    parsed = np.array([parsed_map.get(v) if g else None for v, g in zip(raw_field, given, strict=True)],
                      dtype=object)
    valid = given & np.isin(parsed, list(_FIELDS))
    rejected = given & ~valid
    if rejected.any():
        prefix = np.array(
            [f"Feld „{v}“ aus der Datei ist unklar – nach Regeln bestimmt: " if p == grid.UNKLAR
             else f"Feld „{v}“ aus der Datei nicht erkannt – nach Regeln bestimmt: "
             for v, p in zip(raw_field[rejected], parsed[rejected], strict=True)],
            dtype=object,
        )
        out["begruendung"] = out["begruendung"].copy()
        out["begruendung"][rejected] = prefix + out["begruendung"][rejected]
    if not valid.any():
        return
    idx = np.flatnonzero(valid)
    field_pos = {f: i for i, f in enumerate(_FIELDS)}
    feld, aspekt, begr = out["feld"].copy(), out["aspekt"].copy(), out["begruendung"].copy()
    konf, quelle = out["konfidenz"].copy(), out["quelle"].copy()
    zweitfeld, zweitwert = out["zweitfeld"].copy(), out["zweitwert"].copy()
    pair_cache: dict[tuple[str, str], str | None] = {}
    for i in idx:  # loop only over rows with an explicit field, cached per distinct value pair
        f = parsed[i]
        a_raw = raw_aspect[i]
        manual = fold(raw_source[i]) == fold(schema.QUELLE_MANUELL)
        key = (f, a_raw)
        if key not in pair_cache:
            a = grid.parse_aspect(a_raw, f) if a_raw else None
            pair_cache[key] = a.label if a else None
        label = pair_cache[key]
        fi = field_pos[f]
        note = ""
        if label is None:
            block = aspects[i, fi * 3: fi * 3 + 3]
            label = _ASPECTS[fi * 3 + int(block.argmax())].label if block.max() > 0 else ""
            if a_raw:
                note = f"; Aspekt „{a_raw}“ nicht erkannt" + (f", nach Regeln: {label}" if label else "")
            elif label:
                note = f"; Aspekt nach Regeln: {label}"
        feld[i], aspekt[i], konf[i] = f, label, 1.0
        quelle[i] = schema.QUELLE_MANUELL if manual else schema.QUELLE_DATEI
        begr[i] = ("manuell korrigiert (aus der Datei)" if manual
                   else f"aus der Datei übernommen: Feld „{raw_field[i]}“"
                   + (f", Aspekt „{a_raw}“" if a_raw and not note else "")) + note
        pos = np.clip(fields[i], 0, None)
        pos[fi] = 0
        total = np.clip(fields[i], 0, None).sum()
        j = int(pos.argmax())
        zweitfeld[i] = _FIELDS[j] if pos[j] > 0 else ""
        zweitwert[i] = round(float(pos[j] / total), 3) if pos[j] > 0 and total > 0 else 0.0
    out.update(feld=feld, aspekt=aspekt, begruendung=begr, konfidenz=konf, quelle=quelle,
               zweitfeld=zweitfeld, zweitwert=zweitwert)


# ---------------------------------------------------------------------------------------------
# corrections


#: Key in ``DataFrame.attrs`` of :func:`apply_corrections`' result: correction ids not found.
UNKNOWN_IDS_ATTR = "unbekannte_korrekturen"


def apply_corrections(activities: pd.DataFrame,
                      corrections: Mapping[str, tuple[str, str | None]]) -> pd.DataFrame:
    """Apply user corrections by row id (``schema.ZEILEN_ID``); returns a new frame.

    ``corrections`` maps a Zeilen-ID to (field, aspect or None). Corrected rows get
    Quelle "manuell", Konfidenz 1.0 and Begründung "manuell korrigiert". Ids that are not
    in the table are ignored and listed in ``result.attrs[UNKNOWN_IDS_ATTR]``. A field or
    aspect that is not part of the SONI grid raises :class:`InputError`.
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
        if field is None or field == grid.UNKLAR:
            raise InputError(f"Korrektur für Zeile „{row_id}“: „{field_raw}“ ist kein SONI-Feld.",
                             column=schema.SONI_FELD)
        aspect = None
        if aspect_raw not in (None, ""):
            a = grid.parse_aspect(aspect_raw, field)
            if a is None:
                raise InputError(
                    f"Korrektur für Zeile „{row_id}“: „{aspect_raw}“ ist kein Aspekt des Feldes {field}.",
                    column=schema.SONI_ASPEKT,
                )
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
         else (c if grid.parse_aspect(c, f) is not None else "")
         for k, c, f in zip(ids[hit], current, fields, strict=True)],
        dtype=object,
    )
    _assign(out, schema.SONI_FELD, hit, fields)
    _assign(out, schema.SONI_ASPEKT, hit, aspects)
    _assign(out, schema.SONI_KONFIDENZ, hit, np.ones(hit.sum()))
    _assign(out, schema.SONI_BEGRUENDUNG, hit, np.full(hit.sum(), "manuell korrigiert", dtype=object))
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

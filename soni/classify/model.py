"""Compilation: a validated lexicon becomes regexes (tries) and lookup arrays."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from soni import grid
from soni.classify.lexicon import fold

#: Terms with at most this many letters match with "Stamm" only at a word start ("kurs", not "Konkurs").
SHORT_TERM = 4

_FIELDS = grid.FIELD_NAMES
_ASPECTS = grid.ASPECTS  # 3 per field, in field order
_ASPECT_LABELS = np.array([a.label for a in _ASPECTS] + [""], dtype=object)
_FIELD_LABELS = np.array([*_FIELDS, grid.UNKLAR, grid.KEIN_BEZUG], dtype=object)
_NONE = len(_FIELDS)  # score column of "kein Sozialbezug" terms
_ASPECT_INDEX = {a.label: i for i, a in enumerate(_ASPECTS)}

_START, _END = "\x02", "\x03"  # word sentinels for "Anfang"/"Ende"/"Wort"


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


#: A phrase's words before the last may be inflected: a leading word that ends in "e" (an adjective before its
#: noun: "häusliche gewalt", "aktivierende befragung") also matches with these endings ("bei häuslicher Gewalt",
#: "einer aktivierenden Befragung"); the last word already matches longer forms (``_phrase_ends_well``). Not "-es":
#: the neuter singular names the one thing at hand ("ein neues Angebot für …" describes a café, it is not the
#: development of new offers). Measured with "-es" on the 1,300 labelled real rows after the double count of a
#: listed form was fixed (c53fc98): no row changes either way – left out for the reason above.
PHRASE_ENDINGS: tuple[str, ...] = ("r", "n", "m")
#: Leading words that stay as written: articles and pronouns ("eine welt" is not "einer welt"), "ohne", "case".
_NOT_INFLECTED = frozenset({"eine", "keine", "meine", "deine", "seine", "ihre", "unsere", "eure", "diese", "jede",
                            "alle", "welche", "ohne", "case"})


#: At most this many leading words of a phrase (those nearest its last word) are inflected: the forms multiply
#: (4 per word), and a user's term may be a whole pasted sentence. The lexicon's phrases have at most three.
MAX_INFLECTED = 3


def _phrase_forms(core: str) -> list[str]:
    """The folded phrase and its forms with inflected leading words (PHRASE_ENDINGS, at most MAX_INFLECTED)."""
    words = core.split(" ")
    forms = [words[-1]]
    inflected = 0
    for w in reversed(words[:-1]):
        if len(w) < 4 or not w.endswith("e") or w in _NOT_INFLECTED or inflected == MAX_INFLECTED:
            own = [w]
        else:
            own = [w, *(w + e for e in PHRASE_ENDINGS)]
            inflected += 1
        forms = [f"{o} {f}" for o in own for f in forms]
    return forms


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
    # a form the lexicon lists as a phrase of its own ("neuen angebot" beside "neue angebot") belongs to that
    # entry only: one occurrence must not count twice
    written = {row[0] for row in rows if " " in row[0]}
    for r, (core, *_, grenze) in enumerate(rows):
        if " " in core:  # a phrase, and the inflected forms of its leading words
            for form in _phrase_forms(core):
                if form == core or form not in written:
                    strings.setdefault(form, set()).add(r)
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

"""Inventories over the years: the grid per inventory, the shift per field and aspect, and which
activities are new, gone or moved — matched by their normalised title. Also what a team's saved
corrections teach next year's inventory. Pure functions on DataFrames (no database, no UI).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from soni import aggregate, grid, schema

NEU = "neu"
WEGGEFALLEN = "weggefallen"
VERSCHOBEN = "verschoben"
GLEICH = "gleich"
STATUS_ORDER: tuple[str, ...] = (NEU, WEGGEFALLEN, VERSCHOBEN, GLEICH)

_NON_WORD = re.compile(r"[\W_]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _words(text: object) -> list[str]:
    """The words of a title as they are compared: Unicode-normalised (NFKC), case-folded, German umlauts
    written out (ä → ae), other accents dropped (é → e), punctuation and spaces as separators."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    folded = str(text).casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKC", folded).casefold().translate(_UMLAUTS)
        if not folded.isascii():
            folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return [w for w in _NON_WORD.split(folded) if w]


def title_key(title: object) -> str:
    """A title as it is compared across years: case, umlaut spelling, accents, punctuation and spaces ignored.

    "Sprach-Café  (Mo.)", "sprachcafe mo" and "SPRACHCAFÉ MO" are the same title; an empty title has key "".
    """
    return "".join(_words(title))


def _without_quartier(words: list[str], name: list[str]) -> str:
    """A title's key with its Quartier's name (as whole words) taken out: "Seniorentreff (Nordstadt)"
    in Quartier Nordstadt → "seniorentreff". Unchanged when the title is nothing but the name or
    does not contain it."""
    k = len(name)
    if k and len(words) > k:
        for i in range(len(words) - k + 1):
            if words[i:i + k] == name:
                return "".join(words[:i] + words[i + k:])
    return "".join(words)


def title_keys(titles: pd.Series) -> pd.Series:
    """``title_key`` for a column (each distinct title folded once)."""
    values = titles.astype(object).where(titles.notna(), "")
    codes, uniq = pd.factorize(values.to_numpy(dtype=object))
    keys = np.array([title_key(v) for v in uniq] + [""], dtype=object)
    return pd.Series(keys[codes], index=titles.index, dtype=object)


def _text(df: pd.DataFrame, column: str) -> np.ndarray:
    if column not in df:
        return np.full(len(df), "", dtype=object)
    return df[column].astype(object).where(df[column].notna(), "").astype(str).to_numpy(dtype=object)


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """Titel, Quartier, their keys (``bare``: the title key without the Quartier's name), field and
    aspect of each activity that has a title."""
    titles, quartiere = _text(df, schema.TITEL), _text(df, schema.QUARTIER)
    quartiere = np.where(quartiere == schema.OHNE_QUARTIER, "", quartiere).astype(object)
    t_codes, t_uniq = pd.factorize(titles)
    q_codes, q_uniq = pd.factorize(quartiere)
    t_words = [_words(t) for t in t_uniq]
    q_words = [_words(q) for q in q_uniq]
    t_keys = np.array(["".join(w) for w in t_words], dtype=object)
    q_keys = np.array(["".join(w) for w in q_words], dtype=object)
    key, q = t_keys[t_codes], q_keys[q_codes]
    bare = key.copy()
    for i in np.flatnonzero([bool(qk) and qk in tk and tk != qk for tk, qk in zip(key, q, strict=True)]):
        bare[i] = _without_quartier(t_words[t_codes[i]], q_words[q_codes[i]])
    out = pd.DataFrame({
        "Titel": titles, "Quartier": quartiere, "key": key, "q": q, "bare": bare,
        "Feld": df[schema.SONI_FELD].astype(object).fillna(grid.UNKLAR).astype(str).to_numpy()
        if schema.SONI_FELD in df else grid.UNKLAR,
        "Aspekt": _text(df, schema.SONI_ASPEKT),
    })
    return out[out["key"] != ""]


#: How two inventories' activities are paired, pass after pass on what is still unpaired (``match``):
#: title key and Quartier; the same with the Quartier's name taken out of the title; then, only where
#: one side has no Quartier, the title alone (without and with that name).
_PASSES: tuple[tuple[str, bool], ...] = (("key", True), ("bare", True), ("key", False), ("bare", False))


def _pair(a: pd.DataFrame, b: pd.DataFrame, key: str, same_quartier: bool
          ) -> tuple[list[tuple[int, int]], pd.DataFrame, pd.DataFrame]:
    """One pass: rows of ``a`` and ``b`` with equal ``key`` (and Quartier, or one side without one)
    paired in order of appearance; returns the (a, b) index pairs and what is left on each side."""
    found: list[tuple[int, int]] = []
    sides = [(a, b)] if same_quartier else [(a[a["q"] == ""], b), (a, b[b["q"] == ""])]
    for left, right in sides:
        left, right = left[~left.index.isin([i for i, _ in found])], right[~right.index.isin([j for _, j in found])]
        on = [key, "q"] if same_quartier else [key]
        lk = left[on].assign(n=left.groupby(on, sort=False).cumcount(), i=left.index)
        rk = right[on].assign(n=right.groupby(on, sort=False).cumcount(), j=right.index)
        m = lk.merge(rk, on=[*on, "n"], how="inner")
        found += list(zip(m["i"].tolist(), m["j"].tolist(), strict=True))
    done_a, done_b = {i for i, _ in found}, {j for _, j in found}
    return found, a[~a.index.isin(done_a)], b[~b.index.isin(done_b)]


def match(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Activities of two inventories matched by title, in the Quartier they belong to.

    Two activities are the same when their titles agree (``title_key``: case, umlaut spelling, accents,
    punctuation and spaces ignored) and so do their Quartiere; a title naming its own Quartier
    ("Seniorentreff Nordstadt" in Nordstadt) also meets the title without it. The same title in two
    different Quartiere is two activities (one may be weggefallen, the other neu). Only where one
    inventory has no Quartier for an activity does the title alone decide. A title that occurs several
    times is paired in order of appearance.

    One row per activity of either inventory; columns Status (neu, weggefallen, verschoben, gleich),
    Titel, Quartier, Feld vorher, Aspekt vorher, Feld nachher, Aspekt nachher. Activities without a
    title cannot be matched and are left out (``attrs["ohne_titel"]`` counts them per side).
    """
    a, b = _cells(earlier).reset_index(drop=True), _cells(later).reset_index(drop=True)
    pairs: list[tuple[int, int]] = []
    rest_a, rest_b = a, b
    for key, same_quartier in _PASSES:
        found, rest_a, rest_b = _pair(rest_a, rest_b, key, same_quartier)
        pairs += found
    i, j = [p[0] for p in pairs], [p[1] for p in pairs]
    both = pd.DataFrame({
        "Titel": b["Titel"].to_numpy()[j], "Quartier": b["Quartier"].to_numpy()[j],
        "Feld vorher": a["Feld"].to_numpy()[i], "Aspekt vorher": a["Aspekt"].to_numpy()[i],
        "Feld nachher": b["Feld"].to_numpy()[j], "Aspekt nachher": b["Aspekt"].to_numpy()[j],
    })
    both.loc[both["Quartier"] == "", "Quartier"] = a["Quartier"].to_numpy()[i][both["Quartier"].to_numpy() == ""]
    moved = (both["Feld vorher"] != both["Feld nachher"]) | (both["Aspekt vorher"] != both["Aspekt nachher"])
    both.insert(0, "Status", np.where(moved, VERSCHOBEN, GLEICH))
    gone = pd.DataFrame({"Status": WEGGEFALLEN, "Titel": rest_a["Titel"], "Quartier": rest_a["Quartier"],
                         "Feld vorher": rest_a["Feld"], "Aspekt vorher": rest_a["Aspekt"],
                         "Feld nachher": "", "Aspekt nachher": ""})
    new = pd.DataFrame({"Status": NEU, "Titel": rest_b["Titel"], "Quartier": rest_b["Quartier"],
                        "Feld vorher": "", "Aspekt vorher": "",
                        "Feld nachher": rest_b["Feld"], "Aspekt nachher": rest_b["Aspekt"]})
    out = pd.concat([new, gone, both], ignore_index=True).astype(object)
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    out = out.sort_values(["Status", "Titel", "Quartier"],
                          key=lambda s: s.map(order) if s.name == "Status" else s.astype(str).str.casefold(),
                          kind="stable").reset_index(drop=True)
    out.attrs["ohne_titel"] = {"vorher": len(earlier) - len(a), "nachher": len(later) - len(b)}
    return out


def grid_over_years(inventories: Sequence[tuple[str, pd.DataFrame]], metric: str = "anzahl") -> pd.DataFrame:
    """The SONI grid of each inventory side by side, and the shift from the first to the last.

    Rows: per field its three aspects, its rows without aspect and the field total, then "unklar"
    (columns Feld, Schlüssel, Aspekt); one value column per inventory label (in the given order),
    then "Veränderung" (last − first) when there are two or more.
    """
    if not inventories:
        raise ValueError("keine Bestandsaufnahme gewählt")
    labels = [label for label, _ in inventories]
    if len(set(labels)) != len(labels):
        raise ValueError("jede Bestandsaufnahme nur einmal")
    base: pd.DataFrame | None = None
    for label, df in inventories:
        cells = aggregate.cell_table(df, metric)
        totals = cells[cells["Feld"].isin(grid.FIELD_NAMES)].groupby("Feld", sort=False)["Wert"].sum()
        if base is None:
            base = _with_field_totals(cells[["Feld", "Schlüssel", "Aspekt"]], totals.index)
        base[label] = _with_field_totals(cells, totals.index, totals)["Wert"].to_numpy()
    assert base is not None
    if len(labels) > 1:
        base["Veränderung"] = base[labels[-1]] - base[labels[0]]
    return base.reset_index(drop=True)


def _with_field_totals(cells: pd.DataFrame, fields: pd.Index, totals: pd.Series | None = None) -> pd.DataFrame:
    """``cells`` with a row "Feld gesamt" after each field's rows."""
    parts = []
    for name in fields:
        part = cells[cells["Feld"] == name]
        total = {"Feld": name, "Schlüssel": grid.FIELD_BY_NAME[name].key, "Aspekt": FELD_GESAMT}
        if totals is not None:
            total["Wert"] = totals[name]
        parts += [part, pd.DataFrame([total])]
    parts.append(cells[cells["Feld"].isin([grid.UNKLAR, grid.KEIN_BEZUG])])
    return pd.concat(parts, ignore_index=True)


FELD_GESAMT = "Feld gesamt"


def match_summary(matched: pd.DataFrame) -> dict[str, int]:
    """How many activities are neu, weggefallen, verschoben, gleich."""
    counts = matched["Status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUS_ORDER}


def export_tables(inventories: Sequence[tuple[str, pd.DataFrame]], metric: str = "anzahl"
                  ) -> dict[str, pd.DataFrame]:
    """Sheets for a download: the grid over the years and the activity changes of each step."""
    tables = {"Jahresvergleich": grid_over_years(inventories, metric)}
    for (a_label, a), (b_label, b) in itertools.pairwise(inventories):
        name = f"{a_label} → {b_label}"
        tables[_sheet_name(name, tables)] = match(a, b)
    return tables


def _sheet_name(name: str, taken: Mapping[str, object]) -> str:
    """Excel's sheet names: ≤ 31 characters, none of []:*?/\\, unique."""
    clean = re.sub(r"[\[\]:*?/\\]", "-", name)[:31]
    i = 2
    out = clean
    while out in taken:
        suffix = f" ({i})"
        out, i = clean[: 31 - len(suffix)] + suffix, i + 1
    return out


# --- what corrections teach -----------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    """One correction as the workspace keeps it: which activity (row, title, Quartier), old → new."""

    zeilen_id: str
    titel: str
    old_feld: str
    old_aspekt: str
    new_feld: str
    new_aspekt: str | None  # None: keep or derive (``classify.apply_corrections``)
    quartier: str = ""  # "": not known


def corrections_of(raw: pd.DataFrame, corrections: Mapping[str, tuple[str, str | None]]) -> list[Correction]:
    """The session's corrections (Zeilen-ID → (field, aspect)) with the old values from ``raw``
    (the activities before corrections); ids not in ``raw`` are left out."""
    if not corrections or schema.ZEILEN_ID not in raw:
        return []
    ids = raw[schema.ZEILEN_ID].astype(str).to_numpy()
    pos = {k: i for i, k in enumerate(ids)}
    titles, quartiere = _text(raw, schema.TITEL), _text(raw, schema.QUARTIER)
    felder, aspekte = _text(raw, schema.SONI_FELD), _text(raw, schema.SONI_ASPEKT)
    out = []
    for row_id, value in corrections.items():
        i = pos.get(str(row_id))
        if i is None:
            continue
        field, aspect = (value if isinstance(value, tuple | list) else (value, None))[:2]
        quartier = "" if quartiere[i] == schema.OHNE_QUARTIER else quartiere[i]
        out.append(Correction(str(row_id), titles[i], felder[i], aspekte[i], str(field),
                              None if aspect is None else str(aspect), quartier))
    return out


def latest_corrections(log: pd.DataFrame) -> pd.DataFrame:
    """From a correction log (oldest first; columns titel, titel_key, quartier, new_feld, new_aspekt, …)
    the latest correction per activity — per title key and Quartier — with a column quartier_key."""
    frame = log[log["titel_key"].fillna("") != ""].copy()
    quartier = frame["quartier"] if "quartier" in frame else pd.Series("", index=frame.index)
    frame["quartier"] = quartier.astype(object).where(quartier.notna(), "").astype(str)
    frame["quartier_key"] = title_keys(frame["quartier"])
    return frame.drop_duplicates(["titel_key", "quartier_key"], keep="last").reset_index(drop=True)


def carry_corrections(activities: pd.DataFrame, learnt: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
    """Corrections for ``activities`` from what was learnt (``latest_corrections``): Zeilen-ID →
    (field, aspect), ready for ``classify.apply_corrections``.

    A correction goes to the same activity, found as ``match`` finds it: same title (``title_key``,
    also with the Quartier's name taken out of the title) in the same Quartier. A correction saved
    without a Quartier applies to the title in every Quartier; an activity without a Quartier gets
    its title's correction when all Quartiere were corrected alike. Rows whose field came from the
    file itself (Quelle "Datei") and rows without a title are left alone.
    """
    if learnt is None or learnt.empty or schema.TITEL not in activities or schema.ZEILEN_ID not in activities:
        return {}
    if "quartier_key" not in learnt:
        learnt = latest_corrections(learnt)
    in_quartier: dict[tuple[str, str], tuple[str, str | None]] = {}
    anywhere: dict[str, tuple[str, str | None]] = {}  # corrections saved without a Quartier
    by_title: dict[str, set[tuple[str, str | None]]] = {}
    for titel, quartier, q, f, a in learnt[["titel", "quartier", "quartier_key", "new_feld", "new_aspekt"]
                                           ].itertuples(index=False):
        value = (str(f), None if a is None or (isinstance(a, float) and np.isnan(a)) else str(a))
        words, name = _words(titel), _words(quartier)
        for key in dict.fromkeys(("".join(words), _without_quartier(words, name))):
            if q:
                in_quartier.setdefault((key, q), value)
            else:
                anywhere.setdefault(key, value)
            by_title.setdefault(key, set()).add(value)

    def lookup(title: str, quartier: str) -> tuple[str, str | None] | None:
        words, name = _words(title), _words(quartier)
        q = "".join(name)
        keys = list(dict.fromkeys(("".join(words), _without_quartier(words, name))))
        for key in keys:
            if q and (key, q) in in_quartier:
                return in_quartier[key, q]
        for key in keys:
            if key in anywhere:
                return anywhere[key]
            if not q and len(by_title.get(key, ())) == 1:
                return next(iter(by_title[key]))
        return None

    titles, quartiere = _text(activities, schema.TITEL), _text(activities, schema.QUARTIER)
    quartiere = np.where(quartiere == schema.OHNE_QUARTIER, "", quartiere).astype(object)
    quelle = _text(activities, schema.SONI_QUELLE)
    ids = activities[schema.ZEILEN_ID].astype(str).to_numpy()
    found = {pair: lookup(*pair) for pair in dict.fromkeys(zip(titles, quartiere, strict=True))}
    return {row_id: found[t, q] for row_id, t, q, src in zip(ids, titles, quartiere, quelle, strict=True)
            if src != schema.QUELLE_DATEI and found[t, q] is not None}

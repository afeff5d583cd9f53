"""Inventories over the years: the grid per inventory, the shift per field and aspect, and which
activities are new, gone or moved — matched by their normalised title. Also what a team's saved
corrections teach next year's inventory. Pure functions on DataFrames (no database, no UI).
"""

from __future__ import annotations

import itertools
import re
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
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})


def title_key(title: object) -> str:
    """A title as it is compared across years: case, umlaut spelling, punctuation and spaces ignored.

    "Sprach-Café  (Mo.)" and "sprachcafe mo" are the same activity; an empty title has key "".
    """
    if title is None or (isinstance(title, float) and np.isnan(title)):
        return ""
    folded = str(title).casefold().translate(_FOLD)
    return _NON_WORD.sub(" ", folded).replace(" ", "")


def title_keys(titles: pd.Series) -> pd.Series:
    """``title_key`` for a column (each distinct title folded once)."""
    values = titles.astype(object).where(titles.notna(), "")
    uniq = pd.unique(values)
    mapping = {v: title_key(v) for v in uniq}
    return pd.Series([mapping[v] for v in values], index=titles.index, dtype=object)


def _cells(df: pd.DataFrame) -> pd.DataFrame:
    """Titel, key, occurrence of the key, field and aspect of each activity."""
    titles = df[schema.TITEL] if schema.TITEL in df else pd.Series("", index=df.index)
    out = pd.DataFrame({
        "Titel": titles.astype(object).where(titles.notna(), "").astype(str).to_numpy(),
        "key": title_keys(titles).to_numpy(),
        "Feld": df[schema.SONI_FELD].astype(object).fillna(grid.UNKLAR).astype(str).to_numpy()
        if schema.SONI_FELD in df else grid.UNKLAR,
        "Aspekt": df[schema.SONI_ASPEKT].astype(object).fillna("").astype(str).to_numpy()
        if schema.SONI_ASPEKT in df else "",
    })
    out["n"] = out.groupby("key").cumcount()  # the 2nd "Chor" of one year meets the 2nd of the next
    return out[out["key"] != ""]


def match(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """Activities of two inventories matched by normalised title (``title_key``).

    One row per activity of either inventory; columns Status (neu, weggefallen, verschoben, gleich),
    Titel, Feld vorher, Aspekt vorher, Feld nachher, Aspekt nachher. A title that occurs several
    times is paired in order of appearance. Activities without a title cannot be matched and
    are left out (``attrs["ohne_titel"]`` counts them per side).
    """
    a, b = _cells(earlier), _cells(later)
    m = a.merge(b, on=["key", "n"], how="outer", suffixes=(" vorher", " nachher"), indicator=True)
    status = np.select(
        [m["_merge"] == "right_only", m["_merge"] == "left_only",
         (m["Feld vorher"] != m["Feld nachher"]) | (m["Aspekt vorher"] != m["Aspekt nachher"])],
        [NEU, WEGGEFALLEN, VERSCHOBEN], GLEICH)
    out = pd.DataFrame({
        "Status": status,
        "Titel": m["Titel nachher"].where(m["Titel nachher"].notna(), m["Titel vorher"]),
        "Feld vorher": m["Feld vorher"].fillna(""), "Aspekt vorher": m["Aspekt vorher"].fillna(""),
        "Feld nachher": m["Feld nachher"].fillna(""), "Aspekt nachher": m["Aspekt nachher"].fillna(""),
    })
    order = {s: i for i, s in enumerate(STATUS_ORDER)}
    out = out.sort_values(["Status", "Titel"], key=lambda s: s.map(order) if s.name == "Status" else s.str.casefold(),
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
    """One correction as the workspace keeps it: which activity, old → new."""

    zeilen_id: str
    titel: str
    old_feld: str
    old_aspekt: str
    new_feld: str
    new_aspekt: str | None  # None: keep or derive (``classify.apply_corrections``)


def corrections_of(raw: pd.DataFrame, corrections: Mapping[str, tuple[str, str | None]]) -> list[Correction]:
    """The session's corrections (Zeilen-ID → (field, aspect)) with the old values from ``raw``
    (the activities before corrections); ids not in ``raw`` are left out."""
    if not corrections or schema.ZEILEN_ID not in raw:
        return []
    ids = raw[schema.ZEILEN_ID].astype(str).to_numpy()
    pos = {k: i for i, k in enumerate(ids)}
    titles = raw[schema.TITEL].astype(object).fillna("").astype(str).to_numpy() if schema.TITEL in raw else None
    felder = raw[schema.SONI_FELD].astype(object).fillna("").astype(str).to_numpy()
    aspekte = raw[schema.SONI_ASPEKT].astype(object).fillna("").astype(str).to_numpy()
    out = []
    for row_id, value in corrections.items():
        i = pos.get(str(row_id))
        if i is None:
            continue
        field, aspect = (value if isinstance(value, tuple | list) else (value, None))[:2]
        out.append(Correction(str(row_id), titles[i] if titles is not None else "", felder[i], aspekte[i],
                              str(field), None if aspect is None else str(aspect)))
    return out


def carry_corrections(activities: pd.DataFrame, learnt: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
    """Corrections for ``activities`` from what was learnt (``learnt``: columns titel_key, new_feld,
    new_aspekt — the latest correction per title): Zeilen-ID → (field, aspect), ready for
    ``classify.apply_corrections``. Rows whose field came from the file itself (Quelle "Datei")
    and rows without a title are left alone.
    """
    if learnt is None or learnt.empty or schema.TITEL not in activities or schema.ZEILEN_ID not in activities:
        return {}
    lookup = {str(k): (str(f), None if a is None or (isinstance(a, float) and np.isnan(a)) else str(a))
              for k, f, a in learnt[["titel_key", "new_feld", "new_aspekt"]].itertuples(index=False)}
    keys = title_keys(activities[schema.TITEL]).to_numpy()
    quelle = (activities[schema.SONI_QUELLE].astype(object).fillna("").astype(str).to_numpy()
              if schema.SONI_QUELLE in activities else np.full(len(activities), ""))
    ids = activities[schema.ZEILEN_ID].astype(str).to_numpy()
    return {row_id: lookup[key] for row_id, key, q in zip(ids, keys, quelle, strict=True)
            if key and key in lookup and q != schema.QUELLE_DATEI}

"""Reasons: the words, their columns and the SONI reason behind a decision, in German."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soni import schema
from soni.classify.arrays import _flat
from soni.classify.model import _ASPECTS, _FIELDS
from soni.classify.scoring import _Scores

KOMBINATION = "Kombination"  # the "column" of a combination term in reasons
_MAX_WORDS = 3  # words shown per column in a reason

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

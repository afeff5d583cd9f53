"""Reasons: the words, their columns and the SONI reason behind a decision, in German."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from soni import grid, schema
from soni.classify.arrays import _flat, _join
from soni.classify.model import _ASPECTS, _FIELDS, _NONE
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


@dataclass
class _Rows:
    """What the reasons of the distinct rows are built from; ``part(idx)`` gives the same for some rows."""

    evidence: list[tuple[pa.Array, pa.Array]]  # (first, rest) segments for the winner, runner-up, kein Bezug
    labels: pa.Array
    i1: np.ndarray
    i2: np.ndarray
    why: np.ndarray  # index into _WHY
    s1: np.ndarray
    s2: np.ndarray

    def part(self, idx: np.ndarray) -> _Rows:
        at = pa.array(idx)
        return _Rows([(first.take(at), rest.take(at)) for first, rest in self.evidence], self.labels,
                     self.i1[idx], self.i2[idx], self.why[idx], self.s1[idx], self.s2[idx])

    def ev(self, k: int) -> pa.Array:
        return _join(list(self.evidence[k]), "; ")

    def name(self, i: np.ndarray) -> pa.Array:
        return self.labels.take(pa.array(i))


def _reasons(sc: _Scores, m: int, rows: _Rows, *, kein: np.ndarray, weak: np.ndarray,
             contradictory: np.ndarray, silent: np.ndarray) -> pa.Array:
    """The German reason of each distinct row. Each kind of reason is built only for the rows that get
    it (building every kind for every row cost ~0.6 s and ~0.4 GB at 200,000 distinct rows); the
    runner-up's words and those of "kein Sozialbezug" are looked up only where a reason names them."""
    need2 = (rows.s2 > 0) & ~kein & ~weak
    rows = replace(rows, evidence=_evidence(sc, [rows.i1, np.where(need2, rows.i2, -1), np.where(kein, _NONE, -1)], m))
    kind = np.select([silent, kein, weak & (rows.s1 == 0), weak, contradictory], [5, 4, 3, 2, 1], 0)
    return _by_kind(kind, [_rule, _contra, _little, _nothing, _no_social, _silent], rows)


def _by_kind(kind: np.ndarray, builders: list, rows: _Rows) -> pa.Array:
    """Per row the text of ``builders[kind[row]]``, each builder called once with only its rows."""
    parts, positions = [], np.empty(len(kind), dtype=np.int64)
    offset = 0
    for k, build in enumerate(builders):
        idx = np.flatnonzero(kind == k)
        if len(idx):
            parts.append(build(rows.part(idx)))
            positions[idx] = np.arange(offset, offset + len(idx))
            offset += len(idx)
    if not parts:
        return pa.array([], type=pa.string())
    return pa.concat_arrays(parts).take(pa.array(positions))


def _rule(r: _Rows) -> pa.Array:
    """The field's words → field (SONI reason), further columns; "| auch" the runner-up's words."""
    first1, rest1 = r.evidence[0]
    field_why = pc.binary_join_element_wise(r.name(r.i1), _WHY.take(pa.array(r.why)), " (")
    support = _join([pc.binary_join_element_wise(first1, field_why, " → "), rest1], "; ")
    ev2 = r.ev(1)
    with_other = pc.binary_join_element_wise(support, pc.binary_join_element_wise(r.name(r.i2), ev2, ": "),
                                             " | auch ")
    return pc.if_else(pa.array((r.s2 > 0) & (pc.not_equal(ev2, "").to_numpy(zero_copy_only=False))),
                      with_other, support)


def _contra(r: _Rows) -> pa.Array:
    return pc.binary_join_element_wise("unklar: widersprüchliche Hinweise – ", r.name(r.i1), ": ", r.ev(0), " | ",
                                       r.name(r.i2), ": ", r.ev(1), "")


def _little(r: _Rows) -> pa.Array:
    return pc.binary_join_element_wise("unklar: zu wenig Hinweise – ", r.name(r.i1), "? ", r.ev(0), "")


def _nothing(r: _Rows) -> pa.Array:
    return pa.array(["unklar: keine Hinweiswörter gefunden"] * len(r.i1), type=pa.string())


def _silent(r: _Rows) -> pa.Array:
    return pa.array([f"{grid.KEIN_BEZUG}: kein Hinweiswort auf soziale Arbeit gefunden – bitte prüfen"] * len(r.i1),
                    type=pa.string())


def _no_social(r: _Rows) -> pa.Array:
    no_social = pc.binary_join_element_wise(f"{grid.KEIN_BEZUG}: ", r.ev(2), " – kein Hinweis auf soziale Arbeit", "")
    weaker = pc.binary_join_element_wise(no_social, pc.binary_join_element_wise(r.name(r.i1), r.ev(0), ": "),
                                         " | schwächer ")
    return pc.if_else(pa.array(r.s1 > 0), weaker, no_social)

"""Scoring: weighted field and aspect scores per distinct row from the hits of every text column."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from soni import grid, schema
from soni.classify.arrays import _csr, _expand
from soni.classify.matching import _match_columns
from soni.classify.model import _ASPECTS, _FIELDS, _Model
from soni.classify.persons import (
    SINGLE_PERSON_ASPECT_WEIGHT,
    SINGLE_PERSON_WEIGHTS,
    single_person,
    single_person_target,
)
from soni.classify.recipients import BUSINESS_SHOWN, BUSINESS_WEIGHT, business
from soni.classify.silence import names_social_matters

#: How much a hit counts per column (title and type more than the provider).
COLUMN_WEIGHTS: dict[str, float] = {
    schema.TITEL: 1.5,
    schema.BESCHREIBUNG: 1.0,
    schema.ART: 1.5,
    schema.ZIELGRUPPE: 0.6,
    schema.TRAEGER: 0.3,
    schema.WEITERE_TEXTE: 0.8,
}


@dataclass
class _Scores:
    fields: np.ndarray  # (m, 4)
    aspects: np.ndarray  # (m, 12)
    row: np.ndarray  # per hit: distinct row
    col: np.ndarray  # column index; len(CLASSIFY_TEXT_COLUMNS) = combination
    display: np.ndarray  # object
    field: np.ndarray
    aspect: np.ndarray  # -1 = field only
    w: np.ndarray  # weight × column weight

    def field_scores(self) -> np.ndarray:
        """(m, 4): the score of each field, negative ones (blocking terms) as 0."""
        return np.clip(self.fields[:, :len(_FIELDS)], 0, None)


#: A word of the provider's name that also stands in the title or description ("Mütterzentrum Vahr:
#: Beratung für Alleinerziehende", "… meldet euch bei der Freiwilligenagentur") names who offers the
#: activity, not what it is: there it counts only this much – when the same column has other evidence.
PROVIDER_IN_TEXT = 0.0
_TRAEGER = schema.CLASSIFY_TEXT_COLUMNS.index(schema.TRAEGER)
#: When no other column of a row has evidence, the provider's words count this much instead of the provider
#: column's weight: a grant line "Förderung nach dem Landesförderplan Pos. 2.3.2.2" says nothing about the
#: activity, its recipient "Pfadfinderschaft" does (swept 0.5/0.7/1.0: real rows 0.861 → 0.870/0.873/0.875;
#: at 1.0 seven rows decided, six right; invented set, sample, generator unchanged).
PROVIDER_ALONE = 1.0
#: … except words of Sozialstruktur: in a provider's name ("Öffentliche Bücherhallen", "Gesellschaft für Politik
#: und Wirtschaft", "Studierendenwerk") they name the kind of institution, not the municipality's planning or
#: policy (grants report: 33 of 33 such rows were no S work; they stay at the provider weight, mostly "unklar").
_SOZIALSTRUKTUR = _FIELDS.index(grid.FIELD_BY_KEY["S"].name)
#: The aspect whose words count only in a row that names social matters (silence.names_social_matters).
_SOZIALRAUMANALYSE = _ASPECTS.index(grid.ASPECT_BY_KEY["S1"])


def _provider_alone(row: np.ndarray, col: np.ndarray, lex_weight: np.ndarray, m: int) -> np.ndarray:
    """Per hit: True for a provider hit in a row whose other columns have no evidence."""
    in_provider = col == _TRAEGER
    other = np.zeros(m, dtype=bool)
    other[row[~in_provider & (lex_weight > 0)]] = True
    return in_provider & ~other[row]


def _provider_factor(row: np.ndarray, col: np.ndarray, disp: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Per hit: PROVIDER_IN_TEXT for a word of the row's provider column found in another column of the row
    that has other evidence too, else 1."""
    out = np.ones(len(row))
    in_provider = col == _TRAEGER
    if not in_provider.any():
        return out
    has_provider = np.zeros(int(row.max()) + 1, dtype=bool)
    has_provider[row[in_provider]] = True
    # only rows with a provider hit can name the provider elsewhere
    sel = np.flatnonzero(has_provider[row] & (weight > 0))
    word = pd.factorize(pd.Series(disp[sel], dtype=object).str.casefold())[0].astype(np.int64)
    key = row[sel] * (int(word.max()) + 1) + word
    sel_provider = in_provider[sel]
    named = ~sel_provider & np.isin(key, key[sel_provider])
    if not named.any():
        return out
    # other evidence in the same row and column: a positive hit that is not a provider word
    n_cols = len(schema.CLASSIFY_TEXT_COLUMNS) + 1
    cell = row[sel] * n_cols + col[sel]
    other = ~sel_provider & ~named
    has_other = np.isin(cell, cell[other])
    out[sel[named & has_other]] = PROVIDER_IN_TEXT
    return out


_Evidence = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _add_hits(
    hits: _Evidence, rows: np.ndarray, col: int, disp: object, field: int, aspect: int, w: float
) -> _Evidence:
    """The hits (row, column, shown words, field, aspect, weight) with one more hit in each of `rows`;
    `disp` is one text for all or one per row."""
    if not len(rows):
        return hits
    k = len(rows)
    new = (rows, np.full(k, col), disp if isinstance(disp, np.ndarray) else np.full(k, disp, dtype=object),
           np.full(k, field), np.full(k, aspect), np.full(k, w))
    return tuple(np.concatenate([a, b]) for a, b in zip(hits, new, strict=True))


def _score(dictionaries: list[pa.Array], text_of_row: list[np.ndarray], m: int, model: _Model) -> _Scores:
    """Field and aspect scores for the m distinct rows, and the hits behind them."""
    weights = np.array([COLUMN_WEIGHTS.get(c, 1.0) for c in schema.CLASSIFY_TEXT_COLUMNS])
    present = {p: np.zeros(m, dtype=bool) for p in model.combo_parts}
    rows, cols, disps, kids, wheres = [], [], [], [], []
    filled = [ci for ci, texts in enumerate(dictionaries) if len(texts)]
    for ci, (hits, parts) in zip(filled, _match_columns([dictionaries[ci] for ci in filled], model), strict=True):
        texts, tc = dictionaries[ci], text_of_row[ci]
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
    lex_weight = model.row_weight[lex_row]
    w = lex_weight * weights[col] * _provider_factor(row, col, disp, lex_weight)
    # Sozialraumanalyse analyses social matters: without any word of the social domain in the row, its words
    # (Studie, Erfassung, Untersuchung, Kartierung, Interviews) name research on nature, technology or history.
    # Set aside before the provider rule: a word that does not count is no evidence that keeps the provider quiet.
    analysis = aspect == _SOZIALRAUMANALYSE
    s_rows = np.unique(row[analysis & (w > 0)])
    if len(s_rows):
        set_aside = analysis & ~names_social_matters(dictionaries, text_of_row, s_rows, m)[row]
        w = np.where(set_aside, 0.0, w)
        lex_weight = np.where(set_aside, 0.0, lex_weight)
    w = np.where(_provider_alone(row, col, lex_weight, m) & (field != _SOZIALSTRUKTUR), lex_weight * PROVIDER_ALONE, w)
    evidence = (row, col, disp, field, aspect, w)
    # for whom: a title (or description) that names one single person (persons.py)
    for name, person_weight in SINGLE_PERSON_WEIGHTS.items():
        ci = schema.CLASSIFY_TEXT_COLUMNS.index(name)
        if not len(dictionaries[ci]):
            continue
        one, shown = single_person(dictionaries[ci])
        hit_rows = np.flatnonzero(one[text_of_row[ci]])
        if len(hit_rows):
            # the field at full weight; the aspect only as a default that the words of the row outweigh
            # ("Koordination der Hilfen für einen Vater" stays I3)
            fi, ai = single_person_target()
            shown_rows = shown[text_of_row[ci][hit_rows]]
            evidence = _add_hits(evidence, hit_rows, ci, shown_rows, fi, -1,
                             (person_weight - SINGLE_PERSON_ASPECT_WEIGHT) * weights[ci])
            evidence = _add_hits(evidence, hit_rows, ci, shown_rows, fi, ai, SINGLE_PERSON_ASPECT_WEIGHT * weights[ci])
    # combinations
    n_cols = len(schema.CLASSIFY_TEXT_COLUMNS)
    for display, parts, fi, ai, weight in model.combos:
        hit_rows = np.flatnonzero(np.logical_and.reduce([present[p] for p in parts]))
        evidence = _add_hits(evidence, hit_rows, n_cols, display, fi, ai, weight)
    row, col, disp, field, aspect, w = evidence
    fields = np.zeros((m, len(_FIELDS) + 1))  # the four fields, then "kein Sozialbezug"
    aspects = np.zeros((m, len(_ASPECTS)))
    np.add.at(fields, (row, field), w)
    # a business as provider and no evidence at all: a business matter (recipients.py)
    if len(dictionaries[_TRAEGER]):
        is_business = business(dictionaries[_TRAEGER])[text_of_row[_TRAEGER]]
        hit_rows = np.flatnonzero(is_business & ~(fields != 0).any(axis=1))
        row, col, disp, field, aspect, w = _add_hits(
            (row, col, disp, field, aspect, w), hit_rows, _TRAEGER, BUSINESS_SHOWN, len(_FIELDS), -1, BUSINESS_WEIGHT)
        fields[hit_rows, len(_FIELDS)] += BUSINESS_WEIGHT
    has_aspect = aspect >= 0
    np.add.at(aspects, (row[has_aspect], aspect[has_aspect]), w[has_aspect])
    return _Scores(fields, aspects, row, col, disp, field, aspect, w)


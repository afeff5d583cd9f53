"""Corrections: an explicit field from the upload, and users' corrections by row id."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from soni import grid, schema
from soni.classify.arrays import _STR, _text_array, _to_pandas
from soni.classify.lexicon import fold
from soni.classify.model import _ASPECT_LABELS, _FIELDS
from soni.report import InputError

OUTPUT_COLUMNS: tuple[str, ...] = (*schema.SONI_COLUMNS, schema.SONI_ZWEITFELD, schema.SONI_ZWEITWERT)


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

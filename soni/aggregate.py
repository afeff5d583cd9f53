"""Aggregation of the activities table into SONI grids, group tables and differences.

Pure, vectorised functions on ``Inventory.activities``. Conventions:

* ``metric`` is a key of ``schema.METRICS``: "anzahl" counts rows, the others sum
  their column; missing values (NaN) are not counted (see ``missing_share``).
* "unklar" rows (and any ``SONI-Feld`` outside the four fields) never enter the
  grids; they are reported separately (``unclear_count``, ``FieldGrid.unklar``,
  the "unklar" column of ``by_group``).
* Shares ("Anteile") are relative to the activities assigned to one of the four
  fields, so the four field shares add up to 1 (when anything is assigned).
* Quartier, SONI-Feld and SONI-Aspekt may be str or categorical.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from soni import grid, schema, texts

FIELD_COLUMNS: tuple[str, ...] = (*grid.FIELD_NAMES, grid.UNKLAR, grid.KEIN_BEZUG)
#: Column labels of ``field_grid`` (left, right), index labels are ``grid.LEVELS``.
GRID_COLUMNS: tuple[str, ...] = ("links", "rechts")
#: Column labels of ``aspect_grid`` (aspect position within its field).
ASPECT_POSITIONS: tuple[int, ...] = (1, 2, 3)


# --- metric values ----------------------------------------------------------------


def _check_metric(metric: str) -> str:
    if metric not in schema.METRICS:
        known = ", ".join(schema.METRICS)
        raise ValueError(f"Unbekannte Kennzahl {metric!r}; möglich sind: {known}.")
    return schema.METRICS[metric]


def metric_values(df: pd.DataFrame, metric: str) -> pd.Series:
    """Per-row value of a metric: 1 per row for "anzahl" (int64), else the column as float (NaN kept)."""
    column = _check_metric(metric)
    if not column:
        return pd.Series(np.ones(len(df), dtype=np.int64), index=df.index, name="anzahl")
    if column not in df.columns:
        return pd.Series(np.full(len(df), np.nan), index=df.index, name=column)
    return pd.to_numeric(df[column], errors="coerce").astype("float64")


def missing_share(df: pd.DataFrame, metric: str) -> float:
    """Share of rows (0..1) whose metric value is missing and therefore not counted."""
    column = _check_metric(metric)
    if not column or len(df) == 0:
        return 0.0
    return float(metric_values(df, metric).isna().mean())


# --- filtering --------------------------------------------------------------------


def _as_list(values: object) -> list[object] | None:
    if values is None:
        return None
    if isinstance(values, str | int):
        return [values]
    items = list(values)  # type: ignore[call-overload]
    return items or None


def period_column(name: str) -> str:
    """The period column for "Jahr", "Halbjahr" or "Quartal" (case-insensitive)."""
    wanted = str(name).strip().casefold()
    for key, column in schema.PERIODS.items():
        if wanted in (key.casefold(), column.casefold()):
            return column
    known = ", ".join(schema.PERIODS)
    raise ValueError(f"Unbekannter Zeitraum {name!r}; möglich sind: {known}.")


def auto_period_column(df: pd.DataFrame) -> str:
    """For "--by Zeitraum": Jahr if the data span several years, else Halbjahr, else Quartal."""
    for column in (schema.JAHR, schema.HALBJAHR):
        if column in df.columns:
            values = df[column]
            known = values.dropna()
            if values.dtype != "Int64":
                known = known[known.astype(str) != ""]
            if known.nunique() >= 2:
                return column
    return schema.QUARTAL


def _period_values(column: str, periods: list[object]) -> list[object]:
    if column != schema.JAHR:
        return [str(p) for p in periods]
    years: list[object] = []
    for p in periods:
        try:
            years.append(int(str(p).strip()))
        except ValueError:
            continue
    return years


def filter_activities(
    df: pd.DataFrame,
    *,
    quartiere: Iterable[str] | str | None = None,
    traeger: Iterable[str] | str | None = None,
    zielgruppen: Iterable[str] | str | None = None,
    period_col: str | None = None,
    periods: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Rows matching every given filter (exact values; None or an empty list = no filter).

    ``quartiere`` match the readable Quartier name, ``traeger``/``zielgruppen`` the
    Träger/Zielgruppe text; ``period_col`` is "Jahr", "Halbjahr" or "Quartal" and
    ``periods`` its values ("2024" or 2024, "2024-H1", "2024-Q3").
    """
    mask = np.ones(len(df), dtype=bool)
    for column, values in (
        (schema.QUARTIER, quartiere),
        (schema.TRAEGER, traeger),
        (schema.ZIELGRUPPE, zielgruppen),
    ):
        wanted = _as_list(values)
        if wanted is not None:
            mask &= df[column].isin([str(v) for v in wanted]).to_numpy(dtype=bool, na_value=False)
    wanted_periods = _as_list(periods)
    if period_col is not None and wanted_periods is not None:
        column = period_column(period_col)
        mask &= (
            df[column].isin(_period_values(column, wanted_periods)).to_numpy(dtype=bool, na_value=False)
        )
    if mask.all():
        return df
    return df.loc[mask]


# --- grids ------------------------------------------------------------------------


def values_of(df: pd.DataFrame, column: str) -> list[str]:
    """Distinct non-empty values of a text column, sorted (German-friendly casefold; "ohne Quartier" last)."""
    if column not in df.columns:
        return []
    s = df[column]
    values = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s.unique()
    present = set(s.unique()) if isinstance(s.dtype, pd.CategoricalDtype) else None
    out = {str(v) for v in values if not pd.isna(v) and str(v).strip() and (present is None or v in present)}
    return sorted(out, key=lambda v: (v == schema.OHNE_QUARTIER, v.casefold()))


def quartiere_of(df: pd.DataFrame) -> list[str]:
    """The Quartiere of the activities, sorted ("ohne Quartier" last)."""
    return values_of(df, schema.QUARTIER)


def period_values(df: pd.DataFrame, column: str) -> list[str]:
    """Known values of a period column (Jahr, Halbjahr, Quartal) as text, in time order."""
    if column not in df.columns:
        return []
    s = df[column]
    if column == schema.JAHR:
        return [str(int(y)) for y in sorted(pd.to_numeric(s, errors="coerce").dropna().unique())]
    return sorted(v for v in values_of(df, column) if v)


def _cell_totals(df: pd.DataFrame, metric: str) -> pd.Series:
    """Metric totals per (SONI-Feld, SONI-Aspekt) as found in the data (one groupby)."""
    values = metric_values(df, metric)
    if len(df) == 0:
        return pd.Series(dtype=values.dtype)
    return values.groupby(
        [df[schema.SONI_FELD], df[schema.SONI_ASPEKT]], observed=True, dropna=False, sort=False
    ).sum()


def _split_cells(cells: pd.Series, zero: float | int) -> tuple[pd.Series, pd.DataFrame, pd.Series, object]:
    """(field totals S,O,N,I; 4×3 aspect grid; per-field totals without a valid aspect; unklar).

    Rows with "kein Sozialbezug" are in none of these (see ``no_social_count``)."""
    field_tot = dict.fromkeys(grid.FIELD_NAMES, zero)
    aspect_tot = {a.key: zero for a in grid.ASPECTS}
    unclear = zero
    for (feld, aspekt), value in cells.items():
        feld = "" if pd.isna(feld) else str(feld)
        if feld == grid.KEIN_BEZUG:
            continue
        if feld not in field_tot:
            unclear = unclear + value
            continue
        field_tot[feld] = field_tot[feld] + value
        aspect = grid.ASPECT_BY_LABEL.get("" if pd.isna(aspekt) else str(aspekt))
        if aspect is not None and aspect.field == feld:
            aspect_tot[aspect.key] = aspect_tot[aspect.key] + value
    fields = pd.Series(field_tot, name="Wert")
    fields.index.name = schema.SONI_FELD
    rows = []
    for f in grid.FIELDS:
        rows.append([aspect_tot[a.key] for a in grid.aspects_of(f.name)])
    aspects = pd.DataFrame(rows, index=pd.Index(grid.FIELD_NAMES, name=schema.SONI_FELD),
                           columns=pd.Index(ASPECT_POSITIONS, name="Aspekt"))
    no_aspect = fields - aspects.sum(axis=1)
    return fields, aspects, no_aspect, unclear


def _zero(metric: str) -> float | int:
    return 0 if not _check_metric(metric) else 0.0


def field_totals(df: pd.DataFrame, metric: str) -> pd.Series:
    """Metric total per field in order S, O, N, I (zeros included; "unklar" excluded)."""
    fields, _, _, _ = _split_cells(_cell_totals(df, metric), _zero(metric))
    return fields


def field_shares(df: pd.DataFrame, metric: str) -> pd.Series:
    """Share per field (S, O, N, I) of the assigned total; all 0 when nothing is assigned."""
    return _shares(field_totals(df, metric))


def _shares(values: pd.Series) -> pd.Series:
    total = values.sum()
    if not total:
        return values.astype("float64") * 0.0
    return values.astype("float64") / float(total)


def unclear_count(df: pd.DataFrame, metric: str = "anzahl") -> float | int:
    """Metric total of rows that are not in one of the four fields ("unklar"); rows for "anzahl"."""
    _, _, _, unclear = _split_cells(_cell_totals(df, metric), _zero(metric))
    return unclear


Number = float | int


def no_social_count(df: pd.DataFrame, metric: str = "anzahl") -> float | int:
    """Metric total of rows classified "kein Sozialbezug" (kept apart from "unklar")."""
    cells = _cell_totals(df, metric)
    if not len(cells):
        return _zero(metric)
    feld = cells.index.get_level_values(0).astype(object)
    return _plain(cells[(feld == grid.KEIN_BEZUG)].sum()) if (feld == grid.KEIN_BEZUG).any() else _zero(metric)


@dataclass(frozen=True)
class FieldGrid:
    """The 2×2 SONI grid (``table``: index System/Lebenswelt, columns links/rechts) and what lies outside it."""

    table: pd.DataFrame
    metric: str
    unklar: Number  # total of rows in no field
    gesamt: Number  # total inside the grid
    kein_sozialbezug: Number = 0  # total of rows without social work (not "unklar")


@dataclass(frozen=True)
class AspectGrid:
    """The 4×3 grid (``table``: rows S, O, N, I; columns aspect positions 1..3) and what lies outside it."""

    table: pd.DataFrame
    metric: str
    unklar: Number
    gesamt: Number  # total of the four fields (rows without an aspect included)
    ohne_aspekt: dict[str, Number]  # per field: total of its rows without a valid aspect
    kein_sozialbezug: Number = 0  # total of rows without social work (not "unklar")


@dataclass(frozen=True)
class GroupTable:
    """``by_group``'s table (one row per group, one column per field + "unklar") and how it was made."""

    table: pd.DataFrame
    by: str
    metric: str
    share: bool

    def rows(self, labels: Iterable[object]) -> GroupTable:
        """The same table restricted to the given group labels (in that order)."""
        return replace(self, table=self.table.loc[list(labels)])

    def dated(self) -> GroupTable:
        """Without the group of activities that have no period ("ohne Zeitangabe", "ohne Quartal …")."""
        return self.rows(i for i in self.table.index if not texts.is_undated(i))


@dataclass(frozen=True)
class Difference:
    """``difference``'s table (16 rows: each field, then its aspects) and what was compared."""

    table: pd.DataFrame
    a: str
    b: str  # a group, or "Durchschnitt aller …"
    by: str
    metric: str


def field_grid(df: pd.DataFrame, metric: str) -> FieldGrid:
    """The 2×2 SONI grid: index System/Lebenswelt, columns links/rechts (see ``grid.FIELDS`` row/col)."""
    fields, _, _, unclear = _split_cells(_cell_totals(df, metric), _zero(metric))
    names = grid_field_names()
    values = [[fields[name] for name in row] for row in names]
    table = pd.DataFrame(values, index=pd.Index(grid.LEVELS, name="Ebene"), columns=list(GRID_COLUMNS))
    return FieldGrid(table, metric, _plain(unclear), _plain(fields.sum()), no_social_count(df, metric))


def _plain(x: object) -> float | int:
    """A numpy scalar as a plain Python number."""
    if isinstance(x, np.integer | int):
        return int(x)
    return float(x)  # type: ignore[arg-type]


def grid_field_names() -> list[list[str]]:
    """Field names at their 2×2 positions: [[Sozialstruktur, Organisation], [Netzwerk, Individuum]]."""
    names = [[""] * 2 for _ in grid.LEVELS]
    for f in grid.FIELDS:
        names[f.row][f.col] = f.name
    return names


def grid_to_fields(grid2x2: FieldGrid) -> pd.Series:
    """Back from the 2×2 grid to a Series indexed by field name (S, O, N, I)."""
    return pd.Series({f.name: grid2x2.table.iat[f.row, f.col] for f in grid.FIELDS}, name="Wert")


def aspect_grid(df: pd.DataFrame, metric: str) -> AspectGrid:
    """The 4×3 grid: rows fields S, O, N, I; columns aspect positions 1..3 (zeros included).

    Rows whose aspect is empty (or belongs to another field) count for their field but
    not for any aspect (``ohne_aspekt``). Labels of the cells: ``aspect_labels()``.
    """
    fields, aspects, no_aspect, unclear = _split_cells(_cell_totals(df, metric), _zero(metric))
    return AspectGrid(aspects, metric, _plain(unclear), _plain(fields.sum()),
                      {k: _plain(v) for k, v in no_aspect.items()}, no_social_count(df, metric))


def aspect_labels() -> pd.DataFrame:
    """Short aspect labels at their 4×3 positions (same shape as ``aspect_grid``)."""
    rows = [[a.label for a in grid.aspects_of(name)] for name in grid.FIELD_NAMES]
    return pd.DataFrame(rows, index=pd.Index(grid.FIELD_NAMES, name=schema.SONI_FELD),
                        columns=pd.Index(ASPECT_POSITIONS, name="Aspekt"))


def aspect_keys() -> pd.DataFrame:
    """Aspect keys ("S1" … "I3") at their 4×3 positions."""
    rows = [[a.key for a in grid.aspects_of(name)] for name in grid.FIELD_NAMES]
    return pd.DataFrame(rows, index=pd.Index(grid.FIELD_NAMES, name=schema.SONI_FELD),
                        columns=pd.Index(ASPECT_POSITIONS, name="Aspekt"))


def cell_table(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Tidy table of all cells: per field its three aspects and "ohne Aspekt", then "unklar", "kein Sozialbezug".

    Columns Ebene, Feld, Schlüssel, Aspekt, Wert, Anteil (share of the assigned total;
    NaN for the "unklar" and "kein Sozialbezug" rows). The Wert column adds up to the metric total of ``df``.
    """
    fields, aspects, no_aspect, unclear = _split_cells(_cell_totals(df, metric), _zero(metric))
    total = float(fields.sum())
    rows = []
    for f in grid.FIELDS:
        for pos, a in zip(ASPECT_POSITIONS, grid.aspects_of(f.name), strict=True):
            rows.append((f.level, f.name, a.key, a.label, aspects.at[f.name, pos]))
        rows.append((f.level, f.name, f.key, texts.OHNE_ASPEKT, no_aspect[f.name]))
    rows.append(("", grid.UNKLAR, "", "", unclear))
    rows.append(("", grid.KEIN_BEZUG, "", "", no_social_count(df, metric)))
    out = pd.DataFrame(rows, columns=["Ebene", "Feld", "Schlüssel", "Aspekt", "Wert"])
    out["Anteil"] = out["Wert"].astype("float64") / total if total else 0.0
    out.loc[out["Feld"].isin([grid.UNKLAR, grid.KEIN_BEZUG]), "Anteil"] = np.nan
    return out


# --- groups -----------------------------------------------------------------------


def _group_labels(keys: pd.Index, by: str) -> pd.Index:
    """Readable, string group labels; missing period/Quartier values get a name."""
    missing = schema.OHNE_QUARTIER if by in (schema.QUARTIER, schema.QUARTIER_KEY) else texts.undated_label(by)
    labels = []
    for k in keys:
        if k is None or k is pd.NA or (isinstance(k, float) and np.isnan(k)) or str(k).strip() == "":
            labels.append(missing)
        else:
            labels.append(str(k))
    return pd.Index(labels, name=by)


def _group_order(labels: pd.Index, by: str) -> list[str]:
    return sorted(set(labels), key=lambda s: (s == schema.OHNE_QUARTIER or texts.is_undated(s), s.casefold()))


def _group_cells(df: pd.DataFrame, by: str, metric: str) -> pd.DataFrame:
    """Metric totals per (group label, SONI-Feld, SONI-Aspekt), groups relabelled."""
    if by not in df.columns:
        raise ValueError(f"Unbekannte Spalte zum Gruppieren: {by!r}")
    values = metric_values(df, metric)
    cells = values.groupby(
        [df[by], df[schema.SONI_FELD], df[schema.SONI_ASPEKT]], observed=True, dropna=False, sort=False
    ).sum()
    out = cells.reset_index()
    out.columns = ["gruppe", "feld", "aspekt", "wert"]
    out["gruppe"] = _group_labels(pd.Index(out["gruppe"]), by)
    out["feld"] = out["feld"].astype(object).where(out["feld"].notna(), "").astype(str)
    out["aspekt"] = out["aspekt"].astype(object).where(out["aspekt"].notna(), "").astype(str)
    out.loc[~out["feld"].isin([*grid.FIELD_NAMES, grid.KEIN_BEZUG]), "feld"] = grid.UNKLAR
    return out


def by_group(
    df: pd.DataFrame, by: str, metric: str, share: bool = False, *, total: bool = False
) -> GroupTable:
    """One row per group of column ``by`` (Quartier or Jahr/Halbjahr/Quartal), one column per field.

    Columns Sozialstruktur, Organisation, Netzwerk, Individuum, unklar, kein Sozialbezug (+ "Summe" with
    ``total=True``). Index: the group labels as text, sorted; missing values form the group
    "ohne Quartier" / "ohne Zeitangabe", so the "anzahl" table adds up to ``len(df)``.
    With ``share=True`` the four field columns are shares of the row's assigned total
    (adding up to 1, or all 0 when nothing is assigned); "unklar" and "kein Sozialbezug" are shares of
    all the row's activities; "Summe" stays the absolute total.
    """
    zero = _zero(metric)
    if len(df) == 0:
        out = pd.DataFrame(columns=list(FIELD_COLUMNS), dtype="float64" if share or zero == 0.0 else "int64")
        out.index = pd.Index([], name=by, dtype="str")
    else:
        cells = _group_cells(df, by, metric)
        out = cells.pivot_table(index="gruppe", columns="feld", values="wert", aggfunc="sum", fill_value=zero,
                                observed=True)
        out = out.reindex(columns=list(FIELD_COLUMNS), fill_value=zero)
        out = out.reindex(_group_order(out.index, by))
        out.index.name = by
        out.columns.name = None
    absolute = out.sum(axis=1)
    if share:
        assigned = out[list(grid.FIELD_NAMES)].sum(axis=1).astype("float64")
        fields = out[list(grid.FIELD_NAMES)].astype("float64").div(assigned.where(assigned != 0), axis=0)
        apart = {c: out[c].astype("float64") / absolute.astype("float64").where(absolute != 0)
                 for c in (grid.UNKLAR, grid.KEIN_BEZUG)}
        out = fields.fillna(0.0)
        for c, v in apart.items():
            out[c] = v.fillna(0.0)
    if total:
        out["Summe"] = absolute
    return GroupTable(out, by, metric, share)


def row_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Shares of the four field columns per row (adding up to 1; all 0 for empty rows)."""
    fields = frame[list(grid.FIELD_NAMES)].astype("float64")
    total = fields.sum(axis=1)
    return fields.div(total.where(total != 0), axis=0).fillna(0.0)


def _share_vectors(df: pd.DataFrame, by: str, metric: str) -> pd.DataFrame:
    """Per group (rows) the shares of the 4 fields and 12 aspects (columns keys S, S1, S2, …)."""
    cells = _group_cells(df, by, metric)
    assigned = cells[cells["feld"].isin(grid.FIELD_NAMES)]
    label_to_key = {a.label: a.key for a in grid.ASPECTS}
    field_key = {f.name: f.key for f in grid.FIELDS}
    aspect_field = {a.label: a.field for a in grid.ASPECTS}
    field_part = assigned.assign(key=assigned["feld"].map(field_key))
    ok = assigned["aspekt"].map(aspect_field) == assigned["feld"]
    aspect_part = assigned.loc[ok].assign(key=assigned.loc[ok, "aspekt"].map(label_to_key))
    long = pd.concat([field_part, aspect_part], ignore_index=True)
    wide = long.pivot_table(index="gruppe", columns="key", values="wert", aggfunc="sum", fill_value=0,
                            observed=True)
    order = [k for f in grid.FIELDS for k in (f.key, *(a.key for a in grid.aspects_of(f.name)))]
    groups = _group_order(pd.Index(cells["gruppe"].unique()), by)
    wide = wide.reindex(index=groups, columns=order, fill_value=0).fillna(0).astype("float64")
    totals = wide[[f.key for f in grid.FIELDS]].sum(axis=1)
    return wide.div(totals.where(totals != 0), axis=0)  # NaN rows: nothing assigned


def difference(
    df: pd.DataFrame, metric: str, a: str, b: str | None = None, by: str = schema.QUARTIER
) -> Difference:
    """Shares of group ``a`` minus group ``b`` (or minus the average of all groups), per field and aspect.

    One row per field followed by its three aspects (16 rows, order S, S1, S2, S3, O, …).
    Columns Ebene ("Feld"/"Aspekt"), Feld, Schlüssel, Aspekt ("" on field rows),
    "Anteil A", "Anteil B", Differenz (a − b, as a fraction: 0.1 = 10 Prozentpunkte).
    The average is the plain mean of the groups' shares (each group counts once; groups
    with nothing assigned are left out). Shares are relative to the group's assigned total.
    Raises ValueError when a group does not occur in ``df``.
    """
    _check_metric(metric)
    shares = _share_vectors(df, by, metric) if len(df) else pd.DataFrame()
    for name in (a, b):
        if name is not None and str(name) not in shares.index:
            raise ValueError(f"„{name}“ kommt in den Daten (Spalte {by}) nicht vor.")
    share_a = shares.loc[str(a)]
    if b is None:
        share_b = shares.dropna(how="all").mean(axis=0)
        b_label = texts.average_label(by)
    else:
        share_b = shares.loc[str(b)]
        b_label = str(b)
    rows = []
    for f in grid.FIELDS:
        rows.append(("Feld", f.name, f.key, ""))
        for asp in grid.aspects_of(f.name):
            rows.append(("Aspekt", f.name, asp.key, asp.label))
    out = pd.DataFrame(rows, columns=["Ebene", "Feld", "Schlüssel", "Aspekt"])
    out["Anteil A"] = share_a.reindex(out["Schlüssel"]).to_numpy(dtype="float64")
    out["Anteil B"] = share_b.reindex(out["Schlüssel"]).to_numpy(dtype="float64")
    out["Differenz"] = out["Anteil A"] - out["Anteil B"]
    return Difference(out, str(a), b_label, by, metric)


# --- drill-down -------------------------------------------------------------------


def activities_in_cell(df: pd.DataFrame, field: str, aspect: str | int | None = None) -> pd.DataFrame:
    """The rows behind a grid cell.

    ``field``: a field name or key ("Netzwerk", "N"), "unklar" or "kein Sozialbezug". ``aspect``: None = the
    whole field; a label or key ("N2"), a position 1..3, or "" / "ohne Aspekt" = rows of
    the field without a valid aspect.
    """
    name = grid.parse_field(field)
    if name is None:
        raise ValueError(f"Unbekanntes SONI-Feld {field!r}")
    feld = df[schema.SONI_FELD].astype(object).where(df[schema.SONI_FELD].notna(), "").astype(str)
    if name == grid.UNKLAR:
        return df.loc[~feld.isin([*grid.FIELD_NAMES, grid.KEIN_BEZUG]).to_numpy()]
    if name == grid.KEIN_BEZUG:
        return df.loc[(feld == name).to_numpy()]
    mask = (feld == name).to_numpy()
    if aspect is None:
        return df.loc[mask]
    labels = df[schema.SONI_ASPEKT].astype(object).where(df[schema.SONI_ASPEKT].notna(), "").astype(str)
    own = [a.label for a in grid.aspects_of(name)]
    if isinstance(aspect, int | np.integer) and not isinstance(aspect, bool):
        if not 1 <= int(aspect) <= 3:
            raise ValueError(f"Aspekt-Position {aspect} gibt es nicht (1 bis 3).")
        wanted = own[int(aspect) - 1]
        return df.loc[mask & (labels == wanted).to_numpy()]
    if str(aspect).strip() in ("", texts.OHNE_ASPEKT):
        return df.loc[mask & ~labels.isin(own).to_numpy()]
    found = grid.parse_aspect(aspect, name)
    if found is None:
        raise ValueError(f"Unbekannter Aspekt {aspect!r} im Feld {name}")
    return df.loc[mask & (labels == found.label).to_numpy()]

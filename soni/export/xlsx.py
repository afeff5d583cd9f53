"""Excel summary of an inventory: the classified activities, plain summary tables and the check report.

Sheets (all plain tables computed with pandas — no Excel pivot objects, no formulas):

* ``Info``: what the file contains, selection, metric, sources, the model in short;
* ``Aktivitäten (SONI)``: every original column with its header plus the five SONI
  columns (``pipeline.export_frame``; can be corrected and uploaded again);
* ``Quartier × Feld``: one row per Quartier, one column per field (+ unklar, Summe);
* ``Quartier × Aspekt``: one row per Quartier, one column per aspect (S1 … I3), per-field
  "ohne Aspekt" columns, unklar, Summe;
* ``Quartier × Feld × Aspekt``: the same as a long table (one row per Quartier and cell,
  with shares) — easy to filter and to pivot yourself;
* ``Zeitraum × Feld``: one row per period (Jahr, else Halbjahr/Quartal — ``aggregate.auto_period_column``);
* ``Prüfbericht``: ``Inventory.report.to_frame()``.

Text cells are written with ``safe.to_xlsx_bytes`` (always string cells, never formulas).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from soni import aggregate, grid, schema, texts
from soni.export import safe
from soni.inventory import Inventory

SHEET_INFO = "Info"
SHEET_ACTIVITIES = "Aktivitäten (SONI)"
SHEET_QUARTIER_FIELD = "Quartier × Feld"
SHEET_QUARTIER_ASPECT = "Quartier × Aspekt"
SHEET_LONG = "Quartier × Feld × Aspekt"
SHEET_PERIOD = "Zeitraum × Feld"
SHEET_REPORT = "Prüfbericht"


def _aspect_column(aspect: grid.Aspect) -> str:
    return f"{aspect.key} {aspect.label}"


def _sorted_groups(labels: Iterable[str]) -> list[str]:
    return sorted(set(labels), key=lambda s: (s == schema.OHNE_QUARTIER, s.casefold()))


def _quartier_labels(df: pd.DataFrame) -> pd.Series:
    values = df[schema.QUARTIER].astype(object)
    return values.where(values.notna() & (values.astype(str).str.strip() != ""), schema.OHNE_QUARTIER).astype(str)


def quartier_aspect_table(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Quartier × aspect (columns "S1 Sozialraumanalyse" … "I3 Case-Management"), per-field
    "ohne Aspekt" columns, "unklar" and "Summe"; index Quartier (sorted, "ohne Quartier" last)."""
    labels = _quartier_labels(df) if len(df) else pd.Series(dtype=str)
    rows = {}
    for name in _sorted_groups(labels):
        part = df.loc[(labels == name).to_numpy()]
        cells = aggregate.cell_table(part, metric)
        row: dict[str, object] = {}
        for a in grid.ASPECTS:
            row[_aspect_column(a)] = cells.loc[cells["Schlüssel"] == a.key, "Wert"].iloc[0]
        for f in grid.FIELDS:
            row[f"{f.name} ohne Aspekt"] = cells.loc[
                (cells["Feld"] == f.name) & (cells["Aspekt"] == texts.OHNE_ASPEKT), "Wert"
            ].iloc[0]
        for apart in (grid.UNKLAR, grid.KEIN_BEZUG):
            row[apart] = cells.loc[cells["Feld"] == apart, "Wert"].iloc[0]
        row["Summe"] = cells["Wert"].sum()
        rows[name] = row
    columns = [_aspect_column(a) for a in grid.ASPECTS] + [f"{f.name} ohne Aspekt" for f in grid.FIELDS]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=[*columns, grid.UNKLAR, grid.KEIN_BEZUG, "Summe"])
    out.index.name = schema.QUARTIER
    return out


def quartier_long_table(df: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per Quartier and cell (``aggregate.cell_table``): Quartier, Ebene, Feld, Schlüssel,
    Aspekt, Wert, Anteil (share of the Quartier's assigned total; empty for unklar)."""
    labels = _quartier_labels(df) if len(df) else pd.Series(dtype=str)
    parts = []
    for name in _sorted_groups(labels):
        cells = aggregate.cell_table(df.loc[(labels == name).to_numpy()], metric)
        cells.insert(0, schema.QUARTIER, name)
        parts.append(cells)
    if not parts:
        return pd.DataFrame(columns=[schema.QUARTIER, "Ebene", "Feld", "Schlüssel", "Aspekt", "Wert", "Anteil"])
    return pd.concat(parts, ignore_index=True)


def _info(inventory: Inventory, df: pd.DataFrame, metric: str, scope: str, when: dt.date) -> pd.DataFrame:
    sources = list(inventory.sources) or sorted({str(s) for s in df.get(schema.DATEI, [])})
    missing = aggregate.missing_share(df, metric) if len(df) else 0.0
    lines = [
        ("Inhalt", "Auswertung der Aktivitäten im SONI-Modell (SONI-Dashboard)"),
        ("Stand", when.strftime("%d.%m.%Y")),
        ("Auswahl", scope),
        ("Kennzahl", texts.METRIC_LABELS.get(metric, metric)),
        ("Aktivitäten in der Auswahl", len(df)),
        ("davon keinem Feld zugeordnet (unklar)", int(aggregate.unclear_count(df, "anzahl")) if len(df) else 0),
        ("Datenquelle", ", ".join(sources)),
    ]
    if metric != "anzahl":
        lines.append((f"Ohne Angabe {texts.METRIC_SHORT.get(metric, metric)} (nicht mitgezählt)",
                      texts.fmt_share(missing)))
    lines += [
        ("Blatt „" + SHEET_ACTIVITIES + "“",
         "alle Spalten der Datei und die fünf SONI-Spalten; nach Korrektur wieder hochladbar"),
        ("Blatt „" + SHEET_QUARTIER_FIELD + "“", "Werte je Quartier und SONI-Feld"),
        ("Blatt „" + SHEET_QUARTIER_ASPECT + "“", "Werte je Quartier und Aspekt"),
        ("Blatt „" + SHEET_LONG + "“", "dieselben Werte als Liste mit Anteilen (zum Filtern)"),
        ("Blatt „" + SHEET_PERIOD + "“", "Werte je Zeitraum und SONI-Feld"),
        ("Blatt „" + SHEET_REPORT + "“", "was beim Einlesen auffiel (Fehler, Warnungen, Hinweise)"),
        ("Das SONI-Modell", texts.SONI_KURZ),
    ]
    return pd.DataFrame(lines, columns=["Angabe", "Wert"])


def summary_sheets(inventory: Inventory, metric: str = "anzahl", *, quartiere: list[str] | None = None,
                   when: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The summary workbook's sheets as DataFrames (name → frame), in order."""
    from soni.pipeline import export_frame

    aggregate.metric_values(inventory.activities.head(0), metric)  # validates the metric name
    df = inventory.activities
    if quartiere:
        df = aggregate.filter_activities(df, quartiere=quartiere)
    scope = texts.scope_label(df, quartiere=quartiere)
    classified = export_frame(inventory)
    if quartiere:
        keep = inventory.activities[schema.QUARTIER].astype(str).isin([str(q) for q in quartiere]).to_numpy()
        classified = classified.loc[keep].reset_index(drop=True)
    period_col = aggregate.auto_period_column(df) if len(df) else schema.JAHR
    by_period = aggregate.by_group(df, period_col, metric, total=True).table
    by_period.index = by_period.index.astype(str)
    return {
        SHEET_INFO: _info(inventory, df, metric, scope, when or dt.date.today()),
        SHEET_ACTIVITIES: classified,
        SHEET_QUARTIER_FIELD: aggregate.by_group(df, schema.QUARTIER, metric, total=True).table.reset_index(),
        SHEET_QUARTIER_ASPECT: quartier_aspect_table(df, metric).reset_index(),
        SHEET_LONG: quartier_long_table(df, metric),
        SHEET_PERIOD: by_period.reset_index(),
        SHEET_REPORT: inventory.report.to_frame(),
    }


def build_summary_xlsx(inventory: Inventory, metric: str = "anzahl", *, quartiere: list[str] | None = None,
                       when: dt.date | None = None) -> bytes:
    """The Excel summary (sheets: module docstring) as xlsx bytes."""
    sheets = summary_sheets(inventory, metric, quartiere=quartiere, when=when)
    return safe.to_xlsx_bytes(sheets, number_formats={SHEET_LONG: {"Anteil": "0%"}})

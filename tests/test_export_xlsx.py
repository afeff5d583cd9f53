"""Excel summary: sheets, typed cells, sums that agree with the activities, formula safety."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from soni import grid, schema
from soni.export import xlsx
from soni.inventory import Inventory
from soni.report import HINWEIS, WARNUNG, Report
from tests.conftest import make_activities


def make_inventory(n: int = 120, seed: int = 5, **kwargs) -> Inventory:
    """An invented inventory: activities from ``make_activities`` and invented original headers."""
    acts = make_activities(n, seed, **kwargs)
    original = pd.DataFrame({
        "Angebot": acts[schema.TITEL].astype(str),
        "Stadtteil": acts[schema.QUARTIER].astype(str),
        "Kurzbeschreibung": acts[schema.BESCHREIBUNG].astype(str),
        "Kosten in €": acts[schema.KOSTEN],
    })
    report = Report()
    report.add(WARNUNG, "Kosten unlesbar (erfunden)", file="beispiel_inventar.xlsx", sheet="Tabelle1", row=4,
               column="Kosten in €")
    report.add(HINWEIS, "Spalte „Stadtteil“ als Quartier erkannt", file="beispiel_inventar.xlsx")
    return Inventory(acts, original, report, sources={"beispiel_inventar.xlsx › Tabelle1": {"header_row": 1}})


def _read(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")


def test_sheets_and_counts_agree():
    inv = make_inventory()
    data = xlsx.build_summary_xlsx(inv, when=dt.date(2025, 3, 4))
    sheets = _read(data)
    assert list(sheets) == [xlsx.SHEET_INFO, xlsx.SHEET_ACTIVITIES, xlsx.SHEET_QUARTIER_FIELD,
                            xlsx.SHEET_QUARTIER_ASPECT, xlsx.SHEET_LONG, xlsx.SHEET_PERIOD, xlsx.SHEET_REPORT]
    acts = inv.activities
    qf = sheets[xlsx.SHEET_QUARTIER_FIELD].set_index(schema.QUARTIER)
    assert int(qf["Summe"].sum()) == len(acts)
    for name in grid.FIELD_NAMES:
        assert int(qf[name].sum()) == int((acts[schema.SONI_FELD] == name).sum())
    nord = acts[acts[schema.QUARTIER] == "Nordstadt"]
    assert int(qf.loc["Nordstadt", "Netzwerk"]) == int((nord[schema.SONI_FELD] == "Netzwerk").sum())
    qa = sheets[xlsx.SHEET_QUARTIER_ASPECT].set_index(schema.QUARTIER)
    label = "N2 Aktivierung von Ressourcen im Gemeinwesen"
    expected = int(((nord[schema.SONI_FELD] == "Netzwerk")
                    & (nord[schema.SONI_ASPEKT] == "Aktivierung von Ressourcen im Gemeinwesen")).sum())
    assert int(qa.loc["Nordstadt", label]) == expected
    assert (qa["Summe"] == qf["Summe"]).all()
    long = sheets[xlsx.SHEET_LONG]
    assert int(long["Wert"].sum()) == len(acts)
    assert set(long[schema.QUARTIER]) == set(acts[schema.QUARTIER])
    period = sheets[xlsx.SHEET_PERIOD]
    assert period.columns[0] == schema.JAHR and int(period["Summe"].sum()) == len(acts)
    assert len(sheets[xlsx.SHEET_REPORT]) == 2
    assert list(sheets[xlsx.SHEET_REPORT].columns) == ["Stufe", "Datei", "Blatt", "Zeile", "Spalte", "Meldung"]
    info = dict(sheets[xlsx.SHEET_INFO].itertuples(index=False, name=None))
    assert info["Stand"] == "04.03.2025" and info["Aktivitäten in der Auswahl"] == len(acts)


def test_classified_sheet_keeps_original_columns_and_adds_soni():
    inv = make_inventory(40)
    sheet = _read(xlsx.build_summary_xlsx(inv))[xlsx.SHEET_ACTIVITIES]
    assert list(sheet.columns) == ["Angebot", "Stadtteil", "Kurzbeschreibung", "Kosten in €", *schema.SONI_COLUMNS]
    assert list(sheet["SONI-Feld"]) == list(inv.activities[schema.SONI_FELD])


def test_metric_sums_and_share_format():
    inv = make_inventory(80)
    data = xlsx.build_summary_xlsx(inv, "stunden")
    sheets = _read(data)
    qf = sheets[xlsx.SHEET_QUARTIER_FIELD]
    assert qf["Summe"].sum() == pytest.approx(inv.activities[schema.STUNDEN].sum())
    ws = openpyxl.load_workbook(io.BytesIO(data))[xlsx.SHEET_LONG]
    header = [c.value for c in ws[1]]
    col = header.index("Anteil") + 1
    assert ws.cell(2, col).number_format == "0%"
    with pytest.raises(ValueError):
        xlsx.build_summary_xlsx(inv, "gewicht")


def test_quartier_selection():
    inv = make_inventory(100)
    sheets = _read(xlsx.build_summary_xlsx(inv, quartiere=["Nordstadt", "Altstadt"]))
    assert set(sheets[xlsx.SHEET_QUARTIER_FIELD][schema.QUARTIER]) <= {"Nordstadt", "Altstadt"}
    expected = int(inv.activities[schema.QUARTIER].isin(["Nordstadt", "Altstadt"]).sum())
    assert len(sheets[xlsx.SHEET_ACTIVITIES]) == expected


def test_formula_like_text_stays_text():
    inv = make_inventory(10)
    inv.original.loc[0, "Angebot"] = "=1+1"
    inv.original.loc[1, "Angebot"] = "@SUM(A1)"
    inv.activities.loc[2, schema.QUARTIER] = "+49 170"
    data = xlsx.build_summary_xlsx(inv)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[xlsx.SHEET_ACTIVITIES]
    assert ws.cell(2, 1).value == "=1+1" and ws.cell(2, 1).data_type == "s"
    assert ws.cell(3, 1).value == "@SUM(A1)" and ws.cell(3, 1).data_type == "s"
    found = [c for c in wb[xlsx.SHEET_QUARTIER_FIELD]["A"] if c.value == "+49 170"]
    assert found and found[0].data_type == "s"
    for sheet in wb:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_empty_inventory():
    inv = make_inventory(0)
    sheets = _read(xlsx.build_summary_xlsx(inv))
    assert len(sheets[xlsx.SHEET_QUARTIER_FIELD]) == 0
    assert len(sheets[xlsx.SHEET_ACTIVITIES]) == 0


def test_categorical_columns():
    inv = make_inventory(60, categorical=True)
    sheets = _read(xlsx.build_summary_xlsx(inv))
    assert int(sheets[xlsx.SHEET_QUARTIER_FIELD]["Summe"].sum()) == 60

"""The whole intake on messy files built here: every input row is an activity or a reported skip."""

from __future__ import annotations

import pandas as pd
import pytest

from soni import grid, pipeline, schema
from soni.report import InputError
from tests.files import csv_bytes, xlsx_bytes

MESSY = [
    ["Aktivitätenliste Kirchengemeinde St. Markus"],
    ["Stand: 12.03.2025"],
    [],
    ["Angebot / Projekt", "Was passiert?", "Stadtteil", "Träger", "Start", "TN", "Kosten (€)"],
    ["Nachbarschaftscafé", "Offener Treff mit Kaffee und Kuchen", " Nordstadt", "Gemeinde", "03/2025", "ca. 12",
     "1.200,50"],
    ["Schuldnerberatung", "Einzelberatung nach Termin", "NORDSTADT", "Diakonie", "seit 2019", "40", "2.000"],
    ["Stadtteilkonferenz", "Treffen aller Träger im Quartier", "Altstadt", "Stadt", 2023, "10-15", None],
    [None, None, None, None, None, None, None],
    ["Tafel", "Lebensmittelausgabe", "Altstadt ", "Diakonie", "01.09.2024", "viele", "500"],
    ["Summe", None, None, None, None, "102", "3.700,50"],
]


def run_one(name: str, data: bytes, **kwargs) -> pipeline.Inventory:
    return pipeline.run([(name, data)], **kwargs)


def test_messy_workbook_is_read_mapped_normalised_and_accounted_for() -> None:
    data = xlsx_bytes({"Notizen": [["Bitte bis Freitag ausfüllen"]], "Aktivitäten": MESSY})
    inv = run_one("liste.xlsx", data)
    acts = inv.activities
    assert acts[schema.TITEL].tolist() == ["Nachbarschaftscafé", "Schuldnerberatung", "Stadtteilkonferenz", "Tafel"]
    assert acts[schema.ZEILE].tolist() == [5, 6, 7, 9]
    assert acts[schema.BLATT].astype(str).unique().tolist() == ["Aktivitäten"]
    assert acts[schema.QUARTIER].astype(str).tolist() == ["Nordstadt", "Nordstadt", "Altstadt", "Altstadt"]
    assert acts[schema.KOSTEN].tolist()[:2] == [1200.5, 2000.0]
    assert acts[schema.TEILNEHMENDE].tolist()[:3] == [12.0, 40.0, 12.5]
    assert acts[schema.JAHR].tolist() == [2025, 2019, 2023, 2024]
    # every row of the sheet is accounted for: 4 activities, 2 title lines, 1 empty, 1 total
    assert inv.report.skip_summary() == {
        "vor der Kopfzeile („Aktivitätenliste Kirchengemeinde St. Markus“)": 1,
        "vor der Kopfzeile („Stand: 12.03.2025“)": 1, "leere Zeile": 1, "Summenzeile": 1}
    bad = [(p.row, p.column) for p in inv.report.problems if p.level == "Warnung"]
    assert (9, "TN") in bad
    assert set(inv.original.columns) == set(MESSY[3])  # original headers kept
    assert set(acts[schema.SONI_FELD].astype(str)) <= set(grid.FIELD_VALUES)


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1252", ";"), ("utf-8-sig", ";"), ("utf-16", "\t"),
                                                     ("utf-8", ",")])
def test_csv_exports_of_german_excel_keep_umlauts(encoding: str, delimiter: str) -> None:
    rows = [["Titel", "Quartier", "Kosten"], ["Männercafé", "Südstadt", "1.234,50"], ["Grüne Oase", "Nord", "12"]]
    inv = run_one("export.csv", csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    assert inv.activities[schema.TITEL].tolist() == ["Männercafé", "Grüne Oase"]
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == ["Südstadt", "Nord"]
    assert inv.activities[schema.KOSTEN].tolist() == [1234.5, 12.0]


def test_several_files_are_merged_with_their_source_and_a_bad_file_is_reported() -> None:
    a = csv_bytes([["Titel", "Quartier"], ["Café", "Nord"]])
    b = xlsx_bytes({"S": [["Titel", "Stadtteil", "Extra"], ["Tafel", "Süd", "x"], ["Chor", "Süd", "y"]]})
    inv = pipeline.run([("a.csv", a), ("b.xlsx", b), ("kaputt.xlsx", b"PK\x03\x04kaputt")])
    assert len(inv) == 3
    assert inv.activities[schema.DATEI].astype(str).tolist() == ["a.csv", "b.xlsx", "b.xlsx"]
    assert inv.activities[schema.ZEILEN_ID].is_unique
    assert any(p.level == "Fehler" and p.file == "kaputt.xlsx" for p in inv.report.problems)
    exported = pipeline.export_frame(inv)
    assert exported["Quelldatei"].tolist() == ["a.csv", "b.xlsx", "b.xlsx"]
    assert list(exported.columns)[-5:] == list(schema.SONI_COLUMNS)


def test_only_bad_files_raise_a_german_error() -> None:
    with pytest.raises(InputError):
        pipeline.run([("leer.csv", b"")])


def test_explicit_soni_columns_are_taken_at_their_word() -> None:
    rows = [["Titel", "Quartier", "SONI-Feld", "SONI-Aspekt"], ["Irgendwas", "Nord", "Sozialstruktur", "S2"],
            ["Noch was", "Nord", "", ""]]
    acts = run_one("k.xlsx", xlsx_bytes({"T": rows})).activities
    assert acts[schema.SONI_FELD].astype(str).tolist()[0] == "Sozialstruktur"
    assert acts[schema.SONI_ASPEKT].astype(str).tolist()[0] == "Sozialraumplanung"
    assert acts[schema.SONI_QUELLE].astype(str).tolist()[0] == schema.QUELLE_DATEI


def test_mapping_override_and_sheet_choice() -> None:
    data = xlsx_bytes({"A": [["Titel", "Ort"], ["Café", "Gemeindehaus"]],
                       "B": [["Titel", "Ort", "Bezirk"], ["Chor", "Kirche", "Mitte"]]})
    inv = run_one("x.xlsx", data, options={"x.xlsx": pipeline.Options(sheet="B", mapping={schema.QUARTIER: "Bezirk"})})
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == ["Mitte"]


def test_missing_quartier_column_groups_as_ohne_quartier_with_a_warning() -> None:
    inv = run_one("x.csv", csv_bytes([["Titel", "Beschreibung"], ["Café", "Treff"]]))
    assert inv.activities[schema.QUARTIER].astype(str).tolist() == [schema.OHNE_QUARTIER]
    assert any("Keine Quartier-Spalte" in p.message for p in inv.report.problems)


def test_activities_have_the_documented_dtypes() -> None:
    acts = run_one("liste.xlsx", xlsx_bytes({"A": MESSY})).activities
    assert pd.api.types.is_datetime64_any_dtype(acts[schema.BEGINN])
    assert str(acts[schema.JAHR].dtype) == "Int64"
    for name in (schema.STUNDEN, schema.TEILNEHMENDE, schema.KOSTEN, schema.EHRENAMTLICHE):
        assert acts[name].dtype == "float64"
    assert acts[schema.SONI_KONFIDENZ].between(0, 1).all()


def test_unique_names_number_repeated_file_names() -> None:
    assert pipeline.unique_names(["a.xlsx", "b.csv", "a.xlsx", "a.xlsx", "README"]) == \
        ["a.xlsx", "b.csv", "a (2).xlsx", "a (3).xlsx", "README"]
    assert pipeline.unique_names(["x", "x", "a (2).xlsx", "a.xlsx", "a.xlsx"]) == \
        ["x", "x (2)", "a (2).xlsx", "a.xlsx", "a (3).xlsx"]
    assert pipeline.unique_names([".env", ".env"]) == [".env", ".env (2)"]


def test_formulas_without_result_in_skipped_rows_say_that_the_row_is_skipped() -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()  # openpyxl stores formulas without a result, like a never-opened export
    ws = book.active
    ws.title = "Liste"
    rows = [["Titel", "Quartier", "Träger", "Stunden"],
            ["Lesecafé", "Nordstadt", "Gemeinde", 4],
            ["Mittagstisch", "Nordstadt", "Diakonie", "=E4*2"],
            [None, None, None, "=E4+E5"],  # an activity whose values all come from formulas: "empty"
            ["Sprachkurs", "Südstadt", "Verein", 6],
            ["Summe", None, None, "=SUM(E4:E7)"]]
    for r, values in enumerate(rows, start=3):  # the table starts at B3: row numbers are Excel's
        for c, value in enumerate(values, start=2):
            ws.cell(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    inv = run_one("formeln.xlsx", buf.getvalue())
    assert inv.activities[schema.ZEILE].tolist() == [4, 5, 7]
    formulas = {p.row: p for p in inv.report.problems if "Formel ohne gespeichertes Ergebnis" in p.message}
    assert sorted(formulas) == [5, 6, 8] and {p.column for p in formulas.values()} == {"E"}
    kept, empty, total = formulas[5], formulas[6], formulas[8]
    assert kept.level == "Warnung" and "der Wert fehlt" in kept.message and "übersprungen" not in kept.message
    assert empty.level == "Warnung" and "übersprungen (leere Zeile)" in empty.message and "F9" in empty.message
    assert total.level == "Hinweis" and "ohnehin übersprungen (Summenzeile)" in total.message
    assert inv.report.skip_reasons("formeln.xlsx", "Liste") == {6: "leere Zeile", 8: "Summenzeile"}

"""Stage read: encodings, delimiters, header detection, sheet choice, every format."""

from __future__ import annotations

import pytest

from soni import read
from soni.report import Report
from tests.files import csv_bytes, inventory_rows, ods_bytes, xls_bytes, xlsx_bytes

UMLAUT_ROWS = [["Titel", "Quartier", "Kosten"], ["Männertreff „Grüße“ – Straßenfest", "Südstadt", "1.200,50"]]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
)
def test_decode_text_keeps_umlauts_in_every_encoding(encoding: str, expected: str) -> None:
    data = csv_bytes(UMLAUT_ROWS, encoding=encoding)
    text, name = read.decode_text(data)
    assert name == expected
    assert "Männertreff „Grüße“ – Straßenfest" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_sniff_delimiter_ignores_delimiters_inside_quotes(delimiter: str) -> None:
    rows = [["Titel", "Beschreibung", "Kosten"],
            ["Café", "Kaffee, Kuchen; Gespräche\tund mehr", "12,50"],
            ["Tafel", "Lebensmittel, jeden Dienstag", "1.000"]]
    text, _ = read.decode_text(csv_bytes(rows, delimiter=delimiter))
    assert read.sniff_delimiter(text) == delimiter


def test_csv_multiline_quoted_cells_and_mixed_line_endings() -> None:
    data = 'Titel;Beschreibung\r\nCafé;"Zeile eins\nZeile zwei"\nTafel;Essen\r\n'.encode()
    report = Report()
    table = read.table_from_sheets({"": read.parse_csv(data, "a.csv", report)}, "a.csv", report)
    assert table.frame["Beschreibung"].tolist() == ["Zeile eins\nZeile zwei", "Essen"]
    assert table.rows == [2, 3]


def test_header_found_below_title_lines_and_preamble_reported() -> None:
    rows = [["Aktivitäten der Gemeinde – Stand 2025"], [], ["erstellt von der Verwaltung"],
            *inventory_rows(3)]
    report = Report()
    table = read.rows_to_table(rows, file="x.xlsx", sheet="Liste", report=report)
    assert table.header_row == 4
    assert list(table.frame.columns)[:3] == ["Titel", "Beschreibung", "Stadtteil"]
    assert table.rows == [5, 6, 7]
    skipped = [p for p in report.problems if "vor der Kopfzeile" in p.message]
    assert [p.row for p in skipped] == [1, 3]  # the empty row 2 is not data either way
    assert report.skipped == 2


def test_duplicate_and_empty_headers_get_unique_names() -> None:
    report = Report()
    rows = [["Titel", "Titel", None, "Kosten"], ["a", "b", "c", 1]]
    table = read.rows_to_table(rows, file="x.xlsx", sheet="S", report=report)
    assert list(table.frame.columns) == ["Titel", "Titel (2)", "Spalte C", "Kosten"]
    assert any("mehrfach" in p.message for p in report.problems)


def test_ragged_rows_keep_extra_cells_in_new_columns() -> None:
    report = Report()
    rows = [["Titel", "Quartier"], ["a", "Nord", "überzählig"], ["b"]]
    table = read.rows_to_table(rows, file="x.csv", sheet="", report=report)
    assert table.frame.shape == (2, 3)
    assert table.frame.iloc[0, 2] == "überzählig"
    assert any(p.row == 2 and p.column == "Spalte C" and "ohne Spaltenüberschrift" in p.message
               for p in report.problems)


def test_choose_sheet_prefers_the_inventory_over_notes() -> None:
    sheets = {
        "Hinweise": [["Bitte alle Aktivitäten eintragen."], ["Fragen an Frau M."]],
        "Aktivitäten 2024": inventory_rows(8),
        "leer": [],
    }
    assert read.choose_sheet(sheets) == "Aktivitäten 2024"


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_every_workbook_format_reads_the_same_table(fmt: str) -> None:
    rows = inventory_rows(4)
    data = {"xlsx": lambda: xlsx_bytes({"Tabelle1": rows}), "xls": lambda: xls_bytes(rows),
            "ods": lambda: ods_bytes(rows)}[fmt]()
    report = Report()
    table = read.table_from_sheets(read.load_sheets(data, f"inventar.{fmt}", report), f"inventar.{fmt}", report)
    assert list(table.frame.columns) == rows[0]
    assert table.frame["Titel"].tolist() == [r[0] for r in rows[1:]]
    assert len(table.frame) == 4


def test_xlsm_is_read_as_data_only() -> None:
    rows = inventory_rows(2)
    data = xlsx_bytes({"Tabelle1": rows})
    report = Report()
    table = read.table_from_sheets(read.load_sheets(data, "makro.xlsm", report), "makro.xlsm", report)
    assert len(table.frame) == 2


def test_requested_sheet_that_does_not_exist_names_the_sheets() -> None:
    report = Report()
    with pytest.raises(read.InputError, match="vorhanden: A, B"):
        read.table_from_sheets({"A": [["x", "y"]], "B": []}, "f.xlsx", report, sheet="C")


def test_csv_apostrophe_escape_of_our_own_downloads_is_undone() -> None:
    data = b"Titel;Notiz\r\n'=SUMME(A1);'-5 Grad\r\nEin 'Zitat';'Anfang\r\n"
    report = Report()
    rows = read.parse_csv(data, "a.csv", report)
    assert rows[1] == ["=SUMME(A1)", "-5 Grad"]
    assert rows[2] == ["Ein 'Zitat'", "'Anfang"]


def test_csv_unclosed_quote_is_read_line_by_line_and_reported_with_the_row() -> None:
    data = b'Titel;Quartier\r\nCaf\xc3\xa9;Nord\r\n"Tafel;S\xc3\xbcd\r\nChor;West\r\n'
    report = Report()
    rows = read.parse_csv(data, "a.csv", report)
    assert rows == [["Titel", "Quartier"], ["Café", "Nord"], ['"Tafel', "Süd"], ["Chor", "West"]]
    repaired = [p for p in report.problems if p.message.startswith("CSV repariert")]
    assert [(p.row, p.file) for p in repaired] == [(3, "a.csv")]


BROKEN = ('Titel;Beschreibung;Quartier;Betrag\r\n'
          'Café;Offener "Treff" für alle;Nord;100\r\n'  # quotes inside an unquoted cell: fine as it is
          '"Tafel;Ausgabe;Süd;200\r\n'  # a quote never closed
          'Chor;"mehrzeilig\r\nzweite Zeile";West;300\r\n'  # a real cell over two lines
          'Beratung;Hilfe bei "Anträgen;Ost;400\r\n'  # a stray quote that a later one would close
          'Kleiderkammer;Kleidung;Nord;500\r\n'
          'Repair;Geräte" reparieren;Süd;600\r\n'
          '"Zitat" am Anfang;Text;Ost;700\r\n')  # text after a closing quote


def test_csv_with_broken_quoting_keeps_every_line_and_reports_each_repair() -> None:
    report = Report()
    rows = read.parse_csv(BROKEN.encode("utf-8"), "b.csv", report)
    assert [r[0] for r in rows] == ["Titel", "Café", '"Tafel', "Chor", "Beratung", "Kleiderkammer", "Repair",
                                    '"Zitat" am Anfang']
    assert rows[3] == ["Chor", "mehrzeilig\nzweite Zeile", "West", "300"]
    assert all(len(r) == 4 for r in rows)
    repaired = {p.row: p.message for p in report.problems if p.message.startswith("CSV repariert")}
    assert sorted(repaired) == [3, 5, 7, 8]
    assert "Textzeile 9 der Datei" in repaired[8]  # the record number and the line in the file differ


def test_stray_quotes_that_pair_up_do_not_swallow_the_lines_between() -> None:
    text = "A;B;C\nx;\"eins;1\ny;zwei;2\nz;drei\";3\n"
    report = Report()
    rows = read.parse_csv(text.encode(), "c.csv", report)
    assert [r[0] for r in rows] == ["A", "x", "y", "z"]
    assert sum(p.message.startswith("CSV repariert") for p in report.problems) == 2


# --- the sheet scan: done by the reader child, by the guard when the child gives none -------------

def test_a_sheet_beyond_the_limits_is_refused_naming_the_cell_also_when_the_parser_fails(monkeypatch) -> None:
    from soni.intake import isolate
    from soni.report import InputError
    from tests import hostile

    name, data = hostile.far_row_xlsx()
    with pytest.raises(InputError, match="Zelle A1048576"):  # the child's scan
        read.load_sheets(data, name, Report())

    def parser_fails(*_args, **_kwargs):
        raise InputError("Das Lesen brach ab.", file=name)

    monkeypatch.setattr(isolate, "load_workbook_isolated", parser_fails)
    with pytest.raises(InputError, match="Zelle A1048576"):  # the guard's own scan explains the failure
        read.load_sheets(data, name, Report())
    good_name, good = hostile.good_xlsx()
    with pytest.raises(InputError, match="Das Lesen brach ab"):  # nothing to explain: the parser's message
        read.load_sheets(good, good_name, Report())


def test_formulas_without_value_are_warned_about_and_error_cells_keep_their_code() -> None:
    from tests import hostile

    name, data = hostile.formula_without_value_xlsx()
    report = Report()
    read.load_sheets(data, name, report)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Aktivitäten", 2, "C"), ("Aktivitäten", 3, "C")]
    name, data = hostile.error_cells_xlsx()
    sheet = read.load_sheets(data, name, Report())["Aktivitäten"]
    assert sheet.column(2).tolist()[1:] == ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]

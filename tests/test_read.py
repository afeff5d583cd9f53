"""Stage read: encodings, delimiters, header detection, sheet choice, every format."""

from __future__ import annotations

import pytest

from soni import intake, read
from soni.report import Report
from tests.files import inventory_rows, ods_bytes, xls_bytes, xlsx_bytes


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


def test_a_long_title_line_is_quoted_up_to_a_word_boundary() -> None:
    """QA: the year of "… Gemeinwesendiakonie 2026 …" was quoted as "20": a line is cut between words, with "…"."""
    title = "Evangelische Kirchengemeinde St. Beispiel – Tätigkeitsübersicht Gemeinwesendiakonie 2026 (Entwurf)"
    report = Report()
    read.rows_to_table([[title], *inventory_rows(3)], file="x.xlsx", sheet="Liste", report=report)
    (skipped,) = [p.message for p in report.problems if "vor der Kopfzeile" in p.message]
    quoted = skipped.split("„", 1)[1].rsplit("“", 1)[0]
    assert quoted.endswith("…") and len(quoted) <= 80
    assert title.startswith(quoted[:-1]) and title[len(quoted) - 1] == " "


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
    table = read.table_from_sheets(intake.load_sheets(data, f"inventar.{fmt}", report), f"inventar.{fmt}", report)
    assert list(table.frame.columns) == rows[0]
    assert table.frame["Titel"].tolist() == [r[0] for r in rows[1:]]
    assert len(table.frame) == 4


def test_xlsm_is_read_as_data_only() -> None:
    rows = inventory_rows(2)
    data = xlsx_bytes({"Tabelle1": rows})
    report = Report()
    table = read.table_from_sheets(intake.load_sheets(data, "makro.xlsm", report), "makro.xlsm", report)
    assert len(table.frame) == 2


def test_requested_sheet_that_does_not_exist_names_the_sheets() -> None:
    report = Report()
    with pytest.raises(read.InputError, match="vorhanden: A, B"):
        read.table_from_sheets({"A": [["x", "y"]], "B": []}, "f.xlsx", report, sheet="C")


def test_a_sheet_beyond_the_limits_is_refused_naming_the_cell_also_when_the_parser_fails(monkeypatch) -> None:
    from soni.intake import isolate
    from soni.report import InputError
    from tests import hostile

    name, data = hostile.far_row_xlsx()
    with pytest.raises(InputError, match="Zelle A1048576"):  # the child's scan
        intake.load_sheets(data, name, Report())

    def parser_fails(*_args, **_kwargs):
        raise InputError("Das Lesen brach ab.", file=name)

    monkeypatch.setattr(isolate, "load_workbook_isolated", parser_fails)
    with pytest.raises(InputError, match="Zelle A1048576"):  # the guard's own scan explains the failure
        intake.load_sheets(data, name, Report())
    good_name, good = hostile.good_xlsx()
    with pytest.raises(InputError, match="Das Lesen brach ab"):  # nothing to explain: the parser's message
        intake.load_sheets(good, good_name, Report())


def test_formulas_without_value_are_warned_about_and_error_cells_keep_their_code() -> None:
    from tests import hostile

    name, data = hostile.formula_without_value_xlsx()
    report = Report()
    intake.load_sheets(data, name, report)
    assert [(p.sheet, p.row, p.column) for p in report.problems] == [("Aktivitäten", 2, "C"), ("Aktivitäten", 3, "C")]
    name, data = hostile.error_cells_xlsx()
    sheet = intake.load_sheets(data, name, Report())["Aktivitäten"]
    assert sheet.column(2).tolist()[1:] == ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]

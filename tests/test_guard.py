"""soni.intake.guard: the format by content, refusals with German messages, limits, formula warnings."""

from __future__ import annotations

import datetime
import io
import re
import struct
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from soni import read
from soni.intake import guard, sheetscan
from soni.intake.guard import inspect
from soni.report import HINWEIS, WARNUNG, InputError
from tests import hostile
from tests.files import ods_bytes, xls_bytes

ROOT = Path(__file__).resolve().parents[1]


def refused(built: tuple[str, bytes]) -> InputError:
    name, data = built
    with pytest.raises(InputError) as caught:
        inspect(data, name)
    error = caught.value
    assert error.file == name
    return error


def with_cell(ref: str, value: str = "<v>1</v>", built: tuple[str, bytes] | None = None) -> tuple[str, bytes]:
    """The small inventory plus one filled cell at ``ref``."""
    name, data = built or hostile.good_xlsx()
    row = re.sub(r"[A-Z]", "", ref)
    addition = f'<row r="{row}"><c r="{ref}">{value}</c></row></sheetData>'.encode()
    return name, hostile.rewrite(data, hostile.SHEET1, lambda old: old.replace(b"</sheetData>", addition))


def with_content_type(marker_from: str, marker_to: str) -> bytes:
    _name, data = hostile.good_xlsx()
    return hostile.rewrite(data, "[Content_Types].xml",
                           lambda old: old.replace(marker_from.encode(), marker_to.encode()))


# --- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize(("builder", "expected"), [
    (hostile.empty_file, "Die Datei ist leer"),
    (hostile.pdf_as_xlsx, "heißt „inventar.xlsx“, ist aber ein PDF-Dokument"),
    (hostile.png_as_xlsx, "ist aber ein PNG-Bild"),
    (hostile.docx_as_xlsx, "ist aber ein Word-Dokument (.docx)"),
    (hostile.text_as_xlsx, "ist aber eine reine Textdatei"),
    (hostile.html_as_xls, "Webseite (HTML)"),
    (hostile.truncated_xlsx, "Die Datei ist beschädigt oder unvollständig"),
    (hostile.encrypted_ods, "Die OpenDocument-Tabelle ist mit einem Passwort verschlüsselt"),
    (hostile.entity_bomb_xlsx, "„<!DOCTYPE“"),
    (hostile.zip_bomb_xlsx, "entpackt 1024 MB groß"),
    (hostile.huge_shared_strings_xlsx, "gibt 4.000.000.000 verschiedene Texte an"),
    (hostile.far_cell_xlsx, "Zelle XFD1048576"),
    (hostile.far_row_xlsx, "Zelle A1048576 enthält einen Wert in Zeile 1.048.576"),
    (hostile.binary_as_csv, "unbekannten Format"),
])
def test_refuses_hostile_and_broken_files_with_a_german_message(builder, expected):
    error = refused(builder())
    assert expected in error.message
    assert "Traceback" not in error.message


def test_a_smaller_zip_bomb_is_refused_by_its_packing_ratio():
    error = refused(hostile.zip_bomb_xlsx(64 << 20))
    assert "xl/worksheets/sheet1.xml" in error.message
    assert f"erlaubt: {guard.MAX_RATIO}-fach" in error.message


def test_a_column_far_to_the_right_is_refused_and_named():
    error = refused(with_cell("XFD1"))
    assert "Zelle XFD1" in error.message and "Spalte 16.384" in error.message
    assert error.sheet == "Aktivitäten"


def test_a_rectangle_beyond_max_cells_is_refused():
    # column SF (500) down to row 30,000: 15 million cells, every limit for rows/columns kept
    error = refused(with_cell("SF30000"))
    assert "Zelle SF30000" in error.message and "10.000.000" in error.message


def test_a_sparse_rectangle_is_refused_but_a_dense_one_is_not(monkeypatch):
    error = refused(with_cell("T200000"))  # 4 million cells; 4 rows × 7 columns + 1 filled
    assert "nur 29 Zellen enthalten Werte" in error.message
    # the rule compares the rectangle with the filled cells: scaled down, a filled one passes
    monkeypatch.setattr(sheetscan, "SPARSE_CELLS", 1_000)
    dense = hostile.xlsx([[f"r{r}c{c}" for c in range(20)] for r in range(100)])
    assert inspect(dense, "dicht.xlsx").kind == "xlsx"
    sparse = with_cell("T200", built=("dünn.xlsx", hostile.xlsx([["a"], ["b"]])))
    assert "nur 3 Zellen enthalten Werte" in refused(sparse).message


@pytest.mark.timeout(60)
@pytest.mark.parametrize("junk", [b'<c r="A1"' * 100_000, b"<c " * 300_000, b'<c r="A1" ' + b' r="B2"' * 100_000,
                                  b"<c><f>" * 100_000])
def test_crafted_tag_soup_does_not_make_the_scan_backtrack(junk):
    # The scan runs in the server process: patterns like these must not take quadratic time.
    name, data = hostile.good_xlsx()
    data = hostile.rewrite(data, hostile.SHEET1, lambda old: old.replace(b"</sheetData>", junk + b"</sheetData>"))
    assert inspect(data, name).kind == "xlsx"


def test_the_size_cap(monkeypatch):
    name, data = hostile.good_xlsx()
    monkeypatch.setattr(guard, "MAX_FILE_BYTES", len(data) - 1)
    assert "Die Datei ist zu groß" in refused((name, data)).message


def test_the_size_cap_counts_megabytes_as_the_browser_does():
    """Issue #16: the browser refused over 50,000,000 bytes, the app only over 52,428,800."""
    assert guard.MAX_FILE_BYTES == 50_000_000
    row = b"Titel;Stadtteil\r\n"
    filler = ("Treff;Nordstadt\r\n" * (guard.MAX_FILE_BYTES // 17)).encode()
    data = (row + filler)[:guard.MAX_FILE_BYTES]
    assert inspect(data, "grenze.csv").kind == "csv"  # exactly the limit: accepted
    error = refused(("zu_gross.csv", data + b"x"))
    assert "50 MB (50.000.000 Bytes)" in error.message and "50.000.001 Bytes" in error.message


def test_the_member_count_cap(monkeypatch):
    monkeypatch.setattr(guard, "MAX_ZIP_MEMBERS", 3)
    assert "Teilen (erlaubt: 3)" in refused(hostile.good_xlsx()).message


def test_the_zip_directory_is_checked_before_it_is_parsed(monkeypatch):
    # the end record's directory size is checked before zipfile builds an object per entry
    monkeypatch.setattr(guard, "MAX_ZIP_MEMBERS", 20)
    monkeypatch.setattr(guard, "MAX_DIRECTORY_ENTRY_BYTES", 10)
    assert "Das Inhaltsverzeichnis der Datei ist" in refused(hostile.good_xlsx()).message


def test_a_doctype_hidden_behind_a_long_prolog_is_refused():
    padding = b"<!--" + b" " * 2000 + b"-->"
    bomb = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE x [<!ENTITY a "b">]>'
    name, data = hostile.good_xlsx()
    data = hostile.rewrite(data, "xl/workbook.xml", lambda old: bomb + old[old.index(b"<workbook"):])
    assert "„<!DOCTYPE“" in refused((name, data)).message
    blank = hostile.rewrite(hostile.good_xlsx()[1], "xl/styles.xml",
                            lambda old: b" " * (guard.PROLOG_BYTES + 10) + old)
    assert "ohne Inhalt" in refused((name, blank)).message


def test_a_doctype_in_a_utf16_part_is_refused():
    name, data = hostile.good_xlsx()
    bomb = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16")
    data = hostile.rewrite(data, "docProps/app.xml", lambda _old: bomb)
    assert "„<!DOCTYPE“" in refused((name, data)).message


def test_a_zip_with_tables_inside_asks_to_unpack_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("inventar.xlsx", hostile.good_xlsx()[1])
    assert "ZIP-Archiv mit 1 Tabelle(n)" in refused(("paket.zip", out.getvalue())).message


def test_other_opendocument_files_are_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    assert "Textdokument (OpenDocument .odt)" in refused(("liste.ods", out.getvalue())).message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage=hostile.damages(5000))
def test_damaged_files_give_an_inspection_or_an_input_error_never_a_crash(damage):
    try:
        result = inspect(hostile.damaged(hostile.good_xlsx()[1], damage), "inventar.xlsx")
    except InputError as error:
        assert error.message and error.file == "inventar.xlsx"
    else:
        assert result.kind in guard.KINDS


# --- accepted files -------------------------------------------------------------------------

def test_a_valid_xlsx_is_accepted_without_warnings():
    result = inspect(hostile.good_xlsx()[1], "inventar.xlsx")
    assert (result.kind, result.warnings) == ("xlsx", [])


@pytest.mark.parametrize(("main_type", "kind"), [
    ("application/vnd.ms-excel.sheet.macroEnabled.main+xml", "xlsm"),
    ("application/vnd.ms-excel.sheet.binary.macroEnabled.main", "xlsb"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", "xlsx"),
])
def test_ooxml_kinds_come_from_the_content_types(main_type, kind):
    data = with_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                             main_type)
    result = inspect(data, "liste")
    assert result.kind == kind
    if kind == "xlsm":
        assert any("Makros" in p.message and p.level == HINWEIS for p in result.warnings)


def test_legacy_xls_and_ods_are_recognised():
    rows = [hostile.HEADER, *hostile.ROWS]
    assert inspect(xls_bytes(rows), "alt.xls").kind == "xls"
    assert inspect(ods_bytes(rows), "liste.ods").kind == "ods"


def test_the_name_does_not_decide_but_a_mismatch_is_mentioned():
    result = inspect(hostile.good_xlsx()[1], "inventar.csv")
    assert result.kind == "xlsx"
    assert [p.level for p in result.warnings] == [HINWEIS]
    assert "eine Excel-Arbeitsmappe (.xlsx)" in result.warnings[0].message


def test_csv_under_a_spreadsheet_name_is_read_as_csv_with_a_warning():
    name, data = hostile.csv_as_xlsx()
    result = inspect(data, name)
    assert result.kind == "csv"
    assert result.warnings[0].level == WARNUNG and "als CSV gelesen" in result.warnings[0].message


@pytest.mark.parametrize(("builder", "encoding"), [
    (hostile.utf16_csv, "utf-16"),
    (hostile.cp1252_csv, "cp1252"),
    (hostile.ragged_csv, "utf-8"),
    (hostile.injection_csv, "utf-8"),
    (hostile.nul_csv, "utf-8"),  # two stray NULs: soni.intake.text removes them and says so
])
def test_csv_files_are_accepted_with_their_encoding(builder, encoding):
    name, data = builder()
    result = inspect(data, name)
    assert (result.kind, result.encoding, result.warnings) == ("csv", encoding, [])


def test_utf16_without_bom_is_recognised():
    text = "Titel\tQuartier\r\nTreff (erfunden)\tNordstadt\r\n"
    assert inspect(text.encode("utf-16-le"), "liste.txt").encoding == "utf-16-le"


def test_many_nul_bytes_mean_binary_and_are_refused():
    data = hostile.csv_text([hostile.HEADER, *hostile.ROWS]).encode() + b"\x00" * (guard.MAX_TEXT_NULS + 1)
    assert "Null-Bytes" in refused(("liste.csv", data)).message


@pytest.mark.parametrize("builder", [
    hostile.far_format_only_xlsx, hostile.error_cells_xlsx, hostile.header_only_xlsx,
    hostile.missing_quartier_xlsx, hostile.injection_xlsx, hostile.script_xlsx,
    hostile.duplicate_headers_xlsx, hostile.merged_header_xlsx,
])
def test_files_for_later_stages_pass_the_guard(builder):
    name, data = builder()
    assert inspect(data, name).kind == "xlsx"


def test_formulas_without_a_stored_result_are_warned_about_by_sheet_and_cell():
    name, data = hostile.formula_without_value_xlsx()
    warnings = inspect(data, name).warnings
    assert [(w.level, w.sheet, w.row, w.column) for w in warnings] == [
        (WARNUNG, "Aktivitäten", 2, "C"), (WARNUNG, "Aktivitäten", 3, "C")]
    assert "Formel ohne gespeichertes Ergebnis" in warnings[0].message


def test_formulas_with_a_stored_result_are_not_warned_about():
    # xlsxwriter stores a result; a text formula may store the empty text
    name, data = hostile.error_cells_xlsx()
    data = hostile.rewrite(data, hostile.SHEET1, lambda old: old.replace(
        b"</sheetData>", b'<row r="20"><c r="A20" t="str"><f>""</f><v></v></c></row></sheetData>'))
    assert inspect(data, name).warnings == []


def test_the_list_of_formulas_without_result_is_capped():
    import openpyxl

    book = openpyxl.Workbook()
    for r in range(1, guard.MAX_FORMULA_WARNINGS + 11):
        book.active.append([r, f"=A{r}*2"])
    buf = io.BytesIO()
    book.save(buf)
    warnings = inspect(buf.getvalue(), "viele.xlsx").warnings
    assert len(warnings) == guard.MAX_FORMULA_WARNINGS + 1
    assert warnings[-1].message.startswith("… und 10 weitere Formeln")


# --- helpers and consistency ----------------------------------------------------------------

def test_every_ole2_file_goes_to_the_reader_child_unread():
    # olefile, which tells an .xls from a .doc or an encrypted workbook, is not safe in this process
    # (soni/intake/xls.py): the guard only knows the magic bytes; tests/test_xls.py checks the rest
    for built in (hostile.word_doc_as_xls(), hostile.encrypted_xlsx(), *(b() for b in hostile.OLE_CORPUS.values())):
        assert inspect(built[1], "inventar.xls").kind == "xls"


def test_limits_match_the_reader_and_the_upload_cap():
    assert guard.MAX_COLS == read.MAX_COLUMNS
    assert guard.MAX_ROWS == read.MAX_ROWS + read.HEADER_SEARCH_ROWS
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == guard.MAX_FILE_MB


def test_excel_serial_60_warns_that_the_day_does_not_exist():
    """Issue #16: Excel's 29.02.1900 (serial 60 in a date format) silently became 28.02.1900."""
    import openpyxl

    from soni.intake import load_sheets
    from soni.report import Report

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append(["Titel", "Beginn", "Teilnehmende"])
    for title, serial in (("Café", 59), ("Treff", 60), ("Chor", 61), ("Kurs", 60.25)):
        sheet.append([title, serial, 60])  # 60 participants: a number, no date, no warning
        sheet.cell(sheet.max_row, 2).number_format = "dd.mm.yyyy"
    out = io.BytesIO()
    book.save(out)
    report = Report()
    load_sheets(out.getvalue(), "schaltjahr.xlsx", report)
    warned = [p for p in report.problems if "29.02.1900" in p.message]
    where = [(p.level, p.sheet, p.row, p.column) for p in warned]
    assert where == [(WARNUNG, "Liste", 3, "B"), (WARNUNG, "Liste", 5, "B")]
    assert all(p.file == "schaltjahr.xlsx" and "gab es nicht" in p.message for p in warned)


def _xls_with_dates(serials: list[Any]) -> bytes:
    """An .xls (xlwt) with a date column ``Beginn`` holding ``serials`` and 60 participants per row."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Liste")
    date = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for c, title in enumerate(("Titel", "Beginn", "Teilnehmende")):
        sheet.write(0, c, title)
    for r, serial in enumerate(serials, 1):
        sheet.write(r, 0, f"Angebot {r}")
        sheet.write(r, 1, serial, date)
        if r != 2:
            sheet.write(r, 2, 60)  # row 3: the date cell alone in its row (an RK record, not MULRK)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_serial_60_in_xls_warns_from_every_kind_of_number_cell():
    """Issue #16 for Excel 97-2003: calamine reads serial 59 and 60 both as 28.02.1900, so the BIFF
    number cells tell which one was Excel's 29.02.1900 — RK, MULRK, NUMBER and a formula's result."""
    import xlwt

    from soni.intake import load_sheets
    from soni.report import Report

    data = _xls_with_dates([59, 60, 61, 60.25, 60.123456789, xlwt.Formula("30*2")])
    formula = bytes.fromhex("060001001200") + bytes.fromhex("030000000000ffff")  # row 7: no cached result
    assert data.count(formula) == 1
    data = data.replace(formula, formula[:6] + struct.pack("<d", 60.0))  # as Excel stores it: 60
    report = Report()
    sheets = load_sheets(data, "schaltjahr.xls", report)
    assert sheets["Liste"].values(1)[sheets["Liste"].codes(1)[1]] == datetime.date(1900, 2, 28)  # 59: no warning
    warned = [p for p in report.problems if "29.02.1900" in p.message]
    assert [(p.level, p.file, p.sheet, p.row, p.column) for p in warned] == [
        (WARNUNG, "schaltjahr.xls", "Liste", row, "B") for row in (3, 5, 6, 7)]
    assert all("gab es nicht" in p.message and p.message.startswith(f"Zelle B{p.row} ") for p in warned)


def test_excel_serial_60_warnings_are_capped_with_a_count():
    from soni.intake import load_sheets
    from soni.report import Report

    report = Report()
    load_sheets(_xls_with_dates([60] * (guard.MAX_FORMULA_WARNINGS + 5)), "viele.xls", report)
    warned = [p for p in report.problems if "29.02.1900" in p.message]
    assert len(warned) == guard.MAX_FORMULA_WARNINGS + 1
    assert warned[-1].message.startswith("… und 5 weitere Zellen")


def test_the_xls_serial_60_scan_runs_only_after_a_28_02_1900():
    """The BIFF scan runs in the reader child, and only when calamine read a 28.02.1900 somewhere."""
    from soni.intake import _child

    assert _child.answer(_xls_with_dates([61, 45000]), "xls")[2] is None
    wire = _child.answer(_xls_with_dates([61, 60]), "xls")[2]
    assert sheetscan.Scan.from_wire(wire).serial_60 == {"Liste": [(1, 2), (2, 1)]}  # C2: 60 participants


def test_ods_29_02_1900_is_reported_not_moved():
    """ODS stores dates as ISO text, no serials: a 29.02.1900 there (or any day that never was) is
    not silently moved to another day but reported as unreadable, with row and column."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    from soni import pipeline

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Liste")
    for title, day in (("Titel", "Beginn"), ("Treff", "1900-02-29"), ("Chor", "2024-02-29"), ("Kurs", "2023-02-30")):
        row = TableRow()
        for value, kind in ((title, "string"), (day, "string" if title == "Titel" else "date")):
            cell = TableCell(valuetype=kind, datevalue=value) if kind == "date" else TableCell(valuetype=kind)
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    inv = pipeline.run([("schaltjahr.ods", out.getvalue())])
    dated = [p for p in inv.report.problems if "kein lesbares Datum" in p.message]
    assert [(p.level, p.file, p.sheet, p.row, p.column) for p in dated] == [
        (WARNUNG, "schaltjahr.ods", "Liste", 2, "Beginn"), (WARNUNG, "schaltjahr.ods", "Liste", 4, "Beginn")]
    assert "1900-02-29" in dated[0].message
    assert len(inv.activities) == 3

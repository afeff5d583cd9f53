"""soni.intake.xls: OLE2 containers through olefile (bounded), and the error cells of an .xls.

Crafted containers (``hostile.OLE_CORPUS``) are refused as damaged; Word, PowerPoint, Outlook and
encrypted files are named; the error-cell scan agrees with xlrd, which reads every cell.
"""

from __future__ import annotations

import io
import struct
import subprocess

import pytest
import xlrd
from hypothesis import HealthCheck, example, given, settings

from soni.intake import _child, isolate, load_sheets, xls
from soni.intake.messages import CORRUPT
from soni.report import InputError, Report
from tests import hostile
from tests.files import xls_bytes


def compound(data: bytes):
    return xls.open_compound(data)


# --- the container ---------------------------------------------------------------------------

def test_regular_and_mini_streams_are_read():
    regular = hostile.cfb({"Workbook": b"x" * 5000, "Other": b"y"})
    book = compound(regular)
    assert xls.stream(book, "workbook", len(regular)) == b"x" * 5000
    assert xls.stream(book, "Other", len(regular)) == b"y".ljust(4096, b"\0")  # padded like Excel's "Workbook"
    small = hostile.cfb({"EncryptionInfo": b"kurz" * 30, "Zweiter": bytes(range(200))}, mini=True)
    book = compound(small)
    assert xls.stream(book, "EncryptionInfo", len(small)) == b"kurz" * 30
    assert xls.stream(book, "Zweiter", len(small)) == bytes(range(200))
    with pytest.raises(xls.Broken):
        xls.stream(book, "fehlt", len(small))


@pytest.mark.parametrize(("streams", "expected"), [
    ({"Workbook": b"x"}, ""),
    ({"Book": b"x"}, ""),  # Excel 5.0/95
    ({"EncryptionInfo": b"x", "EncryptedPackage": b"y"}, "password"),
    ({"WordDocument": b"x"}, "doc"),
    ({"PowerPoint Document": b"x"}, "ppt"),
    ({"__substg1.0_0037001F": b"x"}, "msg"),
    ({"Anderes": b"x"}, "ole"),
])
def test_what_an_ole2_file_is(streams, expected):
    assert xls.refusal(compound(hostile.cfb(streams))) == expected


def test_garbage_is_broken():
    for data in (b"", b"kein OLE", hostile.cfb({"Workbook": b"x"})[:8] + bytes(600)):
        with pytest.raises(xls.Broken):
            compound(data)


def test_an_xls_cut_short_is_damaged_not_an_other_office_file():
    data = hostile.xls_error_cells()[1]
    messages = set()
    for cut in range(512 * 3, len(data), 97):
        with pytest.raises(InputError) as caught:
            load_sheets(data[:cut], "fehlerwerte.xls", Report())
        messages.add(caught.value.message.split(";")[0])
    # damaged; or, with the directory's last entries cut off mid-sector, calamine's panic in the child
    assert messages == {CORRUPT, "Die Datei konnte nicht gelesen werden: das Lesen brach unerwartet ab"}


@pytest.mark.parametrize("name", sorted(set(hostile.OLE_CORPUS) - {"verzeichnis_zyklus"}))
def test_crafted_containers_are_broken_before_any_stream_is_read(name):
    _filename, data = hostile.OLE_CORPUS[name]()
    with pytest.raises(xls.Broken):
        compound(data)


def test_a_cycle_in_the_directory_tree_is_walked_once():
    book = compound(hostile.ole_directory_cycle()[1])
    assert sorted(book.listdir(storages=True)) == [["Ablage"], ["Workbook"]]


@pytest.mark.parametrize("name", sorted(hostile.OLE_CORPUS))
def test_crafted_containers_through_the_door_are_refused_or_read_empty(name):
    filename, data = hostile.OLE_CORPUS[name]()
    report = Report()
    try:
        sheets = load_sheets(data, filename, report)
    except InputError as error:
        assert error.message == CORRUPT and error.file == filename
    else:  # the cycle: walked once, no sheet found
        assert name == "verzeichnis_zyklus" and sheets == {}


@pytest.mark.parametrize(("builder", "expected"), [
    (hostile.word_doc_as_xls, "Die Datei heißt „inventar.xls“, ist aber ein Word-Dokument (.doc), keine Tabelle."),
    (hostile.encrypted_xlsx, "Die Datei ist mit einem Passwort geschützt."),
])
def test_an_ole2_file_that_is_no_xls_is_named_by_the_reader_child(builder, expected):
    filename, data = builder()
    report = Report()
    with pytest.raises(InputError) as caught:
        load_sheets(data, filename, report)
    assert caught.value.message.startswith(expected) and caught.value.file == filename
    assert report.problems == []  # no "is an .xls" hint before the child has looked


def test_an_xls_under_another_name_gets_its_hint_once_read():
    report = Report()
    sheets = load_sheets(xls_bytes([["Titel"], ["Treff (erfunden)"]]), "liste.xlsx", report)
    assert list(sheets) == ["Tabelle1"]
    assert [p.message for p in report.problems] == [
        "Die Datei heißt „liste.xlsx“, ist aber eine Excel-Arbeitsmappe im alten Format (.xls); sie wird als "
        "solche gelesen."]


def test_an_unknown_key_from_the_child_is_named_as_an_old_office_file():
    answer = _child._dumps(("error", "not_a_table", "<script>"))
    completed = subprocess.CompletedProcess([], 0, stdout=answer, stderr=b"")
    with pytest.raises(InputError) as caught:
        isolate._answer(completed, memory_mb=1, file="alt.xls")
    assert "ist aber eine Office-Datei im alten Format, aber keine Excel-Tabelle" in caught.value.message
    assert "<script>" not in caught.value.message


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage=hostile.damages(6000))
@example(damage=(5248, []))  # cut short: the directory is empty – refusal says Broken (as _child.open_xls expects)
def test_damaged_xls_is_broken_or_read_never_an_exception(damage):
    data = hostile.damaged(hostile.xls_error_cells()[1], damage)
    try:
        book = compound(data)
        xls.refusal(book)
    except xls.Broken:
        return
    sheets = {"Tabelle1": [[None] * 2 for _ in range(9)]}
    assert 0 <= xls.restore_error_cells(book, len(data), sheets) <= 18


# --- error cells -----------------------------------------------------------------------------

def oracle(data: bytes) -> dict[tuple[str, int, int], str]:
    """Every error cell as xlrd reads it (xlrd parses every cell: the slow, complete way)."""
    book = xlrd.open_workbook(file_contents=data)
    found = {}
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            for c, (kind, value) in enumerate(zip(sheet.row_types(r), sheet.row_values(r), strict=True)):
                if kind == xlrd.XL_CELL_ERROR:
                    found[(sheet.name, r, c)] = xlrd.error_text_from_code[value]
    return found


def restored(data: bytes) -> dict[tuple[str, int, int], str]:
    from soni.intake.workbook import load_book

    sheets = load_book(data, "xls")[0]
    before = {(n, r, c) for n, rows in sheets.items() for r, row in enumerate(rows) for c, v in enumerate(row)
              if v not in ("", None)}
    xls.restore_error_cells(compound(data), len(data), sheets)
    return {(n, r, c): v for n, rows in sheets.items() for r, row in enumerate(rows) for c, v in enumerate(row)
            if v not in ("", None) and (n, r, c) not in before}


def test_error_cells_and_formula_errors_agree_with_xlrd():
    import xlwt

    book = xlwt.Workbook()
    codes = list(hostile.XLS_ERRORS)
    for s, name in enumerate(["Tabelle1", "Übersicht Südstadt", "Leer"]):
        ws = book.add_sheet(name)
        if name == "Leer":
            continue
        ws.write(0, 0, "Titel")
        for r in range(1, 40):
            ws.write(r, 0, f"Angebot {r} (erfunden)")
            if (r + s) % 5 == 0:
                ws.row(r).set_cell_error(1 + r % 4, codes[r % len(codes)])
            elif (r + s) % 7 == 0:
                ws.write(r, 2, xlwt.Formula("1/0"))
            elif r % 3 == 0:
                ws.write(r, 3, r % 2 == 0)  # a boolean cell: a BOOLERR record that holds no error
    buf = io.BytesIO()
    book.save(buf)
    data = hostile.with_formula_errors(buf.getvalue(), codes)
    expected = oracle(data)
    assert len(expected) > 20 and {key[0] for key in expected} == {"Tabelle1", "Übersicht Südstadt"}
    assert set(expected.values()) == set(hostile.XLS_ERRORS.values())
    assert restored(data) == expected


def test_the_scan_stops_for_biff5_and_encrypted_workbooks():
    data = xls_bytes([["Titel", "Stunden"], ["x", 1]])
    workbook = xls.stream(compound(data), "Workbook", len(data))
    assert [name for name, _offset in xls._biff_sheets(workbook)] == ["Tabelle1"]
    biff5 = workbook[:4] + struct.pack("<H", 0x0500) + workbook[6:]
    assert xls._biff_sheets(biff5) == []
    bof = 4 + struct.unpack_from("<H", workbook, 2)[0]
    filepass = workbook[:bof] + struct.pack("<HH", 0x002F, 0) + workbook[bof:]
    assert xls._biff_sheets(filepass) == []

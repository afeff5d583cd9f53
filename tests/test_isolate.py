"""soni.intake.isolate: parsing in a child process; crashes, memory and time become German InputErrors.

The crash inputs are real: calamine aborts on them (tried here through the child, never
in-process). Each test that gets an InputError also shows the test process survived.
"""

from __future__ import annotations

import datetime
import io
import pickle
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soni.intake import _child
from soni.intake.isolate import ROOT, Columns, _RowsUnpickler, load_sheets_isolated, put_error_cells
from soni.report import InputError
from tests import hostile
from tests.files import ods_bytes, xls_bytes


def isolated_error(built: tuple[str, bytes], kind: str = "xlsx", **limits) -> InputError:
    name, data = built
    with pytest.raises(InputError) as caught:
        load_sheets_isolated(data, kind, file=name, **limits)
    assert caught.value.file == name
    return caught.value


def test_a_valid_workbook_arrives_with_its_values():
    sheets = load_sheets_isolated(hostile.good_xlsx()[1], "xlsx")
    assert list(sheets) == ["Aktivitäten"]
    rows = sheets["Aktivitäten"]
    assert rows[0] == hostile.HEADER
    assert [row[:5] for row in rows[1:]] == [row[:5] for row in hostile.ROWS]
    assert [row[6] for row in rows[1:]] == [row[6] for row in hostile.ROWS]


def test_dates_come_back_as_datetimes():
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf)
    ws = book.add_worksheet("T")
    ws.write_datetime(0, 0, datetime.datetime(2024, 3, 1), book.add_format({"num_format": "dd.mm.yyyy"}))
    book.close()
    value = load_sheets_isolated(buf.getvalue(), "xlsx")["T"][0][0]
    assert isinstance(value, datetime.date) and (value.year, value.month, value.day) == (2024, 3, 1)


def test_xls_and_ods_are_parsed_too():
    rows = [["Titel", "Quartier"], ["Treff (erfunden)", "Nordstadt"]]
    assert load_sheets_isolated(xls_bytes(rows), "xls")["Tabelle1"] == rows
    assert load_sheets_isolated(ods_bytes(rows), "ods")["Tabelle1"] == rows


def test_excel_error_values_arrive_as_their_literal_code():
    sheets = load_sheets_isolated(hostile.error_cells_xlsx()[1], "xlsx")
    column = [row[2] for row in sheets["Aktivitäten"][1:]]
    assert column == ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"]


def test_error_values_in_xls_arrive_as_their_literal_code():
    sheets = load_sheets_isolated(hostile.xls_error_cells()[1], "xls")
    column = [row[1] for row in sheets["Tabelle1"][1:]]
    assert column == [*hostile.XLS_ERRORS.values(), "#DIV/0!"]


def test_error_values_in_ods_arrive_as_the_text_libreoffice_shows():
    rows = load_sheets_isolated(hostile.ods_error_cells_ods()[1], "ods")["Aktivitäten"]
    found = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if str(v).startswith("#")}
    assert found == {(1, 3): "#DIV/0!", (1, 4): "#NV", (2, 3): "#NV", (3, 3): "#WERT!", (4, 3): "#WERT!"}
    assert rows[2][1] == "y"  # the merged cell keeps its value


def test_a_cell_far_away_crashes_the_parser_in_the_child_only():
    error = isolated_error(hostile.far_cell_xlsx())
    assert "zu viel Speicher" in error.message


def test_a_huge_shared_string_claim_crashes_the_parser_in_the_child_only():
    error = isolated_error(hostile.huge_shared_strings_xlsx())
    assert "zu viel Speicher" in error.message


def test_the_memory_limit_holds_for_a_file_that_really_needs_memory():
    # one shared string of 300 MB under a 256 MB limit
    error = isolated_error(hostile.huge_string_xlsx(300 << 20), memory_mb=256)
    assert "zu viel Speicher (mehr als 256 MB)" in error.message


def test_the_time_limit():
    error = isolated_error(hostile.good_xlsx(), timeout_s=0.001)
    assert "dauerte zu lange" in error.message


def test_a_rust_panic_is_reported_not_raised():
    # an OLE2 file whose "Workbook" stream is not BIFF makes calamine 0.9 panic
    error = isolated_error(hostile.fake_xls(), kind="xls")
    assert "brach unerwartet ab" in error.message


@pytest.mark.parametrize(("builder", "expected"), [
    (hostile.truncated_xlsx, "beschädigt oder unvollständig"),
    (hostile.entity_bomb_xlsx, "DOCTYPE/ENTITY"),
])
def test_parser_errors_become_german_messages(builder, expected):
    assert expected in isolated_error(builder()).message


def test_csv_is_not_for_the_child():
    with pytest.raises(ValueError):
        load_sheets_isolated(b"a;b\n", "csv")


def test_the_child_does_not_import_pandas(tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes(hostile.good_xlsx()[1])
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from soni.intake._child import parse; "
            f"parse(open({str(path)!r}, 'rb').read(), 'xlsx'); print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_answer_is_unpickled_with_plain_values_only():
    plain = pickle.dumps(("ok", {"T": [[1, "a", datetime.date(2024, 1, 2), None]]}))
    assert _RowsUnpickler(io.BytesIO(plain)).load()[1]["T"][0][2] == datetime.date(2024, 1, 2)
    with pytest.raises(pickle.UnpicklingError):
        _RowsUnpickler(io.BytesIO(pickle.dumps(("ok", {"T": [[subprocess.Popen]]})))).load()


def _columns(rows: list[list]) -> Columns:
    _kind, n, lengths, columns = _child.encode_sheet(rows)
    return Columns(n, lengths, columns)


_CELL = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from([0.0, 1.0, 2.5]),
                  st.text(max_size=3), st.just(datetime.date(2024, 1, 2)))


@settings(deadline=None)
@given(st.lists(st.lists(_CELL, max_size=4), max_size=12), st.booleans())
def test_encoded_sheets_give_back_the_same_rows_with_the_same_types(rows: list[list], distinct: bool) -> None:
    if distinct:  # a column of values that are all different (free text) takes a shortcut
        rows = [[f"Text {i}", *row] for i, row in enumerate(rows)]
    back = _columns(rows).rows()
    assert back == rows
    assert [[type(v) for v in row] for row in back] == [[type(v) for v in row] for row in rows]


def test_restoring_error_codes_never_overwrites_a_value():
    from soni.intake.sheetscan import scan_workbook

    errors = scan_workbook(hostile.error_cells_xlsx()[1]).errors
    rows = [["Titel", "Quartier", "Stunden"]] + [["x", "y", ""] for _ in range(6)] + [["x", "y", 5.0]]
    sheets = {"Aktivitäten": _columns(rows), "Leer": _columns([])}
    assert put_error_cells(sheets, {**errors, "fehlt": [(0, 0, "#N/A")]}) == 6
    restored = sheets["Aktivitäten"].rows()
    assert restored[7][2] == 5.0 and restored[1][2] == "#DIV/0!" and restored[6][2] == "#REF!"
    assert [row[:2] for row in restored] == [row[:2] for row in rows]


def test_filling_cells_keeps_short_rows_short_and_widens_the_codes():
    sheet = _columns([["a", ""], ["b"]] + [[f"v{i}", ""] for i in range(300)])  # 302 values: codes past one byte
    assert sheet.fill_empty([(1, 1, "#N/A"), (0, 1, "#N/A"), (9, 5, "#N/A")]) == 1  # row 2 has one cell only
    assert sheet.rows(stop=2) == [["a", "#N/A"], ["b"]]
    many = [(r, 0, f"#{r}") for r in range(2, 302)]
    values = [["", ""] for _ in range(302)]
    wide = _columns(values)
    assert wide.fill_empty(many) == 300
    assert wide.column(0).tolist()[2:] == [f"#{r}" for r in range(2, 302)]


def test_exceptions_are_classified_through_their_chain():
    class PasswordError(Exception):
        pass

    class PanicException(BaseException):
        pass

    try:
        try:
            raise PasswordError("geschützt")
        except PasswordError:
            raise KeyError("x") from None
    except KeyError as outer:
        assert _child.classify(outer) == "other"  # `from None` hides the context
    assert _child.classify(PanicException("boom")) == "panic"
    wrapped = ValueError("außen")
    wrapped.__context__ = PasswordError()
    assert _child.classify(wrapped) == "password"


def test_a_sheet_beyond_the_limits_is_refused_by_the_rows_interface_too():
    name, data = hostile.far_row_xlsx()
    with pytest.raises(InputError, match="Zelle A1048576"):
        load_sheets_isolated(data, "xlsx", file=name)


def test_an_ods_beyond_the_readers_cell_limit_says_so():
    error = isolated_error(hostile.ods_cell_limit(), "ods")
    assert "zu groß" in str(error) and "Zellen" in str(error)
    assert "Cannot detect" not in str(error) and "Tabellenformat" not in str(error)


def test_value_cells_of_an_ods_multiply_out_the_repeats():
    assert _child.ods_value_cells(hostile.ods_cell_limit()[1]) == 1 + 10_000 * 16_000
    # empty repeated cells (LibreOffice writes them to the sheet's end) count nothing
    empty = hostile.ods('<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
                        'table:number-columns-repeated="1024"/></table:table-row>')
    assert _child.ods_value_cells(empty) == 0

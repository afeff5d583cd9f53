"""soni.intake.sheetscan: one streamed pass over the worksheet XML — extent, formulas, error cells."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from soni.intake import _child, sheetscan
from soni.intake.sheetscan import Extent, Scan, scan_workbook
from tests import hostile


def test_the_extent_names_the_farthest_cells_and_counts_the_filled_ones():
    rows = [["Titel", "Quartier", "Stunden"], ["a", "Nord", 1], ["b", None, 2]]
    data = hostile.xlsx(rows)
    scan = scan_workbook(data)
    extent = scan.extents["Aktivitäten"]
    assert (extent.max_row, extent.row_ref, extent.max_col, extent.col_ref) == (3, "A3", 3, "C1")
    assert extent.filled == sum(v is not None for row in rows for v in row)
    assert extent.complete and scan.violation() is None


def test_far_cells_break_the_limits_and_format_only_cells_do_not():
    sheet, extent, kind = scan_workbook(hostile.far_row_xlsx()[1]).violation()
    assert (sheet, extent.row_ref, kind) == ("Aktivitäten", "A1048576", "rows")
    assert scan_workbook(hostile.far_cell_xlsx()[1]).violation()[2] == "rows"
    assert scan_workbook(hostile.far_format_only_xlsx()[1]).violation() is None


@pytest.mark.parametrize(("extent", "kind"), [
    (Extent(max_row=sheetscan.MAX_ROWS + 1, max_col=1, filled=10**6), "rows"),
    (Extent(max_row=1, max_col=sheetscan.MAX_COLS + 1, filled=1), "cols"),
    (Extent(max_row=sheetscan.MAX_CELLS // 100 + 1, max_col=100, filled=10**7), "cells"),
    (Extent(max_row=sheetscan.SPARSE_CELLS // 10 + 1, max_col=10, filled=10), "sparse"),
    (Extent(max_row=sheetscan.SPARSE_CELLS // 10 + 1, max_col=10, filled=10, complete=False), None),  # cut short
    (Extent(max_row=sheetscan.SPARSE_CELLS // 10 + 1, max_col=10, filled=sheetscan.SPARSE_CELLS), None),
    (Extent(max_row=sheetscan.MAX_ROWS, max_col=2, filled=1), None),  # a small area is never sparse
])
def test_each_limit_is_named(extent, kind):
    assert extent.violation() == kind


def test_error_cells_and_formulas_without_value():
    errors = scan_workbook(hostile.error_cells_xlsx()[1]).errors["Aktivitäten"]
    assert [(row, col) for row, col, _code in errors] == [(r, 2) for r in range(1, 8)]
    assert errors[0][2] == "#DIV/0!" and errors[-1][2] == "#VALUE!"
    scan = scan_workbook(hostile.formula_without_value_xlsx()[1])
    assert scan.formulas == [("Aktivitäten", "C2"), ("Aktivitäten", "C3")]


def test_parts_of_the_scan_can_be_left_out():
    data = hostile.error_cells_xlsx()[1]
    assert scan_workbook(data, extent=False).extents == {}
    assert scan_workbook(data, errors=False).errors == {}
    assert scan_workbook(data, extent=False).errors == scan_workbook(data).errors


@pytest.mark.timeout(60)
@pytest.mark.parametrize("junk", [b'<c t="e"' * 100_000, b'<c r="A1" t="e">' * 100_000,
                                  b'<c r="A1" t="e"><f>' * 100_000, b'<c  t="e" ' + b' t="e"' * 100_000])
def test_crafted_error_cells_do_not_make_the_scan_backtrack(junk):
    # The scan for error cells runs in the server process: it must stay linear on any input.
    data = hostile.rewrite(hostile.good_xlsx()[1], hostile.SHEET1,
                           lambda old: old.replace(b"</sheetData>", junk + b"</sheetData>"))
    assert scan_workbook(data, extent=False).errors["Aktivitäten"] == []


def test_the_budget_marks_a_sheet_as_not_seen_whole():
    data = hostile.xlsx([["x", i] for i in range(2000)])
    cut = scan_workbook(data, budget=10)
    whole = scan_workbook(data)
    assert not cut.extents["Aktivitäten"].complete
    assert whole.extents["Aktivitäten"].complete
    assert cut.extents["Aktivitäten"].filled <= whole.extents["Aktivitäten"].filled


def test_the_wire_form_goes_back_and_forth_and_refuses_other_shapes():
    scan = scan_workbook(hostile.far_row_xlsx()[1])
    back = Scan.from_wire(scan.to_wire())
    assert back.extents == scan.extents and back.formulas == scan.formulas
    for wrong in [None, ("x",), ([("S", (1, "A1", 1, "A1", 1))], []), ([("S", ("1", "A1", 1, "A1", 1, True))], [])]:
        with pytest.raises(ValueError):
            Scan.from_wire(wrong)


def test_the_child_measures_the_extent_only_when_calamines_result_breaks_a_limit():
    ok, sheets, scan, _filled = _child.answer(hostile.good_xlsx()[1], "xlsx")
    assert ok == "ok" and sheets and scan is None  # no extent pass for a normal file
    ok, sheets, wire, _filled = _child.answer(hostile.far_row_xlsx()[1], "xlsx")
    assert sheets == {} and Scan.from_wire(wire).violation()[1].row_ref == "A1048576"


def test_calamines_extent_counts_filled_cells_only_where_the_sparse_rule_applies():
    small = _child.rough_extent(_child.encode_sheet([["a", ""], ["b"]]))
    assert (small.max_row, small.max_col, small.filled) == (2, 2, 4)  # the whole area, not counted
    tall = [["a"] + [""] * 9] + [[""] * 10 for _ in range(sheetscan.SPARSE_CELLS // 10)] + [[None, 0.0, "x"]]
    extent = _child.rough_extent(_child.encode_sheet(tall))
    assert extent.filled == 3  # "a", 0.0 and "x"; "" and None (also the padding of the short row) are empty
    assert extent.violation() == "sparse"


def test_filled_down_formulas_are_seen_with_and_without_a_stored_result():
    # Excel writes a filled-down formula as a self-closing <f t="shared" si="0"/>
    cells = (b'<row r="20"><c r="C20" t="e"><f t="shared" ref="C20:C21" si="0">1/0</f><v>#DIV/0!</v></c></row>'
             b'<row r="21"><c r="C21" t="e"><f t="shared" si="0"/><v>#DIV/0!</v></c>'
             b'<c r="D21"><f t="shared" si="1"/></c><c r="A0" t="e"><v>#N/A</v></c></row>')
    data = hostile.rewrite(hostile.good_xlsx()[1], hostile.SHEET1,
                           lambda old: old.replace(b"</sheetData>", cells + b"</sheetData>"))
    scan = scan_workbook(data)
    assert scan.errors["Aktivitäten"] == [(19, 2, "#DIV/0!"), (20, 2, "#DIV/0!")]  # "A0" is no cell
    assert scan.formulas == [("Aktivitäten", "D21")]


_CELL_PARTS = st.sampled_from([
    b'<c r="A1">', b'<c r="B2" s="1">', b'<c r="C3" t="n">', b'<c r="D4" t="s">', b"<c>", b"<col/>",
    b"<f>A1+1</f>", b'<f t="shared" si="0"/>', b"<v>60</v>", b"<v>60.25</v>", b"<v>600</v>", b"<v>6</v>",
    b"<v>60.</v>", b"<v>60.123456789012345678901</v>", b"</c>", b"<row>", b"</row>", b" ", b"\n", b"<v>",
    b"60", b"</v>", b'<is><t>&lt;v&gt;60</t></is>',
])


@settings(deadline=None)
@given(st.lists(_CELL_PARTS, max_size=40))
@example([b'<c r="A1">', b"<v>600</v>", b'<c r="A1">', b"<v>60</v>"])  # a 600 before: the later cell once
def test_serial_60_cells_are_found_around_each_60_as_by_the_pattern_over_the_piece(parts: list[bytes]) -> None:
    piece = b"".join(parts)
    assert ([m.span() for m in sheetscan._serial_60_matches(piece)]
            == [m.span() for m in sheetscan._SERIAL_60.finditer(piece)])

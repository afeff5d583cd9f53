"""The inventory template: headers, drop-downs, number checks, examples and the guide sheet."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from soni import grid, schema
from soni.intake.workbook import load_sheets
from soni.template import EXAMPLE_MARK, LAST_ROW, build_template

ROOT = Path(__file__).resolve().parent.parent
CANONICAL = (schema.TITEL, schema.BESCHREIBUNG, schema.QUARTIER, schema.TRAEGER, schema.ZIELGRUPPE,
             schema.ART, schema.BEGINN, schema.ENDE, schema.STUNDEN, schema.TEILNEHMENDE, schema.KOSTEN,
             schema.EHRENAMTLICHE)


@pytest.fixture(scope="module")
def data() -> bytes:
    return build_template()


@pytest.fixture(scope="module")
def book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def header(book) -> list[str]:
    return [c.value for c in book["Aktivitäten"][1] if c.value is not None]


def _validation_for(ws, column: str, header: list[str]):
    """The data validation whose range covers ``column`` from row 2 down."""
    letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
    found = [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref]
    assert len(found) == 1, column
    return found[0]


def _list_values(book, formula: str) -> list[str]:
    """The values of a list validation: an inline list or a range on another sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.lstrip("=").split("!")
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    ws = book[sheet.strip("'")]
    return [ws.cell(r, c).value for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


def test_bytes_are_xlsx_and_deterministic(data):
    assert data[:2] == b"PK"
    assert build_template() == data


def test_sheets(book):
    assert book.sheetnames[:2] == ["Aktivitäten", "Anleitung"]


def test_headers_are_canonical_plus_optional_soni_columns(header):
    assert header[: len(CANONICAL)] == list(CANONICAL)
    assert header[len(CANONICAL):] == [schema.SONI_FELD, schema.SONI_ASPEKT]
    for name in header:  # every header is a canonical name (or the SONI column the upload is taken at)
        assert name in schema.CANON_BY_NAME or name in (schema.SONI_FELD, schema.SONI_ASPEKT)


def test_frozen_header(book):
    assert book["Aktivitäten"].freeze_panes == "A2"


def test_field_dropdown(book, header):
    dv = _validation_for(book["Aktivitäten"], schema.SONI_FELD, header)
    assert dv.type == "list"
    assert _list_values(book, dv.formula1) == list(grid.FIELD_VALUES)


def test_aspect_dropdown_reads_the_twelve_labels(book, header):
    dv = _validation_for(book["Aktivitäten"], schema.SONI_ASPEKT, header)
    assert dv.type == "list"
    assert _list_values(book, dv.formula1) == list(grid.ASPECT_LABELS)


@pytest.mark.parametrize("column", [schema.STUNDEN, schema.TEILNEHMENDE, schema.KOSTEN, schema.EHRENAMTLICHE])
def test_number_validation(book, header, column):
    dv = _validation_for(book["Aktivitäten"], column, header)
    assert dv.type in ("decimal", "whole")
    assert dv.operator == "greaterThanOrEqual" and dv.formula1 == "0"
    assert dv.error  # a German message says what belongs there
    max_row = max(range_boundaries(str(r))[3] for r in dv.sqref.ranges)
    assert max_row == LAST_ROW


def test_two_example_rows_marked_and_valid(book, header):
    ws = book["Aktivitäten"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=4)]
    titel = header.index(schema.TITEL)
    assert all(str(r[titel]).startswith(EXAMPLE_MARK) for r in rows[:2])
    assert all(v is None for v in rows[2])
    feld, aspekt = header.index(schema.SONI_FELD), header.index(schema.SONI_ASPEKT)
    for r in rows[:2]:
        if r[feld]:
            field = grid.parse_field(r[feld])
            assert field in grid.FIELD_NAMES
            assert grid.parse_aspect(r[aspekt], field) is not None


def test_guide_explains_columns_and_grid(book, header):
    text = "\n".join(str(v) for row in book["Anleitung"].iter_rows(values_only=True) for v in row if v)
    for name in header:
        assert name in text
    for canon in schema.CANON:
        if canon.name in header or canon.name in (schema.IN_FELD, schema.IN_ASPEKT):
            assert canon.help in text, canon.name
    for f in grid.FIELDS:
        assert f.name in text and f.refers_to in text and f.level in text
    for a in grid.ASPECTS:
        assert a.key in text and a.label in text and a.wording in text
    assert EXAMPLE_MARK in text


def test_committed_template_matches(data):
    committed = ROOT / "data" / "Vorlage_SONI_Inventar.xlsx"
    assert load_sheets(committed.read_bytes(), "xlsx") == load_sheets(data, "xlsx")


"""Formula-injection safety of CSV and xlsx exports, checked with real readers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from soni.export import safe

DANGEROUS = ["=1+1", "+49 170 1234567", "-x", "@SUM(A1)", "\tTab", "\rCR", "  =HYPERLINK(\"x\")",
             "\n-2+3", "＝1+1"]
HARMLESS = ["Nordstadt", "Müttercafé „Am Markt“", "", "1+1", "a=b", "'schon", "Kosten: -5 €"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_apostrophe(text):
    out = safe.neutralise(text)
    assert out == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_unchanged(text):
    assert safe.neutralise(text) == text


def test_neutralise_missing_and_non_text():
    assert safe.neutralise(None) == ""
    assert safe.neutralise(float("nan")) == ""
    assert safe.neutralise(pd.NA) == ""
    assert safe.neutralise(-5) == "'-5"  # as *text* a minus sign is a trigger


@given(st.text())
def test_neutralised_text_never_starts_a_formula(text):
    out = safe.neutralise(text)
    assert not safe.needs_neutralising(out)
    assert out.endswith(text)  # nothing of the user's text is lost
    assert out in (text, "'" + text)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Titel": pd.Series(["=1+1", "+49 170", "-x", "@SUM(A1)", "Café"], dtype="str"),
            "Zahl": [-5.0, 1234.5, None, 0.25, 3.0],
            "Anzahl": pd.array([1, None, 3, -4, 5], dtype="Int64"),
            "Quartier": pd.Categorical(["=A", "Nord", "Nord", "-S", "Süd"]),
            "Gemischt": pd.Series(["-1", -1, None, "x", 2.5], dtype=object),
            "Beginn": pd.to_datetime(["2024-03-01", None, "2023-12-31", "2024-01-15", "2022-06-30"]),
            "=Kopf": ["a", "b", "c", "d", "e"],
        }
    )


def _csv_columns(data: bytes) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    return {name: [r[i] for r in rows[1:]] for i, name in enumerate(rows[0])}


def test_csv_neutralises_only_text():
    col = _csv_columns(safe.to_csv_bytes(_frame()))
    assert col["Quartier"] == ["'=A", "Nord", "Nord", "'-S", "Süd"]  # categorical text too
    assert col["Zahl"][0] == "-5"  # a number stays a number
    assert col["Anzahl"][3] == "-4" and col["Anzahl"][1] == ""
    assert col["Gemischt"] == ["'-1", "-1", "", "x", "2,5"]  # the text "-1" vs the number -1
    assert "'=Kopf" in col


def _reference_cell(value: object) -> str:
    """What one cell must read as, written out plainly (the writer works on distinct values)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return safe.neutralise(value)


_CELLS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=True, allow_infinity=False, width=32), st.dates(),
                   st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8),
                   st.sampled_from(["=1", " -2", "a;b", 'x"y', "Zeile\nzwei", "1", "True", ""]))


@given(st.lists(st.tuples(_CELLS, _CELLS), min_size=1, max_size=30), st.integers(1, 7))
def test_csv_cells_match_a_plain_per_cell_reading(rows, chunk_rows):
    frame = pd.DataFrame({"a": pd.Series([r[0] for r in rows], dtype=object),
                          "b": pd.Series([r[1] for r in rows], dtype=object)})
    stream = io.BytesIO()
    safe.write_csv(frame, stream, chunk_rows=chunk_rows)
    assert stream.getvalue() == safe.to_csv_bytes(frame)
    col = _csv_columns(stream.getvalue())
    assert col["a"] == [_reference_cell(r[0]) for r in rows]
    assert col["b"] == [_reference_cell(r[1]) for r in rows]


_TEXTS = st.one_of(st.none(), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=6),
                  st.sampled_from(["=1", " -2", "a;b", 'x"y', "Zeile\nzwei", "\u00a0@x", "Nord", ""]))


@given(st.lists(_TEXTS, min_size=1, max_size=40), st.sampled_from(["object", "str", "category"]),
       st.integers(1, 40), st.integers(1, 7))
def test_csv_text_columns_repeated_or_distinct_match_neutralise(texts, dtype, repeat, chunk_rows):
    """Text-only columns (repeating: one cell per distinct text; mostly different: every cell on its own)."""
    values = (texts * repeat)[:max(len(texts), 60)]
    frame = pd.DataFrame({"t": pd.Series(values, dtype=dtype), "n": 1})  # n: an empty text still makes a row
    stream = io.BytesIO()
    safe.write_csv(frame, stream, chunk_rows=chunk_rows)
    assert stream.getvalue() == safe.to_csv_bytes(frame)
    assert _csv_columns(stream.getvalue())["t"] == [_reference_cell(v) for v in values]


def test_csv_long_text_columns_take_both_ways_alike(monkeypatch):
    """Above the sample the writer decides by the top rows; both ways give the same bytes."""
    rows = 5_000
    repeating = [f"=Angebot {i % 7}" if i % 3 else f"Treff; {i % 11}" for i in range(rows)]
    distinct = [f'Gruppe "{i}"' if i % 5 else f"-{i}" for i in range(rows)]
    frame = pd.DataFrame({"a": repeating, "b": pd.Series(distinct, dtype="str"), "c": distinct[::-1]})
    written = safe.to_csv_bytes(frame)
    monkeypatch.setattr(safe, "_REPEAT_SAMPLE", 0)  # an empty sample: every column dictionary-encoded
    assert safe.to_csv_bytes(frame) == written
    col = _csv_columns(written)
    assert col["a"] == [safe.neutralise(v) for v in repeating]
    assert col["b"] == col["c"][::-1] == [safe.neutralise(v) for v in distinct]


def test_csv_typed_columns():
    frame = pd.DataFrame({"Flag": pd.array([True, None, False], dtype="boolean"),
                          "Zahl": [0.1, float("nan"), 1e20],
                          "Tag": pd.to_datetime(["2024-02-29 13:00", None, "1999-12-31 00:00"], utc=True)})
    col = _csv_columns(safe.to_csv_bytes(frame))
    assert col["Flag"] == ["True", "", "False"]
    assert col["Zahl"] == ["0,1", "", "100000000000000000000"]
    assert col["Tag"] == ["2024-02-29", "", "1999-12-31"]


def test_csv_for_german_excel():
    data = safe.to_csv_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so Excel detects UTF-8
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[-1] == "'=Kopf"
    col = {name: [r[i] for r in body] for i, name in enumerate(header)}
    assert col["Titel"] == ["'=1+1", "'+49 170", "'-x", "'@SUM(A1)", "Café"]
    assert col["Zahl"][:2] == ["-5", "1234,5"]  # numbers stay numbers, decimal comma
    assert col["Anzahl"][3] == "-4"
    assert col["Beginn"][0] == "2024-03-01" and col["Beginn"][1] == ""
    # no cell of the file starts a formula
    for row in rows:
        for cell in row:
            assert not (cell[:1] in "=+@" and cell), cell


def test_xlsx_text_is_string_never_formula():
    df = _frame()
    data = safe.to_xlsx_bytes({"Daten": df})
    wb = openpyxl.load_workbook(io.BytesIO(data))  # formulas would come back as "=..." with type "f"
    ws = wb["Daten"]
    header = [c.value for c in ws[1]]
    assert header[-1] == "=Kopf" and ws.cell(1, len(header)).data_type == "s"
    titles = [ws.cell(r, 1) for r in range(2, 7)]
    assert [c.value for c in titles] == ["=1+1", "+49 170", "-x", "@SUM(A1)", "Café"]  # exactly as written
    assert all(c.data_type == "s" for c in titles)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    zahl = [ws.cell(r, 2).value for r in range(2, 7)]
    assert zahl == [-5, 1234.5, None, 0.25, 3]
    assert ws.cell(2, 3).data_type == "n" and ws.cell(3, 3).value is None
    assert ws.cell(2, 5).value == "-1" and ws.cell(2, 5).data_type == "s"
    assert ws.cell(3, 5).value == -1 and ws.cell(3, 5).data_type == "n"
    assert ws.cell(2, 6).value == dt.datetime(2024, 3, 1)
    assert ws.cell(2, 6).number_format == "dd.mm.yyyy"
    # the pipeline's reader sees the same strings
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Daten").to_python()
    assert [r[0] for r in sheet[1:]] == ["=1+1", "+49 170", "-x", "@SUM(A1)", "Café"]


def test_xlsx_sheet_names_valid_and_unique():
    frames = {"Quartier/Feld: Übersicht [alle] mit sehr langem Namen": pd.DataFrame({"a": [1]}),
              "Daten": pd.DataFrame({"b": ["x"]}), "daten": pd.DataFrame({"c": ["y"]})}
    wb = openpyxl.load_workbook(io.BytesIO(safe.to_xlsx_bytes(frames)))
    names = wb.sheetnames
    assert len(names) == 3 and len({n.casefold() for n in names}) == 3
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_xlsx_index_and_empty():
    df = pd.DataFrame({"Anzahl": [2, 3]}, index=pd.Index(["Nord", "Süd"], name="Quartier"))
    wb = openpyxl.load_workbook(io.BytesIO(safe.to_xlsx_bytes({"T": df}, index=True)))
    ws = wb["T"]
    assert [c.value for c in ws[1]] == ["Quartier", "Anzahl"]
    assert [c.value for c in ws[3]] == ["Süd", 3]
    empty = openpyxl.load_workbook(io.BytesIO(safe.to_xlsx_bytes({"Leer": pd.DataFrame()})))
    assert empty.sheetnames == ["Leer"]


def test_write_csv_in_small_blocks_gives_the_same_bytes_and_quotes_only_where_needed():
    import io as _io

    frame = pd.DataFrame({"Titel": ["a;b", 'er sagte "ja"', "Zeile\nzwei", "=1+1", "schlicht"],
                          "Wert": [1.5, 2.0, None, 3.25, 4.0]})
    whole = safe.to_csv_bytes(frame)
    stream = _io.BytesIO()
    safe.write_csv(frame, stream, chunk_rows=2)
    assert stream.getvalue() == whole
    lines = whole.decode("utf-8-sig").split("\r\n")
    assert lines[1] == '"a;b";1,5'
    assert lines[2] == '"er sagte ""ja""";2'
    assert lines[3] == '"Zeile\nzwei";'
    assert lines[4:6] == ["'=1+1;3,25", "schlicht;4"]


def test_whole_numbers_in_a_mixed_column_are_written_without_decimals():
    import io

    import openpyxl
    import pandas as pd

    from soni.export import safe

    frame = pd.DataFrame({"Angabe": ["Aktivitäten", "Anteil", "Text"], "Wert": [40, 1.5, "x"]})
    book = openpyxl.load_workbook(io.BytesIO(safe.to_xlsx_bytes({"Info": frame})))
    ws = book["Info"]
    assert (ws["B2"].value, ws["B2"].number_format) == (40, "#,##0")
    assert ws["B3"].number_format == "#,##0.00"

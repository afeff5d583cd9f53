"""Stage normalise: German numbers, date forms and periods, Quartier names, text."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from soni import normalise, schema
from soni.report import Report


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.200,50", 1200.5), ("1.200", 1200.0), ("12,5", 12.5), ("1,200,000", 1_200_000.0), ("1200.75", 1200.75),
     ("ca. 12", 12.0), ("10-15", 12.5), ("10 – 20 Personen", 15.0), ("350 €", 350.0), ("1,5 Std.", 1.5),
     ("rund 1.000 EUR", 1000.0), ("-21,35", -21.35), (7, 7.0), (2.5, 2.5)],
)
def test_parse_number_reads_german_forms(text: object, value: float) -> None:
    assert normalise.parse_number(text)[0] == pytest.approx(value)


@pytest.mark.parametrize("text", ["viele", "ab und zu", "12 Äpfel und Birnen"])
def test_parse_number_refuses_words_with_a_reason(text: str) -> None:
    number, note = normalise.parse_number(text)
    assert math.isnan(number)
    assert note and text in note


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_parse_number_round_trips_german_formatting(value) -> None:
    whole, frac = f"{abs(value):,.2f}".split(".")
    german = ("-" if value < 0 else "") + whole.replace(",", ".") + "," + frac
    assert normalise.parse_number(german)[0] == pytest.approx(float(value), abs=0.005)


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [("03/2025", "2025-03-01", normalise.MONTH), ("3.2025", "2025-03-01", normalise.MONTH),
     ("seit 2019", "2019-01-01", normalise.YEAR), ("2021", "2021-01-01", normalise.YEAR),
     ("01.09.2024", "2024-09-01", normalise.DAY), ("2024-05-17", "2024-05-17", normalise.DAY),
     ("März 2023", "2023-03-01", normalise.MONTH), ("ab Okt. 2022", "2022-10-01", normalise.MONTH),
     ("Q3 2024", "2024-07-01", normalise.QUARTER), ("2023/24", "2023-01-01", normalise.YEAR),
     (45292, "2024-01-01", normalise.DAY), (2022, "2022-01-01", normalise.YEAR),
     (pd.Timestamp("2024-02-29"), "2024-02-29", normalise.DAY)],
)
def test_parse_date_reads_office_forms(text: object, day: str, precision: str) -> None:
    ts, prec, problem = normalise.parse_date(text)
    assert (ts, prec, problem) == (pd.Timestamp(day), precision, None)


@pytest.mark.parametrize(("text", "start", "end", "precision"), [
    ("2022–2024", "2022-01-01", "2024-01-01", normalise.YEAR),
    ("2022-2024", "2022-01-01", "2024-01-01", normalise.YEAR),
    ("01/2023 - 12/2024", "2023-01-01", "2024-12-01", normalise.MONTH),
    ("von März 2023 bis Juni 2024", "2023-03-01", "2024-06-01", normalise.MONTH),
    ("01.09.2022-31.08.2024", "2022-09-01", "2024-08-31", normalise.DAY),
    ("Q1 2023 – Q3 2024", "2023-01-01", "2024-07-01", normalise.QUARTER),
])
def test_a_span_begins_with_its_first_date_and_ends_with_its_last(text, start, end, precision) -> None:
    assert normalise.parse_date(text) == (pd.Timestamp(start), precision, None)
    assert normalise.span_end(text) == (pd.Timestamp(end), precision)


@pytest.mark.parametrize("text", ["2024-05", "2023/24", "seit 2020", "bis 2024", "2022", 2022, "2024-05-17"])
def test_a_single_date_is_no_span(text) -> None:
    assert pd.isna(normalise.span_end(text)[0]) and normalise.parse_date(text)[2] is None


@pytest.mark.parametrize("text", ["2024–2022", "2022-24", "irgendwann – bald"])
def test_a_span_backwards_or_of_words_is_no_date(text) -> None:
    assert "kein lesbares Datum" in normalise.parse_date(text)[2] and pd.isna(normalise.span_end(text)[0])


@given(st.lists(st.sampled_from(["2022", "2024", "24", "–", "-", " - ", " bis ", " ", "03/", "01.09.", "von ",
                                  "Q1 ", "März ", "seit ", "x"]), max_size=8).map("".join))
def test_a_span_never_ends_before_it_begins(text: str) -> None:
    start, _precision, _problem = normalise.parse_date(text)
    end, _end_precision = normalise.span_end(text)
    assert pd.isna(end) or (not pd.isna(start) and end >= start)


def test_spans_fill_ende_only_when_no_column_is_mapped_to_it() -> None:
    frame = pd.DataFrame({"Zeitraum": ["2022–2024", "seit 2020", None], "bis": ["2023", None, None]})
    report = Report()
    out = normalise.normalise(frame, {schema.BEGINN: "Zeitraum"}, [2, 3, 4], report, file="f.xlsx", sheet="S")
    assert out[schema.ENDE].dt.year.tolist()[0] == 2024 and out[schema.ENDE].isna().tolist()[1:] == [True, True]
    assert [p.message for p in report.problems] == [
        "1 Zeitraum als Beginn und Ende gelesen (z. B. „2022–2024“ in Zeile 2)."]
    kept = normalise.normalise(frame, {schema.BEGINN: "Zeitraum", schema.ENDE: "bis"}, [2, 3, 4], Report(),
                               file="f.xlsx", sheet="S")
    assert kept[schema.ENDE].dt.year.tolist()[0] == 2023


def test_parse_date_ongoing_is_empty_without_problem_and_nonsense_is_reported() -> None:
    assert normalise.parse_date("laufend")[2] is None
    ts, _, problem = normalise.parse_date("irgendwann")
    assert pd.isna(ts) and "irgendwann" in problem


def test_quartier_names_are_unified_and_keep_a_readable_spelling() -> None:
    names, keys = normalise.normalise_quartier(
        pd.Series([" Nordstadt", "NORDSTADT", "Nordstadt ", "nord  stadt", "Südstadt, 28195", None, ""], dtype=object))
    assert names.tolist()[:3] == ["Nordstadt"] * 3
    assert names[4] == "Südstadt"
    assert names[5] == names[6] == schema.OHNE_QUARTIER
    assert keys[0] == keys[1] == keys[2]


def test_clean_text_strips_html_and_folds_whitespace() -> None:
    assert normalise.clean_text("<p>Hilfe &amp; Rat</p>\n<ul><li>für alle</li></ul>") == "Hilfe & Rat für alle"
    assert normalise.clean_text(12.0) == "12"


def test_normalise_builds_typed_columns_periods_and_reports_bad_cells() -> None:
    frame = pd.DataFrame({"Titel": ["Café", "Tafel", "Beratung"], "Stadtteil": ["Nord", "nord ", "Süd"],
                          "Start": ["03/2025", "seit 2019", "gestern"], "TN": ["ca. 12", "viele", 3]}, dtype=object)
    mapping = {schema.TITEL: "Titel", schema.QUARTIER: "Stadtteil", schema.BEGINN: "Start",
               schema.TEILNEHMENDE: "TN"}
    report = Report()
    out = normalise.normalise(frame, mapping, [2, 3, 4], report, file="f.csv", sheet="")
    assert out[schema.TEILNEHMENDE].tolist()[0] == 12.0 and math.isnan(out[schema.TEILNEHMENDE][1])
    assert out[schema.JAHR].tolist()[:2] == [2025, 2019]
    assert out[schema.HALBJAHR].tolist() == ["2025-H1", "", ""]  # a bare year has no half-year
    assert out[schema.QUARTAL].tolist()[0] == "2025-Q1"
    assert out[schema.QUARTIER].tolist()[:2] == ["Nord", "Nord"]
    places = {(p.row, p.column) for p in report.problems if p.level == "Warnung"}
    assert (3, "TN") in places and (4, "Start") in places
    assert out[schema.STUNDEN].isna().all()  # unmapped numbers stay empty, not zero


@given(st.lists(st.text(alphabet=" \t\n\r\x0b\x1c\u00a0\u2028\u3000ab<>&;", max_size=8), min_size=1, max_size=20))
def test_texts_cleans_each_cell_as_clean_text_does(cells: list[str]) -> None:
    # texts() picks the cells needing work with one RE2 pattern; the result must equal clean_text per cell
    raw = pd.Series(cells, dtype=object)
    assert normalise.texts(raw).tolist() == [normalise.clean_text(c) for c in cells]

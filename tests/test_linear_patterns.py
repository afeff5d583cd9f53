"""The patterns that see user text agree with their former (backtracking) versions (issue #16).

The former patterns are the reference: on short adversarial strings (blanks, digits, signs,
separators, units) the new linear-time patterns must say the same. How long they take on long
strings is measured in bench/attack_regex.py, not here.
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from soni import columns, normalise, read

_OLD_NUMBER_TEXT = re.compile(r"^\s*(?:ca\.?|circa|etwa|rund|~|>|<|über|unter)?\s*[-+]?\d[\d.,\s']*"
                              r"(?:\s*[-–]\s*\d[\d.,]*)?\s*(?:€|eur|euro|std\.?|stunden|h|%|personen|tn)?\s*$",
                              re.IGNORECASE)
_OLD_NUMERIC_RE = re.compile(r"^\s*[-+]?[\d.,\s]+(?:€|%)?\s*$")
_OLD_DATE_TEXT = re.compile(
    r"^\s*(?:(?:seit|ab|bis|ca\.?)\s+)?(?:\d{1,2}\.\s*\d{1,2}\.\s*\d{2,4}|\d{4}-\d{1,2}(?:-\d{1,2})?|"
    r"\d{1,2}\s*[/.]\s*\d{4}|(?:19|20)\d{2}|[a-zäöü]+\.?\s+(?:19|20)\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
    r"(?:\s.*)?$",
    re.IGNORECASE,
)
_OLD_TAG = re.compile(r"<[^>]{0,500}>")

# Pieces that the patterns care about: every kind of blank, digits, signs, separators, units.
_PIECES = [" ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "1", "12", "0", ".", ",", "'", "-", "–", "+",
           "€", "%", "h", "std.", "Std", "eur", "euro", "EUR", "tn", "ca.", "ca", "circa", "~", "<", ">",
           "über", "x", "a", "ü", "2023", "19", "20", "/", "seit ", "März", "Jan."]
adversarial = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(adversarial)
def test_number_text_agrees_with_the_former_pattern(text: str) -> None:
    assert columns._is_number(text) == bool(_OLD_NUMBER_TEXT.match(text))


@settings(max_examples=1500, deadline=None)
@given(adversarial)
def test_date_text_agrees_with_the_former_pattern(text: str) -> None:
    assert bool(columns._DATE_TEXT.match(text)) == bool(_OLD_DATE_TEXT.match(text))


@settings(max_examples=1500, deadline=None)
@given(adversarial)
def test_header_number_agrees_with_the_former_pattern(text: str) -> None:
    assert read._looks_numeric(text) == bool(_OLD_NUMERIC_RE.match(text))


def test_the_reported_cells_are_text_not_numbers() -> None:
    """The cells of the report (as cells, not timed): long blank runs around one digit, then "x"."""
    for cell in (" " * 350 + "1" + " " * 350 + "x", " " * 3200 + "x", "1 " * 5000 + "x", "1\t" * 2000 + "x"):
        assert not columns._is_number(cell)
        assert not read._looks_numeric(cell)
    assert columns._is_number(" " * 300 + "1.200,50 €" + " " * 300)
    assert read._looks_numeric(" " * 300 + "- 1.200 %" + " " * 300)


def test_a_cell_beyond_the_limit_is_text() -> None:
    """The work per cell is bounded: past MAX_PATTERN_TEXT a cell is text without any matching."""
    long_number = "1" * (columns.MAX_PATTERN_TEXT + 1)
    assert not columns._is_number(long_number)
    assert not columns._is_datelike("2024 " + "x" * columns.MAX_PATTERN_TEXT)
    assert columns._is_number("1" * columns.MAX_PATTERN_TEXT)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["<b>", "</i>", '<a href="x">', ">", "a", " ", "1", "&amp;", "x"]), max_size=16)
       .map("".join))
def test_tags_are_removed_as_before(text: str) -> None:
    """Tags go as before; only text between two "<" is no longer taken for one tag (never HTML)."""
    assert normalise._TAG.sub(" ", text) == _OLD_TAG.sub(" ", text)


def test_a_lone_bracket_does_not_swallow_the_next_tag() -> None:
    assert normalise.clean_text("a < b <i>c</i>") == "a < b c"
    assert normalise.parse_number("1" * 500)[1] == f"„{'1' * 59}…“ ist keine Zahl"
    assert normalise.parse_date("seit " * 100)[2].endswith("…“ ist kein lesbares Datum")


def test_the_reported_csv_is_read_with_every_row_and_the_cells_as_text() -> None:
    """The issue's file, made here: a 794-byte-like CSV whose cells hold 350 blanks, "1", 350 blanks, "x"
    (number and date columns alike) and a header cell of 3,200 blanks + "x", through the whole pipeline
    (it took 15.6 s per cell and 385 s for the 1.7 KB variant with the former patterns; time: bench/)."""
    from soni import pipeline, schema

    attack = " " * 350 + "1" + " " * 350 + "x"
    rows = ["Titel;Stadtteil;Teilnehmende;Beginn;" + " " * 3200 + "x",
            f"Treff;Nordstadt;{attack};{attack};a",
            f"Chor;Südstadt;12;03/2024;{attack}", "Kurs;Altstadt;8;04/2024;b", "Café;Altstadt;5;05/2024;c"]
    inv = pipeline.run([("angriff.csv", "\r\n".join(rows).encode("utf-8"))])
    assert inv.activities[schema.TITEL].tolist() == ["Treff", "Chor", "Kurs", "Café"]  # every row kept
    assert inv.activities[schema.TEILNEHMENDE].tolist()[1:] == [12, 8, 5]
    assert inv.mappings["angriff.csv"][schema.BESCHREIBUNG] == "x"  # the long header cell, blanks stripped
    unreadable = {(p.row, p.column) for p in inv.report.problems if "x“ ist kein" in p.message}
    assert unreadable == {(2, "Teilnehmende"), (2, "Beginn")}  # the attack cells: text, said so

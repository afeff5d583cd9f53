"""Property tests (hypothesis) for CSV decoding, delimiter sniffing and parsing, and German numbers.

Random tables of German text and number cells — with ``;`` ``,`` tabs, quotes, line breaks,
umlauts and empty cells inside — are written with Python's csv module in every delimiter and
encoding a German office produces; ``soni.intake.text`` must give back exactly the written cells.
``soni.normalise.parse_number`` must read German-written numbers (thousand dots, decimal comma,
"ca.", "€", ranges) as their value. All generated text is invented.
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from soni import normalise
from soni.intake import sniff
from soni.intake.text import parse_csv
from soni.report import Report

DELIMITERS = (";", ",", "\t", "|")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
#: Header words as inventories have them (no delimiter inside: a header row is plain words).
HEADER_WORDS = ("Titel", "Beschreibung", "Quartier", "Träger", "Zielgruppe", "Beginn", "Ende", "Stunden",
                "Teilnehmende", "Kosten (€)", "Ehrenamtliche", "Angebotsart", "Straße", "Bemerkung")
ALPHABET = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZäöüÄÖÜßéèç0123456789"
            " ;,\t|\"'.-–€()/:!?„“&%\n")
#: Our own CSV downloads escape formula-like text with a leading apostrophe; text.parse_csv undoes
#: that on purpose, so such a cell does not come back byte for byte (tested in test_read).
OWN_ESCAPE = re.compile(r"'\s*[=+\-@\t\r]")

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def german_number(draw) -> str:
    integer = draw(st.integers(0, 10**7))
    text = f"{integer:,}".replace(",", ".") if draw(st.booleans()) else str(integer)
    decimals = draw(st.sampled_from(["", "5", "50", "25", "125"]))
    return text + ("," + decimals if decimals else "") + draw(st.sampled_from(["", " €", "€"]))


@st.composite
def cells(draw) -> str:
    kind = draw(st.sampled_from(["text", "text", "number", "empty"]))
    if kind == "empty":
        return ""
    if kind == "number":
        return german_number(draw)
    return draw(st.text(alphabet=ALPHABET, min_size=1, max_size=24).filter(lambda s: not OWN_ESCAPE.match(s)))


@st.composite
def tables(draw) -> list[list[str]]:
    """A header of distinct words and 1-15 rows of the same width (2-6 columns)."""
    header = draw(st.lists(st.sampled_from(HEADER_WORDS), min_size=2, max_size=6, unique=True))
    rows = draw(st.lists(st.lists(cells(), min_size=len(header), max_size=len(header)), min_size=1, max_size=15))
    return [header, *rows]


def write(rows: list[list[str]], delimiter: str, newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def encodable(text: str, encoding: str) -> bool:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return False
    if encoding == "cp1252" and not text.isascii():
        # cp1252 bytes that happen to be valid UTF-8 (e.g. "ß€" = DF 80) cannot be told apart from
        # UTF-8 by any decoder; real German text practically never contains such pairs.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False
    return True


@PROPERTY
@given(rows=tables(), delimiter=st.sampled_from(DELIMITERS), encoding=st.sampled_from(ENCODINGS),
       newline=st.sampled_from(["\r\n", "\n"]))
@example(rows=[["Titel", "Kosten (€)"], ["Treff; offen, für „alle“", "1.234,50 €"], ["", '"Zitat"\nzweite Zeile']],
         delimiter=";", encoding="cp1252", newline="\r\n")
@example(rows=[["Titel", "Stunden"], ["1,5", "2,5"], ["3,5", "4,5"]], delimiter=";", encoding="utf-8",
         newline="\r\n")
@example(rows=[["Titel", "Beschreibung"], ["Treff; offen", "Kaffee, Kuchen"], ["Café; Nord; Süd", "Spiele, Musik"],
               ["Rat; a; b; c", "Hilfe, Rat"]], delimiter=";", encoding="utf-8", newline="\r\n")
@example(rows=[["Titel", "Quartier", "Stunden"], ["a\tb", "", ""]], delimiter="\t", encoding="utf-16",
         newline="\r\n")
def test_written_csv_comes_back_cell_for_cell(rows, delimiter, encoding, newline):
    text = write(rows, delimiter, newline)
    assume(encodable(text, encoding))
    data = text.encode(encoding)
    decoded, _name = sniff.decode_text(data)
    assert decoded == text
    assert sniff.sniff_delimiter(decoded) == delimiter
    report = Report()
    assert parse_csv(data, "erfunden.csv", report) == rows
    assert not report.has_errors


@PROPERTY
@given(rows=tables())
def test_utf16_without_bom_is_decoded_too(rows):
    """UTF-16 little-endian without a byte order mark (Excel's "Unicode-Text" minus the BOM)."""
    text = write(rows, "\t")
    assert parse_csv(text.encode("utf-16-le"), "erfunden.csv", Report()) == rows


# --- German numbers ----------------------------------------------------------------------------

@st.composite
def written_numbers(draw) -> tuple[str, float]:
    """A non-negative German-written number and its value."""
    integer = draw(st.integers(0, 10**9))
    decimals = draw(st.sampled_from(["", "5", "05", "25", "75", "125"]))
    dots = draw(st.booleans())
    text = f"{integer:,}".replace(",", ".") if dots else str(integer)
    if decimals:
        text += "," + decimals
    return text, float(f"{integer}.{decimals}" if decimals else str(integer))


APPROX = st.sampled_from(["ca. ", "ca.", "ca ", "Ca. ", "circa ", "etwa ", "rund ", "ungefähr "])
EURO = st.sampled_from(["", " €", "€", " EUR", " Euro"])


@settings(max_examples=200, deadline=None)
@given(number=written_numbers(), approx=st.one_of(st.just(""), APPROX), euro=EURO, negative=st.booleans())
@example(number=("1.234,50", 1234.5), approx="", euro=" €", negative=False)
@example(number=("1.000", 1000.0), approx="ca. ", euro="", negative=False)
@example(number=("0,5", 0.5), approx="", euro="", negative=True)
def test_german_numbers_are_read_as_their_value(number, approx, euro, negative):
    text, value = number
    if negative:
        text, value = "-" + text, -value
    parsed, note = normalise.parse_number(f"{approx}{text}{euro}")
    assert parsed == value
    assert note == (normalise.NOTE_APPROX if approx else None)


@settings(max_examples=150, deadline=None)
@given(low=written_numbers(), high=written_numbers(), sep=st.sampled_from(["-", " - ", "–", " – ", " bis "]),
       approx=st.one_of(st.just(""), APPROX), euro=EURO, euro_both=st.booleans())
@example(low=("10", 10.0), high=("20", 20.0), sep="-", approx="", euro="", euro_both=False)
@example(low=("1.000", 1000.0), high=("1.500,50", 1500.5), sep=" bis ", approx="ca. ", euro=" €", euro_both=True)
def test_ranges_are_read_as_their_middle(low, high, sep, approx, euro, euro_both):
    text = f"{approx}{low[0]}{euro if euro_both else ''}{sep}{high[0]}{euro}"
    parsed, note = normalise.parse_number(text)
    assert parsed == (low[1] + high[1]) / 2, text
    assert note == normalise.NOTE_RANGE


def test_utf16_without_bom_full_of_non_latin_signs_is_decoded():
    """Cells of dashes, typographic quotes and euro signs have no NUL high byte in UTF-16."""
    rows = [["Titel", "Ort"], ["––––––––––", "€€€„“–––"], ["–", "„–“"]]
    text = write(rows, "\t")
    assert parse_csv(text.encode("utf-16-le"), "erfunden.csv", Report()) == rows
    assert parse_csv(text.encode("utf-16-be"), "erfunden.csv", Report()) == rows

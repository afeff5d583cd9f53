"""soni.intake.sniff and soni.intake.text: encodings, delimiters, CSV read strictly or repaired line by line."""

from __future__ import annotations

import pytest

from soni import read
from soni.intake import sniff
from soni.intake.text import parse_csv
from soni.report import Report
from tests.files import csv_bytes

UMLAUT_ROWS = [["Titel", "Quartier", "Kosten"], ["Männertreff „Grüße“ – Straßenfest", "Südstadt", "1.200,50"]]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16"), ("cp1252", "Windows-1252")],
)
def test_decode_text_keeps_umlauts_in_every_encoding(encoding: str, expected: str) -> None:
    data = csv_bytes(UMLAUT_ROWS, encoding=encoding)
    text, name = sniff.decode_text(data)
    assert name == expected
    assert "Männertreff „Grüße“ – Straßenfest" in text
    assert "\ufffd" not in text


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_sniff_delimiter_ignores_delimiters_inside_quotes(delimiter: str) -> None:
    rows = [["Titel", "Beschreibung", "Kosten"],
            ["Café", "Kaffee, Kuchen; Gespräche\tund mehr", "12,50"],
            ["Tafel", "Lebensmittel, jeden Dienstag", "1.000"]]
    text, _ = sniff.decode_text(csv_bytes(rows, delimiter=delimiter))
    assert sniff.sniff_delimiter(text) == delimiter


def test_csv_multiline_quoted_cells_and_mixed_line_endings() -> None:
    data = 'Titel;Beschreibung\r\nCafé;"Zeile eins\nZeile zwei"\nTafel;Essen\r\n'.encode()
    report = Report()
    table = read.table_from_sheets({"": parse_csv(data, "a.csv", report)}, "a.csv", report)
    assert table.frame["Beschreibung"].tolist() == ["Zeile eins\nZeile zwei", "Essen"]
    assert table.rows == [2, 3]


def test_csv_apostrophe_escape_of_our_own_downloads_is_undone() -> None:
    data = b"Titel;Notiz\r\n'=SUMME(A1);'-5 Grad\r\nEin 'Zitat';'Anfang\r\n"
    report = Report()
    rows = parse_csv(data, "a.csv", report)
    assert rows[1] == ["=SUMME(A1)", "-5 Grad"]
    assert rows[2] == ["Ein 'Zitat'", "'Anfang"]


def test_csv_unclosed_quote_is_read_line_by_line_and_reported_with_the_row() -> None:
    data = b'Titel;Quartier\r\nCaf\xc3\xa9;Nord\r\n"Tafel;S\xc3\xbcd\r\nChor;West\r\n'
    report = Report()
    rows = parse_csv(data, "a.csv", report)
    assert rows == [["Titel", "Quartier"], ["Café", "Nord"], ['"Tafel', "Süd"], ["Chor", "West"]]
    repaired = [p for p in report.problems if p.message.startswith("CSV repariert")]
    assert [(p.row, p.file) for p in repaired] == [(3, "a.csv")]


BROKEN = ('Titel;Beschreibung;Quartier;Betrag\r\n'
          'Café;Offener "Treff" für alle;Nord;100\r\n'  # quotes inside an unquoted cell: fine as it is
          '"Tafel;Ausgabe;Süd;200\r\n'  # a quote never closed
          'Chor;"mehrzeilig\r\nzweite Zeile";West;300\r\n'  # a real cell over two lines
          'Beratung;Hilfe bei "Anträgen;Ost;400\r\n'  # a stray quote that a later one would close
          'Kleiderkammer;Kleidung;Nord;500\r\n'
          'Repair;Geräte" reparieren;Süd;600\r\n'
          '"Zitat" am Anfang;Text;Ost;700\r\n')  # text after a closing quote


def test_csv_with_broken_quoting_keeps_every_line_and_reports_each_repair() -> None:
    report = Report()
    rows = parse_csv(BROKEN.encode("utf-8"), "b.csv", report)
    assert [r[0] for r in rows] == ["Titel", "Café", '"Tafel', "Chor", "Beratung", "Kleiderkammer", "Repair",
                                    '"Zitat" am Anfang']
    assert rows[3] == ["Chor", "mehrzeilig\nzweite Zeile", "West", "300"]
    assert all(len(r) == 4 for r in rows)
    repaired = {p.row: p.message for p in report.problems if p.message.startswith("CSV repariert")}
    assert sorted(repaired) == [3, 5, 7, 8]
    assert "Textzeile 9 der Datei" in repaired[8]  # the record number and the line in the file differ


def test_stray_quotes_that_pair_up_do_not_swallow_the_lines_between() -> None:
    text = "A;B;C\nx;\"eins;1\ny;zwei;2\nz;drei\";3\n"
    report = Report()
    rows = parse_csv(text.encode(), "c.csv", report)
    assert [r[0] for r in rows] == ["A", "x", "y", "z"]
    assert sum(p.message.startswith("CSV repariert") for p in report.problems) == 2


# --- the sheet scan: done by the reader child, by the guard when the child gives none -------------

"""The whole hostile corpus (tests/hostile.py) through ``soni.pipeline.run`` and ``python -m soni classify``.

Every input has one expected outcome (``EXPECTED``): refused with a German message that names
what is wrong (``InputError``; on the command line exit 2 and one ``Fehler:`` line with the file
name, no traceback) — or read cleanly with every data row kept (exit 0; every row in the output,
formula-like text neutralised in CSV and string-typed in xlsx, ``<script>`` kept as literal text).
All table content is invented.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from soni import pipeline
from soni.report import FEHLER, InputError
from tests import hostile

ROOT = Path(__file__).resolve().parents[1]
TITLES = tuple(str(row[0]) for row in hostile.ROWS)


@dataclass(frozen=True)
class Refused:
    """The file is refused; ``pattern`` (regex) is found in the German message, ``row`` is named if given."""

    pattern: str
    row: int | None = None


@dataclass(frozen=True)
class Read:
    """The file is read: the first column holds exactly ``titles`` (every data row, in order)."""

    titles: tuple[str, ...]
    headers: tuple[str, ...] = tuple(hostile.HEADER)
    note: str = ""  # a warning that must be in the report
    cells: tuple[str, ...] = ()  # further values that must survive (e.g. surplus fields of a ragged row)


ERROR_VALUES = tuple(f"Angebot {r} (erfunden)" for r in range(1, 8))

EXPECTED: dict[str, Refused | Read] = {
    "leer": Refused(r"leer \(0 Bytes\)"),
    "pdf_als_xlsx": Refused(r"ist aber ein PDF-Dokument, keine Tabelle"),
    "png_als_xlsx": Refused(r"ist aber ein PNG-Bild, keine Tabelle"),
    "docx_als_xlsx": Refused(r"ist aber ein Word-Dokument \(\.docx\)"),
    "text_als_xlsx": Refused(r"ist aber eine reine Textdatei"),
    "csv_als_xlsx": Read(TITLES, note="wird als CSV gelesen"),
    "html_als_xls": Refused(r"Webseite \(HTML\)"),
    "abgeschnitten": Refused(r"beschädigt oder unvollständig"),
    "verschluesselt": Refused(r"mit einem Passwort geschützt"),
    "word_doc_als_xls": Refused(r"ist aber ein Word-Dokument \(\.doc\)"),
    "falsches_xls": Refused(r"konnte nicht gelesen werden: das Lesen brach unerwartet ab"),
    "entity_bombe": Refused(r"XML-Bombe"),
    "zip_bombe": Refused(r"entpackt 1024 MB groß"),
    "riesen_text": Refused(r"entpackt 600 MB groß"),
    "ferne_zelle": Refused(r"Zelle XFD1048576"),
    "ferne_zeile": Refused(r"Zelle A1048576"),
    "ferne_formatierung": Read(TITLES),
    "riesen_sst": Refused(r"4\.000\.000\.000 verschiedene Texte"),
    "fehlerwerte": Read(ERROR_VALUES, ("Titel", "Quartier", "Stunden"), note="Excel-Fehlerwert #DIV/0!"),
    "fehlerwerte_ods": Read(("Treff (erfunden)", "Café (erfunden)", "Beratung (erfunden)", "Beratung (erfunden)"),
                            ("Titel", "Quartier", "Träger", "Stunden", "Kosten"), note="Excel-Fehlerwert #NV"),
    "fehlerwerte_xls": Read((*ERROR_VALUES, "Formel (erfunden)"), ("Titel", "Stunden"),
                            note="Excel-Fehlerwert #REF!"),
    "formel_ohne_wert": Read(("Angebot A (erfunden)", "Angebot B (erfunden)"), ("Titel", "Stunden", "Summe"),
                             note="Formel ohne gespeichertes Ergebnis"),
    "nur_kopfzeile": Refused(r"keine Datenzeilen"),
    "ohne_quartier": Read(TITLES, tuple(h for h in hostile.HEADER if h != "Quartier"),
                          note="Keine Quartier-Spalte erkannt"),
    "injektion_xlsx": Read(tuple(hostile.INJECTIONS)),
    "injektion_csv": Read(tuple(hostile.INJECTIONS)),
    "script": Read((hostile.SCRIPT,), cells=("<b>Träger</b>",)),
    "utf16_csv": Read(TITLES),
    "utf16le_ohne_bom_csv": Read(TITLES),
    "cp1252_csv": Read(TITLES),
    "ungleiche_zeilen_csv": Read(TITLES, (*hostile.HEADER, "Spalte H", "Spalte I"),
                                 note="Werte ohne Spaltenüberschrift", cells=("überzählig", "noch eins")),
    "nul_csv": Read(TITLES, note="Nullzeichen (NUL) entfernt"),
    "binaer_als_csv": Refused(r"unbekannten Format"),
    # read naively, lines 3-5 become one cell and two activities vanish: line 3 is read on its own
    # (the stray quote kept as text), lines 4-5 as usual, and the repair is reported with the line
    "offenes_anfuehrungszeichen_csv": Read((TITLES[0], '"Offenes Zitat (erfunden)', *TITLES[1:]),
                                           note="CSV repariert"),
    # kept, cut to Excel's limit of 32,767 characters, with a warning naming row and column
    "ueberlange_zelle_csv": Read(("A" * 32_767, hostile.ROWS[1][0]), note="gekürzt"),
    "riesenzelle_csv": Refused(r"länger als 1\.000\.000 Zeichen", row=2),
    "nur_kopfzeile_csv": Refused(r"keine Datenzeilen"),
    "nur_leerzeilen": Refused(r"keine (Datenzeilen|Aktivitäten)"),
    "formel_kopfzeile": Read(("Treff (erfunden)",), tuple(hostile.FORMULA_HEADER)),
    "doppelte_kopfzeilen": Read(("Treff (erfunden)",), ("Titel", "Quartier", "Stunden", "Stunden (2)", "Quartier (2)"),
                                note="kommt mehrfach vor", cells=("Südviertel",)),
    "verbundene_kopfzellen": Read(TITLES),
}

NAMES = sorted(hostile.CORPUS)
REFUSED = [n for n in NAMES if isinstance(EXPECTED.get(n), Refused)]
READ = [n for n in NAMES if isinstance(EXPECTED.get(n), Read)]
#: Text a spreadsheet would run as a formula (OWASP CSV injection), stated here independently of soni.export.
FORMULA_START = re.compile(r"^[\s\u00a0]*[=+\-@＝＋－＠\t\r]")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
#: English words of parser/library errors; a German answer may quote them only after "technisch:".
ENGLISH = re.compile(r"\b(?:field|larger|than|limit|error|invalid|unexpected|failed|found|index|bounds|"
                     r"Traceback|Exception)\b", re.IGNORECASE)


@functools.cache
def built(name: str) -> tuple[str, bytes]:
    """The corpus entry (built once per test run: the bombs take a moment)."""
    return hostile.CORPUS[name]()


def assert_german(message: str) -> None:
    """A German sentence (English parser text only as the marked technical detail)."""
    assert "Traceback" not in message
    own = message.split("technisch:", 1)[0]
    assert not ENGLISH.search(own), f"englischer Text in der Meldung: {message!r}"
    assert re.search(r"\b(?:Datei|Tabelle|Zelle|Zeile|Blatt|Teil)\b", own), message


def test_every_corpus_entry_has_an_expected_outcome():
    assert set(EXPECTED) == set(hostile.CORPUS)
    assert REFUSED and READ


# --- soni.pipeline.run ----------------------------------------------------------------------

@pytest.mark.parametrize("name", REFUSED)
def test_pipeline_refuses_with_a_german_message_naming_the_problem(name):
    expected = EXPECTED[name]
    filename, data = built(name)
    with pytest.raises(InputError) as caught:
        pipeline.run([(filename, data)])
    error = caught.value
    assert error.file == filename
    assert re.search(expected.pattern, error.message), error.located()
    assert_german(error.message)
    if expected.row is not None:
        assert error.row == expected.row or f"Zeile {expected.row}" in error.message, error.located()


@pytest.mark.parametrize("name", READ)
def test_pipeline_reads_every_row(name):
    expected = EXPECTED[name]
    filename, data = built(name)
    inventory = pipeline.run([(filename, data)])
    assert not inventory.report.of_level(FEHLER), [p.located() for p in inventory.report.of_level(FEHLER)]
    original = inventory.original
    assert tuple(str(h) for h in original.columns) == expected.headers
    assert tuple(str(v) for v in original.iloc[:, 0]) == expected.titles
    assert len(inventory) == len(expected.titles)
    every_value = {str(v) for v in original.to_numpy().ravel()}
    assert set(expected.cells) <= every_value
    if expected.note:
        assert any(expected.note in p.message for p in inventory.report.problems), \
            [p.located() for p in inventory.report.problems]
    exported = pipeline.export_frame(inventory)
    assert len(exported) == len(expected.titles)
    assert tuple(str(v) for v in exported.iloc[:, 0]) == expected.titles  # literal text, nothing stripped


def test_one_broken_file_does_not_stop_the_others():
    """A crash file and a bomb next to a good file: the good rows are read, the others reported."""
    files = [built("falsches_xls"), built("zip_bombe"), ("gut.xlsx", hostile.good_xlsx()[1])]
    inventory = pipeline.run(files)
    assert tuple(inventory.original.iloc[:, 0].astype(str)) == TITLES
    errors = {p.file: p.message for p in inventory.report.of_level(FEHLER)}
    assert set(errors) == {"inventar.xls", "inventar.xlsx"}


# --- python -m soni classify ------------------------------------------------------------------

def classify(name: str, folder: Path, suffix: str = ".csv") -> tuple[subprocess.CompletedProcess[str], Path, str]:
    filename, data = built(name)
    source = folder / filename
    source.write_bytes(data)
    out = folder / f"ergebnis{suffix}"
    result = subprocess.run([sys.executable, "-m", "soni", "classify", str(source), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=180)
    return result, out, filename


def csv_cells(out: Path) -> list[list[str]]:
    text = out.read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def escaped(text: str) -> str:
    """How formula-like text must look in a CSV cell: with a leading apostrophe."""
    return "'" + text if FORMULA_START.match(text) else text


@pytest.mark.parametrize("name", REFUSED)
def test_cli_exits_2_with_one_german_line_naming_the_file(name, tmp_path):
    expected = EXPECTED[name]
    result, out, filename = classify(name, tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("Fehler: ") and filename in line, line
    assert re.search(expected.pattern, line), line
    assert_german(line)
    assert "Traceback" not in result.stdout
    assert not out.exists()


@pytest.mark.parametrize("name", READ)
def test_cli_writes_every_row_with_formulas_neutralised(name, tmp_path):
    expected = EXPECTED[name]
    result, out, _ = classify(name, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not [line for line in result.stderr.splitlines() if line.startswith("Fehler")], result.stderr
    counted = re.search(r"^(\d+) Aktivitäte?n? gelesen\.$", result.stderr, re.MULTILINE)
    assert counted and int(counted.group(1)) == len(expected.titles), result.stderr
    header, *rows = csv_cells(out)
    assert header[:len(expected.headers)] == [escaped(h) for h in expected.headers]
    assert header[len(expected.headers):] == ["SONI-Feld", "SONI-Aspekt", "SONI-Konfidenz", "SONI-Begründung",
                                              "SONI-Quelle"]
    assert [row[0] for row in rows] == [escaped(t) for t in expected.titles]
    assert set(expected.cells) <= {cell for row in rows for cell in row}
    for row in rows:
        for cell in row:
            assert not FORMULA_START.match(cell) or PLAIN_NUMBER.fullmatch(cell.strip()), (row, cell)


@pytest.mark.parametrize("name", ["injektion_xlsx", "injektion_csv", "script", "formel_kopfzeile"])
def test_cli_xlsx_output_keeps_text_as_text(name, tmp_path):
    expected = EXPECTED[name]
    result, out, _ = classify(name, tmp_path, ".xlsx")
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows())
    assert tuple(c.value for c in rows[0][:len(expected.headers)]) == expected.headers
    assert tuple(row[0].value for row in rows[1:]) == expected.titles  # no apostrophe, no tag stripped
    for row in rows:
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)


def test_cli_csv_writes_numbers_the_german_way(tmp_path):
    """German Excel reads ``1.5`` in a ;-separated file as the date 1 May: numbers need a decimal comma."""
    source = tmp_path / "inventar.xlsx"
    source.write_bytes(hostile.good_xlsx()[1])
    out = tmp_path / "ergebnis.csv"
    result = subprocess.run([sys.executable, "-m", "soni", "classify", str(source), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    header, *rows = csv_cells(out)
    hours = [row[header.index("Stunden")] for row in rows]
    assert hours == ["2", "3", "1,5"]

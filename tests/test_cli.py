"""The command line as a user runs it: a real process, exit codes, German errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from soni import schema
from tests.files import csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[1]
ROWS = [["Titel", "Beschreibung", "Stadtteil", "Beginn"],
        ["Nachbarschaftscafé", "Offener Treff für alle Nachbarn", "Nord", "03/2024"],
        ["Schuldnerberatung", "Einzelberatung bei Schulden", "Süd", "2023"],
        ["=HYPERLINK(\"http://x\")", "Sozialausschuss: Stellungnahme zur Stadtteilplanung", "Süd", "01.02.2025"],
        ["Summe", None, None, None]]


def soni(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "soni", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inventar.xlsx"
    path.write_bytes(xlsx_bytes({"Liste": ROWS}))
    return path


def test_classify_writes_every_activity_with_the_five_columns(inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = soni("classify", str(inventory), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "1 Zeile übersprungen: Summenzeile" in result.stderr
    book = openpyxl.load_workbook(out)
    ws = book.active
    header = [c.value for c in ws[1]]
    assert header == [*ROWS[0], *schema.SONI_COLUMNS]
    assert ws.max_row == 4
    cell = ws.cell(row=4, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, never a formula


def test_classify_csv_neutralises_formulas(inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert soni("classify", str(inventory), "--out", str(out)).returncode == 0
    text = out.read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_summary_counts_add_up_by_quartier_and_by_period(inventory: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary.csv"
    result = soni("summary", str(inventory), "--by", "Quartier", "--metric", "anzahl", "--out", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")
    fields = [c for c in table.columns if c in ("Sozialstruktur", "Organisation", "Netzwerk", "Individuum", "unklar")]
    assert table[fields].to_numpy().sum() == 3
    result = soni("summary", str(inventory), "--by", "Zeitraum", "--period", "Jahr")
    assert result.returncode == 0, result.stderr
    assert "2024" in result.stdout and "2025" in result.stdout


@pytest.mark.parametrize(
    ("setup", "expected"),
    [(lambda p: p.write_bytes(b""), "leer"), (lambda p: p.write_bytes(b"%PDF-1.7 kein Excel"), "PDF"),
     (lambda p: None, "gibt es nicht")],
)
def test_unusable_input_exits_2_with_one_german_line(tmp_path: Path, setup, expected: str) -> None:
    path = tmp_path / "kaputt.xlsx"
    setup(path)
    result = soni("classify", str(path), "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Fehler:") and expected in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_arguments_exit_2_in_german(tmp_path: Path) -> None:
    result = soni("summary", "x.csv", "--metric", "euro")
    assert result.returncode == 2 and result.stderr.startswith("Fehler:")
    assert "ungültige Auswahl 'euro' (möglich: 'anzahl'" in result.stderr
    cases = {("summary",): "es fehlt: DATEI", ("frob",): "ungültige Auswahl 'frob'",
             ("classify", "x.csv", "--header-row", "zwei", "--out", "y.csv"): "(erwartet: ganze Zahl)",
             ("template", "--out", "v.xlsx", "--quatsch"): "unbekannte Angaben: --quatsch"}
    for args, expected in cases.items():
        result = soni(*args)
        assert result.returncode == 2 and expected in result.stderr, (args, result.stderr)
    for args in (("--help",), ("summary", "--help")):
        result = soni(*args)
        assert result.returncode == 0
        assert result.stdout.startswith("Aufruf: python -m soni") and "Optionen:" in result.stdout
        assert "diese Hilfe zeigen und beenden" in result.stdout
        for english in ("usage", "show this help", "positional arguments", "options:"):
            assert english not in result.stdout


def test_german_argparse_is_undone_after_the_cli(tmp_path: Path) -> None:
    import argparse

    from soni import argparse_de

    with argparse_de.german():
        assert argparse._("usage: ") == "Aufruf: "
    assert argparse._("usage: ") == "usage: "  # others in the same process keep English


def test_template_writes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "Vorlage.xlsx"
    assert soni("template", "--out", str(out)).returncode == 0
    assert "Anleitung" in openpyxl.load_workbook(out).sheetnames


def test_csv_input_works_too(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes(ROWS, encoding="cp1252"))
    out = tmp_path / "o.csv"
    assert soni("classify", str(path), "--out", str(out)).returncode == 0
    assert "Nachbarschaftscafé" in out.read_bytes().decode("utf-8-sig")


def test_the_chosen_mapping_is_printed_and_can_be_changed_saved_and_loaded(tmp_path: Path) -> None:
    from tests import office

    name, data = office.parish_xlsx(merged=False)
    source = tmp_path / name
    source.write_bytes(data)
    saved = tmp_path / "zuordnung.json"
    out = tmp_path / "out.csv"
    result = soni("summary", str(source), "--spalte", "Beschreibung=Bemerkungen", "--spalte", "beginn=",
                  "--auffuellen", "--zuordnung-speichern", str(saved))
    assert result.returncode == 0, result.stderr
    assert "Spaltenzuordnung (angebote_ungemergt.xlsx › Angebote 2024): Titel ← „Angebot/Aktion“, " \
           "Beschreibung ← „Bemerkungen“, Quartier ← „Wo (Bezirk/Viertel)“" in result.stderr
    assert "ohne Quartier" not in result.stdout  # filled down
    result = soni("classify", str(source), "--zuordnung", str(saved), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Beschreibung ← „Bemerkungen“" in result.stderr and "Beginn ←" not in result.stderr
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig")
    assert frame["Wo (Bezirk/Viertel)"].notna().all()


def test_a_wrong_mapping_item_is_refused_in_german(inventory: Path) -> None:
    result = soni("summary", str(inventory), "--spalte", "Farbe=Titel")
    assert result.returncode == 2 and "Unbekannte Zielspalte „Farbe“" in result.stderr
    result = soni("summary", str(inventory), "--spalte", "Beschreibung")
    assert result.returncode == 2 and "Zielspalte=Spaltenüberschrift" in result.stderr


def test_a_format_that_fails_exits_2_with_a_german_line_and_the_zip_keeps_the_rest(
        inventory: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    """Issue #16: a value one writer cannot place is the input's fault (2), not a crash (1)."""
    import zipfile

    from soni import cli
    from soni.export import images, pdf

    monkeypatch.setattr(images, "browser_available", lambda: False)
    monkeypatch.setattr(pdf, "build_pdf", lambda doc: (_ for _ in ()).throw(ValueError("kein Platz")))
    assert cli.main(["report", str(inventory), "--out", str(tmp_path / "b.pdf")]) == 2
    err = capsys.readouterr().err
    assert "\nFehler: PDF-Sitzungsvorlage konnte nicht erstellt werden (ValueError: kein Platz)" in err
    assert not (tmp_path / "b.pdf").exists()
    assert cli.main(["report", str(inventory), "--out", str(tmp_path / "b.zip")]) == 2
    names = zipfile.ZipFile(tmp_path / "b.zip").namelist()
    assert "SONI_Praesentation.pptx" in names and "SONI_Auswertung.xlsx" in names


def test_the_reported_long_quartier_and_huge_costs_still_give_the_whole_package(tmp_path: Path, monkeypatch,
                                                                              capsys) -> None:
    """Issue #16, point 4, from a file: a Quartier name of 300 characters and costs of 1e200 and 9,99e9
    made the PDF writer fail and no file at all was written (exit 1). Now 1e200 is refused at validation
    (row, column), the rest is shown in full or shortened with "…", and every format is built (exit 0)."""
    import io
    import zipfile

    from pypdf import PdfReader

    from soni import cli
    from soni.export import images

    rows = [["Titel", "Beschreibung", "Stadtteil", "Kosten"],
            ["Nachbarschaftscafé", "Offener Treff für alle", "Q" * 300, 1e200],
            ["Schuldnerberatung", "Einzelberatung bei Schulden", "Süd", 9.99e9],
            ["Stadtteilrunde", "Abstimmung der Träger im Stadtteil", "Q" * 300, 120]]
    path = tmp_path / "lang.xlsx"
    path.write_bytes(xlsx_bytes({"Liste": rows}))
    monkeypatch.setattr(images, "browser_available", lambda: False)  # the documents, without chart pictures
    assert cli.main(["report", str(path), "--metric", "kosten", "--out", str(tmp_path / "paket.zip")]) == 0
    err = capsys.readouterr().err
    assert "Zeile 2, Spalte „Kosten“: Wert 1e+200 ist unglaubhaft groß" in err  # refused, row and column
    names = zipfile.ZipFile(tmp_path / "paket.zip").namelist()
    assert {"SONI_Sitzungsvorlage.pdf", "SONI_Praesentation.pptx", "SONI_Auswertung.xlsx"} <= set(names)
    pdf_bytes = zipfile.ZipFile(tmp_path / "paket.zip").read("SONI_Sitzungsvorlage.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)
    assert "…" in text and "9.990.000.000" in text  # shortened name, the large cost in full


@pytest.mark.slow
def test_report_png_names_the_extra_files_it_writes(inventory: Path, tmp_path: Path) -> None:
    from soni.export import images

    if not images.browser_available():
        pytest.skip("kein chromium für den Bild-Export")
    out = tmp_path / "bild.png"
    result = soni("report", str(inventory), "--out", str(out))
    assert result.returncode == 0, result.stderr
    written = sorted(p for p in tmp_path.glob("bild*.png") if p != out)
    assert out.exists() and written
    assert f"die weiteren {len(written)} liegen daneben" in result.stderr
    for path in written:
        assert str(path) in result.stderr


@pytest.mark.parametrize(("given", "expected"), [(None, "system"), ("jemalloc", "jemalloc")])
def test_command_line_uses_the_system_allocator_for_arrow_unless_told_otherwise(tmp_path: Path, given: str | None,
                                                                                 expected: str) -> None:
    """``python -m soni`` gives Arrow the C library's allocator (long text columns grow in place, docs/performance.md
    "Achte Sitzung"); a choice in ARROW_DEFAULT_MEMORY_POOL stays."""
    import os

    code = ("import atexit, runpy, sys\n"
            f"sys.argv = ['soni', 'template', '--out', {str(tmp_path / 'v.xlsx')!r}]\n"
            "atexit.register(lambda: print(__import__('pyarrow').default_memory_pool().backend_name))\n"
            "runpy.run_module('soni', run_name='__main__')\n")
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if given:
        env["ARROW_DEFAULT_MEMORY_POOL"] = given
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected

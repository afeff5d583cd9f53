"""``python -m soni save | list | export`` as a user runs them, against SQLite and PostgreSQL."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from soni import schema, store, years
from soni.classify import apply_corrections
from soni.export import over_years
from tests.files import xlsx_bytes
from tests.stores import BACKENDS, fresh_url

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["Titel", "Beschreibung", "Stadtteil", "Beginn"]
Y2024 = [HEADER, ["Nachbarschaftscafé", "Offener Treff für alle Nachbarn", "Nord", "03/2024"],
         ["Schuldnerberatung", "Einzelberatung bei Schulden", "Süd", "2024"]]
Y2025 = [HEADER, ["Nachbarschafts-Café", "Offener Treff für alle Nachbarn", "Nord", "03/2025"],
         ["Sozialausschuss", "Stellungnahme zur Stadtteilplanung", "Süd", "2025"],
         ["Zwergenkiste", "Wir treffen uns donnerstags", "Nord", "2025"]]


def soni(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "soni", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    return fresh_url(request.param, tmp_path)


def test_save_list_export_and_learning(url: str, tmp_path: Path) -> None:
    for name, rows in (("2024", Y2024), ("2025", Y2025)):
        (tmp_path / f"{name}.xlsx").write_bytes(xlsx_bytes({"Liste": rows}))
    done = soni("save", str(tmp_path / "2024.xlsx"), "--name", "Bestandsaufnahme 2024", "--gemeinde", "St. Beispiel",
                "--datum", "2024-02-01", "--db", url)
    assert done.returncode == 0, done.stderr
    assert "Gespeichert: „Bestandsaufnahme 2024“" in done.stderr
    # the team corrects the café in 2024 (as the app would save it)
    db = store.Store(url)
    ws = db.workspace(None)
    saved = db.open(ws, "Bestandsaufnahme 2024")
    cafe = saved.activities[schema.ZEILEN_ID][0]
    fix = {cafe: ("Sozialstruktur", None)}
    db.save(ws, "Bestandsaufnahme 2024", apply_corrections(saved.activities, fix), saved.original,
            corrections=years.corrections_of(saved.activities, fix))
    db.add_terms(ws, pd.DataFrame({"Begriff": ["Zwergenkiste"], "Feld": ["Individuum"], "Gewicht": [5]}))
    done = soni("save", str(tmp_path / "2025.xlsx"), "--name", "Bestandsaufnahme 2025", "--db", url)
    assert done.returncode == 0, done.stderr
    assert "1 Zuordnungen aus früheren Korrekturen übernommen" in done.stderr
    y2025 = db.open(ws, "Bestandsaufnahme 2025").activities.set_index(schema.TITEL)
    assert y2025.at["Nachbarschafts-Café", schema.SONI_FELD] == "Sozialstruktur"
    assert y2025.at["Nachbarschafts-Café", schema.SONI_QUELLE] == schema.QUELLE_MANUELL
    assert y2025.at["Zwergenkiste", schema.SONI_FELD] == "Individuum"  # the team's own term
    db.close()

    listing = soni("list", "--db", url)
    assert listing.returncode == 0
    lines = [line.split("\t") for line in listing.stdout.splitlines()]
    assert [line[1] for line in lines] == ["Bestandsaufnahme 2024", "Bestandsaufnahme 2025"]
    assert lines[0][2:5] == ["St. Beispiel", "2024-02-01", "2"] and lines[1][4] == "3"

    out = tmp_path / "a.csv"
    assert soni("export", "Bestandsaufnahme 2025", "--out", str(out), "--db", url).returncode == 0
    frame = pd.read_csv(out, sep=";", encoding="utf-8-sig")
    assert frame["Titel"].tolist() == ["Nachbarschafts-Café", "Sozialausschuss", "Zwergenkiste"]
    assert set(schema.SONI_COLUMNS) <= set(frame.columns)

    out = tmp_path / "j.xlsx"
    done = soni("export", "Bestandsaufnahme 2024", lines[1][0], "--out", str(out), "--db", url)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Jahresvergleich" and len(book.sheetnames) == 2
    statuses = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert sorted(statuses) == ["gleich", "neu", "neu", "weggefallen"]  # the café kept its (learnt) field

    # the same comparison as a meeting package: handout, slides, workbook and charts in one ZIP
    out = tmp_path / "jahre.zip"
    done = soni("export", "Bestandsaufnahme 2024", "Bestandsaufnahme 2025", "--out", str(out), "--db", url)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert {over_years.NAME_PDF, over_years.NAME_PPTX, over_years.NAME_XLSX} <= names
        text = " ".join(" ".join(p.extract_text().split())
                        for p in PdfReader(io.BytesIO(archive.read(over_years.NAME_PDF))).pages)
        deck = Presentation(io.BytesIO(archive.read(over_years.NAME_PPTX)))
    assert "Aktivitäten Bestandsaufnahme 2024 → Bestandsaufnahme 2025" in text
    assert "2 neu, 1 weggefallen, 0 verschoben, 1 gleich." in text and "Zwergenkiste Nord" in text
    slide_text = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame]
    assert "Weggefallen (1): Schuldnerberatung" in "\n".join(slide_text)
    # one saved inventory: its own meeting package
    out = tmp_path / "2025.pptx"
    done = soni("export", "Bestandsaufnahme 2025", "--out", str(out), "--db", url)
    assert done.returncode == 0, done.stderr
    assert Presentation(str(out)).slides[0].shapes.title.text == "Aktivitäten im Quartier im SONI-Modell"


def test_workspace_errors_in_german(url: str, tmp_path: Path) -> None:
    done = soni("export", "gibt es nicht", "--out", str(tmp_path / "x.csv"), "--db", url)
    assert done.returncode == 2 and done.stderr.startswith("Fehler: ") and "Traceback" not in done.stderr
    assert soni("list", "--db", url, "--user", "a@example.org").stderr.startswith("Keine gespeicherten")
    done = soni("save", str(tmp_path / "fehlt.xlsx"), "--name", "x", "--db", url)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (tmp_path / "a.csv").write_text("Titel;Stadtteil\nChor;Nord\n", encoding="utf-8")
    assert soni("save", str(tmp_path / "a.csv"), "--name", "A", "--db", url).returncode == 0
    done = soni("export", "A", "A", "--out", str(tmp_path / "x.pdf"), "--db", url)
    assert done.returncode == 2 and "nur einmal" in done.stderr
    done = soni("export", "A", "--out", str(tmp_path / "x.docx"), "--db", url)
    assert done.returncode == 2 and "Berichtsformat" in done.stderr

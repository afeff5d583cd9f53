"""The meeting package end to end: every file opened with a real reader (browser tests skip without Chromium)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from soni import schema
from soni.export import images, package
from soni.inventory import Inventory
from soni.report import WARNUNG, Report
from tests.conftest import make_activities

needs_browser = pytest.mark.skipif(
    not images.browser_available(),
    reason=f"kein Chromium für den Bildexport gefunden ({images.unavailable_reason()})",
)
QUARTIERE = ("Nordstadt", "Südviertel", "Am Hafen")


def make_inventory(n: int = 90, seed: int = 11) -> Inventory:
    acts = make_activities(n, seed, quartiere=QUARTIERE)
    original = pd.DataFrame({"Angebot": acts[schema.TITEL].astype(str), "Stadtteil": acts[schema.QUARTIER]})
    report = Report()
    report.add(WARNUNG, "erfundene Warnung", file="beispiel_inventar.xlsx", row=3)
    return Inventory(acts, original, report, sources={"beispiel_inventar.xlsx › Tabelle1": {}})


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _no_browser(monkeypatch) -> None:
    monkeypatch.setattr(images, "browser_available", lambda: False)
    monkeypatch.setattr(images, "unavailable_reason", lambda: images.NO_BROWSER_MESSAGE)

    def fail(*args, **kwargs):  # pragma: no cover - must not be called
        raise AssertionError("kein Bildexport ohne Browser")

    monkeypatch.setattr(images, "figure_to_png", fail)
    monkeypatch.setattr(images, "figure_to_svg", fail)


def test_slug():
    assert package.slug("Südviertel – Am Hafen") == "suedviertel_am_hafen"
    assert package.slug("Straße/Ölberg") == "strasse_oelberg"
    assert package.slug("???") == "x"


def test_without_browser_pdf_pptx_xlsx_still_build(monkeypatch):
    _no_browser(monkeypatch)
    inv = make_inventory()
    files = package.build_report(inv, formats={"pdf", "pptx", "xlsx", "png", "csv"}, when=dt.date(2025, 3, 4))
    assert set(files) == {package.NAME_PDF, package.NAME_PPTX, package.NAME_XLSX, package.NAME_CSV,
                          package.NAME_NOTE}
    assert images.NO_BROWSER_MESSAGE in files[package.NAME_NOTE].decode("utf-8")
    reader, text = _pdf_text(files[package.NAME_PDF])
    assert sum(len(p.images) for p in reader.pages) == 0
    assert "Diagramme können gerade nicht als Bild erzeugt werden" in text
    assert "Schwerpunkte und Lücken" in text and "Das SONI-Modell kurz erklärt" in text
    for q in QUARTIERE:
        assert q in text
    prs = Presentation(io.BytesIO(files[package.NAME_PPTX]))
    shapes = [s for slide in prs.slides for s in slide.shapes]
    assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert any("Chromium" in s.text_frame.text for s in shapes if s.has_text_frame)
    csv_text = files[package.NAME_CSV].decode("utf-8-sig")
    assert csv_text.splitlines()[0].split(";")[-5:] == list(schema.SONI_COLUMNS)


def test_without_browser_images_alone_fail_clearly(monkeypatch):
    _no_browser(monkeypatch)
    with pytest.raises(images.ImageExportError, match="Chromium"):
        package.build_report(make_inventory(30), formats={"png"})


def test_xlsx_only_needs_no_charts(monkeypatch):
    _no_browser(monkeypatch)
    files = package.build_report(make_inventory(30), formats={"xlsx"})
    assert list(files) == [package.NAME_XLSX]
    assert files[package.NAME_XLSX][:2] == b"PK"


def test_unknown_format_and_metric():
    inv = make_inventory(10)
    with pytest.raises(ValueError, match="Format"):
        package.build_report(inv, formats={"docx"})
    with pytest.raises(ValueError):
        package.build_report(inv, metric="gewicht", formats={"xlsx"})


def test_progress_goes_up_to_one(monkeypatch):
    _no_browser(monkeypatch)
    seen: list[tuple[float, str]] = []
    package.build_report(make_inventory(30), formats={"pdf", "xlsx"}, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and all(0 <= f <= 1 for f in fractions)
    assert all(isinstance(m, str) and m for _, m in seen)


def test_selection_limits_pdf(monkeypatch):
    _no_browser(monkeypatch)
    files = package.build_report(make_inventory(), quartiere=["Nordstadt"], formats={"pdf"})
    _, text = _pdf_text(files[package.NAME_PDF])
    assert "Quartier Nordstadt" in text
    assert "Südviertel" not in text and "Am Hafen" not in text


def test_zip_holds_every_file():
    files = {"a.pdf": b"%PDF-1.4 x", "Bilder/01_x.png": b"\x89PNG\r\n\x1a\n....", "HINWEIS.txt": "ä".encode()}
    with zipfile.ZipFile(io.BytesIO(package.build_zip(files))) as archive:
        assert sorted(archive.namelist()) == sorted(files)
        for name, data in files.items():
            assert archive.read(name) == data


@needs_browser
@pytest.mark.browser
@pytest.mark.slow
def test_full_package_with_images():
    inv = make_inventory()
    files = package.build_report(inv, formats={"pdf", "pptx", "xlsx", "png", "svg"}, metric="anzahl")
    pngs = sorted(n for n in files if n.endswith(".png"))
    svgs = sorted(n for n in files if n.endswith(".svg"))
    # overview (grid, aspects, comparison ×2, period) + one grid per Quartier
    assert len(pngs) == 5 + len(QUARTIERE) and len(svgs) == len(pngs)
    assert pngs[0] == f"{package.IMAGE_FOLDER}/01_soni_bild.png"
    for name in pngs:
        assert files[name][:8] == b"\x89PNG\r\n\x1a\n"
        assert images.png_size(files[name])[0] == int(package.IMAGE_WIDTH * package.IMAGE_SCALE)
    assert package.NAME_NOTE not in files

    reader, text = _pdf_text(files[package.NAME_PDF])
    assert sum(len(p.images) for p in reader.pages) == len(pngs)
    assert f"Seite 2 von {len(reader.pages)}" in text
    for heading in ("Das SONI-Bild", "Schwerpunkte und Lücken", "Die Quartiere im Vergleich",
                    "Die Quartiere einzeln", "Zählung", "Das SONI-Modell kurz erklärt"):
        assert heading in text
    for q in QUARTIERE:
        assert f"Quartier {q}" in text

    prs = Presentation(io.BytesIO(files[package.NAME_PPTX]))
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(pngs)
    # title, grid, Schwerpunkte, 4 more overview charts, 3 Quartiere, model
    assert len(prs.slides) == 1 + 1 + 1 + 4 + len(QUARTIERE) + 1


@needs_browser
@pytest.mark.browser
def test_two_quartiere_get_a_difference_chart():
    files = package.build_report(make_inventory(60), quartiere=["Nordstadt", "Am Hafen"], formats={"png"})
    assert f"{package.IMAGE_FOLDER}/05_unterschied.png" in files


def _long_and_huge() -> Inventory:
    """A Quartier name of 300 characters (one word) and costs up to the believable limit (issue #16)."""
    inv = make_inventory(30)
    acts = inv.activities.copy()
    acts.loc[acts.index[:10], schema.QUARTIER] = "Q" * 300
    acts[schema.KOSTEN] = 9.99e9
    return Inventory(acts, inv.original, inv.report, sources=inv.sources)


def test_long_names_and_huge_numbers_do_not_break_the_pdf(monkeypatch):
    _no_browser(monkeypatch)
    files = package.build_report(_long_and_huge(), formats={"pdf", "pptx", "xlsx", "csv"}, metric="kosten")
    assert set(files) == {package.NAME_PDF, package.NAME_PPTX, package.NAME_XLSX, package.NAME_CSV}
    _, text = _pdf_text(files[package.NAME_PDF])
    assert "…" in text  # the name is shortened in table cells
    assert "9.990.000.000" in text


def test_one_failing_format_does_not_take_the_others(monkeypatch):
    from soni.export import pdf

    _no_browser(monkeypatch)

    def broken(doc):
        raise RuntimeError("Not enough horizontal space to render a single character")

    monkeypatch.setattr(pdf, "build_pdf", broken)
    with pytest.raises(package.PackageError) as caught:
        package.build_report(make_inventory(), formats={"pdf", "pptx", "xlsx", "csv"})
    assert set(caught.value.files) == {package.NAME_PPTX, package.NAME_XLSX, package.NAME_CSV}
    assert list(caught.value.failures) == ["pdf"]
    assert caught.value.failures["pdf"].startswith("PDF-Sitzungsvorlage konnte nicht erstellt werden (RuntimeError")
    Presentation(io.BytesIO(caught.value.files[package.NAME_PPTX]))  # the others are whole


@needs_browser
def test_handout_has_no_near_empty_pages_lists_activities_per_field_and_takes_an_edited_reading():
    from soni import insights

    inv = make_inventory(120)
    edited = insights.Lesart("Unsere Lesart: viel Netzwerk (erfunden).", ["Punkt eins des Teams"])
    files = package.build_report(inv, formats={"pdf"}, when=dt.date(2025, 3, 4), lesart=edited)
    reader, text = _pdf_text(files[package.NAME_PDF])
    assert "Unsere Lesart: viel Netzwerk" in text and "Punkt eins des Teams" in text
    assert "Aktivitäten je SONI-Feld" in text
    titles = inv.activities[schema.TITEL].astype(str)
    assert all(" ".join(t.split()) in text for t in titles.head(20))  # the activities themselves are listed
    for number, page in enumerate(reader.pages[1:], start=2):  # the title page is short by design
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        assert len(lines) >= 6 or page.images, (number, lines)  # never a lone heading or a stray line

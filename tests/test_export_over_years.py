"""The package over the years (soni.export.over_years): every file opened with a real reader."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from soni import aggregate, grid, schema, years
from soni.export import images, over_years, package
from tests.test_export_package import _no_browser, _pdf_text, needs_browser


def _inventory(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    """rows: (Titel, Quartier, aspect key or field name)."""
    fields, aspects = [], []
    for _, _, where in rows:
        aspect = grid.ASPECT_BY_KEY.get(where)
        fields.append(aspect.field if aspect else where)
        aspects.append(aspect.label if aspect else "")
    return pd.DataFrame({
        schema.TITEL: [r[0] for r in rows], schema.QUARTIER: [r[1] for r in rows],
        schema.SONI_FELD: fields, schema.SONI_ASPEKT: aspects,
        schema.SONI_QUELLE: schema.QUELLE_REGEL, schema.DATEI: "inventar.xlsx",
        schema.ZEILEN_ID: [f"inventar.xlsx:{i + 2}" for i in range(len(rows))],
    })


Y2024 = _inventory([("Chor", "Nordstadt", "N2"), ("Chor", "Südstadt", "N2"), ("Tafel", "Nordstadt", "I1"),
                    ("Stadtteilrunde", "Südstadt", "N3"), ("Seniorentreff (Nordstadt)", "Nordstadt", "N1")])
Y2025 = _inventory([("chor", "Nordstadt", "N2"), ("Stadtteil-Runde", "Südstadt", "S2"),
                    ("Seniorentreff", "Nordstadt", "N1"), ("Repair-Café", "Südstadt", "N2"),
                    ("Chor", "Weststadt", "O1")])
Y2026 = _inventory([("Chor", "Nordstadt", "N2"), ("Repair-Café", "Südstadt", "Sozialstruktur")])
THREE = [("Bestandsaufnahme 2024", Y2024), ("Bestandsaufnahme 2025", Y2025), ("Bestandsaufnahme 2026", Y2026)]


def test_handout_deck_and_workbook_without_browser(monkeypatch):
    _no_browser(monkeypatch)
    files = over_years.build_years_report(THREE, formats={"pdf", "pptx", "xlsx", "png"}, when=dt.date(2026, 2, 1))
    assert set(files) == {over_years.NAME_PDF, over_years.NAME_PPTX, over_years.NAME_XLSX, package.NAME_NOTE}

    reader, text = _pdf_text(files[over_years.NAME_PDF])
    assert sum(len(p.images) for p in reader.pages) == 0
    assert "Diagramme können gerade nicht als Bild erzeugt werden" in text
    for heading in ("Das SONI-Bild über die Jahre", "Das SONI-Raster je Bestandsaufnahme",
                    "Verschiebung je Feld und Aspekt", "Aktivitäten Bestandsaufnahme 2024 → Bestandsaufnahme 2025",
                    "Aktivitäten Bestandsaufnahme 2025 → Bestandsaufnahme 2026", "Das SONI-Modell kurz erklärt"):
        assert heading in text
    # the grid table: Netzwerk in total 4 → 3 → 1, with the change from first to last
    assert "N Netzwerk gesamt 4 3 1 -3" in text and "S2 Sozialraumplanung 0 1 0 0" in text
    # step 2024 → 2025: Chor in Südstadt gone, Chor in Weststadt new (two activities, not one that moved)
    assert "2 neu, 2 weggefallen, 1 verschoben, 2 gleich." in text
    assert "Repair-Café Südstadt N2 Aktivierung von Ressourcen im Gemeinwesen" in text
    assert "Chor Weststadt O1 Angebotsentwicklung" in text
    assert "Chor Südstadt N2" in text and "Tafel Nordstadt I1 Fallspezifische Arbeit" in text
    assert "Stadtteil-Runde Südstadt N3 Trägerübergreifende Kooperation S2 Sozialraumplanung" in text
    assert "Derselbe Titel in zwei Quartieren sind zwei Aktivitäten" in text
    # the shift in words: shares of the first against the last inventory
    assert ("Von Bestandsaufnahme 2024 zu Bestandsaufnahme 2026 am stärksten gewachsen ist der Anteil von "
            "Sozialstruktur (+50 %-Pkt.); am stärksten zurückgegangen der von Netzwerk (-30 %-Pkt.).") in text
    assert "Individuum: 20 % → 0 % (-20 %-Pkt.)" in text and "Aspekte mit der größten Verschiebung" in text
    assert "0 neu, 3 weggefallen, 1 verschoben, 1 gleich." in text  # 2025 → 2026
    assert "Repair-Café Südstadt N2 Aktivierung von Ressourcen im Gemeinwesen Sozialstruktur" in text

    prs = Presentation(io.BytesIO(files[over_years.NAME_PPTX]))
    slides = [[s.text_frame.text for s in slide.shapes if s.has_text_frame] for slide in prs.slides]
    assert len(slides) == 1 + 3 + 1 + 2 + 1  # title, three charts, the shift in words, two steps, the model
    assert "Netzwerk: 80 % → 50 % (-30 %-Pkt.)" in "\n".join(slides[4])
    assert slides[0][0] == "Das SONI-Bild über die Jahre" and "Stand 01.02.2026" in slides[0][1]
    assert not [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    step = "\n".join(slides[5])
    assert "Aktivitäten Bestandsaufnahme 2024 → Bestandsaufnahme 2025" in step
    assert "Neu (2): Chor, Repair-Café" in step
    assert "Weggefallen (2): Chor, Tafel" in step
    assert "Verschoben (1): Stadtteil-Runde (N → S)" in step
    assert "Titel und Quartier" in prs.slides[5].notes_slide.notes_text_frame.text

    book = openpyxl.load_workbook(io.BytesIO(files[over_years.NAME_XLSX]))
    assert book.sheetnames[0] == "Jahresvergleich" and len(book.sheetnames) == 3
    header = [c.value for c in book["Jahresvergleich"][1]]
    assert header == ["Feld", "Schlüssel", "Aspekt", *(label for label, _ in THREE), "Veränderung"]


def test_long_lists_are_cut_in_the_handout_and_on_the_slide(monkeypatch):
    _no_browser(monkeypatch)
    n = over_years.MAX_LISTED + 7
    before = _inventory([(f"Angebot {i:03d}", "Nordstadt", "N1") for i in range(n)])
    after = _inventory([(f"Neues Angebot {i:03d}", "Nordstadt", "I2") for i in range(n)])
    files = over_years.build_years_report([("2024", before), ("2025", after)], formats={"pdf", "pptx"})
    _, text = _pdf_text(files[over_years.NAME_PDF])
    assert f"Neu: {n}. Die ersten {over_years.MAX_LISTED} von {n}" in text
    assert f"Neues Angebot {over_years.MAX_LISTED - 1:03d}" in text and f"Neues Angebot {n - 1:03d}" not in text
    prs = Presentation(io.BytesIO(files[over_years.NAME_PPTX]))
    step = "\n".join(s.text_frame.text for s in prs.slides[5].shapes if s.has_text_frame)
    assert f"und {n - over_years.MAX_ON_SLIDE} weitere" in step


def test_shift_reading_without_a_shift_and_with_an_empty_inventory(monkeypatch):
    _no_browser(monkeypatch)
    diff = aggregate.difference(pd.concat([Y2024.assign(B="a"), Y2024.assign(B="b")]), "anzahl", "b", "a", by="B")
    assert over_years.shift_reading(diff, "a", "b")[0] == "Von a zu b haben sich die Anteile der Felder kaum " \
                                                         "verschoben."
    empty = Y2024.iloc[0:0]
    files = over_years.build_years_report([("2024", Y2024), ("leer", empty)], formats={"pdf", "pptx"})
    _, text = _pdf_text(files[over_years.NAME_PDF])
    assert "5 weggefallen" in text and "Verschiebung in Worten" not in text


def test_needs_two_distinct_inventories_and_known_formats():
    with pytest.raises(ValueError, match="mindestens zwei"):
        over_years.build_years_report([("2024", Y2024)], formats={"xlsx"})
    with pytest.raises(ValueError, match="mindestens zwei"):
        over_years.build_years_report([("2024", Y2024), ("2024", Y2025)], formats={"xlsx"})
    with pytest.raises(ValueError, match="Format"):
        over_years.build_years_report(THREE, formats={"csv"})
    assert list(over_years.build_years_report(THREE, formats={"xlsx"})) == [over_years.NAME_XLSX]


def test_images_alone_without_browser_fail_clearly(monkeypatch):
    _no_browser(monkeypatch)
    with pytest.raises(images.ImageExportError, match="Chromium"):
        over_years.build_years_report(THREE, formats={"png"})


@needs_browser
@pytest.mark.browser
@pytest.mark.slow
def test_charts_in_every_document():
    files = over_years.build_years_report(THREE[:2], formats={"pdf", "pptx", "png"})
    pngs = sorted(n for n in files if n.endswith(".png"))
    assert pngs == [f"{package.IMAGE_FOLDER}/{k}.png" for k in
                    ("01_jahre_soni_bild", "02_jahre_anteile", "03_jahre_verschiebung")]
    reader, text = _pdf_text(files[over_years.NAME_PDF])
    assert sum(len(p.images) for p in reader.pages) == 3
    assert "in Prozentpunkten: Bestandsaufnahme 2025 gegenüber Bestandsaufnahme 2024" in text
    prs = Presentation(io.BytesIO(files[over_years.NAME_PPTX]))
    assert prs.slides[3].shapes.title.text == "Verschiebung der Anteile: Bestandsaufnahme 2025 gegenüber " \
                                             "Bestandsaufnahme 2024"
    assert len([s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]) == 3
    assert years.match_summary(years.match(Y2024, Y2025))[years.NEU] == 2


def test_over_years_uses_only_the_public_parts_of_the_package():
    """The parts shared with the one-inventory package (Steps, render_images, clean_title, …) are its
    public API: a private name used from here would break unnoticed when package.py changes it."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(over_years.__file__).read_text(encoding="utf-8"))
    used = {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "package"}
    assert {"Steps", "render_images", "clean_title"} <= used
    assert not [name for name in used if name.startswith("_")]
    assert all(hasattr(package, name) for name in used)

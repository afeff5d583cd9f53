"""PDF handout: opened with pypdf (pages, extracted text), fonts and German numbers."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image as PILImage
from pypdf import PdfReader

from soni.export import pdf


def _png(width: int = 600, height: int = 300, color: str | tuple = "steelblue") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def _doc(n_sections: int = 3) -> pdf.Handout:
    table = pd.DataFrame(
        {"Quartier": ["Nordstadt", "Südviertel", "=1+1"], "Anzahl": [1234, 2, 3],
         "Kosten (€)": [1234.56, None, 0.5]}
    )
    sections = [
        pdf.Section(
            "Überblick",
            paragraphs=["Größere Maßnahmen „im Quartier“ – Kosten in €."],
            bullets=["Schwerpunkt: Netzwerk", "Lücke: Sozialstruktur"],
            images=[pdf.Image(_png(), "Abb. 1: SONI-Bild"), pdf.Image(None, "Abb. 2", note="Kein Bild – Hinweis")],
            tables=[pdf.Table(table, "Tabelle 1: Zählung")],
        )
    ]
    for i in range(n_sections - 1):
        image = pdf.Image(_png(color=(i, 90, 160)), f"Abb. Q{i}")
        sections.append(pdf.Section(f"Quartier {i + 1}", level=2, images=[image]))
    return pdf.Handout(
        title="Sitzungsvorlage Ökumenischer Arbeitskreis",
        subtitle="Erfundene Beispieldaten",
        data_source="beispiel.xlsx (3 Aktivitäten)",
        date=dt.date(2025, 3, 4),
        scope="Quartiere: Nordstadt, Südviertel",
        facts=[("Kennzahl", "Anzahl Aktivitäten")],
        sections=sections,
    )


def _text(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def test_pdf_opens_with_pages_text_and_footer():
    data = pdf.build_pdf(_doc())
    assert data[:5] == b"%PDF-"
    reader, pages = _text(data)
    pages = [" ".join(p.split()) for p in pages]  # line breaks do not matter here
    n = len(reader.pages)
    assert n >= 3
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait
    assert "Sitzungsvorlage Ökumenischer Arbeitskreis" in pages[0]
    assert "04.03.2025" in pages[0] and "beispiel.xlsx (3 Aktivitäten)" in pages[0]
    body = "\n".join(pages[1:])
    for expected in ("Größere Maßnahmen „im Quartier“ – Kosten in €.", "Schwerpunkt: Netzwerk",
                     "Abb. 1: SONI-Bild", "Kein Bild – Hinweis", "Tabelle 1: Zählung", "Quartier 2"):
        assert expected in body
    for i in range(2, n + 1):
        assert f"Seite {i} von {n}" in pages[i - 1]
    assert "Seite 1 von" not in pages[0]  # no footer on the title page


def test_pdf_table_uses_german_numbers():
    _, pages = _text(pdf.build_pdf(_doc(1)))
    body = "\n".join(pages)
    assert "1.234" in body and "1.234,6" in body and "0,5" in body
    assert "=1+1" in body  # text in a PDF is never evaluated


def test_pdf_contains_the_images():
    reader, _ = _text(pdf.build_pdf(_doc(3)))
    count = sum(len(page.images) for page in reader.pages)
    assert count == 3  # one in the overview, one per Quartier section; the missing one is a note


def test_pdf_outline_has_sections():
    reader, _ = _text(pdf.build_pdf(_doc(2)))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Überblick" in titles


def test_core_font_fallback_keeps_german(monkeypatch):
    monkeypatch.setattr(pdf, "find_fonts", lambda: None)
    doc = _doc(1)
    doc.sections[0].paragraphs.append("Pfeil → und ≤ 5")
    _, pages = _text(pdf.build_pdf(doc))
    body = "\n".join(pages)
    assert "Größere Maßnahmen" in body and "€" in body and "–" in body
    assert "Pfeil -> und <= 5" in body


def test_font_lookup_finds_a_ttf_or_none():
    fonts = pdf.find_fonts()
    if fonts is None:
        pytest.skip("keine TTF-Schrift gefunden: Kernschrift Helvetica wird verwendet")
    assert fonts.files[""].suffix.lower() == ".ttf" and fonts.files[""].is_file()


def test_font_env_override(monkeypatch, tmp_path):
    fonts = pdf.find_fonts()
    if fonts is None:
        pytest.skip("keine TTF-Schrift zum Kopieren vorhanden")
    regular = tmp_path / "Eigene-Regular.ttf"
    regular.write_bytes(fonts.files[""].read_bytes())
    (tmp_path / "Eigene-Bold.ttf").write_bytes(fonts.files.get("B", fonts.files[""]).read_bytes())
    monkeypatch.setenv("SONI_PDF_FONT", str(regular))
    pdf.find_fonts.cache_clear()
    try:
        found = pdf.find_fonts()
        assert found is not None and found.files[""] == regular
        assert found.files["B"] == tmp_path / "Eigene-Bold.ttf"
    finally:
        monkeypatch.delenv("SONI_PDF_FONT")
        pdf.find_fonts.cache_clear()


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234, None, "1.234"), (1234.56, None, "1.234,6"), (1234.56, 2, "1.234,56"), (-0.5, None, "-0,5"),
     (1_000_000, None, "1.000.000"), (float("nan"), None, ""), (None, None, ""), (pd.NA, None, ""),
     (3.0, None, "3"), (True, None, "ja")],
)
def test_format_number(value, decimals, expected):
    assert pdf.format_number(value, decimals) == expected


def test_format_cell_dates_and_text():
    assert pdf.format_cell(pd.Timestamp("2024-03-01")) == "01.03.2024"
    assert pdf.format_cell(pd.NaT) == ""
    assert pdf.format_cell("=SUM(A1)") == "=SUM(A1)"


def test_sanitise_core():
    assert pdf.sanitise_core("Größe „x“ – 5 € …") == "Größe „x“ – 5 € …"  # all in Windows-1252
    assert pdf.sanitise_core("a → b ≥ c") == "a -> b >= c"
    assert pdf.sanitise_core("Ǆ") == "DZ"  # compatibility decomposition, accents dropped
    assert pdf.sanitise_core("中") == "?"


def test_tall_image_fits_one_page():
    doc = pdf.Handout("T", sections=[pdf.Section("Hoch", images=[pdf.Image(_png(200, 2000), "hoch")])])
    reader, pages = _text(pdf.build_pdf(doc))
    assert len(reader.pages) == 2 and "hoch" in pages[1]


def test_long_table_spans_pages_with_headings():
    frame = pd.DataFrame({"Titel": [f"Aktivität {i}" for i in range(150)], "Stunden": range(150)})
    doc = pdf.Handout("T", sections=[pdf.Section("Liste", tables=[pdf.Table(frame)])])
    reader, pages = _text(pdf.build_pdf(doc))
    assert len(reader.pages) >= 3
    assert all("Titel" in p for p in pages[1:])  # heading row repeated
    assert "Aktivität 149" in pages[-1]


@given(
    st.lists(st.tuples(st.floats(1, 200), st.floats(1, 40)), min_size=1, max_size=12),
    st.floats(50, 300),
)
def test_column_widths_fill_the_width(columns, total):
    natural = [n for n, _ in columns]
    minimum = [min(m, n) for n, m in columns]
    widths = pdf.column_widths(natural, minimum, total)
    assert sum(widths) == pytest.approx(total)
    if sum(natural) <= total:  # everything fits: proportional to the natural widths
        for w, n in zip(widths, natural, strict=True):
            assert w / total == pytest.approx(n / sum(natural))
    elif sum(minimum) <= total:  # longest words still fit: no column below its minimum
        assert all(w >= m - 1e-6 for w, m in zip(widths, minimum, strict=True))


def test_column_widths_keep_narrow_columns():
    widths = pdf.column_widths([20, 150, 150], [10, 20, 20], 170)
    assert widths[0] == pytest.approx(20)
    assert widths[1] == pytest.approx(75) and widths[2] == pytest.approx(75)

"""PowerPoint deck opened with python-pptx: slide count, size, pictures, texts."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from soni.export import pptx as deck


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), "darkseagreen").save(buffer, format="PNG")
    return buffer.getvalue()


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _build() -> Presentation:
    slides = [
        deck.ChartSlide("SONI-Bild: alle Quartiere", _png(3000, 1875), "Anzahl „Aktivitäten“ – erfunden",
                        speaker_notes="Hinweis für die Moderation"),
        deck.ChartSlide("Sehr breit", _png(4000, 500), ""),
        deck.ChartSlide("Sehr hoch", _png(500, 4000), "hoch"),
        deck.ChartSlide("Ohne Bild", None, "fehlt", note="Kein Browser – Hinweis"),
        deck.TextSlide("Schwerpunkte und Lücken", ["Viel im Feld Netzwerk", "Wenig im Feld Sozialstruktur"],
                       lead="Eine Lesart, keine Bewertung."),
    ]
    data = deck.build_pptx("Aktivitäten im Quartier", "Sitzung am 4. März – Ökumene", slides)
    assert data[:2] == b"PK"
    return Presentation(io.BytesIO(data))


def test_deck_size_and_slide_count():
    prs = _build()
    assert len(prs.slides) == 6  # title + 5
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=0.01)
    assert "Aktivitäten im Quartier" in _texts(prs.slides[0])
    assert "Ökumene" in _texts(prs.slides[0])


def test_chart_slides_have_pictures_inside_the_slide():
    prs = _build()
    for index in (1, 2, 3):
        slide = prs.slides[index]
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        pic = pictures[0]
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width
        assert pic.top + pic.height <= prs.slide_height
    wide = next(s for s in prs.slides[2].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert wide.width / wide.height == pytest.approx(8, rel=0.02)  # aspect ratio kept
    tall = next(s for s in prs.slides[3].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert tall.height / tall.width == pytest.approx(8, rel=0.02)


def test_titles_captions_and_notes():
    prs = _build()
    first = _texts(prs.slides[1])
    assert "SONI-Bild: alle Quartiere" in first and "Anzahl „Aktivitäten“ – erfunden" in first
    assert prs.slides[1].notes_slide.notes_text_frame.text == "Hinweis für die Moderation"


def test_missing_image_shows_note():
    slide = _build().slides[4]
    assert not [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert "Kein Browser – Hinweis" in _texts(slide)


def test_text_slide_bullets():
    text = _texts(_build().slides[5])
    assert "Schwerpunkte und Lücken" in text
    assert "Viel im Feld Netzwerk" in text and "Wenig im Feld Sozialstruktur" in text
    assert "Eine Lesart" in text


def test_unknown_slide_type_rejected():
    with pytest.raises(TypeError):
        deck.build_pptx("T", "", ["keine Folie"])  # type: ignore[list-item]


def test_long_text_gets_smaller_font():
    short = deck.TextSlide("T", ["kurz"])
    long = deck.TextSlide("T", ["Ein langer Satz über die Arbeit im Quartier, der sich über Zeilen zieht. " * 3] * 8,
                          lead="Einleitung")
    assert deck._text_size(long) < deck._text_size(short) == 20
    prs = Presentation(io.BytesIO(deck.build_pptx("T", "", [long])))
    sizes = {run.font.size.pt for shape in prs.slides[1].shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs if run.font.size}
    assert deck._text_size(long) in sizes


def test_slides_use_real_layouts_with_title_placeholders():
    """A parish can move the slides into its own template: titles and text sit in placeholders."""
    prs = _build()
    assert [s.slide_layout.name for s in prs.slides][:2] == ["Title Slide", "Title Only"]
    for slide in prs.slides:
        assert slide.shapes.title is not None and slide.shapes.title.text_frame.text.strip()
        for shape in slide.shapes:  # nothing hangs off the 16:9 slide, no empty placeholder is left
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width, shape.name
            if shape.is_placeholder:
                assert shape.text_frame.text.strip(), shape.name
    text_slide = prs.slides[5]
    assert text_slide.slide_layout.name == "Title and Content"
    body = text_slide.placeholders[1]
    assert "Viel im Feld Netzwerk" in body.text_frame.text and "•" not in body.text_frame.text
    for layout in prs.slide_layouts:  # the template itself is 16:9 now
        for shape in layout.placeholders:
            if shape.left is not None:
                assert shape.left + shape.width <= prs.slide_width

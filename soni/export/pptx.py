"""PowerPoint deck (16:9) with python-pptx: a title slide, one chart per slide, text slides.

Generic: slides are given as :class:`ChartSlide` (PNG bytes, title, caption) and
:class:`TextSlide` (title, bullet points). Slides use the real layouts of the template
("Title Slide", "Title Only", "Title and Content") and put their titles and bullet text
into the layouts' placeholders, so a parish can move the slides into its own template
(PowerPoint: "Design" / "Reset" keeps title and text). The default template is 4:3; its
master and layouts are widened to 16:9 once. A chart slide without an image (no export
browser) shows its note in a framed box instead.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from soni.export.images import png_size

SLIDE_WIDTH = Inches(13.333)
SLIDE_HEIGHT = Inches(7.5)
_MARGIN = Inches(0.5)
_DARK = RGBColor(0x1E, 0x32, 0x50)
_GREY = RGBColor(0x5A, 0x5A, 0x5A)
# layouts of python-pptx's default template
_TITLE_LAYOUT = 0  # "Title Slide": title, subtitle
_CONTENT_LAYOUT = 1  # "Title and Content": title, body
_TITLE_ONLY_LAYOUT = 5  # "Title Only"


@dataclass
class ChartSlide:
    """One chart: PNG bytes (or None → ``note`` in a box), a title and a caption."""

    title: str
    png: bytes | None
    caption: str = ""
    note: str = ""  # shown instead of a missing image
    speaker_notes: str = ""


@dataclass
class TextSlide:
    """A title and bullet points (e.g. "Schwerpunkte und Lücken"); optional lead paragraph."""

    title: str
    bullets: list[str] = field(default_factory=list)
    lead: str = ""
    speaker_notes: str = ""


def _textbox(slide, left, top, width, height, text: str, *, size: float, bold: bool = False,
             color: RGBColor | None = None, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return box


def _widen(prs, width: int) -> None:
    """Stretch the master's and layouts' shapes horizontally from the template's width to ``width``."""
    factor = width / prs.slide_width
    # layouts first: a layout placeholder without its own position reads the master's (still unscaled)
    for shapes in (*(layout.shapes for layout in prs.slide_layouts), prs.slide_master.shapes):
        for shape in shapes:
            if shape.left is not None and shape.width is not None:
                shape.left, shape.width = int(shape.left * factor), int(shape.width * factor)
    prs.slide_width = width


def _fill(placeholder, text: str, *, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    frame = placeholder.text_frame
    frame.word_wrap = True
    frame.text = ""
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color


def _slide_title(slide, title: str) -> None:
    """The title into the layout's title placeholder (a re-used template styles it its own way)."""
    _fill(slide.shapes.title, title, size=28, bold=True, color=_DARK)
    slide.shapes.title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE


def _drop(placeholder) -> None:
    """Remove an unused placeholder (it would show "Click to add text" when editing)."""
    placeholder._element.getparent().remove(placeholder._element)


def _title_area_bottom(slide) -> int:
    title = slide.shapes.title
    return int(title.top + title.height)


def _notes(slide, text: str) -> None:
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _title_slide(prs, title: str, subtitle: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_LAYOUT])
    _fill(slide.shapes.title, title, size=40, bold=True, color=_DARK)
    sub = slide.placeholders[1]
    if subtitle:
        _fill(sub, subtitle, size=20, color=_GREY)
    else:
        _drop(sub)


def _chart_slide(prs, spec: ChartSlide) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_TITLE_ONLY_LAYOUT])
    _slide_title(slide, spec.title)
    caption_h = Inches(0.7) if spec.caption else Inches(0.1)
    top = max(Inches(1.3), _title_area_bottom(slide) + Inches(0.05))
    area_w = SLIDE_WIDTH - 2 * _MARGIN
    area_h = SLIDE_HEIGHT - top - caption_h - Inches(0.3)
    if spec.png is not None:
        px_w, px_h = png_size(spec.png)
        width = area_w
        height = int(width * px_h / px_w)
        if height > area_h:
            height = area_h
            width = int(height * px_w / px_h)
        left = Emu(int((SLIDE_WIDTH - width) / 2))
        slide.shapes.add_picture(io.BytesIO(spec.png), left, top, width=Emu(int(width)),
                                 height=Emu(int(height)))
        bottom = top + height
    else:
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _MARGIN, top, area_w, Inches(1.6))
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xF8, 0xF8, 0xF8)
        box.line.color.rgb = RGBColor(0xAA, 0xAA, 0xAA)
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = spec.note or "Diagramm nicht verfügbar."
        run.font.size = Pt(16)
        run.font.color.rgb = _GREY
        bottom = top + Inches(1.6)
    if spec.caption:
        _textbox(slide, _MARGIN, bottom + Inches(0.1), area_w, caption_h, spec.caption, size=14,
                 color=_GREY)
    _notes(slide, spec.speaker_notes)


def _text_size(spec: TextSlide) -> float:
    """Font size so that the text fits the 12.3 × 5.6 inch box (about 95 characters per line at 20 pt)."""
    for size in (20, 18, 16, 14, 12):
        per_line = 95 * 20 / size
        lines = sum(-(-max(len(t), 1) // per_line) for t in [spec.lead, *spec.bullets] if t)
        height = lines * size * 1.2 + (len(spec.bullets) + 1) * 8  # points
        if height <= 5.4 * 72:
            return size
    return 11


def _text_slide(prs, spec: TextSlide) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[_CONTENT_LAYOUT])
    _slide_title(slide, spec.title)
    body = slide.placeholders[1]  # the layout's text placeholder: the template's bullets and indents
    body.left, body.width = _MARGIN, SLIDE_WIDTH - 2 * _MARGIN
    body.top = max(Inches(1.4), _title_area_bottom(slide) + Inches(0.05))
    body.height = SLIDE_HEIGHT - body.top - Inches(0.4)
    frame = body.text_frame
    frame.text = ""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint/LibreOffice may shrink further
    size = _text_size(spec)
    first = True
    if spec.lead:
        paragraph = frame.paragraphs[0]
        run = paragraph.add_run()
        run.text = spec.lead
        run.font.size = Pt(size)
        run.font.color.rgb = _GREY
        paragraph.space_after = Pt(10)
        paragraph._p.get_or_add_pPr().insert(0, OxmlElement("a:buNone"))  # the lead has no bullet
        first = False
    for item in spec.bullets:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = paragraph.add_run()
        run.text = item  # the template draws the bullet
        run.font.size = Pt(size)
        paragraph.space_after = Pt(8)
    _notes(slide, spec.speaker_notes)


def build_pptx(title: str, subtitle: str, slides: list[ChartSlide | TextSlide]) -> bytes:
    """A 16:9 deck: title slide, then the given slides in order; returns the .pptx bytes."""
    prs = Presentation()
    _widen(prs, SLIDE_WIDTH)
    prs.slide_height = SLIDE_HEIGHT
    prs.core_properties.title = title
    prs.core_properties.author = "SONI-Dashboard"
    prs.core_properties.language = "de-DE"
    _title_slide(prs, title, subtitle)
    for spec in slides:
        if isinstance(spec, ChartSlide):
            _chart_slide(prs, spec)
        elif isinstance(spec, TextSlide):
            _text_slide(prs, spec)
        else:
            raise TypeError(f"Unbekannte Folienart: {type(spec).__name__}")
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

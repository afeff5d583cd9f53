"""PDF handout ("Sitzungsvorlage"), A4, with fpdf2.

The content is given as a small data model (:class:`Handout` → :class:`Section` →
paragraphs, bullet points, images, tables), so this module knows nothing about
SONI; ``soni.export.package`` fills it.

Fonts (full Unicode: umlauts, „“, –, €). Lookup order, first hit wins:

1. the environment variable ``SONI_PDF_FONT``: a regular TTF file; bold/italic
   files beside it are found by the usual name suffixes (``-Bold``, ``-Oblique``…);
2. DejaVu Sans from Debian's ``fonts-dejavu-core`` (``/usr/share/fonts/truetype/dejavu/``);
3. Liberation Sans from Debian's ``fonts-liberation`` (``/usr/share/fonts/truetype/liberation/``);
4. DejaVu Sans shipped inside an installed Python package (matplotlib's ``mpl-data``;
   none of the packages in requirements.txt ships a full text TTF — fpdf2,
   reportlab-free, checked);
5. the PDF core font Helvetica with Windows-1252 encoding, which still covers
   umlauts, ß, „“, –, € and …; any other character is replaced by
   :func:`sanitise_core` (e.g. "→" becomes "->").
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from soni.export.images import png_size

# --- fonts ----------------------------------------------------------------------------

_STYLES = ("", "B", "I")  # regular, bold, italic (bold italic is not used; each font costs ~0.15 s)
_FONT_DIRS: tuple[tuple[str, Path, dict[str, str]], ...] = (
    (
        "DejaVu",
        Path("/usr/share/fonts/truetype/dejavu"),
        {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
         "BI": "DejaVuSans-BoldOblique.ttf"},
    ),
    (
        "Liberation",
        Path("/usr/share/fonts/truetype/liberation"),
        {"": "LiberationSans-Regular.ttf", "B": "LiberationSans-Bold.ttf",
         "I": "LiberationSans-Italic.ttf", "BI": "LiberationSans-BoldItalic.ttf"},
    ),
)
_SUFFIXES = {"B": ("-Bold", "Bold", "-bold"), "I": ("-Oblique", "-Italic", "Italic", "-italic"),
             "BI": ("-BoldOblique", "-BoldItalic", "BoldItalic", "-bolditalic")}


@dataclass(frozen=True)
class FontSet:
    """A TTF family: files per style ("" regular, "B", "I", "BI"); missing styles use regular."""

    name: str
    files: dict[str, Path]


def _family_from_regular(name: str, regular: Path) -> FontSet:
    files = {"": regular}
    stem = regular.stem
    for base in (stem, stem.removesuffix("-Regular"), stem.removesuffix("Regular")):
        for style, suffixes in _SUFFIXES.items():
            for suffix in suffixes:
                candidate = regular.with_name(base + suffix + regular.suffix)
                if style not in files and candidate.is_file():
                    files[style] = candidate
    return FontSet(name, files)


def _packaged_dejavu() -> Path | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=1)
def find_fonts() -> FontSet | None:
    """The TTF family for the handout, or None for core Helvetica (order: module docstring)."""
    env = os.environ.get("SONI_PDF_FONT", "").strip()
    if env and Path(env).is_file():
        return _family_from_regular("Custom", Path(env))
    for name, folder, files in _FONT_DIRS:
        paths = {style: folder / file for style, file in files.items()}
        if paths[""].is_file():
            return FontSet(name, {s: p for s, p in paths.items() if p.is_file()})
    packaged = _packaged_dejavu()
    if packaged is not None:
        return _family_from_regular("DejaVu", packaged)
    return None


_CORE_REPLACEMENTS = {
    "→": "->", "←": "<-", "↔": "<->", "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~",
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2015": "-",
    "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u200b": "", "\u2060": "", "\ufeff": "",
    "✓": "x", "✔": "x", "✗": "-", "■": "-", "▪": "-", "●": "•", "◦": "-",
}


def sanitise_core(text: str) -> str:
    """Text reduced to Windows-1252 for the core font: close equivalents, else "?"."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        if ch in _CORE_REPLACEMENTS:
            out.append(_CORE_REPLACEMENTS[ch])
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        ascii_part = "".join(c for c in decomposed if not unicodedata.combining(c))
        try:
            ascii_part.encode("cp1252")
            out.append(ascii_part or "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


# --- German number formatting -------------------------------------------------------------


def format_number(value: object, decimals: int | None = None) -> str:
    """German number text: 1.234,5 — whole numbers without decimals; "" for missing.

    ``decimals=None``: whole numbers without, others with one decimal place.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(value)
        if math.isnan(number):
            return ""
        if math.isinf(number):
            return "∞" if number > 0 else "−∞"
        places = decimals if decimals is not None else (0 if number.is_integer() else 1)
        text = f"{number:,.{places}f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(value)


def format_cell(value: object, decimals: int | None = None) -> str:
    """A table cell as German text (numbers, dates TT.MM.JJJJ, text unchanged)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        if pd.isna(value):
            return ""
        return value.strftime("%d.%m.%Y")
    return format_number(value, decimals)


# --- content model ------------------------------------------------------------------------


@dataclass
class Image:
    """A chart image (PNG bytes); ``png=None`` draws a framed note instead (e.g. no browser)."""

    png: bytes | None
    caption: str = ""
    note: str = ""  # shown in place of a missing image
    width_mm: float | None = None  # default: the text width


@dataclass
class Table:
    """A table from a DataFrame (its columns; the index only if ``index=True``)."""

    frame: pd.DataFrame
    caption: str = ""
    index: bool = False
    decimals: int | None = None  # None: whole numbers without, others with one decimal
    font_size: float | None = None  # default: smaller for wide tables


@dataclass
class Section:
    """A heading with content, rendered in this order: paragraphs, bullets, images, tables, notes
    (bullets after the images with ``bullets_after_images``)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # small print after the content
    level: int = 1  # 1 chapter, 2 sub-section
    new_page: bool = False
    bullets_after_images: bool = False  # paragraphs, images, bullets (e.g. picture, then its reading)


@dataclass
class Handout:
    """The whole handout: title page facts, then sections."""

    title: str
    subtitle: str = ""
    data_source: str = ""  # e.g. "inventar_2024.xlsx (180 Aktivitäten)"
    date: dt.date | str | None = None  # default: today
    scope: str = ""  # e.g. "Quartiere: Nordstadt, Südviertel · Kennzahl: Anzahl"
    facts: list[tuple[str, str]] = field(default_factory=list)  # more label/value lines on the title page
    sections: list[Section] = field(default_factory=list)
    author: str = "SONI-Dashboard"
    footer_text: str = "Sitzungsvorlage · SONI-Dashboard"


# --- rendering -------------------------------------------------------------------------------

MARGIN = 18.0  # mm
_DARK = (30, 50, 80)
_GREY = (90, 90, 90)
_LIGHT = (232, 238, 244)


class _HandoutPDF(FPDF):
    def __init__(self, fonts: FontSet | None, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = footer_text
        self.font_name = "Helvetica"
        self.unicode = fonts is not None
        if fonts is not None:
            for style in _STYLES:
                self.add_font(fonts.name, style, str(fonts.files.get(style, fonts.files[""])))
            self.font_name = fonts.name
        else:
            self.core_fonts_encoding = "windows-1252"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        self.alias_nb_pages("{nb}")

    def t(self, text: object) -> str:
        value = "" if text is None else str(text)
        return value if self.unicode else sanitise_core(value)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-MARGIN + 2)
        self.set_font(self.font_name, "", 8)
        self.set_text_color(*_GREY)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width / 2, 6, self.t(self._footer_text), align="L")
        self.cell(width / 2, 6, self.t(f"Seite {self.page_no()} von {{nb}}"), align="R")
        self.set_text_color(0, 0, 0)

    @property
    def text_width(self) -> float:
        return self.w - self.l_margin - self.r_margin


def _lines(pdf: _HandoutPDF, width: float, height: float, text: str) -> None:
    """Left-aligned wrapped text; the cursor goes to the next line at the left margin."""
    pdf.multi_cell(width, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")


def _title_page(pdf: _HandoutPDF, doc: Handout) -> None:
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(pdf.font_name, "B", 26)
    pdf.set_text_color(*_DARK)
    _lines(pdf, pdf.text_width, 12, pdf.t(doc.title))
    if doc.subtitle:
        pdf.ln(2)
        pdf.set_font(pdf.font_name, "", 15)
        _lines(pdf, pdf.text_width, 8, pdf.t(doc.subtitle))
    pdf.set_text_color(0, 0, 0)
    pdf.ln(12)
    when = doc.date if doc.date is not None else dt.date.today()
    date_text = when.strftime("%d.%m.%Y") if isinstance(when, dt.date) else str(when)
    lines = [("Stand", date_text)]
    if doc.data_source:
        lines.append(("Datenquelle", doc.data_source))
    if doc.scope:
        lines.append(("Umfang", doc.scope))
    lines.extend(doc.facts)
    label_w = 46.0
    for label, value in lines:
        y = pdf.get_y()
        pdf.set_font(pdf.font_name, "B", 11)
        pdf.multi_cell(label_w - 2, 6.5, pdf.t(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_w, y)
        pdf.set_font(pdf.font_name, "", 11)
        _lines(pdf, pdf.text_width - label_w, 6.5, pdf.t(value))
        pdf.set_y(max(pdf.get_y(), bottom) + 1.5)


def _heading(pdf: _HandoutPDF, section: Section, *, force_page: bool = False) -> None:
    size = 16 if section.level <= 1 else 13
    # keep the heading with its first block (a chart or a short table), never alone at a page end
    if force_page or section.new_page or pdf.will_page_break(size * 0.6 + 8 + _first_block_height(pdf, section)):
        pdf.add_page()
    else:
        pdf.ln(4 if section.level > 1 else 6)
    pdf.start_section(pdf.t(section.heading), level=max(section.level - 1, 0), strict=False)
    pdf.set_font(pdf.font_name, "B", size)
    pdf.set_text_color(*_DARK)
    _lines(pdf, pdf.text_width, size * 0.5, pdf.t(section.heading))
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _paragraph(pdf: _HandoutPDF, text: str) -> None:
    pdf.set_font(pdf.font_name, "", 10.5)
    _lines(pdf, pdf.text_width, 5.4, pdf.t(text))
    pdf.ln(2)


def _bullets(pdf: _HandoutPDF, items: list[str]) -> None:
    pdf.set_font(pdf.font_name, "", 10.5)
    indent = 6.0
    for item in items:
        pdf.set_x(pdf.l_margin)
        pdf.cell(indent, 5.4, pdf.t("•"))
        _lines(pdf, pdf.text_width - indent, 5.4, pdf.t(item))
        pdf.ln(1)
    pdf.ln(1)


def _caption(pdf: _HandoutPDF, text: str) -> None:
    if not text:
        return
    pdf.set_font(pdf.font_name, "I", 9)
    pdf.set_text_color(*_GREY)
    _lines(pdf, pdf.text_width, 4.6, pdf.t(text))
    pdf.set_text_color(0, 0, 0)


def _caption_height(pdf: _HandoutPDF, text: str) -> float:
    """Height in mm the caption will take (so an image is not separated from it)."""
    if not text:
        return 0.0
    pdf.set_font(pdf.font_name, "I", 9)
    lines = sum(math.ceil(max(pdf.get_string_width(pdf.t(part)), 1.0) / (pdf.text_width - 2))
                for part in text.split("\n"))
    return lines * 4.6 + 1


def _room(pdf: _HandoutPDF) -> float:
    """Height in mm left on the current page above the bottom margin."""
    return pdf.h - pdf.b_margin - pdf.get_y()


def _image_height(pdf: _HandoutPDF, image: Image) -> float:
    """Height in mm an image will take at full size (a missing picture: its note box)."""
    if image.png is None:
        return 28.0
    width = min(image.width_mm or pdf.text_width, pdf.text_width)
    px_w, px_h = png_size(image.png)
    return min(width * px_h / px_w, (pdf.h - pdf.t_margin - pdf.b_margin) * 0.6)


#: Tables up to this many rows are kept in one piece (and with the chart before them).
SHORT_TABLE_ROWS = 15


def _table_height(table: Table) -> float:
    """Approximate height in mm of a table with one line per row, its heading row and caption."""
    size = table.font_size or (9.0 if len(table.frame.columns) <= 6 else 8.0)
    return (len(table.frame) + 1) * (size * 0.5 + 0.6 + 2 * _PADDING) + (10 if table.caption else 4)


def _keep_after(section: Section) -> float:
    """Height of short tables that should stay on the page of the section's last chart."""
    short = [t for t in section.tables if len(t.frame) <= SHORT_TABLE_ROWS]
    return sum(_table_height(t) for t in short[:1])


def _first_block_height(pdf: _HandoutPDF, section: Section) -> float:
    if section.paragraphs or (section.bullets and not section.bullets_after_images):
        return 22.0  # a few lines of text
    if section.images:
        return _image_height(pdf, section.images[0]) + _caption_height(pdf, section.images[0].caption) + 4
    if section.tables:
        return min(_table_height(section.tables[0]), 40.0)
    return 22.0


def _image(pdf: _HandoutPDF, image: Image, *, keep: float = 0.0) -> None:
    """An image with its caption; ``keep``: height of what should stay on the same page below it.

    When the image does not fit, it is shrunk (to no less than 60 %) rather than leaving a
    near-empty page or pushing a short table onto a page of its own.
    """
    width = min(image.width_mm or pdf.text_width, pdf.text_width)
    # at most ~60 % of the page, so a tall chart still fits below its heading
    max_height = (pdf.h - pdf.t_margin - pdf.b_margin) * 0.6
    if image.png is None:
        note = image.note or "Diagramm nicht verfügbar."
        height = 28.0
        if pdf.will_page_break(height + _caption_height(pdf, image.caption) + 4):
            pdf.add_page()
        x, y = pdf.get_x(), pdf.get_y()
        pdf.set_draw_color(170, 170, 170)
        pdf.set_fill_color(248, 248, 248)
        pdf.rect(x, y, width, height, style="DF")
        pdf.set_xy(x + 4, y + 4)
        pdf.set_font(pdf.font_name, "", 9.5)
        pdf.set_text_color(*_GREY)
        _lines(pdf, width - 8, 4.8, pdf.t(note))
        pdf.set_text_color(0, 0, 0)
        pdf.set_y(y + height + 2)
    else:
        px_w, px_h = png_size(image.png)
        height = width * px_h / px_w
        if height > max_height:  # very tall image: fit the page height
            height = max_height
            width = height * px_w / px_h
        below = _caption_height(pdf, image.caption) + 4
        fits = _room(pdf) - below - keep
        if fits < height and fits >= 0.6 * height:  # shrink a little instead of breaking the page
            height, width = fits, fits * px_w / px_h
        elif pdf.will_page_break(height + below):
            pdf.add_page()
        x = pdf.l_margin + (pdf.text_width - width) / 2
        pdf.image(io.BytesIO(image.png), x=x, y=pdf.get_y(), w=width, h=height)
        pdf.set_y(pdf.get_y() + height + 2)
    _caption(pdf, image.caption)
    pdf.ln(4)


_PADDING = 0.8  # mm inside table cells


def column_widths(natural: list[float], minimum: list[float], total: float) -> list[float]:
    """Column widths that add up to ``total``.

    If the natural widths fit, they are stretched in proportion. Otherwise "water filling":
    every column is capped at one common width ``c`` (but never below its ``minimum``, the
    longest word), so narrow columns keep their natural width and wide text columns wrap.
    If even the minimums do not fit, they are shrunk in proportion (words then break).
    """
    if not natural:
        return []
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(natural) <= total:
        return [n * total / sum(natural) for n in natural]
    if sum(minimum) >= total:
        return [m * total / sum(minimum) for m in minimum]

    def filled(cap: float) -> list[float]:
        return [min(n, max(cap, m)) for n, m in zip(natural, minimum, strict=True)]

    low, high = 0.0, max(natural)
    for _ in range(60):
        mid = (low + high) / 2
        if sum(filled(mid)) > total:
            high = mid
        else:
            low = mid
    widths = filled(low)
    return [w * total / sum(widths) for w in widths]


#: Widest a single word may make its column (mm); longer words break inside.
MAX_WORD_WIDTH = 40.0
#: Longest text of a table cell; longer text ends in "…" (the Excel file has it whole).
MAX_CELL_TEXT = 160


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1].rstrip() + "…"


def _natural_widths(pdf: _HandoutPDF, columns: list[str], cells: list[list[str]], size: float
                    ) -> tuple[list[float], list[float]]:
    """(natural, minimum) widths in mm: whole cell texts, and the longest word (headings bold)."""
    extra = 2 * _PADDING + 1.2
    natural, minimum = [], []
    for j, header in enumerate(columns):
        pdf.set_font(pdf.font_name, "B", size)
        head_words = max((pdf.get_string_width(w) for w in header.split()), default=0.0)
        head_full = pdf.get_string_width(header)
        pdf.set_font(pdf.font_name, "", size)
        texts_ = [row[j] for row in cells[:300]]
        cell_full = max((pdf.get_string_width(t) for t in texts_), default=0.0)
        cell_words = max((pdf.get_string_width(w) for t in texts_ for w in t.split()), default=0.0)
        natural.append(min(max(head_full, cell_full), 90.0) + extra)
        # a word wider than MAX_WORD_WIDTH is broken inside (a 300-character Quartier name must not
        # squeeze the other columns below one character: fpdf then refuses the whole PDF)
        minimum.append(min(max(head_words, cell_words, 6.0), MAX_WORD_WIDTH) + extra)
    return natural, minimum


_NUMERIC_TEXT = re.compile(r"^[<>±+\-−]?\s*[\d.]+(,\d+)?\s*(%|%-Pkt\.|€)?$")


def _looks_numeric(values: list[str]) -> bool:
    """True if every non-empty text is a formatted number ("1.234", "12 %", "<1 %", "+3 %-Pkt.")."""
    filled = [v.strip() for v in values if v.strip() and v.strip() != "–"]
    return bool(filled) and all(_NUMERIC_TEXT.match(v) for v in filled)


def _table(pdf: _HandoutPDF, table: Table) -> None:
    frame = table.frame.reset_index() if table.index else table.frame
    columns = [pdf.t(c) for c in frame.columns]
    if not columns:
        return
    size = table.font_size or (9.0 if len(columns) <= 6 else 8.0 if len(columns) <= 9 else 6.8)
    numeric = [pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d) for d in frame.dtypes]
    cells = [[_fit(pdf.t(format_cell(v, table.decimals))) for v in values]
             for values in frame.itertuples(index=False, name=None)]
    natural, minimum = _natural_widths(pdf, columns, cells, size)
    widths = column_widths(natural, minimum, pdf.text_width)
    pdf.set_font(pdf.font_name, "", size)
    whole = _table_height(table)
    full_page = pdf.h - pdf.t_margin - pdf.b_margin
    # a short table stays in one piece; a long one starts with at least a few rows
    if (len(frame) <= SHORT_TABLE_ROWS and whole < full_page and whole > _room(pdf)) \
            or pdf.will_page_break(size * 0.5 * 4 + 8):
        pdf.add_page()
    aligns = ["RIGHT" if n or _looks_numeric([row[j] for row in cells]) else "LEFT"
              for j, n in enumerate(numeric)]
    with pdf.table(
        col_widths=widths,
        width=pdf.text_width,
        text_align=aligns,
        line_height=size * 0.5 + 0.6,
        headings_style=FontFace(emphasis="BOLD", fill_color=_LIGHT),
        cell_fill_color=(247, 249, 251),
        cell_fill_mode=TableCellFillMode.ROWS,
        padding=_PADDING,
        repeat_headings=1,
    ) as tbl:
        head = tbl.row()
        for c in columns:
            head.cell(c)
        for values in cells:
            row = tbl.row()
            for v in values:
                row.cell(v)
    pdf.ln(1)
    _caption(pdf, table.caption)
    pdf.ln(3)


def _notes(pdf: _HandoutPDF, notes: list[str]) -> None:
    for note in notes:
        pdf.set_font(pdf.font_name, "", 8.5)
        pdf.set_text_color(*_GREY)
        _lines(pdf, pdf.text_width, 4.4, pdf.t(note))
        pdf.ln(1)
    pdf.set_text_color(0, 0, 0)


def build_pdf(doc: Handout) -> bytes:
    """The handout as PDF bytes (A4, title page, sections, footer "Seite x von y")."""
    pdf = _HandoutPDF(find_fonts(), doc.footer_text)
    pdf.set_title(pdf.t(doc.title))
    pdf.set_author(pdf.t(doc.author))
    pdf.set_creator("SONI-Dashboard")
    pdf.set_lang("de-DE")
    _title_page(pdf, doc)
    for number, section in enumerate(doc.sections):
        _heading(pdf, section, force_page=number == 0)
        for text in section.paragraphs:
            _paragraph(pdf, text)
        if section.bullets and not section.bullets_after_images:
            _bullets(pdf, section.bullets)
        for i, image in enumerate(section.images):
            _image(pdf, image, keep=_keep_after(section) if i == len(section.images) - 1 else 0.0)
        if section.bullets and section.bullets_after_images:
            _bullets(pdf, section.bullets)
        for table in section.tables:
            _table(pdf, table)
        if section.notes:
            _notes(pdf, section.notes)
    return bytes(pdf.output())

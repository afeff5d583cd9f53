"""An empty inventory template (xlsx) with drop-downs, examples and a German guide.

The sheet „Aktivitäten“ carries the canonical headers of ``soni.schema`` plus the
optional columns ``SONI-Feld`` and ``SONI-Aspekt``; the sheet „Anleitung“ explains
every column and the SONI grid. The aspect drop-down reads its values from the
aspect table on „Anleitung“ (an inline list would exceed Excel's 255 characters).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from soni import grid, schema

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

SHEET = "Aktivitäten"
GUIDE_SHEET = "Anleitung"
#: Titles of the example rows start with this; readers may skip such rows.
EXAMPLE_MARK = schema.BEISPIEL_MARKE
#: Data validations reach down to this Excel row.
LAST_ROW = 5000

#: Columns of the template, in order: canonical names, then the optional SONI columns.
COLUMNS: tuple[str, ...] = (
    schema.TITEL, schema.BESCHREIBUNG, schema.QUARTIER, schema.TRAEGER, schema.ZIELGRUPPE, schema.ART,
    schema.BEGINN, schema.ENDE, schema.STUNDEN, schema.TEILNEHMENDE, schema.KOSTEN, schema.EHRENAMTLICHE,
    schema.SONI_FELD, schema.SONI_ASPEKT,
)
OPTIONAL_COLUMNS: tuple[str, ...] = (schema.SONI_FELD, schema.SONI_ASPEKT)

_CANON_FOR = {schema.SONI_FELD: schema.IN_FELD, schema.SONI_ASPEKT: schema.IN_ASPEKT}
_KIND_LABEL = {"text": "Text", "number": "Zahl", "date": "Datum"}
_WIDTHS = {
    schema.TITEL: 32, schema.BESCHREIBUNG: 60, schema.QUARTIER: 18, schema.TRAEGER: 30,
    schema.ZIELGRUPPE: 22, schema.ART: 16, schema.BEGINN: 12, schema.ENDE: 12, schema.STUNDEN: 10,
    schema.TEILNEHMENDE: 13, schema.KOSTEN: 12, schema.EHRENAMTLICHE: 13, schema.SONI_FELD: 16,
    schema.SONI_ASPEKT: 38,
}
#: number validation per column: (xlsxwriter type, what the error message says)
_NUMBERS = {
    schema.STUNDEN: ("decimal", "eine Zahl ab 0 (Stunden pro Jahr, ohne „Std.“)"),
    schema.TEILNEHMENDE: ("integer", "eine ganze Zahl ab 0 (ungefähr genügt, ohne „ca.“)"),
    schema.KOSTEN: ("decimal", "einen Betrag in Euro ab 0 (ohne „€“)"),
    schema.EHRENAMTLICHE: ("integer", "eine ganze Zahl ab 0"),
}
_EXAMPLES: tuple[dict[str, object], ...] = (
    {
        schema.TITEL: f"{EXAMPLE_MARK}: Nachbarschaftscafé",
        schema.BESCHREIBUNG: "Jeden Donnerstag öffnet im Gemeindehaus ein Café für alle aus der "
        "Nachbarschaft, mit Kuchen gegen Spende und Zeit für Gespräche.",
        schema.QUARTIER: "Nordstadt",
        schema.TRAEGER: "Ev. Kirchengemeinde (Beispiel)",
        schema.ZIELGRUPPE: "Nachbarschaft",
        schema.ART: "Treff",
        schema.BEGINN: datetime(2024, 3, 7),
        schema.STUNDEN: 120,
        schema.TEILNEHMENDE: 35,
        schema.KOSTEN: 800,
        schema.EHRENAMTLICHE: 6,
        schema.SONI_FELD: "Netzwerk",
        schema.SONI_ASPEKT: "Fallunspezifische Arbeit",
    },
    {
        schema.TITEL: f"{EXAMPLE_MARK}: Schuldnerberatung",
        schema.BESCHREIBUNG: "Beratung für überschuldete Haushalte mit Haushaltsplan und Verhandlungen "
        "mit Gläubigern. SONI-Feld leer gelassen: das Dashboard ordnet selbst zu.",
        schema.QUARTIER: "Nordstadt",
        schema.TRAEGER: "Diakonisches Werk (Beispiel)",
        schema.ZIELGRUPPE: "Überschuldete Haushalte",
        schema.ART: "Beratung",
        schema.BEGINN: "seit 2019",
        schema.STUNDEN: 240,
        schema.TEILNEHMENDE: 60,
        schema.KOSTEN: 12000,
        schema.EHRENAMTLICHE: 0,
    },
)
_GENERAL_HINTS: tuple[str, ...] = (
    "Eine Zeile pro Aktivität. Bitte keine Zellen verbinden und keine Zwischensummen einfügen.",
    "Die Kopfzeile nicht umbenennen. Weitere eigene Spalten dürfen rechts angehängt werden; sie bleiben "
    "beim Hochladen erhalten.",
    f"Die beiden grau geschriebenen Zeilen „{EXAMPLE_MARK}“ sind Beispiele: bitte löschen oder überschreiben.",
    "Quartiere bitte immer gleich schreiben (z. B. immer „Nordstadt“, nicht mal „Nord-Stadt“), damit "
    "Vergleiche stimmen.",
    "Zahlen ohne Einheit eintragen (120 statt „120 Std.“, 800 statt „800 €“). Ungefähre Werte genügen.",
    "Beginn und Ende am besten als Datum (TT.MM.JJJJ); „03/2024“, „seit 2019“ oder nur das Jahr "
    "werden ebenfalls verstanden. Ende leer lassen, wenn die Aktivität noch läuft.",
    "SONI-Feld und SONI-Aspekt sind freiwillig. Leer gelassen ordnet das SONI-Dashboard jede Aktivität "
    "anhand von Titel und Beschreibung selbst zu; ausgefüllte Werte werden übernommen.",
)


def _help(column: str) -> str:
    return schema.CANON_BY_NAME[_CANON_FOR.get(column, column)].help


def _kind(column: str) -> str:
    return _KIND_LABEL[schema.CANON_BY_NAME[_CANON_FOR.get(column, column)].kind]


def build_template() -> bytes:
    """The empty inventory template as xlsx bytes (sheets „Aktivitäten“ and „Anleitung“)."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({
        "title": "Vorlage SONI-Inventar",
        "subject": "Aktivitäten im Quartier nach dem SONI-Modell",
        "created": datetime(2025, 1, 1),
    })
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                          "valign": "top"})
    head_opt = wb.add_format({"bold": True, "bg_color": "#EDEDED", "border": 1, "text_wrap": True,
                              "valign": "top", "italic": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    date = wb.add_format({"num_format": "dd.mm.yyyy", "valign": "top"})
    euro = wb.add_format({"num_format": "#,##0.00 €", "valign": "top"})
    example = wb.add_format({"italic": True, "font_color": "#7F7F7F", "text_wrap": True, "valign": "top"})
    example_date = wb.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "dd.mm.yyyy",
                                  "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 14})
    section = wb.add_format({"bold": True, "font_size": 12})

    ws = wb.add_worksheet(SHEET)
    guide = wb.add_worksheet(GUIDE_SHEET)
    aspect_range = _write_guide(guide, title, section, head, wrap)

    # --- the activity sheet --------------------------------------------------------
    for c, name in enumerate(COLUMNS):
        col_fmt = date if name in (schema.BEGINN, schema.ENDE) else euro if name == schema.KOSTEN else wrap
        ws.set_column(c, c, _WIDTHS[name], col_fmt)
        ws.write_string(0, c, name, head_opt if name in OPTIONAL_COLUMNS else head)
    ws.set_row(0, 30)
    ws.freeze_panes(1, 0)
    for r, values in enumerate(_EXAMPLES, start=1):
        for c, name in enumerate(COLUMNS):
            value = values.get(name)
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, example_date)
            elif value is not None:
                ws.write(r, c, value, example)

    last = LAST_ROW - 1
    for c, name in enumerate(COLUMNS):
        base = {"input_title": name[:32], "input_message": f"{_help(name)} ({_kind(name)})."[:255]}
        if name == schema.SONI_FELD:
            rule = {
                "validate": "list", "source": list(grid.FIELD_VALUES), "error_type": "warning",
                "error_title": "Unbekanntes SONI-Feld",
                "error_message": "Bitte eines der Felder aus der Liste wählen oder die Zelle leer lassen.",
            }
        elif name == schema.SONI_ASPEKT:
            rule = {
                "validate": "list", "source": aspect_range, "error_type": "warning",
                "error_title": "Unbekannter SONI-Aspekt",
                "error_message": "Bitte einen der zwölf Aspekte aus der Liste (siehe Blatt „Anleitung“) "
                "wählen oder die Zelle leer lassen.",
            }
        elif name in _NUMBERS:
            kind, what = _NUMBERS[name]
            rule = {
                "validate": kind, "criteria": ">=", "value": 0, "error_type": "warning",
                "error_title": "Keine Zahl", "error_message": f"Hier bitte {what} eintragen.",
            }
        else:
            rule = {"validate": "any"}
        ws.data_validation(1, c, last, c, {**base, **rule})
    ws.autofilter(0, 0, 0, len(COLUMNS) - 1)
    ws.activate()

    wb.close()
    return buf.getvalue()


def _write_guide(ws: Worksheet, title: Format, section: Format, head: Format, wrap: Format) -> str:
    """Fill the guide sheet; returns the absolute range of the aspect labels for the drop-down."""
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 42)
    ws.set_column(3, 3, 60)
    row = 0
    ws.write_string(row, 0, "Anleitung zur Vorlage „SONI-Inventar“", title)
    row += 1
    ws.write_string(row, 0, "Tragen Sie im Blatt „Aktivitäten“ alle Aktivitäten Ihres Quartiersprojekts "
                    "ein – eine Zeile pro Aktivität – und laden Sie die Datei im SONI-Dashboard hoch.")
    row += 2

    ws.write_string(row, 0, "1. Die Spalten", section)
    row += 1
    for c, text in enumerate(("Spalte", "Eingabe", "Pflichtangabe", "Erklärung")):
        ws.write_string(row, c, text, head)
    row += 1
    for name in COLUMNS:
        required = "freiwillig" if name in OPTIONAL_COLUMNS else "empfohlen"
        if name == schema.TITEL:
            required = "ja"
        help_text = _help(name)
        if name == schema.SONI_FELD:
            help_text += ": " + ", ".join(grid.FIELD_NAMES) + f" oder „{grid.UNKLAR}“ (Auswahlliste)"
        elif name == schema.SONI_ASPEKT:
            help_text += ": einer der zwölf Aspekte unten (Auswahlliste)"
        ws.write_string(row, 0, name, wrap)
        ws.write_string(row, 1, _kind(name), wrap)
        ws.write_string(row, 2, required, wrap)
        ws.write_string(row, 3, help_text, wrap)
        row += 1
    row += 1

    ws.write_string(row, 0, "2. Das SONI-Modell", section)
    row += 1
    ws.write_string(row, 0, "Das SONI-Modell der Sozialraumorientierung beschreibt zwei Ebenen: die "
                    "Ebene System (Sozialstruktur, Organisation) und die Ebene Lebenswelt (Netzwerk, "
                    "Individuum). Jedes der vier Felder hat drei Aspekte.")
    row += 1
    for c, text in enumerate(("Feld", "Ebene", "Bezug")):
        ws.write_string(row, c, text, head)
    row += 1
    for f in grid.FIELDS:
        ws.write_string(row, 0, f.name, wrap)
        ws.write_string(row, 1, f.level, wrap)
        ws.write_string(row, 2, f.refers_to, wrap)
        row += 1
    row += 1

    ws.write_string(row, 0, "3. Die zwölf Aspekte (Werte für „SONI-Aspekt“)", section)
    row += 1
    for c, text in enumerate(("Schlüssel", "Feld", "Aspekt", "Bedeutung")):
        ws.write_string(row, c, text, head)
    row += 1
    first = row
    for a in grid.ASPECTS:
        ws.write_string(row, 0, a.key, wrap)
        ws.write_string(row, 1, a.field, wrap)
        ws.write_string(row, 2, a.label, wrap)
        ws.write_string(row, 3, a.wording, wrap)
        row += 1
    aspect_range = f"={GUIDE_SHEET}!$C${first + 1}:$C${row}"
    row += 1

    ws.write_string(row, 0, "4. Hinweise", section)
    row += 1
    for hint in _GENERAL_HINTS:
        ws.write_string(row, 0, f"• {hint}")
        row += 1
    return aspect_range

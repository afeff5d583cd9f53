"""German UI texts: titles, captions, the model explanation, hints and number formats.

One source of truth for strings shown by charts, pages and exports. Everything
here is pure (no pandas needed except for ``scope_label``'s optional frame).
Display strings use "–" (en dash), "€" and non-ASCII umlauts: a PDF writer needs
a Unicode font.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd

from soni import grid, schema

APP_TITLE = "SONI-Dashboard"
APP_SUBTITLE = "Aktivitäten im Quartier im SONI-Modell der Sozialraumorientierung"

#: Suggested page titles (pages may pick the ones they need).
PAGE_TITLES: dict[str, str] = {
    "start": "Start",
    "quartier": "Quartier im SONI-Modell",
    "upload": "Daten hochladen",
    "pruefen": "Zuordnung prüfen",
    "uebersicht": "Übersicht: Schwerpunkte und Lücken",
    "vergleich": "Quartiere vergleichen",
    "zeitverlauf": "Entwicklung über die Zeit",
    "export": "Für die Sitzung exportieren",
    "modell": "Das SONI-Modell",
}

#: Labels of the pages in the navigation (short; the page itself shows ``PAGE_TITLES``).
NAV_LABELS: dict[str, str] = {
    "quartier": "Quartier",
    "vergleich": "Vergleich",
    "upload": PAGE_TITLES["upload"],
    "pruefen": PAGE_TITLES["pruefen"],
    "export": "Export",
    "arbeitsbereich": "Arbeitsbereich",
}
#: Section headings of the navigation and the pages in each (keys as in ``NAV_LABELS``).
NAV_SECTIONS: dict[str, tuple[str, ...]] = {
    "Auswerten": ("quartier", "vergleich"),
    "Daten": ("upload", "pruefen", "arbeitsbereich"),
    "Sitzung": ("export",),
}

#: Heading of the plain-German reading of a selection (page and meeting package).
SCHWERPUNKTE_TITLE = "Schwerpunkte und Lücken"

#: Where the data come from when nothing is uploaded.
SAMPLE_SOURCE = "Beispieldaten (erfunden)"
SAMPLE_NOTE = (
    "Sie sehen erfundene Beispieldaten. Ihre eigene Aktivitätenliste laden Sie auf der Seite "
    "„Daten hochladen“ hoch."
)
NO_DATA = (
    "Es sind keine Daten geladen. Bitte auf der Seite „Daten hochladen“ eine Aktivitätenliste "
    "hochladen."
)
NO_DATA_LINK = "Zu „Daten hochladen“"
NO_UPLOAD_YET = "Noch keine eigene Datei geladen – die anderen Seiten zeigen die erfundenen Beispieldaten."
ALL_QUARTIERE = "Alle Quartiere"

#: Lead paragraphs of the pages.
PAGE_INTROS: dict[str, str] = {
    "upload": (
        "Laden Sie Ihre Aktivitätenliste hoch: eine oder mehrere Excel-, OpenDocument- oder CSV-Dateien, "
        "so wie Sie sie führen. Das Dashboard erkennt Kopfzeile und Spalten selbst; Sie können die Zuordnung "
        "unten prüfen und ändern. Mehrere Dateien werden zusammengeführt."
    ),
    "pruefen": (
        "Jede Aktivität ist einem SONI-Feld und Aspekt zugeordnet – mit Begründung und Konfidenz. "
        "Prüfen Sie vor allem die unklaren und unsicheren Zeilen und korrigieren Sie Feld oder Aspekt direkt "
        "in der Tabelle. Korrekturen gelten sofort für alle Seiten."
    ),
    "export": (
        "Stellen Sie die Unterlagen für die nächste Sitzung zusammen: Diagramme mit Bildunterschrift, "
        f"die Lesart „{SCHWERPUNKTE_TITLE}“, Tabellen und die Erklärung des Modells."
    ),
}

#: The worklist views of "Zuordnung prüfen" (key -> label).
CHECK_VIEWS: dict[str, str] = {
    "queue": "Unklare und unsichere zuerst",
    "unklar": "Nur unklare",
    "low": "Nur unsichere (Konfidenz unter 50 %)",
    "manuell": "Nur korrigierte",
    "all": "Alle in Tabellenreihenfolge",
}

METRIC_PICKER_LABEL = "Kennzahl"
METRIC_HELP = (
    "Was gezählt wird: Anzahl der Aktivitäten oder die Summe von Stunden, Teilnehmenden oder Kosten."
)
SHARE_TOGGLE_LABEL = "Anteile (%) statt absoluter Werte"
SHARE_TOGGLE_HELP = "Anteile beziehen sich auf die einem Feld zugeordneten Aktivitäten."

#: Sidebar of the frame (app.py).
SIDEBAR_SOURCE = "Datenquelle"
CLEAR_DATA_LABEL = "Daten entfernen"
CLEAR_DATA_HELP = "Entfernt die hochgeladenen Dateien und alle Korrekturen aus dieser Sitzung."
CLEAR_DATA_DONE = (
    "Die hochgeladenen Daten wurden aus dieser Sitzung entfernt. Es werden wieder die Beispieldaten gezeigt."
)
SAMPLE_CORRECTIONS_NOTE = "Korrekturen an den Beispieldaten sind nur in dieser Sitzung gespeichert."

#: Controls shared by the pages (views/widgets.py, views/tables.py).
QUARTIER_LABEL = "Quartier"
ALL_QUARTIERE_PLACEHOLDER = "alle Quartiere"
ALL_TRAEGER = "alle Träger"
ALL_ZIELGRUPPEN = "alle Zielgruppen"
ALL_PERIODS = "alle Zeiträume"
ALL_ASPECTS = "alle Aspekte"
FILTER_TITLE = "Filter: Träger, Zielgruppe, Zeitraum"
FILTER_ACTIVE = " (aktiv)"
PERIOD_KIND_LABEL = "Zeitraum nach"
PERIOD_FILTER_HELP = (
    "Nach dem Beginn der Aktivität. Aktivitäten ohne Datum fallen heraus, sobald ein Zeitraum gewählt ist."
)
KONFIDENZ_LABEL = "Konfidenz"
KOSTEN_LABEL = "Kosten (€)"
NOT_MAPPED = "– nicht zugeordnet –"
ACTIVITIES_SHEET = "Aktivitäten"
SAMPLE_LOADING = "Beispieldaten werden vorbereitet …"
READ_FAILED = "Die Daten konnten nicht gelesen werden."

#: Page "Quartier".
QUARTIER_PAGE: dict[str, str] = {
    "model": "Was ist das SONI-Modell?",
    "cell_title": "Aktivitäten in einem Feld",
    "cell_hint": "Auf eine Zelle der Heatmap klicken oder hier Feld und Aspekt wählen.",
    "field": "SONI-Feld",
    "aspect": "Aspekt",
}
#: Page "Vergleich".
VERGLEICH_PAGE: dict[str, str] = {
    "quartiere": "Quartiere",
    "quartiere_help": "Leer lassen, um alle Quartiere zu zeigen.",
    "diff_quartiere": "Unterschiede zwischen Quartieren",
    "diff_periods": "Unterschiede zwischen Zeiträumen",
    "versus": "im Vergleich zu",
    "period": "Zeitraum",
    "tab_quartiere": "Quartiere",
    "tab_periods": "Zeiträume",
}
#: Label of the file uploader's button (set by CSS, see views/frame.py).
UPLOAD_BUTTON = "Dateien auswählen"
#: Shown instead of an empty table (Streamlit would write "empty").
NO_ROWS = "Keine Einträge."


def shortened(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at a word boundary (within the last third) with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def upload_refused(types: list[str], megabytes: int) -> str:
    """Shown on a file the browser did not send (Streamlit's reason is English): too large or a type not listed."""
    listed = ", ".join(f".{t}" for t in types[:-1]) + f" und .{types[-1]}"
    return f"Nicht hochgeladen: erlaubt sind {listed} bis {fmt_number(megabytes)} MB je Datei."


def upload_limit(megabytes: int) -> str:
    return f"Höchstens {fmt_number(megabytes)} MB je Datei."


def uploads_too_large(total_mb: float, limit_mb: int) -> str:
    """Several files chosen at once that together exceed what a session takes (``views.results``)."""
    return (f"Zusammen zu groß: die gewählten Dateien haben {fmt_number(total_mb, 1)} MB, eine Sitzung nimmt "
            f"höchstens {fmt_number(limit_mb)} MB auf einmal an. Bitte weniger oder kleinere Dateien wählen.")


def session_too_large(needed_mb: float, budget_mb: int) -> str:
    """Data read fine but too large to keep in a session's memory (``views.results.SESSION_BUDGET_MB``)."""
    return (f"Die Daten sind zu groß für eine Sitzung: gelesen bräuchten sie etwa {fmt_number(needed_mb)} MB "
            f"Arbeitsspeicher, eine Sitzung darf höchstens {fmt_number(budget_mb)} MB belegen. Bitte die Liste "
            "aufteilen oder nicht benötigte Spalten (z. B. lange Notizen) entfernen.")


#: plotly.js's texts (toolbar button titles, notices) in German, handed to each chart as its locale
#: (``views.plots.chart_config``; no locale file from a CDN). Keys: plotly.js's English wording.
PLOTLY_DE: dict[str, dict] = {
    "dictionary": {
        "Download plot as a PNG": "Diagramm als PNG herunterladen",
        "Download plot as a png": "Diagramm als PNG herunterladen",
        "Download plot": "Diagramm herunterladen",
        "Download plot as JSON": "Diagramm als JSON herunterladen",
        "Zoom": "Ausschnitt aufziehen",
        "Pan": "Verschieben",
        "Box Select": "Rechteck auswählen",
        "Lasso Select": "Lasso-Auswahl",
        "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern",
        "Autoscale": "Alles zeigen",
        "Reset axes": "Achsen zurücksetzen",
        "Reset": "Zurücksetzen",
        "Reset view": "Ansicht zurücksetzen",
        "Reset views": "Ansichten zurücksetzen",
        "Toggle Spike Lines": "Hilfslinien an/aus",
        "Show closest data on hover": "Beim Zeigen den nächsten Wert anzeigen",
        "Compare data on hover": "Beim Zeigen die Werte vergleichen",
        "Toggle show closest data on hover": "Anzeige des nächsten Werts an/aus",
        "Double-click to zoom back out": "Doppelklick: wieder ganz zeigen",
        "Double-click on legend to isolate one trace": "Doppelklick auf die Legende zeigt nur diese Reihe",
        "Preparing image - this may take a few seconds": "Bild wird erstellt – das kann einige Sekunden dauern",
        "Image download succeeded": "Bild heruntergeladen",
        "JSON download succeeded": "JSON heruntergeladen",
        "Sorry, there was a problem downloading your image!": "Das Bild konnte nicht heruntergeladen werden.",
        "Sorry, there was a problem downloading your JSON file!": "Die JSON-Datei konnte nicht heruntergeladen werden.",
        "Produced with Plotly.js": "Erstellt mit Plotly.js",
        "trace": "Reihe",
        "new text": "neuer Text",
    },
    "format": {
        "days": ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
                   "November", "Dezember"],
        "shortMonths": ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
    },
}


#: Page "Daten hochladen".
UPLOAD: dict[str, str] = {
    "template": "Leere Vorlage herunterladen (Excel)",
    "uploader": "Dateien auswählen oder hierher ziehen",
    "uploader_help": "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) oder CSV. Die Daten bleiben in Ihrer Sitzung.",
    "next_heatmap": "Weiter: Heatmap ansehen",
    "mapping_title": "Blatt und Spalten",
    "mapping_hint": (
        "Welche Spalte der Datei bedeutet was? Die Zuordnung ist vorgeschlagen; ändern Sie sie bei Bedarf "
        "und klicken Sie auf „Zuordnung übernehmen“."
    ),
    "sheet": "Tabellenblatt",
    "apply": "Zuordnung übernehmen",
    "no_change": "Keine Änderung.",
    "report_title": "Prüfbericht",
    "report_empty": "Keine Auffälligkeiten.",
    "report_show": "Anzeigen",
}
#: Upload page, per file: fill down and the saved column mapping (views/mapping_tools.py).
MAPPING_TOOLS: dict[str, str] = {
    "fill": "Leere Zellen mit dem Wert darüber füllen (nach unten auffüllen)",
    "fill_none": "keine Spalte",
    "save": "Spaltenzuordnung speichern",
    "save_help": "Als JSON-Datei, für die nächste Liste gleicher Art oder für python -m soni … --zuordnung DATEI.json",
    "load": "Gespeicherte Zuordnung laden",
}


def fill_hint(suggested: list[str]) -> str:
    return ("Für Listen, in denen z. B. das Quartier nur in der ersten Zeile jedes Blocks steht."
            + (f" Vorgeschlagen: {', '.join(suggested)}." if suggested else ""))


def fill_suggestion(suggested: list[str]) -> str:
    return f"Vorschlag: {', '.join(suggested)} nach unten auffüllen (siehe Prüfbericht)."


def mapping_loaded(name: str, file: str, missing: list[str]) -> str:
    text = f"Zuordnung aus {name} übernommen."
    if missing:
        text += f" Diese Spalten gibt es in {file} nicht; sie bleiben unberücksichtigt: {', '.join(missing)}."
    return text


#: Page "Zuordnung prüfen".
CHECK: dict[str, str] = {
    "activities": "Aktivitäten",
    "unclear": "unklar",
    "low": "unsicher (< 50 %)",
    "corrected": "korrigiert",
    "view": "Anzeigen",
    "search": "Suche in Titel und Beschreibung",
    "field_help": (
        "Sozialstruktur, Organisation, Netzwerk oder Individuum – oder „unklar“, wenn Sie es nicht wissen. "
        "Zurücknehmen lässt sich eine Korrektur unten unter „Korrekturen“."
    ),
    "aspect_help": "Einer der drei Aspekte des Feldes (passt er nicht zum Feld, wird das Feld angepasst)",
    "reason": "Begründung",
    "source": "Quelle",
    "second": "Zweitfeld",
    "corrections": "Korrekturen",
    "gone": "(nicht in den aktuellen Daten)",
    "undo_hint": (
        "Zum Zurücknehmen Zeilen links ankreuzen: sie bekommen wieder die automatische Zuordnung. "
        "Korrekturen bleiben erhalten, wenn die Datei mit anderer Spaltenzuordnung neu gelesen wird."
    ),
    "reset": "Alle Korrekturen verwerfen",
    "none": "Noch keine Korrekturen.",
    "download": "Zugeordnete Liste herunterladen",
    "download_hint": (
        "Alle Spalten Ihrer Datei plus die fünf SONI-Spalten. Diese Datei kann später wieder hochgeladen "
        "werden: die Zuordnung (auch Ihre Korrekturen) wird dann übernommen."
    ),
    "sample_stem": "beispieldaten",
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
}
#: Page "Export".
EXPORT_PAGE: dict[str, str] = {
    "quartiere": "Quartiere",
    "quartiere_help": "Leer lassen für alle Quartiere. Jedes gewählte Quartier bekommt eine eigene Seite.",
    "formats": "Formate",
    "build": "Unterlagen erstellen",
    "building": "Unterlagen werden erstellt …",
    "images_failed": "Die Bilder konnten nicht erzeugt werden.",
    "failed": "Die Unterlagen konnten nicht erstellt werden.",
    "stale": "Die Auswahl hat sich geändert – die Dateien unten gehören noch zur vorigen Auswahl.",
    "lesart": "Lesart vor dem Export bearbeiten",
    "lesart_label": "Schwerpunkte und Lücken (erste Zeile: Überschrift, jede weitere Zeile ein Punkt)",
    "lesart_help": "So erscheint die Lesart im PDF und auf den Folien. Leeren stellt den berechneten Text wieder her.",
    "download": "Herunterladen",
}
#: Formats offered on the export page.
EXPORT_FORMATS: dict[str, str] = {
    "pdf": "PDF-Sitzungsvorlage",
    "pptx": "PowerPoint-Folien",
    "xlsx": "Excel-Zusammenfassung",
    "png": "Diagramme als PNG",
    "svg": "Diagramme als SVG",
    "csv": "Aktivitäten als CSV",
}


def plural(n: int, one: str, many: str) -> str:
    """"1 Datei", "2 Dateien", "0 Dateien" (the number in German format)."""
    return f"{fmt_number(n)} {one if n == 1 else many}"


def reading(names: str) -> str:
    return f"Lese {names} …"


def read_done(n: int) -> str:
    return f"{plural(n, 'Aktivität', 'Aktivitäten')} gelesen."


def read_unexpected(kind: str) -> str:
    return (f"Beim Lesen ist ein unerwarteter Fehler aufgetreten ({kind}). "
            "Bitte prüfen Sie die Datei oder speichern Sie sie neu als .xlsx.")


def missing_metric_note(missing: int, total: int, metric: str) -> str:
    return (f"Für {fmt_number(missing)} von {plural(total, 'Aktivität', 'Aktivitäten')} fehlt die Angabe "
            f"{METRIC_SHORT[metric]}; sie zählen bei dieser Kennzahl nicht mit.")


def first_of(limit: int, total: int) -> str:
    return f"Die ersten {fmt_number(limit)} von {fmt_number(total)} Aktivitäten."


def field_summary(field: str) -> str:
    """One Markdown line per field for the model explanation: name, level, reference, aspects."""
    f = grid.FIELD_BY_NAME[field]
    return (f"**{f.name}** ({f.level}, Bezug: {f.refers_to}): "
            + ", ".join(a.label for a in grid.aspects_of(f.name)))


def cell_count(n: int, where: str, scope: str) -> str:
    return f"**{fmt_metric(n, 'anzahl')}** in {where} ({scope})"


def cell_example(hint: str) -> str:
    return f"Arbeit hier könnte so aussehen: {hint}."


def selection_footer(n: int, unclear: int | float, sources: str) -> str:
    return (f"Stand der Auswahl: {fmt_metric(n, 'anzahl')} nach Filter, davon {fmt_number(unclear)} nicht "
            f"zugeordnet. Quelle: {sources}.")


def too_few_periods(kind: str) -> str:
    return f"Für einen Vergleich zwischen Zeiträumen braucht es Aktivitäten aus mindestens zwei Zeiträumen ({kind})."


def upload_summary(n: int, n_files: int, skipped: int, skips: dict[str, int]) -> str:
    """"40 Aktivitäten aus 1 Datei, 3 Zeilen übersprungen: leer (2×); Summe (1×)."""
    text = (f"{fmt_metric(n, 'anzahl')} aus {plural(n_files, 'Datei', 'Dateien')}, "
            f"{plural(skipped, 'Zeile', 'Zeilen')} übersprungen")
    if skips:
        top = sorted(skips.items(), key=lambda kv: -kv[1])
        text += ": " + "; ".join(f"{reason} ({fmt_number(k)}×)" for reason, k in top[:5])
        text += " …" if len(top) > 5 else ""
    return text + "."


def loaded_files(names: Sequence[str]) -> str:
    """Under the uploader: what is loaded now (the uploader box itself may look empty)."""
    return (f"Geladen: {', '.join(names)}. Neue Dateien im Feld oben ersetzen sie; "
            "„Daten entfernen“ in der Seitenleiste zeigt wieder die Beispieldaten.")


def header_row(row: object) -> str:
    return f"Kopfzeile: Zeile {row}"


def mapping_label(canon: str) -> str:
    """Label of a column in the mapping form (a SONI column from the file says so)."""
    return canon.replace(" (Datei)", " (SONI, aus der Datei)")


def report_caption(counts: dict[str, int]) -> str:
    parts = [plural(counts.get("Fehler", 0), "Fehler", "Fehler"),
             plural(counts.get("Warnung", 0), "Warnung", "Warnungen"),
             plural(counts.get("Hinweis", 0), "Hinweis", "Hinweise")]
    return "Probleme nach Zeile und Spalte, Fehler zuerst: " + ", ".join(parts) + "."


def aspect_choice(label: str) -> str:
    """An aspect in the editor's list, grouped by its field: "Netzwerk › Nachbarschaftshilfe"."""
    aspect = grid.ASPECT_BY_LABEL.get(label)
    return f"{aspect.field} › {label}" if aspect else label


def listed_of(shown: int, total: int) -> str:
    """Caption of a list in the handout: complete, or the first part (all rows are in the Excel file)."""
    if shown >= total:
        return ""
    return f"Die ersten {fmt_number(shown)} von {fmt_number(total)}; alle stehen in der Excel-Zusammenfassung."


def worklist_caption(n: int, shown: int) -> str:
    more = f", die ersten {fmt_number(shown)} werden gezeigt" if n > shown else ""
    return (f"{plural(n, 'Zeile', 'Zeilen')} in dieser Ansicht{more}. "
            "Bearbeitbar sind die Spalten SONI-Feld und SONI-Aspekt.")


def undo_label(n: int) -> str:
    return f"Ausgewählte zurücknehmen ({n})" if n else "Ausgewählte zurücknehmen"


def export_unexpected(kind: str) -> str:
    return (f"Beim Erstellen ist ein Fehler aufgetreten ({kind}). Bitte weniger Formate oder Quartiere wählen "
            "und erneut versuchen.")


def files_built(n: int) -> str:
    return f"{plural(n, 'Datei', 'Dateien')} erstellt."


def export_partly(built: int, failed: int) -> str:
    return (f"{plural(built, 'Datei', 'Dateien')} erstellt, {plural(failed, 'Format', 'Formate')} "
            "fehlgeschlagen (siehe unten).")


def zip_label(n: int) -> str:
    return f"Alles als ZIP ({plural(n, 'Datei', 'Dateien')})"


def single_charts(n: int) -> str:
    return f"Einzelne Diagramme ({fmt_number(n)})"


def export_footer(source: str, n: int, metric: str, quartiere: str) -> str:
    text = f"Datengrundlage: {source}, {fmt_metric(n, 'anzahl')}. Kennzahl: {METRIC_LABELS[metric]}."
    return text + (f" Quartiere: {quartiere}." if quartiere else "")


#: The model in a few sentences, after the seed text (Projekt „Aufbruch Quartier“).
SONI_KURZ = (
    "Das SONI-Modell der Sozialraumorientierung beschreibt zwei Ebenen: die Lebenswelt der "
    "Menschen mit ihren Netzwerken und die Systemebene der Quartiers-Strukturen und der "
    "Organisationen, die in den Quartieren tätig sind oder werden könnten. "
    "Daraus ergeben sich vier Felder: Sozialstruktur (Bezug: Kommunalpolitik und -verwaltung) "
    "und Organisation (Bezug: Hilfesystem) auf der Systemebene, Netzwerk (Bezug: Gemeinwesen) "
    "und Individuum (Bezug: Fallarbeit) auf der Ebene der Lebenswelt. "
    "Jedes Feld hat drei Aspekte, von der Sozialraumanalyse bis zum Case-Management. "
    "Das Modell hilft zu sehen, wo bisher besonders viel gemacht wird, und zu überlegen, ob "
    "sich die Wirksamkeit erhöhen lässt, indem andere Bereiche stärker in die Arbeit "
    "einbezogen werden."
)

LEVEL_TEXT: dict[str, str] = {
    "System": "Systemebene: Quartiers-Strukturen und Organisationen",
    "Lebenswelt": "Ebene der Lebenswelt: Menschen und ihre Netzwerke",
}

#: What work in a field could look like — used when a field is missing or weak.
FIELD_HINTS: dict[str, str] = {
    "Sozialstruktur": (
        "Ergebnisse der eigenen Arbeit in den Sozialausschuss einbringen, an der "
        "Sozialraumplanung der Kommune mitwirken, Bedarfe im Quartier erheben und öffentlich machen"
    ),
    "Organisation": (
        "Angebote mit anderen Trägern abstimmen (Trägerrunde), eigene Angebote am Bedarf im "
        "Quartier ausrichten, neue Unterstützungsangebote gemeinsam entwickeln"
    ),
    "Netzwerk": (
        "Nachbarschaftstreffen, Ehrenamtliche gewinnen, Runder Tisch im Quartier, "
        "Ressourcen des Gemeinwesens sichtbar machen und aktivieren"
    ),
    "Individuum": (
        "Einzelberatung, Lotsendienste, Case-Management: vom individuellen Bedarf und Willen "
        "der Menschen ausgehen und passgenaue Hilfen koordinieren"
    ),
}

#: What work in an aspect could look like (keys as in grid.ASPECTS).
ASPECT_HINTS: dict[str, str] = {
    "S1": "Bestand feststellen und Bedarf ermitteln, z. B. Sozialdaten auswerten, Quartiersbegehung, Befragung",
    "S2": "an der Planung bedarfsgerechter Infrastruktur mitwirken, z. B. in Planungsgruppen der Kommune",
    "S3": (
        "politische Entscheidungen begleiten, für Transparenz und Öffentlichkeit sorgen, "
        "z. B. im Sozialausschuss berichten"
    ),
    "O1": "bedarfsgerechte Infrastruktur- und Unterstützungsangebote entwickeln",
    "O2": "die eigenen Angebote sozialräumlich steuern: am Quartier und seinem Bedarf ausrichten",
    "O3": "Angebote mehrerer Träger im Quartier koordinieren, z. B. in einer Trägerrunde",
    "N1": "vom Bedarf im Gemeinwesen ausgehen: offene Treffs, Nachbarschaftsarbeit, Stadtteilfeste",
    "N2": "Ressourcen des Quartiers aktivieren: Ehrenamtliche gewinnen, Selbsthilfe und Initiativen stärken",
    "N3": "mit anderen Trägern Angebote im Gemeinwesen entwickeln, z. B. Runder Tisch, Quartiersnetzwerk",
    "I1": "vom individuellen Bedarf und Willen der Menschen ausgehen, z. B. Einzelberatung, Sprechstunde",
    "I2": "mit den Ressourcen der einzelnen Menschen arbeiten, z. B. Lotsendienste, Begleitung, Stärkung",
    "I3": "passgenaue Hilfen fallbezogen koordinieren (Case-Management)",
}

METRIC_LABELS: dict[str, str] = schema.METRIC_LABELS
#: Unit after a formatted value ("12 Aktivitäten", "1.200 €").
METRIC_UNITS: dict[str, tuple[str, str]] = {
    # metric -> (singular, plural)
    "anzahl": ("Aktivität", "Aktivitäten"),
    "stunden": ("Stunde", "Stunden"),
    "teilnehmende": ("Teilnehmende", "Teilnehmende"),
    "kosten": ("€", "€"),
}
#: "… 40 % der Aktivitäten"
METRIC_GENITIVE: dict[str, str] = {
    "anzahl": "der Aktivitäten",
    "stunden": "der Stunden",
    "teilnehmende": "der Teilnehmenden",
    "kosten": "der Kosten",
}
#: Name of the value column in tables ("Anzahl Aktivitäten", "Stunden", …).
METRIC_SHORT: dict[str, str] = {
    "anzahl": "Anzahl",
    "stunden": "Stunden",
    "teilnehmende": "Teilnehmende",
    "kosten": "Kosten",
}

KEINE_DATEN = "Keine Aktivitäten in dieser Auswahl."
#: On a page whose filters leave nothing.
EMPTY_SELECTION = (
    "Keine Aktivitäten in dieser Auswahl. Lockern Sie die Filter (Träger, Zielgruppe, Zeitraum) "
    "oder wählen Sie ein anderes Quartier."
)
OHNE_ZEITANGABE = "ohne Zeitangabe"
#: Name of the group without a value, per period column: it says what is missing (an activity dated
#: only by its year has a Jahr but no Halbjahr or Quartal).
UNDATED: dict[str, str] = {
    schema.JAHR: OHNE_ZEITANGABE,
    schema.HALBJAHR: "ohne Halbjahr (kein Datum oder nur das Jahr)",
    schema.QUARTAL: "ohne Quartal (kein Datum oder nur das Jahr)",
}


def undated_label(by: str) -> str:
    """The group name for activities without a value in period column ``by``."""
    return UNDATED.get(by, OHNE_ZEITANGABE)


def is_undated(label: object) -> bool:
    """True for the group of activities without a period (any period column)."""
    return str(label) in UNDATED.values()
OHNE_ASPEKT = "ohne Aspekt"
QUELLE_PREFIX = "Quelle: "

_NA = "–"


# --- numbers ---------------------------------------------------------------------


def _is_missing(x: object) -> bool:
    if x is None or x is pd.NA or x is pd.NaT:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def fmt_number(x: object, decimals: int = 0) -> str:
    """German number: 1234.5 → "1.235" (decimals=0) or "1.234,5" (decimals=1); missing → "–"."""
    if _is_missing(x):
        return _NA
    value = float(x)  # type: ignore[arg-type]
    text = f"{value:,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if text.startswith("-") and float(text[1:].replace(".", "").replace(",", ".")) == 0:
        text = text[1:]  # no "-0"
    return text


def fmt_share(x: object, decimals: int = 0) -> str:
    """A share 0..1 as German percent: 0.123 → "12 %"; tiny but non-zero → "<1 %"; missing → "–"."""
    if _is_missing(x):
        return _NA
    value = float(x) * 100  # type: ignore[arg-type]
    step = 10 ** (-decimals)
    if 0 < value < step / 2:
        return f"<{fmt_number(step, decimals)} %"
    return f"{fmt_number(value, decimals)} %"


def fmt_points(x: object, decimals: int = 0) -> str:
    """A difference of shares as signed percentage points: 0.12 → "+12 %-Pkt."; missing → "–"."""
    if _is_missing(x):
        return _NA
    value = float(x) * 100  # type: ignore[arg-type]
    text = fmt_number(abs(value), decimals)
    if text.strip("0,") == "":
        return f"±{text} %-Pkt."
    return f"{'+' if value > 0 else '-'}{text} %-Pkt."


def fmt_metric(x: object, metric: str, decimals: int = 0) -> str:
    """A metric value with its unit: "12 Aktivitäten", "1 Aktivität", "340 Stunden", "12.300 €"."""
    if _is_missing(x):
        return _NA
    singular, plural = METRIC_UNITS.get(metric, ("", ""))
    number = fmt_number(x, decimals)
    unit = singular if number == "1" else plural
    return f"{number} {unit}".strip()


def wrap_label(text: str, width: int = 18, sep: str = "<br>") -> str:
    """Wrap a label for a chart cell (plotly line breaks by default)."""
    return sep.join(textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=True))


# --- scope and captions ----------------------------------------------------------


def _join_names(names: Sequence[str]) -> str:
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " und " + names[-1]


def period_span(df: pd.DataFrame | None) -> str:
    """The years the activities cover, "2023–2025" or "2024"; "" when unknown."""
    if df is None or schema.JAHR not in df.columns or df.empty:
        return ""
    years = pd.to_numeric(df[schema.JAHR], errors="coerce").dropna()
    if years.empty:
        return ""
    lo, hi = int(years.min()), int(years.max())
    return str(lo) if lo == hi else f"{lo}–{hi}"


def scope_label(
    df: pd.DataFrame | None = None,
    *,
    quartiere: Iterable[str] | None = None,
    traeger: Iterable[str] | None = None,
    zielgruppen: Iterable[str] | None = None,
    periods: Iterable[object] | None = None,
) -> str:
    """Describe a selection in words: "Quartier Nordstadt, 2023–2025" or "alle Quartiere".

    Without ``periods`` the years are taken from ``df`` (the filtered frame), if given.
    """
    parts: list[str] = []
    q = list(quartiere or [])
    if not q:
        parts.append("alle Quartiere")
    elif len(q) == 1:
        parts.append(f"Quartier {q[0]}")
    elif len(q) <= 3:
        parts.append(f"Quartiere {_join_names(q)}")
    else:
        parts.append(f"{len(q)} Quartiere")
    t = list(traeger or [])
    if len(t) == 1:
        parts.append(f"Träger {t[0]}")
    elif t:
        parts.append(f"{len(t)} Träger" if len(t) > 3 else f"Träger {_join_names(t)}")
    z = list(zielgruppen or [])
    if len(z) == 1:
        parts.append(f"Zielgruppe {z[0]}")
    elif z:
        parts.append(f"{len(z)} Zielgruppen" if len(z) > 3 else f"Zielgruppen {_join_names(z)}")
    p = sorted(str(x) for x in (periods or []))
    if len(p) == 1:
        parts.append(p[0])
    elif len(p) > 1:
        parts.append(f"{p[0]}–{p[-1]}" if len(p) > 3 else _join_names(p))
    else:
        span = period_span(df)
        if span:
            parts.append(span)
    return ", ".join(parts)


def sources_text(sources: Iterable[str] | str | None) -> str:
    """ "Quelle: a.xlsx, b.csv" (empty when no sources)."""
    if sources is None:
        return ""
    items = [sources] if isinstance(sources, str) else [str(s) for s in sources if str(s)]
    items = list(dict.fromkeys(items))
    if not items:
        return ""
    return QUELLE_PREFIX + ", ".join(items)


#: Chart kinds for ``chart_title`` / ``caption``.
CHART_KINDS: tuple[str, ...] = ("feld", "aspekt", "quartiere", "gruppen", "differenz", "zeitverlauf")


def chart_title(kind: str, metric: str, share: bool = False, by: str = schema.QUARTIER) -> str:
    """A short chart title, e.g. "Anzahl Aktivitäten je SONI-Feld"."""
    label = METRIC_LABELS.get(metric, metric)
    what = f"Anteile {METRIC_GENITIVE.get(metric, label)}" if share else label
    by_word = "Quartier" if by == schema.QUARTIER else by
    titles = {
        "feld": f"{what} je SONI-Feld",
        "aspekt": f"{what} je SONI-Feld und Aspekt",
        "quartiere": f"{what} je SONI-Feld, Quartiere im Vergleich",
        "gruppen": f"Anteile {METRIC_GENITIVE.get(metric, label)} je {by_word} und SONI-Feld",
        "differenz": "Unterschied der Anteile je SONI-Feld und Aspekt",
        "zeitverlauf": f"{what} je SONI-Feld im Zeitverlauf",
    }
    if kind not in titles:
        raise ValueError(f"Unbekannte Grafik: {kind!r}")
    return titles[kind]


def caption(
    kind: str,
    metric: str,
    scope: str,
    sources: Iterable[str] | str | None = None,
    *,
    share: bool = False,
    missing: float = 0.0,
    unclear: float = 0,
    a: str | None = None,
    b: str | None = None,
    by: str = schema.QUARTIER,
) -> str:
    """A caption that stands on its own in a meeting.

    E.g. "Anzahl Aktivitäten je SONI-Feld, Quartier Nordstadt, 2023–2025. Quelle: inventar.xlsx".
    ``missing`` is the share of rows without the metric (``aggregate.missing_share``),
    ``unclear`` the number of "unklar" activities; ``a``/``b`` name the compared groups
    for kind "differenz" (``b`` None = average of all groups).
    """
    if kind == "differenz":
        label = METRIC_LABELS.get(metric, metric)
        other = b if b else average_label(by)
        head = (
            f"Unterschied der Anteile ({label}) je SONI-Feld und Aspekt in Prozentpunkten: "
            f"{a or '?'} gegenüber {other}"
        )
    else:
        head = chart_title(kind, metric, share, by=by)
    sentences = [f"{head}, {scope}." if scope else f"{head}."]
    if missing and missing > 0:
        sentences.append(
            f"Für {fmt_share(missing)} der Aktivitäten fehlt die Angabe "
            f"{METRIC_SHORT.get(metric, metric)}; sie sind nicht mitgezählt."
        )
    if unclear and unclear > 0:
        n = fmt_number(unclear)
        verb = "ist" if n == "1" else "sind"
        sentences.append(f"{n} {'Aktivität' if n == '1' else 'Aktivitäten'} {verb} keinem Feld zugeordnet.")
    if kind in ("feld", "aspekt", "quartiere") and share:
        sentences.append("Anteile beziehen sich auf die zugeordneten Aktivitäten.")
    src = sources_text(sources)
    if src:
        sentences.append(src)
    return " ".join(sentences)


def average_label(by: str = schema.QUARTIER) -> str:
    """ "Durchschnitt aller Quartiere" / "Durchschnitt aller Zeiträume"."""
    return "Durchschnitt aller Quartiere" if by == schema.QUARTIER else "Durchschnitt aller Zeiträume"


def field_hint(field: str) -> str:
    """What work in a field could look like ("" for unknown fields)."""
    return FIELD_HINTS.get(field, "")


def aspect_hint(key_or_label: str) -> str:
    """What work in an aspect could look like, by key ("N2") or short label."""
    aspect = grid.ASPECT_BY_KEY.get(key_or_label) or grid.ASPECT_BY_LABEL.get(key_or_label)
    return ASPECT_HINTS.get(aspect.key, "") if aspect else ""


# --- Arbeitsbereich (team workspace, soni/store.py) ---------------------------------
WS_TITLE = "Arbeitsbereich"
WS_INTRO = (
    "Hier speichert das Team seine Bestandsaufnahmen – mit Spaltenzuordnung, allen Korrekturen und eigenen "
    "Begriffen –, um sie im nächsten Jahr zu vergleichen. Gespeichert wird nur, wenn Sie auf „Speichern“ "
    "klicken; bis dahin bleibt alles nur in Ihrer Sitzung."
)
WS_WHERE = "Arbeitsbereich „{name}“ · Mitglieder: {members} · Datenbank: {where}"
#: Where the workspace's data live, by database kind (the page never shows a server path or URL).
WS_DB_PLACES = {"sqlite": "Datei auf diesem Server (SQLite)", "postgresql": "Datenbankserver des Teams (PostgreSQL)"}
WS_LOGIN_NEEDED = "Der Arbeitsbereich ist nur nach der Anmeldung verfügbar; er gehört Ihrem Team."
WS_LOGIN = "Anmelden"
WS_UNAVAILABLE = "Die Datenbank des Arbeitsbereichs ist nicht erreichbar ({error}). Die Sitzung funktioniert weiter."
WS_SAVE_HEADING = "Aktuelle Daten speichern"
WS_SAVE_HINT = "Gleicher Name: die gespeicherte Bestandsaufnahme wird ersetzt; ihre Korrekturen bleiben erhalten."
WS_NAME = "Name"
WS_NAME_DEFAULT = "Bestandsaufnahme {year}"
WS_GEMEINDE = "Gemeinde / Einrichtung"
WS_DATUM = "Datum der Bestandsaufnahme"
WS_SAVE = "Speichern"
WS_SAVED = "„{name}“ gespeichert: {n} Aktivitäten, {k} neue Korrekturen."
WS_LIST_HEADING = "Gespeicherte Bestandsaufnahmen"
WS_EMPTY = "Noch nichts gespeichert."
WS_PICK = "Bestandsaufnahme"
WS_OPEN = "Öffnen"
WS_OPENED = "„{name}“ ist geöffnet: alle Seiten zeigen jetzt diese Bestandsaufnahme."
WS_DELETE = "Löschen"
WS_DELETE_CONFIRM = "Ja, „{name}“ mit allen Korrekturen löschen"
WS_DELETED = "„{name}“ wurde gelöscht."
WS_OPENED_SOURCE = "gespeichert: {name}"
WS_LEARN_HEADING = "Was der Arbeitsbereich gelernt hat"
WS_LEARN_TOGGLE = "Gelerntes auf neue Daten anwenden"
WS_LEARN_HELP = (
    "Korrekturen gelten dann für dieselbe Aktivität (gleicher Titel im gleichen Quartier) in neuen Daten, und die "
    "eigenen Begriffe des Teams werden beim Zuordnen hochgeladener Dateien verwendet."
)
WS_LEARN_APPLIED = "{n} Zuordnungen aus früheren Korrekturen übernommen."
WS_LEARNT_CAPTION = ("Die jeweils letzte Korrektur je Aktivität (Titel und Quartier); sie wird auf dieselbe "
                     "Aktivität im nächsten Jahr übertragen. Derselbe Titel in einem anderen Quartier ist eine andere "
                     "Aktivität; eine Korrektur ohne Quartier („(jedes)“) gilt für den Titel überall.")
WS_NO_LEARNT = "Noch keine gespeicherten Korrekturen."
WS_TERMS_HEADING = "Eigene Begriffe des Teams"
WS_TERM_ADD = "Begriff hinzufügen"
WS_TERM_ADDED = "Begriff „{begriff}“ gespeichert."
WS_TERM_PICK = "Eigener Begriff"
WS_TERM_REMOVE = "Entfernen"
WS_TERM_REMOVED = "Begriff „{begriff}“ entfernt."
WS_MEMBER_ADD = "Mitglied hinzufügen (E-Mail)"
WS_YEARS_TAB = "Bestandsaufnahmen"
WS_YEARS_PICK = "Bestandsaufnahmen (zwei oder mehr, in zeitlicher Reihenfolge)"
WS_YEARS_NEED_TWO = "Für einen Vergleich über die Jahre mindestens zwei gespeicherte Bestandsaufnahmen wählen."
WS_YEARS_NONE = "Im Arbeitsbereich sind noch keine zwei Bestandsaufnahmen gespeichert."
WS_YEARS_GRID = "Das SONI-Raster je Bestandsaufnahme und die Verschiebung vom ersten zum letzten"
WS_YEARS_CHANGES = "Aktivitäten: neu, weggefallen, verschoben (nach Titel zugeordnet)"
WS_YEARS_DOWNLOAD = "Jahresvergleich als Excel"
WS_YEARS_BUILD = "Sitzungspaket über die Jahre erstellen (PDF, PowerPoint, Excel, Bilder)"
WS_YEARS_BUILDING = "Sitzungspaket über die Jahre wird erstellt …"
WS_YEARS_ZIP = "Sitzungspaket über die Jahre herunterladen (ZIP)"

"""Canonical columns of the activity table — the one source of truth for column names.

The pipeline keeps every original column of an upload (``Inventory.original``)
and builds a typed table of canonical columns beside it (``Inventory.activities``).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- canonical (mapped) columns -------------------------------------------------
TITEL = "Titel"
BESCHREIBUNG = "Beschreibung"
QUARTIER = "Quartier"
TRAEGER = "Träger"
ZIELGRUPPE = "Zielgruppe"
ART = "Angebotsart"
BEGINN = "Beginn"
ENDE = "Ende"
STUNDEN = "Stunden"
TEILNEHMENDE = "Teilnehmende"
KOSTEN = "Kosten"
EHRENAMTLICHE = "Ehrenamtliche"
IN_FELD = "Feld (Datei)"  # an explicit SONI-Feld in the upload
IN_ASPEKT = "Aspekt (Datei)"  # an explicit SONI-Aspekt in the upload
IN_QUELLE = "Quelle (Datei)"  # an explicit SONI-Quelle in the upload

# --- columns the pipeline derives ----------------------------------------------
ZEILEN_ID = "Zeilen-ID"  # stable row id, "datei:blatt:zeile"
DATEI = "Datei"
BLATT = "Blatt"
ZEILE = "Zeile"  # row number as the user sees it in Excel (1-based, header counted)
JAHR = "Jahr"
HALBJAHR = "Halbjahr"  # "2024-H1"
QUARTAL = "Quartal"  # "2024-Q3"
QUARTIER_KEY = "Quartier-Schlüssel"  # folded form used for grouping

# --- the five SONI columns (shared/SONI.md) -------------------------------------
SONI_FELD = "SONI-Feld"
SONI_ASPEKT = "SONI-Aspekt"
SONI_KONFIDENZ = "SONI-Konfidenz"
SONI_BEGRUENDUNG = "SONI-Begründung"
SONI_QUELLE = "SONI-Quelle"
SONI_COLUMNS: tuple[str, ...] = (SONI_FELD, SONI_ASPEKT, SONI_KONFIDENZ, SONI_BEGRUENDUNG, SONI_QUELLE)
# runner-up field for overlaps (not part of the file contract, shown in the app)
SONI_ZWEITFELD = "SONI-Zweitfeld"
SONI_ZWEITWERT = "SONI-Zweitwert"

QUELLE_DATEI = "Datei"
QUELLE_REGEL = "Regel"
QUELLE_MANUELL = "manuell"

OHNE_QUARTIER = "ohne Quartier"
#: Excel's limit of characters in one cell; longer text is cut (with a warning) on the way in.
EXCEL_MAX_CELL_CHARS = 32_767
#: Titles of the template's example rows start with this; the intake skips such rows.
BEISPIEL_MARKE = "Beispiel – bitte löschen"

# --- metrics --------------------------------------------------------------------
METRICS: dict[str, str] = {
    # command-line name -> column ("anzahl" counts rows)
    "anzahl": "",
    "stunden": STUNDEN,
    "teilnehmende": TEILNEHMENDE,
    "kosten": KOSTEN,
}
METRIC_LABELS: dict[str, str] = {
    "anzahl": "Anzahl Aktivitäten",
    "stunden": "Stunden",
    "teilnehmende": "Teilnehmende",
    "kosten": "Kosten (€)",
}
PERIODS: dict[str, str] = {"Jahr": JAHR, "Halbjahr": HALBJAHR, "Quartal": QUARTAL}


@dataclass(frozen=True)
class Canon:
    """A canonical column: its name, kind and the header words that point to it."""

    name: str
    kind: str  # "text", "number", "date"
    synonyms: tuple[str, ...]
    help: str


#: Order matters: earlier entries win when a header fits several.
CANON: tuple[Canon, ...] = (
    Canon(IN_FELD, "text", ("soni-feld", "soni feld", "soni"), "Feld des SONI-Modells, falls schon bekannt"),
    Canon(IN_ASPEKT, "text", ("soni-aspekt", "soni aspekt"), "Aspekt des SONI-Modells, falls schon bekannt"),
    Canon(IN_QUELLE, "text", ("soni-quelle",), "Herkunft der Zuordnung (Datei, Regel, manuell)"),
    Canon(
        TITEL,
        "text",
        (
            "titel", "title", "name", "bezeichnung", "angebot", "angebotsname", "aktivität", "aktivitaet",
            "aktion", "projekt", "projektname", "projekttitel", "vorhaben", "maßnahme", "massnahme",
            "veranstaltung", "activity", "project", "offer", "einrichtungsname", "gruppe", "kurztitel",
            "thema",
        ),
        "Kurzer Name der Aktivität",
    ),
    Canon(
        BESCHREIBUNG,
        "text",
        (
            "beschreibung", "description", "kurzbeschreibung", "inhalt", "inhalte", "ziel", "ziele",
            "zweck", "zuwendungszweck", "details", "erläuterung", "erlaeuterung", "bemerkung",
            "bemerkungen", "kommentar", "notes", "notiz", "text", "projektbeschreibung", "was",
            "worum", "worum geht es", "was passiert", "was wird gemacht", "angebotsbeschreibung", "kurzinfo",
            "info", "infos", "summary", "anmerkung", "anmerkungen",
        ),
        "Was geschieht? Ein bis drei Sätze",
    ),
    Canon(
        QUARTIER,
        "text",
        (
            "quartier", "stadtteil", "ortsteil", "sozialraum", "viertel", "kiez", "bezirk", "stadtbezirk",
            "district", "neighbourhood", "neighborhood", "quarter", "gebiet", "wohngebiet", "ort",
            "standort", "gemeinde", "kirchengemeinde", "location", "region", "behörde", "behoerde",
            "wo", "nachbarschaft", "siedlung",
        ),
        "Stadtteil oder Quartier, in dem die Aktivität stattfindet",
    ),
    Canon(
        TRAEGER,
        "text",
        (
            "träger", "traeger", "trager", "anbieter", "organisation", "einrichtung", "verein", "provider",
            "organization", "zuwendungsempfänger", "zuwendungsempfaenger", "projektträger", "agenturname",
            "veranstalter", "verantwortlich", "institution", "wer", "durchführung", "durchfuehrung",
            "durchgeführt von", "zuständig", "zuständigkeit", "federführung", "federfuehrung", "betreiber",
        ),
        "Wer bietet die Aktivität an?",
    ),
    Canon(
        ZIELGRUPPE,
        "text",
        ("zielgruppe", "zielgruppen", "target group", "adressaten", "für wen", "teilnehmerkreis", "audience"),
        "Für wen ist die Aktivität?",
    ),
    Canon(
        ART,
        "text",
        (
            "angebotsart", "art", "typ", "type", "format", "kategorie", "category", "einrichtungsart",
            "form", "angebotsform", "bereich", "handlungsfeld", "arbeitsfeld",
        ),
        "Art des Angebots (Gruppe, Beratung, Gremium, …)",
    ),
    Canon(
        BEGINN,
        "date",
        (
            "beginn", "start", "startdatum", "anfang", "von", "seit", "datum", "date", "laufzeit beginn",
            "projektbeginn", "begin", "zeitraum", "laufzeit", "jahr", "year", "erstellt", "ab wann",
            "seit wann", "wann", "ab", "gestartet", "gründung", "gruendung", "seit jahr",
        ),
        "Beginn (Datum, Monat/Jahr, 'seit 2019' oder Jahr)",
    ),
    Canon(
        ENDE,
        "date",
        ("ende", "end", "enddatum", "bis", "laufzeit ende", "projektende", "end date", "bis wann", "endet"),
        "Ende (leer, wenn laufend)",
    ),
    Canon(
        STUNDEN,
        "number",
        ("stunden", "hours", "std", "zeitaufwand", "aufwand", "stundenumfang", "stunden pro jahr", "umfang",
         "wochenstunden", "jahresstunden", "monatsstunden", "h", "zeitumfang", "stundenzahl"),
        "Zeitaufwand in Stunden (pro Jahr)",
    ),
    Canon(
        TEILNEHMENDE,
        "number",
        (
            "teilnehmende", "teilnehmer", "teilnehmerinnen", "teilnehmerzahl", "participants", "tn",
            "anzahl teilnehmende", "anzahl teilnehmer", "besucher", "besucherinnen", "personen",
            "erreichte personen", "reichweite", "anzahl personen", "personenzahl", "leute", "menschen",
            "gäste", "gaeste", "besuche", "teilnahmen", "kinder",
        ),
        "Zahl der Teilnehmenden (ungefähr genügt)",
    ),
    Canon(
        KOSTEN,
        "number",
        (
            "kosten", "costs", "cost", "betrag", "budget", "ausgaben", "euro", "eur", "€", "summe",
            "zuwendung", "fördersumme", "foerdersumme", "gesamtkosten", "mittel", "finanzierung", "amount",
        ),
        "Kosten in Euro",
    ),
    Canon(
        EHRENAMTLICHE,
        "number",
        ("ehrenamtliche", "freiwillige", "volunteers", "engagierte", "anzahl ehrenamtliche", "ehrenamt"),
        "Zahl der Ehrenamtlichen",
    ),
)
#: Short unit synonyms (under four letters) that also count at the end of a compound word.
UNIT_SUFFIXES = frozenset({"std"})
CANON_BY_NAME: dict[str, Canon] = {c.name: c for c in CANON}
TEXT_COLUMNS: tuple[str, ...] = tuple(c.name for c in CANON if c.kind == "text")
NUMBER_COLUMNS: tuple[str, ...] = tuple(c.name for c in CANON if c.kind == "number")
#: Columns that describe a block of activities (filled down, or merged over rows): never the title,
#: the description or a count. A row with a value only here besides error values is no activity.
BLOCK_COLUMNS: tuple[str, ...] = (QUARTIER, TRAEGER, ART, ZIELGRUPPE, BEGINN, ENDE)
#: The text of the upload's other text columns (service name, tags, offer …), for the classifier.
WEITERE_TEXTE = "Weitere Texte"
#: Text columns the classifier reads, most telling first.
CLASSIFY_TEXT_COLUMNS: tuple[str, ...] = (TITEL, BESCHREIBUNG, ART, ZIELGRUPPE, TRAEGER, WEITERE_TEXTE)

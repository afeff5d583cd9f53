"""Inventories written the way a parish office keeps them (all content invented).

Title rows above the table, the office's own headers ("Angebot/Aktion", "Worum geht's",
"Wo (Bezirk/Viertel)", …), the Quartier and the Träger merged vertically per block, hours per
month, short remarks beside the description, a placeholder left from a drop-down list, an
Excel error row and a footer. Builders return ``(filename, bytes)``; ``ACTIVITIES`` says what
the intake must find.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

HEADER = ["Angebot/Aktion", "Worum geht's", "Wo (Bezirk/Viertel)", "Wer macht's", "ab wann", "Std./Monat",
          "Bemerkungen"]
TITLE_ROWS = [["Übersicht unserer Angebote – Kirchengemeinde Beispielstadt (erfunden)"],
              ["Stand: Frühjahr, bitte nicht weitergeben"], []]
QUARTIERE = ("Nordstadt", "Südviertel", "Am Hafen", "Altstadt")
TRAEGER = ("Kirchengemeinde St. Beispiel", "Diakonie Beispielstadt", "Familienzentrum Lindenweg")
_KINDS = (  # title, description (long free text)
    ("Erzählcafé", "Ältere Menschen aus dem Viertel treffen sich bei Kaffee und Kuchen und erzählen."),
    ("Hausaufgabenhilfe", "Ehrenamtliche helfen Schulkindern nachmittags bei den Hausaufgaben im Gemeindehaus."),
    ("Sozialberatung", "Beratung zu Anträgen, Schulden und Wohnungsfragen in einer offenen Sprechstunde."),
    ("Stadtteilkonferenz", "Die Träger im Stadtteil planen gemeinsam und stimmen ihre Angebote miteinander ab."),
    ("Besuchsdienst", "Ehrenamtliche besuchen ältere, alleinlebende Menschen regelmäßig zu Hause."),
    ("Kleiderkammer", "Gut erhaltene Kleidung wird gesammelt und an alle Interessierten abgegeben."),
    ("Mittagstisch", "Ein warmes Mittagessen für alle im Quartier, einmal in der Woche im Gemeindesaal."),
    ("Elternkurs", "Eltern lernen in sechs Abenden, den Alltag mit kleinen Kindern gelassener zu gestalten."),
    ("Repair-Café", "Nachbarinnen und Nachbarn reparieren gemeinsam Geräte, Fahrräder und Kleidung."),
    ("Runder Tisch Wohnen", "Verwaltung, Wohnungsgesellschaft und Gemeinde beraten über bezahlbaren Wohnraum."),
)
REMARKS = ("läuft gut", "vertraulich", "", "neu", "läuft gut", "", "Raum fehlt", "", "gut besucht", "")
STARTS = ("03/2019", "seit 2021", "01.09.2022", "2018", "Sept. 2023")
BLOCKS = (10, 12, 10, 8)  # activities per Quartier: 40 in all
N_ACTIVITIES = sum(BLOCKS)
PLACEHOLDER = "-bitte auswählen-"


def _activities() -> list[list[Any]]:
    """40 activity rows (every cell filled: the builders blank out what an office would not repeat)."""
    rows = []
    n = 0
    for q, size in zip(QUARTIERE, BLOCKS, strict=True):
        for i in range(size):
            title, text = _KINDS[n % len(_KINDS)]
            remark = REMARKS[n % len(REMARKS)]
            traeger = TRAEGER[(n // 4) % len(TRAEGER)] if i else TRAEGER[0]
            rows.append([f"{title} {q} (erfunden)", text, q, traeger, STARTS[n % len(STARTS)], 2 + n % 7,
                         remark or None])
            n += 1
    return rows


ACTIVITIES = _activities()


def _blocks(rows: list[list[Any]], column: int) -> list[tuple[int, int]]:
    """(first, last) row index of each run of equal values in ``column``."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][column] != rows[start][column]:
            runs.append((start, i - 1))
            start = i
    return runs


def _sheet(extra_rows: bool) -> tuple[list[list[Any]], int]:
    """The whole sheet and the 0-based index of the first activity row."""
    body = [list(r) for r in ACTIVITIES]
    rows: list[list[Any]] = [list(r) for r in TITLE_ROWS] + [list(HEADER)]
    first = len(rows)
    rows += body
    if extra_rows:
        rows.append(["#WERT!"] * len(HEADER))  # a broken formula row
        rows.append([PLACEHOLDER, None, PLACEHOLDER, PLACEHOLDER, None, None, None])  # a row never filled in
        rows.append([])
        rows.append(["Stand der Liste: Gemeindebüro (erfunden)"])
    return rows, first


def _blank_below(rows: list[list[Any]], first: int, column: int) -> list[tuple[int, int]]:
    """Blank ``column`` below the first row of each block; the blocks as sheet row indices."""
    body = rows[first:first + N_ACTIVITIES]
    blocks = [(a + first, b + first) for a, b in _blocks(body, column)]
    for a, b in blocks:
        for r in range(a + 1, b + 1):
            rows[r][column] = None
    return blocks


def parish_rows(*, extra_rows: bool = True) -> tuple[list[list[Any]], dict[int, list[tuple[int, int]]], int]:
    """Rows with the Quartier (column 2) and Träger (column 3) only in the first row of each block,
    the blocks per column (sheet row indices, 0-based) and the first activity row."""
    rows, first = _sheet(extra_rows)
    blocks = {2: _blank_below(rows, first, 2), 3: _blank_below(rows, first, 3)}
    return rows, blocks, first


def _ref(row: int, col: int) -> str:
    return f"{chr(65 + col)}{row + 1}"


def parish_xlsx(*, merged: bool = True, extra_rows: bool = True) -> tuple[str, bytes]:
    """The parish inventory as xlsx: Quartier and Träger merged per block (``merged``), or only
    written in the block's first row (an unmerged office list)."""
    import openpyxl

    rows, blocks, _first = parish_rows(extra_rows=extra_rows)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Angebote 2024"
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:G1")  # the title across the table
    if merged:
        for col, runs in blocks.items():
            for a, b in runs:
                if b > a:
                    ws.merge_cells(f"{_ref(a, col)}:{_ref(b, col)}")
    buf = io.BytesIO()
    book.save(buf)
    return ("angebote_gemeinde.xlsx" if merged else "angebote_ungemergt.xlsx"), buf.getvalue()


def parish_xls() -> tuple[str, bytes]:
    """The parish inventory as a legacy .xls (xlwt) with the same merged blocks."""
    rows, blocks, _first = parish_rows()
    return "angebote_gemeinde.xls", xls_sheet("Angebote 2024", rows, _spans(blocks))


def parish_ods() -> tuple[str, bytes]:
    """The parish inventory as ods (odfpy): merged blocks as ``table:number-rows-spanned``."""
    rows, blocks, _first = parish_rows()
    return "angebote_gemeinde.ods", ods_sheet("Angebote 2024", rows, _spans(blocks), len(HEADER))


def _spans(blocks: dict[int, list[tuple[int, int]]]) -> dict[tuple[int, int], int]:
    """{(first row, column): last row} of the blocks that span more than one row."""
    return {(a, col): b for col, runs in blocks.items() for a, b in runs if b > a}


def xls_sheet(name: str, rows: Sequence[Sequence[Any]], spans: dict[tuple[int, int], int]) -> bytes:
    """One sheet as a legacy .xls (xlwt); ``spans`` = {(first row, column): last row} merged vertically."""
    import xlwt

    book = xlwt.Workbook()
    ws = book.add_sheet(name)
    covered = {(r, col) for (a, col), b in spans.items() for r in range(a, b + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in spans:
                ws.write_merge(r, spans[(r, c)], c, c, value)
            elif value is not None and (r, c) not in covered:
                ws.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def ods_sheet(name: str, rows: Sequence[Sequence[Any]], spans: dict[tuple[int, int], int], width: int) -> bytes:
    """One sheet as ods (odfpy), ``width`` columns; ``spans`` merged as ``table:number-rows-spanned``."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    covered = {(r, col) for (a, col), b in spans.items() for r in range(a + 1, b + 1)}
    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c in range(width):
            value = row[c] if c < len(row) else None
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            attrs: dict[str, Any] = {}
            if (r, c) in spans:
                attrs["numberrowsspanned"] = spans[(r, c)] - r + 1
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value, **attrs)
            else:
                cell = TableCell(valuetype="string", **attrs)
            if value is not None:
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def parish_csv(rows: Sequence[Sequence[Any]] | None = None) -> tuple[str, bytes]:
    """The unmerged list as CSV (";", UTF-8), as an office exports it."""
    rows = rows if rows is not None else parish_rows()[0]
    text = "\r\n".join(";".join("" if v is None else str(v) for v in row) for row in rows) + "\r\n"
    return "angebote_gemeinde.csv", text.encode("utf-8")


#: A second office, other wordings: abbreviated headers, the title under a header that names
#: nothing, hours per week, a head count "ca.", real error cells and an error row inside a merged block.
CLUB_HEADER = ["Sozialraum", "Stichwort", "Was wir tun", "Verantwortlich", "Seit", "Std/Wo", "Anzahl Personen",
               "Notiz"]
_CLUB = (  # keyword, what happens (running text), hours per week, people
    ("Krabbelgruppe", "Eltern mit Kleinkindern treffen sich zum Spielen und zum Austausch über den Alltag.", 2,
     "ca. 12"),
    ("Lernpaten", "Ehrenamtliche begleiten Kinder aus dem Viertel beim Lernen, einmal pro Woche eine Stunde.", 3, 8),
    ("Nachbarschaftsfest", "Das Fest im Sommer wird mit Vereinen, Schule und Kita gemeinsam vorbereitet.", 1, 300),
    ("Frauenfrühstück", "Frauen aus vielen Ländern frühstücken zusammen und üben dabei die deutsche Sprache.", 2, 20),
    ("Mieterberatung", "Beratung bei Nebenkostenabrechnungen und Ärger mit dem Vermieter, mit Begleitung.", 4, "k.A."),
    ("Quartiersrat", "Bewohnerinnen und Bewohner beraten mit der Verwaltung über Mittel des Verfügungsfonds.", 1, 15),
)
CLUB_QUARTIERE = ("Westend", "Gartenstadt")


def club_rows() -> tuple[list[list[Any]], list[int]]:
    """The sheet's rows and the 1-based Excel rows of the two error rows."""
    rows: list[list[Any]] = [["Unsere Angebote (erfunden)"], list(CLUB_HEADER)]
    errors = []
    for i, (word, text, hours, people) in enumerate(_CLUB):
        quartier = CLUB_QUARTIERE[i // 3] if i % 3 == 0 else None
        rows.append([quartier, word, text, "Förderverein Beispiel", f"0{1 + i}/2023", hours, people,
                     "läuft" if i % 2 else None])
        if i == 1:  # a copied formula row: real error cells (openpyxl writes English codes as errors)
            rows.append([None, "#N/A", "#VALUE!", "#N/A", "#VALUE!", "#DIV/0!", "#DIV/0!", None])
            errors.append(len(rows))
        if i == 4:  # the same in German, with the Träger still typed in
            rows.append(["Gartenstadt", "#WERT!", "#WERT!", "Förderverein Beispiel", "#NV", "#WERT!", "#WERT!", "#NV"])
            errors.append(len(rows))
    return rows, errors


def club_xlsx() -> tuple[str, bytes]:
    """The second office's list as xlsx: each Sozialraum merged over its block (error row included)."""
    import openpyxl

    rows, _errors = club_rows()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Angebote"
    for row in rows:
        ws.append(row)
    starts = [r for r in range(3, len(rows) + 1) if rows[r - 1][0] is not None]
    for a, b in zip(starts, [*starts[1:], len(rows) + 1], strict=True):
        if b - 1 > a:
            ws.merge_cells(f"A{a}:A{b - 1}")
    buf = io.BytesIO()
    book.save(buf)
    return "angebote_verein.xlsx", buf.getvalue()


#: A third office (a diakonia's district list): a running number first, the Stadtteil in the middle,
#: merged per block; a "Zeitraum" with spans ("2022–2024"), hours per week as text ("2,5", "ca. 6",
#: "2-3"), partners and a contact person beside the Träger-less table, a sum row and a source line.
WORKS_HEADER = ["Lfd. Nr.", "Maßnahme", "Inhalt / Ziel", "Stadtteil", "Kooperation mit", "Zeitraum", "Std./Woche",
                "Zielgruppe", "Ansprechperson"]
WORKS_TITLE = [["Diakonisches Werk Beispielkreis – Angebote in den Stadtteilen (erfunden)"], ["Stand 03/2024"], []]
_WORKS = (  # measure, content (running text), partner, period, hours per week, target group
    ("Offener Treff", "Ein Raum zum Ankommen für alle Generationen, mit Kaffee, Gesprächen und Beratung.",
     "Stadtteilbüro", "seit 2020", "2,5", "alle"),
    ("Sprachcafé", "Geflüchtete und Einheimische üben in kleinen Gruppen Deutsch im Gespräch über den Alltag.",
     "VHS Beispielkreis", "2022–2024", "3", "Geflüchtete"),
    ("Seniorengymnastik", "Bewegung im Sitzen und Stehen für ältere Menschen, angeleitet von einer Übungsleiterin.",
     "Sportverein", "seit 2015", "1,5", "Ältere"),
    ("Schuldnerberatung", "Beratung bei Überschuldung, Begleitung zu Gläubigern und Hilfe beim Haushaltsplan.",
     None, "laufend", "ca. 6", "Erwachsene"),
    ("Stadtteilspaziergang", "Bewohnerinnen zeigen der Verwaltung Orte, an denen sich im Viertel etwas ändern muss.",
     "Quartiersmanagement", "03/2023 - 11/2023", "2-3", "alle"),
    ("Jugendkeller", "Jugendliche gestalten ihren Treff selbst, mit Musik, Kicker und einem offenen Ohr.",
     "Jugendamt", "seit 2019", "8", "Jugendliche"),
    ("Tafel-Ausgabe", "Lebensmittel werden einmal pro Woche an Menschen mit geringem Einkommen ausgegeben.",
     "Tafel e.V.", "seit 2011", "4", "Bedürftige"),
    ("Nachbarschaftshilfe", "Ehrenamtliche helfen bei Einkäufen, kleinen Reparaturen und Wegen zu Ämtern.",
     "Kirchengemeinde", "von 2018 bis 2025", "5", "Ältere"),
)
WORKS_STADTTEILE = (("Weststadt", 3), ("Kirchberg", 3), ("Am Bahnhof", 2))
#: Hours per year the intake must find: per week × 52 ("2-3" is 2.5, "ca. 6" is 6).
WORKS_HOURS = [2.5 * 52, 3 * 52, 1.5 * 52, 6 * 52, 2.5 * 52, 8 * 52, 4 * 52, 5 * 52]
WORKS_QUARTIER = [name for name, size in WORKS_STADTTEILE for _ in range(size)]


def works_rows() -> tuple[list[list[Any]], dict[tuple[int, int], int]]:
    """The sheet's rows and the Stadtteil blocks as {(first row, column): last row}."""
    rows: list[list[Any]] = [list(r) for r in WORKS_TITLE] + [list(WORKS_HEADER)]
    spans = {}
    activities = iter(_WORKS)
    number = 0
    for stadtteil, size in WORKS_STADTTEILE:
        spans[(len(rows), 3)] = len(rows) + size - 1
        for i in range(size):
            measure, text, partner, period, hours, group = next(activities)
            number += 1
            rows.append([number, f"{measure} (erfunden)", text, stadtteil if i == 0 else None, partner, period,
                         hours, group, "Frau Muster (erfunden)" if number % 2 else "Herr Beispiel (erfunden)"])
    rows.append([None, "Summe", None, None, None, None, "32", None, None])
    rows.append(["Quelle: eigene Erhebung des Diakonischen Werks, Stand 03/2024"])
    return rows, spans


def works_xls() -> tuple[str, bytes]:
    """The third office's list as a legacy .xls, the Stadtteil merged per block."""
    rows, spans = works_rows()
    return "stadtteile_werk.xls", xls_sheet("Stadtteile", rows, spans)


def works_ods() -> tuple[str, bytes]:
    """The third office's list as ods, the Stadtteil merged per block."""
    rows, spans = works_rows()
    return "stadtteile_werk.ods", ods_sheet("Stadtteile", rows, spans, len(WORKS_HEADER))

"""Write the built-in sample inventory, its intended labels and the empty template.

    python data/make_sample.py

writes ``data/beispiel_inventar.xlsx`` (erfundene Beispieldaten of the invented
town Hohenbrück), ``tests/data/sample_labels.csv`` (the intended SONI cell of
every sample row, for measuring the classifier) and ``data/Vorlage_SONI_Inventar.xlsx``.
Deterministic: the same code writes the same files. The phrase tables live in
``bench/generate.py`` (one copy for the sample and the benchmark generator).
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import (  # noqa: E402
    ART,
    ASPECT_KEYS,
    ASPECT_LABEL,
    BEGINN,
    BESCHREIBUNG,
    EHRENAMTLICHE,
    EINM,
    ENDE,
    FIELD_OF_KEY,
    HEADERS,
    KINDS,
    KOSTEN,
    LAUF,
    PROJ,
    QUARTIER,
    QUARTIERE,
    RAHMEN,
    STUNDEN,
    TEILNEHMENDE,
    TITEL,
    TOWN,
    TRAEGER_COL,
    ZIELGRUPPE,
    Kind,
    is_one_sentence,
    traeger_name,
)

SAMPLE_FILE = ROOT / "data" / "beispiel_inventar.xlsx"
LABELS_FILE = ROOT / "tests" / "data" / "sample_labels.csv"
TEMPLATE_FILE = ROOT / "data" / "Vorlage_SONI_Inventar.xlsx"

SEED = 2025
SHEET = "Aktivitäten"
HINT_SHEET = "Hinweis"
TITLE_LINE = "Aktivitäten Aufbruch Quartier – Stand 2025"
HEADER_ROW = 3  # Excel row of the header: title line, empty row, header
LABEL_COLUMNS = ("Zeile", "Titel", "Quartier", "Feld", "Aspekt", "Schlüssel")

#: Activities per Quartier and catalogue section (S1 S2 S3 O1 O2 O3 N1 N2 N3 I1 I2 I3; a few kinds are
#: labelled in another cell, see ``Kind.drawn_as`` in bench/generate.py). Realistic imbalance:
#: most in Individuum and Netzwerk, little in Sozialstruktur; Südstadt has none at all,
#: Am Wasserturm is strong in Netzwerk, Nordstadt in Individuum, the new Lindenhof in analysis.
PROFILE: dict[str, tuple[int, ...]] = {
    "Altstadt": (2, 1, 2, 3, 3, 2, 6, 3, 3, 5, 3, 2),
    "Nordstadt": (1, 1, 1, 2, 2, 2, 4, 3, 3, 10, 6, 4),
    "Am Wasserturm": (1, 1, 1, 1, 2, 1, 10, 7, 6, 3, 2, 1),
    "Südstadt": (0, 0, 0, 2, 2, 2, 5, 5, 2, 6, 4, 3),
    "Lindenhof": (3, 2, 1, 2, 1, 1, 3, 3, 2, 4, 2, 1),
    "Brückenfeld": (0, 1, 0, 1, 1, 1, 4, 3, 2, 4, 3, 2),
}
#: Years in which activities of a Quartier start (Lindenhof is a new estate).
YEARS: dict[str, tuple[int, ...]] = {"Lindenhof": (2024, 2025)}
#: Office habits: how some rows spell their Quartier.
MISSPELLED: dict[str, tuple[str, ...]] = {
    "Nordstadt": ("Nordstadt ", "Nordstadt ", "Nordstadt ", "NORDSTADT", "NORDSTADT"),
    "Am Wasserturm": ("am Wasserturm", "am Wasserturm"),
}

HINWEIS_LINES: tuple[str, ...] = (
    "Erfundene Beispieldaten",
    "",
    f"Alle Angaben in dieser Datei sind erfunden: die Stadt {TOWN}, ihre Quartiere, die Träger, die "
    "Aktivitäten und alle Zahlen. Ähnlichkeiten mit realen Orten, Einrichtungen oder Personen sind zufällig.",
    "Die Datei zeigt, wie die Aktivitätenliste eines Projekts „Aufbruch Quartier“ aussehen kann, und dient "
    "zum Ausprobieren des SONI-Dashboards.",
    "Wie in echten Listen gibt es kleine Unregelmäßigkeiten: unterschiedlich geschriebene Quartiere, "
    "Beginn als Datum, als „03/2024“, „seit 2019“ oder nur als Jahr, Zahlen mit „ca.“ oder „€“.",
    "Eine SONI-Zuordnung ist absichtlich nicht enthalten: Das Dashboard ordnet die Aktivitäten selbst zu.",
    "Erzeugt mit data/make_sample.py.",
)


@dataclass
class SampleRow:
    """One sample activity: the cells as written to the sheet, and the intended SONI cell."""

    values: dict[str, object]
    quartier: str  # the clean Quartier name
    aspect: str  # "N1"

    @property
    def field(self) -> str:
        return FIELD_OF_KEY[self.aspect[0]]


def _quartier(name: str):
    return next(q for q in QUARTIERE if q.name == name)


#: The list's "Stand": nothing starts or has ended after this day.
STAND = date(2025, 10, 31)


def _beginn(rng: random.Random, kind: Kind, year: int) -> tuple[object, date | None]:
    """The Beginn cell as an office writes it, and the date it stands for (None if unknown)."""
    months = [m for m in (kind.months or range(1, 13)) if date(year, m, 28) <= STAND]
    if not months:  # a December event is not yet due in the last year
        year -= 1
        months = list(kind.months)
    month = rng.choice(months)
    day = date(year, month, rng.randint(1, 28))
    u = rng.random()
    if kind.dauer == LAUF and u < 0.08:
        return f"seit {rng.randint(2012, 2022)}", None
    if u < 0.20:
        return f"{month:02d}/{year}", day.replace(day=1)
    if u < 0.28:
        return year, date(year, 1, 1)
    if u < 0.33:
        return day.strftime("%d.%m.%Y"), day
    if u < 0.35:
        return None, None
    return datetime(day.year, day.month, day.day), day


def _ende(rng: random.Random, kind: Kind, start: date | None) -> object:
    u = rng.random()
    if kind.dauer == LAUF:
        if u < 0.08:
            return "laufend"
        if u < 0.15 and start is not None:
            end = start + timedelta(days=rng.randint(180, 720))
            return datetime(end.year, end.month, end.day) if end <= STAND else None
        return None
    if start is None:
        return None
    if kind.dauer == PROJ and u < 0.75:
        end = start + timedelta(days=rng.randint(60, 420))  # may be a planned end after STAND
        return datetime(end.year, end.month, end.day)
    if kind.dauer == EINM and u < 0.6:
        return datetime(start.year, start.month, start.day)
    return None


def _number(rng: random.Random, bounds: tuple[int, int], step: int, missing: float,
            *, zero_is_blank: bool = False) -> int | None:
    """A whole number in ``bounds`` rounded to ``step``; None for a gap (or a range of 0 when blank)."""
    lo, hi = bounds
    if rng.random() < missing or (hi == 0 and zero_is_blank):
        return None
    return round(rng.uniform(lo, hi) / step) * step


def _description(rng: random.Random, kind: Kind, title_index: int, ctx: dict[str, str]) -> str:
    template = kind.texts[kind.text_index(title_index, rng.random())]
    text = template.format_map(ctx)
    if is_one_sentence(template) and rng.random() < 0.4:
        text += " " + rng.choice(RAHMEN[kind.frames])
    return text


def build_rows(seed: int = SEED) -> list[SampleRow]:
    """The sample activities in sheet order (grouped by Quartier), deterministic for ``seed``."""
    rng = random.Random(seed)
    by_aspect = {a: [k for k in KINDS if k.section == a] for a in ASPECT_KEYS}  # drawn by catalogue section
    rows: list[SampleRow] = []
    for qname, counts in PROFILE.items():
        quartier = _quartier(qname)
        ctx = quartier.context()
        block: list[SampleRow] = []
        for aspect, count in zip(ASPECT_KEYS, counts, strict=True):
            for kind in rng.sample(by_aspect[aspect], count):
                year = rng.choice(YEARS.get(qname, (2023, 2024, 2024, 2025, 2025)))
                start_cell, start = _beginn(rng, kind, year)
                ti = rng.randrange(len(kind.titles))
                values: dict[str, object] = {
                    TITEL: kind.titles[ti].format_map(ctx),
                    BESCHREIBUNG: _description(rng, kind, ti, ctx),
                    QUARTIER: qname,
                    TRAEGER_COL: traeger_name(rng.choice(kind.roles), quartier),
                    ZIELGRUPPE: rng.choice(kind.groups),
                    ART: kind.art,
                    BEGINN: start_cell,
                    ENDE: _ende(rng, kind, start),
                    STUNDEN: _number(rng, kind.stunden, 1 if kind.stunden[1] < 100 else 5, 0.04),
                    TEILNEHMENDE: _number(rng, kind.teilnehmende, 1, 0.04, zero_is_blank=True),
                    KOSTEN: _number(rng, kind.kosten, 10 if kind.kosten[1] < 3000 else 50, 0.06),
                    EHRENAMTLICHE: _number(rng, kind.ehrenamtliche, 1, 0.05),
                }
                block.append(SampleRow(values, qname, kind.aspect_of(ti)))  # labelled by the convention
        rng.shuffle(block)
        for spelling, row in zip(MISSPELLED.get(qname, ()), rng.sample(block, len(MISSPELLED.get(qname, ()))),
                                 strict=True):
            row.values[QUARTIER] = spelling
        rows.extend(block)

    # office habits in the number columns: "ca. 40", "k. A.", "1.250 €"
    people = [r for r in rows if isinstance(r.values[TEILNEHMENDE], int) and r.values[TEILNEHMENDE] >= 10]
    for r in rng.sample(people, 4):
        r.values[TEILNEHMENDE] = f"ca. {round(r.values[TEILNEHMENDE], -1)}"
    for r in rng.sample([r for r in rows if r.values[TEILNEHMENDE] is None], 2):
        r.values[TEILNEHMENDE] = "k. A."
    costs = [r for r in rows if isinstance(r.values[KOSTEN], int) and r.values[KOSTEN] >= 1000]
    for r in rng.sample(costs, 4):
        r.values[KOSTEN] = f"{r.values[KOSTEN]:,} €".replace(",", ".")

    keys = {(r.values[TITEL], r.quartier) for r in rows}
    assert len(keys) == len(rows), "Titel must be unique within a Quartier"
    return rows


def write_sample(rows: list[SampleRow], path: Path = SAMPLE_FILE) -> None:
    """Write the sample workbook: title line, empty row, header, activities; sheet „Hinweis“."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"title": TITLE_LINE, "subject": "Erfundene Beispieldaten", "created": datetime(2025, 1, 1)})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    top = wb.add_format({"valign": "top"})
    day = wb.add_format({"num_format": "dd.mm.yyyy", "valign": "top", "align": "left"})

    ws = wb.add_worksheet(SHEET)
    widths = {TITEL: 36, BESCHREIBUNG: 70, QUARTIER: 15, TRAEGER_COL: 38, ZIELGRUPPE: 24, ART: 18,
              BEGINN: 11, ENDE: 11}
    for c, name in enumerate(HEADERS):
        ws.set_column(c, c, widths.get(name, 12), wrap if name == BESCHREIBUNG else top)
    ws.write_string(0, 0, TITLE_LINE, title)
    header = HEADER_ROW - 1
    ws.write_row(header, 0, HEADERS, head)
    for r, row in enumerate(rows, start=header + 1):
        for c, name in enumerate(HEADERS):
            value = row.values[name]
            if value is None:
                continue
            if isinstance(value, datetime):
                ws.write_datetime(r, c, value, day)
            elif isinstance(value, str):
                ws.write_string(r, c, value, wrap if name == BESCHREIBUNG else top)
            else:
                ws.write_number(r, c, value, top)
    ws.freeze_panes(HEADER_ROW, 1)
    ws.autofilter(header, 0, header + len(rows), len(HEADERS) - 1)

    hint = wb.add_worksheet(HINT_SHEET)
    hint.set_column(0, 0, 120, wrap)
    for r, line in enumerate(HINWEIS_LINES):
        if line:
            hint.write_string(r, 0, line, title if r == 0 else wrap)
    wb.close()


def write_labels(rows: list[SampleRow], path: Path = LABELS_FILE) -> None:
    """Write the intended SONI cell of every sample row (Zeile = Excel row of the activity)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(LABEL_COLUMNS)
        for i, row in enumerate(rows):
            out.writerow((HEADER_ROW + 1 + i, row.values[TITEL], row.quartier, row.field,
                          ASPECT_LABEL[row.aspect], row.aspect))


def main() -> int:
    """Write the sample, its labels and the template; print a short summary."""
    from soni.template import build_template

    rows = build_rows()
    write_sample(rows)
    write_labels(rows)
    TEMPLATE_FILE.write_bytes(build_template())
    print(f"{len(rows)} Aktivitäten -> {SAMPLE_FILE.relative_to(ROOT)}, {LABELS_FILE.relative_to(ROOT)}; "
          f"Vorlage -> {TEMPLATE_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

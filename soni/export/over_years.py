"""The meeting package over the years: two or more saved inventories side by side.

The SONI grid of each inventory (one shared colour scale), the field shares per inventory, the
shift of the shares per field and aspect from the first to the last, and per step which
activities are neu, weggefallen or verschoben (``soni.years.match``) — as PDF handout,
PowerPoint deck, Excel workbook and chart images. Built from the same parts as the package of
one inventory (``soni.export.package``): its charts, image rendering, model page, progress and
failure handling; without an export browser the documents carry a note in place of each chart.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

import pandas as pd

from soni import aggregate, charts, grid, schema, texts, years
from soni.export import package

FORMATS: frozenset[str] = frozenset({"pdf", "pptx", "xlsx", "png", "svg"})
DEFAULT_FORMATS: frozenset[str] = frozenset({"pdf", "pptx", "xlsx", "png"})
NAME_PDF = "SONI_Jahresvergleich.pdf"
NAME_PPTX = "SONI_Jahresvergleich.pptx"
NAME_XLSX = "SONI_Jahresvergleich.xlsx"
#: The column the inventories are told apart by in the charts.
BY = "Bestandsaufnahme"
#: Activities listed per status and step in the handout (all are in the Excel file).
MAX_LISTED = 40
#: Titles named per status on a slide.
MAX_ON_SLIDE = 8
MATCH_RULE = (
    "Aktivitäten gelten als dieselben, wenn Titel und Quartier übereinstimmen; Groß- und Kleinschreibung, "
    "Umlaut-Schreibweise (ä/ae), Akzente, Satzzeichen und Leerzeichen zählen nicht, und ein Titel, der sein "
    "Quartier nennt („Seniorentreff Nordstadt“), trifft den Titel ohne diesen Namen. Derselbe Titel in zwei "
    "Quartieren sind zwei Aktivitäten. Nur wenn eine Liste für die Aktivität kein Quartier nennt, entscheidet "
    "der Titel allein. Aktivitäten ohne Titel lassen sich nicht zuordnen."
)
_STATUS_HEADINGS = {years.NEU: "Neu", years.WEGGEFALLEN: "Weggefallen", years.VERSCHOBEN: "Verschoben"}


def _place(feld: str, aspekt: str) -> str:
    """Where an activity sits in the grid: "O2 Steuerung trägereigener Angebote", or the field alone."""
    found = grid.parse_aspect(aspekt, feld) if aspekt else None
    return f"{found.key} {found.label}" if found else (f"{feld} – {aspekt}" if aspekt else feld)


def _status_table(matched: pd.DataFrame, status: str) -> pd.DataFrame:
    """The activities of one status as the handout lists them (Titel, Quartier, where they are / were)."""
    rows = matched[matched["Status"] == status]
    out = rows[["Titel", "Quartier"]].copy()
    before = [_place(f, a) for f, a in zip(rows["Feld vorher"], rows["Aspekt vorher"], strict=True)]
    after = [_place(f, a) for f, a in zip(rows["Feld nachher"], rows["Aspekt nachher"], strict=True)]
    if status == years.NEU:
        out["SONI"] = after
    elif status == years.WEGGEFALLEN:
        out["SONI (vorher)"] = before
    else:
        out["vorher"], out["nachher"] = before, after
    return out.reset_index(drop=True)


def _slide_line(matched: pd.DataFrame, status: str) -> str:
    """"Neu (12): Chor, Tafel, … und 9 weitere"; moved ones with their fields (S → N)."""
    rows = matched[matched["Status"] == status]

    def key(feld: str) -> str:
        return grid.FIELD_BY_NAME[feld].key if feld in grid.FIELD_BY_NAME else feld

    shown = rows.head(MAX_ON_SLIDE)
    named = [str(title) for title in shown["Titel"]]
    if status == years.VERSCHOBEN:
        named = [f"{title} ({key(a)} → {key(b)})"
                 for title, a, b in zip(named, shown["Feld vorher"], shown["Feld nachher"], strict=True)]
    more = len(rows) - len(named)
    return (f"{_STATUS_HEADINGS[status]} ({texts.fmt_number(len(rows))}): {', '.join(named) or '–'}"
            + (f" und {texts.fmt_number(more)} weitere" if more > 0 else ""))


def _grid_for_pdf(table: pd.DataFrame) -> pd.DataFrame:
    """``years.grid_over_years`` for the handout: the field named once per row ("Netzwerk gesamt",
    "N2 Aktivierung …"), so the inventories' columns keep their room."""
    rows = []
    for feld, aspekt in zip(table["Feld"], table["Aspekt"], strict=True):
        is_aspect = aspekt and aspekt not in (years.FELD_GESAMT, texts.OHNE_ASPEKT)
        name = "gesamt" if aspekt == years.FELD_GESAMT else aspekt
        rows.append(aspekt if is_aspect else f"{feld} {name}".strip())
    return pd.concat([pd.DataFrame({"Schlüssel": table["Schlüssel"], "Feld / Aspekt": rows}),
                      table.drop(columns=["Feld", "Schlüssel", "Aspekt"])], axis=1)


def shift_reading(diff: aggregate.Difference | None, first: str, last: str) -> tuple[str, list[str]]:
    """The shift from ``first`` to ``last`` in words (``diff``: ``aggregate.difference`` of last against
    first): a headline naming the field that gained and the one that lost most, one line per field
    (share before → after) and the aspects that moved most."""
    if diff is None or diff.table["Differenz"].isna().all():
        return "", []
    table = diff.table.dropna(subset=["Differenz"])
    fields = table[table["Ebene"] == "Feld"]
    lines = [f"{r['Feld']}: {texts.fmt_share(r['Anteil B'])} → {texts.fmt_share(r['Anteil A'])} "
             f"({texts.fmt_points(r['Differenz'])})" for _, r in fields.iterrows()]
    aspects = table[(table["Ebene"] == "Aspekt") & (table["Differenz"].abs() >= 0.005)]
    top = aspects.reindex(aspects["Differenz"].abs().sort_values(ascending=False).index).head(3)
    if len(top):
        lines.append("Aspekte mit der größten Verschiebung: " + ", ".join(
            f"{r['Schlüssel']} {r['Aspekt']} ({texts.fmt_points(r['Differenz'])})" for _, r in top.iterrows()))
    ordered = fields.sort_values("Differenz")
    parts = []
    if len(ordered) and ordered["Differenz"].iloc[-1] >= 0.005:
        up = ordered.iloc[-1]
        parts.append(f"am stärksten gewachsen ist der Anteil von {up['Feld']} ({texts.fmt_points(up['Differenz'])})")
    if len(ordered) and ordered["Differenz"].iloc[0] <= -0.005:
        down = ordered.iloc[0]
        parts.append(f"am stärksten zurückgegangen der von {down['Feld']} ({texts.fmt_points(down['Differenz'])})")
    headline = (f"Von {first} zu {last} {'; '.join(parts)}." if parts
                else f"Von {first} zu {last} haben sich die Anteile der Felder kaum verschoben.")
    return headline, lines


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{texts.fmt_number(n)} {status}" for status, n in counts.items())


def _overview(inventories: Sequence[tuple[str, pd.DataFrame]], metric: str) -> pd.DataFrame:
    """One row per inventory: activities, assigned to a field, unklar, Quartiere."""
    rows = []
    for label, df in inventories:
        unclear = int(aggregate.unclear_count(df, "anzahl")) if len(df) else 0
        rows.append({BY: label, "Aktivitäten": len(df),
                     f"zugeordnet ({texts.METRIC_SHORT.get(metric, metric)})":
                     float(aggregate.field_totals(df, metric).sum()) if len(df) else 0.0,
                     "unklar": unclear, "Quartiere": len(aggregate.quartiere_of(df)) if len(df) else 0})
    return pd.DataFrame(rows)


def _charts(both: pd.DataFrame, labels: list[str], metric: str, sources: list[str],
            diff: aggregate.Difference | None) -> list[package.Chart]:
    scope = f"{len(labels)} Bestandsaufnahmen"
    title = f"{texts.chart_title('feld', metric)}, Bestandsaufnahmen im Vergleich"
    out = [package.Chart(
        "01_jahre_soni_bild", title,
        f"{title} ({', '.join(labels)}), auf einer gemeinsamen Farbskala. {texts.sources_text(sources)}".strip(),
        charts.small_multiples(both, metric, labels, title=title, by=BY))]
    title = texts.chart_title("gruppen", metric, by=BY)
    table = aggregate.by_group(both, BY, metric).rows(labels)
    out.append(package.Chart("02_jahre_anteile", title, texts.caption("gruppen", metric, scope, sources, by=BY),
                             charts.group_field_heatmap(table, title)))
    first, last = labels[0], labels[-1]
    title = f"Verschiebung der Anteile: {last} gegenüber {first}"
    out.append(package.Chart("03_jahre_verschiebung", title,
                             texts.caption("differenz", metric, scope, sources, a=last, b=first, by=BY),
                             charts.difference_figure(diff, title)))
    return out


def _steps(inventories: Sequence[tuple[str, pd.DataFrame]]) -> list[tuple[str, pd.DataFrame]]:
    """Each step (earlier → later) with its matched activities."""
    return [(f"{a_label} → {b_label}", years.match(a, b)) for (a_label, a), (b_label, b)
            in itertools.pairwise(inventories)]


def _pdf(inventories, metric: str, grid_table: pd.DataFrame, steps: list[tuple[str, pd.DataFrame]],
         overview: list[package.Chart], reading: tuple[str, list[str]], note: str, when: dt.date) -> bytes:
    from soni.export import pdf

    labels = [label for label, _ in inventories]

    def image(chart: package.Chart) -> pdf.Image:
        return pdf.Image(chart.png, chart.caption, note=note)

    sections = [
        pdf.Section("Das SONI-Raster je Bestandsaufnahme",
                    paragraphs=[f"{len(labels)} Bestandsaufnahmen in zeitlicher Reihenfolge: {', '.join(labels)}."],
                    images=[image(c) for c in overview[:2]],
                    tables=[pdf.Table(_overview(inventories, metric), "Die Bestandsaufnahmen im Überblick.")]),
        pdf.Section("Verschiebung je Feld und Aspekt",
                    paragraphs=[p for p in (reading[0], f"Die Anteile der letzten Bestandsaufnahme ({labels[-1]}) "
                                f"gegenüber der ersten ({labels[0]}); darunter die Zählung je Feld und Aspekt mit der "
                                "Veränderung.") if p],
                    bullets=reading[1], bullets_after_images=False,
                    images=[image(c) for c in overview[2:]],
                    tables=[pdf.Table(_grid_for_pdf(grid_table),
                                      f"{texts.METRIC_LABELS.get(metric, metric)} je Feld und Aspekt; "
                                      "„Veränderung“: letzte minus erste Bestandsaufnahme.", font_size=8)],
                    new_page=True),
    ]
    for name, matched in steps:
        counts = years.match_summary(matched)
        tables = []
        for status in _STATUS_HEADINGS:
            table = _status_table(matched, status)
            if len(table):
                caption = " ".join(filter(None, [f"{_STATUS_HEADINGS[status]}: {texts.fmt_number(len(table))}.",
                                                 texts.listed_of(min(len(table), MAX_LISTED), len(table))]))
                tables.append(pdf.Table(table.head(MAX_LISTED), caption, font_size=8))
        missing = matched.attrs.get("ohne_titel", {})
        notes = [MATCH_RULE]
        if any(missing.values()):
            notes.append(f"Ohne Titel und daher nicht zugeordnet: {missing.get('vorher', 0)} vorher, "
                         f"{missing.get('nachher', 0)} nachher.")
        sections.append(pdf.Section(f"Aktivitäten {name}", paragraphs=[f"{_counts_text(counts)}."],
                                    tables=tables, notes=notes, new_page=True))
    sections.append(package.model_section())
    facts = [("Kennzahl", texts.METRIC_LABELS.get(metric, metric)),
             ("Bestandsaufnahmen", ", ".join(f"{label} ({texts.fmt_number(len(df))} Aktivitäten)"
                                             for label, df in inventories))]
    if note:
        facts.append(("Hinweis", note))
    return pdf.build_pdf(pdf.Handout(title="Sitzungsvorlage: Das SONI-Bild über die Jahre",
                                     subtitle=texts.APP_SUBTITLE, date=when,
                                     scope=f"{labels[0]} bis {labels[-1]}", facts=facts, sections=sections))


def _pptx(labels: list[str], metric: str, steps: list[tuple[str, pd.DataFrame]], overview: list[package.Chart],
          reading: tuple[str, list[str]], note: str, when: dt.date) -> bytes:
    from soni.export import pptx

    slides: list[pptx.ChartSlide | pptx.TextSlide] = [
        pptx.ChartSlide(package.clean_title(c.title), c.png, c.caption, note=note, speaker_notes=c.caption)
        for c in overview]
    if reading[1]:
        slides.append(pptx.TextSlide("Verschiebung in Worten", reading[1], lead=reading[0]))
    for name, matched in steps:
        slides.append(pptx.TextSlide(f"Aktivitäten {name}", [_slide_line(matched, s) for s in _STATUS_HEADINGS],
                                     lead=f"{_counts_text(years.match_summary(matched))}.",
                                     speaker_notes=MATCH_RULE))
    slides.append(package.model_slide())
    subtitle = (f"{', '.join(labels)} · {texts.METRIC_LABELS.get(metric, metric)} · "
                f"Stand {when.strftime('%d.%m.%Y')}")
    return pptx.build_pptx("Das SONI-Bild über die Jahre", subtitle, slides)


def build_years_report(
    inventories: Sequence[tuple[str, pd.DataFrame]],
    *,
    metric: str = "anzahl",
    formats: set[str] | frozenset[str] = DEFAULT_FORMATS,
    progress: package.Progress | None = None,
    when: dt.date | None = None,
) -> dict[str, bytes]:
    """The package over the years as {file name: bytes} (PNG/SVG under ``Bilder/``).

    ``inventories``: (label, activities) in time order, at least two, each label once. Formats, progress
    and failures as in ``package.build_report`` (``PackageError`` carries the files that were built).
    """
    wanted = {str(f).lower().lstrip(".") for f in formats}
    unknown = wanted - FORMATS
    if unknown or not wanted:
        raise ValueError(f"Unbekanntes Format: {', '.join(sorted(unknown)) or '(keins)'}; "
                         f"möglich: {', '.join(sorted(FORMATS))}.")
    labels = [str(label) for label, _ in inventories]
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError("Für den Vergleich über die Jahre mindestens zwei verschiedene Bestandsaufnahmen wählen.")
    aggregate.metric_values(inventories[0][1].head(0), metric)  # checks the metric name
    when = when or dt.date.today()
    inventories = [(str(label), df) for label, df in inventories]
    documents = len(wanted & {"pdf", "pptx", "xlsx"})
    needs_charts = bool(wanted & {"pdf", "pptx", "png", "svg"})
    steps = package.Steps(progress, 2 + documents + (3 if needs_charts else 0))
    steps("Vergleich wird berechnet …")
    grid_table = years.grid_over_years(inventories, metric)
    matched = _steps(inventories) if wanted & {"pdf", "pptx"} else []
    overview: list[package.Chart] = []
    note = ""
    both = pd.concat([df.assign(**{BY: label}) for label, df in inventories], ignore_index=True)
    try:
        diff = aggregate.difference(both, metric, labels[-1], labels[0], by=BY)
    except ValueError:  # an inventory with nothing assigned: no shift of shares to read
        diff = None
    reading = shift_reading(diff, labels[0], labels[-1])
    if needs_charts:
        sources = sorted({str(s) for _, df in inventories for s in df.get(schema.DATEI, pd.Series(dtype=str))
                          .dropna().unique() if str(s)})
        try:
            overview = _charts(both, labels, metric, sources, diff)
        except Exception as exc:  # no charts: the documents get the note in their place
            note = package.chart_failure(exc)
        note = note or package.render_images(overview, wanted, steps)

    def xlsx_file() -> bytes:
        from soni.export import safe

        return safe.to_xlsx_bytes(years.export_tables(inventories, metric))

    return package.assemble(wanted, overview, note, (
        ("pdf", NAME_PDF, "PDF-Sitzungsvorlage wird erstellt …",
         lambda: _pdf(inventories, metric, grid_table, matched, overview, reading, note, when)),
        ("pptx", NAME_PPTX, "PowerPoint-Folien werden erstellt …",
         lambda: _pptx(labels, metric, matched, overview, reading, note, when)),
        ("xlsx", NAME_XLSX, "Excel-Auswertung wird erstellt …", xlsx_file),
    ), steps)

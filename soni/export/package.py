"""The meeting package: PDF handout, PowerPoint deck, Excel summary, chart images — from one inventory.

``build_report`` computes the selection's tables once (``soni.aggregate``), draws
the charts (``soni.charts``), reads them in plain German (``soni.insights``),
renders every chart image **once** in the shared export browser
(``soni.export.images``) and hands the same PNGs to the PDF, the deck and the
image files.

Without a browser (no Chromium, or it fails): PDF and PowerPoint are still
built, with a German note in place of each chart (the tables, the reading and
the explanation are complete); Excel and CSV never need the browser. Only a
request for images alone ("png"/"svg" and nothing else) fails, with
``images.ImageExportError`` and a German message. In a mixed request the image
files are left out and ``HINWEIS.txt`` says why.

Formats: "pdf", "pptx", "xlsx", "png", "svg", "csv" (the classified activities).

Each format is built on its own: when one fails (a value no writer can place), the others are
still built and ``PackageError`` carries them with a German reason per failed format.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from soni import aggregate, charts, grid, insights, schema, texts
from soni.export import images
from soni.inventory import Inventory

Progress = Callable[[float, str], None]

FORMATS: frozenset[str] = frozenset({"pdf", "pptx", "xlsx", "png", "svg", "csv"})
DEFAULT_FORMATS: frozenset[str] = frozenset({"pdf", "pptx", "xlsx", "png"})
#: At most this many Quartiere get a page and a slide of their own (the comparison shows all).
MAX_QUARTIERE_EINZELN = 24
#: Image size: the charts are designed 1000 px wide; × 2.5 ≈ 365 dpi across the 17.4 cm text width.
IMAGE_WIDTH = charts.EXPORT_WIDTH
IMAGE_SCALE = 2.5

NAME_PDF = "SONI_Sitzungsvorlage.pdf"
NAME_PPTX = "SONI_Praesentation.pptx"
NAME_XLSX = "SONI_Auswertung.xlsx"
NAME_CSV = "SONI_Aktivitaeten.csv"
NAME_NOTE = "HINWEIS.txt"
IMAGE_FOLDER = "Bilder"

SONI_ERKLAERUNG_ZUORDNUNG = (
    "Jede Aktivität ist einem der vier Felder und, wenn möglich, einem seiner drei Aspekte "
    "zugeordnet. Die Spalte „SONI-Quelle“ sagt, woher die Zuordnung stammt: „Datei“ (so stand es "
    "in der hochgeladenen Liste), „Regel“ (vom Dashboard anhand der Wörter in Titel, Beschreibung "
    "und Angebotsart vorgeschlagen, Begründung in „SONI-Begründung“) oder „manuell“ (von Hand "
    "korrigiert). Vorschläge können falsch sein: Die Excel-Datei enthält alle Zuordnungen zum "
    "Prüfen; korrigiert lässt sie sich wieder hochladen."
)
LESART_HINWEIS = (
    "Die Lesart ist ein Gesprächsanstoß, keine Bewertung: Das Modell zeigt, wo bisher viel "
    "gemacht wird, und regt an zu überlegen, welche Bereiche stärker einbezogen werden könnten."
)


#: What each format is called in messages.
FORMAT_NAMES = {"pdf": "PDF-Sitzungsvorlage", "pptx": "PowerPoint-Folien", "xlsx": "Excel-Auswertung",
                "csv": "CSV-Datei", "png": "Diagramm-Bilder (PNG)", "svg": "Diagramm-Bilder (SVG)"}


class PackageError(Exception):
    """Some formats could not be built. ``files``: the ones that were; ``failures``: format → German reason."""

    def __init__(self, files: dict[str, bytes], failures: dict[str, str]) -> None:
        self.files, self.failures = files, failures
        super().__init__(" ".join(failures.values()))


def _failure(fmt: str, exc: Exception) -> str:
    """A German message for one format that failed."""
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return (f"{FORMAT_NAMES.get(fmt, fmt)} konnte nicht erstellt werden ({type(exc).__name__}"
            f"{': ' + detail if detail else ''}). Die übrigen Formate sind vollständig; bitte die Auswahl "
            "verkleinern oder den Prüfbericht auf auffällige Werte (sehr lange Texte, riesige Zahlen) ansehen.")


@dataclass
class Chart:
    """One chart of the package: its figure, file stem, title and caption; png/svg once rendered."""

    key: str  # file stem, e.g. "01_soni_bild_alle"
    title: str
    caption: str
    figure: object
    png: bytes | None = None
    svg: bytes | None = None


def slug(text: str) -> str:
    """A file-name part: ASCII, lower case, "_" between words ("Südviertel" → "suedviertel")."""
    text = str(text).replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


def clean_title(text: str) -> str:
    """Chart titles without plotly's HTML (for slide and PDF text)."""
    return re.sub(r"<[^<>]++>", " ", str(text)).replace("  ", " ").strip()


def _sources(inventory: Inventory, df: pd.DataFrame) -> list[str]:
    files = [str(s) for s in inventory.activities.get(schema.DATEI, pd.Series(dtype=str)).unique() if str(s)]
    if files:
        return sorted(dict.fromkeys(files))
    return [str(s) for s in inventory.sources]


def _quartier_names(df: pd.DataFrame) -> list[str]:
    if not len(df):
        return []
    return [str(q) for q in aggregate.by_group(df, schema.QUARTIER, "anzahl").table.index]


class Steps:
    """Progress reporting in German, 0..1."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, max(total, 1), 0

    def __call__(self, message: str, advance: int = 1) -> None:
        if self.progress is not None:
            self.progress(min(self.done / self.total, 0.99), message)
        self.done += advance

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(1.0, "Fertig.")


def _charts(df: pd.DataFrame, metric: str, names: list[str], scope: str, sources: list[str],
            single: list[str]) -> tuple[list[Chart], dict[str, Chart]]:
    """The package's charts: (overview and comparison charts, one grid per Quartier)."""
    missing = aggregate.missing_share(df, metric) if len(df) else 0.0
    unclear = float(aggregate.unclear_count(df, "anzahl")) if len(df) else 0.0
    common = {"missing": missing, "unclear": unclear}
    out: list[Chart] = []

    title = texts.chart_title("feld", metric)
    fig = charts.soni_grid_figure(aggregate.field_grid(df, metric), metric, f"{title} – {scope}")
    out.append(Chart("01_soni_bild", title, texts.caption("feld", metric, scope, sources, **common), fig))

    title = texts.chart_title("aspekt", metric)
    fig = charts.aspect_figure(aggregate.aspect_grid(df, metric), metric, f"{title} – {scope}")
    out.append(Chart("02_soni_aspekte", title, texts.caption("aspekt", metric, scope, sources, **common), fig))

    if len(names) > 1:
        title = texts.chart_title("quartiere", metric, share=True)
        fig = charts.small_multiples(df, metric, names, share=True, title=title)
        out.append(Chart("03_quartiere_vergleich", title,
                         texts.caption("quartiere", metric, scope, sources, share=True, **common), fig))
        title = texts.chart_title("gruppen", metric)
        fig = charts.group_field_heatmap(aggregate.by_group(df, schema.QUARTIER, metric), title)
        out.append(Chart("04_quartiere_anteile", title,
                         texts.caption("gruppen", metric, scope, sources, **common), fig))
    if len(names) == 2:
        diff = aggregate.difference(df, metric, names[0], names[1])
        title = texts.chart_title("differenz", metric)
        fig = charts.difference_figure(diff, f"{title}: {names[0]} gegenüber {names[1]}")
        out.append(Chart("05_unterschied", title,
                         texts.caption("differenz", metric, scope, sources, a=names[0], b=names[1],
                                       **common), fig))
    if len(df):
        period_col = aggregate.auto_period_column(df)
        by_period = aggregate.by_group(df, period_col, metric)
        dated = by_period.dated().table.index
        if len(dated) >= 2:
            title = texts.chart_title("zeitverlauf", metric)
            fig = charts.period_figure(by_period, metric, title=title)
            out.append(Chart("06_zeitverlauf", title,
                             texts.caption("zeitverlauf", metric, scope, sources, **common), fig))

    per_quartier: dict[str, Chart] = {}
    for number, name in enumerate(single, start=1):
        part = aggregate.filter_activities(df, quartiere=[name])
        q_scope = texts.scope_label(part, quartiere=[name])
        title = f"{texts.chart_title('feld', metric)} – {q_scope}"
        fig = charts.soni_grid_figure(aggregate.field_grid(part, metric), metric, title)
        caption = texts.caption("feld", metric, q_scope, sources,
                                missing=aggregate.missing_share(part, metric),
                                unclear=float(aggregate.unclear_count(part, "anzahl")))
        per_quartier[name] = Chart(f"q{number:02d}_{slug(name)}", title, caption, fig)
    return out, per_quartier


def render_images(all_charts: list[Chart], formats: set[str], steps: Steps) -> str:
    """Render PNG (and SVG) for every chart; returns "" or the German reason why images are missing."""
    if not images.browser_available():
        steps(images.unavailable_reason(), advance=len(all_charts))
        return images.unavailable_reason()
    try:
        for i, chart in enumerate(all_charts, start=1):
            steps(f"Diagramm {i} von {len(all_charts)} wird gezeichnet …")
            height = charts.export_size(chart.figure)[1]  # type: ignore[arg-type]
            if formats & {"pdf", "pptx", "png"}:
                chart.png = images.figure_to_png(chart.figure, width=IMAGE_WIDTH, height=height,
                                                 scale=IMAGE_SCALE)
            if "svg" in formats:
                chart.svg = images.figure_to_svg(chart.figure, width=IMAGE_WIDTH, height=height)
    except Exception as exc:  # the browser's own message is German; anything else gets one
        for chart in all_charts:
            chart.png = chart.svg = None
        if isinstance(exc, images.ImageExportError):
            return str(exc)
        return f"Die Diagramm-Bilder konnten nicht erzeugt werden ({type(exc).__name__})."
    return ""


def _table_for_pdf(frame: pd.DataFrame, share_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    out = frame.copy()
    for column in share_columns:
        if column in out:
            out[column] = [texts.fmt_share(v) if pd.notna(v) else "" for v in out[column]]
    return out


def _model_table() -> pd.DataFrame:
    return pd.DataFrame(
        [(a.field, a.key, a.label, a.wording) for a in grid.ASPECTS],
        columns=["Feld", "Schlüssel", "Aspekt", "Bedeutung"],
    )


def model_section():
    """The handout's last section: the SONI model in brief, with its twelve aspects (``pdf.Section``)."""
    from soni.export import pdf

    return pdf.Section(
        "Das SONI-Modell kurz erklärt",
        paragraphs=[texts.SONI_KURZ, SONI_ERKLAERUNG_ZUORDNUNG],
        tables=[pdf.Table(_model_table(), "Die zwölf Aspekte des SONI-Modells.", font_size=8)],
        notes=[
            "Quelle des Modells: Projekt „Aufbruch Quartier“ – Neue inklusive Wege in der diakonischen "
            "Gemeindeentwicklung.",
        ],
        new_page=True,
    )


def model_slide():
    """The deck's last slide: the SONI model in brief (``pptx.TextSlide``)."""
    from soni.export import pptx

    return pptx.TextSlide(
        "Das SONI-Modell",
        [f"{f.name} ({f.level}; Bezug: {f.refers_to}): "
         + ", ".join(a.label for a in grid.aspects_of(f.name)) for f in grid.FIELDS],
        lead="Zwei Ebenen, vier Felder, je drei Aspekte.",
        speaker_notes=texts.SONI_KURZ,
    )


#: Activities listed per field in the handout (the rest are in the Excel file).
MAX_LISTED_PER_FIELD = 150


def _activities_by_field(df: pd.DataFrame) -> list:
    """The handout's list of activities per field (title, Quartier, aspect), fields in S, O, N, I order:
    ``pdf.Section`` objects."""
    from soni.export import pdf

    if not len(df):
        return []
    sections = [pdf.Section("Aktivitäten je SONI-Feld", new_page=True, paragraphs=[
        "Welche Aktivitäten hinter den Zahlen stehen, nach Feld und Aspekt geordnet."])]
    fields = df[schema.SONI_FELD].astype(object).where(df[schema.SONI_FELD].notna(), "").astype(str)
    for name in (*grid.FIELD_NAMES, grid.UNKLAR):
        rows = df.loc[(fields == name).to_numpy()]
        if not len(rows):
            continue
        columns = [c for c in (schema.TITEL, schema.SONI_ASPEKT, schema.QUARTIER) if c in rows.columns]
        table = rows[columns].astype(object).where(rows[columns].notna(), "").astype(str)
        if schema.SONI_ASPEKT in table.columns:
            table = table.sort_values([schema.SONI_ASPEKT, schema.TITEL], kind="stable")
        caption = texts.listed_of(min(len(table), MAX_LISTED_PER_FIELD), len(table))
        sections.append(pdf.Section(f"{name} ({texts.fmt_metric(len(rows), 'anzahl')})", level=2,
                                    tables=[pdf.Table(table.head(MAX_LISTED_PER_FIELD), caption, font_size=8)]))
    return sections


def _pdf(inventory: Inventory, df: pd.DataFrame, metric: str, scope: str, sources: list[str],
         overview: list[Chart], per_quartier: dict[str, Chart], readings: dict[str, insights.Lesart],
         lesart: insights.Lesart, names: list[str], note: str, when: dt.date) -> bytes:
    from soni.export import pdf

    def image(chart: Chart) -> pdf.Image:
        return pdf.Image(chart.png, chart.caption, note=note)

    by_key = {c.key: c for c in overview}
    sections: list[pdf.Section] = [
        pdf.Section(
            f"Das SONI-Bild: {scope}",
            paragraphs=[lesart.headline],
            images=[image(by_key["01_soni_bild"]), image(by_key["02_soni_aspekte"])],
        ),
        pdf.Section("Schwerpunkte und Lücken", paragraphs=[lesart.headline], bullets=list(lesart.points),
                    notes=[LESART_HINWEIS]),
    ]
    if len(names) > 1:
        compare = [image(by_key[k]) for k in ("03_quartiere_vergleich", "04_quartiere_anteile", "05_unterschied")
                   if k in by_key]
        table = aggregate.by_group(df, schema.QUARTIER, metric, total=True).table.reset_index()
        sections.append(pdf.Section(
            "Die Quartiere im Vergleich",
            paragraphs=["Jedes Quartier als eigenes SONI-Bild, auf einer gemeinsamen Farbskala; darunter die "
                        "Anteile der Felder je Quartier."],
            images=compare,
            tables=[pdf.Table(table, f"{texts.METRIC_LABELS.get(metric, metric)} je Quartier und SONI-Feld.")],
            new_page=True,
        ))
    if "06_zeitverlauf" in by_key:
        sections.append(pdf.Section("Entwicklung über die Zeit", images=[image(by_key["06_zeitverlauf"])]))
    if per_quartier:
        sections.append(pdf.Section(
            "Die Quartiere einzeln",
            paragraphs=[f"Für jedes Quartier das SONI-Bild und seine Lesart ({len(per_quartier)} Quartiere)."],
            notes=[f"Nur die ersten {MAX_QUARTIERE_EINZELN} Quartiere haben eine eigene Seite; der Vergleich "
                   "oben zeigt alle."] if len(names) > len(per_quartier) else [],
            new_page=True,
        ))
        for name, chart in per_quartier.items():
            reading = readings[name]
            sections.append(pdf.Section(name, level=2, paragraphs=[reading.headline],  # the first follows its intro
                                        bullets=list(reading.points), images=[image(chart)],
                                        new_page=name != next(iter(per_quartier)), bullets_after_images=True))
    cells = _table_for_pdf(aggregate.cell_table(df, metric), ("Anteil",)).drop(columns=["Ebene"])
    cells = cells.rename(columns={"Wert": texts.METRIC_SHORT.get(metric, metric)})
    sections.append(pdf.Section(
        "Zählung",
        paragraphs=[f"{texts.METRIC_LABELS.get(metric, metric)} je Feld und Aspekt, {scope}. "
                    "Anteile beziehen sich auf die zugeordneten Aktivitäten."],
        tables=[pdf.Table(cells)],
        new_page=True,
    ))
    sections.extend(_activities_by_field(df))
    problems = inventory.report.to_frame()
    counts = problems["Stufe"].value_counts() if len(problems) else pd.Series(dtype=int)
    if len(counts):
        read_note = (", ".join(f"{int(n)} × {level}" for level, n in counts.items())
                     + " beim Einlesen (Einzelheiten im Blatt „Prüfbericht“ der Excel-Datei)")
    else:
        read_note = "keine Auffälligkeiten beim Einlesen"
    sections.append(model_section())
    facts = [("Kennzahl", texts.METRIC_LABELS.get(metric, metric)),
             ("Aktivitäten", texts.fmt_number(len(df)))]
    unclear = int(aggregate.unclear_count(df, "anzahl")) if len(df) else 0
    if unclear:
        facts.append(("Nicht zugeordnet", f"{texts.fmt_number(unclear)} (unklar)"))
    no_social = int(aggregate.no_social_count(df, "anzahl")) if len(df) else 0
    if no_social:
        facts.append(("Kein Sozialbezug", texts.fmt_number(no_social)))
    facts.append(("Prüfbericht", read_note))
    if note:
        facts.append(("Hinweis", note))
    handout = pdf.Handout(
        title="Sitzungsvorlage: Aktivitäten im Quartier",
        subtitle=texts.APP_SUBTITLE,
        data_source=", ".join(sources),
        date=when,
        scope=scope,
        facts=facts,
        sections=sections,
    )
    return pdf.build_pdf(handout)


def _pptx(scope: str, overview: list[Chart], per_quartier: dict[str, Chart], readings: dict[str, insights.Lesart],
          lesart: insights.Lesart, note: str, when: dt.date, metric: str) -> bytes:
    from soni.export import pptx

    def chart_slide(chart: Chart, caption: str | None = None) -> pptx.ChartSlide:
        return pptx.ChartSlide(clean_title(chart.title), chart.png, caption or chart.caption, note=note,
                               speaker_notes=chart.caption)

    slides: list[pptx.ChartSlide | pptx.TextSlide] = []
    by_key = {c.key: c for c in overview}
    slides.append(chart_slide(by_key["01_soni_bild"], lesart.headline))
    slides.append(pptx.TextSlide("Schwerpunkte und Lücken", list(lesart.points)[:8], lead=lesart.headline,
                                 speaker_notes=LESART_HINWEIS))
    for chart in overview[1:]:
        slides.append(chart_slide(chart))
    for name, chart in per_quartier.items():
        reading = readings[name]
        slide = chart_slide(chart, reading.headline)
        slide.title = f"SONI-Bild: {name}"
        slide.speaker_notes = reading.as_text()
        slides.append(slide)
    slides.append(model_slide())
    subtitle = f"{scope} · {texts.METRIC_LABELS.get(metric, metric)} · Stand {when.strftime('%d.%m.%Y')}"
    return pptx.build_pptx("Aktivitäten im Quartier im SONI-Modell", subtitle, slides)


def build_report(
    inventory: Inventory,
    *,
    quartiere: list[str] | None = None,
    metric: str = "anzahl",
    formats: set[str] | frozenset[str] = DEFAULT_FORMATS,
    progress: Progress | None = None,
    when: dt.date | None = None,
    lesart: insights.Lesart | None = None,
) -> dict[str, bytes]:
    """The meeting package as {file name: bytes} (PNG/SVG under ``Bilder/``).

    ``lesart`` replaces the computed reading of the whole selection (the team's edited text).

    ``quartiere`` limits the selection (None = all); ``metric`` is a key of
    ``schema.METRICS``; ``formats`` a subset of :data:`FORMATS`; ``progress(fraction, text)``
    is called with German messages. Without an export browser see the module docstring.
    Raises ``PackageError`` (with the files that were built) when a format fails.
    """
    wanted = {str(f).lower().lstrip(".") for f in formats}
    unknown = wanted - FORMATS
    if unknown or not wanted:
        raise ValueError(f"Unbekanntes Format: {', '.join(sorted(unknown)) or '(keins)'}; "
                         f"möglich: {', '.join(sorted(FORMATS))}.")
    aggregate.metric_values(inventory.activities.head(0), metric)  # checks the metric name
    when = when or dt.date.today()
    df = inventory.activities
    if quartiere:
        df = aggregate.filter_activities(df, quartiere=quartiere)
    names = _quartier_names(df)
    single = names[:MAX_QUARTIERE_EINZELN] if len(names) > 1 else []  # one Quartier: the overview is its page
    scope = texts.scope_label(df, quartiere=quartiere)
    sources = _sources(inventory, df)
    needs_charts = bool(wanted & {"pdf", "pptx", "png", "svg"})
    documents = len(wanted & {"pdf", "pptx", "xlsx", "csv"})
    steps = Steps(progress, 2 + documents + ((6 + len(single)) if needs_charts else 0))

    steps("Auswertung wird berechnet …")
    lesart = lesart if lesart is not None and lesart.headline else insights.schwerpunkte_und_luecken(df, metric, scope)
    readings = {name: insights.schwerpunkte_und_luecken(aggregate.filter_activities(df, quartiere=[name]), metric,
                                                        f"Quartier {name}")
                for name in single} if wanted & {"pdf", "pptx"} else {}
    overview: list[Chart] = []
    per_quartier: dict[str, Chart] = {}
    note = ""
    all_charts: list[Chart] = []
    if needs_charts:
        try:
            overview, per_quartier = _charts(df, metric, names, scope, sources, single)
        except Exception as exc:  # no charts: the documents get the note in their place
            note = chart_failure(exc)
        all_charts = overview + list(per_quartier.values())
        steps.total = 2 + documents + len(all_charts)
        note = note or render_images(all_charts, wanted, steps)

    def pdf_file() -> bytes:
        return _pdf(inventory, df, metric, scope, sources, overview, per_quartier, readings, lesart, names, note,
                    when)

    def xlsx_file() -> bytes:
        from soni.export import xlsx

        return xlsx.build_summary_xlsx(inventory, metric, quartiere=quartiere, when=when)

    def csv_file() -> bytes:
        from soni.export import safe
        from soni.pipeline import export_frame

        frame = export_frame(inventory)
        if quartiere:
            keep = inventory.activities[schema.QUARTIER].astype(str).isin([str(q) for q in quartiere]).to_numpy()
            frame = frame.loc[keep]
        return safe.to_csv_bytes(frame)

    documents_to_build = (
        ("pdf", NAME_PDF, "PDF-Sitzungsvorlage wird erstellt …", pdf_file),
        ("pptx", NAME_PPTX, "PowerPoint-Folien werden erstellt …",
         lambda: _pptx(scope, overview, per_quartier, readings, lesart, note, when, metric)),
        ("xlsx", NAME_XLSX, "Excel-Auswertung wird erstellt …", xlsx_file),
        ("csv", NAME_CSV, "CSV-Datei wird erstellt …", csv_file),
    )
    return assemble(wanted, all_charts, note, documents_to_build, steps)


Document = tuple[str, str, str, Callable[[], bytes]]  # format, file name, progress text, builder


def chart_failure(exc: Exception) -> str:
    """The note in place of every chart when the charts could not be drawn at all."""
    return _failure("png", exc).split(". Die übrigen")[0] + "."


def assemble(wanted: set[str], all_charts: list[Chart], note: str, documents: Sequence[Document],
             steps: Steps) -> dict[str, bytes]:
    """The package's files: the rendered chart images (under ``Bilder/``), each wanted document (one
    failing does not take the others) and ``HINWEIS.txt`` when images are missing. Raises
    ``ImageExportError`` when only images were wanted and there are none, ``PackageError`` (with the
    files that were built) when a document failed."""
    if note and not wanted & {fmt for fmt, *_ in documents}:
        raise images.ImageExportError(note)
    files: dict[str, bytes] = {}
    for chart in all_charts:
        if "png" in wanted and chart.png is not None:
            files[f"{IMAGE_FOLDER}/{chart.key}.png"] = chart.png
        if "svg" in wanted and chart.svg is not None:
            files[f"{IMAGE_FOLDER}/{chart.key}.svg"] = chart.svg
    failures: dict[str, str] = {}
    for fmt, name, step, build in documents:
        if fmt not in wanted:
            continue
        steps(step)
        try:  # one format failing does not take the others
            files[name] = build()
        except Exception as exc:
            failures[fmt] = _failure(fmt, exc)
    if note and wanted & {"png", "svg"}:
        files[NAME_NOTE] = (note + "\n").encode("utf-8")
    steps.finish()
    if failures:
        raise PackageError(files, failures)
    return files


def build_zip(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of the files (names as given, "/" for folders)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            # PNGs are compressed already: store them, deflate the rest
            method = zipfile.ZIP_STORED if name.lower().endswith(".png") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()

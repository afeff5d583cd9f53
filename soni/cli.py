"""The command line: ``python -m soni classify | summary | report | template``.

A thin face on ``soni.pipeline`` (the same calls as the app). Exit status 0
on success; on input that cannot be used, 2 and one German line on stderr
starting with ``Fehler:`` — never a traceback. Skipped rows and warnings are
summarised on stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from soni import argparse_de, schema  # pandas-free; pandas and the pipeline load only when a command needs them

EXIT_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # German, one line, exit 2
        self.exit(EXIT_INPUT, f"Fehler: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m soni", description="SONI-Dashboard ohne Browser: Aktivitäten einlesen, "
                     "dem SONI-Modell zuordnen, auswerten und exportieren.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="BEFEHL",
                                title="Befehle")

    def with_input(p: argparse.ArgumentParser) -> None:
        p.add_argument("input", metavar="DATEI", help="Tabelle (xlsx, xlsm, xls, ods oder csv)")
        p.add_argument("--sheet", metavar="BLATT",
                       help="Tabellenblatt (Standard: das Blatt, das wie ein Inventar aussieht)")
        p.add_argument("--header-row", type=argparse_de.whole_number, metavar="ZEILE",
                       help="Zeile der Spaltenüberschriften (ab 1)")
        p.add_argument("--terms", metavar="DATEI.csv",
                       help="eigene Begriffe für die Zuordnung (CSV wie soni/lexicon.csv)")
        p.add_argument("--spalte", action="append", default=[], metavar="ZIEL=ÜBERSCHRIFT",
                       help="Spaltenzuordnung ändern, z. B. --spalte Beschreibung=\"Worum geht's\" "
                       "(mehrfach möglich; ZIEL= ohne Überschrift: nicht zuordnen)")
        p.add_argument("--zuordnung", metavar="DATEI.json",
                       help="gespeicherte Spaltenzuordnung (aus dem Dashboard oder --zuordnung-speichern)")
        p.add_argument("--zuordnung-speichern", metavar="DATEI.json", dest="save_mapping",
                       help="die verwendete Spaltenzuordnung als Datei speichern")
        p.add_argument("--auffuellen", action="append", nargs="?", const="*", default=[], metavar="ÜBERSCHRIFT",
                       help="leere Zellen einer Spalte mit dem Wert darüber füllen (ohne Angabe: alle "
                       "vorgeschlagenen Spalten; mehrfach möglich)")

    p = sub.add_parser("classify", help="einlesen, prüfen, zuordnen; schreibt jede Aktivität mit den SONI-Spalten")
    with_input(p)
    p.add_argument("--out", required=True, metavar="DATEI", help="Ausgabe .csv oder .xlsx")
    p = sub.add_parser("summary", help="eine Zeile je Quartier (oder Zeitraum), eine Spalte je SONI-Feld")
    with_input(p)
    p.add_argument("--by", default="Quartier", choices=["Quartier", "Zeitraum"])
    p.add_argument("--period", default="Jahr", choices=list(schema.PERIODS), help="bei --by Zeitraum")
    p.add_argument("--metric", default="anzahl", choices=list(schema.METRICS))
    p.add_argument("--out", metavar="DATEI", help="Ausgabe .csv oder .xlsx (ohne: Tabelle auf die Konsole)")
    p = sub.add_parser("report", help="das Sitzungspaket: .pdf, .pptx, .xlsx, .png oder .zip")
    with_input(p)
    p.add_argument("--out", required=True, metavar="DATEI",
                   help="Ausgabe; bei .png ist DATEI das erste Diagramm, die weiteren kommen als "
                        "DATEI_<name>.png daneben (auf stderr aufgezählt)")
    p.add_argument("--metric", default="anzahl", choices=list(schema.METRICS))
    p = sub.add_parser("template", help="leere Inventar-Vorlage mit Anleitung")
    p.add_argument("--out", required=True, metavar="DATEI", help="Ausgabe .xlsx")
    from soni import workspace_cli

    workspace_cli.add_commands(sub, with_input)
    return parser


def _load(args: argparse.Namespace, more_terms=None):
    """Read, check and classify the input file; ``more_terms``: a workspace's own terms (lexicon format)."""
    path = Path(args.input)
    if not path.is_file():
        from soni.report import InputError

        raise InputError("Die Datei gibt es nicht.", file=str(path))
    data = path.read_bytes()
    from soni.intake import isolate

    reading = isolate.prefetch(data)  # the reader child parses a workbook while pandas and the pipeline load
    from soni import pipeline

    # compile the lexicon while the child is still reading (no extra work), and load what the run
    # loads later anyway: Arrow's group_by (reasons) imports pyarrow.acero with pyarrow.dataset and ssl
    # (~20 ms), the CSV writer ~5 ms
    if reading and not args.terms and more_terms is None:
        import pandas as pd
        import pyarrow.acero  # noqa: F401

        from soni.export import safe  # noqa: F401

        pipeline.classify_activities(pd.DataFrame())
    extra = None
    if args.terms:
        from soni.classify import load_lexicon

        extra = load_lexicon(args.terms)
    if more_terms is not None and len(more_terms):
        import pandas as pd

        extra = more_terms if extra is None else pd.concat([more_terms, extra], ignore_index=True)
    options = {path.name: _options(args)}
    inventory = pipeline.run([(path.name, data)], options=options, extra_terms=extra)
    _tell(inventory)
    if args.save_mapping:
        from soni import mappingfile

        source = next(iter(inventory.sources))
        saved = mappingfile.from_choice(inventory.mappings[source], inventory.sources[source].get("fill_down", ()))
        Path(args.save_mapping).write_text(mappingfile.dumps(saved), encoding="utf-8")
    return inventory


def _options(args: argparse.Namespace):
    """The pipeline's options from --sheet, --header-row, --zuordnung, --spalte and --auffuellen."""
    from soni import mappingfile, pipeline

    override: dict[str, str | None] = {}
    fill: tuple[str, ...] = ()
    if args.zuordnung:
        saved = mappingfile.loads(Path(args.zuordnung).read_bytes(), file=args.zuordnung)
        override.update(saved.columns)
        fill = saved.fill_down
    override.update(mappingfile.parse_assignments(args.spalte))
    return pipeline.Options(sheet=args.sheet, header_row=args.header_row, mapping=override,
                            fill_down=(*fill, *args.auffuellen))


def _tell(inventory) -> None:
    """Skipped rows and warnings on stderr, summarised."""
    from soni.report import FEHLER, WARNUNG

    report = inventory.report
    for source, mapping in inventory.mappings.items():
        pairs = ", ".join(f"{name} ← „{header}“" for name, header in mapping.items()) or "keine Spalte erkannt"
        print(f"Spaltenzuordnung ({source}): {pairs}", file=sys.stderr)
    if report.skipped:
        reasons = ", ".join(f"{reason} ({n})" if n > 1 else reason
                            for reason, n in sorted(report.skip_summary().items(), key=lambda kv: -kv[1])[:8])
        rows = "1 Zeile" if report.skipped == 1 else f"{report.skipped} Zeilen"
        print(f"Hinweis: {rows} übersprungen: {reasons}", file=sys.stderr)
    for problem in report.of_level(WARNUNG)[:20] + report.of_level(FEHLER):
        print(f"{problem.level}: {problem.located()}", file=sys.stderr)
    more = len(report.of_level(WARNUNG)) - 20
    if more > 0:
        print(f"Warnung: … und {more} weitere Warnungen.", file=sys.stderr)
    print(f"{len(inventory)} {'Aktivität' if len(inventory) == 1 else 'Aktivitäten'} gelesen.", file=sys.stderr)


def _write_table(frame, out: Path) -> None:
    from soni.export import safe
    from soni.report import InputError

    suffix = out.suffix.lower()
    if suffix == ".csv":
        with out.open("wb") as stream:
            safe.write_csv(frame, stream)
    elif suffix in (".xlsx", ".xlsm"):
        out.write_bytes(safe.to_xlsx_bytes({"Aktivitäten": frame}))
    else:
        raise InputError(f"Unbekanntes Ausgabeformat „{out.suffix}“: bitte .csv oder .xlsx.", file=str(out))


def run() -> NoReturn:
    """``python -m soni``: ``main`` on the command line's arguments, then exit with its code.

    After ``classify`` and ``summary`` every output file is written and closed and no helper
    process is left, so the interpreter's teardown is skipped: freeing a large inventory cell by
    cell and unloading pandas takes ~0.1 s at 50,000 rows (measured), for nothing. ``report``
    exits normally (it stops the chart browser on exit).
    """
    # Arrow's buffers from the C library's allocator: a builder that grows a column of long texts (dictionary
    # encoding, joining, CSV cells) is reallocated in place (mremap) instead of copied into fresh pages, as
    # Arrow's default allocator (mimalloc) does. 50,000 texts of 50–100 words: −0.15 s CPU, peak −120 MB
    # (docs/performance.md, "Achte Sitzung"). Set before pyarrow loads; a user's own choice stays. Only this
    # short-lived process: the app's server keeps its allocator (it gives memory back, issue 16).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] in (["classify"], ["summary"]):
        with contextlib.suppress(BrokenPipeError):  # e.g. `… summary | head`: the reader has gone
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    with argparse_de.german():  # help and argument errors in German
        args = build_parser().parse_args(argv)
    try:
        _command(args)
    except Exception as exc:
        from soni.report import InputError

        if isinstance(exc, InputError):
            print(f"Fehler: {exc.located()}", file=sys.stderr)
            return EXIT_INPUT
        if isinstance(exc, OSError):
            print(f"Fehler: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_INPUT
        from soni.export.package import PackageError

        if isinstance(exc, PackageError):  # a value of the input that a format cannot hold
            for message in exc.failures.values():
                print(f"Fehler: {message}", file=sys.stderr)
            return EXIT_INPUT
        # not the input's fault: still one German line, no traceback
        print(f"Fehler: {_describe(exc)}", file=sys.stderr)
        return 1
    return 0


def _command(args: argparse.Namespace) -> None:
    """Run one command (errors are turned into exit codes by ``main``)."""
    if args.command == "template":
        from soni.template import build_template

        Path(args.out).write_bytes(build_template())
    elif args.command == "classify":
        inventory = _load(args)  # first: it starts the reader child before pandas is imported
        from soni.pipeline import export_frame

        _write_table(export_frame(inventory), Path(args.out))
    elif args.command == "summary":
        activities = _load(args).activities
        from soni import aggregate

        by = schema.QUARTIER if args.by == "Quartier" else schema.PERIODS[args.period]
        table = aggregate.by_group(activities, by, args.metric).table
        if args.out:
            _write_table(table.reset_index(), Path(args.out))
        else:
            print(table.to_string())
    elif args.command == "report":
        _report(args)
    else:
        from soni import workspace_cli

        workspace_cli.command(args, _load, _write_table, write_report)


def _describe(exc: Exception) -> str:
    from soni.export.images import ImageExportError

    if isinstance(exc, ImageExportError):  # no browser for chart images: its message is German
        return str(exc)
    return f"unerwarteter interner Fehler ({type(exc).__name__}: {exc})."


def _report(args: argparse.Namespace) -> None:
    from soni.export.package import build_report

    out = Path(args.out)
    report_formats(out)  # an unknown suffix fails before the file is read
    inventory = _load(args)
    write_report(lambda formats: build_report(inventory, metric=args.metric, formats=formats), out)


REPORT_SUFFIXES = ("pdf", "pptx", "xlsx", "png", "zip")


def report_formats(out: Path) -> set[str]:
    """The package formats an output file asks for (.zip: PDF, PowerPoint, Excel and images)."""
    from soni.report import InputError

    suffix = out.suffix.lower().lstrip(".")
    if suffix not in REPORT_SUFFIXES:
        raise InputError(f"Unbekanntes Berichtsformat „{out.suffix}“: bitte .pdf, .pptx, .xlsx, .png oder .zip.")
    return {"pdf", "pptx", "xlsx", "png"} if suffix == "zip" else {suffix}


def write_report(build: Callable[[set[str]], dict[str, bytes]], out: Path) -> None:
    """Build a package (``build(formats)``) for ``out`` and write it: a ZIP with every file, or the
    one file of that format (several images: the first to ``out``, the others beside it)."""
    from soni.export.package import PackageError, build_zip
    from soni.report import InputError

    suffix = out.suffix.lower().lstrip(".")
    try:
        files = build(report_formats(out))
    except PackageError as exc:  # a ZIP still gets the formats that were built; the exit status says 2
        if suffix == "zip" and exc.files:
            out.write_bytes(build_zip(exc.files))
        raise
    if suffix == "zip":
        out.write_bytes(build_zip(files))
        return
    matching = [name for name in files if name.lower().endswith("." + suffix)]
    if not matching:
        raise InputError(f"Für das Format .{suffix} wurde nichts erzeugt.")
    if len(matching) == 1:
        out.write_bytes(files[matching[0]])
    else:  # several images: the first to OUT, the others beside it (and the user is told which)
        out.write_bytes(files[matching[0]])
        extra = [out.parent / f"{out.stem}_{Path(name).stem}.{suffix}" for name in matching[1:]]
        for path, name in zip(extra, matching[1:], strict=True):
            path.write_bytes(files[name])
        print(f"{out} ist das erste von {len(matching)} Diagrammen; die weiteren {len(extra)} liegen daneben:",
              file=sys.stderr)
        for path in extra:
            print(f"  {path}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())

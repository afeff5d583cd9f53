"""The pipeline: read → columns → validate (rows) → normalise → validate (cells) → classify.

``run`` is what the app and the command line call. Each file of an upload is
read on its own; a file that cannot be used is reported (and the others go on);
all readable rows of all files end up in one ``Inventory``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from soni import columns, filldown, mappingfile, normalise, read, schema, validate
from soni.intake import guard, load_sheets
from soni.inventory import Inventory
from soni.report import FEHLER, HINWEIS, InputError, Report

Progress = Callable[[float, str], None]


@dataclass
class Options:
    """What the user chose for one file (all optional)."""

    sheet: str | None = None
    header_row: int | None = None  # 1-based
    mapping: dict[str, str | None] = field(default_factory=dict)  # canonical → header override
    #: headers whose empty cells take the value above (``soni.filldown``); "*": every suggested column
    fill_down: tuple[str, ...] = ()


def intake(data: bytes, file: str, report: Report, options: Options | None = None
           ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], read.Table]:
    """One file → (activities without SONI columns, original columns, mapping, table)."""
    options = options or Options()
    sheets = load_sheets(data, file, report)
    with columns.shared_text_cells():  # each column's text is converted to Arrow strings once
        table = read.table_from_sheets(sheets, file, report, sheet=options.sheet, header_row=options.header_row)
        return _checked(table, file, report, options)


def _checked(table: read.Table, file: str, report: Report, options: Options
             ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], read.Table]:
    choice = columns.choose_mapping(table.frame, options.mapping)
    mapping = choice.mapping
    columns.report_mapping(mapping, table.frame, report, file=file, sheet=table.sheet, choice=choice)
    keep = validate.screen_rows(table.frame, table.rows, mapping, report, file=file, sheet=table.sheet)
    guard.formulas_in_skipped_rows(report, file, table.sheet, validate.REGARDLESS_OF_VALUES)
    if not keep.any():
        raise InputError("Das Blatt enthält keine Datenzeilen (nur leere Zeilen, Summen oder Legenden).",
                         file=file, sheet=table.sheet)
    original = table.frame if keep.all() else table.frame[keep.to_numpy()]
    rows = [r for r, k in zip(table.rows, keep.to_numpy(), strict=True) if k]
    table.fill_suggested = filldown.suggest(original, mapping)
    chosen = [h for h in options.fill_down if h != mappingfile.ALL_SUGGESTED]
    if mappingfile.ALL_SUGGESTED in options.fill_down:
        chosen += table.fill_suggested
    table.filled_down = list(dict.fromkeys(chosen))
    if table.filled_down:
        original = filldown.fill(original, table.filled_down, rows, report, file=file, sheet=table.sheet)
    filldown.tell([h for h in table.fill_suggested if h not in table.filled_down], report, file=file,
                  sheet=table.sheet)
    activities = normalise.normalise(original, mapping, rows, report, file=file, sheet=table.sheet)
    from soni.classify import extra_text

    activities[schema.WEITERE_TEXTE] = extra_text(original, mapping).to_numpy()
    activities[schema.DATEI] = file
    activities[schema.BLATT] = table.sheet
    activities[schema.ZEILE] = pd.Series(rows, index=original.index, dtype="int64")
    sheet_part = f"{table.sheet}:" if table.sheet else ""
    activities[schema.ZEILEN_ID] = (f"{file}:{sheet_part}" + activities[schema.ZEILE].astype(str)).astype(str)
    original, activities = validate.check_cells(original, activities, mapping, report, file=file,
                                                sheet=table.sheet)
    return activities, original, mapping, table


def run(files: Sequence[tuple[str, bytes]], *, options: Mapping[str, Options] | None = None,
        extra_terms: pd.DataFrame | None = None, corrections: Mapping[str, tuple[str, str | None]] | None = None,
        progress: Progress | None = None) -> Inventory:
    """Read, validate and classify one or several files into one ``Inventory``.

    Raises ``InputError`` only when no file could be used; otherwise problems of
    single files are in the report.
    """
    report = Report()
    say = progress or (lambda _f, _t: None)
    parts: list[tuple[pd.DataFrame, pd.DataFrame]] = []
    mappings: dict[str, dict[str, str]] = {}
    sources: dict[str, dict[str, object]] = {}
    first_error: InputError | None = None
    for i, (name, data) in enumerate(files):
        say(i / max(len(files), 1) * 0.7, f"Lese {name} …")
        try:
            activities, original, mapping, table = intake(data, name, report, (options or {}).get(name))
        except InputError as exc:
            exc.file = exc.file or name
            report.add(FEHLER, exc.message, file=exc.file, sheet=exc.sheet, row=exc.row, column=exc.column)
            first_error = first_error or exc
            continue
        parts.append((activities, original))
        mappings[table.source] = mapping
        sources[table.source] = {"file": name, "sheet": table.sheet, "header_row": table.header_row,
                                 "sheets": table.sheets, "headers": [str(h) for h in table.frame.columns],
                                 "rows": len(activities), "fill_suggested": list(table.fill_suggested),
                                 "fill_down": list(table.filled_down)}
    if not parts:
        raise first_error or InputError("Keine Datei übergeben.")
    say(0.75, "Ordne die Aktivitäten dem SONI-Modell zu …")
    activities = pd.concat([a for a, _ in parts], ignore_index=True)
    original = pd.concat([o for _, o in parts], ignore_index=True)
    for name in schema.TEXT_COLUMNS:
        if name in activities:
            activities[name] = activities[name].fillna("").astype(str)
    soni = classify_activities(activities, extra_terms)
    activities = pd.concat([activities, soni], axis=1)
    if corrections:
        from soni.classify import apply_corrections

        activities = apply_corrections(activities, corrections)
    activities = compact(activities)
    n_files = len(parts)
    report.add(HINWEIS, f"{_count(len(activities), 'Aktivität', 'Aktivitäten')} aus "
               f"{_count(n_files, 'Datei', 'Dateien')}, {_count(report.skipped, 'Zeile', 'Zeilen')} übersprungen.")
    say(1.0, "Fertig.")
    return Inventory(activities=activities, original=original, report=report, mappings=mappings,
                     sources=sources)


def unique_names(names: Sequence[str]) -> list[str]:
    """File names made distinct for one upload: a repeated "liste.xlsx" becomes "liste (2).xlsx", …

    The pipeline keys sources and reports by file name, so two files may not share one.
    """
    out: list[str] = []
    taken: set[str] = set()
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        candidate, n = name, seen[name]
        while candidate in taken:
            stem, dot, ext = name.rpartition(".")
            candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
            n += 1
        taken.add(candidate)
        out.append(candidate)
    return out


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def classify_activities(activities: pd.DataFrame, extra_terms: pd.DataFrame | None = None) -> pd.DataFrame:
    """The SONI columns for the activities (``soni.classify``)."""
    from soni.classify import classify

    return classify(activities, extra_terms=extra_terms)


def compact(activities: pd.DataFrame) -> pd.DataFrame:
    """Categoricals for the few-valued columns (Quartier, field, aspect, periods) to keep memory down."""
    out = activities.copy()
    for name in (schema.QUARTIER, schema.QUARTIER_KEY, schema.SONI_FELD, schema.SONI_ASPEKT,
                 schema.SONI_QUELLE, schema.SONI_ZWEITFELD, schema.DATEI, schema.BLATT, schema.HALBJAHR,
                 schema.QUARTAL):
        if name in out:
            out[name] = out[name].astype("category")
    return out


def export_frame(inventory: Inventory) -> pd.DataFrame:
    """Every original column with its header, plus the five SONI columns (the file contract).

    The SONI columns keep their types (categories, Arrow text): the writers in ``soni.export.safe``
    give the same cells either way, and 200,000 reasons as Python objects cost ~0.1 GB.
    """
    original = inventory.original.drop(columns=[c for c in schema.SONI_COLUMNS if c in inventory.original])
    soni = inventory.activities[list(schema.SONI_COLUMNS)]
    out = pd.concat([original.reset_index(drop=True), soni.reset_index(drop=True)], axis=1)
    if inventory.activities[schema.DATEI].nunique() > 1:
        out.insert(0, "Quelldatei", inventory.activities[schema.DATEI].astype(str).to_numpy())
    return out

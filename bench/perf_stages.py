"""Where the time of one ``python -m soni classify`` goes: the pipeline stage by stage, in-process.

Prints one JSON line (stage → seconds, best of ``--repeat``) for an inventory file. The
stages are those of ``soni.pipeline.intake`` and ``run`` plus the CSV export the command
line writes. "guard alone" is the pre-check as the pipeline runs it (without the cell scan), for
reference; "guard + parse" is ``soni.intake.load_sheets`` as the pipeline calls it: the reader
child (``soni.intake.isolate``) parses while this process checks the file and scans its sheet XML for
error cells and formulas (``guard.scan_cells``).

    .venv/bin/python bench/perf_stages.py bench/out/inv_50000_s0.xlsx [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from soni import columns, filldown, intake, normalise, pipeline, read, schema, validate  # noqa: E402
from soni.intake import guard  # noqa: E402
from soni.inventory import Inventory  # noqa: E402
from soni.report import Report  # noqa: E402

STAGES = ("guard alone", "guard + parse", "table", "mapping", "screen_rows", "fill_down", "normalise", "check_cells",
          "classify", "compact", "export_frame", "csv")


def stages_once(data: bytes, name: str) -> dict[str, float]:
    """Seconds per stage for one run of the pipeline on ``data`` (as ``pipeline.intake`` runs it: each
    column's text converted to Arrow strings once, ``columns.shared_text_cells``)."""
    with columns.shared_text_cells():
        return _stages_once(data, name)


def _stages_once(data: bytes, name: str) -> dict[str, float]:
    from soni.classify import classify
    from soni.export import safe

    times: dict[str, float] = {}
    clock = [time.perf_counter()]

    def tick(stage: str) -> None:
        now = time.perf_counter()
        times[stage] = now - clock[0]
        clock[0] = now

    classify(pd.DataFrame())  # the lexicon compiled beforehand, as the command line does while the child reads
    report = Report()
    guard.inspect(data, name, cells=False)  # as the pipeline calls it: cells are scanned while the child parses
    tick("guard alone")
    sheets = intake.load_sheets(data, name, report)
    tick("guard + parse")
    table = read.table_from_sheets(sheets, name, report)
    tick("table")
    choice = columns.choose_mapping(table.frame, {})
    mapping = choice.mapping
    columns.report_mapping(mapping, table.frame, report, file=name, sheet=table.sheet, choice=choice)
    tick("mapping")
    keep = validate.screen_rows(table.frame, table.rows, mapping, report, file=name, sheet=table.sheet)
    tick("screen_rows")
    original = table.frame[keep.to_numpy()]
    rows = [r for r, k in zip(table.rows, keep.to_numpy(), strict=True) if k]
    filldown.tell(filldown.suggest(original, mapping), report, file=name, sheet=table.sheet)
    tick("fill_down")
    activities = normalise.normalise(original, mapping, rows, report, file=name, sheet=table.sheet)
    activities[schema.DATEI] = name
    activities[schema.BLATT] = table.sheet
    activities[schema.ZEILE] = pd.Series(rows, index=original.index, dtype="int64")
    activities[schema.ZEILEN_ID] = (f"{name}:" + activities[schema.ZEILE].astype(str)).astype(str)
    tick("normalise")
    original, activities = validate.check_cells(original, activities, mapping, report, file=name,
                                                sheet=table.sheet)
    tick("check_cells")
    soni = classify(activities)
    tick("classify")
    activities = pipeline.compact(pd.concat([activities, soni], axis=1))
    tick("compact")
    frame = pipeline.export_frame(Inventory(activities=activities, original=original, report=report,
                                            mappings={}, sources={}))
    tick("export_frame")
    safe.to_csv_bytes(frame)
    tick("csv")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = args.path.read_bytes()
    runs = [stages_once(data, args.path.name) for _ in range(args.repeat)]
    best = {stage: min(run[stage] for run in runs) for stage in runs[0]}
    print(json.dumps(best))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

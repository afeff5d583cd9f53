"""Export timings: chart images (cold/warm), PDF, PowerPoint, Excel and the whole meeting package.

Run: ``.venv/bin/python bench/export_bench.py [--rows 180] [--repeat 5]``. Prints a table
(seconds). Uses invented activities (``tests/conftest.make_activities``), 5 Quartiere.
"Cold" = the first image of the process, including the start of the export browser.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from soni import aggregate, charts, schema  # noqa: E402
from soni.export import images, package, xlsx  # noqa: E402
from soni.inventory import Inventory  # noqa: E402
from soni.report import Report  # noqa: E402
from tests.conftest import make_activities  # noqa: E402


def _inventory(rows: int) -> Inventory:
    acts = make_activities(rows, seed=7)
    original = pd.DataFrame({"Angebot": acts[schema.TITEL].astype(str), "Stadtteil": acts[schema.QUARTIER],
                             "Kosten": acts[schema.KOSTEN]})
    return Inventory(acts, original, Report(), sources={"erfunden.xlsx › Tabelle1": {}})


class Timer:
    """Wraps module functions to add up their time per call of build_report."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.originals: list[tuple[object, str, object]] = []

    def restore(self) -> None:
        for owner, name, original in self.originals:
            setattr(owner, name, original)

    def wrap(self, owner, name: str, label: str) -> None:
        original = getattr(owner, name)
        self.originals.append((owner, name, original))

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.totals[label] = self.totals.get(label, 0.0) + time.perf_counter() - start

        setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    inv = _inventory(args.rows)
    df = inv.activities
    lines: list[tuple[str, float]] = []
    print(f"Export-Benchmark: {args.rows} erfundene Aktivitäten, Browser: {images.find_browser() or 'keiner'}")

    fig = charts.soni_grid_figure(aggregate.field_grid(df, "anzahl"), "anzahl", "SONI-Bild")
    aspect = charts.aspect_figure(aggregate.aspect_grid(df, "anzahl"), "anzahl", "Aspekte")
    size = {"width": package.IMAGE_WIDTH, "height": 520, "scale": package.IMAGE_SCALE}
    if images.browser_available():
        start = time.perf_counter()
        images.figure_to_png(fig, **size)
        lines.append(("PNG, erstes Bild (kalt, inkl. Browserstart)", time.perf_counter() - start))
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            images.figure_to_png(fig, **size)
            warm.append(time.perf_counter() - start)
        lines.append((f"PNG 2x2-Bild 2500 px, warm (Median von {args.repeat})", statistics.median(warm)))
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            images.figure_to_png(aspect, width=package.IMAGE_WIDTH, height=680, scale=package.IMAGE_SCALE)
            warm.append(time.perf_counter() - start)
        lines.append((f"PNG 4x3-Aspektbild 2500 px, warm (Median von {args.repeat})", statistics.median(warm)))
        warm = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            images.figure_to_svg(fig, width=package.IMAGE_WIDTH, height=520)
            warm.append(time.perf_counter() - start)
        lines.append((f"SVG 2x2-Bild, warm (Median von {args.repeat})", statistics.median(warm)))
        start = time.perf_counter()
        images.figures_to_png([fig] * 10, **size)
        lines.append(("PNG, 10 Bilder im Stapel (je Bild)", (time.perf_counter() - start) / 10))
        images.stop_browser()
    else:
        print(images.unavailable_reason())

    for run in ("erster Lauf (Browser kalt)", "warm"):
        timer = Timer()
        for owner, name, label in ((package, "_charts", "Diagramme bauen (plotly)"),
                                   (package, "render_images", "Bilder zeichnen (kaleido)"),
                                   (package, "_pdf", "PDF (fpdf2)"), (package, "_pptx", "PowerPoint (python-pptx)"),
                                   (xlsx, "build_summary_xlsx", "Excel (xlsxwriter)")):
            timer.wrap(owner, name, label)
        start = time.perf_counter()
        files = package.build_report(inv, formats={"pdf", "pptx", "xlsx", "png"})
        total = time.perf_counter() - start
        timer.restore()
        n_png = sum(1 for n in files if n.endswith(".png"))
        lines.append((f"Sitzungspaket gesamt, {run} ({n_png} Bilder)", total))
        for label, seconds in timer.totals.items():
            lines.append((f"  davon {label}", seconds))
        sizes = ", ".join(f"{n.split('/')[-1]} {len(b) / 1e6:.2f} MB" for n, b in files.items()
                          if not n.endswith(".png"))
        print(f"{run}: {sizes}")

    width = max(len(label) for label, _ in lines)
    print()
    for label, seconds in lines:
        print(f"{label:<{width}}  {seconds:7.3f} s")
    images.stop_browser()


if __name__ == "__main__":
    main()

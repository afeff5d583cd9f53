"""Timing of filter + grids on a large invented activities table (prints numbers, asserts nothing).

Run from the repository root: ``.venv/bin/python bench/aggregate_bench.py [ROWS]``.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from soni import aggregate, charts, insights, schema
from tests.conftest import make_activities


def timed(label: str, fn, repeat: int = 15) -> None:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    print(f"{label:<58} median {statistics.median(runs):7.1f} ms   min {min(runs):7.1f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    for categorical in (False, True):
        df = make_activities(n, seed=1, categorical=categorical)
        kind = "categorical" if categorical else "str"
        print(f"\n{n:,} rows, Quartier/SONI columns as {kind}")

        def filter_and_grids(df=df):
            sub = aggregate.filter_activities(
                df, quartiere=["Nordstadt", "Altstadt"], period_col="Jahr", periods=[2023, 2024]
            )
            aggregate.field_grid(sub, "anzahl")
            aggregate.aspect_grid(sub, "anzahl")

        def no_filter_grids(df=df):
            aggregate.field_grid(df, "stunden")
            aggregate.aspect_grid(df, "stunden")

        timed("filter (2 Quartiere, 2 Jahre) + field_grid + aspect_grid", filter_and_grids)
        timed("field_grid + aspect_grid, no filter (stunden)", no_filter_grids)
        timed("filter only (2 Quartiere, 2 Jahre)", lambda df=df: aggregate.filter_activities(
            df, quartiere=["Nordstadt", "Altstadt"], period_col="Jahr", periods=[2023, 2024]))
        timed("by_group Quartier anzahl", lambda df=df: aggregate.by_group(df, schema.QUARTIER, "anzahl"))
        timed("by_group Quartal kosten share", lambda df=df: aggregate.by_group(df, schema.QUARTAL, "kosten", True))
        timed("difference Nordstadt vs. average", lambda df=df: aggregate.difference(df, "anzahl", "Nordstadt"))
        timed("cell_table", lambda df=df: aggregate.cell_table(df, "anzahl"))
        timed("activities_in_cell Netzwerk N2", lambda df=df: aggregate.activities_in_cell(df, "N", "N2"))
        timed("insights.schwerpunkte_und_luecken", lambda df=df: insights.schwerpunkte_und_luecken(
            df, "stunden", "alle"), repeat=5)
        timed("charts.soni_grid_figure (incl. field_grid)", lambda df=df: charts.soni_grid_figure(
            aggregate.field_grid(df, "anzahl"), "anzahl", "T"), repeat=5)
        timed("charts.small_multiples (5 Quartiere)", lambda df=df: charts.small_multiples(
            df, "anzahl", None, True), repeat=5)


if __name__ == "__main__":
    main()

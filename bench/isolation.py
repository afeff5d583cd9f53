"""What the isolation costs: parsing a 50,000-row xlsx in-process vs in a child process.

Prints the median of a few runs for: the guard's pre-check, ``soni.intake.workbook.load_sheets``
in this process, ``soni.intake.isolate.load_sheets_isolated`` (spawn + parse + pickle + transfer),
the spawn alone (a one-cell workbook) and the size of the answer. Invented data
(bench/generate.py).

    python bench/isolation.py [--rows 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_inventory, write_xlsx  # noqa: E402
from soni.intake import guard, workbook  # noqa: E402
from soni.intake.isolate import load_sheets_isolated  # noqa: E402


def median_seconds(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventar.xlsx"
        write_xlsx(generate_inventory(args.rows, seed=1), path)
        data = path.read_bytes()
        tiny = Path(folder) / "klein.xlsx"
        write_xlsx(generate_inventory(1, seed=1), tiny)
        tiny_data = tiny.read_bytes()

    rows = workbook.load_sheets(data, "xlsx")
    cells = sum(len(r) for sheet in rows.values() for r in sheet)
    answer = len(pickle.dumps(("ok", rows), protocol=pickle.HIGHEST_PROTOCOL))
    assert load_sheets_isolated(data, "xlsx") == rows, "child and in-process results differ"

    guard_s = median_seconds(lambda: guard.inspect(data, "inventar.xlsx"), args.runs)
    inproc_s = median_seconds(lambda: workbook.load_sheets(data, "xlsx"), args.runs)
    child_s = median_seconds(lambda: load_sheets_isolated(data, "xlsx"), args.runs)
    spawn_s = median_seconds(lambda: load_sheets_isolated(tiny_data, "xlsx"), args.runs)

    print(f"xlsx: {args.rows:,} rows, {cells:,} cells, {len(data) / 1e6:.1f} MB; "
          f"answer pickle {answer / 1e6:.1f} MB; median of {args.runs} runs")
    print(f"  guard.inspect (pre-check)          {guard_s * 1000:8.0f} ms")
    print(f"  load_sheets in-process             {inproc_s * 1000:8.0f} ms")
    print(f"  load_sheets_isolated (child)       {child_s * 1000:8.0f} ms")
    print(f"    of which spawn (1-row workbook)  {spawn_s * 1000:8.0f} ms")
    print(f"  isolation overhead                 {(child_s - inproc_s) * 1000:8.0f} ms "
          f"({(child_s / inproc_s - 1) * 100:+.0f} %)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Error cells of an .xls: the BIFF8 scan (soni/intake/xls.py) against xlrd, next to calamine's read.

Writes an invented inventory (bench/generate.py) as .xls with xlwt — every 1,000th row with an
error cell (#N/A) — and prints the best of a few runs for: calamine's whole read
(``workbook.load_book``), opening the container with olefile and reading the "Workbook" stream,
the scan of that stream, xlrd's whole read (the only way xlrd finds error cells), and the whole
child (``load_sheets_isolated``: spawn, olefile, calamine, scan, answer). xlrd is a test-only
dependency (requirements-dev.txt).

    python bench/xls_errors.py [--rows 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from bench.generate import generate_inventory  # noqa: E402
from soni.intake import xls  # noqa: E402
from soni.intake.isolate import load_sheets_isolated  # noqa: E402
from soni.intake.workbook import load_book  # noqa: E402

ERROR_EVERY = 1000


def xls_inventory(rows: int) -> bytes:
    """The invented inventory as BIFF8 (xlwt; at most 65,535 rows), with an error cell every
    ``ERROR_EVERY`` rows in the last column."""
    import pandas as pd
    import xlwt

    df = generate_inventory(rows, seed=1)
    book = xlwt.Workbook()
    sheet = book.add_sheet("Aktivitäten")
    date = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for c, name in enumerate(df.columns):
        sheet.write(0, c, name)
    last = len(df.columns) - 1
    for r, values in enumerate(df.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            if c == last and r % ERROR_EVERY == 0:
                sheet.row(r).set_cell_error(c, 0x2A)
            elif pd.isna(value):
                continue
            elif isinstance(value, pd.Timestamp):
                sheet.write(r, c, value.to_pydatetime(), date)
            else:
                sheet.write(r, c, value.item() if hasattr(value, "item") else value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def best(action, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    import xlrd

    data = xls_inventory(args.rows)
    size = len(data)

    def scan_errors(workbook: bytes) -> int:
        return sum(1 for _name, offset in xls._biff_sheets(workbook) for _ in xls._biff_errors(workbook, offset))

    def xlrd_errors() -> int:
        book = xlrd.open_workbook(file_contents=data)
        return sum(row.count(xlrd.XL_CELL_ERROR) for sheet in book.sheets()
                   for row in (sheet.row_types(r).tolist() for r in range(sheet.nrows)))

    workbook = xls.stream(xls.open_compound(data), "Workbook", size)
    measured = {
        "calamine (ganzes Lesen)": best(lambda: len(load_book(data, "xls")[0]["Aktivitäten"]), args.runs),
        "olefile: Container + Workbook-Strom": best(
            lambda: len(xls.stream(xls.open_compound(data), "Workbook", size)), args.runs),
        "Suche nach Fehlerzellen (BIFF8)": best(lambda: scan_errors(workbook), args.runs),
        "xlrd (ganzes Lesen)": best(xlrd_errors, args.runs),
        "Kindprozess gesamt": best(lambda: len(load_sheets_isolated(data, "xls")["Aktivitäten"]), args.runs),
    }
    print(f"{args.rows} Zeilen, {size / 1e6:.1f} MB .xls, Fehlerzellen: {args.rows // ERROR_EVERY}")
    print(f"| Schritt | Sekunden (bestes von {args.runs}) | Ergebnis |\n|---|---|---|")
    for step, (seconds, result) in measured.items():
        print(f"| {step} | {seconds:.3f} | {result} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

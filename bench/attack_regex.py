"""Time the pipeline on cells built to make a backtracking pattern explode (issue #16, case 1).

Not a test: prints seconds per case (whole ``pipeline.run`` in a forked child, imports
included), then the worst time per cell of each function that matches user text. Each case
runs in a fresh child process with a hard time limit, so a pattern that still explodes
reports "> LIMIT s" instead of hanging the bench.

    .venv/bin/python bench/attack_regex.py [--limit 60]
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LIMIT = 60.0


def _cases() -> dict[str, bytes]:
    spaces = " " * 350
    cell = f"{spaces}1{spaces}x"
    body = f"Aktivität;Stunden\nTreff;{cell}\n".encode()  # 794 bytes like the report
    wide = " " * 800
    return {
        "794-Byte-CSV (350 Leerzeichen, 1, 350 Leerzeichen, x)": body,
        "1,7-KB-CSV (800 Leerzeichen, 1, 800 Leerzeichen, x)": f"Aktivität;Stunden\nTreff;{wide}1{wide}x\n".encode(),
        "Kopfzelle 3.200 Leerzeichen + x": (f"Aktivität;{' ' * 3200}x;Stunden\nTreff;a;2\n").encode(),
        "Ziffern und Punkte (5.000 × '1.', dann x)": f"Aktivität;Kosten\nTreff;{'1. ' * 5000}x\n".encode(),
        "Ziffern und Tabs (2.000 × '1' + Tab, dann x)":
            ("Aktivität;Kosten\nTreff;\"" + "1\t" * 2000 + "x\"\n").encode(),
    }


def _run(data: bytes, out: mp.Queue) -> None:
    from soni import pipeline

    start = time.perf_counter()
    try:
        pipeline.run([("angriff.csv", data)])
    except Exception as exc:  # only the time matters here
        out.put((time.perf_counter() - start, type(exc).__name__))
        return
    out.put((time.perf_counter() - start, "ok"))


def _cells(n: int) -> list[str]:
    half = " " * (n // 2)
    return [f"{half}1{half}x", " " * n + "x", "1 " * (n // 2) + "x", "1\t" * (n // 2) + "x", "<" * n + ">",
            "seit " * (n // 5), ", " * (n // 2) + "12345", "1-" * (n // 2) + "x"]


def _per_cell() -> None:
    """Worst time of each function that puts user text through a pattern, per cell length."""
    from soni import columns, normalise, read
    from soni.export import package

    functions = {
        "columns._is_number": columns._is_number, "columns._is_datelike": columns._is_datelike,
        "columns.match_header": columns.match_header, "read._looks_numeric": read._looks_numeric,
        "normalise.parse_number": normalise.parse_number, "normalise.parse_date": normalise.parse_date,
        "normalise.clean_text": normalise.clean_text,
        "normalise Quartier": lambda v: normalise.normalise_quartier(__import__("pandas").Series([v])),
        "package.clean_title": package.clean_title,
    }
    sizes = (1_000, 32_767, 1_000_000)
    print("\nschlechteste Zeit je Zelle (ms), je Zellänge in Zeichen:")
    print(f"{'':28}" + "".join(f"{n:>12,}" for n in sizes))
    for name, fn in functions.items():
        worst = []
        for n in sizes:
            times = []
            for cell in _cells(n):
                start = time.perf_counter()
                fn(cell)
                times.append(time.perf_counter() - start)
            worst.append(max(times) * 1000)
        print(f"{name:28}" + "".join(f"{w:12.1f}" for w in worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=float, default=LIMIT)
    args = parser.parse_args()
    ctx = mp.get_context("fork")
    for name, data in _cases().items():
        queue: mp.Queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(data, queue))
        proc.start()
        proc.join(args.limit)
        if proc.is_alive():
            proc.kill()
            proc.join()
            print(f"{name:55} {len(data):6} B   > {args.limit:.0f} s (abgebrochen)")
            continue
        seconds, status = queue.get()
        print(f"{name:55} {len(data):6} B   {seconds:8.3f} s   {status}")
    _per_cell()


if __name__ == "__main__":
    main()

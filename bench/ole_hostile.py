"""Crafted OLE2 files (tests/hostile.OLE_CORPUS) against olefile: time and peak memory.

For every crafted container, each in a fresh process with a memory limit (``--memory-mb``) and a
time limit (``--timeout``), as the server process would meet it:

- ``olefile``: plain ``olefile.OleFileIO`` (0.47, its default defect level), the directory listed
  and the "Workbook" stream read — what the guard would do with olefile in the server process;
- ``open_compound``: ``soni.intake.xls.open_compound`` with its checks (in the reader child);
- ``Tür``: ``soni.intake.isolate.load_sheets_isolated`` as the pipeline calls it (spawn included).

Then two that grow with the file (``--scale``): a DIFAT chain and a wide directory, at a few
sizes, under plain olefile — to see how the cost grows towards a 50 MB upload.

    python bench/ole_hostile.py [--timeout 20] [--memory-mb 1024] [--scale]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402


def build(name: str, size: int) -> bytes:
    if name == "difat_kette" and size:
        return hostile.ole_difat_chain(size)[1]
    if name == "verzeichnis_breit" and size:
        return hostile.ole_wide_directory(size)[1]
    return hostile.OLE_CORPUS[name]()[1]


def measure_one(name: str, mode: str, size: int) -> dict:
    """Run in the measuring process: one crafted file, one way of reading it."""
    data = build(name, size)
    start = time.perf_counter()
    try:
        if mode == "olefile":
            import olefile

            book = olefile.OleFileIO(io.BytesIO(data))
            names = book.listdir(streams=True, storages=True)
            if book.exists("Workbook"):
                book.openstream("Workbook").read()
            outcome = f"gelesen ({len(names)} Einträge)"
        elif mode == "open_compound":
            from soni.intake import xls

            xls.open_compound(data)
            outcome = "geöffnet"
        else:
            from soni.intake.isolate import load_sheets_isolated

            outcome = f"gelesen ({len(load_sheets_isolated(data, 'xls'))} Blätter)"
    except Exception as exc:  # what each reader does with the file is the measurement
        outcome = f"{type(exc).__name__}: {str(exc)[:60]}"
    return {"s": time.perf_counter() - start, "outcome": outcome, "bytes": len(data),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run(name: str, mode: str, size: int, timeout: float, memory_mb: int) -> dict:
    limit = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory_mb << 20}, {memory_mb << 20}))"
    code = (f"{limit}; import sys, json; sys.path.insert(0, {str(ROOT)!r}); from bench import ole_hostile; "
            f"print(json.dumps(ole_hostile.measure_one({name!r}, {mode!r}, {size})))")
    if mode == "Tür":  # the child sets its own limits; this process must not cap the child's start
        code = code.replace(limit + "; ", "")
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"s": timeout, "outcome": f"nach {timeout:g} s abgebrochen", "rss_mb": None}
    if done.returncode != 0 or not done.stdout.strip():
        tail = (done.stderr.strip().splitlines() or ["?"])[-1][:60]
        return {"s": time.perf_counter() - start, "outcome": f"Abbruch ({tail})", "rss_mb": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--scale", action="store_true", help="also the growing cases")
    args = parser.parse_args(argv)

    print("| Datei | Bytes | Leser | Sekunden | Spitze RSS (MB) | Ergebnis |\n|---|---|---|---|---|---|")
    for name in hostile.OLE_CORPUS:
        for mode in ("olefile", "open_compound", "Tür"):
            result = {"bytes": len(build(name, 0)), **run(name, mode, 0, args.timeout, args.memory_mb)}
            rss = f"{result['rss_mb']:.0f}" if result.get("rss_mb") else "–"
            print(f"| {name} | {result.get('bytes', '')} | {mode} | {result['s']:.2f} | {rss} | {result['outcome']} |")
    if args.scale:
        print("\n| Datei | Größe | Bytes | Sekunden (olefile) | Ergebnis |\n|---|---|---|---|---|")
        for name, sizes in (("difat_kette", (10, 20, 40)), ("verzeichnis_breit", (2000, 4000, 8000))):
            for size in sizes:
                result = {"bytes": len(build(name, size)), **run(name, "olefile", size, args.timeout, args.memory_mb)}
                print(f"| {name} | {size} | {result.get('bytes', '')} | {result['s']:.2f} | {result['outcome']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Memory of the server process across sessions with big uploads (issue #16, case 6).

Not a test: prints the resident size (RSS) of this process, which plays the server: Streamlit's
AppTest runs the real pages (upload, pipeline, Quartier page) in-process, one AppTest per session.

    .venv/bin/python bench/memory_sessions.py [--mb 50] [--sessions 3]

Steps: RSS at start (app imported, sample shown once); after each session uploaded a CSV of
about MB megabytes (and what the session holds by ``views.results.session_mb``, the figure its
memory cap counts); session 1 choosing three such files at once (over ``SESSION_UPLOAD_MB``: refused
unread); after all sessions are gone (deleted, garbage collected) — what Python
alone gives back; and after ``views.server.release_memory()`` (glibc ``malloc_trim``), which the
server also runs after each upload/removal and every 60 s.
"""
from __future__ import annotations

import argparse
import gc
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def csv_of(mb: float) -> bytes:
    """An invented inventory as CSV of about ``mb`` megabytes (at most the upload limit)."""
    import generate

    from soni.intake import guard

    frame = generate.generate_inventory(1000, seed=7)
    with tempfile.NamedTemporaryFile(suffix=".csv") as tmp:
        generate.write_csv(frame, tmp.name)
        per_row = len(Path(tmp.name).read_bytes()) / 1000
        generate.write_csv(generate.generate_inventory(int(mb * 1e6 / per_row), seed=7), tmp.name)
        data = Path(tmp.name).read_bytes()
    if len(data) > guard.MAX_FILE_BYTES:
        data = data[: guard.MAX_FILE_BYTES - 1024]
        data = data[: data.rfind(b"\n") + 1]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--diag", action="store_true", help="list DataFrames still alive at the end")
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    from views import results, server
    from views.keys import Keys

    data = csv_of(args.mb)
    print(f"CSV: {len(data) / 1e6:.1f} MB")

    def session() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.run()
        return at

    first = session()
    del first
    gc.collect()
    server.release_memory()
    base = rss_mb()
    print(f"Start (Beispieldaten gezeigt):            {base:7.0f} MB")
    sessions = []
    for i in range(args.sessions):
        at = session()
        at.switch_page("views/upload.py").run()
        at.file_uploader[0].set_value((f"liste{i}.csv", data, "text/csv")).run()
        assert not at.exception, at.exception
        sessions.append(at)
        print(f"nach Sitzung {i + 1} mit Upload:               {rss_mb():7.0f} MB   "
              f"(die Sitzung hält geschätzt {results.session_mb_of(at.session_state):.0f} MB, "
              f"Grenze {results.SESSION_BUDGET_MB} MB)")
    at = sessions[0]  # three full-size files chosen at once: over SESSION_UPLOAD_MB, not read
    runs = at.session_state[Keys.PIPELINE_RUNS]
    at.file_uploader[0].set_value([(f"teil{i}.csv", data, "text/csv") for i in range(3)]).run()
    refused = at.session_state[Keys.PIPELINE_RUNS] == runs and "Zusammen zu groß" in at.error[0].value
    print(f"Sitzung 1 wählt 3 × {len(data) / 1e6:.0f} MB auf einmal:        {rss_mb():7.0f} MB   "
          f"({'abgelehnt, nicht gelesen' if refused else 'NICHT abgelehnt'})")
    sessions.clear()
    del at
    gc.collect()
    import pyarrow as pa

    print(f"alle Sitzungen beendet (gc):              {rss_mb():7.0f} MB   "
          f"(Arrow belegt {pa.total_allocated_bytes() / 1e6:.0f} MB, Pool {pa.default_memory_pool().backend_name})")
    if "--diag" in sys.argv:
        import pandas as pd

        frames = [o for o in gc.get_objects() if isinstance(o, pd.DataFrame)]
        big = sorted(frames, key=lambda f: -len(f))[:5]
        print("DataFrames:", len(frames), [len(f) for f in big])
        chain, obj = [], big[0] if big else None
        for _ in range(8):  # who holds the largest frame: follow one non-list referrer upwards
            holders = [r for r in gc.get_referrers(obj) if r is not frames and r is not big
                       and not isinstance(r, list) and type(r).__name__ != "frame"]
            if not holders:
                break
            obj = holders[0]
            chain.append(type(obj).__name__ + (f"{list(obj)[:4]}" if isinstance(obj, dict) else ""))
        print("  gehalten von:", " <- ".join(chain))
        for name, module in list(sys.modules.items()):
            for attr, value in list(vars(module).items()) if hasattr(module, "__dict__") else []:
                if isinstance(value, pd.DataFrame) or type(value).__name__ == "Inventory":
                    print("  Modul-Variable:", name, attr, len(value))
    server.release_memory()
    print(f"nach release_memory (malloc_trim):        {rss_mb():7.0f} MB")


if __name__ == "__main__":
    main()

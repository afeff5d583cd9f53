"""Memory of the server process across sessions with big uploads (issue #16, case 6).

Not a test: prints the resident size (RSS) of this process, which plays the server: Streamlit's
AppTest runs the real pages (upload, pipeline, Quartier page) in-process, one AppTest per session.

    .venv/bin/python bench/memory_sessions.py [--mb 50] [--sessions 3]

Steps: RSS at start (app imported, sample shown once); after each session uploaded a CSV of
about MB megabytes; after all sessions are gone (deleted, garbage collected) — what Python
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

    from soni import guard

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
    args = parser.parse_args()
    from streamlit.testing.v1 import AppTest

    from views import server

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
        print(f"nach Sitzung {i + 1} mit Upload:               {rss_mb():7.0f} MB")
    sessions.clear()
    gc.collect()
    print(f"alle Sitzungen beendet (gc):              {rss_mb():7.0f} MB")
    server.release_memory()
    print(f"nach release_memory (malloc_trim):        {rss_mb():7.0f} MB")


if __name__ == "__main__":
    main()

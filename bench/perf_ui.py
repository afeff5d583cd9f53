"""Dashboard figures for ``bench/run.py``, each printed as one JSON line.

``filter``: server-side time of a filter change on the Quartier (heatmap) page with an
invented inventory of ``--rows`` rows, through Streamlit's AppTest (the page's whole script
run: filter, aggregation, reading, figures, serialisation; no browser). The pipeline runs
once on upload and is not part of the figure.

``browser``: time from the server answering (``/_stcore/health``) to the first plotly
heatmap visible in a real browser (Playwright + Debian chromium), sample data, fresh
server each time (cold caches: the first visitor's wait). Also: when the page's HTML was
there (``page_s``), when the app frame stood (sidebar, ``app_s``), and a second visitor's
wait on the warm server (``second_visit_s``).

    .venv/bin/python bench/perf_ui.py filter --rows 50000 --repeat 7
    .venv/bin/python bench/perf_ui.py browser --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEATMAP = ".js-plotly-plot .heatmaplayer image, .js-plotly-plot .heatmaplayer path, .js-plotly-plot g.hm"


def filter_change(rows: int, repeat: int, csv_path: Path) -> dict:
    """Median server-side seconds of Träger filter changes on the Quartier page (AppTest)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from soni import schema

    data = csv_path.read_bytes()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.run()
    at.switch_page("views/upload.py").run()
    at.file_uploader[0].set_value((csv_path.name, data, "text/csv"))
    start = time.perf_counter()
    at.run()
    upload_s = time.perf_counter() - start
    if at.exception or at.error:
        raise RuntimeError(f"upload failed: {[e.value for e in at.exception]} {[e.value for e in at.error]}")
    at.switch_page("views/quartier.py").run()
    cache = at.session_state["soni_cache"]
    df = cache[next(iter(cache))].activities
    if len(df) < rows * 0.9:
        raise RuntimeError(f"only {len(df)} rows arrived")
    traeger = sorted(df[schema.TRAEGER].astype(str).unique())[:8]
    times = []
    for i in range(repeat + 1):
        at.multiselect(key="w_traeger").set_value([traeger[i % len(traeger)]])
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(str(at.exception))
        if len(at.get("plotly_chart")) < 2:
            raise RuntimeError("heatmaps missing after the filter change")
        if i:  # the first change warms the widgets' caches
            times.append(elapsed)
    return {"rows": len(df), "filter_ms": statistics.median(times) * 1000, "filter_runs_ms":
            [round(t * 1000) for t in times], "upload_s": upload_s}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str | None:
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def first_heatmap(repeat: int) -> dict:
    """Seconds from the server's first answer to the first heatmap drawn (fresh server per run)."""
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        raise RuntimeError("no chromium found")
    results, startups = [], []
    steps: dict[str, list[float]] = {"page": [], "app": [], "second": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for _ in range(repeat):
                port = _free_port()
                with tempfile.TemporaryDirectory() as home:
                    env = {**os.environ, "HOME": home}
                    launched = time.perf_counter()
                    server = subprocess.Popen(
                        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                         "--server.headless", "true", "--server.fileWatcherType", "none"],
                        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    try:
                        url = f"http://127.0.0.1:{port}"
                        answered = _wait_health(url, timeout=120)
                        startups.append(answered - launched)
                        page = browser.new_page(viewport={"width": 1400, "height": 1000})
                        page.goto(url, wait_until="domcontentloaded")
                        steps["page"].append(time.perf_counter() - answered)
                        page.wait_for_selector("[data-testid='stSidebar']", timeout=120_000)
                        steps["app"].append(time.perf_counter() - answered)
                        page.wait_for_selector(HEATMAP, state="visible", timeout=120_000)
                        results.append(time.perf_counter() - answered)
                        page.close()
                        page = browser.new_page(viewport={"width": 1400, "height": 1000})
                        again = time.perf_counter()  # a second visitor: server warm, sample cached
                        page.goto(url)
                        page.wait_for_selector(HEATMAP, state="visible", timeout=120_000)
                        steps["second"].append(time.perf_counter() - again)
                        page.close()
                    finally:
                        server.terminate()
                        try:
                            server.wait(timeout=20)
                        except subprocess.TimeoutExpired:
                            server.kill()
        finally:
            browser.close()
    return {"first_heatmap_s": statistics.median(results), "runs_s": [round(r, 2) for r in results],
            "server_start_s": statistics.median(startups), "page_s": statistics.median(steps["page"]),
            "app_s": statistics.median(steps["app"]), "second_visit_s": statistics.median(steps["second"])}


def _wait_health(url: str, timeout: float) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the Streamlit server did not answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("filter", "browser"))
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--csv", type=Path, help="inventory CSV for 'filter' (default: generated)")
    args = parser.parse_args(argv)
    if args.what == "filter":
        path = args.csv
        if path is None:
            from bench.generate import generate_inventory, write_csv

            path = ROOT / "bench" / "out" / f"perf_ui_{args.rows}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            write_csv(generate_inventory(args.rows, seed=0), path)
        result = filter_change(args.rows, args.repeat, path)
    else:
        result = first_heatmap(args.repeat)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

Playwright checks the selector after 0, 20, 50, 100, 100 ms and then every 500 ms, so its
figures include up to half a second of waiting between checks. The page itself therefore
also notes (on every animation frame) when the same selector first has a visible box:
``first_heatmap_dom_s`` / ``second_visit_dom_s``, on the same clocks as the figures above.

``--floor`` measures, the same way, a minimal Streamlit app with one plotly heatmap and the
project's ``.streamlit/config.toml``: what Streamlit's frontend and plotly.js cost before any
work of this app. ``--first-delay S`` lets the first visitor come S seconds after the server
answered and counts from then (the server's start-up work is done by then; the default 0 is
the figure of issue #7).

    .venv/bin/python bench/perf_ui.py filter --rows 50000 --repeat 7
    .venv/bin/python bench/perf_ui.py browser --repeat 3
    .venv/bin/python bench/perf_ui.py browser --repeat 3 --floor
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

#: Runs in the page before its own scripts: notes the wall-clock time (ms) at which the
#: heatmap first has a visible box, checked on every animation frame.
HEATMAP_CLOCK = """(() => {
  window.__heatmapAt = null;
  const check = () => {
    const el = document.querySelector(SELECTOR);
    if (el) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden") {
        window.__heatmapAt = performance.timeOrigin + performance.now();
        return;
      }
    }
    requestAnimationFrame(check);
  };
  check();
})();""".replace("SELECTOR", json.dumps(HEATMAP))

#: The floor: one plotly heatmap, nothing else (``--floor``).
FLOOR_APP = """import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Heatmap(z=[[1, 2], [3, 4]], x=["a", "b"], y=["c", "d"])), theme=None)
"""


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


def _floor_dir(tmp: str) -> Path:
    """A directory with the floor app and this project's Streamlit config."""
    folder = Path(tmp) / "floor"
    (folder / ".streamlit").mkdir(parents=True)
    (folder / "app.py").write_text(FLOOR_APP, encoding="utf-8")
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return folder


def _visit(browser):
    """A new visitor (own browser context: no cache, no cookies) with the heatmap clock."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.add_init_script(HEATMAP_CLOCK)
    return page


def _heatmap_clock(page) -> float:
    """Wall-clock seconds at which the page saw the heatmap visible."""
    page.wait_for_function("window.__heatmapAt !== null", timeout=120_000)
    return page.evaluate("window.__heatmapAt") / 1000


def first_heatmap(repeat: int, *, floor: bool = False, first_delay: float = 0.0) -> dict:
    """Seconds from the server's first answer to the first heatmap drawn (fresh server per run)."""
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        raise RuntimeError("no chromium found")
    results, startups = [], []
    steps: dict[str, list[float]] = {"page": [], "app": [], "second": [], "first_dom": [], "second_dom": []}
    loads = []
    app_frame = "[data-testid='stMain']" if floor else "[data-testid='stSidebar']"
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        cwd = _floor_dir(tmp) if floor else ROOT
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
                        cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    try:
                        url = f"http://127.0.0.1:{port}"
                        answered = _wait_health(url, timeout=120)
                        answered_clock = time.time()
                        startups.append(answered - launched)
                        if first_delay:  # the first visitor comes later: count from that moment
                            time.sleep(first_delay)
                            answered, answered_clock = time.perf_counter(), time.time()
                        page = _visit(browser)
                        page.goto(url, wait_until="domcontentloaded")
                        steps["page"].append(time.perf_counter() - answered)
                        page.wait_for_selector(app_frame, timeout=120_000)
                        steps["app"].append(time.perf_counter() - answered)
                        page.wait_for_selector(HEATMAP, state="visible", timeout=120_000)
                        results.append(time.perf_counter() - answered)
                        steps["first_dom"].append(_heatmap_clock(page) - answered_clock)
                        page.close()
                        page = _visit(browser)
                        again, again_clock = time.perf_counter(), time.time()  # a second visitor: server warm
                        page.goto(url)
                        page.wait_for_selector(HEATMAP, state="visible", timeout=120_000)
                        steps["second"].append(time.perf_counter() - again)
                        steps["second_dom"].append(_heatmap_clock(page) - again_clock)
                        page.close()
                        loads.append(os.getloadavg()[0])
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
            "app_s": statistics.median(steps["app"]), "second_visit_s": statistics.median(steps["second"]),
            "first_heatmap_dom_s": statistics.median(steps["first_dom"]),
            "second_visit_dom_s": statistics.median(steps["second_dom"]),
            "second_runs_s": [round(r, 2) for r in steps["second"]],
            "loadavg_1min": [round(x, 2) for x in loads], "floor": floor, "first_delay_s": first_delay}


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
    parser.add_argument("--floor", action="store_true",
                        help="'browser': a minimal one-heatmap Streamlit app instead of this app")
    parser.add_argument("--first-delay", type=float, default=0.0,
                        help="'browser': seconds between the server's first answer and the first visit")
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
        result = first_heatmap(args.repeat, floor=args.floor, first_delay=args.first_delay)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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

The heatmap is looked for in the page and in its same-origin frames (the app draws its charts
in its own chart component, an iframe; ``views/chart_component``).

``--floor`` measures, the same way, a minimal Streamlit app with one plotly heatmap and the
project's ``.streamlit/config.toml``: what Streamlit's frontend and plotly.js cost before any
work of this app. ``--first-delay S`` lets the first visitor come S seconds after the server
answered and counts from then (the server's start-up work is done by then; the default 0 is
the figure of issue #7). ``--against DIR`` (repeatable) measures other copies of the app (e.g. an
earlier commit: ``git archive COMMIT | tar -x -C DIR``) in the same run, alternating with this
one round by round (the machine is shared: compare within one run), and prints all.

    .venv/bin/python bench/perf_ui.py filter --rows 50000 --repeat 7
    .venv/bin/python bench/perf_ui.py browser --repeat 3
    .venv/bin/python bench/perf_ui.py browser --repeat 3 --floor
    .venv/bin/python bench/perf_ui.py browser --repeat 5 --against /tmp/soni-main
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

#: True when the heatmap has a visible box, in the page or in a visible same-origin frame of it.
HEATMAP_SHOWN = """() => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const docs = [document];
  for (const frame of document.querySelectorAll("iframe")) {
    try {
      if (frame.contentDocument && visible(frame)) docs.push(frame.contentDocument);
    } catch (e) { /* another origin: not ours */ }
  }
  return docs.some((doc) => { const el = doc.querySelector(SELECTOR); return el !== null && visible(el); });
}""".replace("SELECTOR", json.dumps(HEATMAP))

#: Runs in the page before its own scripts: notes the wall-clock time (ms) at which the
#: heatmap first has a visible box, checked on every animation frame (not in the frames themselves).
HEATMAP_CLOCK = """(() => {
  if (window !== window.top) return;
  window.__heatmapAt = null;
  const shown = SHOWN;
  const check = () => {
    if (shown()) {
      window.__heatmapAt = performance.timeOrigin + performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  check();
})();""".replace("SHOWN", HEATMAP_SHOWN)

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
        if len(at.get("component_instance")) < 2:
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


def _wait_heatmap(page) -> None:
    """Until the heatmap is visible (Playwright polls, as ``wait_for_selector`` does: figures include
    up to half a second between checks; ``_heatmap_clock`` has the exact moment)."""
    page.wait_for_function(HEATMAP_SHOWN, timeout=120_000, polling=100)


def _one_server(browser, cwd: Path, app_frame: str, first_delay: float) -> dict[str, float]:
    """One fresh server in ``cwd``: its first visitor and a second visitor on the warm server."""
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
            out = {"startup": answered - launched}
            if first_delay:  # the first visitor comes later: count from that moment
                time.sleep(first_delay)
                answered, answered_clock = time.perf_counter(), time.time()
            page = _visit(browser)
            page.goto(url, wait_until="domcontentloaded")
            out["page"] = time.perf_counter() - answered
            page.wait_for_selector(app_frame, timeout=120_000)
            out["app"] = time.perf_counter() - answered
            _wait_heatmap(page)
            out["first"] = time.perf_counter() - answered
            out["first_dom"] = _heatmap_clock(page) - answered_clock
            page.close()
            page = _visit(browser)
            again, again_clock = time.perf_counter(), time.time()  # a second visitor: server warm
            page.goto(url)
            _wait_heatmap(page)
            out["second"] = time.perf_counter() - again
            out["second_dom"] = _heatmap_clock(page) - again_clock
            page.close()
            out["load"] = os.getloadavg()[0]
            return out
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _summary(runs: list[dict[str, float]]) -> dict:
    def median(name: str) -> float:
        return statistics.median(r[name] for r in runs)

    return {"first_heatmap_s": median("first"), "runs_s": [round(r["first"], 2) for r in runs],
            "server_start_s": median("startup"), "page_s": median("page"), "app_s": median("app"),
            "second_visit_s": median("second"), "first_heatmap_dom_s": median("first_dom"),
            "first_dom_runs_s": [round(r["first_dom"], 2) for r in runs],
            "second_visit_dom_s": median("second_dom"), "second_runs_s": [round(r["second"], 2) for r in runs],
            "loadavg_1min": [round(r["load"], 2) for r in runs]}


def first_heatmap(repeat: int, *, floor: bool = False, first_delay: float = 0.0,
                  against: list[Path] | None = None) -> dict:
    """Seconds from the server's first answer to the first heatmap drawn (fresh server per run).

    With ``against``, those copies of the app are measured too, alternating round by round (the
    order is reversed every other round).
    """
    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        raise RuntimeError("no chromium found")
    app_frame = "[data-testid='stMain']" if floor else "[data-testid='stSidebar']"
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        variants = {"this": _floor_dir(tmp) if floor else ROOT}
        for folder in against or []:
            variants[str(folder)] = folder.resolve()
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for round_ in range(repeat):
                order = list(variants) if round_ % 2 == 0 else list(reversed(variants))
                for name in order:
                    runs[name].append(_one_server(browser, variants[name], app_frame, first_delay))
        finally:
            browser.close()
    result = {**_summary(runs["this"]), "floor": floor, "first_delay_s": first_delay,
              "loadavg_end": round(os.getloadavg()[0], 2)}
    if against:
        result["against"] = [{"dir": str(folder), **_summary(runs[str(folder)])} for folder in against]
    return result


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
    parser.add_argument("--against", type=Path, action="append",
                        help="'browser': another copy of the app, measured alternately in the same run "
                             "(repeatable)")
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
        result = first_heatmap(args.repeat, floor=args.floor, first_delay=args.first_delay,
                               against=args.against)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

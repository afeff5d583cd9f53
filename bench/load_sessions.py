"""Concurrent sessions on one server: time to the first heatmap per session (issue #16).

Starts ``streamlit run app.py`` on a free loopback port (or uses ``--url``, e.g. nginx in front of
several replicas), lets one visitor warm it up, then for each session count N opens N browser
contexts at once (one headless chromium, Playwright) that each load the start page (sample data)
and wait for the heatmap with its cell labels. Reports p50/p95/max seconds per N, the server's CPU
seconds per session (its process and children, from /proc), and the load average. Bounded: every
wait has a timeout, contexts are closed after each round, loopback only.

The browser runs on the same machine: its rendering competes with the server for the cores (as
in the issue's measurement). ``cpu_s_per_session`` is the server's own share.

    .venv/bin/python bench/load_sessions.py [--sessions 1,5,10,20] [--timeout 240]
    .venv/bin/python bench/load_sessions.py --url http://127.0.0.1:18080 --server-pids 123,456
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
#: The app draws its charts in its own chart component, an iframe (views/chart_component).
CHART_FRAME = 'iframe[title="views.plots.soni_chart"]'
HEATMAP = ".js-plotly-plot .hm"
LABELS = ".js-plotly-plot .annotation-text"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TICK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_health(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not answer")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of ``pids`` and their waited-for children (the reader child)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
    return total / TICK


def descendants(pid: int) -> list[int]:
    """Processes below ``pid`` (here: Playwright's driver and chromium), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _one_session(browser, url: str, timeout_ms: int) -> float | None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=timeout_ms)
        chart = page.locator(CHART_FRAME).first.content_frame
        await chart.locator(HEATMAP).first.wait_for(state="attached", timeout=timeout_ms)
        await chart.locator(LABELS).first.wait_for(state="attached", timeout=timeout_ms)
        return time.perf_counter() - start
    except Exception:  # a timeout counts as a failed session, the round goes on
        return None
    finally:
        await context.close()


async def _round(browser, url: str, n: int, timeout_ms: int) -> list[float | None]:
    return list(await asyncio.gather(*(_one_session(browser, url, timeout_ms) for _ in range(n))))


async def measure(url: str, counts: list[int], pids: list[int], timeout_s: float, chromium: str) -> list[dict]:
    from playwright.async_api import async_playwright

    rows = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            await _round(browser, url, 1, int(timeout_s * 1000))  # warm-up visit (imports, sample cache)
            for n in counts:
                await asyncio.sleep(2)  # let the previous sessions end
                client = [p for p in descendants(os.getpid()) if p not in pids]
                cpu0, wall0, load0 = cpu_seconds(pids), time.perf_counter(), os.getloadavg()[0]
                client0 = cpu_seconds(client)
                times = await _round(browser, url, n, int(timeout_s * 1000))
                wall, cpu = time.perf_counter() - wall0, cpu_seconds(pids) - cpu0
                client = [p for p in descendants(os.getpid()) if p not in pids]
                browser_cpu = cpu_seconds(client) - client0  # ended renderers are lost: a lower bound
                done = [t for t in times if t is not None]
                rows.append({
                    "sessions": n, "ok": len(done), "failed": n - len(done),
                    "p50_s": round(statistics.median(done), 2) if done else None,
                    "p95_s": round(percentile(done, 0.95), 2) if done else None,
                    "max_s": round(max(done), 2) if done else None,
                    "wall_s": round(wall, 2), "server_cpu_s": round(cpu, 2),
                    "cpu_s_per_session": round(cpu / n, 3), "browser_cpu_s_at_least": round(browser_cpu, 2),
                    "loadavg_before": round(load0, 2), "loadavg_after": round(os.getloadavg()[0], 2),
                })
                print(json.dumps(rows[-1]), flush=True)
        finally:
            await browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20", help="session counts, comma-separated")
    parser.add_argument("--timeout", type=float, default=240, help="seconds per session at most")
    parser.add_argument("--url", help="measure this server instead of starting one (loopback)")
    parser.add_argument("--server-pids", default="", help="with --url: the servers' pids for the CPU figure")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--label", default="", help="name of the result file in bench/out")
    parser.add_argument("--set", action="append", default=[], metavar="OPTION=VALUE",
                        help="a Streamlit option for the started server, e.g. runner.postScriptGC=true")
    args = parser.parse_args()
    counts = [int(n) for n in args.sessions.split(",")]
    meta = {"cores": os.cpu_count(), "loadavg_start": os.getloadavg()}
    if args.url:
        if not args.url.startswith(("http://127.", "http://localhost")):
            raise SystemExit("loopback only")
        rows = asyncio.run(measure(args.url, counts, [int(p) for p in args.server_pids.split(",") if p],
                                   args.timeout, args.chromium))
    else:
        port = _free_port()
        with tempfile.TemporaryDirectory() as home:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address",
                 "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none",
                 *[f"--{option}" for option in args.set]],
                cwd=ROOT, env={**os.environ, "HOME": home}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                url = f"http://127.0.0.1:{port}"
                _wait_health(url, 120)
                rows = asyncio.run(measure(url, counts, [server.pid], args.timeout, args.chromium))
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
    meta["loadavg_end"] = os.getloadavg()
    print("sessions  ok  p50 s  p95 s  max s  server CPU s/session  loadavg")
    for r in rows:
        print(f"{r['sessions']:>8} {r['ok']:>3} {r['p50_s'] or '-':>6} {r['p95_s'] or '-':>6} {r['max_s'] or '-':>6} "
              f"{r['cpu_s_per_session']:>21} {r['loadavg_before']:>5}→{r['loadavg_after']}")
    OUT.mkdir(parents=True, exist_ok=True)
    name = f"load_sessions{'-' + args.label if args.label else ''}.json"
    (OUT / name).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()

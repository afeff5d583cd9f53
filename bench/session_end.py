"""The real server's memory before, during and after sessions with big uploads (issue #16, case 6).

Not a test. Starts ``streamlit run app.py`` on a free loopback port, then N visitors (headless
chromium, Playwright, one after the other) each upload an invented CSV of about MB megabytes on the
upload page and wait for the check report; then every browser closes. Prints the server's resident
size (VmRSS, /proc) at start, after each upload, right after the tabs closed and then every 20 s
for WAIT seconds: Streamlit keeps a closed tab's session 2 minutes for reconnecting; the app's
trimmer (every 60 s) ends sessions past that time and gives freed memory back.

    .venv/bin/python bench/session_end.py [--sessions 3] [--mb 50] [--wait 240]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_sessions import CHROMIUM_ARGS, _free_port, _wait_health  # noqa: E402
from memory_sessions import csv_of  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--wait", type=float, default=240)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.test_browser import find_chromium

    data = csv_of(args.mb)
    print(f"CSV: {len(data) / 1e6:.1f} MB")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_health(url, 90)
            start = time.monotonic()

            def say(what: str) -> None:
                print(f"{time.monotonic() - start:6.0f} s  {what:<38} {rss_mb(server.pid):7.0f} MB", flush=True)

            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
                pages = []
                say("Start (noch keine Sitzung)")
                for i in range(args.sessions):
                    page = browser.new_context().new_page()
                    page.set_default_timeout(600_000)
                    page.goto(f"{url}/hochladen")
                    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
                        files=[{"name": f"liste{i}.csv", "mimeType": "text/csv", "buffer": data}])
                    page.locator('[data-testid="stAlertContentSuccess"]').first.wait_for()
                    pages.append(page)
                    say(f"nach Upload {i + 1}")
                for page in pages:
                    page.context.close()
                browser.close()
            say("alle Tabs geschlossen")
            closed = time.monotonic()
            while time.monotonic() - closed < args.wait:
                time.sleep(20)
                say(f"{time.monotonic() - closed:.0f} s nach dem Schließen")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

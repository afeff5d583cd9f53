"""End-to-end: the real app in Debian's chromium (Playwright), from upload to heatmap.

Starts ``streamlit run app.py`` on a free port as a subprocess, uploads an xlsx on the
upload page, switches to the Quartier page, waits for the heatmap, clicks a cell and
saves a screenshot to ``tests/artifacts/``. Skipped (with the reason) only when no
chromium is found.

Run as a script to refresh the README screenshots (sample data, 1400×900)::

    .venv/bin/python tests/test_browser.py --screenshots
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs"
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 120_000


def find_chromium() -> str | None:
    """Debian's chromium (or BROWSER_PATH)."""
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), "/usr/bin/chromium",
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server() -> Iterator[str]:
    """``streamlit run app.py`` on a free port; yields the base URL; stops the process afterwards."""
    port = free_port()
    log = ARTIFACTS / f"streamlit-{port}.log"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Streamlit startete nicht: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@contextlib.contextmanager
def browser_page(executable: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(TIMEOUT_MS)
            yield page
        finally:
            browser.close()


#: The app's charts: each an iframe of its chart component (views/chart_component), drawn there by plotly.js.
CHART_FRAME = 'iframe[title="views.plots.soni_chart"]'


def chart(page, index: int = 0):
    """The ``index``-th chart of the page (a frame locator: look for plotly's elements inside)."""
    return page.locator(CHART_FRAME).nth(index).content_frame


def wait_for_heatmap(page) -> None:
    """Until a plotly heatmap with its cell labels is drawn and the script run is over."""
    chart(page).locator(".js-plotly-plot .hm").first.wait_for(state="attached")
    chart(page).locator(".js-plotly-plot .annotation-text").first.wait_for(state="attached")
    wait_idle(page)


def wait_idle(page, settle: float = 1.0) -> None:
    """Until Streamlit has no script run going (the status widget is gone) for ``settle`` seconds."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= settle:
            return
        time.sleep(0.2)


def goto_page(page, title: str) -> None:
    """Switch pages with the sidebar (same session, so uploaded data stay)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
    wait_idle(page)


CHROMIUM = find_chromium()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="kein chromium gefunden (Debian: apt-get install chromium)")
def test_upload_then_heatmap_in_a_real_browser():
    from soni import sample, texts

    name = "Liste **fett** <b>x</b>.xlsx"  # must appear literally, never as Markdown/HTML
    with streamlit_server() as url, browser_page(CHROMIUM) as page:
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        blocked: list[str] = []  # issue #16: the app's Content-Security-Policy must not block the app itself
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        response = page.goto(url)
        assert response is not None
        assert response.headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
        wait_for_heatmap(page)  # first visit: the sample
        assert "Beispieldaten" in page.locator('[data-testid="stSidebar"]').inner_text()

        goto_page(page, "Daten hochladen")
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
            files=[{"name": name,
                    "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "buffer": sample.sample_bytes()}])
        success = page.locator('[data-testid="stAlertContentSuccess"]')
        success.filter(has_text="Aktivitäten aus 1 Datei").first.wait_for()
        wait_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert name in sidebar, sidebar
        assert "Daten entfernen" in sidebar
        main = page.locator('[data-testid="stMain"]').inner_text()
        assert "Traceback" not in main
        assert not _english_on(page), _english_on(page)  # upload page with its check report
        for title in ("Zuordnung prüfen", "Export", "Vergleich"):
            goto_page(page, title)
            assert not _english_on(page), (title, _english_on(page))

        goto_page(page, "Quartier")
        wait_for_heatmap(page)
        assert page.locator(CHART_FRAME).count() >= 2
        assert page.locator(".js-plotly-plot").count() == 0  # not Streamlit's plotly chart (its 4.7 MB bundle)
        # issue #16: plotly's toolbar texts were English; the charts now carry a German locale
        titles = chart(page, 0).locator(".modebar-btn").evaluate_all(
            "els => els.map(e => getComputedStyle(e, '::after').content.replace(/^\"|\"$/g, ''))")
        assert titles and set(titles) <= set(texts.PLOTLY_DE["dictionary"].values()), titles
        cell_text = " ".join(chart(page, 0).locator(".annotation-text").all_text_contents())
        for field in ("Sozialstruktur", "Organisation", "Netzwerk", "Individuum"):
            assert field in cell_text
        assert "Aktivitäten" in cell_text
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "quartier-nach-upload.png"))

        # a click on the Netzwerk cell (bottom left) lists its activities
        box = chart(page, 0).locator(".nsewdrag").first.bounding_box()  # page coordinates
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)
        page.get_by_text("in Netzwerk (").wait_for()
        wait_idle(page)
        page.screenshot(path=str(ARTIFACTS / "quartier-klick-netzwerk.png"), full_page=True)
        # issue #16: the page asks nobody but its own server (no font CDN for the icon, no other host)
        outside = [u for u in requested if not u.startswith((url, "data:", "blob:"))]
        assert requested and not outside, outside
        assert blocked == [], blocked


def save_readme_screenshots() -> None:
    """docs/screenshot-quartier.png and docs/screenshot-vergleich.png (sample data, 1400×900)."""
    if CHROMIUM is None:
        raise SystemExit("kein chromium gefunden")
    DOCS.mkdir(exist_ok=True)
    with streamlit_server() as url, browser_page(CHROMIUM) as page:
        page.goto(url)
        wait_for_heatmap(page)
        time.sleep(1)
        page.screenshot(path=str(DOCS / "screenshot-quartier.png"))
        goto_page(page, "Vergleich")
        wait_for_heatmap(page)
        # start at the tab bar, so the small multiples fill the picture
        page.locator('[data-testid="stTabs"]').first.evaluate("e => e.scrollIntoView({block: 'start'})")
        time.sleep(1)
        page.screenshot(path=str(DOCS / "screenshot-vergleich.png"))
    print("geschrieben:", DOCS / "screenshot-quartier.png", DOCS / "screenshot-vergleich.png")


if __name__ == "__main__":
    if "--screenshots" in sys.argv:
        sys.path.insert(0, str(ROOT))
        save_readme_screenshots()
    else:
        raise SystemExit(pytest.main([__file__, "-q"]))


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}
#: English words Streamlit writes by itself, which must not appear on a German page.
ENGLISH = ("Select all", "Choose an option", "per file", "Browse files", "Drag and drop", "None", "empty",
           "No options", "Upload")


def _english_on(page) -> list[str]:
    text = page.locator('[data-testid="stMain"]').inner_text()
    words = set(text.replace("\n", " ").split(" "))
    return [w for w in ENGLISH if (w in words if " " not in w else w in text)]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="kein chromium gefunden (Debian: apt-get install chromium)")
def test_phone_every_page_german_menu_closes_and_clicks_in_both_grids():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(**PHONE).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            wait_for_heatmap(page)
            for title, name in (("Vergleich", "vergleich"), ("Daten hochladen", "hochladen"),
                                ("Zuordnung prüfen", "pruefen"), ("Export", "export"), ("Quartier", "quartier")):
                page.locator('[data-testid="stExpandSidebarButton"]').click()
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()
                wait_idle(page)
                time.sleep(0.6)  # the sidebar's slide-out animation
                box = page.locator('[data-testid="stSidebar"]').bounding_box()
                assert box is None or box["x"] + box["width"] <= 1, (title, box)  # the menu closed
                page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
                assert not _english_on(page), (title, _english_on(page))
            wait_for_heatmap(page)
            # a click in the 4×3 grid, then one in the 2×2 grid: both count
            aspects = chart(page, 1).locator(".nsewdrag").first
            aspects.scroll_into_view_if_needed()
            box = aspects.bounding_box()
            page.mouse.click(box["x"] + box["width"] * 0.83, box["y"] + box["height"] * 0.875)  # I3
            page.get_by_text("in Individuum – ").first.wait_for()
            wait_idle(page)
            grid2 = chart(page, 0).locator(".nsewdrag").first
            grid2.scroll_into_view_if_needed()
            box = grid2.bounding_box()
            page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.75)  # Netzwerk
            heading = page.get_by_text("in Netzwerk (").first
            heading.wait_for()
            wait_idle(page)
            # the list appears right below the 2×2 grid, above the 4×3 grid
            assert heading.bounding_box()["y"] < page.locator(CHART_FRAME).nth(1).bounding_box()["y"]
            page.screenshot(path=str(ARTIFACTS / "phone-quartier-klick.png"), full_page=True)
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="kein chromium gefunden (Debian: apt-get install chromium)")
def test_a_file_the_browser_refuses_is_explained_in_german():
    """Issue #16: Streamlit's uploader says 'File must be 50.0MB or smaller.' / '… files are not allowed.'
    (English, in a tooltip); the red chip says in German what is allowed."""
    from soni.intake import guard

    too_large = b"Titel;Stadtteil\r\n" + b"x" * (guard.MAX_FILE_BYTES - 16)  # one byte over the limit
    assert len(too_large) == guard.MAX_FILE_BYTES + 1
    with streamlit_server() as url, browser_page(CHROMIUM) as page:
        page.goto(f"{url}/hochladen")
        wait_idle(page)
        chooser = page.locator('[data-testid="stFileUploader"] input[type="file"]')
        for name, mime, data in (("notizen.pdf", "application/pdf", b"%PDF-1.7\n"),
                                 ("gross.csv", "text/csv", too_large)):
            chooser.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
            chip = page.locator('[data-testid="stFileChip"][aria-invalid="true"]').filter(has_text=name)
            chip.wait_for()
            shown = chip.evaluate("el => getComputedStyle(el, '::after').content")
            assert "Nicht hochgeladen: erlaubt sind .xlsx" in shown and "bis 50 MB je Datei" in shown, shown
            chip.hover()  # the tooltip: Streamlit's English reason shrunk to nothing, the German one after it
            tip = page.locator('[data-testid="stTooltipErrorContent"]')
            tip.wait_for()
            assert tip.evaluate("el => getComputedStyle(el).fontSize") == "0px"
            assert tip.evaluate("el => getComputedStyle(el, '::after').content") == shown
            assert tip.bounding_box()["width"] > 100  # the German text takes room: it is shown
            page.screenshot(path=str(ARTIFACTS / f"abgelehnt-{name}.png"))
            main = page.locator('[data-testid="stMain"]').inner_text()
            assert "not allowed" not in main and "File must be" not in main

"""The app under hostile uploads: the whole corpus through AppTest, and the real server in Debian's
chromium (Playwright) with several visitors.

Every corpus entry (tests/hostile.py) uploaded in an AppTest session gets the outcome that
tests/test_hostile_pipeline.py expects: a German error naming the file while the sample stays,
or all rows read. In the browser, ``streamlit run app.py`` runs as a subprocess
(tests/test_browser.py starts it and writes its stdout and stderr to
tests/artifacts/streamlit-<port>.log). Session A uploads crafted files (a value in cell
XFD1048576, a shared-string table that claims 4 billion entries, a zip bomb, a fake .xls on
which the parser panics in the child process): each gets a German error, the session goes on
working, a fresh session B gets the sample heatmap, and the server stays healthy. Two sessions
with different (invented) inventories never see each other's text, and the server log holds
none of it.
"""

from __future__ import annotations

import html
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from soni import schema
from tests import hostile
from tests.test_app_common import app_fixture, charts, current_inventory, run, upload  # noqa: F401 — fixture
from tests.test_browser import (
    ARTIFACTS,
    CHART_FRAME,
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    VIEWPORT,
    goto_page,
    streamlit_server,
    wait_for_heatmap,
    wait_idle,
)
from tests.test_hostile_pipeline import EXPECTED, Refused, built
from tests.test_privacy import AHORN, BIRKE, Upload
from views.keys import Keys

browser_test = pytest.mark.skipif(CHROMIUM is None, reason="kein chromium gefunden (Debian: apt-get install "
                                                            "chromium)")

#: Inputs that crash or exhaust a naive reader; the first three are refused by soni.intake.guard, the fake
#: .xls passes the guard and makes calamine panic in the child process (soni.intake.isolate).
CRASH_FILES = ("ferne_zelle", "riesen_sst", "zip_bombe", "falsches_xls")
MIME = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xls": "application/vnd.ms-excel", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
        ".csv": "text/csv"}


class Server:
    def __init__(self, url: str) -> None:
        self.url = url
        self.log = ARTIFACTS / f"streamlit-{urlparse(url).port}.log"

    def healthy(self) -> bool:
        with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=10) as response:
            return response.status == 200 and response.read().strip() == b"ok"

    def log_text(self) -> str:
        return Path(self.log).read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with streamlit_server() as url:
        yield Server(url)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def visitor(browser, url: str):
    """A new browser context (own cookies and websocket: a separate Streamlit session) on the app."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    try:
        wait_for_heatmap(page)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "besuch-ohne-heatmap.png"), full_page=True)
        context.close()
        raise
    return context, page


def choose_file(page, filename: str, data: bytes) -> None:
    mime = MIME.get(Path(filename).suffix.lower(), "application/octet-stream")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": filename, "mimeType": mime, "buffer": data}])


def remove_chosen_files(page) -> None:
    buttons = page.locator('[data-testid="stFileChipDeleteBtn"] button')
    while buttons.count():
        buttons.first.click()
        wait_idle(page, settle=0.5)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def sidebar_text(page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


# --- the corpus through AppTest ----------------------------------------------------------------

def shown(body: str) -> str:
    """What a Markdown body escaped by ``views.safe_text.md`` shows: escapes and entities resolved."""
    return html.unescape(re.sub(r"\\(.)", r"\1", body))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(hostile.CORPUS))
def test_every_corpus_file_gets_its_answer_in_the_app(app, name):
    expected = EXPECTED[name]
    filename, data = built(name)
    upload(app, (filename, data, MIME.get(Path(filename).suffix.lower(), "application/octet-stream")))
    errors = [shown(e.value) for e in app.error]
    if isinstance(expected, Refused):
        assert any(filename in e and re.search(expected.pattern, e) for e in errors), errors
        assert not any("Traceback" in e for e in errors)
        assert Keys.UPLOADS not in app.session_state  # the sample stays
        run(app, "quartier")
        assert app.sidebar.text[0].value == "Beispieldaten (erfunden)"
        assert charts(app), "the sample heatmap"
    else:
        assert not errors, errors
        assert app.success[0].value.startswith(f"{len(expected.titles)} Aktivität")
        inventory = current_inventory(app)
        assert tuple(inventory.original.iloc[:, 0].astype(str)) == expected.titles
        assert len(inventory.activities[schema.ZEILEN_ID].unique()) == len(expected.titles)


# --- the real server in a browser ----------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
@browser_test
def test_crafted_files_get_a_german_error_and_nobody_else_notices(server, browser):
    context_a, a = visitor(browser, server.url)
    try:
        goto_page(a, "Daten hochladen")
        for name in CRASH_FILES:
            filename, data = hostile.CORPUS[name]()
            choose_file(a, filename, data)
            a.locator('[data-testid="stAlertContentError"]').filter(
                has_text=re.compile(EXPECTED[name].pattern)).first.wait_for()
            wait_idle(a)
            errors = a.locator('[data-testid="stAlertContentError"]').all_inner_texts()
            assert any(filename in e and re.search(EXPECTED[name].pattern, e) for e in errors), (name, errors)
            assert "Traceback" not in main_text(a)
            assert server.healthy(), name
            remove_chosen_files(a)
        # the same session still works: the sample heatmap, then a good upload
        goto_page(a, "Quartier")
        wait_for_heatmap(a)
        assert "Beispieldaten (erfunden)" in sidebar_text(a)
        goto_page(a, "Daten hochladen")
        choose_file(a, "gut.xlsx", hostile.good_xlsx()[1])
        a.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Aktivitäten aus 1 Datei").first.wait_for()
        wait_idle(a)
        goto_page(a, "Quartier")
        wait_for_heatmap(a)
        assert "gut.xlsx" in sidebar_text(a)
        a.screenshot(path=str(ARTIFACTS / "nach-angriffsdateien.png"))
        # a fresh visitor meanwhile: the sample, as always
        context_b, b = visitor(browser, server.url)
        try:
            assert "Beispieldaten (erfunden)" in sidebar_text(b)
            assert b.locator(CHART_FRAME).count() >= 2
            assert "Traceback" not in main_text(b)
        finally:
            context_b.close()
    finally:
        context_a.close()
    assert server.healthy()
    log = server.log_text()
    assert "Traceback" not in log and "panicked" not in log, log[-3000:]


def visit_pages(page, up: Upload) -> list[str]:
    """Upload ``up`` and render the pages that show it; the page HTML of each."""
    goto_page(page, "Daten hochladen")
    choose_file(page, up.name, up.data)
    page.locator('[data-testid="stAlertContentSuccess"]').filter(has_text="Aktivitäten aus 1 Datei").first.wait_for()
    wait_idle(page)
    seen = [page.content()]
    for title in ("Zuordnung prüfen", "Quartier", "Vergleich"):
        goto_page(page, title)
        time.sleep(1)  # tables draw their accessible rows after the script run
        wait_idle(page)
        seen.append(page.content())
    return seen


@pytest.mark.browser
@pytest.mark.slow
@browser_test
def test_two_visitors_never_see_each_others_data_and_the_log_holds_none(server, browser):
    context_a, a = visitor(browser, server.url)
    context_b, b = visitor(browser, server.url)
    try:
        pages_a = visit_pages(a, AHORN)
        pages_b = visit_pages(b, BIRKE)
        pages_a += [a.content()]  # after B's upload
        for own, other, pages in ((AHORN, BIRKE, pages_a), (BIRKE, AHORN, pages_b)):
            html = "\n".join(pages)
            assert [t for t in sorted(own.titles) if t not in html] == []  # the worklist shows each own title
            assert own.name in html
            assert not [n for n in other.needles if n in html]
    finally:
        context_a.close()
        context_b.close()
    assert server.healthy()
    log = server.log_text()
    port = server.url.rsplit(":", 1)[1]
    assert f"URL: http://localhost:{port}" in log  # the capture works: Streamlit's start message (serverAddress)
    assert not [n for n in AHORN.needles | BIRKE.needles if n in log], log[-3000:]

"""The app's chart component (views/chart_component): vendored plotly.js, served from the own origin.

What a click does in the app is tested in tests/test_browser.py (AppTest cannot run the component's
JavaScript); here: the files, their version and licence, what the component is given, and (in chromium,
with a page in Streamlit's place) that a failed load or draw is retried.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS
from views import plots

FOLDER = plots.COMPONENT_DIR
BUNDLE = FOLDER / "plotly-cartesian-4.1.1.min.js"


def _version(js_header: str) -> str:
    found = re.search(r"plotly\.js (?:\(cartesian - minified\) )?v(\d+\.\d+\.\d+)", js_header)
    assert found, js_header[:200]
    return found.group(1)


def test_the_bundle_is_the_documented_one_with_its_licence():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(BUNDLE.read_bytes()).hexdigest()
    assert digest in readme  # the README names the exact file
    version = _version(BUNDLE.read_text(encoding="utf-8")[:300])
    assert f"**{version}**" in readme
    assert "cartesian" in BUNDLE.read_text(encoding="utf-8")[:300]
    assert "MIT License" in (FOLDER / "LICENSE-plotly.js.txt").read_text(encoding="utf-8")


def test_the_bundle_matches_the_plotly_js_that_plotly_py_writes_figures_for():
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    with full.open(encoding="utf-8") as f:
        expected = _version(f.read(300))
    assert _version(BUNDLE.read_text(encoding="utf-8")[:300]) == expected


def test_the_page_loads_only_own_files_and_no_inline_script():
    """The app's Content-Security-Policy (script-src 'self') applies inside the frame as well."""
    page = (FOLDER / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.DOTALL)
    assert sources and all(body.strip() == "" for _, body in sources)
    names = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs, _ in sources]
    assert names == ["chart.js"]  # it loads plotly.js itself, fetched early by the preload link
    assert re.findall(r'<link rel="preload" href="([^"]+)" as="script">', page) == ["plotly-cartesian-4.1.1.min.js"]
    script = (FOLDER / "chart.js").read_text(encoding="utf-8")
    assert 'script.src = "plotly-cartesian-4.1.1.min.js"' in script
    assert all((FOLDER / n).is_file() for n in [*names, "plotly-cartesian-4.1.1.min.js"])
    assert "http" not in page and "//" not in page.replace("<!doctype html>", "")


def test_the_component_script_speaks_streamlits_protocol():
    script = (FOLDER / "chart.js").read_text(encoding="utf-8")
    for message in ("streamlit:componentReady", "streamlit:render", "streamlit:setComponentValue",
                    "streamlit:setFrameHeight", "plotly_click"):
        assert message in script


def test_clicks_are_read_from_the_component_value():
    assert plots.selected_keys(None) == [] and plots.click_signature(None) == ()
    assert plots.selected_keys({"keys": ["I3"], "at": 5}) == ["I3"]
    assert plots.click_signature({"keys": ["I3"], "at": 5}) == ("I3", 5)
    assert plots.click_signature({"keys": ["I3"], "at": 6}) != plots.click_signature({"keys": ["I3"], "at": 5})
    assert plots.selected_keys({"keys": [3, "", None, "S1"]}) == ["S1"]  # only real cell keys
    assert plots.selected_keys({"keys": "I3"}) == [] and plots.click_signature({"at": 1}) == ()


def test_config_keeps_the_data_here():
    config = plots.chart_config("Quartier Südviertel")
    assert config["showSendToCloud"] is False and config["plotlyServerURL"] == ""
    assert config["toImageButtonOptions"]["filename"] == "quartier-suedviertel"
    json.dumps(config)


def test_click_targets_carry_the_cell_keys():
    fig = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]]))
    plots.add_click_targets(fig, [0, 1], [0, 1], [["a", "b"], ["c", "d"]])
    assert list(fig.data[-1].customdata) == ["a", "b", "c", "d"]
    assert fig.layout.clickmode == "event+select"


HOST = """<!doctype html><html><body>
<iframe id="chart" src="/c/index.html" style="width:600px;height:400px"></iframe>
<script>
  window.ready = false;
  addEventListener("message", (e) => {
    if (e.data && e.data.type === "streamlit:componentReady") window.ready = true;
  });
  window.render = (spec) => document.getElementById("chart").contentWindow.postMessage(
    {type: "streamlit:render", args: {spec, config: "{}"}}, "*");
</script></body></html>"""


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="kein chromium gefunden (Debian: apt-get install chromium)")
def test_a_failed_load_or_first_draw_is_retried_by_the_next_render():
    """The component in chromium, in a page that plays Streamlit's part (render messages from the parent):
    plotly.js fails to load once, or the first figure cannot be drawn; the next render draws."""
    from playwright.sync_api import sync_playwright

    spec = go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])).to_json()
    state = {"fail_bundle": True}

    def serve(route):
        path = route.request.url.split("soni.test", 1)[1]
        if path == "/host.html":
            route.fulfill(body=HOST, content_type="text/html")
        elif path.startswith("/c/") and (FOLDER / path[3:]).is_file():
            if path.endswith(BUNDLE.name) and state["fail_bundle"]:
                route.abort()
            else:
                route.fulfill(path=FOLDER / path[3:])
        else:
            route.abort()

    def open_host(page):
        page.route("http://soni.test/**", serve)
        page.goto("http://soni.test/host.html")
        page.wait_for_function("window.ready")

    def drawn(page) -> int:
        return page.frame_locator("#chart").locator(".js-plotly-plot .hm").count()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            open_host(page)
            with page.expect_console_message(lambda m: "SONI-Diagramm" in m.text, timeout=30_000):
                page.evaluate("spec => render(spec)", spec)  # the bundle does not arrive
            assert drawn(page) == 0
            state["fail_bundle"] = False
            page.evaluate("spec => render(spec)", spec)  # the same figure again: now loaded and drawn
            page.frame_locator("#chart").locator(".js-plotly-plot .hm").first.wait_for(state="attached",
                                                                                       timeout=30_000)

            page = browser.new_page()
            open_host(page)
            with page.expect_console_message(lambda m: "SONI-Diagramm" in m.text, timeout=30_000):
                page.evaluate("render('{kein JSON')")  # the first draw throws
            assert drawn(page) == 0
            page.evaluate("spec => render(spec)", spec)
            page.frame_locator("#chart").locator(".js-plotly-plot .hm").first.wait_for(state="attached",
                                                                                       timeout=30_000)
        finally:
            browser.close()

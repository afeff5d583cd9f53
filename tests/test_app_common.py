"""Shared AppTest helpers (imported by the other test_app_* modules) and tests of the shared UI rooms."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from soni import sample, texts
from views import plots, results
from views.keys import Keys
from views.safe_text import keep_units, md

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMEOUT = 180


@pytest.fixture(name="app")
def app_fixture():
    """A fresh AppTest of app.py (st.cache_data is shared between AppTests: cleared first)."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    yield at
    st.cache_data.clear()


def run(at: AppTest, page: str | None = None) -> AppTest:
    """Run (optionally after switching to ``views/<page>.py``) and fail on any uncaught exception."""
    if page is not None:
        at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_elements(at: AppTest) -> list:
    """The page's charts: instances of the app's chart component (views/plots.py)."""
    return [e for e in at.get("component_instance") if e.proto.component_name.endswith("soni_chart")]


def chart_args(element) -> dict:
    """The arguments a chart component instance got: ``spec`` and ``config`` (both JSON text)."""
    return json.loads(element.proto.json_args)


def charts(at: AppTest) -> dict[str, dict]:
    """The plotly figures on the page by key: {key: figure spec (data + layout)}."""
    return {element.key or element.proto.id: json.loads(chart_args(element)["spec"]) for element in chart_elements(at)}


def _array(value) -> np.ndarray:
    """A plotly array as numpy (plotly ≥ 6 sends numeric arrays base64-encoded)."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            arr = arr.reshape([int(s) for s in str(shape).split(",")])
        return arr.astype("float64")
    return np.asarray(value, dtype="float64")


def heatmap_z(spec: dict, index: int = 0) -> np.ndarray:
    """The z values of the ``index``-th heatmap trace of a figure spec."""
    traces = [t for t in spec["data"] if t.get("type") == "heatmap"]
    return _array(traces[index]["z"])


def all_heatmaps_z(spec: dict) -> list[np.ndarray]:
    return [_array(t["z"]) for t in spec["data"] if t.get("type") == "heatmap"]


def upload(at: AppTest, *files: tuple[str, bytes, str]) -> AppTest:
    """Upload files on the upload page and run."""
    run(at)
    run(at, "upload")
    at.file_uploader[0].set_value(files[0] if len(files) == 1 else list(files))
    return run(at)


def current_inventory(at: AppTest):
    """The pipeline result (before corrections) that the session uses now."""
    ss = at.session_state
    if Keys.UPLOADS not in ss:
        return ss[Keys.CACHE][results.SAMPLE_KEY]
    key = results.data_key([n for n, _ in ss[Keys.UPLOADS]], ss[Keys.DIGESTS], ss[Keys.OPTIONS])
    return ss[Keys.CACHE][key]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(sep=";", index=False).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Aktivitäten") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
    return buffer.getvalue()


def small_inventory(n: int = 24) -> pd.DataFrame:
    """An invented inventory as a parish office would write it (German headers, words that classify)."""
    kinds = [
        ("Nachbarschaftstreff im Gemeindehaus", "Offener Treff für Nachbarinnen und Nachbarn im Quartier"),
        ("Sozialberatung", "Einzelberatung und Begleitung zu Ämtern nach individuellem Bedarf"),
        ("Trägerrunde Stadtteil", "Abstimmung der Angebote mehrerer Träger im Stadtteil"),
        ("Sozialraumanalyse", "Befragung und Auswertung von Sozialdaten zum Bedarf im Quartier"),
    ]
    rows = []
    for i in range(n):
        title, text = kinds[i % len(kinds)]
        rows.append({
            "Titel": f"{title} {i + 1} (erfunden)",
            "Beschreibung": text,
            "Stadtteil": ["Nordstadt", "Südviertel", "Altstadt"][i % 3],
            "Träger": ["Kirchengemeinde St. Beispiel", "Diakonie Musterstadt"][i % 2],
            "Zielgruppe": ["Familien", "Ältere Menschen"][i % 2],
            "Beginn": f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2023 + i % 2}",
            "Stunden": "" if i % 5 == 0 else str(10 + i),
        })
    return pd.DataFrame(rows)


def sample_upload() -> tuple[str, bytes, str]:
    return ("inventar.xlsx", sample.sample_bytes(), XLSX_MIME)


# --- tests of the shared helpers ------------------------------------------------------------


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "**fett**", "[Link](javascript:x)", "_a_ `b` # c",
                                  ":red[rot] $x$ ~~d~~"])
def test_md_makes_user_text_inert(text):
    out = md(text)
    assert "<" not in out and ">" not in out.replace("&gt;", "")
    for ch in "*_`[]()#:$~":
        # every markdown character is escaped by a backslash
        positions = [i for i, c in enumerate(out) if c == ch]
        assert all(i > 0 and out[i - 1] == "\\" for i in positions), (ch, out)


def test_slug_is_ascii_and_file_safe():
    assert plots.slug("Quartier Südviertel / 2024") == "quartier-suedviertel-2024"
    assert plots.slug("<>") == "diagramm"


def test_chart_config_offers_png_in_print_quality():
    cfg = plots.chart_config("Anzahl je Feld")
    assert cfg["toImageButtonOptions"] == {"format": "png", "scale": 2, "filename": "anzahl-je-feld"}


#: plotly.js toolbar titles of chart kinds the app never draws (3D, maps, drawing shapes, sharing).
_NOT_DRAWN = ("camera", "rotation", "Draw", "Erase", "Share")


def test_chart_toolbar_texts_are_german_for_every_title_plotly_js_has():
    """Issue #16: the toolbar's hover texts were English ("Download plot as a PNG", "Autoscale" …). The
    titles are read from the plotly.js the charts run (the app's chart component, views/chart_component),
    so a new plotly.js wording shows up here instead of in English on the page."""
    source = (plots.COMPONENT_DIR / "plotly-cartesian-4.1.1.min.js").read_text(encoding="utf-8")
    quoted = "[`\"]([^`\"]+)[`\"]"  # a minifier writes `…` or "…"
    titles = set(re.findall(r"title:function\(\w+\)\{return \w+\(\w+," + quoted + r"\)\}", source))
    titles |= {t for t in re.findall(r"\w+\(\w+," + quoted + r"\)", source) if t.startswith("Download plot")}
    notices = set(re.findall(r"notifier\(\w+(?:\._)?\(\w+," + quoted + r"\)", source))
    assert {"Download plot as a PNG", "Autoscale", "Zoom in", "Reset axes"} <= titles
    assert "Double-click to zoom back out" in notices
    german = texts.PLOTLY_DE["dictionary"]
    missing = sorted(t for t in titles | notices if t not in german and not any(w in t for w in _NOT_DRAWN))
    assert missing == []
    cfg = plots.chart_config("Anzahl je Feld")
    assert cfg["locale"] == "de" and cfg["locales"]["de"]["dictionary"] is german
    assert cfg["locales"]["de"]["format"]["decimal"] == ","


def test_data_key_depends_on_content_and_options():
    from soni.pipeline import Options

    digests = {"a.xlsx": "1"}
    k1 = results.data_key(["a.xlsx"], digests, {})
    assert k1 == results.data_key(["a.xlsx"], dict(digests), {})
    assert k1 != results.data_key(["a.xlsx"], {"a.xlsx": "2"}, {})
    assert k1 != results.data_key(["a.xlsx"], digests, {"a.xlsx": Options(sheet="B")})
    assert results.data_key(["a.xlsx"], digests, {"a.xlsx": Options(mapping={"Titel": "X"})}) != \
        results.data_key(["a.xlsx"], digests, {"a.xlsx": Options(mapping={"Titel": "Y"})})


def test_keep_units_binds_numbers_to_their_unit():
    assert keep_units("mit 25 % schwächer, 1.200 € und +3 %-Pkt.") == \
        "mit 25\u00a0% schwächer, 1.200\u00a0€ und +3\u00a0%-Pkt."
    assert keep_units("Feld % Rest") == "Feld % Rest"  # no number, no change
    assert keep_units(md("40 % der Stunden")) == "40\u00a0% der Stunden"

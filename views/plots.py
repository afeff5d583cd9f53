"""Chart plumbing of the pages: render a plotly figure, make heatmap cells clickable, read the click.

Figures are drawn by the app's own chart component (``views/chart_component``: the cartesian plotly.js
bundle, 1.5 MB, from the app's own origin) instead of ``st.plotly_chart``, whose full plotly bundle
(4.7 MB) was the largest cost of the first heatmap (docs/performance.md). A click on a cell comes back
as ``{"keys": [cell key], "at": ms}`` (the clicked point's ``customdata``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

from soni import charts, texts
from views.safe_text import md

#: The folder Streamlit serves the component from (``/component/views.plots.soni_chart/…``).
COMPONENT_DIR = Path(__file__).with_name("chart_component")
_chart = components.declare_component("soni_chart", path=str(COMPONENT_DIR))

_SLUG = re.compile(r"[^A-Za-z0-9]+")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str) -> str:
    """A file-name-safe ASCII form: "Quartier Südviertel" → "quartier-suedviertel"."""
    return _SLUG.sub("-", str(text).translate(_UMLAUTS)).strip("-").lower()[:80] or "diagramm"


def chart_config(filename: str) -> dict:
    """Plotly toolbar config: PNG download in print quality, German toolbar texts (locale handed along,
    nothing fetched), no logo."""
    return {
        "toImageButtonOptions": {"format": "png", "scale": 2, "filename": slug(filename)},
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "locale": "de",
        "locales": {"de": texts.PLOTLY_DE},
        # plotly.js 4 shows "Share chart…" (an upload to Plotly Cloud) unless switched off: data stay here
        "showSendToCloud": False,
        "plotlyServerURL": "",
    }


def is_phone() -> bool:
    """True when the browser says it is a phone ("Mobi" in its User-Agent, as the browsers' own convention)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no request (AppTest, warm-up)
        return False
    return "Mobi" in agent


def show_chart(fig: go.Figure, key: str, caption: str, *, filename: str | None = None,
               selectable: bool = False):
    """Render a figure (own colours, full width, PNG button, unique key) with its caption below.

    With ``selectable`` returns the last click on a cell (``{"keys": [...], "at": ms}``, None before
    the first; only figures with click targets send clicks), else None.
    """
    if is_phone():
        charts.compact(fig)
    config = json.dumps(chart_config(filename or key))
    event = _chart(spec=fig.to_json(), config=config, key=key, default=None)
    if caption:
        st.caption(md(caption))
    return event if selectable else None


def add_click_targets(fig: go.Figure, xs: Sequence[object], ys: Sequence[object],
                      keys: Sequence[Sequence[str]], texts_: Sequence[Sequence[str]] | None = None) -> go.Figure:
    """Invisible markers on the cell centres of a heatmap, so that a click selects a cell.

    Plotly heatmaps send no selection events to Streamlit; scatter points do. Each
    marker carries the cell's key in ``customdata``.
    """
    px, py, pk, pt = [], [], [], []
    for r, y in enumerate(ys):
        for c, x in enumerate(xs):
            px.append(x)
            py.append(y)
            pk.append(keys[r][c])
            pt.append(texts_[r][c] if texts_ is not None else "")
    fig.add_trace(
        go.Scatter(
            x=px, y=py, customdata=pk, text=pt, mode="markers", showlegend=False, name="",
            marker={"size": 70, "opacity": 0.0, "color": "#000000"},
            selected={"marker": {"opacity": 0.0}}, unselected={"marker": {"opacity": 0.0}},
            hovertemplate="%{text}<extra></extra>" if texts_ is not None else "<extra></extra>",
        )
    )
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def selected_keys(event) -> list[str]:
    """Cell keys of the last click on a chart (the component's value; [] before any click)."""
    keys = event.get("keys") if isinstance(event, Mapping) else None
    if not isinstance(keys, list | tuple):
        return []
    return [str(k) for k in keys if isinstance(k, str) and k]


def click_signature(event) -> tuple:
    """What identifies one click: its cell keys, then its time (a second click on the same cell is
    new); () before any click."""
    keys = selected_keys(event)
    return (*keys, event.get("at")) if keys else ()
